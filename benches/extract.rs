//! Source extraction on one thread: MB/s of source text through `extract::extract`, with a
//! checksum of the output so that a faster extractor can be checked for the same answer.
//!
//! `cargo bench --bench extract -- <workspace root>` (a directory with a `dossier.toml`);
//! without one, the bundled corpus. `DOSSIER_BENCH_ROUNDS` repeats the timed pass (default 3,
//! the best one counts).
#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossier::corpus::{Corpus, load, load_bundled};
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
    let bytes: usize = corpus.sources.iter().map(|s| s.text.len()).sum();
    let rounds: usize = std::env::var("DOSSIER_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut best = Duration::MAX;
    let mut extractions = Vec::new();
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        extractions = corpus
            .sources
            .iter()
            .map(|source| extract(source, &lexicon))
            .collect();
        best = best.min(started.elapsed());
    }
    let megabytes = bytes as f64 / 1e6;
    println!(
        "extract: {} sources, {megabytes:.1} MB in {:.2} s: {:.1} MB/s on one thread (best of {}), checksum {:08x}",
        corpus.sources.len(),
        best.as_secs_f64(),
        megabytes / best.as_secs_f64(),
        rounds.max(1),
        checksum(&extractions),
    );
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
