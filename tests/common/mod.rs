//! A JSON-RPC client for end-to-end tests: it starts the real `dossier lsp --stdio` and talks
//! to it over its stdin and stdout, as an editor does.
//!
//! ```ignore
//! mod common;
//! use common::LspClient;
//!
//! let mut client = LspClient::start(dir.path());
//! client.initialize_default();
//! let hover = client.request("textDocument/hover", json!({ ... }));
//! let diagnostics = client.wait_for_notification("textDocument/publishDiagnostics", |params| {
//!     params["uri"] == uri
//! });
//! assert_eq!(client.shutdown_and_exit().code(), Some(0));
//! ```
//!
//! Nothing waits forever: every wait gives up after [`TIMEOUT`] and panics with what the
//! server wrote to stderr. A background thread reads the server's frames: responses are
//! matched by id, notifications are kept in arrival order, and requests from the server
//! (`workspace/configuration`, `client/registerCapability`, …) are answered with `null`
//! unless [`LspClient::answer_server_requests`] says otherwise. Dropping the client kills a
//! server that is still running.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any wait lasts before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A running `dossier lsp --stdio` and the client side of its protocol.
pub struct LspClient {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    inbox: Arc<Inbox>,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<thread::JoinHandle<()>>,
    next_id: i64,
}

/// What the reader thread has received so far.
#[derive(Default)]
struct Received {
    /// Responses with an id, by the id's JSON text (`1`, `"abc"`).
    responses: HashMap<String, Value>,
    /// Responses with `"id": null` (the server's answers to unreadable frames), in order.
    null_id_responses: Vec<Value>,
    /// Every notification, in order (whole messages: `method` and `params`).
    notifications: Vec<Value>,
    /// Every request the server made, in order (whole messages).
    server_requests: Vec<Value>,
    /// Every message, in arrival order (for tests of ordering across kinds).
    arrivals: Vec<Value>,
    /// The server's stdout has ended.
    closed: bool,
    /// Why reading stopped early: the server broke the protocol.
    broken: Option<String>,
}

struct Inbox {
    received: Mutex<Received>,
    changed: Condvar,
    /// Canned results for server requests, by method; the default result is `null`.
    answers: Mutex<HashMap<String, Value>>,
}

impl Inbox {
    fn lock(&self) -> MutexGuard<'_, Received> {
        self.received
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl LspClient {
    /// Starts `dossier lsp --stdio` in `cwd` (where it looks for `dossier.toml`).
    pub fn start(cwd: &Path) -> LspClient {
        LspClient::start_with_args(cwd, &["lsp", "--stdio"])
    }

    /// Starts the binary with other arguments (`["lsp"]`, `["--root", dir, "lsp"]`, …).
    pub fn start_with_args(cwd: &Path, args: &[&str]) -> LspClient {
        LspClient::start_with_env(cwd, args, &[])
    }

    /// Starts the binary with arguments and extra environment variables.
    pub fn start_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> LspClient {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
        command.args(args).envs(env.iter().copied());
        LspClient::start_command(cwd, command)
    }

    /// Starts the binary under another program (`strace -f -o LOG`, …): `wrapper` comes first,
    /// then the binary's path, then `args`.
    pub fn start_wrapped(cwd: &Path, wrapper: &[&str], args: &[&str]) -> LspClient {
        let (program, rest) = wrapper.split_first().expect("a wrapper program");
        let mut command = Command::new(program);
        command
            .args(rest)
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .args(args);
        LspClient::start_command(cwd, command)
    }

    /// Starts `command` (which runs the server) with piped stdio in `cwd`.
    pub fn start_command(cwd: &Path, mut command: Command) -> LspClient {
        let mut child = command
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dossier");
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let inbox = Arc::new(Inbox {
            received: Mutex::new(Received::default()),
            changed: Condvar::new(),
            answers: Mutex::new(HashMap::new()),
        });
        let stdout = child.stdout.take().expect("stdout is piped");
        {
            let inbox = Arc::clone(&inbox);
            let stdin = Arc::clone(&stdin);
            thread::spawn(move || {
                let outcome = read_messages(stdout, &inbox, &stdin);
                let mut received = inbox.lock();
                received.closed = true;
                received.broken = outcome.err();
                inbox.changed.notify_all();
            });
        }
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut child_stderr = child.stderr.take().expect("stderr is piped");
        let stderr_reader = {
            let stderr = Arc::clone(&stderr);
            thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(read @ 1..) = child_stderr.read(&mut chunk) {
                    let text = String::from_utf8_lossy(&chunk[..read]);
                    stderr.lock().expect("stderr buffer").push_str(&text);
                }
            })
        };
        LspClient {
            child,
            stdin,
            inbox,
            stderr,
            stderr_reader: Some(stderr_reader),
            next_id: 1,
        }
    }

    /// `initialize` with `capabilities` and the root `root_uri` (may be `null`), then
    /// `initialized`. Returns the `initialize` result.
    pub fn initialize(&mut self, capabilities: Value, root_uri: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// `initialize` as a plain client would (no capabilities, no root), then `initialized`.
    pub fn initialize_default(&mut self) -> Value {
        self.initialize(json!({}), Value::Null)
    }

    /// Sends a request and waits for its result; panics if the server answers with an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_response(method, params);
        match response.get("error") {
            Some(error) => panic!("{method} failed: {error}\nstderr:\n{}", self.stderr()),
            None => response["result"].clone(),
        }
    }

    /// Sends a request and waits for its `error`; panics if it succeeds.
    pub fn request_error(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_response(method, params);
        match response.get("error") {
            Some(error) => error.clone(),
            None => panic!("{method} should fail but returned {response}"),
        }
    }

    /// Sends a request and waits for the whole response message.
    pub fn request_response(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(&json!(id))
    }

    /// Sends a request without waiting; returns its id, for [`LspClient::response`].
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for the response with `id` (a number or a string) and takes it.
    pub fn response(&self, id: &Value) -> Value {
        let key = id.to_string();
        self.wait(&format!("the response to {key}"), |received| {
            received.responses.remove(&key)
        })
    }

    /// Waits for the next response with `"id": null` (the answer to an unreadable frame).
    pub fn null_id_response(&self) -> Value {
        self.wait("a response with a null id", |received| {
            (!received.null_id_responses.is_empty()).then(|| received.null_id_responses.remove(0))
        })
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends one message, framed.
    pub fn send(&mut self, message: &Value) {
        self.send_body(message.to_string().as_bytes());
    }

    /// Sends `body` in a canonical frame, whatever it holds (invalid JSON, invalid UTF-8, …).
    pub fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.write_raw(&frame);
    }

    /// Writes bytes as they are: malformed headers, split frames, several frames at once.
    pub fn write_raw(&mut self, bytes: &[u8]) {
        let mut stdin = self.stdin.lock().expect("stdin lock");
        let stdin = stdin.as_mut().expect("stdin is already closed");
        stdin
            .write_all(bytes)
            .and_then(|()| stdin.flush())
            .expect("write to the server");
    }

    /// Waits for the first notification `method` whose `params` satisfy `matches`, received
    /// at any time since the start, and returns its `params`.
    pub fn wait_for_notification(&self, method: &str, matches: impl Fn(&Value) -> bool) -> Value {
        self.wait(&format!("a {method} notification"), |received| {
            received
                .notifications
                .iter()
                .find(|message| message["method"] == method && matches(&message["params"]))
                .map(|message| message["params"].clone())
        })
    }

    /// The `params` of every notification `method` received so far, in order.
    pub fn notifications(&self, method: &str) -> Vec<Value> {
        self.inbox
            .lock()
            .notifications
            .iter()
            .filter(|message| message["method"] == method)
            .map(|message| message["params"].clone())
            .collect()
    }

    /// Every request the server has made so far (whole messages), in order.
    pub fn server_requests(&self) -> Vec<Value> {
        self.inbox.lock().server_requests.clone()
    }

    /// Answers the server's future `method` requests with `result` instead of `null`.
    pub fn answer_server_requests(&self, method: &str, result: Value) {
        self.inbox
            .answers
            .lock()
            .expect("answers lock")
            .insert(method.to_string(), result);
    }

    /// Every message received so far (responses, notifications, server requests), in the
    /// order they arrived.
    pub fn arrivals(&self) -> Vec<Value> {
        self.inbox.lock().arrivals.clone()
    }

    /// The server's process id (to read `/proc/<pid>/status`, say).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the server process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Every response with `"id": null` received so far, taken.
    pub fn take_null_id_responses(&self) -> Vec<Value> {
        std::mem::take(&mut self.inbox.lock().null_id_responses)
    }

    /// What the server has written to stderr so far (all of it once the server has exited).
    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr buffer").clone()
    }

    /// `shutdown` (which must succeed), then `exit`; returns the exit status.
    pub fn shutdown_and_exit(&mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null, "shutdown returns null");
        self.exit()
    }

    /// `exit` alone; returns the exit status. stdin stays open, as with a client that does
    /// not close it: the server must end by itself.
    pub fn exit(&mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        self.wait_for_exit()
    }

    /// Closes the server's stdin (the client went away) and returns the exit status.
    pub fn close_stdin(&mut self) -> ExitStatus {
        self.stdin.lock().expect("stdin lock").take();
        self.wait_for_exit()
    }

    /// Waits for the process to end by itself; panics after [`TIMEOUT`].
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for dossier") {
                // stderr ends with the process: collect the last of it.
                if let Some(reader) = self.stderr_reader.take() {
                    let _ = reader.join();
                }
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "dossier did not exit within {TIMEOUT:?}\nstderr:\n{}",
                    self.stderr()
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until `take` finds something in what was received; panics after [`TIMEOUT`].
    fn wait<T>(&self, what: &str, mut take: impl FnMut(&mut Received) -> Option<T>) -> T {
        let deadline = Instant::now() + TIMEOUT;
        let mut received = self.inbox.lock();
        loop {
            if let Some(found) = take(&mut received) {
                return found;
            }
            let now = Instant::now();
            if received.closed || now >= deadline {
                let why = match (&received.broken, received.closed) {
                    (Some(broken), _) => format!("the server broke the protocol: {broken}"),
                    (None, true) => "the server closed its output".to_string(),
                    (None, false) => format!("no answer within {TIMEOUT:?}"),
                };
                drop(received);
                panic!("waiting for {what}: {why}\nstderr:\n{}", self.stderr());
            }
            received = self
                .inbox
                .changed
                .wait_timeout(received, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        // Never leave a server running after a test, passed or failed.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The reader thread: sorts each message of the server into the inbox. `Err` when the
/// server broke the protocol.
fn read_messages(
    stdout: impl Read,
    inbox: &Inbox,
    stdin: &Mutex<Option<ChildStdin>>,
) -> Result<(), String> {
    let mut stdout = BufReader::new(stdout);
    while let Some(body) = read_frame(&mut stdout)? {
        let message: Value = serde_json::from_slice(&body).map_err(|error| {
            format!(
                "a body that is not JSON ({error}): {}",
                String::from_utf8_lossy(&body)
            )
        })?;
        let mut received = inbox.lock();
        received.arrivals.push(message.clone());
        match (message.get("method"), message.get("id")) {
            (Some(method), Some(id)) => {
                let method = method.as_str().unwrap_or_default().to_string();
                let result = inbox
                    .answers
                    .lock()
                    .expect("answers lock")
                    .get(&method)
                    .cloned()
                    .unwrap_or(Value::Null);
                let reply = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
                if let Some(stdin) = stdin.lock().expect("stdin lock").as_mut() {
                    let _ = write!(stdin, "Content-Length: {}\r\n\r\n{reply}", reply.len());
                    let _ = stdin.flush();
                }
                received.server_requests.push(message);
            }
            (Some(_), None) => received.notifications.push(message),
            (None, Some(Value::Null)) => received.null_id_responses.push(message),
            (None, Some(id)) => {
                received.responses.insert(id.to_string(), message);
            }
            (None, None) => return Err(format!("a message that is neither kind: {message}")),
        }
        inbox.changed.notify_all();
    }
    Ok(())
}

/// One frame's body, or `None` at the end of the output. The server must frame canonically.
fn read_frame(stdout: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut length = None;
    loop {
        let mut line = String::new();
        match stdout.read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                let value = value.trim();
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("Content-Length: {value}"))?,
                );
            }
            Some(_) => {}
            None => return Err(format!("a malformed header line: {line:?}")),
        }
    }
    let length = length.ok_or("a frame without Content-Length")?;
    let mut body = vec![0; length];
    match stdout.read_exact(&mut body) {
        Ok(()) => Ok(Some(body)),
        Err(_) => Ok(None),
    }
}
