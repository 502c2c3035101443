//! From the workspace to an index. A start where no file changed loads the index saved by
//! the last build (`index.snapshot`); otherwise every file is read, but only the changed ones
//! are extracted (the others' extractions come from `index.cache`, written back as they go),
//! in parallel, and the index is built; its snapshot is the caller's to write
//! ([`UnsavedSnapshot`]), so that a server answers before it is written.
//!
//! Both the server (at start, and on every change of the corpus) and the command line use
//! it, so that a start after a change extracts only the changed files.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::corpus::keys::assign_keys;
use crate::corpus::load::{FileState, is_plain_path, list_files_with_states, read_source_at};
use crate::corpus::{LoadProblem, Source, load_bundled};
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extraction, extract};
use crate::index::cache::{self, CacheWriter, CachedEntries, FileRecord, encode_entry};
use crate::index::search::runs_of_about;
use crate::index::{Index, IndexBuilder, snapshot};
use crate::workspace::Workspace;

/// A build's result.
pub struct Built {
    pub index: Index,
    pub problems: Vec<LoadProblem>,
    pub stats: Stats,
    /// Why an on-disk cache was not used or not written, for the log.
    pub cache_note: Option<String>,
    /// The index to save for the next start, when it was built rather than loaded (and the
    /// cache is on): the caller writes it once the index serves.
    pub unsaved: Option<UnsavedSnapshot>,
}

/// A built index's snapshot, not written yet: the server answers from the new index first
/// and writes it after (a second or more at 100k sources), the command line before it exits.
pub struct UnsavedSnapshot {
    path: PathBuf,
    lexicon_hash: u64,
    records: Vec<FileRecord>,
}

impl UnsavedSnapshot {
    /// Saves `index`, the index built with this, as the workspace's snapshot; says why not.
    pub fn write(self, index: &Index) -> Result<(), String> {
        snapshot::write(&self.path, self.lexicon_hash, index, &self.records).map_err(|error| {
            format!(
                "index snapshot {} not written: {error}",
                self.path.display()
            )
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    /// Sources whose extraction was reused.
    pub reused: usize,
    /// Sources read and extracted.
    pub extracted: usize,
    /// Bytes of text read and extracted.
    pub bytes: u64,
    /// Whether the saved index was loaded as it was (no file changed).
    pub from_snapshot: bool,
}

/// Builds the index of `workspace`, reusing what the on-disk caches hold for files that did
/// not change. `progress` is told how many files of how many are done.
pub fn build(workspace: &Workspace, progress: &(dyn Fn(usize, usize) + Sync)) -> Built {
    build_with(workspace, progress, true)
}

/// Builds the index again after a change to the corpus: as [`build`], but without decoding
/// the saved index first, which a change has already made stale.
pub fn rebuild(workspace: &Workspace, progress: &(dyn Fn(usize, usize) + Sync)) -> Built {
    build_with(workspace, progress, false)
}

fn build_with(
    workspace: &Workspace,
    progress: &(dyn Fn(usize, usize) + Sync),
    try_snapshot: bool,
) -> Built {
    // The gazetteer alone (no `[[entity]]` tables, the usual case) is built once a process
    // and kept: a server's build after each change finds it built and indexed, and no build
    // takes it apart at its end, which cost a fifth of building it.
    let configured;
    let lexicon = if workspace.config.entities.is_empty() {
        Lexicon::built_in()
    } else {
        configured = Lexicon::build(&workspace.config.entities);
        &configured
    };
    if workspace.uses_bundled_corpus() {
        let sources = load_bundled().sources;
        let stats = Stats {
            files: sources.len(),
            extracted: sources.len(),
            bytes: sources.iter().map(|s| s.text.len() as u64).sum(),
            ..Stats::default()
        };
        return Built {
            index: Index::build(sources, lexicon),
            problems: Vec::new(),
            stats,
            cache_note: None,
            unsaved: None,
        };
    }

    let lexicon_hash = cache::lexicon_hash(&workspace.config.entities);
    let cache_enabled = workspace.config.cache.enabled;
    let mut problems = Vec::new();
    let snapshot_path = snapshot_file(workspace);
    let tries_snapshot = cache_enabled && try_snapshot;
    // The lexicon's index of forms is built on first use: built while the corpus is listed
    // rather than with every core waiting on the first extraction (not when a saved index
    // may serve, which never needs it).
    let ((files, absolute, states), ()) = rayon::join(
        || corpus_files(workspace, &mut problems),
        || {
            if !(tries_snapshot && snapshot_path.exists()) {
                lexicon.prepare();
            }
        },
    );
    let total = files.len();
    let mut cache_note = None;
    let mut discarded = |path: &Path, reason: String| {
        if path.exists() {
            cache_note = Some(format!(
                "index cache {} discarded ({reason}); rebuilding",
                path.display()
            ));
        }
    };

    if tries_snapshot {
        match snapshot::read(&snapshot_path, lexicon_hash) {
            Ok((index, records)) if all_current(&records, &absolute, &states) => {
                progress(total, total);
                problems.extend(warnings(&index, &records));
                return Built {
                    stats: snapshot_stats(&index),
                    index,
                    problems,
                    cache_note,
                    unsaved: None,
                };
            }
            Ok(_) => {}
            Err(reason) => discarded(&snapshot_path, reason),
        }
    }

    let cache_path = cache_file(workspace);
    let reusable = if cache_enabled {
        CachedEntries::read(&cache_path, lexicon_hash).unwrap_or_else(|reason| {
            discarded(&cache_path, reason);
            CachedEntries::default()
        })
    } else {
        CachedEntries::default()
    };
    let not_written = |error: std::io::Error| {
        format!("index cache {} not written: {error}", cache_path.display())
    };
    let mut cache = None;
    if cache_enabled {
        match CacheWriter::create(&cache_path, lexicon_hash) {
            Ok(writer) => cache = Some(writer),
            Err(error) => cache_note = Some(not_written(error)),
        }
    }

    let gathered = read_in_batches(
        workspace,
        (&files, &absolute, &states),
        &reusable,
        lexicon,
        cache,
        progress,
    );
    drop(reusable);
    let Gathered {
        builder,
        records,
        cache,
        stats,
        problems: read_problems,
    } = gathered;
    problems.extend(read_problems);
    // The cache's last write and its fsync wait on the disk: beside the index's final merge,
    // in which the sources get their keys.
    let ((index, key_problems), cache_written) = std::thread::scope(|scope| {
        let written =
            scope.spawn(|| cache.and_then(|writer| writer.map_or(Ok(()), CacheWriter::finish)));
        let index = builder.finish_keyed(assign_keys);
        let written = written
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the cache writer panicked")));
        (index, written)
    });
    for (number, reason) in key_problems {
        problems.push(LoadProblem {
            path: index.sources()[number].path.clone(),
            reason,
            skipped: false,
        });
    }
    if let Err(error) = cache_written {
        cache_note = Some(not_written(error));
    }
    Built {
        index,
        problems,
        stats,
        cache_note,
        unsaved: cache_enabled.then_some(UnsavedSnapshot {
            path: snapshot_path,
            lexicon_hash,
            records,
        }),
    }
}

/// The index saved by the last build, loaded without listing or `stat`-ing the corpus: a
/// server answers from it at once and checks the files after, with
/// [`SavedFiles::are_current`]. None when the workspace has no usable snapshot (then
/// [`build`] says why).
pub fn load_saved(workspace: &Workspace) -> Option<(Built, SavedFiles)> {
    if workspace.uses_bundled_corpus() || !workspace.config.cache.enabled {
        return None;
    }
    let lexicon_hash = cache::lexicon_hash(&workspace.config.entities);
    let (index, records) = snapshot::read(&snapshot_file(workspace), lexicon_hash).ok()?;
    let built = Built {
        stats: snapshot_stats(&index),
        problems: warnings(&index, &records).collect(),
        index,
        cache_note: None,
        unsaved: None,
    };
    Some((built, SavedFiles { records }))
}

/// The files a saved index was built from, each in the state it was read in.
pub struct SavedFiles {
    records: Vec<FileRecord>,
}

impl SavedFiles {
    /// Whether the corpus is still exactly these files, each unchanged. A listing that met
    /// problems counts as a change, so that the build that follows reports them.
    pub fn are_current(&self, workspace: &Workspace) -> bool {
        let mut problems = Vec::new();
        let (_, absolute, states) = corpus_files(workspace, &mut problems);
        problems.is_empty() && all_current(&self.records, &absolute, &states)
    }
}

fn snapshot_stats(index: &Index) -> Stats {
    let files = index.sources().len();
    Stats {
        files,
        reused: files,
        from_snapshot: true,
        ..Stats::default()
    }
}

/// The corpus files of a workspace in their sorted order: as given, as absolute paths, and
/// their states before reading.
fn corpus_files(
    workspace: &Workspace,
    problems: &mut Vec<LoadProblem>,
) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Option<FileState>>) {
    let listed = list_files_with_states(&workspace.root, &workspace.config.corpus.paths, problems);
    let (files, states): (Vec<PathBuf>, Vec<Option<FileState>>) = listed.into_iter().unzip();
    let absolute = files.iter().map(|file| absolute_path(file)).collect();
    (files, absolute, states)
}

/// `file` as `std::path::absolute` makes it (or as given, where it cannot). A listed file is
/// most often absolute already, with nothing to normalise: then it is its own copy, where
/// `absolute` rebuilt it a component at a time, regrowing it at each.
fn absolute_path(file: &Path) -> PathBuf {
    let bytes = file.as_os_str().as_encoded_bytes();
    if cfg!(unix) && bytes.len() > 1 && bytes.starts_with(b"/") && is_plain_path(bytes) {
        return file.to_path_buf();
    }
    std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf())
}

/// Whether the saved index was built from exactly these files, each as it is now (`states`).
/// Both lists are in the corpus's sorted order.
fn all_current(records: &[FileRecord], files: &[PathBuf], states: &[Option<FileState>]) -> bool {
    records.len() == files.len()
        && records
            .iter()
            .zip(files)
            .zip(states)
            .all(|((record, file), state)| record.file == *file && record.is_current(*state))
}

/// The read warnings of a saved index's files, as a build reports them.
fn warnings<'a>(
    index: &'a Index,
    records: &'a [FileRecord],
) -> impl Iterator<Item = LoadProblem> + 'a {
    index
        .sources()
        .iter()
        .zip(records)
        .flat_map(|(source, record)| {
            record.warnings.iter().map(|reason| LoadProblem {
                path: source.path.clone(),
                reason: reason.clone(),
                skipped: false,
            })
        })
}

/// The snapshot file of a workspace.
pub fn snapshot_file(workspace: &Workspace) -> PathBuf {
    workspace
        .root
        .join(&workspace.config.cache.dir)
        .join(cache::SNAPSHOT_FILE_NAME)
}

/// The cache file of a workspace.
pub fn cache_file(workspace: &Workspace) -> PathBuf {
    workspace
        .root
        .join(&workspace.config.cache.dir)
        .join(cache::FILE_NAME)
}

/// Text read at once before the batch is added to the search and let go: enough for every
/// core to stay busy, small beside a large corpus. Two batches are alive at a time (one
/// extracted while the other is indexed).
const BATCH_BYTES: usize = 8 << 20;

/// What the reading of the corpus gathered, its texts already let go.
struct Gathered {
    builder: IndexBuilder,
    records: Vec<FileRecord>,
    /// The new cache file, when the cache is on, or why it could not be written.
    cache: std::io::Result<Option<CacheWriter>>,
    stats: Stats,
    problems: Vec<LoadProblem>,
}

/// Reads and extracts `files` (as given, and absolute) a batch at a time, each batch in
/// parallel; each batch goes into the index being built while the next is read, so that
/// the build never holds more than two batches' texts and extractions.
fn read_in_batches(
    workspace: &Workspace,
    (files, absolute, states): (&[PathBuf], &[PathBuf], &[Option<FileState>]),
    reusable: &CachedEntries,
    lexicon: &Lexicon,
    cache: Option<CacheWriter>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Gathered {
    let mut gathered = Gathered {
        builder: IndexBuilder::default(),
        records: Vec::with_capacity(files.len()),
        cache: Ok(cache),
        stats: Stats {
            files: files.len(),
            ..Stats::default()
        },
        problems: Vec::new(),
    };
    let done = AtomicUsize::new(0);
    // A batch is read and extracted while the one before goes into the index and its cache
    // entries into the cache file, so that both cores stay busy through the build's stages.
    let mut ready: Option<Kept> = None;
    for batch in batches(states, BATCH_BYTES) {
        let caching = matches!(gathered.cache, Ok(Some(_)));
        let builder = &mut gathered.builder;
        let cache = &mut gathered.cache;
        let (results, ()) = rayon::join(
            || {
                batch
                    .into_par_iter()
                    .map(|number| {
                        let file = (files[number].as_path(), absolute[number].as_path());
                        let state = states[number];
                        let result =
                            read_and_extract(&workspace.root, file, state, reusable, lexicon)
                                .map(|read| read.with_entry(caching));
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
                        result
                    })
                    .collect::<Vec<_>>()
            },
            || {
                if let Some(kept) = ready.take() {
                    kept.add_to(builder, cache);
                }
            },
        );
        ready = Some(gathered.keep(results));
    }
    if let Some(kept) = ready {
        kept.add_to(&mut gathered.builder, &mut gathered.cache);
    }
    gathered
}

/// A batch read: its sources and their extractions for the index, and the cache entries
/// to write.
struct Kept {
    sources: Vec<Source>,
    extractions: Vec<Extraction>,
    entries: Vec<Vec<u8>>,
}

impl Kept {
    /// Adds the batch to the index, and its entries to the cache file while it can be
    /// written.
    fn add_to(self, builder: &mut IndexBuilder, cache: &mut std::io::Result<Option<CacheWriter>>) {
        builder.add(self.sources, self.extractions);
        for entry in &self.entries {
            if let Ok(Some(writer)) = cache
                && let Err(error) = writer.push(entry)
            {
                *cache = Err(error);
            }
        }
    }
}

impl Gathered {
    /// Keeps what reading a batch says (records, counts, problems) and gives back its
    /// sources, their extractions and their cache entries, for the index and the cache.
    fn keep(&mut self, results: Vec<Result<Read, LoadProblem>>) -> Kept {
        let mut kept = Kept {
            sources: Vec::with_capacity(results.len()),
            extractions: Vec::with_capacity(results.len()),
            entries: Vec::with_capacity(results.len()),
        };
        for result in results {
            match result {
                Ok(read) => {
                    self.note(&read);
                    kept.entries.extend(read.encoded);
                    kept.sources.push(read.source);
                    self.records.push(read.record);
                    kept.extractions.push(read.extraction);
                }
                Err(problem) => self.problems.push(problem),
            }
        }
        kept
    }

    /// Counts a file read, and keeps its read warnings.
    fn note(&mut self, read: &Read) {
        if read.reused {
            self.stats.reused += 1;
        } else {
            self.stats.extracted += 1;
            self.stats.bytes += read.source.text.len() as u64;
        }
        self.problems
            .extend(read.record.warnings.iter().map(|reason| LoadProblem {
                path: read.source.path.clone(),
                reason: reason.clone(),
                skipped: false,
            }));
    }
}

/// Consecutive ranges of files with about `bytes` of text each (by their sizes on disk).
fn batches(states: &[Option<FileState>], bytes: usize) -> Vec<Range<usize>> {
    let sizes = states.iter().map(|state| {
        state.map_or(0, |(length, _)| {
            usize::try_from(length).unwrap_or(usize::MAX)
        })
    });
    runs_of_about(sizes, bytes)
}

/// One file read: its source, the record of the state it was read in, and its
/// extraction, reused from the cache when the file did not change since.
struct Read {
    source: Source,
    record: FileRecord,
    extraction: Extraction,
    reused: bool,
    /// The cache's entry for the file, when the cache is on.
    encoded: Option<Vec<u8>>,
}

impl Read {
    /// With its cache entry encoded, if the cache is on. An entry that cannot be encoded is
    /// left out: its file is extracted again next time.
    fn with_entry(mut self, cache_enabled: bool) -> Read {
        if cache_enabled && self.encoded.is_none() {
            self.encoded = encode_entry(&self.record, &self.extraction).ok();
        }
        self
    }
}

/// Reads `(file, its absolute path)`, whose size and modification time were `state`
/// before reading.
fn read_and_extract(
    root: &Path,
    (file, absolute): (&Path, &Path),
    state: Option<FileState>,
    reusable: &CachedEntries,
    lexicon: &Lexicon,
) -> Result<Read, LoadProblem> {
    let (source, warnings) = read_source_at(root, file, absolute.to_path_buf())?;
    if let Some(entry) = reusable.current(absolute, state)
        && let Some(extraction) = entry.extraction()
    {
        return Ok(Read {
            source,
            record: entry.record.clone(),
            extraction,
            reused: true,
            encoded: Some(entry.encoded.to_vec()),
        });
    }
    let (size, modified) = state.unwrap_or((source.text.len() as u64, 0));
    let (extraction, failure) = guarded(|| extract(&source, lexicon));
    let mut warnings = warnings;
    warnings.extend(failure);
    Ok(Read {
        source,
        record: FileRecord {
            file: absolute.to_path_buf(),
            size,
            modified,
            warnings,
        },
        extraction,
        reused: false,
        encoded: None,
    })
}

/// The extraction `extract` makes, or, should it panic (a bug in Dossier), none and a
/// warning: one source must not stop the whole corpus from being indexed.
fn guarded(extract: impl FnOnce() -> Extraction) -> (Extraction, Option<String>) {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(extract)) {
        Ok(extraction) => (extraction, None),
        Err(_) => (
            Extraction::default(),
            Some(
                "Dossier hit a bug reading this source's entities and events; it is indexed \
                 without them (details in the log)"
                    .to_string(),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_listed_path_is_made_absolute_as_std_makes_it(
            path in "(/|\\./|\\.\\./)?([a.]{1,3}/{1,2}){0,3}[a.]{0,3}/?",
        ) {
            let path = Path::new(&path);
            let expected = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            proptest::prop_assert_eq!(absolute_path(path), expected);
        }
    }

    #[test]
    fn an_extraction_that_panics_leaves_the_source_without_entities_and_a_warning() {
        let (extraction, warning) = guarded(|| panic!("a bug"));
        assert_eq!(extraction, Extraction::default());
        assert!(warning.is_some_and(|w| w.contains("bug")));
        let fine = Extraction::default();
        assert_eq!(guarded(|| fine.clone()), (fine, None));
    }
}
