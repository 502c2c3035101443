//! From the workspace to an index: list the corpus's files, reuse every source whose file is
//! unchanged (from the previous build in memory, or from the on-disk cache), read and extract
//! only the others, in parallel, then build the index and write the cache back.
//!
//! Both the server (at start, and on every change of the corpus) and the command line use
//! it, so that a start after a change re-reads only the changed files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::corpus::keys::assign_keys;
use crate::corpus::load::{list_files, read_source};
use crate::corpus::{LoadProblem, Source, load_bundled};
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extraction, extract};
use crate::index::Index;
use crate::index::cache::{self, Entry, EntryRef, file_state};
use crate::workspace::Workspace;

/// What was read for one source, kept beside the index (in the same order as its sources)
/// so that the next build can reuse it.
#[derive(Debug, Clone)]
pub struct Known {
    pub file: PathBuf,
    pub size: u64,
    pub modified: u128,
    pub warnings: Vec<String>,
    pub extraction: Extraction,
}

/// A build's result.
pub struct Built {
    pub index: Index,
    /// One per source of `index`, in the same order.
    pub known: Vec<Known>,
    pub problems: Vec<LoadProblem>,
    pub stats: Stats,
    /// Why the on-disk cache was not used or not written, for the log.
    pub cache_note: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    /// Sources reused unchanged.
    pub reused: usize,
    /// Sources read and extracted.
    pub extracted: usize,
    /// Bytes of text read and extracted.
    pub bytes: u64,
}

/// Builds the index of `workspace`. `previous` is the last build's index and its `known`,
/// reused where files did not change; without it, the on-disk cache is read. `progress` is
/// told how many files of how many are done.
pub fn build(
    workspace: &Workspace,
    previous: Option<(&Index, &[Known])>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Built {
    let lexicon = Lexicon::build(&workspace.config.entities);
    if workspace.uses_bundled_corpus() {
        let sources = load_bundled().sources;
        let stats = Stats {
            files: sources.len(),
            extracted: sources.len(),
            bytes: sources.iter().map(|s| s.text.len() as u64).sum(),
            reused: 0,
        };
        let extractions: Vec<Extraction> = sources.iter().map(|s| extract(s, &lexicon)).collect();
        let known = extractions
            .iter()
            .zip(&sources)
            .map(|(extraction, source)| Known {
                file: PathBuf::from(&source.path),
                size: source.text.len() as u64,
                modified: 0,
                warnings: Vec::new(),
                extraction: extraction.clone(),
            })
            .collect();
        return Built {
            index: Index::from_extractions(sources, &extractions),
            known,
            problems: Vec::new(),
            stats,
            cache_note: None,
        };
    }

    let lexicon_hash = cache::lexicon_hash(&workspace.config.entities);
    let cache_path = workspace
        .config
        .cache
        .enabled
        .then(|| cache_file(workspace));
    let mut cache_note = None;
    // What can be reused: the previous build's sources, or the cache's.
    let mut reusable: HashMap<PathBuf, (Source, Known)> = HashMap::new();
    match previous {
        Some((index, known)) => {
            for (source, known) in index.sources().iter().zip(known) {
                reusable.insert(known.file.clone(), (source.clone(), known.clone()));
            }
        }
        None => {
            if let Some(path) = &cache_path {
                match cache::read(path, lexicon_hash) {
                    Ok(entries) => {
                        for (file, entry) in entries {
                            let Entry {
                                size,
                                modified,
                                warnings,
                                source,
                                extraction,
                                ..
                            } = entry;
                            reusable.insert(
                                file.clone(),
                                (
                                    source,
                                    Known {
                                        file,
                                        size,
                                        modified,
                                        warnings,
                                        extraction,
                                    },
                                ),
                            );
                        }
                    }
                    Err(reason) if path.exists() => {
                        cache_note = Some(format!(
                            "index cache {} discarded ({reason}); rebuilding",
                            path.display()
                        ));
                    }
                    Err(_) => {}
                }
            }
        }
    }

    let mut problems = Vec::new();
    let files = list_files(
        &workspace.root,
        &workspace.config.corpus.paths,
        &mut problems,
    );
    let total = files.len();
    let done = AtomicUsize::new(0);
    let results: Vec<Result<(Source, Known, bool), LoadProblem>> = files
        .par_iter()
        .map(|file| {
            let result = read_or_reuse(&workspace.root, file, &reusable, &lexicon);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            result
        })
        .collect();

    let mut stats = Stats {
        files: total,
        ..Stats::default()
    };
    let mut sources = Vec::with_capacity(results.len());
    let mut known = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((source, entry, reused)) => {
                if reused {
                    stats.reused += 1;
                } else {
                    stats.extracted += 1;
                    stats.bytes += source.text.len() as u64;
                }
                problems.extend(entry.warnings.iter().map(|reason| LoadProblem {
                    path: source.path.clone(),
                    reason: reason.clone(),
                    skipped: false,
                }));
                sources.push(source);
                known.push(entry);
            }
            Err(problem) => problems.push(problem),
        }
    }
    for (index, reason) in assign_keys(&mut sources) {
        problems.push(LoadProblem {
            path: sources[index].path.clone(),
            reason,
            skipped: false,
        });
    }

    // Written when something changed, or when there is no good cache on disk yet.
    let changed = stats.extracted > 0 || reusable.len() != known.len();
    let cache_fresh = cache_path.as_ref().is_some_and(|p| p.exists()) && cache_note.is_none();
    if let Some(path) = cache_path.filter(|_| changed || !cache_fresh) {
        let entries: Vec<EntryRef> = sources
            .iter()
            .zip(&known)
            .map(|(source, known)| EntryRef {
                file: &known.file,
                size: known.size,
                modified: known.modified,
                warnings: &known.warnings,
                source,
                extraction: &known.extraction,
            })
            .collect();
        if let Err(error) = cache::write(&path, &entries, lexicon_hash) {
            cache_note = Some(format!(
                "index cache {} not written: {error}",
                path.display()
            ));
        }
    }
    let extractions: Vec<Extraction> = known.iter().map(|k| k.extraction.clone()).collect();
    Built {
        index: Index::from_extractions(sources, &extractions),
        known,
        problems,
        stats,
        cache_note,
    }
}

/// The cache file of a workspace.
pub fn cache_file(workspace: &Workspace) -> PathBuf {
    workspace
        .root
        .join(&workspace.config.cache.dir)
        .join(cache::FILE_NAME)
}

/// A source reused when its file's size and modification time are those it was read with;
/// else read and extracted. The flag says whether it was reused.
fn read_or_reuse(
    root: &Path,
    file: &Path,
    reusable: &HashMap<PathBuf, (Source, Known)>,
    lexicon: &Lexicon,
) -> Result<(Source, Known, bool), LoadProblem> {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let state = file_state(&absolute);
    if let (Some((size, modified)), Some((source, known))) = (state, reusable.get(&absolute))
        && known.size == size
        && known.modified == modified
    {
        return Ok((source.clone(), known.clone(), true));
    }
    let (source, warnings) = read_source(root, file)?;
    let (size, modified) = state.unwrap_or((source.text.len() as u64, 0));
    let extraction = extract(&source, lexicon);
    Ok((
        source,
        Known {
            file: absolute,
            size,
            modified,
            warnings,
            extraction,
        },
        false,
    ))
}
