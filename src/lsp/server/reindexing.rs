//! How the server indexes: the first index (the saved one, checked after it serves), every
//! reindex after a change, their progress and their log, and the file watchers that ask
//! for them.

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::Backend;
use crate::index::Index;
use crate::indexer::{SavedFiles, UnsavedSnapshot};
use crate::lsp::capabilities;
use crate::lsp::indexing::{Start, index_workspace};
use crate::lsp::log;
use crate::lsp::state::lock;

/// How many unreadable files are listed in the client's log; the rest are counted.
const MAX_LOGGED_PROBLEMS: usize = 50;

impl Backend {
    /// Re-reads the workspace and swaps in a new index, without blocking requests.
    pub(super) async fn reindex(&self) {
        self.index(Start::Corpus).await;
    }

    /// The first index: the saved one when there is one, serving at once; the corpus is
    /// checked after, and indexed again if a file changed while the server was not running.
    pub(super) async fn first_index(&self) {
        let unchecked = self.index(Start::Saved).await;
        self.watch_corpus().await;
        let (Some(files), Some(workspace)) = (unchecked, self.state.workspace()) else {
            return;
        };
        let started = std::time::Instant::now();
        let current = tokio::task::spawn_blocking(move || files.are_current(&workspace))
            .await
            .unwrap_or(false);
        let message = if current {
            format!(
                "checked the corpus in {} ms: the saved index is current",
                started.elapsed().as_millis()
            )
        } else {
            "the corpus changed since the saved index; indexing again".to_string()
        };
        log::info(&message);
        self.client.log_message(MessageType::INFO, message).await;
        if !current {
            self.reindex().await;
        }
    }

    /// Indexes the workspace from `start` and swaps the index in; gives the files to check
    /// an index loaded unchecked by.
    async fn index(&self, start: Start) -> Option<SavedFiles> {
        let generation = self.generations.next();
        let explicit_root = self.explicit_root.clone();
        let client_root = lock(&self.state.client_root).clone();
        let client_settings = lock(&self.state.client_settings).clone();
        // Progress goes from the indexing threads through a channel to `$/progress`.
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let reporter = self.report_progress(receiver);
        let last_percent = std::sync::atomic::AtomicU32::new(u32::MAX);
        let work = tokio::task::spawn_blocking(move || {
            let progress = |done: usize, total: usize| {
                let percent = u32::try_from(done * 100 / total.max(1)).unwrap_or(100);
                if last_percent.swap(percent, std::sync::atomic::Ordering::Relaxed) != percent {
                    let _ = sender.send(percent);
                }
            };
            index_workspace(
                explicit_root.as_deref(),
                client_root.as_deref(),
                &client_settings,
                start,
                &progress,
            )
        });
        let (indexed, ()) = tokio::join!(work, reporter);
        let indexed = match indexed {
            Ok(indexed) => indexed,
            Err(error) => {
                log::warn(&format!("indexing failed: {error}"));
                self.client
                    .log_message(
                        MessageType::ERROR,
                        format!("Dossier could not index the corpus: {error}"),
                    )
                    .await;
                return None;
            }
        };
        if !self.generations.is_latest(generation) {
            return None; // a newer run is under way
        }
        if let Some(error) = &indexed.config_error {
            self.client
                .show_message(
                    MessageType::ERROR,
                    format!("Dossier: {error}; using the defaults"),
                )
                .await;
        }
        for problem in indexed.problems.iter().take(MAX_LOGGED_PROBLEMS) {
            let what = if problem.skipped {
                "skipped"
            } else {
                "warning"
            };
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("{what}: {}: {}", problem.path, problem.reason),
                )
                .await;
        }
        if indexed.problems.len() > MAX_LOGGED_PROBLEMS {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "… and {} more files with problems",
                        indexed.problems.len() - MAX_LOGGED_PROBLEMS
                    ),
                )
                .await;
        }
        if let Some(note) = &indexed.cache_note {
            log::info(note);
            self.client
                .log_message(MessageType::INFO, note.clone())
                .await;
        }
        let counts = match indexed.unchecked {
            Some(_) => "from the saved index; checking the corpus next".to_string(),
            None => format!(
                "{} read, {} unchanged",
                indexed.stats.extracted, indexed.stats.reused
            ),
        };
        let summary = format!(
            "indexed {} sources, {} entities, {} events in {} ms ({counts})",
            indexed.index.sources().len(),
            indexed.index.entities().len(),
            indexed.index.events().len(),
            indexed.millis,
        );
        self.state.set_workspace(indexed.workspace);
        let index = self.state.set_index(indexed.index);
        // The automaton that finds entities in a brief is built off the request path, so
        // that the first hover does not wait for it (diagnostics now wait only for the rest).
        let matched = Arc::clone(&index);
        tokio::task::spawn_blocking(move || {
            matched.matcher();
        });
        log::info(&summary);
        self.client.log_message(MessageType::INFO, summary).await;
        self.publish_all().await;
        if let Some(unsaved) = indexed.unsaved {
            self.save_snapshot(generation, unsaved, index).await;
        }
        indexed.unchecked
    }

    /// Writes the snapshot of the index of run `generation` in the background, unless a newer
    /// run has come by then (its index is the one to save).
    async fn save_snapshot(&self, generation: u64, unsaved: UnsavedSnapshot, index: Arc<Index>) {
        let turn = Arc::clone(&self.saving).lock_owned().await;
        let (client, generations) = (self.client.clone(), Arc::clone(&self.generations));
        tokio::spawn(async move {
            let written = tokio::task::spawn_blocking(move || {
                let _turn = turn;
                if !generations.is_latest(generation) {
                    return Ok(None);
                }
                let started = std::time::Instant::now();
                unsaved.write(&index).map(|()| Some(started.elapsed()))
            })
            .await
            .unwrap_or_else(|error| Err(format!("writing the index snapshot failed: {error}")));
            let (kind, message) = match written {
                Ok(None) => return,
                Ok(Some(took)) => (
                    MessageType::INFO,
                    format!(
                        "saved the index for the next start in {} ms",
                        took.as_millis()
                    ),
                ),
                Err(note) => (MessageType::WARNING, note),
            };
            log::info(&message);
            client.log_message(kind, message).await;
        });
    }

    /// Reports indexing progress to the client (`$/progress`), when it takes progress, until
    /// the indexing threads drop their end of the channel.
    async fn report_progress(&self, mut percents: tokio::sync::mpsc::UnboundedReceiver<u32>) {
        if !self.can_show_progress.get().copied().unwrap_or(false) {
            while percents.recv().await.is_some() {}
            return;
        }
        let token = NumberOrString::String(format!("dossier-index-{}", self.generations.latest()));
        if self
            .client
            .send_request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                token: token.clone(),
            })
            .await
            .is_err()
        {
            while percents.recv().await.is_some() {}
            return;
        }
        let progress = self
            .client
            .progress(token, "Indexing the corpus")
            .with_percentage(0)
            .begin()
            .await;
        while let Some(percent) = percents.recv().await {
            progress.report(percent).await;
        }
        progress.finish().await;
    }

    async fn watch_corpus(&self) {
        if !self.can_watch_files.get().copied().unwrap_or(false) {
            return;
        }
        let Some(workspace) = self.state.workspace() else {
            return;
        };
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: capabilities::corpus_watchers(&workspace),
        };
        let registration = Registration {
            id: "dossier-corpus".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(error) = self.client.register_capability(vec![registration]).await {
            log::warn(&format!("the client refused file watching: {error}"));
        }
    }
}
