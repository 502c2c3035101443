//! What the server offers the client and what it takes from the client's capabilities:
//! the position encoding, negotiated once at `initialize`.

use std::path::PathBuf;

use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, ExecuteCommandOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, OneOf, PositionEncodingKind, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
};

use crate::text::PositionEncoding;
use crate::workspace::Workspace;

/// Rebuilds the index from the corpus (`workspace/executeCommand`).
pub const COMMAND_REINDEX: &str = "dossier.reindex";
/// Panics inside a request, to test the panic boundary; only with
/// `DOSSIER_TEST_COMMANDS=1` in the server's environment.
pub const COMMAND_TEST_PANIC: &str = "dossier.test.panic";

pub fn test_commands_enabled() -> bool {
    std::env::var_os("DOSSIER_TEST_COMMANDS").is_some_and(|v| v == "1")
}

/// Whether the client lets the server register file watchers as it goes.
pub fn can_watch_files(client: &ClientCapabilities) -> bool {
    client
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
}

/// The folder the client opened: its first workspace folder, else its root URI.
pub fn client_root(params: &InitializeParams) -> Option<PathBuf> {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri);
    #[allow(deprecated)] // older clients send only `rootUri`
    let uri = from_folders.or(params.root_uri.as_ref())?;
    uri.to_file_path().map(|path| path.into_owned())
}

/// Watchers for the corpus's files and for `dossier.toml`.
pub fn corpus_watchers(workspace: &Workspace) -> Vec<FileSystemWatcher> {
    let root = workspace.root.to_string_lossy().replace('\\', "/");
    let mut patterns = vec![format!("{root}/dossier.toml")];
    for path in &workspace.config.corpus.paths {
        let base = workspace
            .root
            .join(path)
            .to_string_lossy()
            .replace('\\', "/");
        patterns.push(format!("{base}/**/*.{{txt,md,markdown}}"));
        patterns.push(base);
    }
    patterns
        .into_iter()
        .map(|pattern| FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern),
            kind: None,
        })
        .collect()
}

/// UTF-8 when the client offers it (no counting of UTF-16 units), else the LSP default,
/// UTF-16, which every client must support.
pub fn negotiate_encoding(client: &ClientCapabilities) -> PositionEncoding {
    let offered = client
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_deref())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

/// The capabilities announced in the `initialize` result. Each feature adds its provider here.
pub fn server_capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            // `[@` and `@` open a key, `,` a locator; the rest is asked again as the user
            // types (lists are incomplete when the server ranks).
            trigger_characters: Some(vec![
                "@".to_string(),
                "[".to_string(),
                ",".to_string(),
                " ".to_string(),
            ]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![COMMAND_REINDEX.to_string()],
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::GeneralClientCapabilities;

    use super::*;

    fn offering(encodings: Option<Vec<PositionEncodingKind>>) -> ClientCapabilities {
        ClientCapabilities {
            general: Some(GeneralClientCapabilities {
                position_encodings: encodings,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn utf8_only_when_offered() {
        use PositionEncodingKind as Kind;
        let negotiate = |capabilities: &ClientCapabilities| negotiate_encoding(capabilities);
        assert_eq!(
            negotiate(&ClientCapabilities::default()),
            PositionEncoding::Utf16
        );
        assert_eq!(negotiate(&offering(None)), PositionEncoding::Utf16);
        assert_eq!(
            negotiate(&offering(Some(vec![Kind::UTF16]))),
            PositionEncoding::Utf16
        );
        assert_eq!(
            negotiate(&offering(Some(vec![Kind::UTF32]))),
            PositionEncoding::Utf16
        );
        assert_eq!(
            negotiate(&offering(Some(vec![Kind::UTF16, Kind::UTF8]))),
            PositionEncoding::Utf8
        );
    }
}
