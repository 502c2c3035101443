//! End-to-end benchmark of `dossier lsp` through the real binary over stdio, as an editor
//! uses it: cold index time and throughput, a second (warm) start, time to the first
//! diagnostics of a 300-line brief, p50/p99 round trips of hover, completion, content search,
//! definition and references, re-diagnosis after an edit, peak memory and idle CPU, on
//! synthetic corpora of 1, 1k, 10k (and 100k) sources written to a temporary directory.
//!
//! ```text
//! cargo bench --bench lsp -- [--sizes 1,1000,10000,100000] [--server "CMD ARGS"]
//!                            [--samples N] [--rediagnosis-samples N] [--write-docs] [--keep]
//! ```
//!
//! `--server` runs another language server's command on the same workspace and brief for a
//! side-by-side figure (start-up and the protocol-generic requests only). `--write-docs`
//! writes the table to docs/BENCHMARKS.md. Every answer is folded into a checksum that is
//! printed, so that a server cannot look fast by answering nothing.
//!
//! The pieces: `corpus` writes the sources, `brief` writes the brief from the corpus as the
//! library loads it (so keys and paragraph numbers are the server's), `client` speaks LSP,
//! `measure` runs the sessions, `report` makes the table.
#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

#[path = "lsp/brief.rs"]
mod brief;
#[path = "lsp/client.rs"]
mod client;
#[path = "lsp/corpus.rs"]
mod corpus;
#[path = "lsp/measure.rs"]
mod measure;
#[path = "lsp/report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use measure::{Checksum, Plan};
use report::SizeResult;

struct Options {
    sizes: Vec<usize>,
    server: Option<String>,
    samples: usize,
    rediagnosis_samples: usize,
    /// Cold starts timed in all (the cold session's and as many more): the table gives
    /// their median, as one cold start on a shared machine varies by a fifth.
    cold_runs: usize,
    write_docs: bool,
    keep: bool,
}

const USAGE: &str = "usage: cargo bench --bench lsp -- [--sizes 1,1000,10000,100000] \
[--server \"CMD ARGS\"] [--samples N] [--rediagnosis-samples N] [--cold-runs N] [--write-docs] \
[--keep]";

fn options() -> Result<Options, String> {
    let mut options = Options {
        sizes: vec![1, 1_000, 10_000],
        server: None,
        samples: 500,
        rediagnosis_samples: 200,
        cold_runs: 3,
        write_docs: false,
        keep: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--sizes" => {
                options.sizes = value("--sizes")?
                    .split(',')
                    .map(|n| {
                        n.trim()
                            .parse::<usize>()
                            .map_err(|e| format!("--sizes: {e}"))
                    })
                    .collect::<Result<_, _>>()?;
                if options.sizes.contains(&0) {
                    return Err("--sizes: a corpus needs at least one source".to_string());
                }
            }
            "--server" => options.server = Some(value("--server")?),
            "--samples" => {
                options.samples = value("--samples")?
                    .parse()
                    .map_err(|e| format!("--samples: {e}"))?
            }
            "--rediagnosis-samples" => {
                options.rediagnosis_samples = value("--rediagnosis-samples")?
                    .parse()
                    .map_err(|e| format!("--rediagnosis-samples: {e}"))?
            }
            "--cold-runs" => {
                options.cold_runs = value("--cold-runs")?
                    .parse()
                    .map_err(|e| format!("--cold-runs: {e}"))?;
                if options.cold_runs == 0 {
                    return Err("--cold-runs: at least the cold session's".to_string());
                }
            }
            "--write-docs" => options.write_docs = true,
            "--keep" => options.keep = true,
            // cargo passes `--bench` to every bench binary.
            "--bench" => {}
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(options)
}

fn progress(message: &str) {
    eprintln!("[bench lsp] {message}");
}

fn binary() -> String {
    std::env::var("DOSSIER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_dossier").to_string())
}

fn run_size(
    sources: usize,
    options: &Options,
    pools: &corpus::Pools,
    workdir: &Path,
) -> Result<SizeResult, String> {
    let root = workdir.join(format!("corpus-{sources}"));
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let started = Instant::now();
    let bytes = corpus::write_corpus(&root, sources, pools)
        .map_err(|e| format!("writing the corpus: {e}"))?;
    let generate_secs = started.elapsed().as_secs_f64();
    progress(&format!(
        "{sources} sources: {:.1} MB written in {generate_secs:.1} s under {}",
        bytes as f64 / 1e6,
        root.display()
    ));

    // The brief is written from the corpus as the library reads it: its keys and paragraph
    // numbers are exactly the server's.
    let brief = {
        let loaded = dossier::corpus::load(&root, &["sources".to_string()]);
        if loaded.sources.len() != sources {
            return Err(format!(
                "the library loaded {} sources of {sources}",
                loaded.sources.len()
            ));
        }
        let people: Vec<&str> = pools.person_names().collect();
        brief::write_brief(&loaded.sources, &people)
    };
    std::fs::write(root.join("brief.md"), &brief.text).map_err(|e| e.to_string())?;

    let binary = binary();
    let command = vec![binary.clone(), "lsp".to_string()];
    let samples = if sources >= 100_000 {
        options.samples.min(200)
    } else {
        options.samples
    };
    let plan = Plan {
        command: &command,
        root: &root,
        brief: &brief,
        samples,
        rediagnosis_samples: options.rediagnosis_samples,
        index_timeout: Duration::from_secs(60) + Duration::from_millis(5 * sources as u64),
    };
    let cache_dir = root.join(".dossier");
    let _ = std::fs::remove_dir_all(&cache_dir);
    let mut checksum = Checksum::new(&root);
    progress("cold session: index, idle CPU, latencies, re-diagnosis");
    let cold = measure::cold_session(&plan, &mut checksum);
    let mut errors = cold.errors.clone();
    let cache = cache_dir.exists();
    progress(&format!(
        "second start ({})",
        if cache { "with the cache" } else { "no cache" }
    ));
    let warm = measure::start(&plan)
        .map_err(|error| errors.push(format!("second start: {error}")))
        .ok();
    let _ = std::fs::remove_dir_all(&cache_dir);
    let mut cold_index_ms: Vec<f64> = cold.start.index_ms.into_iter().collect();
    for run in 2..=options.cold_runs {
        progress(&format!("cold start {run} of {}", options.cold_runs));
        match measure::start(&plan) {
            Ok(start) => cold_index_ms.extend(start.index_ms),
            Err(error) => errors.push(format!("cold start {run}: {error}")),
        }
        let _ = std::fs::remove_dir_all(&cache_dir);
    }
    progress("dossier index");
    let index_command_ms = measure::index_command(&binary, &root, plan.index_timeout)
        .map_err(|error| errors.push(error))
        .ok();
    let other = options.server.as_ref().map(|server| {
        progress(&format!("side by side: {server}"));
        let command: Vec<String> = server.split_whitespace().map(str::to_string).collect();
        let plan = Plan {
            command: &command,
            ..plan
        };
        let session = measure::other_server(&plan, &mut checksum);
        errors.extend(session.errors.iter().map(|e| format!("{server}: {e}")));
        session
    });
    if !options.keep {
        let _ = std::fs::remove_dir_all(&root);
    }
    Ok(SizeResult {
        sources,
        bytes,
        generate_secs,
        cold,
        warm,
        cache,
        cold_index_ms,
        index_command_ms,
        other,
        checksum: checksum.value,
        errors,
    })
}

fn write_docs(manifest_dir: &str, body: &str) -> std::io::Result<PathBuf> {
    let path = Path::new(manifest_dir).join("docs/BENCHMARKS.md");
    let generated = format!("{}\n{body}{}", report::BEGIN, report::END);
    let text = match std::fs::read_to_string(&path) {
        Ok(old) => match (old.find(report::BEGIN), old.find(report::END)) {
            (Some(begin), Some(end)) if begin < end => format!(
                "{}{generated}{}",
                &old[..begin],
                &old[end + report::END.len()..]
            ),
            _ => format!("{old}\n{generated}\n"),
        },
        Err(_) => format!(
            "# Benchmarks\n\nThe language server measured end to end, through the real binary \
over stdio.\n\n{generated}\n"
        ),
    };
    std::fs::write(&path, text)?;
    Ok(path)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let workdir = match tempfile::Builder::new().prefix("dossier-bench-").tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("cannot make a temporary directory: {error}");
            std::process::exit(2);
        }
    };
    let pools = corpus::Pools::new();
    let mut results = Vec::new();
    let mut failed = false;
    for &sources in &options.sizes {
        let started = Instant::now();
        match run_size(sources, &options, &pools, workdir.path()) {
            Ok(result) => {
                for error in &result.errors {
                    eprintln!("{sources} sources: {error}");
                    failed = true;
                }
                progress(&format!(
                    "{sources} sources done in {:.0} s, checksum {:016x}",
                    started.elapsed().as_secs_f64(),
                    result.checksum
                ));
                results.push(result);
                // The table so far, in case a larger size is stopped before the end.
                eprintln!("{}", report::table(&results));
            }
            Err(error) => {
                eprintln!("{sources} sources: {error}");
                failed = true;
            }
        }
    }
    if options.keep {
        let kept = workdir.keep();
        progress(&format!("corpora kept under {}", kept.display()));
    }

    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    let mut body = format!(
        "Measured {} on {}, at commit `{}` (release build).\n\n",
        report::date(),
        report::machine(),
        report::revision(manifest_dir),
    );
    body.push_str(&report::table(&results));
    body.push_str(&format!(
        "\nLatencies are round trips through the real binary over stdio, one request at a time, \
{} samples each after 5 unmeasured ones (at most 200 at 100k; a measure stops after 60 s once it has 20 samples, and after 180 s in any case), cycling over the positions of \
that kind in the brief; \"answered\" counts non-empty answers when some were empty. \
Re-diagnosis: {} edits, each waiting for the diagnostics of its version.\n",
        options.samples, options.rediagnosis_samples
    ));
    for result in &results {
        body.push_str(&format!(
            "\n- {} sources: corpus written in {:.1} s; the server said \"{}\"{}",
            result.sources,
            result.generate_secs,
            result.cold.start.index_log,
            result
                .warm
                .as_ref()
                .map(|w| format!("; on the second start \"{}\"", w.index_log))
                .unwrap_or_default()
        ));
    }
    for result in &results {
        for error in &result.errors {
            // The first line: the server's stderr that follows is on the terminal.
            let first = error.lines().next().unwrap_or_default();
            body.push_str(&format!("\n- {} sources, failed: {first}", result.sources));
        }
    }
    body.push('\n');
    if let Some(server) = &options.server
        && let Some(table) = report::other_table(server, &results)
    {
        body.push('\n');
        body.push_str(&table);
    }
    body.push_str(&format!(
        "\nReproduce: `cargo bench --bench lsp -- --sizes {} --write-docs`\n",
        options
            .sizes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    ));
    println!("\n{body}");
    let overall = results
        .iter()
        .fold(0u64, |acc, r| acc.rotate_left(7) ^ r.checksum);
    println!("checksum {overall:016x}");
    if options.write_docs {
        match write_docs(manifest_dir, &body) {
            Ok(path) => progress(&format!("wrote {}", path.display())),
            Err(error) => {
                eprintln!("cannot write docs/BENCHMARKS.md: {error}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
