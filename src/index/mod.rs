//! The index: an immutable snapshot of the corpus that every feature reads.
//!
//! Built once from the loaded sources (each extracted on its own, in parallel) and shared
//! behind an `Arc`; when the corpus changes a new index is built and swapped in whole, never
//! mutated in place. Besides entities it holds `search` (paragraphs by content) and `finder`
//! (sources by key, author, title or year), both built from the same sources.

mod builder;
pub mod cache;
pub mod entities;
pub mod events;
pub mod export;
pub mod finder;
#[cfg(test)]
mod fixtures;
pub mod matcher;
mod packed;
pub mod search;
pub mod snapshot;
pub mod sources;
pub mod terms;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::corpus::{Paragraph, Source};
use crate::edtf::Edtf;
use crate::extract::events::{publication_summary, summarize};
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extraction, extract};
use crate::text::LineIndex;
pub use builder::IndexBuilder;
pub use entities::{Entity, EntityDescription, Mention};
pub use events::{Event, Events};
pub use finder::{MatchedBy, SourceFinder, SourceMatch};
use matcher::EntityMatcher;
pub use search::{Hit, ParagraphSearch, SearchBuilder};
use sources::RecentTexts;
pub use sources::SourceInfo;

#[derive(Debug, Default)]
pub struct Index {
    /// Different for every index this process builds: what was computed from one index
    /// (a brief's diagnostics, the paragraphs read) is known by it.
    id: u64,
    sources: Vec<SourceInfo>,
    /// The texts read back lately (the index does not keep them).
    texts: RecentTexts,
    by_key: HashMap<String, usize>,
    entities: Vec<Entity>,
    by_entity_id: HashMap<String, usize>,
    /// Built when a brief is first matched, not with the index: a cold index or a snapshot's
    /// load (what `dossier index` and a server's start wait for) never reads it.
    matcher: OnceLock<EntityMatcher>,
    events: Events,
    search: ParagraphSearch,
    finder: SourceFinder,
    /// For each entity, its events (indices into `events`): a hover is a lookup, not a scan.
    events_by_entity: Vec<Vec<u32>>,
    /// Entities by name, for names the sources give (an author).
    by_name: HashMap<String, Vec<usize>>,
    /// Each source's line starts, made when first asked for (go-to-source, diagnostics).
    lines: Vec<OnceLock<LineIndex>>,
}

impl Index {
    /// Extracts every source and merges what they say.
    pub fn build(sources: Vec<Source>, lexicon: &Lexicon) -> Index {
        let extractions: Vec<Extraction> = sources
            .par_iter()
            .map(|source| extract(source, lexicon))
            .collect();
        let mut builder = IndexBuilder::default();
        builder.add(sources, extractions);
        builder.finish()
    }

    /// The index of its parts.
    fn from_parts(
        sources: SourceTable,
        entities: EntityTable,
        events: Events,
        search: ParagraphSearch,
        finder: SourceFinder,
        events_by_entity: Vec<Vec<u32>>,
    ) -> Index {
        let SourceTable { sources, by_key } = sources;
        let EntityTable {
            entities,
            by_entity_id,
            by_name,
        } = entities;
        static BUILT: AtomicU64 = AtomicU64::new(1);
        Index {
            id: BUILT.fetch_add(1, Ordering::Relaxed),
            lines: (0..sources.len()).map(|_| OnceLock::new()).collect(),
            sources,
            texts: RecentTexts::default(),
            by_key,
            entities,
            by_entity_id,
            matcher: OnceLock::new(),
            events,
            events_by_entity,
            by_name,
            search,
            finder,
        }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn sources(&self) -> &[SourceInfo] {
        &self.sources
    }

    /// The source cited as `key`: a lookup, not a scan.
    pub fn source(&self, key: &str) -> Option<&SourceInfo> {
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

    /// The source at `index` (as mentions and search hits number them).
    pub fn source_at(&self, index: usize) -> Option<&SourceInfo> {
        self.sources.get(index)
    }

    /// The text of source `index`, read back from its file: `None` when the file is gone or
    /// changed since it was indexed.
    pub fn text(&self, index: usize) -> Option<Arc<str>> {
        self.texts.get(index, self.sources.get(index)?)
    }

    /// The exact text of a paragraph of source `index`, as it stands in the file.
    pub fn paragraph_text(&self, index: usize, paragraph: &Paragraph) -> Option<String> {
        Some(self.text(index)?.get(paragraph.range.clone())?.to_string())
    }

    /// The numbers of the events that involve entity `number`, in index order.
    pub fn event_numbers_of(&self, number: usize) -> impl Iterator<Item = usize> + '_ {
        self.events_by_entity
            .get(number)
            .into_iter()
            .flatten()
            .map(|&event| event as usize)
    }

    /// The events that involve entity `number`, in index order.
    pub fn events_of(&self, number: usize) -> impl Iterator<Item = &Event> {
        self.events_by_entity
            .get(number)
            .into_iter()
            .flatten()
            .filter_map(|&event| self.events.list().get(event as usize))
    }

    /// The one-line summary of an event: its sentence, read back from the source (`None`
    /// when the file changed since it was indexed), or for the publication the source's title
    /// and publisher.
    pub fn event_summary(&self, event: &Event) -> Option<String> {
        if event.paragraph == 0 {
            let source = self.source_at(event.source())?;
            return Some(publication_summary(
                &source.title,
                source.publisher.as_deref(),
            ));
        }
        Some(summarize(self.text(event.source())?.get(event.sentence())?))
    }

    /// The entities with this exact name.
    pub fn entities_named(&self, name: &str) -> &[usize] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// Where the lines of source `index` start, for positions in its file.
    pub fn source_lines(&self, index: usize) -> Option<&LineIndex> {
        let lines = self.lines.get(index)?;
        if let Some(lines) = lines.get() {
            return Some(lines);
        }
        let text = self.text(index)?;
        Some(lines.get_or_init(|| LineIndex::new(&text)))
    }

    /// The index of the source cited as `key`.
    pub fn source_index(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    pub fn entity_at(&self, index: usize) -> Option<&Entity> {
        self.entities.get(index)
    }

    /// The automaton that finds the index's entities in a brief, built on first use.
    pub fn matcher(&self) -> &EntityMatcher {
        self.matcher
            .get_or_init(|| EntityMatcher::build(&self.entities))
    }

    /// Every dated event, in source order, then order of the text.
    pub fn events(&self) -> &[Event] {
        self.events.list()
    }

    /// The date of an event, `None` when the text gives no way to date it.
    pub fn event_date(&self, event: &Event) -> Option<&Edtf> {
        self.events.date(event)
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_entity_id
            .get(id)
            .map(|&index| &self.entities[index])
    }
}

/// The sources and their lookup by key. Made apart from the other parts, so that a
/// snapshot's load makes it while it decodes them.
struct SourceTable {
    sources: Vec<SourceInfo>,
    by_key: HashMap<String, usize>,
}

impl SourceTable {
    fn new(sources: Vec<SourceInfo>) -> SourceTable {
        let by_key = sources
            .iter()
            .enumerate()
            .map(|(index, source)| (source.key.clone(), index))
            .collect();
        SourceTable { sources, by_key }
    }
}

/// The entities and their lookups by id and by name. Made apart from the other parts, as
/// `SourceTable` is.
struct EntityTable {
    entities: Vec<Entity>,
    by_entity_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl EntityTable {
    fn new(entities: Vec<Entity>) -> EntityTable {
        let by_entity_id = entities
            .iter()
            .enumerate()
            .map(|(index, entity)| (entity.id.clone(), index))
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (number, entity) in entities.iter().enumerate() {
            by_name.entry(entity.name.clone()).or_default().push(number);
        }
        EntityTable {
            entities,
            by_entity_id,
            by_name,
        }
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
