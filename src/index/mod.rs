//! The index: an immutable snapshot of the corpus that every feature reads.
//!
//! Built once from the loaded sources (each extracted on its own, in parallel) and shared
//! behind an `Arc`; when the corpus changes a new index is built and swapped in whole, never
//! mutated in place.

pub mod entities;
pub mod events;
pub mod export;
pub mod matcher;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::corpus::Source;
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extraction, extract};
pub use entities::{Entity, EntityDescription, Mention};
pub use events::Event;
use matcher::EntityMatcher;

#[derive(Debug, Default)]
pub struct Index {
    sources: Vec<Source>,
    by_key: HashMap<String, usize>,
    entities: Vec<Entity>,
    by_entity_id: HashMap<String, usize>,
    matcher: EntityMatcher,
    events: Vec<Event>,
}

impl Index {
    /// Extracts every source and merges what they say.
    pub fn build(sources: Vec<Source>, lexicon: &Lexicon) -> Index {
        let extractions: Vec<Extraction> = sources
            .par_iter()
            .map(|source| extract(source, lexicon))
            .collect();
        Index::from_extractions(sources, &extractions)
    }

    /// The index of sources already extracted (`extractions[i]` is of `sources[i]`).
    pub fn from_extractions(sources: Vec<Source>, extractions: &[Extraction]) -> Index {
        let by_key = sources
            .iter()
            .enumerate()
            .map(|(index, source)| (source.key.clone(), index))
            .collect();
        let merged = entities::merge(extractions);
        let events = events::collect(extractions, &merged.local_to_global);
        let entities = merged.entities;
        let by_entity_id = entities
            .iter()
            .enumerate()
            .map(|(index, entity)| (entity.id.clone(), index))
            .collect();
        let matcher = EntityMatcher::build(&entities);
        Index {
            sources,
            by_key,
            entities,
            by_entity_id,
            matcher,
            events,
        }
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The source cited as `key`: a lookup, not a scan.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.by_key.get(key).map(|&index| &self.sources[index])
    }

    pub fn paragraph_count(&self) -> usize {
        self.sources.iter().map(|s| s.paragraphs.len()).sum()
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The source at `index` (as mentions and search hits number them).
    pub fn source_at(&self, index: usize) -> Option<&Source> {
        self.sources.get(index)
    }

    /// The index of the source cited as `key`.
    pub fn source_index(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    pub fn entity_at(&self, index: usize) -> Option<&Entity> {
        self.entities.get(index)
    }

    /// The automaton that finds the index's entities in a brief.
    pub fn matcher(&self) -> &EntityMatcher {
        &self.matcher
    }

    /// Every dated event, in source order, then order of the text.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_entity_id
            .get(id)
            .map(|&index| &self.entities[index])
    }
}
