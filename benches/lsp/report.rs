//! The results as a Markdown table, beside the targets of issue 8, and the machine they were
//! measured on. `--write-docs` puts them in docs/BENCHMARKS.md between two markers, so the
//! hand-written reading of the figures below them survives a new run.

use std::fmt::Write as _;

use super::measure::{
    COMPLETE_KEY, COMPLETE_SEARCH, DEBOUNCE, DEFINITION, HOVER_ENTITY, HOVER_KEY, Latency,
    REFERENCES, Session, Start,
};

pub struct SizeResult {
    pub sources: usize,
    pub bytes: u64,
    pub generate_secs: f64,
    pub cold: Session,
    /// `None` when the second start failed; `cache` says whether `.dossier/` existed.
    pub warm: Option<Start>,
    pub cache: bool,
    /// Every cold start's index time, the cold session's first.
    pub cold_index_ms: Vec<f64>,
    pub index_command_ms: Option<f64>,
    pub other: Option<Session>,
    pub checksum: u64,
    pub errors: Vec<String>,
}

fn size_label(sources: usize) -> String {
    match sources {
        n if n >= 1000 && n % 1000 == 0 => format!("{}k", n / 1000),
        n => n.to_string(),
    }
}

fn millis(value: Option<f64>) -> String {
    match value {
        None => "—".to_string(),
        Some(ms) if ms >= 10_000.0 => format!("{:.1} s", ms / 1e3),
        Some(ms) if ms >= 100.0 => format!("{ms:.0} ms"),
        Some(ms) if ms >= 10.0 => format!("{ms:.1} ms"),
        Some(ms) => format!("{ms:.2} ms"),
    }
}

fn latency_cell(latency: Option<&Latency>, minus: f64) -> String {
    let Some(latency) = latency else {
        return "—".to_string();
    };
    if latency.samples.is_empty() {
        return latency
            .error
            .as_ref()
            .map_or("—".to_string(), |_| "failed".to_string());
    }
    let p50 = latency.percentile(0.5).map(|v| v - minus);
    let p99 = latency.percentile(0.99).map(|v| v - minus);
    let mut cell = format!("{} / {}", millis(p50), millis(p99));
    if latency.samples.len() < latency.planned {
        let _ = write!(cell, " ({} samples)", latency.samples.len());
    }
    if latency.answered < latency.samples.len() {
        let _ = write!(
            cell,
            " ({}/{} answered)",
            latency.answered,
            latency.samples.len()
        );
    }
    if latency.error.is_some() {
        cell.push_str(" (errors)");
    }
    cell
}

/// `(target text, met?)` for a measured value.
fn verdict(target: &str, value: Option<f64>, ok: impl Fn(f64) -> bool) -> String {
    match value {
        None => target.to_string(),
        Some(value) if ok(value) => format!("{target} — met"),
        Some(_) => format!("{target} — **missed**"),
    }
}

fn find<'a>(session: &'a Session, name: &str) -> Option<&'a Latency> {
    session
        .latencies
        .iter()
        .find(|(measure, _)| *measure == name)
        .map(|(_, latency)| latency)
}

fn p99(session: &Session, name: &str) -> Option<f64> {
    find(session, name).and_then(|l| l.percentile(0.99))
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// The median of the cold starts' index times (the lower middle of an even count).
fn cold_index(result: &SizeResult) -> Option<f64> {
    let mut runs = result.cold_index_ms.clone();
    runs.sort_by(f64::total_cmp);
    runs.get(runs.len().checked_sub(1)? / 2).copied()
}

fn cold_index_cell(result: &SizeResult) -> String {
    let runs = &result.cold_index_ms;
    let (Some(low), Some(high)) = (
        runs.iter().copied().reduce(f64::min),
        runs.iter().copied().reduce(f64::max),
    ) else {
        return "—".to_string();
    };
    match runs.len() {
        1 => millis(Some(low)),
        n => format!(
            "{} (median of {n}: {}–{})",
            millis(cold_index(result)),
            millis(Some(low)),
            millis(Some(high))
        ),
    }
}

fn throughput(result: &SizeResult) -> Option<f64> {
    cold_index(result).map(|ms| mb(result.bytes) / (ms / 1e3))
}

/// One row: a label, a cell per size, and the targets at 10k and 100k.
struct Row {
    label: String,
    cells: Vec<String>,
    target_10k: String,
    target_100k: String,
}

fn target_for(results: &[SizeResult], sources: usize) -> Option<&SizeResult> {
    results.iter().find(|r| r.sources == sources)
}

pub fn table(results: &[SizeResult]) -> String {
    let debounce = DEBOUNCE.as_secs_f64() * 1e3;
    let at = |sources| target_for(results, sources);
    let mut rows: Vec<Row> = Vec::new();
    let mut row = |label: &str,
                   cell: &dyn Fn(&SizeResult) -> String,
                   target_10k: String,
                   target_100k: String| {
        rows.push(Row {
            label: label.to_string(),
            cells: results.iter().map(cell).collect(),
            target_10k,
            target_100k,
        });
    };
    row(
        "corpus (files, MB)",
        &|r| format!("{} files, {:.1} MB", r.sources, mb(r.bytes)),
        String::new(),
        String::new(),
    );
    row(
        "start-up: spawn to `initialize` reply",
        &|r| millis(r.cold.start.initialize_ms),
        String::new(),
        String::new(),
    );
    row(
        "cold index: `initialized` to \"indexed …\" log",
        &|r| cold_index_cell(r),
        String::new(),
        String::new(),
    );
    row(
        "cold index throughput",
        &|r| throughput(r).map_or("—".to_string(), |t| format!("{t:.1} MB/s")),
        verdict("≥ 60 MB/s", at(10_000).and_then(throughput), |t| {
            t >= 60.0
        }),
        String::new(),
    );
    row(
        "`dossier index` wall time",
        &|r| millis(r.index_command_ms),
        String::new(),
        String::new(),
    );
    let warm = |r: &SizeResult| -> Option<f64> {
        r.cache
            .then(|| r.warm.as_ref().and_then(|w| w.index_ms))
            .flatten()
    };
    row(
        "warm start from the cache (second start, to \"indexed\")",
        &|r| match (&r.warm, r.cache) {
            (Some(start), true) => millis(start.index_ms),
            (Some(start), false) => {
                format!(
                    "no cache (second start re-indexes: {})",
                    millis(start.index_ms)
                )
            }
            (None, _) => "failed".to_string(),
        },
        verdict("≤ 100 ms", at(10_000).and_then(warm), |v| v <= 100.0),
        verdict("≤ 800 ms", at(100_000).and_then(warm), |v| v <= 800.0),
    );
    row(
        "`initialize` to first diagnostics of the brief (cold / second start)",
        &|r| {
            format!(
                "{} / {}",
                millis(r.cold.start.first_diagnostics_ms),
                millis(r.warm.as_ref().and_then(|w| w.first_diagnostics_ms))
            )
        },
        String::new(),
        String::new(),
    );
    // (measure, label, targets at 10k and 100k in ms)
    type LatencyRow<'a> = (&'a str, &'a str, Option<(f64, f64)>);
    let latency_rows: [LatencyRow; 6] = [
        (
            HOVER_ENTITY,
            "hover on an entity, p50 / p99",
            Some((2.0, 3.0)),
        ),
        (
            HOVER_KEY,
            "hover on a citation key, p50 / p99",
            Some((2.0, 3.0)),
        ),
        (
            COMPLETE_KEY,
            "key completion `[@` + 2–3 letters, p50 / p99",
            Some((5.0, 10.0)),
        ),
        (
            COMPLETE_SEARCH,
            "content search `[@` + two words, p50 / p99",
            Some((10.0, 20.0)),
        ),
        (DEFINITION, "definition (key or locator), p50 / p99", None),
        (REFERENCES, "references of an entity, p50 / p99", None),
    ];
    for (name, label, targets) in latency_rows {
        let (t10, t100) = match targets {
            Some((t10, t100)) => (
                verdict(
                    &format!("p99 ≤ {t10} ms"),
                    at(10_000).and_then(|r| p99(&r.cold, name)),
                    |v| v <= t10,
                ),
                verdict(
                    &format!("p99 ≤ {t100} ms"),
                    at(100_000).and_then(|r| p99(&r.cold, name)),
                    |v| v <= t100,
                ),
            ),
            None => (String::new(), String::new()),
        };
        row(
            label,
            &|r| latency_cell(find(&r.cold, name), 0.0),
            t10,
            t100,
        );
    }
    row(
        "re-diagnosis after an edit (didChange to publish), p50 / p99",
        &|r| latency_cell(Some(&r.cold.rediagnosis), 0.0),
        String::new(),
        String::new(),
    );
    let rediag = |r: &SizeResult| r.cold.rediagnosis.percentile(0.99).map(|v| v - debounce);
    row(
        &format!("re-diagnosis minus the {debounce:.0} ms debounce, p50 / p99"),
        &|r| latency_cell(Some(&r.cold.rediagnosis), debounce),
        verdict("p99 ≤ 30 ms", at(10_000).and_then(rediag), |v| v <= 30.0),
        verdict("p99 ≤ 50 ms", at(100_000).and_then(rediag), |v| v <= 50.0),
    );
    row(
        "diagnostics on the brief",
        &|r| r.cold.start.diagnostics.to_string(),
        String::new(),
        String::new(),
    );
    let peak = |r: &SizeResult| r.cold.peak_memory.map(mb);
    row(
        "peak memory (VmHWM)",
        &|r| {
            peak(r).map_or("—".to_string(), |m| {
                format!("{m:.0} MB ({:.1}× corpus)", m / mb(r.bytes).max(0.001))
            })
        },
        at(10_000).map_or("≤ 2.5× corpus + 30 MB".to_string(), |r| {
            let limit = 2.5 * mb(r.bytes) + 30.0;
            verdict(
                &format!("≤ 2.5× corpus + 30 MB = {limit:.0} MB"),
                peak(r),
                |m| m <= limit,
            )
        }),
        verdict("< 1 GB", at(100_000).and_then(peak), |m| m < 1000.0),
    );
    let idle = |r: &SizeResult| r.cold.idle_cpu_percent;
    row(
        "idle CPU over 2 s after indexing",
        &|r| idle(r).map_or("—".to_string(), |p| format!("{p:.1}%")),
        verdict("0%", at(10_000).and_then(idle), |p| p == 0.0),
        verdict("0%", at(100_000).and_then(idle), |p| p == 0.0),
    );
    row(
        "checksum of the answers",
        &|r| format!("`{:016x}`", r.checksum),
        String::new(),
        String::new(),
    );

    let mut out = String::new();
    let _ = write!(out, "| measure |");
    for result in results {
        let _ = write!(out, " {} |", size_label(result.sources));
    }
    out.push_str(" target at 10k | target at 100k |\n|---|");
    for _ in results {
        out.push_str("---|");
    }
    out.push_str("---|---|\n");
    for row in rows {
        let _ = write!(out, "| {} |", row.label);
        for cell in row.cells {
            let _ = write!(out, " {cell} |");
        }
        let _ = writeln!(out, " {} | {} |", row.target_10k, row.target_100k);
    }
    out
}

/// The side-by-side table for `--server`: the same brief positions, the generic measures.
pub fn other_table(command: &str, results: &[SizeResult]) -> Option<String> {
    if results.iter().all(|r| r.other.is_none()) {
        return None;
    }
    let mut out = format!("Side by side with `{command}` (p50 / p99):\n\n| measure | server |");
    for result in results {
        let _ = write!(out, " {} |", size_label(result.sources));
    }
    out.push_str("\n|---|---|");
    for _ in results {
        out.push_str("---|");
    }
    out.push('\n');
    let measures = [HOVER_ENTITY, HOVER_KEY, COMPLETE_KEY, DEFINITION];
    let _ = write!(out, "| start-up: spawn to `initialize` reply | dossier |");
    for result in results {
        let _ = write!(out, " {} |", millis(result.cold.start.initialize_ms));
    }
    let _ = write!(out, "\n| | other |");
    for result in results {
        let cell = result
            .other
            .as_ref()
            .map_or("—".to_string(), |o| millis(o.start.initialize_ms));
        let _ = write!(out, " {cell} |");
    }
    out.push('\n');
    for name in measures {
        let _ = write!(out, "| {name} | dossier |");
        for result in results {
            let _ = write!(out, " {} |", latency_cell(find(&result.cold, name), 0.0));
        }
        let _ = write!(out, "\n| | other |");
        for result in results {
            let cell = result
                .other
                .as_ref()
                .map_or("—".to_string(), |o| latency_cell(find(o, name), 0.0));
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    Some(out)
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map_or("unknown CPU".to_string(), |(_, model)| {
            model.trim().to_string()
        });
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|line| line.starts_with("MemTotal:"))
        .and_then(|line| line.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or("unknown".to_string(), |kb| {
            format!("{:.1} GB", kb / 1024.0 / 1024.0)
        });
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "Linux".to_string());
    format!("{cores} cores (`nproc`), {model}, {memory} of memory, {os}")
}

pub fn date() -> String {
    command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default()
}

pub fn revision(manifest_dir: &str) -> String {
    command_output("git", &["-C", manifest_dir, "rev-parse", "--short", "HEAD"])
        .unwrap_or_else(|| "unknown".to_string())
}

pub const BEGIN: &str =
    "<!-- bench:begin (written by `cargo bench --bench lsp -- --write-docs`) -->";
pub const END: &str = "<!-- bench:end -->";
