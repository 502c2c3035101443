//! The LSP lifecycle as the framing stage enforces it, outside tower-lsp: which messages reach
//! the server before `initialize`, whether `shutdown` came (the exit status), and when `exit`
//! may end the process (after the `shutdown` reply has gone out).
//!
//! tower-lsp-server 0.23 gets five of these wrong, measured: it exits 0 after `exit` without
//! `shutdown`; it answers an unknown method before `initialize` with -32601 instead of -32002,
//! and after `shutdown` with -32601 instead of -32600;
//! it never answers a request whose unknown method starts with `$/`; and it drops whatever
//! arrives while `initialize` runs (its `Initializing` state is never set), so a client that
//! sends `initialized` without waiting for the `initialize` reply would lose it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;

use super::message::{Message, code, error_reply};

/// What the framing stage does with one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Pass it to tower-lsp.
    Forward,
    /// Pass it to tower-lsp, then forward nothing more until its reply has gone out
    /// (`initialize`: tower-lsp drops what arrives while it runs).
    ForwardThenWait,
    /// Answer it directly with this body; tower-lsp never sees it.
    Reply(Vec<u8>),
    /// Ignore it (a notification before `initialize`, as the specification asks).
    Drop,
    /// The `exit` notification: stop reading and end the process.
    Exit,
}

/// How the session ended, and so the process's exit status (LSP: 0 after `shutdown`, else 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    pub shutdown_received: bool,
}

impl Ending {
    pub fn exit_status(self) -> u8 {
        if self.shutdown_received { 0 } else { 1 }
    }
}

#[derive(Debug, Default)]
pub struct Lifecycle {
    initialize_seen: bool,
    shutdown_received: bool,
    awaited: Arc<AwaitedReplies>,
}

impl Lifecycle {
    pub fn new() -> Self {
        Lifecycle::default()
    }

    /// The replies the stage waits for (`initialize`, `shutdown`). Shared with the task that
    /// carries the server's output, which reports them.
    pub fn awaited_replies(&self) -> Arc<AwaitedReplies> {
        Arc::clone(&self.awaited)
    }

    pub fn ending(&self) -> Ending {
        Ending {
            shutdown_received: self.shutdown_received,
        }
    }

    pub fn admit(&mut self, message: &Message) -> Verdict {
        match message {
            Message::Notification { method } if method == "exit" => Verdict::Exit,
            Message::Notification { .. } if !self.initialize_seen => Verdict::Drop,
            Message::Notification { .. } | Message::Response => Verdict::Forward,
            Message::Request { id, method } => self.admit_request(id, method),
        }
    }

    fn admit_request(&mut self, id: &Value, method: &str) -> Verdict {
        if self.shutdown_received && self.initialize_seen {
            // tower-lsp does this for its own methods only; unknown ones would get -32601.
            return Verdict::Reply(error_reply(
                id,
                code::INVALID_REQUEST,
                "the server is shutting down: only `exit` is accepted",
            ));
        }
        if method == "shutdown" {
            // "Received" is what the specification's exit status asks about, even when the
            // server answers it with an error (before `initialize`, say).
            self.shutdown_received = true;
        }
        if method == "initialize" {
            // A second `initialize` is tower-lsp's to refuse (-32600).
            let first = !self.initialize_seen;
            self.initialize_seen = true;
            if first {
                self.awaited.expect(id.clone());
                return Verdict::ForwardThenWait;
            }
            return Verdict::Forward;
        }
        if !self.initialize_seen {
            return Verdict::Reply(error_reply(
                id,
                code::SERVER_NOT_INITIALIZED,
                "the server is not initialized: send `initialize` first",
            ));
        }
        if method.starts_with("$/") {
            // No `$/` request is implemented; tower-lsp would leave it unanswered.
            return Verdict::Reply(error_reply(
                id,
                code::METHOD_NOT_FOUND,
                &format!("method not found: {method}"),
            ));
        }
        if method == "shutdown" {
            self.awaited.expect(id.clone());
        }
        Verdict::Forward
    }
}

/// The ids of requests (`initialize`, `shutdown`) whose replies have not yet left for the
/// client.
#[derive(Debug, Default)]
pub struct AwaitedReplies {
    awaited: Mutex<Vec<Value>>,
    answered: Notify,
}

impl AwaitedReplies {
    fn expect(&self, id: Value) {
        self.lock().push(id);
    }

    /// Called with every body the server sends; cheap unless a reply is awaited.
    pub fn observe(&self, body: &[u8]) {
        let mut awaited = self.lock();
        if awaited.is_empty() {
            return;
        }
        let Ok(reply) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        if reply.get("method").is_some() {
            return;
        }
        if let Some(id) = reply.get("id") {
            let before = awaited.len();
            awaited.retain(|awaited| awaited != id);
            if awaited.len() != before {
                self.answered.notify_one();
            }
        }
    }

    /// Waits until every awaited reply has been passed on, or `limit` has passed.
    pub async fn all_sent(&self, limit: Duration) -> bool {
        let waiting = async {
            while !self.lock().is_empty() {
                self.answered.notified().await;
            }
        };
        tokio::time::timeout(limit, waiting).await.is_ok()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Value>> {
        // The list stays consistent even if a holder panicked: recover it.
        self.awaited.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn request(id: i64, method: &str) -> Message {
        Message::Request {
            id: json!(id),
            method: method.into(),
        }
    }

    fn notification(method: &str) -> Message {
        Message::Notification {
            method: method.into(),
        }
    }

    fn reply_code(verdict: Verdict) -> i64 {
        let Verdict::Reply(body) = verdict else {
            panic!("expected a reply, got {verdict:?}");
        };
        let reply: Value = serde_json::from_slice(&body).expect("json");
        reply["error"]["code"].as_i64().expect("a code")
    }

    #[test]
    fn before_initialize_requests_get_32002_and_notifications_are_dropped() {
        let mut lifecycle = Lifecycle::new();
        assert_eq!(
            reply_code(lifecycle.admit(&request(1, "textDocument/hover"))),
            -32002
        );
        assert_eq!(reply_code(lifecycle.admit(&request(2, "no/such"))), -32002);
        assert_eq!(lifecycle.admit(&notification("initialized")), Verdict::Drop);
        assert_eq!(
            lifecycle.admit(&request(3, "initialize")),
            Verdict::ForwardThenWait
        );
        assert_eq!(lifecycle.admit(&request(9, "initialize")), Verdict::Forward);
        assert_eq!(lifecycle.admit(&request(4, "no/such")), Verdict::Forward);
        assert_eq!(
            lifecycle.admit(&notification("initialized")),
            Verdict::Forward
        );
        assert_eq!(lifecycle.admit(&Message::Response), Verdict::Forward);
    }

    #[test]
    fn dollar_requests_get_32601_and_dollar_notifications_pass() {
        let mut lifecycle = Lifecycle::new();
        lifecycle.admit(&request(1, "initialize"));
        assert_eq!(
            reply_code(lifecycle.admit(&request(2, "$/unknown"))),
            -32601
        );
        assert_eq!(
            lifecycle.admit(&notification("$/cancelRequest")),
            Verdict::Forward
        );
    }

    #[test]
    fn exit_status_follows_shutdown() {
        let mut lifecycle = Lifecycle::new();
        assert_eq!(lifecycle.admit(&notification("exit")), Verdict::Exit);
        assert_eq!(lifecycle.ending().exit_status(), 1);
        lifecycle.admit(&request(1, "initialize"));
        assert_eq!(lifecycle.admit(&request(2, "shutdown")), Verdict::Forward);
        assert_eq!(lifecycle.ending().exit_status(), 0);
        assert_eq!(reply_code(lifecycle.admit(&request(3, "no/such"))), -32600);
        assert_eq!(reply_code(lifecycle.admit(&request(4, "shutdown"))), -32600);
        assert_eq!(lifecycle.admit(&notification("exit")), Verdict::Exit);
    }

    #[test]
    fn initialize_and_shutdown_replies_are_tracked_by_id() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut lifecycle = Lifecycle::new();
        lifecycle.admit(&request(1, "initialize"));
        let replies = lifecycle.awaited_replies();
        let short = Duration::from_millis(20);
        assert!(!runtime.block_on(replies.all_sent(short)));
        replies.observe(br#"{"jsonrpc":"2.0","id":1,"result":{}}"#);
        assert!(runtime.block_on(replies.all_sent(short)));
        lifecycle.admit(&request(7, "shutdown"));
        assert!(!runtime.block_on(replies.all_sent(short)));
        replies.observe(br#"{"jsonrpc":"2.0","id":6,"result":null}"#);
        replies.observe(br#"{"jsonrpc":"2.0","method":"window/logMessage","id":7}"#);
        assert!(!runtime.block_on(replies.all_sent(short)));
        replies.observe(br#"{"jsonrpc":"2.0","id":7,"result":null}"#);
        assert!(runtime.block_on(replies.all_sent(short)));
    }
}
