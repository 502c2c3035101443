//! The corpus's dated events: each source's events, with their entities as the index numbers
//! them.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::edtf::Edtf;
use crate::extract::Extraction;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `None` when the text gives no way to date it.
    pub date: Option<Edtf>,
    pub summary: String,
    /// Index of the source in the index.
    pub source: usize,
    /// 0 for the publication date.
    pub paragraph: u32,
    /// The time expression, in the source's text.
    pub when: Range<usize>,
    pub sentence: Range<usize>,
    /// Indices into the index's entities.
    pub entities: Vec<usize>,
}

pub fn collect(extractions: Vec<Extraction>, local_to_global: &[Vec<usize>]) -> Vec<Event> {
    let mut events = Vec::with_capacity(extractions.iter().map(|e| e.events.len()).sum());
    for (source, (extraction, map)) in extractions.into_iter().zip(local_to_global).enumerate() {
        for event in extraction.events {
            let mut entities: Vec<usize> = Vec::new();
            for local in &event.entities {
                if let Some(&global) = map.get(*local)
                    && !entities.contains(&global)
                {
                    entities.push(global);
                }
            }
            events.push(Event {
                date: event.date,
                summary: event.summary,
                source,
                paragraph: event.paragraph,
                when: event.when,
                sentence: event.sentence,
                entities,
            });
        }
    }
    events
}
