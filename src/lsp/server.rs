//! The language server's handlers, as tower-lsp calls them. Thin: convert in, call `ide` on
//! a snapshot off the async runtime, convert out.
//!
//! Malformed frames, the exit status and requests before `initialize` are handled earlier, in
//! the framing stage (`stage.rs`), so these handlers only see well-formed messages. Edits are
//! applied before the handler's first `.await`, so they keep the client's order.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::capabilities::{self, COMMAND_REINDEX, COMMAND_TEST_PANIC};
use super::completion;
use super::convert::{source_location, to_offset, to_range};
use super::diagnostics;
use super::documents::DocumentSnapshot;
use super::indexing::Generations;
use super::log;
use super::references;
use super::state::{State, lock};
use super::symbols;
use super::turns::Turns;
use crate::config::ClientSettings;
use crate::ide::{self, Analysis};
use crate::index::Index;
use crate::text::PositionEncoding;

mod reindexing;

/// The server's state for one session.
pub struct Backend {
    /// For notifications and requests to the editor (diagnostics, log messages, …).
    pub client: Client,
    /// Negotiated at `initialize`; read through [`Backend::position_encoding`].
    position_encoding: OnceLock<PositionEncoding>,
    state: Arc<State>,
    generations: Arc<Generations>,
    /// Held by a snapshot write from before it is spawned until it is done, so that writes
    /// take turns (they share a temporary file) and `shutdown` can wait for the last one.
    saving: Arc<tokio::sync::Mutex<()>>,
    /// `--root` from the command line, which wins over the client's root.
    explicit_root: Option<PathBuf>,
    /// Whether the client lets the server register file watchers.
    can_watch_files: OnceLock<bool>,
    /// Whether the client shows work-done progress.
    can_show_progress: OnceLock<bool>,
    /// One diagnosis of a document at a time, as typing pauses.
    diagnosis_turns: Arc<Turns>,
}

impl Backend {
    pub fn new(client: Client, explicit_root: Option<PathBuf>) -> Self {
        Backend {
            client,
            position_encoding: OnceLock::new(),
            state: Arc::new(State::default()),
            generations: Arc::new(Generations::default()),
            saving: Arc::default(),
            explicit_root,
            can_watch_files: OnceLock::new(),
            can_show_progress: OnceLock::new(),
            diagnosis_turns: Arc::default(),
        }
    }

    /// The encoding of every column exchanged with the client: UTF-16 until `initialize` has
    /// chosen (tower-lsp answers every request before it with an error anyway).
    pub fn position_encoding(&self) -> PositionEncoding {
        self.position_encoding.get().copied().unwrap_or_default()
    }

    /// Runs a feature on a document's latest snapshot, on a blocking thread. A panic in the
    /// feature becomes an `InternalError` reply; the server goes on.
    async fn on_document<T: Send + 'static>(
        &self,
        uri: &Uri,
        feature: impl FnOnce(&Index, &Analysis, &DocumentSnapshot) -> T + Send + 'static,
    ) -> Result<Option<T>> {
        let Some(snapshot) = self.state.snapshot(uri) else {
            return Ok(None);
        };
        let state = Arc::clone(&self.state);
        blocking(move || {
            let index = state.index();
            let analysis = state.analysis(&snapshot);
            feature(&index, &analysis, &snapshot)
        })
        .await
        .map(Some)
    }

    /// Diagnoses a document once typing pauses.
    fn schedule_diagnostics(&self, uri: Uri) {
        let Some(version) = self.state.documents().version(&uri) else {
            return;
        };
        let (client, state, encoding) = (
            self.client.clone(),
            Arc::clone(&self.state),
            self.position_encoding(),
        );
        let turns = Arc::clone(&self.diagnosis_turns);
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            if state.documents().version(&uri) != Some(version) || !turns.start(&uri) {
                return;
            }
            loop {
                publish(client.clone(), Arc::clone(&state), uri.clone(), encoding).await;
                if !turns.go_again(&uri) {
                    break;
                }
            }
        });
    }

    /// Diagnoses every open document again (after the index changed).
    async fn publish_all(&self) {
        let uris = self.state.documents().uris();
        for uri in uris {
            publish(
                self.client.clone(),
                Arc::clone(&self.state),
                uri,
                self.position_encoding(),
            )
            .await;
        }
    }
}

/// How long typing must pause before a document is diagnosed again.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Diagnoses a document and publishes the result, unless the document changed meanwhile:
/// work for a superseded version is dropped, before and after the computation.
async fn publish(client: Client, state: Arc<State>, uri: Uri, encoding: PositionEncoding) {
    if !state.is_indexed() {
        return; // the first index diagnoses every open brief
    }
    let Some(snapshot) = state.snapshot(&uri) else {
        return;
    };
    let version = snapshot.version;
    let worker = Arc::clone(&state);
    let computed = tokio::task::spawn_blocking(move || {
        let index = worker.index();
        let analysis = worker.analysis(&snapshot);
        let report = worker.report(&snapshot, &index, &analysis);
        report
            .diagnostics
            .iter()
            .map(|found| diagnostics::to_lsp(&index, &analysis, found, encoding))
            .collect::<Vec<_>>()
    })
    .await;
    let found = match computed {
        Ok(found) => found,
        Err(error) => {
            log::warn(&format!("diagnostics failed for {}: {error}", uri.as_str()));
            return;
        }
    };
    if state.documents().version(&uri) == Some(version) {
        client.publish_diagnostics(uri, found, Some(version)).await;
    }
}

/// Runs `work` on a blocking thread; a panic becomes an `InternalError` reply.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        log::warn(&format!("a request failed: {error}"));
        let mut reply = Error::internal_error();
        reply.message =
            "Dossier hit a bug answering this request; it goes on serving (details in its log)"
                .into();
        reply
    })
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = capabilities::negotiate_encoding(&params.capabilities);
        // tower-lsp refuses a second `initialize`, so these are set once.
        let _ = self.position_encoding.set(encoding);
        let _ = self
            .can_watch_files
            .set(capabilities::can_watch_files(&params.capabilities));
        let shows_progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|window| window.work_done_progress)
            .unwrap_or(false);
        let _ = self.can_show_progress.set(shows_progress);
        *lock(&self.state.client_root) = capabilities::client_root(&params);
        if let Some(options) = params.initialization_options {
            match serde_json::from_value::<ClientSettings>(options) {
                Ok(settings) => *lock(&self.state.client_settings) = settings,
                Err(error) => {
                    let message = format!("Dossier ignores the editor's settings: {error}");
                    log::warn(&message);
                    self.client
                        .show_message(MessageType::WARNING, message)
                        .await;
                }
            }
        }
        Ok(InitializeResult {
            capabilities: capabilities::server_capabilities(encoding),
            server_info: Some(ServerInfo {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let message = format!(
            "dossier {} ready (positions in {})",
            env!("CARGO_PKG_VERSION"),
            capabilities::encoding_kind(self.position_encoding()).as_str()
        );
        log::info(&message);
        self.client.log_message(MessageType::INFO, message).await;
        self.first_index().await;
    }

    async fn shutdown(&self) -> Result<()> {
        log::info("shutdown requested");
        // A snapshot being written is finished first: without it the next start would read
        // the whole corpus again.
        drop(self.saving.lock().await);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        self.state
            .documents()
            .open(document.uri.clone(), document.version, &document.text);
        // A brief opened after indexing is diagnosed now, not only at its first edit.
        self.schedule_diagnostics(document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let applied = self.state.documents().change(
            &uri,
            params.text_document.version,
            params.content_changes,
            self.position_encoding(),
        );
        match applied {
            Ok(()) => self.schedule_diagnostics(uri),
            Err(error) => log::warn(&format!("edit not applied: {error}")),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.state.forget(&params.text_document.uri);
        // A closed brief keeps no findings in the editor's problems list.
        self.client
            .publish_diagnostics(params.text_document.uri, Vec::new(), None)
            .await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.reindex().await;
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            COMMAND_REINDEX => {
                self.reindex().await;
                let index = self.state.index();
                Ok(Some(Value::from(format!(
                    "indexed {} sources",
                    index.sources().len()
                ))))
            }
            COMMAND_TEST_PANIC if capabilities::test_commands_enabled() => {
                blocking(|| -> Option<LSPAny> { panic!("dossier.test.panic: a panic on purpose") })
                    .await
            }
            other => Err(Error::invalid_params(format!("unknown command {other}"))),
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let encoding = self.position_encoding();
        let found = self
            .on_document(&position.text_document.uri, move |index, analysis, _| {
                let offset =
                    to_offset(&analysis.lines, &analysis.text, position.position, encoding);
                ide::hover::hover(index, analysis, offset).map(|hover| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: hover.markdown,
                    }),
                    range: Some(to_range(
                        &analysis.lines,
                        &analysis.text,
                        hover.range,
                        encoding,
                    )),
                })
            })
            .await?;
        Ok(found.flatten())
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let encoding = self.position_encoding();
        let found = self
            .on_document(&position.text_document.uri, move |index, analysis, _| {
                let offset =
                    to_offset(&analysis.lines, &analysis.text, position.position, encoding);
                let locations: Vec<Location> = ide::goto::definition(index, analysis, offset)
                    .iter()
                    .filter_map(|target| source_location(index, target, encoding))
                    .collect();
                (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
            })
            .await?;
        Ok(found.flatten())
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let token = params.partial_result_params.partial_result_token;
        // In pieces, a list has no limit; in one reply, it has one.
        let most = match token {
            Some(_) => usize::MAX,
            None => references::MOST_IN_ONE_REPLY,
        };
        let encoding = self.position_encoding();
        let state = Arc::clone(&self.state);
        let open = self.state.documents().all_snapshots();
        let found = self
            .on_document(&position.text_document.uri, move |index, analysis, _| {
                let offset =
                    to_offset(&analysis.lines, &analysis.text, position.position, encoding);
                let subject = ide::references::subject_at(index, analysis, offset)?;
                // The briefs' places first: they are never left out.
                let mut locations = Vec::new();
                for snapshot in &open {
                    let other = state.analysis(snapshot);
                    for range in ide::references::in_brief(index, &other, &subject) {
                        locations.push(Location {
                            uri: snapshot.uri.clone(),
                            range: to_range(&other.lines, &other.text, range, encoding),
                        });
                    }
                }
                let (corpus, total) = ide::references::in_corpus(index, &subject, most);
                locations.extend(
                    corpus
                        .iter()
                        .filter_map(|target| source_location(index, target, encoding)),
                );
                Some((locations, corpus.len(), total - corpus.len()))
            })
            .await?;
        let Some((locations, shown, left_out)) = found.flatten() else {
            return Ok(None);
        };
        match token {
            Some(token) => {
                references::send_in_pieces(&self.client, token, locations).await;
                Ok(Some(Vec::new()))
            }
            None => {
                if left_out > 0 {
                    references::say_left_out(&self.client, shown, left_out).await;
                }
                Ok(Some(locations))
            }
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let encoding = self.position_encoding();
        let found = self
            .on_document(&position.text_document.uri, move |index, analysis, _| {
                let offset =
                    to_offset(&analysis.lines, &analysis.text, position.position, encoding);
                let list = ide::completion::completion(index, analysis, offset)?;
                Some(CompletionResponse::List(completion::to_lsp(
                    analysis, list, encoding,
                )))
            })
            .await?;
        Ok(found.flatten())
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let encoding = self.position_encoding();
        let state = Arc::clone(&self.state);
        let uri = params.text_document.uri.clone();
        let found = self
            .on_document(&params.text_document.uri, move |index, analysis, _| {
                // With every quick fix, those that search the corpus too: made now, when the
                // editor asks, rather than on every keystroke.
                let report = ide::diagnostics::check(
                    index,
                    analysis,
                    &state.settings(),
                    &state.passages(index),
                );
                let start = to_offset(
                    &analysis.lines,
                    &analysis.text,
                    params.range.start,
                    encoding,
                );
                let end = to_offset(&analysis.lines, &analysis.text, params.range.end, encoding);
                diagnostics::code_actions(
                    &uri,
                    index,
                    analysis,
                    &report.diagnostics,
                    start..end,
                    encoding,
                )
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect::<Vec<_>>()
            })
            .await?;
        Ok(found.filter(|actions| !actions.is_empty()))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let encoding = self.position_encoding();
        let found = self
            .on_document(&params.text_document.uri, move |_, analysis, _| {
                let outline = ide::symbols::document_symbols(analysis);
                DocumentSymbolResponse::Nested(symbols::outline(analysis, &outline, encoding))
            })
            .await?;
        Ok(found)
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let encoding = self.position_encoding();
        let index = self.state.index();
        let found = blocking(move || {
            let symbols = ide::symbols::workspace_symbols(&index, &params.query);
            WorkspaceSymbolResponse::Nested(symbols::workspace(&index, &symbols, encoding))
        })
        .await?;
        Ok(Some(found))
    }
}
