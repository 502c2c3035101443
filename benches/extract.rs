//! Source extraction on one thread: MB/s of source text through `extract::extract`, with a
//! checksum of the output so that a faster extractor can be checked for the same answer.
//!
//! `cargo bench --bench extract -- <workspace root>` (a directory with a `dossier.toml`);
//! without one, the bundled corpus. `DOSSIER_BENCH_ROUNDS` repeats the timed pass (default 3,
//! the best one counts). The time is the thread's CPU time where Linux reports it, so that
//! other work on a busy machine does not count; else wall time.
//!
//! With `--shapes`, the same paragraphs are also extracted as one source, as one paragraph
//! and as one sentence (commas for full stops): each should run at about the corpus's MB/s,
//! as extraction must take time in proportion to the text whatever its shape (a user's
//! corpus may hold a book-length file, or a megabyte with no full stop).
#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossier::corpus::load::read_source;
use dossier::corpus::{Corpus, Source, load, load_bundled};
use dossier::extract::lexicon::Lexicon;
use dossier::extract::{Extraction, extract};
use dossier::workspace::Workspace;

fn main() {
    // `cargo bench` passes `--bench`; the root is the first argument that is not a flag.
    let root = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let (corpus, lexicon) = match root {
        Some(root) => corpus_at(PathBuf::from(root)),
        None => (load_bundled(), Lexicon::build(&[])),
    };
    // The lexicon builds its automaton on first use: not part of what is timed.
    lexicon.prepare();
    let bytes: usize = corpus.sources.iter().map(|s| s.text.len()).sum();
    let rounds: usize = std::env::var("DOSSIER_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut best = Duration::MAX;
    let mut extractions = Vec::new();
    for _ in 0..rounds.max(1) {
        let started = Clock::start();
        extractions = corpus
            .sources
            .iter()
            .map(|source| extract(source, &lexicon))
            .collect();
        best = best.min(started.elapsed());
    }
    let megabytes = bytes as f64 / 1e6;
    println!(
        "extract: {} sources, {megabytes:.1} MB in {:.2} s ({}): {:.1} MB/s on one thread (best of {}), checksum {:08x}",
        corpus.sources.len(),
        best.as_secs_f64(),
        Clock::KIND[usize::from(thread_cpu_time().is_none())],
        megabytes / best.as_secs_f64(),
        rounds.max(1),
        checksum(&extractions),
    );
    if std::env::args().any(|a| a == "--shapes") {
        let shapes = [
            ("one source", "\n\n", false),
            ("one paragraph", " ", false),
            ("one sentence", " ", true),
        ];
        for (shape, separator, without_full_stops) in shapes {
            let source = reshaped(&corpus, separator, without_full_stops);
            let started = Clock::start();
            let extraction = extract(&source, &lexicon);
            let took = started.elapsed();
            println!(
                "extract: the same paragraphs as {shape} ({} paragraphs, {:.1} MB): {:.1} MB/s, {} events",
                source.paragraphs.len(),
                source.text.len() as f64 / 1e6,
                source.text.len() as f64 / 1e6 / took.as_secs_f64(),
                extraction.events.len(),
            );
        }
    }
}

/// Every paragraph of `corpus` in one source, joined by `separator`, and with commas for
/// its full stops if asked (then it is one sentence): read back from a file, as the corpus
/// reads any.
fn reshaped(corpus: &Corpus, separator: &str, without_full_stops: bool) -> Source {
    let paragraphs: Vec<&str> = corpus
        .sources
        .iter()
        .flat_map(|source| source.paragraphs.iter().map(|p| source.paragraph_text(p)))
        .collect();
    let mut body = paragraphs.join(separator);
    if without_full_stops {
        body = body.replace(['.', '!', '?'], ",");
    }
    let text = format!("All the paragraphs\n\nJanuary 1, 2020 Bench Writer\n\n{body}\n");
    let directory = match tempfile::tempdir() {
        Ok(directory) => directory,
        Err(error) => panic!("a temporary directory: {error}"),
    };
    let file = directory.path().join("reshaped.txt");
    if let Err(error) = std::fs::write(&file, text) {
        panic!("{}: {error}", file.display());
    }
    match read_source(directory.path(), &file) {
        Ok((source, _)) => source,
        Err(problem) => panic!("{}: {}", problem.path, problem.reason),
    }
}

fn corpus_at(root: PathBuf) -> (Corpus, Lexicon) {
    let workspace = match Workspace::open(Some(&root), &root) {
        Ok(workspace) => workspace,
        Err(error) => panic!("{}: {error}", root.display()),
    };
    let corpus = load(&workspace.root, &workspace.config.corpus.paths);
    (corpus, Lexicon::build(&workspace.config.entities))
}

/// CRC-32 of every extraction, serialised: equal outputs give equal checksums.
fn checksum(extractions: &[Extraction]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    for extraction in extractions {
        match postcard::to_stdvec(extraction) {
            Ok(bytes) => hasher.update(&bytes),
            Err(error) => panic!("serialising an extraction: {error}"),
        }
    }
    hasher.finalize()
}

/// The thread's CPU time when the system reports it, else wall time.
enum Clock {
    Cpu(Duration),
    Wall(Instant),
}

impl Clock {
    const KIND: [&str; 2] = ["thread CPU time", "wall time"];

    fn start() -> Clock {
        match thread_cpu_time() {
            Some(cpu) => Clock::Cpu(cpu),
            None => Clock::Wall(Instant::now()),
        }
    }

    fn elapsed(&self) -> Duration {
        match self {
            Clock::Cpu(start) => thread_cpu_time().map_or(Duration::MAX, |now| now - *start),
            Clock::Wall(start) => start.elapsed(),
        }
    }
}

/// Nanoseconds on the CPU, the first field of Linux's `/proc/thread-self/schedstat`.
fn thread_cpu_time() -> Option<Duration> {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = schedstat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
