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
    /// Looked up for every dated event of the corpus: by the date packed in a number
    /// (`packed_date`), where hashing the `Edtf` itself, an enum with boxed ends, and
    /// comparing it cost hundreds of instructions a lookup.
    date_numbers: HashMap<u128, u32, foldhash::fast::RandomState>,
    /// The dates no number holds (an interval of intervals, which the extractor does not
    /// make): by the date itself.
    other_date_numbers: HashMap<Edtf, u32, foldhash::fast::RandomState>,
    /// Event `i` involves `involved[involved_ends[i - 1]..involved_ends[i]]`.
    involved: Vec<u32>,
    involved_ends: Vec<usize>,
}

impl Gathering {
    /// Adds the events of source number `source`, which name the local entities
    /// `event_entities` (`Extraction::event_entities`), whose provisional numbers are
    /// `local_to_merged`.
    pub fn add(
        &mut self,
        source: usize,
        events: Vec<ExtractedEvent>,
        event_entities: &[u32],
        local_to_merged: &[usize],
    ) {
        let Ok(source) = u32::try_from(source) else {
            return;
        };
        for event in events {
            if u32::try_from(self.list.len()).is_err() {
                return;
            }
            let run = event.entities.start as usize..event.entities.end as usize;
            for local in event_entities.get(run).unwrap_or_default() {
                if let Some(&merged) = local_to_merged.get(*local as usize)
                    && let Ok(merged) = u32::try_from(merged)
                {
                    self.involved.push(merged);
                }
            }
            self.involved_ends.push(self.involved.len());
            let date = event.date.map_or(NO_DATE, |date| self.date_number(date));
            self.list.push(Event {
                date,
                source,
                paragraph: event.paragraph,
                when: event.when,
                sentence: event.sentence,
            });
        }
    }

    /// The number of `date` in the table of dates, which it joins if new.
    fn date_number(&mut self, date: Edtf) -> u32 {
        let dates = &mut self.dates;
        let mut add = |date: Edtf| {
            dates.push(date);
            u32::try_from(dates.len() - 1).unwrap_or(NO_DATE)
        };
        match packed_date(&date) {
            Some(key) => *self.date_numbers.entry(key).or_insert_with(|| add(date)),
            None => match self.other_date_numbers.get(&date) {
                Some(&number) => number,
                None => {
                    let number = add(date.clone());
                    self.other_date_numbers.insert(date, number);
                    number
                }
            },
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

/// A date as one number, different for different dates: a single date in the low 64 bits
/// (`packed_single`), the end of an interval in the high ones, with what kind of interval it
/// is above both. `None` for an interval whose ends are intervals.
fn packed_date(date: &Edtf) -> Option<u128> {
    const INTERVAL: u128 = 1 << 120;
    const SINCE: u128 = 2 << 120;
    const UNTIL: u128 = 3 << 120;
    let single = |date: &Edtf| packed_single(date).map(u128::from);
    Some(match date {
        Edtf::Interval(start, end) => INTERVAL | (single(end)? << 64) | single(start)?,
        Edtf::Since(start) => SINCE | single(start)?,
        Edtf::Until(end) => UNTIL | single(end)?,
        single_date => single(single_date)?,
    })
}

/// A single date as a number: its kind (1 to 5, never 0) in bits 48 to 50, the year in bits
/// 16 to 47, then the month or season and the day. `None` for an interval.
fn packed_single(date: &Edtf) -> Option<u64> {
    let fields = |kind: u64, year: i32, month: u8, day: u8| {
        (kind << 48) | (u64::from(year as u32) << 16) | (u64::from(month) << 8) | u64::from(day)
    };
    Some(match *date {
        Edtf::Day { year, month, day } => fields(1, year, month, day),
        Edtf::Month { year, month } => fields(2, year, month, 0),
        Edtf::Season { year, season } => fields(3, year, season, 0),
        Edtf::Year(year) => fields(4, year, 0, 0),
        Edtf::Decade(year) => fields(5, year, 0, 0),
        Edtf::Interval(..) | Edtf::Since(_) | Edtf::Until(_) => return None,
    })
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::edtf::strategies;

    fn single_date() -> BoxedStrategy<Edtf> {
        // Few values per field, so that equal dates come up often.
        let year = prop_oneof![Just(-1), Just(0), Just(1999), Just(2000), Just(i32::MIN)];
        strategies::single(year, 0u8..3)
    }

    fn date() -> BoxedStrategy<Edtf> {
        // An interval of an interval too, which does not pack.
        let nested = (strategies::with_ranges(single_date()), single_date())
            .prop_map(|(start, end)| Edtf::Interval(Box::new(start), Box::new(end)));
        prop_oneof![strategies::with_ranges(single_date()), nested].boxed()
    }

    proptest! {
        #[test]
        fn packed_dates_are_equal_when_the_dates_are(a in date(), b in date()) {
            if let (Some(packed_a), Some(packed_b)) = (packed_date(&a), packed_date(&b)) {
                prop_assert_eq!(packed_a == packed_b, a == b);
            }
        }

        #[test]
        fn each_distinct_date_is_numbered_once(dates in prop::collection::vec(date(), 0..40)) {
            let mut gathering = Gathering::default();
            let numbers: Vec<u32> = dates.iter().map(|date| gathering.date_number(date.clone())).collect();
            for (date, &number) in dates.iter().zip(&numbers) {
                prop_assert_eq!(&gathering.dates[number as usize], date);
            }
            let mut seen: Vec<&Edtf> = Vec::new();
            for date in &dates {
                if !seen.contains(&date) {
                    seen.push(date);
                }
            }
            // In order of first appearance, as the map keyed by the date itself numbered them.
            prop_assert_eq!(gathering.dates.iter().collect::<Vec<_>>(), seen);
        }
    }
}
