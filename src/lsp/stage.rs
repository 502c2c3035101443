//! The framing stage: the only path between the client's byte streams and tower-lsp.
//!
//! ```text
//! input ──FrameReader──▶ classify ──Lifecycle──▶ forwarded (canonical frames) ──duplex──▶ tower-lsp
//!                           │ bad frame / early request: error reply              │
//!                           ▼                                                     ▼
//!                      replies ──────────▶ one writer task ◀──── whole frames of tower-lsp's output
//!                                                  │
//!                                                  ▼ output
//! ```
//!
//! One writer owns the output, so frames never interleave; whatever was queued before the end
//! is written and flushed before [`serve`] returns. Generic over the streams so that tests can
//! run it in memory.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tower_lsp_server::{ClientSocket, LanguageServer, LspService, Server};

use super::framing::{self, Frame, FrameReader};
use super::lifecycle::{AwaitedReplies, Ending, Lifecycle, Verdict};
use super::log;
use super::message::{self, Rejection, code};

/// Room in each in-memory pipe to and from tower-lsp; writers wait when it is full.
const PIPE_BYTES: usize = 256 * 1024;
/// Frames queued for the writer before their producers wait.
const QUEUE_FRAMES: usize = 64;
/// How long the end of a session may wait for the `shutdown` reply, for tower-lsp to finish
/// what it was doing, and for the last frames to be written. The client is leaving: a
/// handler that never ends must not keep the process alive.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);
/// How long messages after `initialize` are held back waiting for its reply. Generous, since
/// `initialize` may load the corpus; past it, they go on (and tower-lsp may drop them).
const INITIALIZE_LIMIT: Duration = Duration::from_secs(120);

/// Serves one session: client bytes from `input`, server bytes to `output`, `service` behind
/// the framing stage. Returns when the client sends `exit` or closes `input`.
pub async fn serve<I, O, S>(
    input: I,
    output: O,
    service: LspService<S>,
    socket: ClientSocket,
) -> Ending
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin + Send + 'static,
    S: LanguageServer,
{
    let (to_server, server_input) = tokio::io::duplex(PIPE_BYTES);
    let (server_output, from_server) = tokio::io::duplex(PIPE_BYTES);
    let (frames, queued) = mpsc::channel(QUEUE_FRAMES);
    let mut lifecycle = Lifecycle::new();

    let writer = tokio::spawn(write_frames(queued, output));
    let carrier = tokio::spawn(carry_server_output(
        from_server,
        frames.clone(),
        lifecycle.awaited_replies(),
    ));
    let mut server = tokio::spawn(Server::new(server_input, server_output, socket).serve(service));

    let exit = relay(input, to_server, frames, &mut lifecycle, INITIALIZE_LIMIT).await;
    if let Some((mut to_server, exit)) = exit {
        // tower-lsp cancels every pending request on `exit`, the `shutdown` reply included if
        // it is still being computed: let it out first.
        if !lifecycle.awaited_replies().all_sent(DRAIN_LIMIT).await {
            log::warn("exit: the shutdown reply did not come in time");
        }
        let _ = to_server.write_all(&framing::encode(&exit)).await;
        // Dropping `to_server` here closes tower-lsp's input.
    }
    if tokio::time::timeout(DRAIN_LIMIT, &mut server)
        .await
        .is_err()
    {
        log::warn("the server did not stop in time; stopping it");
        server.abort();
    }
    // tower-lsp's output closes with it, which ends the carrier, which ends the writer.
    let _ = tokio::time::timeout(DRAIN_LIMIT, carrier).await;
    if tokio::time::timeout(DRAIN_LIMIT, writer).await.is_err() {
        log::warn("the last replies could not be written in time");
    }
    lifecycle.ending()
}

/// Reads the client's frames until `exit` or the end of input, forwarding good messages to
/// tower-lsp and answering bad ones. After `initialize`, reads on only once its reply is out
/// or `initialize_limit` has passed. On `exit`, hands back the pipe and the `exit` body, for
/// the caller to forward once the `shutdown` reply is out.
pub async fn relay<I, W>(
    input: I,
    mut to_server: W,
    replies: mpsc::Sender<Vec<u8>>,
    lifecycle: &mut Lifecycle,
    initialize_limit: Duration,
) -> Option<(W, Vec<u8>)>
where
    I: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = FrameReader::new(input);
    loop {
        let body = match reader.next_frame().await {
            Ok(Some(Frame::Body(body))) => body,
            Ok(Some(Frame::BadHeader(error))) => {
                log::warn(&format!("bad frame header: {error}"));
                let reply = message::error_reply(
                    &serde_json::Value::Null,
                    code::PARSE_ERROR,
                    &format!("Parse error: {error}"),
                );
                let _ = replies.send(framing::encode(&reply)).await;
                continue;
            }
            Ok(None) => {
                log::info("the client closed the input");
                return None;
            }
            Err(error) => {
                log::warn(&format!("cannot read the input: {error}"));
                return None;
            }
        };
        let verdict = match message::classify(&body) {
            Ok(message) => lifecycle.admit(&message),
            Err(rejection) => {
                log_rejection(&rejection);
                Verdict::Reply(rejection.reply())
            }
        };
        match verdict {
            Verdict::Forward | Verdict::ForwardThenWait => {
                if let Err(error) = to_server.write_all(&framing::encode(&body)).await {
                    log::warn(&format!("the server stopped reading: {error}"));
                    return None;
                }
                if verdict == Verdict::ForwardThenWait
                    && !lifecycle.awaited_replies().all_sent(initialize_limit).await
                {
                    log::warn("no reply to `initialize` yet; reading on");
                }
            }
            Verdict::Reply(reply) => {
                let _ = replies.send(framing::encode(&reply)).await;
            }
            Verdict::Drop => {}
            Verdict::Exit => return Some((to_server, body)),
        }
    }
}

fn log_rejection(rejection: &Rejection) {
    log::warn(&format!(
        "answered a bad message with {}: {}",
        rejection.code, rejection.message
    ));
}

/// Cuts tower-lsp's output into whole frames for the writer, noting the awaited replies.
async fn carry_server_output(
    from_server: DuplexStream,
    frames: mpsc::Sender<Vec<u8>>,
    awaited_replies: std::sync::Arc<AwaitedReplies>,
) {
    let mut reader = FrameReader::new(from_server);
    // tower-lsp writes canonical frames, so a bad header here would be a bug there; the
    // reader resynchronises either way.
    while let Ok(Some(frame)) = reader.next_frame().await {
        let Frame::Body(body) = frame else { continue };
        let frame = framing::encode(&body);
        if frames.send(frame).await.is_err() {
            return;
        }
        awaited_replies.observe(&body);
    }
}

/// The one writer of the output: frames in the order queued, flushed whenever the queue is
/// momentarily empty. Ends when every producer has gone.
async fn write_frames<O: AsyncWrite + Unpin>(mut queued: mpsc::Receiver<Vec<u8>>, mut output: O) {
    let mut broken = false;
    while let Some(frame) = queued.recv().await {
        if broken {
            continue; // Keep draining so that producers never wait on a dead client.
        }
        let mut result = output.write_all(&frame).await;
        while result.is_ok() {
            match queued.try_recv() {
                Ok(frame) => result = output.write_all(&frame).await,
                Err(_) => break,
            }
        }
        if let Err(error) = result.and(output.flush().await) {
            log::warn(&format!("cannot write to the client: {error}"));
            broken = true;
        }
    }
    let _ = output.shutdown().await;
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tokio::io::AsyncReadExt;

    use super::*;

    /// Runs `relay` over `input` with a fresh lifecycle; returns what reached the server, the
    /// replies, and whether it stopped at `exit`.
    fn run_relay(input: &[u8]) -> (Vec<u8>, Vec<Value>, bool) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let (sender, mut receiver) = mpsc::channel(1024);
            let mut lifecycle = Lifecycle::new();
            let exit = relay(input, Vec::new(), sender, &mut lifecycle, Duration::ZERO).await;
            let stopped_at_exit = exit.is_some();
            let forwarded = exit.map(|(forwarded, _)| forwarded).unwrap_or_default();
            let mut replies = Vec::new();
            while let Ok(frame) = receiver.try_recv() {
                let mut reader = FrameReader::new(frame.as_slice());
                let Some(Frame::Body(body)) = reader.next_frame().await.expect("read") else {
                    panic!("a reply is one whole frame");
                };
                replies.push(serde_json::from_slice(&body).expect("replies are JSON"));
            }
            (forwarded, replies, stopped_at_exit)
        })
    }

    fn frame(body: &str) -> Vec<u8> {
        framing::encode(body.as_bytes())
    }

    const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;
    const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

    #[test]
    fn good_frames_are_forwarded_byte_exact_and_canonical() {
        let notification = r#"{"jsonrpc":"2.0","method":"initialized","params":{ }}"#;
        let response = r#"{"jsonrpc":"2.0","id":0,"result":null}"#;
        let mut input = frame(INITIALIZE);
        input.extend(format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\nX-Other: 1\r\n\r\n{notification}",
            notification.len()
        ).bytes());
        input.extend(frame(response));
        input.extend(frame(EXIT));
        let (forwarded, replies, at_exit) = run_relay(&input);
        let mut expected = frame(INITIALIZE);
        expected.extend(frame(notification));
        expected.extend(frame(response));
        assert_eq!(
            String::from_utf8_lossy(&forwarded),
            String::from_utf8_lossy(&expected)
        );
        assert!(replies.is_empty());
        assert!(at_exit);
    }

    #[test]
    fn every_bad_frame_is_answered_and_serving_goes_on() {
        let hover = r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover"}"#;
        let bad_frames: Vec<(Vec<u8>, i64)> = vec![
            (frame("not json!"), -32700),
            (frame("[]"), -32600),
            (framing::encode(b"\xff\xfe"), -32700),
            (frame("7"), -32600),
            (frame(r#"{"jsonrpc":"2.0","id":null}"#), -32600),
            (frame(r#"{"jsonrpc":"1.0","method":"shutdown"}"#), -32600),
            (b"Content-Length: abc\r\n\r\n{}".to_vec(), -32700),
            (b"Content-Type: text/plain\r\n\r\n{}".to_vec(), -32700),
        ];
        for (bad, code) in bad_frames {
            let mut input = frame(INITIALIZE);
            input.extend(&bad);
            input.extend(frame(hover));
            input.extend(frame(EXIT));
            let (forwarded, replies, at_exit) = run_relay(&input);
            let shown = String::from_utf8_lossy(&bad);
            assert_eq!(replies.len(), 1, "{shown}");
            assert_eq!(replies[0]["error"]["code"], code, "{shown}");
            assert_eq!(replies[0]["id"], Value::Null, "{shown}");
            let mut expected = frame(INITIALIZE);
            expected.extend(frame(hover));
            assert_eq!(forwarded, expected, "{shown}");
            assert!(at_exit, "{shown}");
        }
    }

    #[test]
    fn oversize_header_and_body_are_answered_and_serving_goes_on() {
        let mut input = frame(INITIALIZE);
        input.extend(format!("X-Huge: {}\r\n\r\n", "h".repeat(framing::MAX_HEADER_BYTES)).bytes());
        input.extend(
            format!(
                "Content-Length: {}\r\n\r\n{{}}",
                framing::MAX_BODY_BYTES + 1
            )
            .bytes(),
        );
        input.extend(frame(EXIT));
        let (forwarded, replies, at_exit) = run_relay(&input);
        assert_eq!(replies.len(), 2);
        assert!(replies.iter().all(|reply| reply["error"]["code"] == -32700));
        assert_eq!(forwarded, frame(INITIALIZE));
        assert!(at_exit);
    }

    #[test]
    fn a_bad_request_with_a_readable_id_is_answered_with_it() {
        let mut input = frame(INITIALIZE);
        input.extend(frame(r#"{"jsonrpc":"2.0","id":"x","method":5}"#));
        let (_, replies, at_exit) = run_relay(&input);
        assert_eq!(replies[0]["id"], json!("x"));
        assert!(!at_exit, "the end of input ends the relay");
    }

    #[test]
    fn the_writer_keeps_frames_whole_and_in_order() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let written = runtime.block_on(async {
            let (sender, receiver) = mpsc::channel(4);
            let (output, mut client) = tokio::io::duplex(16);
            let writer = tokio::spawn(write_frames(receiver, output));
            let producer = tokio::spawn(async move {
                for n in 0..50 {
                    sender
                        .send(frame(&format!("{{\"n\":{n}}}")))
                        .await
                        .expect("send");
                }
            });
            let mut written = Vec::new();
            client.read_to_end(&mut written).await.expect("read");
            producer.await.expect("producer");
            writer.await.expect("writer");
            written
        });
        let expected: Vec<u8> = (0..50)
            .flat_map(|n| frame(&format!("{{\"n\":{n}}}")))
            .collect();
        assert_eq!(written, expected);
    }
}
