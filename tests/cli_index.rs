//! End-to-end: the real `dossier` binary, its `index` command, workspace discovery, and its
//! exit statuses.

use std::path::Path;
use std::process::{Command, Output};

use dossier::text::{LineIndex, Position, PositionEncoding};
use serde_json::Value;

fn dossier(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

fn stdout_json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn write(root: &Path, path: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

fn position(value: &Value) -> Position {
    let number = |field: &str| value[field].as_u64().and_then(|n| u32::try_from(n).ok());
    Position {
        line: number("line").expect("line"),
        character: number("character").expect("character"),
    }
}

/// Every paragraph's LSP range, cut from the file on disk, is exactly its text.
fn assert_ranges_cut_the_text(root: &Path, source: &Value) {
    let path = root.join(source["path"].as_str().expect("path"));
    let bytes = std::fs::read(&path).expect("source file");
    // The Latin-1 fixture is read as the loader decodes it.
    let file = String::from_utf8(bytes.clone())
        .unwrap_or_else(|_| encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned());
    let lines = LineIndex::new(&file);
    for paragraph in source["paragraphs"].as_array().expect("paragraphs") {
        let range = &paragraph["range"];
        let start = lines.offset(&file, position(&range["start"]), PositionEncoding::Utf16);
        let end = lines.offset(&file, position(&range["end"]), PositionEncoding::Utf16);
        assert_eq!(&file[start..end], paragraph["text"].as_str().expect("text"));
    }
}

#[test]
fn index_json_in_an_empty_directory_is_the_bundled_seed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = stdout_json(&dossier(dir.path(), &["index", "--format", "json"]));
    let sources = json["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 1);
    let seed = &sources[0];
    assert_eq!(seed["key"], "berman2023");
    assert_eq!(seed["path"], "seeds/000_66373d9ec02ed63b.txt");
    assert_eq!(seed["author"], "Ilan I. Berman");
    assert_eq!(seed["date"], "2023-02-15");
    assert_eq!(seed["publisher"], "The Jerusalem Strategic Tribune");
    assert_eq!(seed["paragraphs"].as_array().map(Vec::len), Some(20));
    assert_eq!(seed["paragraphs"][12]["n"], 13);
    let entities = json["entities"].as_array().expect("entities");
    let putin = entities
        .iter()
        .find(|e| e["name"] == "Vladimir Putin")
        .expect("Putin");
    assert_eq!(putin["kind"], "person");
    assert_eq!(putin["aliases"], serde_json::json!(["Putin"]));
    assert_eq!(putin["description"], "Russian President");
    assert_eq!(putin["mentions"][0]["source"], "berman2023");
    let events = json["events"].as_array().expect("events");
    let trip = events
        .iter()
        .find(|e| e["date"] == "2022-07")
        .expect("the July 2022 trip");
    assert_eq!(trip["paragraph"], 1);
    assert!(
        trip["entities"]
            .as_array()
            .is_some_and(|names| names.contains(&serde_json::json!("Vladimir Putin")))
    );
    // The repository's seeds/ is the bundled text: its ranges cut that file.
    assert_ranges_cut_the_text(Path::new(env!("CARGO_MANIFEST_DIR")), seed);
}

#[test]
fn index_human_summary_counts_what_it_built() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dossier(dir.path(), &["index"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "sources     1",
        "paragraphs  20",
        "entities",
        "events",
        "took",
        "berman2023",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn index_json_reads_a_workspace_and_reports_files_it_cannot_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "dossier.toml",
        "[corpus]\npaths = [\"sources\", \"extra/solo.md\", \"missing\"]\n",
    );
    write(
        root,
        "sources/okonkwo.txt",
        "Water and Power\r\n\r\nMarch 3, 2019 Chiamaka Okonkwo Lagos Policy Review\r\n\r\nThe dam opened in 2020.\r\n\r\nFarmers downstream “protested” — loudly.\r\n",
    );
    write(
        root,
        "sources/nested/deep/okonkwo-later.txt",
        "Power, Again\n\nMarch 9, 2019 Chiamaka Okonkwo Lagos Policy Review\n\nA second look 😀 at the dam.\n",
    );
    write(
        root,
        "sources/lindqvist.md",
        "---\ntitle: Ice\nauthor: Åsa Lindqvist\ndate: 2021-11-08\npublisher: Nordic Review\n---\n\n# Ice\n\nShips crossed\nthe Arctic.\n",
    );
    write(
        root,
        "extra/solo.md",
        "---\ntitle: Solo\nkey: solo-note\n---\nOne paragraph.\n",
    );
    write(
        root,
        "sources/blob.txt",
        b"GIF89a\x00\x01\x02\x00\x00garbage",
    );
    write(
        root,
        "sources/latin1.txt",
        b"Caf\xE9s of M\xFCnchen\n\nJune 1, 2020 Hans M\xFCller Die Zeit\n\nThe caf\xE9 closed.\n",
    );
    write(root, "sources/picture.png", b"\x89PNG\r\n");
    write(
        root,
        "sources/.hidden/secret.txt",
        "Hidden\n\nNot a source.\n",
    );
    write(root, "sources/.gitignore", "drafts/\n");
    write(root, "sources/drafts/wip.txt", "Draft\n\nIgnored.\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", root.join("sources/nested/loop")).expect("symlink");

    let output = dossier(root, &["index", "--format", "json"]);
    let json = stdout_json(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);

    let keys: Vec<&str> = json["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["key"].as_str().expect("key"))
        .collect();
    assert_eq!(
        keys,
        [
            "solo-note",
            "muller2020",
            "lindqvist2021",
            "okonkwo2019b",
            "okonkwo2019a"
        ]
    );
    for source in json["sources"].as_array().expect("sources") {
        assert_ranges_cut_the_text(root, source);
    }
    let latin1 = &json["sources"][1];
    assert_eq!(latin1["paragraphs"][0]["text"], "The café closed.");
    assert_eq!(latin1["author"], "Hans Müller");

    assert!(stderr.contains("sources/blob.txt: binary file"), "{stderr}");
    assert!(stderr.contains("sources/latin1.txt: not UTF-8"), "{stderr}");
    assert!(
        stderr.contains("sources/picture.png: not a source format"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing: configured corpus path does not exist"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret") && !stderr.contains("wip"),
        "{stderr}"
    );
    #[cfg(unix)]
    assert!(stderr.contains("loop"), "{stderr}");
}

#[test]
fn the_workspace_is_found_from_a_subdirectory_and_root_overrides_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "dossier.toml", "[corpus]\npaths = [\"s\"]\n");
    write(root, "s/a.txt", "A\n\nMay 1, 2001 Ann Lee Paper\n\nText.\n");
    write(root, "deep/er/.keep", "");
    let json = stdout_json(&dossier(
        &root.join("deep/er"),
        &["index", "--format", "json"],
    ));
    assert_eq!(json["sources"][0]["key"], "lee2001");

    let elsewhere = tempfile::tempdir().expect("tempdir");
    let root_arg = root.to_string_lossy().into_owned();
    let json = stdout_json(&dossier(
        elsewhere.path(),
        &["--root", &root_arg, "index", "--format", "json"],
    ));
    assert_eq!(json["sources"][0]["key"], "lee2001");
}

#[test]
fn a_bad_config_is_a_clear_error_with_file_line_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "dossier.toml", "[corpus]\npaths = 3\n");
    let output = dossier(dir.path(), &["index"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dossier.toml:2:"), "{stderr}");
    assert!(stderr.contains("corpus.paths"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn usage_errors_exit_with_status_two() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[&[&str]] = &[
        &["frobnicate"],
        &["index", "--format", "xml"],
        &["check"],
        &["check", "--format", "pdf", "a.md"],
        &["--root", "/no/such/dir/anywhere", "index"],
    ];
    for args in cases {
        let output = dossier(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?} explains itself");
    }
    let help = dossier(dir.path(), &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("index"));
}

#[test]
fn entities_in_dossier_toml_add_and_correct_what_the_extractor_finds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "dossier.toml",
        r#"[corpus]
paths = ["s"]

[[entity]]
name = "Volvo"
kind = "organization"
description = "Swedish carmaker"

[[entity]]
name = "Ada Nwosu"
kind = "person"
aliases = ["Nwosu"]
"#,
    );
    write(
        root,
        "s/a.txt",
        "Steel\n\nMay 1, 2021 Ann Lee Paper\n\nThe mill shipped steel to Volvo in August. Finance Minister Nwosu praised it.\n",
    );
    let json = stdout_json(&dossier(root, &["index", "--format", "json"]));
    let entities = json["entities"].as_array().expect("entities");
    let find = |name: &str| entities.iter().find(|e| e["name"] == name).cloned();
    let volvo = find("Volvo").expect("Volvo");
    assert_eq!(volvo["kind"], "organization");
    assert_eq!(volvo["info"], "Swedish carmaker");
    let minister = find("Ada Nwosu").expect("the configured alias is found");
    assert_eq!(minister["kind"], "person");
    assert_eq!(minister["mentions"][0]["paragraph"], 1);
    let author = find("Ann Lee").expect("the author");
    assert_eq!(author["kind"], "person");
}

#[test]
fn index_json_into_a_pipe_closed_early_is_no_error() {
    // `dossier index --format json | head`: the document is written as it is made, and the
    // reader going away stops it quietly.
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["index", "--format", "json"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut start = [0u8; 16];
    stdout.read_exact(&mut start).expect("the document starts");
    assert_eq!(&start[..1], b"{");
    drop(stdout);
    let output = child.wait_with_output().expect("the binary ends");
    assert!(output.status.success(), "{:?}", output.status);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
