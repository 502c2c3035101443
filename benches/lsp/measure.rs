//! The measured sessions: one cold start of `dossier lsp` on a fresh corpus with every
//! latency, one warm start, `dossier index`, and the protocol-generic measures for another
//! server given with `--server`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::brief::{Brief, Position};
use super::client::{Server, cpu_ticks, peak_memory, ticks_per_second};

/// The server's debounce before re-diagnosing an edited brief (`DEBOUNCE` in
/// `src/lsp/server.rs`).
pub const DEBOUNCE: Duration = Duration::from_millis(150);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
const WARM_UP: usize = 5;
/// A measure stops early once it has this many samples and has run this long, and in any case
/// after `HARD_BUDGET` (references of a popular entity at 100k take seconds each): the table
/// then says how many samples it has.
const ENOUGH_SAMPLES: usize = 20;
const TIME_BUDGET: Duration = Duration::from_secs(60);
const HARD_BUDGET: Duration = Duration::from_secs(180);

/// Round trips of one kind of request, and how many had an answer that was not empty.
#[derive(Default, Clone)]
pub struct Latency {
    pub samples: Vec<Duration>,
    pub answered: usize,
    /// How many samples were asked for (fewer are taken when a measure runs out of time).
    pub planned: usize,
    pub error: Option<String>,
}

impl Latency {
    pub fn percentile(&self, fraction: f64) -> Option<f64> {
        let mut sorted = self.samples.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
        sorted.get(at).map(|d| d.as_secs_f64() * 1e3)
    }
}

#[derive(Default)]
pub struct Start {
    /// Spawn to the `initialize` reply.
    pub initialize_ms: Option<f64>,
    /// `initialized` sent to the log line that says the index is ready.
    pub index_ms: Option<f64>,
    /// What that line said.
    pub index_log: String,
    /// `initialize` sent to the first diagnostics of the brief.
    pub first_diagnostics_ms: Option<f64>,
    pub diagnostics: usize,
}

#[derive(Default)]
pub struct Session {
    pub start: Start,
    /// By measure, in the order of `MEASURES`.
    pub latencies: Vec<(&'static str, Latency)>,
    pub rediagnosis: Latency,
    pub peak_memory: Option<u64>,
    pub idle_cpu_percent: Option<f64>,
    pub errors: Vec<String>,
}

pub const HOVER_ENTITY: &str = "hover on an entity";
pub const HOVER_KEY: &str = "hover on a citation key";
pub const COMPLETE_KEY: &str = "key completion `[@ab`";
pub const COMPLETE_SEARCH: &str = "content search `[@two words`";
pub const DEFINITION: &str = "definition";
pub const REFERENCES: &str = "references of an entity";

/// FNV-1a, folded over every answer, so that a server answering nothing cannot pass for fast.
/// The temporary directory's name is taken out of the answers first, so that the same corpus
/// gives the same checksum on every run.
#[derive(Clone)]
pub struct Checksum {
    pub value: u64,
    root: String,
}

impl Checksum {
    pub fn new(root: &Path) -> Checksum {
        Checksum {
            value: 0xcbf2_9ce4_8422_2325,
            root: root.display().to_string(),
        }
    }

    pub fn add(&mut self, value: &Value) {
        for byte in value.to_string().replace(&self.root, "ROOT").bytes() {
            self.value ^= u64::from(byte);
            self.value = self.value.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn is_index_log(params: &Value) -> bool {
    params["type"] == 3
        && params["message"]
            .as_str()
            .is_some_and(|m| m.contains(" sources") && !m.starts_with("dossier "))
}

/// Dossier's log line once the index it built is saved for the next start.
fn is_saved_log(params: &Value) -> bool {
    params["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("saved the index") || m.starts_with("index snapshot "))
}

/// Starts a server in `root`, initializes it as VS Code would (UTF-16, dynamic file watching),
/// and opens the brief. Returns the server and the instant `initialize` was sent.
fn open(
    command: &[String],
    root: &Path,
    brief: &Brief,
    start: &mut Start,
) -> Result<(Server, Instant, Instant), String> {
    let mut server = Server::start(command, root)?;
    let root_uri = uri_of(root);
    let init_sent = Instant::now();
    let (_, reply) = server.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "bench"}],
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                "textDocument": {
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "completion": {"completionItem": {"snippetSupport": false}},
                    "publishDiagnostics": {"versionSupport": true}
                }
            }
        }),
        Duration::from_secs(30),
    )?;
    if reply.get("error").is_some() {
        return Err(format!("initialize failed: {reply}"));
    }
    start.initialize_ms = Some(ms(server.started.elapsed()));
    let initialized = server.notify("initialized", json!({}))?;
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": uri_of(&root.join("brief.md")),
            "languageId": "markdown",
            "version": 1,
            "text": brief.text,
        }}),
    )?;
    Ok((server, init_sent, initialized))
}

/// Waits for the index and the brief's first diagnostics.
fn wait_ready(
    server: &mut Server,
    root: &Path,
    init_sent: Instant,
    initialized: Instant,
    start: &mut Start,
    index_timeout: Duration,
) -> Result<(), String> {
    let log = server.wait_for("window/logMessage", is_index_log, index_timeout)?;
    start.index_ms = Some(ms(log.at.duration_since(initialized)));
    start.index_log = log.message["params"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let brief_uri = uri_of(&root.join("brief.md"));
    let published = server.wait_for(
        "textDocument/publishDiagnostics",
        |params| params["uri"] == brief_uri.as_str(),
        index_timeout,
    )?;
    start.first_diagnostics_ms = Some(ms(published.at.duration_since(init_sent)));
    start.diagnostics = published.message["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    Ok(())
}

fn position_params(uri: &str, position: Position) -> Value {
    json!({
        "textDocument": {"uri": uri},
        "position": {"line": position.line, "character": position.character},
    })
}

/// `samples` round trips of `method` at `positions` (in turn), after a few unmeasured ones.
fn latency(
    server: &mut Server,
    method: &str,
    params: impl Fn(Position) -> Value,
    positions: &[Position],
    samples: usize,
    checksum: &mut Checksum,
) -> Latency {
    let mut measured = Latency {
        planned: samples,
        ..Latency::default()
    };
    if positions.is_empty() {
        measured.error = Some("no positions of this kind in the brief".to_string());
        return measured;
    }
    let started = Instant::now();
    for round in 0..WARM_UP + samples {
        let elapsed = started.elapsed();
        if (measured.samples.len() >= ENOUGH_SAMPLES && elapsed > TIME_BUDGET)
            || (!measured.samples.is_empty() && elapsed > HARD_BUDGET)
        {
            break;
        }
        let position = positions[round % positions.len()];
        match server.request(method, params(position), REQUEST_TIMEOUT) {
            Ok((elapsed, reply)) => {
                if round < WARM_UP {
                    continue;
                }
                measured.samples.push(elapsed);
                let result = &reply["result"];
                let empty = result.is_null()
                    || result.as_array().is_some_and(Vec::is_empty)
                    || result["items"].as_array().is_some_and(Vec::is_empty);
                if !empty {
                    measured.answered += 1;
                }
                if let Some(error) = reply.get("error") {
                    measured.error.get_or_insert_with(|| error.to_string());
                }
                checksum.add(result);
            }
            Err(error) => {
                measured.error = Some(error);
                break;
            }
        }
    }
    progress(method, &measured);
    measured
}

fn progress(what: &str, measured: &Latency) {
    eprintln!(
        "[bench lsp]   {what}: {} samples, p50 {:.2} ms, p99 {:.2} ms",
        measured.samples.len(),
        measured.percentile(0.5).unwrap_or(f64::NAN),
        measured.percentile(0.99).unwrap_or(f64::NAN),
    );
}

/// The protocol-generic measures, shared by `dossier` and a server given with `--server`.
fn generic_latencies(
    server: &mut Server,
    uri: &str,
    brief: &Brief,
    samples: usize,
    checksum: &mut Checksum,
) -> Vec<(&'static str, Latency)> {
    let at = |position| position_params(uri, position);
    let complete = |position| {
        let mut params = position_params(uri, position);
        params["context"] = json!({"triggerKind": 1});
        params
    };
    let definitions: Vec<Position> = brief
        .keys
        .iter()
        .zip(&brief.locators)
        .flat_map(|(key, locator)| [*key, *locator])
        .collect();
    vec![
        (
            HOVER_ENTITY,
            latency(
                server,
                "textDocument/hover",
                at,
                &brief.entities,
                samples,
                checksum,
            ),
        ),
        (
            HOVER_KEY,
            latency(
                server,
                "textDocument/hover",
                at,
                &brief.keys,
                samples,
                checksum,
            ),
        ),
        (
            COMPLETE_KEY,
            latency(
                server,
                "textDocument/completion",
                complete,
                &brief.key_completions,
                samples,
                checksum,
            ),
        ),
        (
            COMPLETE_SEARCH,
            latency(
                server,
                "textDocument/completion",
                complete,
                &brief.searches,
                samples,
                checksum,
            ),
        ),
        (
            DEFINITION,
            latency(
                server,
                "textDocument/definition",
                at,
                &definitions,
                samples,
                checksum,
            ),
        ),
    ]
}

/// Edits the brief `samples` times (a space added at the end of a claim, then taken away),
/// each time waiting for the diagnostics of that version.
fn rediagnosis(
    server: &mut Server,
    uri: &str,
    brief: &Brief,
    samples: usize,
    checksum: &mut Checksum,
) -> Latency {
    let mut measured = Latency {
        planned: samples,
        ..Latency::default()
    };
    let line = brief.edit_line;
    let end = brief
        .text
        .lines()
        .nth(line as usize)
        .map_or(0, |text| text.encode_utf16().count() as u32);
    for sample in 0..samples {
        let version = 2 + sample as i64;
        let (range, text) = if sample % 2 == 0 {
            (
                json!({"start": {"line": line, "character": end},
                       "end": {"line": line, "character": end}}),
                " ",
            )
        } else {
            (
                json!({"start": {"line": line, "character": end},
                       "end": {"line": line, "character": end + 1}}),
                "",
            )
        };
        let sent = match server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range, "text": text}],
            }),
        ) {
            Ok(sent) => sent,
            Err(error) => {
                measured.error = Some(error);
                break;
            }
        };
        match server.wait_for(
            "textDocument/publishDiagnostics",
            |params| params["uri"] == uri && params["version"] == version,
            REQUEST_TIMEOUT,
        ) {
            Ok(published) => {
                measured.samples.push(published.at.duration_since(sent));
                measured.answered += 1;
                checksum.add(&published.message["params"]["diagnostics"]);
            }
            Err(error) => {
                measured.error = Some(error);
                break;
            }
        }
        // Diagnostics of older versions that were still on their way are not waited for.
        server
            .notifications
            .retain(|n| n.message["method"] != "textDocument/publishDiagnostics");
    }
    progress("re-diagnosis", &measured);
    measured
}

pub struct Plan<'a> {
    pub command: &'a [String],
    pub root: &'a Path,
    pub brief: &'a Brief,
    pub samples: usize,
    pub rediagnosis_samples: usize,
    pub index_timeout: Duration,
}

/// The cold session: start, index, idle CPU, every latency, re-diagnosis, peak memory.
pub fn cold_session(plan: &Plan, checksum: &mut Checksum) -> Session {
    let mut session = Session::default();
    let outcome = (|| -> Result<(), String> {
        let (mut server, init_sent, initialized) =
            open(plan.command, plan.root, plan.brief, &mut session.start)?;
        wait_ready(
            &mut server,
            plan.root,
            init_sent,
            initialized,
            &mut session.start,
            plan.index_timeout,
        )?;
        let pid = server.pid();
        // Dossier writes the index it built (its log counts the files read) for the next start
        // once it serves: idle is after that.
        if session.start.index_log.contains(" read, ") {
            let _ = server.wait_for("window/logMessage", is_saved_log, plan.index_timeout);
        }
        // Let whatever follows the first diagnostics (file watcher registration) settle.
        thread::sleep(Duration::from_millis(200));
        let idle = Duration::from_secs(2);
        if let Some(before) = cpu_ticks(pid) {
            thread::sleep(idle);
            if let Some(after) = cpu_ticks(pid) {
                let seconds = (after - before) as f64 / ticks_per_second() as f64;
                session.idle_cpu_percent = Some(100.0 * seconds / idle.as_secs_f64());
            }
        }
        let uri = uri_of(&plan.root.join("brief.md"));
        session.latencies =
            generic_latencies(&mut server, &uri, plan.brief, plan.samples, checksum);
        let at = |position| {
            let mut params = position_params(&uri, position);
            params["context"] = json!({"includeDeclaration": true});
            params
        };
        let references = latency(
            &mut server,
            "textDocument/references",
            at,
            &plan.brief.entities,
            plan.samples,
            checksum,
        );
        session.latencies.push((REFERENCES, references));
        session.rediagnosis = rediagnosis(
            &mut server,
            &uri,
            plan.brief,
            plan.rediagnosis_samples,
            checksum,
        );
        session.peak_memory = peak_memory(pid);
        server.stop();
        Ok(())
    })();
    let failures = session
        .latencies
        .iter()
        .map(|(name, latency)| (*name, latency))
        .chain([("re-diagnosis", &session.rediagnosis)])
        .filter_map(|(name, latency)| Some(format!("{name}: {}", latency.error.as_ref()?)))
        .collect::<Vec<_>>();
    session.errors.extend(failures);
    if let Err(error) = outcome {
        session.errors.push(error);
    }
    session
}

/// A start on the workspace, to the index and the brief's first diagnostics: warm when the
/// on-disk cache of an earlier start is there (what it saves), else another cold start.
pub fn start(plan: &Plan) -> Result<Start, String> {
    let mut start = Start::default();
    let (mut server, init_sent, initialized) =
        open(plan.command, plan.root, plan.brief, &mut start)?;
    wait_ready(
        &mut server,
        plan.root,
        init_sent,
        initialized,
        &mut start,
        plan.index_timeout,
    )?;
    server.stop();
    Ok(start)
}

/// Wall time of `dossier --root ROOT index` (summary output, thrown away).
pub fn index_command(binary: &str, root: &Path, timeout: Duration) -> Result<f64, String> {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .arg("--root")
        .arg(root)
        .arg("index")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start {binary}: {error}"))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let elapsed = ms(started.elapsed());
            return if status.success() {
                Ok(elapsed)
            } else {
                Err(format!("dossier index failed: {status}"))
            };
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("dossier index took more than {timeout:?}"));
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Another language server on the same workspace and brief: start-up and the generic
/// latencies only (it knows nothing of citations, so its answers may well be empty).
pub fn other_server(plan: &Plan, checksum: &mut Checksum) -> Session {
    let mut session = Session::default();
    let outcome = (|| -> Result<(), String> {
        let (mut server, _, _) = open(plan.command, plan.root, plan.brief, &mut session.start)?;
        // Give it a moment to read the workspace; diagnostics, if it sends any, end the wait.
        let _ = server.wait_for(
            "textDocument/publishDiagnostics",
            |_| true,
            Duration::from_secs(5),
        );
        let uri = uri_of(&plan.root.join("brief.md"));
        session.latencies =
            generic_latencies(&mut server, &uri, plan.brief, plan.samples, checksum);
        session.peak_memory = peak_memory(server.pid());
        server.stop();
        Ok(())
    })();
    if let Err(error) = outcome {
        session.errors.push(error);
    }
    session
}
