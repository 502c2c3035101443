//! A seeded, bounded mutator against the real binary: a recorded normal session (initialize,
//! didOpen, didChange, hover, completion, shutdown) is damaged — byte flips, truncation,
//! header damage, reordered, duplicated and dropped frames — and fed to a fresh `dossier lsp`.
//! The process must never die by a signal or a panic (stdin closed: status 0 or 1), and when
//! the damage kept the frames whole it must still answer a final request.

mod common;

use std::time::Instant;

use common::LspClient;
use serde_json::{Value, json};

const SEED: u64 = 0x0D05_51E4_2025_0009;
const ITERATIONS: usize = 200;
const FINAL_ID: i64 = 424_242;

/// xorshift64*: fixed, dependency-free, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn recorded_session() -> Vec<Vec<u8>> {
    let uri = "file:///tmp/dossier-fuzz/brief.md";
    let text = "# Brief\n\nPutin visited Tehran in July 2022 [@berman2023, para. 1].\n";
    let messages: Vec<Value> = vec![
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
               {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
               "textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 0},
                                             "end": {"line": 2, "character": 5}}, "text": "Iran "}]}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params":
               {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 12}}}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/completion", "params":
               {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 40}}}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}),
    ];
    messages
        .iter()
        .map(|m| frame(m.to_string().as_bytes()))
        .collect()
}

/// Damage done to the whole stream once the frames are arranged.
enum TailDamage {
    Flip,
    Truncate,
}

/// Applies one to three mutations; returns the bytes and whether the frames stayed whole.
fn mutate(rng: &mut Rng, session: &[Vec<u8>]) -> (Vec<u8>, bool, Vec<&'static str>) {
    let mut frames: Vec<Vec<u8>> = session.to_vec();
    let mut whole = true;
    let mut applied = Vec::new();
    let mut tail_damage: Vec<TailDamage> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        match rng.below(7) {
            0 => {
                applied.push("reorder");
                let (a, b) = (rng.below(frames.len()), rng.below(frames.len()));
                frames.swap(a, b);
            }
            1 => {
                applied.push("duplicate");
                let at = rng.below(frames.len());
                let copy = frames[at].clone();
                frames.insert(rng.below(frames.len() + 1), copy);
            }
            2 if frames.len() > 1 => {
                applied.push("drop");
                frames.remove(rng.below(frames.len()));
            }
            3 => {
                // A flip inside a body: the frame stays whole, its JSON may not.
                applied.push("body flip");
                let at = rng.below(frames.len());
                let body_start = frames[at]
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map_or(0, |p| p + 4);
                let len = frames[at].len();
                if len > body_start {
                    let i = body_start + rng.below(len - body_start);
                    frames[at][i] ^= 1 << rng.below(8);
                }
            }
            4 => {
                applied.push("byte flip");
                whole = false;
                tail_damage.push(TailDamage::Flip);
            }
            5 => {
                applied.push("truncation");
                whole = false;
                tail_damage.push(TailDamage::Truncate);
            }
            _ => {
                applied.push("header damage");
                whole = false;
                let at = rng.below(frames.len());
                let damage: &[&[u8]] = &[
                    b"Content-Length: 9999\r\n\r\n",
                    b"Content-Length: 1\r\n\r\n",
                    b"Content-Length: -3\r\n\r\n",
                    b"Content-Lenth: 12\r\n\r\n",
                    b"\r\n\r\n",
                    b"Content-Length: 12\r\nContent-Length: 13\r\n\r\n",
                ];
                let pick = damage[rng.below(damage.len())];
                let body_start = frames[at]
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map_or(0, |p| p + 4);
                let mut damaged = pick.to_vec();
                damaged.extend_from_slice(&frames[at][body_start..]);
                frames[at] = damaged;
            }
        }
    }
    let mut bytes: Vec<u8> = frames.concat();
    for damage in tail_damage {
        match damage {
            TailDamage::Flip => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            TailDamage::Truncate => {
                let keep = rng.below(bytes.len());
                bytes.truncate(keep);
            }
        }
    }
    (bytes, whole, applied)
}

#[test]
fn damaged_sessions_never_crash_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = recorded_session();
    let mut rng = Rng(SEED);
    let started = Instant::now();
    let mut answered = 0;
    for iteration in 0..ITERATIONS {
        let (bytes, whole, applied) = mutate(&mut rng, &session);
        let mut client = LspClient::start(dir.path());
        client.write_raw(&bytes);
        // A frame left open at the end would swallow the final request: only ask when whole.
        if whole {
            let request = json!({"jsonrpc": "2.0", "id": FINAL_ID, "method": "workspace/symbol",
                                 "params": {"query": "Putin"}});
            client.send(&request);
            if client.is_running() || !bytes.windows(6).any(|w| w == b"\"exit\"") {
                let reply = client.response(&json!(FINAL_ID));
                assert!(
                    reply.get("result").is_some() || reply.get("error").is_some(),
                    "iteration {iteration} ({applied:?}): {reply}"
                );
                answered += 1;
            }
        }
        let status = client.close_stdin();
        let stderr = client.stderr();
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "iteration {iteration} ({applied:?}): {status:?}\ninput: {}\nstderr:\n{stderr}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(
            !stderr.contains("panicked"),
            "iteration {iteration} ({applied:?}):\ninput: {}\nstderr:\n{stderr}",
            String::from_utf8_lossy(&bytes)
        );
    }
    eprintln!(
        "{ITERATIONS} damaged sessions in {:?}; {answered} answered a final request",
        started.elapsed()
    );
}
