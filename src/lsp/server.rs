//! The language server's handlers, as tower-lsp calls them. Thin: lifecycle only for now;
//! features convert in, call `ide`, convert out.
//!
//! Malformed frames, the exit status and requests before `initialize` are handled earlier, in
//! the framing stage (`stage.rs`), so these handlers only see well-formed messages.

use std::sync::OnceLock;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    InitializeParams, InitializeResult, InitializedParams, MessageType, ServerInfo,
};
use tower_lsp_server::{Client, LanguageServer};

use super::capabilities;
use super::log;
use crate::text::PositionEncoding;

/// The server's state for one session.
pub struct Backend {
    /// For notifications and requests to the editor (diagnostics, log messages, …).
    pub client: Client,
    /// Negotiated at `initialize`; read through [`Backend::position_encoding`].
    position_encoding: OnceLock<PositionEncoding>,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            position_encoding: OnceLock::new(),
        }
    }

    /// The encoding of every column exchanged with the client: UTF-16 until `initialize` has
    /// chosen (tower-lsp answers every request before it with an error anyway).
    pub fn position_encoding(&self) -> PositionEncoding {
        self.position_encoding.get().copied().unwrap_or_default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = capabilities::negotiate_encoding(&params.capabilities);
        // tower-lsp refuses a second `initialize`, so this is set once.
        let _ = self.position_encoding.set(encoding);
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
    }

    async fn shutdown(&self) -> Result<()> {
        log::info("shutdown requested");
        Ok(())
    }
}
