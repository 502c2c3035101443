//! Fault suite, corpus side: a workspace full of hostile and odd files (binary, wrong
//! encodings, empty, huge, deep, looping, a FIFO, a folder named like a file). Each is
//! reported by path with a reason — on stderr by `dossier index`, in `window/logMessage` by
//! the server — and the rest of the corpus loads.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::LspClient;
use serde_json::{Value, json};

/// A well-formed source that must load whatever its neighbours are.
const GOOD: &str = "Good Source\n\nMarch 3, 2024 Jane Roe The Review\n\nThe committee met in Oslo on 2 March 2024 and agreed.\n";

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Writes the hostile workspace; returns the paths (relative to the root) that must be
/// reported as skipped.
fn hostile_workspace(root: &Path) -> Vec<&'static str> {
    let sources = root.join("sources");
    std::fs::create_dir_all(&sources).expect("sources");
    std::fs::write(
        root.join("dossier.toml"),
        "[corpus]\npaths = [\"sources\"]\n",
    )
    .expect("config");
    std::fs::write(sources.join("good.txt"), GOOD).expect("good");
    // Binary: NUL bytes and a PNG signature.
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend((0..4096u32).map(|n| (n * 31 % 251) as u8));
    std::fs::write(sources.join("binary.txt"), binary).expect("binary");
    // Latin-1 (invalid UTF-8): decoded with a note, not skipped.
    std::fs::write(
        sources.join("latin1.txt"),
        b"Caf\xe9 Title\n\nJanuary 2, 2020 Jos\xe9 Garc\xeda El Pa\xeds\n\nEl caf\xe9 est\xe1 en Troms\xf8.\n",
    )
    .expect("latin1");
    // Arbitrary invalid UTF-8 that is not binary.
    std::fs::write(
        sources.join("broken-utf8.txt"),
        b"Title\n\nText with \xc3\x28 and \xa0\xa1 and \xf0\x28\x8c\xbc in it.\n",
    )
    .expect("broken utf8");
    // UTF-16 with a byte order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Utf Sixteen\n\nMay 5, 2021 Ann Lee Daily\n\nText in Kyiv.\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    std::fs::write(sources.join("utf16.txt"), utf16).expect("utf16");
    std::fs::write(sources.join("empty.txt"), "").expect("empty");
    // A 1 MB line.
    let long_line = format!("Long Line\n\n{}.\n", "word ".repeat(200_000));
    std::fs::write(sources.join("long-line.txt"), long_line).expect("long line");
    // 200 nested folders with a source at the bottom.
    let mut deep = sources.join("deep");
    for n in 0..200 {
        deep.push(format!("d{n}"));
    }
    std::fs::create_dir_all(&deep).expect("deep folders");
    std::fs::write(deep.join("deep.txt"), GOOD.replace("Good", "Deep")).expect("deep");
    // A symlink loop, and a symlink to nowhere.
    std::os::unix::fs::symlink(&sources, sources.join("loop")).expect("loop");
    std::os::unix::fs::symlink(root.join("nowhere.txt"), sources.join("dangling.txt"))
        .expect("dangling");
    // A folder named like a source.
    std::fs::create_dir_all(sources.join("x.txt")).expect("x.txt folder");
    std::fs::write(
        sources.join("x.txt").join("inner.txt"),
        GOOD.replace("Good", "Inner"),
    )
    .expect("inner");
    // A FIFO: opening it for reading would block until a writer comes.
    let fifo = sources.join("fifo.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    vec![
        "sources/binary.txt",
        "sources/empty.txt",
        "sources/fifo.txt",
        "sources/loop",
        "sources/dangling.txt",
    ]
}

fn run_index(root: &Path) -> (Value, String, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["index", "--format", "json"])
        .current_dir(root)
        .output()
        .expect("run dossier index");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "status {:?}\nstderr:\n{stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let index: Value = serde_json::from_slice(&output.stdout).expect("index JSON");
    (index, stderr, took)
}

fn titles(index: &Value) -> Vec<String> {
    index["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|source| source["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn index_reports_each_hostile_file_and_loads_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let skipped = hostile_workspace(dir.path());
    let (index, stderr, took) = run_index(dir.path());
    assert!(took < Duration::from_secs(30), "took {took:?}");
    for path in &skipped {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with("dossier: skipped: ") && line.contains(path)),
            "{path} is not reported as skipped:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("sources/fifo.txt: not a regular file"),
        "{stderr}"
    );
    assert!(stderr.contains("sources/binary.txt: binary"), "{stderr}");
    for noted in [
        "sources/latin1.txt",
        "sources/broken-utf8.txt",
        "sources/utf16.txt",
    ] {
        assert!(
            stderr.contains(&format!("dossier: warning: {noted}: ")),
            "{noted}:\n{stderr}"
        );
    }
    let titles = titles(&index);
    for title in [
        "Good Source",
        "Deep Source",
        "Inner Source",
        "Café Title",
        "Utf Sixteen",
        "Long Line",
    ] {
        assert!(titles.iter().any(|t| t == title), "{title} in {titles:?}");
    }
}

#[test]
fn the_server_logs_each_hostile_file_and_serves_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let skipped = hostile_workspace(dir.path());
    let mut client = LspClient::start(dir.path());
    client.initialize(json!({}), json!(file_uri(dir.path())));
    client.wait_for_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("indexed"))
    });
    let logged: Vec<String> = client
        .notifications("window/logMessage")
        .iter()
        .filter_map(|p| p["message"].as_str().map(str::to_string))
        .collect();
    for path in &skipped {
        assert!(
            logged
                .iter()
                .any(|m| m.starts_with("skipped: ") && m.contains(path)),
            "{path} not logged: {logged:#?}"
        );
    }
    let symbols = client.request("workspace/symbol", json!({"query": "Oslo"}));
    assert!(
        symbols.as_array().is_some_and(|s| !s.is_empty()),
        "the good sources are served: {symbols}"
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_fifo_named_directly_in_the_config_does_not_hang_the_loader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    std::fs::write(dir.path().join("good.txt"), GOOD).expect("good");
    std::fs::write(
        dir.path().join("dossier.toml"),
        "[corpus]\npaths = [\"pipe.txt\", \"good.txt\"]\n",
    )
    .expect("config");
    let (index, stderr, _) = run_index(dir.path());
    assert!(stderr.contains("pipe.txt: not a regular file"), "{stderr}");
    assert_eq!(titles(&index), ["Good Source"]);
}

#[test]
fn read_source_on_a_fifo_is_refused_without_waiting_for_a_writer() {
    // Regression: `read_source` opened a FIFO the usual way, which blocks until a writer
    // comes; it opens without waiting now, and refuses what is no regular file.
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let problem =
        dossier::corpus::load::read_source(dir.path(), &fifo).expect_err("a FIFO is not a source");
    assert_eq!(problem.path, "fifo.txt");
    assert!(problem.reason.contains("not a regular file"), "{problem:?}");
    assert!(problem.skipped);
}

#[test]
fn read_source_on_a_file_that_vanished_reports_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gone: PathBuf = dir.path().join("gone.txt");
    std::fs::write(&gone, GOOD).expect("write");
    std::fs::remove_file(&gone).expect("remove");
    let problem =
        dossier::corpus::load::read_source(dir.path(), &gone).expect_err("the file is gone");
    assert_eq!(problem.path, "gone.txt");
    assert!(problem.reason.starts_with("cannot read: "), "{problem:?}");
    assert!(problem.skipped);
}

#[test]
fn files_vanishing_while_the_corpus_loads_are_reported_not_fatal() {
    // A race, repeated: a thread deletes and recreates files while `load` lists and reads
    // them. Whatever the interleaving, every file is either a source or a problem.
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).expect("sources");
    let names: Vec<PathBuf> = (0..40).map(|n| sources.join(format!("s{n}.txt"))).collect();
    for name in &names {
        std::fs::write(name, GOOD).expect("write");
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = std::sync::Arc::clone(&stop);
        let names = names.clone();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let name = &names[n % names.len()];
                let _ = std::fs::remove_file(name);
                std::thread::yield_now();
                let _ = std::fs::write(name, GOOD);
                n += 1;
            }
        })
    };
    for _ in 0..20 {
        let corpus = dossier::corpus::load::load(dir.path(), &["sources".to_string()]);
        assert!(corpus.sources.len() + corpus.problems.len() >= 1);
        for problem in &corpus.problems {
            assert!(problem.path.starts_with("sources/"), "{problem:?}");
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("churn thread");
}

/// In process, through the loader alone: `dossier index` on this file also runs entity
/// extraction over 50 MB, about a minute in a debug build (see docs/ROBUSTNESS.md).
#[test]
fn a_fifty_megabyte_source_loads_with_its_neighbours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).expect("sources");
    std::fs::write(sources.join("good.txt"), GOOD).expect("good");
    let mut huge = String::from("Huge Source\n\nJune 1, 2020 Max Mustermann Archive\n\n");
    let mut n = 0;
    while huge.len() < 50 * 1024 * 1024 {
        let _ = write!(
            huge,
            "Paragraph {n} of the archive records routine business without names or dates \
             and repeats itself to fill the file with plain words only.\n\n"
        );
        n += 1;
    }
    std::fs::write(sources.join("huge.txt"), &huge).expect("huge");
    let started = Instant::now();
    let corpus = dossier::corpus::load::load(dir.path(), &["sources".to_string()]);
    let took = started.elapsed();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let titles: Vec<&str> = corpus.sources.iter().map(|s| s.title.as_str()).collect();
    assert!(titles.contains(&"Good Source"), "{titles:?}");
    let huge_source = corpus
        .sources
        .iter()
        .find(|s| s.title == "Huge Source")
        .expect("the huge source loads");
    assert_eq!(huge_source.paragraphs.len(), n, "every paragraph");
    eprintln!("50 MB source: loaded in {took:?}");
}
