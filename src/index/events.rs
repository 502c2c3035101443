//! The corpus's dated events: each source's events, and for each entity the events that
//! involve it.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Entity;
use super::packed::Fixed;
use crate::edtf::Edtf;
use crate::extract::Extraction;

/// A dated event. Kept small: a large corpus has millions, so its summary is made from the
/// source's text when shown (`Index::event_summary`) and its entities are listed per entity
/// (`Index::events_of`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `None` when the text gives no way to date it.
    pub date: Option<Edtf>,
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

/// The events of all sources, in source order, and for each entity the numbers of the
/// events that involve it; each entity's count of body events is filled in on the way.
pub fn collect(
    extractions: Vec<Extraction>,
    local_to_global: &[Vec<usize>],
    entities: &mut [Entity],
) -> (Vec<Event>, Vec<Vec<u32>>) {
    let mut events = Vec::with_capacity(extractions.iter().map(|e| e.events.len()).sum());
    let mut events_by_entity = vec![Vec::new(); entities.len()];
    for (source, (extraction, map)) in extractions.into_iter().zip(local_to_global).enumerate() {
        let Ok(source) = u32::try_from(source) else {
            break;
        };
        for event in extraction.events {
            let Ok(number) = u32::try_from(events.len()) else {
                break;
            };
            let mut involved: Vec<usize> = Vec::new();
            for local in &event.entities {
                if let Some(&global) = map.get(*local as usize)
                    && !involved.contains(&global)
                {
                    involved.push(global);
                }
            }
            for entity in involved {
                if let Some(list) = events_by_entity.get_mut(entity) {
                    list.push(number);
                }
                if event.paragraph > 0
                    && let Some(entity) = entities.get_mut(entity)
                {
                    entity.counts.events = entity.counts.events.saturating_add(1);
                }
            }
            events.push(Event {
                date: event.date,
                source,
                paragraph: event.paragraph,
                when: event.when,
                sentence: event.sentence,
            });
        }
    }
    (events, events_by_entity)
}

/// Events as the snapshot stores them: each distinct date once, and every event as a
/// fixed-size row naming its date by number, so that millions load as one run of bytes.
#[derive(Serialize, Deserialize)]
pub(super) struct StoredEvents {
    dates: Vec<Edtf>,
    #[serde(with = "super::packed")]
    rows: Vec<EventRow>,
}

/// An event with its date as a number into `StoredEvents::dates` (`NO_DATE` for none).
struct EventRow {
    date: u32,
    source: u32,
    paragraph: u32,
    when: Range<u32>,
    sentence: Range<u32>,
}

const NO_DATE: u32 = u32::MAX;

impl StoredEvents {
    pub(super) fn new(events: &[Event]) -> StoredEvents {
        let mut numbers: HashMap<&Edtf, u32> = HashMap::new();
        let mut dates = Vec::new();
        let rows = events
            .iter()
            .map(|event| EventRow {
                date: event.date.as_ref().map_or(NO_DATE, |date| {
                    *numbers.entry(date).or_insert_with(|| {
                        dates.push(date.clone());
                        (dates.len() - 1) as u32
                    })
                }),
                source: event.source,
                paragraph: event.paragraph,
                when: event.when.clone(),
                sentence: event.sentence.clone(),
            })
            .collect();
        StoredEvents { dates, rows }
    }

    /// The events, or `None` when a row names a date that is not there.
    pub(super) fn events(self) -> Option<Vec<Event>> {
        let mut events = Vec::with_capacity(self.rows.len());
        for row in self.rows {
            let date = match row.date {
                NO_DATE => None,
                number => Some(self.dates.get(number as usize)?.clone()),
            };
            events.push(Event {
                date,
                source: row.source,
                paragraph: row.paragraph,
                when: row.when,
                sentence: row.sentence,
            });
        }
        Some(events)
    }
}

impl Fixed for EventRow {
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

    fn get(bytes: &[u8]) -> EventRow {
        let at = |n: usize| u32::get(&bytes[n * 4..n * 4 + 4]);
        EventRow {
            date: at(0),
            source: at(1),
            paragraph: at(2),
            when: at(3)..at(4),
            sentence: at(5)..at(6),
        }
    }
}
