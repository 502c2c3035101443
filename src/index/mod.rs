//! The index: an immutable snapshot of the corpus that every feature reads.
//!
//! Built once from the loaded sources and shared behind an `Arc`; when the corpus changes a
//! new index is built and swapped in whole, never mutated in place.

pub mod export;

use std::collections::HashMap;

use crate::corpus::Source;

#[derive(Debug, Default)]
pub struct Index {
    sources: Vec<Source>,
    by_key: HashMap<String, usize>,
}

impl Index {
    pub fn build(sources: Vec<Source>) -> Index {
        let by_key = sources
            .iter()
            .enumerate()
            .map(|(index, source)| (source.key.clone(), index))
            .collect();
        Index { sources, by_key }
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
}
