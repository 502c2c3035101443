//! End-to-end: the diagnostics the server publishes, and `dossier check` in its three formats,
//! on the same brief.

mod common;

use std::path::Path;
use std::process::Command;

use common::LspClient;
use serde_json::{Value, json};

const BRIEF: &str = "# Brief\n\nPutin traveled to Tehran in July 2023 [@berman2023, para. 1].\n\nRussia became \"an international outcast\" [@berman2023, para. 3].\n\nSee [@berman2032] and [@berman2023, para. 42].\n\nPutin met Iranian officials in Tehran in July 2022.\n";

fn dossier(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn the_server_and_check_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let brief_path = dir.path().join("brief.md");
    std::fs::write(&brief_path, BRIEF).expect("write");

    let output = dossier(dir.path(), &["check", "--format", "json", "brief.md"]);
    assert_eq!(output.status.code(), Some(1), "errors were found");
    let mut from_check: Vec<Value> =
        serde_json::from_slice::<Vec<Value>>(&output.stdout).expect("json");
    assert!(from_check.iter().all(|d| d["path"] == "brief.md"));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("brief.md: 3 claims, 2 cited"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for diagnostic in &mut from_check {
        if let Value::Object(map) = diagnostic {
            map.remove("path");
        }
    }

    let mut client = LspClient::start(dir.path());
    client.initialize(json!({}), json!(file_uri(dir.path())));
    let uri = file_uri(&brief_path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": BRIEF}}),
    );
    let published = client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
    });
    assert_eq!(published["version"], 1);
    assert_eq!(published["diagnostics"], Value::Array(from_check.clone()));
    let codes: Vec<&str> = from_check
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "contradicts-source",
            "misquote",
            "unknown-source",
            "unknown-locator",
            "uncited-claim"
        ]
    );
    for diagnostic in &from_check {
        assert_eq!(diagnostic["source"], "dossier");
        assert!(
            diagnostic["codeDescription"]["href"]
                .as_str()
                .is_some_and(|h| h.starts_with("file://") && h.contains("diagnostics.md#"))
        );
    }
    assert!(
        from_check[0]["relatedInformation"][0]["location"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("file://"))
    );

    // The quick fix for the wrong date, through the server.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": from_check[0]["range"], "context": {"diagnostics": []}}),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Write July 2022, as the source does");
    assert_eq!(fix["edit"]["changes"][&uri][0]["newText"], "July 2022");
    assert!(actions.as_array().is_some_and(|a| {
        a.iter()
            .any(|a| a["title"] == "Ignore contradicts-source on this line")
    }));

    // The fix that searches the corpus is made when asked for: cite the passage for the
    // uncited claim.
    let uncited = from_check
        .iter()
        .find(|d| d["code"] == "uncited-claim")
        .expect("an uncited claim");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": uncited["range"], "context": {"diagnostics": []}}),
    );
    assert!(
        actions
            .as_array()
            .is_some_and(|a| a.iter().any(|a| a["title"] == "Cite @berman2023, para. 1")),
        "{actions}"
    );

    // An edit that fixes the date is followed by diagnostics for the new version.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": from_check[0]["range"], "text": "July 2022"}]}),
    );
    let again = client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == 2
    });
    assert!(
        again["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().all(|d| d["code"] != "contradicts-source"))
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// Pauses in typing that each outlast the debounce ask for a diagnosis while the one before
/// is still under way (a long brief): they take turns, and the last version is the one
/// diagnosed at the end, the publishes never going back to an older version.
#[test]
fn edits_while_a_long_brief_is_diagnosed_end_in_diagnostics_of_the_last_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let brief_path = dir.path().join("brief.md");
    let long_brief = BRIEF.repeat(400);
    std::fs::write(&brief_path, &long_brief).expect("write");
    let mut client = LspClient::start(dir.path());
    client.initialize(json!({}), json!(file_uri(dir.path())));
    let uri = file_uri(&brief_path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": long_brief}}),
    );
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let last_version = 8;
    for version in 2..=last_version {
        let end = json!({"line": 0, "character": 7});
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": end, "end": end}, "text": "!"}]}),
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let last = client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == last_version
    });
    assert!(
        last["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
    let versions: Vec<i64> = client
        .notifications("textDocument/publishDiagnostics")
        .iter()
        .filter_map(|p| p["version"].as_i64())
        .collect();
    assert!(versions.is_sorted(), "published out of order: {versions:?}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn check_formats_human_and_sarif() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("brief.md"), BRIEF).expect("write");
    let human = dossier(dir.path(), &["check", "brief.md"]);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains(
            "brief.md:3:29: warning[contradicts-source]: the cited paragraph says July 2022"
        ),
        "{text}"
    );
    assert!(
        text.contains("brief.md:7:7: error[unknown-source]"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("brief.md: 3 claims, 2 cited (66%), 0 supported (0%)"),
        "{text}"
    );

    let sarif = dossier(dir.path(), &["check", "--format", "sarif", "brief.md"]);
    let log: Value = serde_json::from_slice(&sarif.stdout).expect("sarif json");
    assert_sarif_shape(&log);
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(5));

    let clean = dossier(dir.path(), &["check", "missing.md"]);
    assert_eq!(
        clean.status.code(),
        Some(2),
        "an unreadable brief is an I/O error"
    );
    std::fs::write(
        dir.path().join("ok.md"),
        "# Notes\n\nIn our view this matters.\n",
    )
    .expect("write");
    assert_eq!(
        dossier(dir.path(), &["check", "ok.md"]).status.code(),
        Some(0)
    );
}

/// The parts of the SARIF 2.1.0 schema that consumers read: required properties, their
/// types, and the allowed values of `level`.
fn assert_sarif_shape(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let runs = log["runs"].as_array().expect("runs is an array");
    for run in runs {
        let driver = &run["tool"]["driver"];
        assert!(driver["name"].is_string(), "tool.driver.name is required");
        let rules = driver["rules"].as_array().expect("rules");
        for rule in rules {
            assert!(rule["id"].is_string());
            assert!(
                ["none", "note", "warning", "error"]
                    .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap_or(""))
            );
        }
        for result in run["results"].as_array().expect("results") {
            assert!(
                result["message"]["text"].is_string(),
                "result.message.text is required"
            );
            let rule = result["ruleId"].as_str().expect("ruleId");
            let rule_index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[rule_index]["id"], rule);
            assert!(
                ["none", "note", "warning", "error"]
                    .contains(&result["level"].as_str().unwrap_or(""))
            );
            for location in result["locations"].as_array().expect("locations") {
                let physical = &location["physicalLocation"];
                assert!(physical["artifactLocation"]["uri"].is_string());
                let region = &physical["region"];
                for field in ["startLine", "startColumn", "endLine", "endColumn"] {
                    assert!(
                        region[field].as_u64().is_some_and(|n| n >= 1),
                        "{field} ≥ 1"
                    );
                }
            }
        }
    }
}

#[test]
fn editor_settings_override_dossier_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("notes")).expect("mkdir");
    std::fs::write(
        root.join("notes/a.txt"),
        "Ports\n\nMay 3, 2021 Ann Roe Harbour Notes\n\nAnkara sent ships in 2020.\n",
    )
    .expect("write");
    std::fs::write(
        root.join("dossier.toml"),
        "[diagnostics]\nunknown-source = \"warning\"\n",
    )
    .expect("write");
    let mut client = LspClient::start(root);
    let options = json!({"corpus": {"paths": ["notes"]}, "diagnostics": {"uncited-claim": "off", "unknown-source": "hint"}});
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(root), "capabilities": {}, "initializationOptions": options}),
    );
    client.notify("initialized", json!({}));
    let uri = file_uri(&root.join("brief.md"));
    let text = "Ankara sent ships in 2020.\n\nAnkara sent ships in 2021 [@roe2021, para. 1].\n\nSee [@nobody1999].\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let published = client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.len() >= 2)
    });
    let found: Vec<(String, u64)> = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("contradicts-source".to_string(), 2),
            ("unknown-source".to_string(), 4)
        ],
        "the configured corpus is used, uncited-claim is off, unknown-source is a hint"
    );
}

#[test]
fn a_brief_opened_after_indexing_is_diagnosed_without_an_edit() {
    // Regression: diagnostics came only after an edit or a reindex, so a brief opened once
    // the corpus was indexed showed no problems until the user typed.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = LspClient::start(dir.path());
    client.initialize(json!({}), json!(file_uri(dir.path())));
    client.wait_for_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("indexed"))
    });
    let uri = file_uri(&dir.path().join("brief.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 7, "text": BRIEF}}),
    );
    let published =
        client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    assert_eq!(published["version"], 7);
    assert!(
        published["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == "unknown-source")),
        "{published}"
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}
