//! The server's state: open documents, the index snapshot, and each document's analysis at
//! its latest version. Locks are std mutexes held for a few lines, never across an `.await`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tower_lsp_server::ls_types::Uri;

use super::documents::{DocumentSnapshot, Documents};
use crate::config::ClientSettings;
use crate::ide::Analysis;
use crate::ide::diagnostics::{self, Passages, Report};
use crate::index::Index;
use crate::workspace::Workspace;

#[derive(Default)]
pub struct State {
    documents: Mutex<Documents>,
    index: RwLock<Arc<Index>>,
    analyses: Mutex<HashMap<Uri, (i32, Arc<Analysis>)>>,
    /// Each document's diagnostics at a version, against one index (by its id).
    reports: Mutex<HashMap<Uri, CachedReport>>,
    /// What the checks read of the corpus, kept across edits for one index (by its id).
    passages: Mutex<Option<(u64, Arc<Passages>)>>,
    /// The workspace found at `initialize`: its root and `dossier.toml`.
    workspace: Mutex<Option<Workspace>>,
    /// Whether the first index is in: before it, every key would look unknown, so nothing
    /// is diagnosed.
    indexed: std::sync::atomic::AtomicBool,
    /// Where the client said the workspace is, to find `dossier.toml` from.
    pub client_root: Mutex<Option<PathBuf>>,
    /// The editor's settings (`initializationOptions`), laid over `dossier.toml`.
    pub client_settings: Mutex<ClientSettings>,
}

/// A report, the document version and the index (by its id) it was made for.
type CachedReport = (i32, u64, Arc<Report>);

/// Locks a mutex; a panic elsewhere that poisoned it does not stop the server.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    pub fn documents(&self) -> MutexGuard<'_, Documents> {
        lock(&self.documents)
    }

    /// The current index: requests clone the `Arc` and never wait for indexing.
    pub fn index(&self) -> Arc<Index> {
        match self.index.read() {
            Ok(index) => Arc::clone(&index),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn is_indexed(&self) -> bool {
        self.indexed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Swaps in a new index, whole.
    /// Swaps in `index`, which requests answer from at once; gives it back shared.
    pub fn set_index(&self, index: Index) -> Arc<Index> {
        self.indexed
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let index = Arc::new(index);
        match self.index.write() {
            Ok(mut slot) => *slot = Arc::clone(&index),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&index),
        }
        index
    }

    pub fn workspace(&self) -> Option<Workspace> {
        lock(&self.workspace).clone()
    }

    pub fn set_workspace(&self, workspace: Workspace) {
        *lock(&self.workspace) = Some(workspace);
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Arc<DocumentSnapshot>> {
        self.documents().snapshot(uri)
    }

    /// The analysis of a snapshot, reused while the document is at that version. Call it off
    /// the async runtime: a first analysis parses the brief.
    pub fn analysis(&self, snapshot: &DocumentSnapshot) -> Arc<Analysis> {
        let earlier = lock(&self.analyses).get(&snapshot.uri).cloned();
        if let Some((version, analysis)) = &earlier
            && *version == snapshot.version
        {
            return Arc::clone(analysis);
        }
        let earlier = earlier.map(|(_, analysis)| analysis);
        let analysis = Arc::new(Analysis::after(snapshot.text.clone(), earlier.as_deref()));
        let mut analyses = lock(&self.analyses);
        // A slower analysis of an older version must not replace a newer one.
        let newer_kept = analyses
            .get(&snapshot.uri)
            .is_some_and(|(version, _)| *version > snapshot.version);
        if !newer_kept {
            analyses.insert(
                snapshot.uri.clone(),
                (snapshot.version, Arc::clone(&analysis)),
            );
        }
        analysis
    }

    /// The analyst's severities, as `dossier.toml` and the editor set them.
    pub fn settings(&self) -> crate::config::DiagnosticsConfig {
        self.workspace()
            .map(|w| w.config.diagnostics)
            .unwrap_or_default()
    }

    /// The diagnostics of a snapshot against `index`, computed once per version and index.
    /// Call it off the async runtime.
    pub fn report(
        &self,
        snapshot: &DocumentSnapshot,
        index: &Index,
        analysis: &Analysis,
    ) -> Arc<Report> {
        let index_id = index.id();
        if let Some((version, id, report)) = lock(&self.reports).get(&snapshot.uri)
            && *version == snapshot.version
            && *id == index_id
        {
            return Arc::clone(report);
        }
        let report = Arc::new(diagnostics::check_quickly(
            index,
            analysis,
            &self.settings(),
            &self.passages(index),
        ));
        lock(&self.reports).insert(
            snapshot.uri.clone(),
            (snapshot.version, index_id, Arc::clone(&report)),
        );
        report
    }

    /// The corpus paragraphs read by checks against `index`; a new index starts afresh.
    pub fn passages(&self, index: &Index) -> Arc<Passages> {
        let index_id = index.id();
        let mut slot = lock(&self.passages);
        match &*slot {
            Some((id, passages)) if *id == index_id => Arc::clone(passages),
            _ => {
                let passages = Arc::new(Passages::default());
                *slot = Some((index_id, Arc::clone(&passages)));
                passages
            }
        }
    }

    pub fn forget(&self, uri: &Uri) {
        self.documents().close(uri);
        lock(&self.analyses).remove(uri);
        lock(&self.reports).remove(uri);
    }
}
