//! A small LSP client over a child process's stdio: Content-Length framing, JSON, one request
//! at a time. A reader thread stamps each message the moment its last byte arrives (before
//! parsing), so a round trip is measured from just before the write to that stamp.
//!
//! Nothing waits forever: every wait takes a deadline and returns an error past it. The
//! server's requests (`client/registerCapability`, `workspace/configuration`, …) are answered
//! with `null` by the reader thread, as a plain editor would. Dropping a `Server` kills a
//! process that is still running.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub type Error = String;

/// A message from the server and when its last byte was read.
pub struct Incoming {
    pub at: Instant,
    pub message: Value,
}

pub struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    inbox: Receiver<Incoming>,
    /// Notifications received while waiting for something else, in order.
    pub notifications: Vec<Incoming>,
    stderr_tail: Arc<Mutex<String>>,
    next_id: i64,
    pub started: Instant,
}

impl Server {
    /// Starts `command` (program and arguments) in `cwd`.
    pub fn start(command: &[String], cwd: &Path) -> Result<Server, Error> {
        let (program, args) = command.split_first().ok_or("an empty server command")?;
        let started = Instant::now();
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start {program}: {error}"))?;
        let stdin = Arc::new(Mutex::new(child.stdin.take().ok_or("no stdin")?));
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut stderr = child.stderr.take().ok_or("no stderr")?;
        let (sender, inbox) = channel();
        {
            let stdin = Arc::clone(&stdin);
            thread::spawn(move || {
                let mut stdout = BufReader::with_capacity(1 << 20, stdout);
                while let Some(body) = read_frame(&mut stdout) {
                    let at = Instant::now();
                    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                        continue;
                    };
                    if message.get("method").is_some()
                        && let Some(id) = message.get("id")
                    {
                        let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
                        if let Ok(mut stdin) = stdin.lock() {
                            let _ = write_frame(&mut *stdin, &reply);
                        }
                        continue;
                    }
                    if sender.send(Incoming { at, message }).is_err() {
                        break;
                    }
                }
            });
        }
        // Drained all along (a full pipe would block the server); only the tail is kept.
        let stderr_tail = Arc::new(Mutex::new(String::new()));
        {
            let tail = Arc::clone(&stderr_tail);
            thread::spawn(move || {
                let mut chunk = [0u8; 8192];
                while let Ok(read @ 1..) = stderr.read(&mut chunk) {
                    if let Ok(mut tail) = tail.lock() {
                        tail.push_str(&String::from_utf8_lossy(&chunk[..read]));
                        if tail.len() > 16_384 {
                            let cut = tail.len() - 8192;
                            let cut = (cut..tail.len())
                                .find(|&at| tail.is_char_boundary(at))
                                .unwrap_or(0);
                            tail.drain(..cut);
                        }
                    }
                }
            });
        }
        Ok(Server {
            child,
            stdin,
            inbox,
            notifications: Vec::new(),
            stderr_tail,
            next_id: 1,
            started,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr_tail(&self) -> String {
        self.stderr_tail
            .lock()
            .map(|tail| tail.clone())
            .unwrap_or_default()
    }

    fn send(&mut self, message: &Value) -> Result<(), Error> {
        let mut stdin = self.stdin.lock().map_err(|_| "stdin lock poisoned")?;
        write_frame(&mut *stdin, message).map_err(|error| format!("write to the server: {error}"))
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Result<Instant, Error> {
        let sent = Instant::now();
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))?;
        Ok(sent)
    }

    /// Sends a request and waits for its response: the round trip and the response (whole:
    /// `result` or `error`).
    pub fn request(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<(Duration, Value), Error> {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let body = message.to_string();
        let sent = Instant::now();
        {
            let mut stdin = self.stdin.lock().map_err(|_| "stdin lock poisoned")?;
            write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
                .and_then(|()| stdin.flush())
                .map_err(|error| format!("write to the server: {error}"))?;
        }
        let deadline = sent + timeout;
        loop {
            let incoming = self.receive(deadline, &format!("the reply to {method}"))?;
            if incoming.message.get("id") == Some(&json!(id)) {
                return Ok((incoming.at.duration_since(sent), incoming.message));
            }
            if incoming.message.get("method").is_some() {
                self.notifications.push(incoming);
            }
        }
    }

    /// Waits for a notification `method` whose params satisfy `matches`, first among those
    /// already received (which it removes), then as they come.
    pub fn wait_for(
        &mut self,
        method: &str,
        matches: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Result<Incoming, Error> {
        if let Some(at) = self
            .notifications
            .iter()
            .position(|n| n.message["method"] == method && matches(&n.message["params"]))
        {
            return Ok(self.notifications.remove(at));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let incoming = self.receive(deadline, &format!("a {method} notification"))?;
            if incoming.message["method"] == method && matches(&incoming.message["params"]) {
                return Ok(incoming);
            }
            if incoming.message.get("method").is_some() {
                self.notifications.push(incoming);
            }
        }
    }

    fn receive(&mut self, deadline: Instant, what: &str) -> Result<Incoming, Error> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.inbox.recv_timeout(left) {
            Ok(incoming) => Ok(incoming),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "no {what} within the time limit; the server's stderr ends with:\n{}",
                self.stderr_tail()
            )),
            Err(RecvTimeoutError::Disconnected) => Err(format!(
                "the server closed its output while waiting for {what}; stderr ends with:\n{}",
                self.stderr_tail()
            )),
        }
    }

    /// `shutdown`, `exit`, and a wait for the process; kills it if it does not end in time.
    pub fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null, Duration::from_secs(10));
        let _ = self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        // Drop kills it.
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn write_frame(out: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = message.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// One frame's body, or `None` at the end of the output or on a malformed frame.
fn read_frame(input: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    Some(body)
}

/// `VmHWM` (peak resident memory) of a process, in bytes.
pub fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// utime + stime of a process, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after `) `.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux in practice).
pub fn ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100)
}
