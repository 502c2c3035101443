//! Building the index for the server, off the request path: the workspace is found from the
//! client's root, the corpus loaded and extracted on a blocking thread, and the new index
//! swapped in whole. Requests meanwhile answer from the previous index.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::config::ClientSettings;
use crate::corpus::LoadProblem;
use crate::index::Index;
use crate::indexer::{self, SavedFiles, Stats, UnsavedSnapshot};
use crate::workspace::Workspace;

/// The outcome of one indexing run, for the log.
pub struct Indexed {
    pub index: Index,
    pub workspace: Workspace,
    pub problems: Vec<LoadProblem>,
    /// A `dossier.toml` that could not be read: the server goes on with the defaults.
    pub config_error: Option<String>,
    /// Why the on-disk cache was not used or not written.
    pub cache_note: Option<String>,
    pub stats: Stats,
    pub millis: u128,
    /// For an index loaded from the snapshot without looking at the corpus: the files to
    /// check it by, once it serves.
    pub unchecked: Option<SavedFiles>,
    /// For an index built rather than loaded: its snapshot, to write once it serves.
    pub unsaved: Option<UnsavedSnapshot>,
}

/// Where an indexing run starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// From the saved index as it is, when there is one: the server's first run, which
    /// answers at once and checks the corpus after.
    Saved,
    /// From the corpus, reusing the extractions of unchanged files: a run for a change, which
    /// has made the saved index stale.
    Corpus,
}

/// Finds the workspace (the `--root` given, else the nearest `dossier.toml` above the
/// client's root) and builds its index, extracting only what changed since the on-disk
/// cache was written, or loads the saved index unchecked (`Start::Saved`). Blocking: call
/// it on a blocking thread.
pub fn index_workspace(
    explicit_root: Option<&Path>,
    client_root: Option<&Path>,
    client_settings: &ClientSettings,
    start_from: Start,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Indexed {
    let started = Instant::now();
    let start = client_root
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let (workspace, config_error) = match Workspace::open(explicit_root, &start) {
        Ok(workspace) => (workspace, None),
        Err(error) => (
            Workspace {
                root: explicit_root.map_or(start.clone(), Path::to_path_buf),
                config_file: None,
                config: Default::default(),
            },
            Some(error.to_string()),
        ),
    };
    let workspace = Workspace {
        config: workspace.config.with_client_settings(client_settings),
        ..workspace
    };
    let (built, unchecked) = match start_from {
        Start::Saved => match indexer::load_saved(&workspace) {
            Some((built, files)) => (built, Some(files)),
            None => (indexer::build(&workspace, progress), None),
        },
        Start::Corpus => (indexer::rebuild(&workspace, progress), None),
    };
    Indexed {
        index: built.index,
        workspace,
        problems: built.problems,
        config_error,
        cache_note: built.cache_note,
        stats: built.stats,
        millis: started.elapsed().as_millis(),
        unchecked,
        unsaved: built.unsaved,
    }
}

/// Numbers indexing runs, so that a slow run finishing after a newer one does not win.
#[derive(Default)]
pub struct Generations {
    latest: AtomicU64,
}

impl Generations {
    pub fn next(&self) -> u64 {
        self.latest.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::SeqCst)
    }

    pub fn is_latest(&self, generation: u64) -> bool {
        self.latest.load(Ordering::SeqCst) == generation
    }
}
