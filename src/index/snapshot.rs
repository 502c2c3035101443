//! The index saved whole, with the state of every file it was built from: a start where no
//! file changed loads it instead of reading and merging the corpus again. The entity
//! automaton and the lookup tables are made again on load; they are quick to make and would
//! be large to store.
//!
//! Each part of the index is a section of its own, so that the parts are read, checked and
//! decoded in parallel; they are encoded one after the other, each straight into the file,
//! so that writing never holds a second copy of the index.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cache::{self, FileRecord, Snapshot};
use super::{Entity, Events, Index, ParagraphSearch, SourceFinder, SourceInfo};

/// The sections, in the order they are written.
const RECORDS: usize = 0;
const SOURCES: usize = 1;
const ENTITIES: usize = 2;
const EVENTS: usize = 3;
const EVENTS_BY_ENTITY: usize = 4;
const SEARCH: usize = 5;
const FINDER: usize = 6;

/// Saves `index`, built from the files `records` (one per source, in the same order).
pub fn write(
    path: &Path,
    lexicon: u64,
    index: &Index,
    records: &[FileRecord],
) -> std::io::Result<()> {
    let sections: [cache::SectionWriter; 7] = [
        &|out| cache::encode_into(out, &records),
        &|out| cache::encode_into(out, &index.sources),
        &|out| cache::encode_into(out, &index.entities),
        &|out| cache::encode_into(out, &index.events),
        &|out| cache::encode_into(out, &Lists::new(&index.events_by_entity)),
        &|out| cache::encode_into(out, &index.search),
        &|out| cache::encode_into(out, &index.finder),
    ];
    cache::write_snapshot(path, lexicon, &sections)
}

/// Loads a saved index and the records of its files, or says why it cannot be used.
pub fn read(path: &Path, lexicon: u64) -> Result<(Index, Vec<FileRecord>), String> {
    let snapshot = Snapshot::open(path, lexicon)?;
    let mut records: Result<Vec<FileRecord>, String> = Err(String::new());
    let mut sources: Result<Vec<SourceInfo>, String> = Err(String::new());
    let mut entities: Result<Vec<Entity>, String> = Err(String::new());
    let mut events: Result<Events, String> = Err(String::new());
    let mut events_by_entity: Result<Vec<Vec<u32>>, String> = Err(String::new());
    let mut search: Result<ParagraphSearch, String> = Err(String::new());
    let mut finder: Result<SourceFinder, String> = Err(String::new());
    // Spawned largest first: an idle thread steals the oldest task, the busy one runs the
    // newest, so the two cores finish together.
    rayon::scope(|scope| {
        let snapshot = &snapshot;
        scope.spawn(|_| entities = snapshot.section(ENTITIES));
        scope.spawn(|_| {
            events = snapshot.section::<Events>(EVENTS).and_then(|events| {
                if events.is_whole() {
                    Ok(events)
                } else {
                    Err("an event's date is missing".to_string())
                }
            });
        });
        scope.spawn(|_| search = snapshot.section(SEARCH));
        scope.spawn(|_| sources = snapshot.section(SOURCES));
        scope.spawn(|_| records = snapshot.section(RECORDS));
        scope.spawn(|_| finder = snapshot.section(FINDER));
        scope.spawn(|_| {
            events_by_entity = snapshot
                .section::<Lists>(EVENTS_BY_ENTITY)
                .and_then(|lists| lists.lists().ok_or("inconsistent snapshot".into()));
        });
    });
    let (records, sources, entities) = (records?, sources?, entities?);
    let events_by_entity = events_by_entity?;
    if records.len() != sources.len() || events_by_entity.len() != entities.len() {
        return Err("inconsistent snapshot".to_string());
    }
    let index = Index::from_parts(
        sources,
        entities,
        events?,
        search?,
        finder?,
        events_by_entity,
    );
    Ok((index, records))
}

/// Lists of numbers stored as their lengths and their concatenation, both packed.
#[derive(Serialize, Deserialize)]
struct Lists {
    #[serde(with = "super::packed")]
    lengths: Vec<u32>,
    #[serde(with = "super::packed")]
    values: Vec<u32>,
}

impl Lists {
    fn new(lists: &[Vec<u32>]) -> Lists {
        Lists {
            lengths: lists.iter().map(|list| list.len() as u32).collect(),
            values: lists.concat(),
        }
    }

    /// The lists, or `None` when the lengths do not add up to the values.
    fn lists(self) -> Option<Vec<Vec<u32>>> {
        let mut rest = self.values.as_slice();
        let mut lists = Vec::with_capacity(self.lengths.len());
        for length in self.lengths {
            let (list, after) = rest.split_at_checked(length as usize)?;
            lists.push(list.to_vec());
            rest = after;
        }
        rest.is_empty().then_some(lists)
    }
}
