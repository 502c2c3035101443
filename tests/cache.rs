//! The on-disk index cache: a second start reuses every unchanged source, touching one file
//! re-reads only that file, a damaged cache is discarded and rebuilt, and a process killed at
//! any moment of a write leaves a cache that loads right (or none).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use dossier::indexer::{self, Stats};
use dossier::workspace::Workspace;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn source(n: usize) -> String {
    format!(
        "Report {n} on the Harbour\n\nMay {}, 20{:02} Ann Roe{n} Harbour Notes\n\nAnkara sent {n} ships to Tehran in 2020.\n\nThe navy of Turkey met officials in Moscow.\n",
        n % 28 + 1,
        n % 20
    )
}

fn workspace(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "dossier.toml",
        "[corpus]\npaths = [\"sources\"]\n",
    );
    for n in 0..count {
        write(dir.path(), &format!("sources/s{n:04}.txt"), &source(n));
    }
    dir
}

fn build(root: &Path) -> (Stats, Option<String>, String) {
    let workspace = Workspace::open(Some(root), root).expect("workspace");
    let built = indexer::build(&workspace, &|_, _| {});
    if let Some(unsaved) = built.unsaved {
        unsaved.write(&built.index).expect("snapshot written");
    }
    let keys: Vec<&str> = built
        .index
        .sources()
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    let summary = format!(
        "{} {} {}",
        keys.join(","),
        built.index.entities().len(),
        built.index.events().len()
    );
    (built.stats, built.cache_note, summary)
}

#[test]
fn unchanged_sources_are_reused_and_a_touched_one_is_read_again() {
    let dir = workspace(30);
    let (first, note, summary) = build(dir.path());
    assert_eq!((first.extracted, first.reused), (30, 0));
    assert_eq!(note, None);
    assert!(dir.path().join(".dossier/index.cache").is_file());

    let (second, _, again) = build(dir.path());
    assert_eq!(
        (second.extracted, second.reused),
        (0, 30),
        "all from the cache"
    );
    assert_eq!(again, summary, "the same index");

    // A new modification time and size for one file.
    std::thread::sleep(Duration::from_millis(20));
    write(
        dir.path(),
        "sources/s0007.txt",
        &source(7).replace("2020", "2021 and 2022"),
    );
    let (third, _, _) = build(dir.path());
    assert_eq!(
        (third.extracted, third.reused),
        (1, 29),
        "only the touched file is read"
    );

    std::fs::remove_file(dir.path().join("sources/s0003.txt")).expect("remove");
    let (fourth, _, _) = build(dir.path());
    assert_eq!((fourth.files, fourth.extracted, fourth.reused), (29, 0, 29));

    // A rebuild for a change does not decode the saved index first: the extractions come
    // from the cache.
    let workspace = Workspace::open(Some(dir.path()), dir.path()).expect("workspace");
    let rebuilt = indexer::rebuild(&workspace, &|_, _| {}).stats;
    assert_eq!(
        (rebuilt.from_snapshot, rebuilt.extracted, rebuilt.reused),
        (false, 0, 29)
    );
    let (fifth, _, _) = build(dir.path());
    assert!(
        fifth.from_snapshot,
        "a build starts from the snapshot when it is current"
    );
}

/// A build leaves its snapshot to the caller (a server writes it once the index serves);
/// once written, the next build starts from it.
#[test]
fn a_built_index_is_saved_by_its_caller() {
    let dir = workspace(3);
    let workspace = Workspace::open(Some(dir.path()), dir.path()).expect("workspace");
    let snapshot = dir.path().join(".dossier/index.snapshot");
    let built = indexer::build(&workspace, &|_, _| {});
    assert!(!snapshot.exists(), "not written by the build");
    let unsaved = built
        .unsaved
        .expect("a built index has a snapshot to write");
    unsaved.write(&built.index).expect("snapshot written");
    assert!(snapshot.is_file());
    let again = indexer::build(&workspace, &|_, _| {});
    assert!(again.stats.from_snapshot && again.unsaved.is_none());
}

#[test]
fn a_damaged_cache_is_discarded_and_rebuilt() {
    let dir = workspace(10);
    let (_, _, summary) = build(dir.path());
    let snapshot = dir.path().join(".dossier/index.snapshot");
    let cache = dir.path().join(".dossier/index.cache");

    // A damaged snapshot: the extractions still come from the cache.
    let bytes = std::fs::read(&snapshot).expect("snapshot");
    std::fs::write(&snapshot, &bytes[..bytes.len() / 3]).expect("truncate");
    let (stats, note, again) = build(dir.path());
    assert!(
        note.as_ref()
            .is_some_and(|n| n.contains("index.snapshot") && n.contains("truncated")),
        "{note:?}"
    );
    assert_eq!((stats.from_snapshot, stats.reused), (false, 10));
    assert_eq!(again, summary);
    let (stats, note, _) = build(dir.path());
    assert_eq!((stats.from_snapshot, note), (true, None), "rewritten");

    // A byte changed in one of the snapshot's sections (the last, near its end).
    let mut flipped = std::fs::read(&snapshot).expect("snapshot");
    let near_end = flipped.len() - 3;
    flipped[near_end] ^= 0x55;
    std::fs::write(&snapshot, &flipped).expect("corrupt");
    let (stats, note, again) = build(dir.path());
    assert!(
        note.as_ref()
            .is_some_and(|n| n.contains("index.snapshot") && n.contains("checksum")),
        "{note:?}"
    );
    assert_eq!((stats.from_snapshot, stats.reused), (false, 10));
    assert_eq!(again, summary);

    // A damaged extraction cache, with no snapshot to start from: everything is extracted.
    std::fs::remove_file(&snapshot).expect("remove snapshot");
    let bytes = std::fs::read(&cache).expect("cache");
    std::fs::write(&cache, &bytes[..bytes.len() / 3]).expect("truncate");
    let (stats, note, again) = build(dir.path());
    assert!(note.is_some_and(|n| n.contains("discarded") && n.contains("truncated")));
    assert_eq!(stats.extracted, 10);
    assert_eq!(again, summary);

    std::fs::remove_file(&snapshot).expect("remove snapshot");
    let mut flipped = std::fs::read(&cache).expect("rewritten cache");
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    std::fs::write(&cache, &flipped).expect("corrupt");
    let (stats, note, again) = build(dir.path());
    assert!(note.is_some_and(|n| n.contains("checksum")));
    assert_eq!((stats.extracted, again), (10, summary.clone()));

    std::fs::remove_file(&snapshot).expect("remove snapshot");
    // And the command line says so on stderr.
    std::fs::write(&cache, b"garbage").expect("garbage");
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["index"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("index cache"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_kill_during_a_cache_write_never_leaves_a_cache_that_loads_wrong() {
    let dir = workspace(400);
    let (_, _, expected) = build(dir.path());
    let folder = dir.path().join(".dossier");
    // Each run must rewrite both files: they are removed between runs.
    for (round, delay) in [5u64, 15, 30, 45, 60, 90, 120, 180].into_iter().enumerate() {
        std::fs::remove_file(folder.join("index.cache")).ok();
        std::fs::remove_file(folder.join("index.snapshot")).ok();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["index"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the kill left, the next start loads the same index.
        let (_, note, summary) = build(dir.path());
        assert_eq!(summary, expected, "round {round}: {note:?}");
        let leftovers: Vec<_> = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name())
                    .collect()
            })
            .unwrap_or_default();
        for name in ["index.cache", "index.snapshot"] {
            assert!(
                leftovers.iter().any(|left| left == name),
                "round {round}: {leftovers:?}"
            );
        }
    }
}
