//! The index: an immutable snapshot of the corpus that every feature reads.
//!
//! Built once from the loaded sources (each extracted on its own, in parallel) and shared
//! behind an `Arc`; when the corpus changes a new index is built and swapped in whole, never
//! mutated in place.

pub mod entities;
pub mod export;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::corpus::Source;
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extraction, extract};
pub use entities::{Entity, EntityDescription, Mention};

#[derive(Debug, Default)]
pub struct Index {
    sources: Vec<Source>,
    by_key: HashMap<String, usize>,
    entities: Vec<Entity>,
    by_entity_id: HashMap<String, usize>,
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
        let entities = entities::merge(extractions);
        let by_entity_id = entities
            .iter()
            .enumerate()
            .map(|(index, entity)| (entity.id.clone(), index))
            .collect();
        Index {
            sources,
            by_key,
            entities,
            by_entity_id,
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

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_entity_id
            .get(id)
            .map(|&index| &self.entities[index])
    }
}
