//! The corpus's dated events: each source's events, and for each entity the events that
//! involve it.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Entity;
use super::packed::Fixed;
use crate::edtf::Edtf;
use crate::extract::events::ExtractedEvent;

/// A dated event. Kept small and of fixed size: a large corpus has millions, so its date is
/// a number into the corpus's table of distinct dates (`Events::date`), its summary is made
/// from the source's text when shown (`Index::event_summary`) and its entities are listed
/// per entity (`Index::events_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The date's number in `Events::dates`; `NO_DATE` when the text gives no way to date it.
    date: u32,
    source: u32,
    /// 0 for the publication date.
    pub paragraph: u32,
    when: Range<u32>,
    sentence: Range<u32>,
}

impl Event {
    /// Index of the source in the index.
    pub fn source(&self) -> usize {
        self.source as usize
    }

    /// The time expression, in the source's text.
    pub fn when(&self) -> Range<usize> {
        self.when.start as usize..self.when.end as usize
    }

    /// The sentence it dates (the byline or front matter for the publication).
    pub fn sentence(&self) -> Range<usize> {
        self.sentence.start as usize..self.sentence.end as usize
    }
}

const NO_DATE: u32 = u32::MAX;

/// The corpus's events, in source order, and each distinct date they name once. Stored as it
/// is in the snapshot: a table of dates and one run of fixed-size records.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Events {
    dates: Vec<Edtf>,
    /// In the snapshot, a section of its own (read without a copy in between).
    #[serde(skip)]
    pub(super) list: Vec<Event>,
}

impl Events {
    pub fn list(&self) -> &[Event] {
        &self.list
    }

    /// The date of an event, `None` when the text gives no way to date it.
    pub fn date(&self, event: &Event) -> Option<&Edtf> {
        self.dates.get(event.date as usize)
    }

    /// Whether every event's date is in the table (a snapshot that says otherwise is
    /// damaged).
    pub fn is_whole(&self) -> bool {
        let count = self.dates.len();
        self.list
            .iter()
            .all(|event| event.date == NO_DATE || (event.date as usize) < count)
    }
}

/// The corpus's events, gathered as the sources come in the index's source order, each with
/// the entities it involves by their provisional numbers (see `entities::Merging`).
#[derive(Default)]
pub struct Gathering {
    list: Vec<Event>,
    dates: Vec<Edtf>,
    /// Looked up for every dated event of the corpus: foldhash, not SipHash.
    date_numbers: HashMap<Edtf, u32, foldhash::fast::RandomState>,
    /// Event `i` involves `involved[involved_ends[i - 1]..involved_ends[i]]`.
    involved: Vec<u32>,
    involved_ends: Vec<usize>,
}

impl Gathering {
    /// Adds the events of source number `source`, whose local entities have the provisional
    /// numbers `local_to_merged`.
    pub fn add(&mut self, source: usize, events: Vec<ExtractedEvent>, local_to_merged: &[usize]) {
        let Ok(source) = u32::try_from(source) else {
            return;
        };
        for event in events {
            if u32::try_from(self.list.len()).is_err() {
                return;
            }
            for local in &event.entities {
                if let Some(&merged) = local_to_merged.get(*local as usize)
                    && let Ok(merged) = u32::try_from(merged)
                {
                    self.involved.push(merged);
                }
            }
            self.involved_ends.push(self.involved.len());
            let date = event.date.map_or(NO_DATE, |date| {
                *self.date_numbers.entry(date).or_insert_with_key(|date| {
                    self.dates.push(date.clone());
                    u32::try_from(self.dates.len() - 1).unwrap_or(NO_DATE)
                })
            });
            self.list.push(Event {
                date,
                source,
                paragraph: event.paragraph,
                when: event.when,
                sentence: event.sentence,
            });
        }
    }

    /// The events, and for each entity the numbers of the events that involve it, given
    /// where each provisional entity number went; each entity's count of body events is
    /// filled in on the way.
    pub fn finish(self, renumbered: &[usize], entities: &mut [Entity]) -> (Events, Vec<Vec<u32>>) {
        let mut events_by_entity = vec![Vec::new(); entities.len()];
        let mut start = 0;
        let mut involved: Vec<usize> = Vec::new();
        for (number, (event, &end)) in self.list.iter().zip(&self.involved_ends).enumerate() {
            involved.clear();
            for &merged in &self.involved[start..end] {
                if let Some(&entity) = renumbered.get(merged as usize)
                    && !involved.contains(&entity)
                {
                    involved.push(entity);
                }
            }
            start = end;
            for &entity in &involved {
                if let Some(list) = events_by_entity.get_mut(entity) {
                    list.push(number as u32);
                }
                if event.paragraph > 0
                    && let Some(entity) = entities.get_mut(entity)
                {
                    entity.counts.events = entity.counts.events.saturating_add(1);
                }
            }
        }
        let events = Events {
            dates: self.dates,
            list: self.list,
        };
        (events, events_by_entity)
    }
}

impl Fixed for Event {
    const SIZE: usize = 28;

    fn put(&self, out: &mut Vec<u8>) {
        for number in [
            self.date,
            self.source,
            self.paragraph,
            self.when.start,
            self.when.end,
            self.sentence.start,
            self.sentence.end,
        ] {
            number.put(out);
        }
    }

    fn get(bytes: &[u8]) -> Event {
        let at = |n: usize| u32::get(&bytes[n * 4..n * 4 + 4]);
        Event {
            date: at(0),
            source: at(1),
            paragraph: at(2),
            when: at(3)..at(4),
            sentence: at(5)..at(6),
        }
    }
}
