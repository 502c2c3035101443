//! `dossier lsp`: the language server on stdin and stdout.
//!
//! ```text
//! stdin ──stage (framing.rs, message.rs, lifecycle.rs)──▶ tower-lsp ──▶ server.rs (Backend)
//!   ▲ error replies to bad frames,                              │
//!   │ -32002 before `initialize`                                ▼
//! stdout ◀──────────────── one writer task ◀──────────── tower-lsp's output
//! ```
//!
//! tower-lsp-server 0.23 ends at its first malformed frame and gets the exit status wrong, so
//! it never touches stdio itself: our framing stage reads every frame, forwards only messages
//! it is sure tower-lsp can decode, and owns the lifecycle's exit status. Logs go to stderr.

pub mod capabilities;
mod completion;
pub mod convert;
pub mod diagnostics;
pub mod documents;
pub mod framing;
pub mod indexing;
pub mod lifecycle;
mod log;
pub mod message;
mod references;
pub mod server;
pub mod stage;
pub mod state;
mod symbols;
mod turns;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use tower_lsp_server::LspService;

use self::server::Backend;

/// Runs the server until the client sends `exit` or closes stdin. The status follows the
/// specification: 0 when a `shutdown` request came first, 1 otherwise.
pub fn run(root: Option<PathBuf>) -> ExitCode {
    // One thread for the protocol: the work that matters (indexing, diagnostics, answers)
    // runs on blocking threads, and glibc's malloc gives each thread that encodes replies an
    // arena of its own, which keeps what the thread freed.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            log::warn(&format!("cannot start the async runtime: {error}"));
            return ExitCode::from(1);
        }
    };
    log::info(&format!("dossier {} on stdio", env!("CARGO_PKG_VERSION")));
    let ending = runtime.block_on(async {
        let (service, socket) = LspService::new(|client| Backend::new(client, root));
        stage::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await
    });
    // tokio reads stdin on a blocking thread that cannot be interrupted: after `exit` the
    // client may keep stdin open, so do not wait for that read.
    runtime.shutdown_timeout(Duration::from_millis(100));
    let status = ending.exit_status();
    log::info(&format!("exiting with status {status}"));
    ExitCode::from(status)
}
