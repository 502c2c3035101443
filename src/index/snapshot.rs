//! The index saved whole, with the state of every file it was built from: a start where no
//! file changed loads it instead of reading and merging the corpus again. The entity
//! automaton and the lookup tables are made again on load; they are quick to make and would
//! be large to store.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cache::{self, FileRecord};
use super::{Entity, Event, Index, ParagraphSearch, SourceFinder, SourceInfo};

#[derive(Serialize)]
struct StoredRef<'a> {
    records: &'a [FileRecord],
    sources: &'a [SourceInfo],
    entities: &'a [Entity],
    events: &'a [Event],
    search: &'a ParagraphSearch,
    finder: &'a SourceFinder,
    events_by_entity: &'a [Vec<u32>],
}

#[derive(Deserialize)]
struct Stored {
    records: Vec<FileRecord>,
    sources: Vec<SourceInfo>,
    entities: Vec<Entity>,
    events: Vec<Event>,
    search: ParagraphSearch,
    finder: SourceFinder,
    events_by_entity: Vec<Vec<u32>>,
}

/// Saves `index`, built from the files `records` (one per source, in the same order).
pub fn write(
    path: &Path,
    lexicon: u64,
    index: &Index,
    records: &[FileRecord],
) -> std::io::Result<()> {
    let stored = StoredRef {
        records,
        sources: &index.sources,
        entities: &index.entities,
        events: &index.events,
        search: &index.search,
        finder: &index.finder,
        events_by_entity: &index.events_by_entity,
    };
    cache::write_snapshot(path, lexicon, stored)
}

/// Loads a saved index and the records of its files, or says why it cannot be used.
pub fn read(path: &Path, lexicon: u64) -> Result<(Index, Vec<FileRecord>), String> {
    let stored: Stored = cache::read_snapshot(path, lexicon)?;
    if stored.records.len() != stored.sources.len()
        || stored.events_by_entity.len() != stored.entities.len()
    {
        return Err("inconsistent snapshot".to_string());
    }
    let index = Index::from_parts(
        stored.sources,
        stored.entities,
        stored.events,
        stored.search,
        stored.finder,
        stored.events_by_entity,
    );
    Ok((index, stored.records))
}
