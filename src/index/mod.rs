//! The index: an immutable snapshot of the corpus that every feature reads.
//!
//! Built once from the loaded sources (each extracted on its own, in parallel) and shared
//! behind an `Arc`; when the corpus changes a new index is built and swapped in whole, never
//! mutated in place. Besides entities it holds `search` (paragraphs by content) and `finder`
//! (sources by key, author, title or year), both built from the same sources.

pub mod entities;
pub mod export;
pub mod finder;
#[cfg(test)]
mod fixtures;
pub mod search;
pub mod terms;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::corpus::Source;
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extraction, extract};
pub use entities::{Entity, EntityDescription, Mention};
pub use finder::{MatchedBy, SourceFinder, SourceMatch};
pub use search::{Hit, ParagraphSearch};

#[derive(Debug, Default)]
pub struct Index {
    sources: Vec<Source>,
    by_key: HashMap<String, usize>,
    entities: Vec<Entity>,
    by_entity_id: HashMap<String, usize>,
    search: ParagraphSearch,
    finder: SourceFinder,
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
        // The three are independent; the paragraph search is the long one.
        let (entities, (search, finder)) = rayon::join(
            || entities::merge(extractions),
            || {
                rayon::join(
                    || ParagraphSearch::build(&sources),
                    || SourceFinder::build(&sources),
                )
            },
        );
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
            search,
            finder,
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

    /// Content search over every paragraph (`Hit::source` indexes `sources()`).
    pub fn search(&self) -> &ParagraphSearch {
        &self.search
    }

    /// Sources by key, author, title or year, for citation completion.
    pub fn finder(&self) -> &SourceFinder {
        &self.finder
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_index_searches_and_finds() {
        let corpus = crate::corpus::load_bundled();
        let index = Index::build(corpus.sources, Lexicon::built_in());
        let hits = index.search().search("kamikaze drones", 1);
        let source = &index.sources()[hits[0].source as usize];
        assert_eq!((source.key.as_str(), hits[0].paragraph), ("berman2023", 13));
        let (matches, incomplete) = index.finder().find("berm", 10);
        assert_eq!(matches[0].matched, MatchedBy::KeyPrefix);
        assert_eq!(
            index.sources()[matches[0].source as usize].key,
            "berman2023"
        );
        assert!(!incomplete);
    }
}
