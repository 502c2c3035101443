//! The index saved whole, with the state of every file it was built from: a start where no
//! file changed loads it instead of reading and merging the corpus again. The entity
//! automaton and the lookup tables are made again on load; they are quick to make and would
//! be large to store.
//!
//! Each part of the index is a section of its own, so that the parts are read, checked and
//! decoded in parallel (the lookup tables of the sources and of the entities are made in
//! the same tasks); they are encoded one after the other, each straight into the file, so
//! that writing never holds a second copy of the index. The largest parts, runs of
//! fixed-size records (mentions, events, postings, events by entity), go from the file
//! straight into their vectors a buffer at a time: a copy of each whole section in memory
//! before decoding it cost a start at 100k sources a third of its time in page faults.

use std::fmt;
use std::io::Write;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

use super::cache::{self, FileRecord, Snapshot};
use super::packed::{self, Fixed};
use super::{Entity, EntityTable, Events, Index, ParagraphSearch, SourceFinder, SourceTable};

/// The sections, in the order they are written. The largest runs of records (mentions,
/// events, postings, events by entity) are sections of their own, read straight into their
/// vectors.
const RECORDS: usize = 0;
const SOURCES: usize = 1;
const ENTITIES: usize = 2;
const MENTION_COUNTS: usize = 3;
const MENTIONS: usize = 4;
const EVENTS: usize = 5;
const EVENT_LIST: usize = 6;
const EVENTS_BY_ENTITY_COUNTS: usize = 7;
const EVENTS_BY_ENTITY: usize = 8;
const SEARCH: usize = 9;
const POSTINGS: usize = 10;
const FINDER: usize = 11;

/// Saves `index`, built from the files `records` (one per source, in the same order).
pub fn write(
    path: &Path,
    lexicon: u64,
    index: &Index,
    records: &[FileRecord],
) -> std::io::Result<()> {
    let mentions = || {
        index
            .entities
            .iter()
            .map(|entity| entity.mentions.as_slice())
    };
    let events_by_entity = || index.events_by_entity.iter().map(Vec::as_slice);
    let sections: [cache::SectionWriter; 12] = [
        &|out| cache::encode_into(out, &records),
        &|out| cache::encode_into(out, &index.sources),
        &|out| cache::encode_into(out, &index.entities),
        &|out| write_lengths(out, mentions()),
        &|out| packed::write_records(out, mentions()),
        &|out| cache::encode_into(out, &index.events),
        &|out| packed::write_records(out, [index.events.list()]),
        &|out| write_lengths(out, events_by_entity()),
        &|out| packed::write_records(out, events_by_entity()),
        &|out| cache::encode_into(out, &index.search),
        &|out| packed::write_records(out, [index.search.postings()]),
        &|out| cache::encode_into(out, &index.finder),
    ];
    cache::write_snapshot(path, lexicon, &sections)
}

/// Loads a saved index and the records of its files, or says why it cannot be used.
pub fn read(path: &Path, lexicon: u64) -> Result<(Index, Vec<FileRecord>), String> {
    let snapshot = Snapshot::open(path, lexicon)?;
    let mut records: Result<Vec<FileRecord>, String> = Err(String::new());
    let mut sources: Result<SourceTable, String> = Err(String::new());
    let mut entities: Result<EntityTable, String> = Err(String::new());
    let mut events: Result<Events, String> = Err(String::new());
    let mut events_by_entity: Result<Vec<Vec<u32>>, String> = Err(String::new());
    let mut search: Result<ParagraphSearch, String> = Err(String::new());
    let mut finder: Result<SourceFinder, String> = Err(String::new());
    // Spawned largest first: an idle thread steals the oldest task, the busy one runs the
    // newest, so the two cores finish together.
    rayon::scope(|scope| {
        let snapshot = &snapshot;
        scope.spawn(|_| entities = read_entities(snapshot).map(EntityTable::new));
        scope.spawn(|_| search = read_search(snapshot));
        scope.spawn(|_| events = read_events(snapshot));
        scope.spawn(|_| {
            sources = snapshot
                .section(SOURCES)
                .map(|Presized(sources)| SourceTable::new(sources));
        });
        scope.spawn(|_| {
            events_by_entity = read_lists(snapshot, EVENTS_BY_ENTITY_COUNTS, EVENTS_BY_ENTITY)
        });
        scope.spawn(|_| records = snapshot.section(RECORDS).map(|Presized(records)| records));
        scope.spawn(|_| finder = snapshot.section(FINDER));
    });
    let (records, sources, entities) = (records?, sources?, entities?);
    let events_by_entity = events_by_entity?;
    if records.len() != sources.sources.len() || events_by_entity.len() != entities.entities.len() {
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

fn read_entities(snapshot: &Snapshot) -> Result<Vec<Entity>, String> {
    let mut entities: Vec<Entity> = snapshot.section(ENTITIES)?;
    let mentions = read_lists(snapshot, MENTION_COUNTS, MENTIONS)?;
    if mentions.len() != entities.len() {
        return Err("inconsistent snapshot".to_string());
    }
    for (entity, mentions) in entities.iter_mut().zip(mentions) {
        entity.mentions = mentions;
    }
    Ok(entities)
}

fn read_events(snapshot: &Snapshot) -> Result<Events, String> {
    let mut events: Events = snapshot.section(EVENTS)?;
    events.list = snapshot.records(EVENT_LIST)?;
    if events.is_whole() {
        Ok(events)
    } else {
        Err("an event's date is missing".to_string())
    }
}

fn read_search(snapshot: &Snapshot) -> Result<ParagraphSearch, String> {
    let mut search: ParagraphSearch = snapshot.section(SEARCH)?;
    search.set_postings(snapshot.records(POSTINGS)?);
    Ok(search)
}

/// Writes the length of each list, as a run of records.
fn write_lengths<'a, T: Fixed + 'a>(
    out: &mut dyn Write,
    lists: impl Iterator<Item = &'a [T]>,
) -> std::io::Result<()> {
    let lengths: Vec<u32> = lists
        .map(|list| u32::try_from(list.len()).map_err(std::io::Error::other))
        .collect::<Result<_, _>>()?;
    packed::write_records(out, [lengths.as_slice()])
}

/// Reads the lists whose lengths are section `lengths` and whose records are section
/// `records`.
fn read_lists<T: Fixed>(
    snapshot: &Snapshot,
    lengths: usize,
    records: usize,
) -> Result<Vec<Vec<T>>, String> {
    let lengths: Vec<u32> = snapshot.records(lengths)?;
    snapshot.record_lists(records, &lengths)
}

/// A list decoded with room for all its items from the start: serde's `Vec` starts from a
/// cautious guess and grows, copying 100k sources several times on the way.
struct Presized<T>(Vec<T>);

/// The most items reserved ahead: a damaged length cannot ask for more.
const MOST_RESERVED: usize = 1 << 20;

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Presized<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(PresizedItems(PhantomData))
    }
}

struct PresizedItems<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PresizedItems<T> {
    type Value = Presized<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Presized<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MOST_RESERVED));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Presized(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::lexicon::Lexicon;
    use crate::index::export;
    use crate::index::fixtures::linked_sources;

    fn record(n: usize) -> FileRecord {
        FileRecord {
            file: format!("/corpus/s{n}.txt").into(),
            size: n as u64,
            modified: 1_700_000_000_000_000_000 + n as u128,
            warnings: vec![format!("warning {n}")],
        }
    }

    #[test]
    fn a_saved_index_loads_back_whole() {
        let sources = linked_sources();
        let records: Vec<FileRecord> = (0..sources.len()).map(record).collect();
        let index = Index::build(sources, Lexicon::built_in());
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.snapshot");
        write(&path, 7, &index, &records).expect("written");

        let (loaded, loaded_records) = read(&path, 7).expect("loads");
        assert_eq!(loaded_records, records);
        assert_eq!(
            loaded.sources(),
            index.sources(),
            "keys, metadata, paragraphs"
        );
        let json = |index: &Index| serde_json::to_string(&export::document(index)).expect("json");
        assert_eq!(json(&loaded), json(&index), "entities, mentions, events");
        assert!(json(&index).contains("\"mentions\""));
        assert_eq!(loaded.events_by_entity, index.events_by_entity);
        assert!(index.events_by_entity.iter().any(|events| events.len() > 1));
        for query in ["putin tehran", "gazprom", "caspian sea"] {
            let hits = index.search().search(query, 10);
            assert!(!hits.is_empty(), "{query}");
            assert_eq!(loaded.search().search(query, 10), hits, "{query}");
        }
        assert_eq!(
            loaded.source_index("kim2022"),
            index.source_index("kim2022")
        );
        assert_eq!(
            loaded.entity("vladimir-putin").map(|e| &e.name),
            index.entity("vladimir-putin").map(|e| &e.name)
        );

        assert!(read(&path, 8).is_err(), "another lexicon's snapshot");
    }

    #[test]
    fn a_list_section_whose_lengths_do_not_add_up_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lists.snapshot");
        let lists: Vec<Vec<u32>> = vec![vec![1, 2], vec![], vec![3]];
        let lists = || lists.iter().map(Vec::as_slice);
        let wrong: [u32; 2] = [2, 2];
        let sections: [cache::SectionWriter; 3] = [
            &|out| write_lengths(out, lists()),
            &|out| packed::write_records(out, lists()),
            &|out| packed::write_records(out, [wrong.as_slice()]),
        ];
        cache::write_snapshot(&path, 0, &sections).expect("written");
        let snapshot = Snapshot::open(&path, 0).expect("opens");
        let read: Vec<Vec<u32>> = read_lists(&snapshot, 0, 1).expect("reads");
        assert_eq!(read, vec![vec![1, 2], vec![], vec![3]]);
        let refused = read_lists::<u32>(&snapshot, 2, 1).map(|_| ());
        assert_eq!(refused, Err("inconsistent snapshot".to_string()));
    }
}
