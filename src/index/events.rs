//! The corpus's dated events: each source's events, and for each entity the events that
//! involve it.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Entity;
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
