//! End-to-end: the real `dossier lsp` over stdio, driven as an editor drives it: hover, go to
//! source, references, symbols, reindexing, incremental edits, the panic boundary.

mod common;

use std::path::Path;

use common::LspClient;
use dossier::text::{LineIndex, Position, PositionEncoding};
use serde_json::{Value, json};

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Starts a server on `root`, initializes it (offering UTF-8 when asked) and waits until the
/// corpus is indexed.
fn start(root: &Path, utf8: bool) -> LspClient {
    start_with_env(root, utf8, &[])
}

fn start_with_env(root: &Path, utf8: bool, env: &[(&str, &str)]) -> LspClient {
    let mut client = LspClient::start_with_env(root, &["lsp", "--stdio"], env);
    let encodings = if utf8 {
        json!(["utf-8", "utf-16"])
    } else {
        json!(["utf-16"])
    };
    let capabilities = json!({
        "general": {"positionEncodings": encodings},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
    });
    let result = client.initialize(capabilities, json!(file_uri(root)));
    let expected = if utf8 { "utf-8" } else { "utf-16" };
    assert_eq!(result["capabilities"]["positionEncoding"], expected);
    client.wait_for_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("indexed"))
    });
    client
}

fn open(client: &mut LspClient, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

/// The LSP position of the first `needle` in `text`, plus `into` characters.
fn position_of(text: &str, needle: &str, into: usize, encoding: PositionEncoding) -> Value {
    let offset = text.find(needle).expect("needle")
        + needle
            .char_indices()
            .nth(into)
            .map_or(needle.len(), |(i, _)| i);
    let position = LineIndex::new(text).position(text, offset, encoding);
    json!({"line": position.line, "character": position.character})
}

fn hover_text(client: &mut LspClient, uri: &str, position: Value) -> String {
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

const BRIEF: &str = "# Brief 😀\n\n“Quoted” — em dash 😀 then Vladimir Putin went to Tehran [@berman2023, para. 1].\n\nDrones [@berman2023, para. 13] and @berman2023 again; Tehran.\n";

#[test]
fn hover_after_non_ascii_text_in_both_encodings() {
    for utf8 in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut client = start(dir.path(), utf8);
        let uri = file_uri(&dir.path().join("brief.md"));
        open(&mut client, &uri, BRIEF);
        let encoding = if utf8 {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        };

        let entity = hover_text(
            &mut client,
            &uri,
            position_of(BRIEF, "Putin went", 2, encoding),
        );
        assert!(
            entity.starts_with("**Vladimir Putin** · person"),
            "{entity}"
        );
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position_of(BRIEF, "Putin went", 2, encoding)}),
        );
        let start = position_of(BRIEF, "Vladimir Putin", 0, encoding);
        assert_eq!(
            hover["range"]["start"], start,
            "the range is in the negotiated encoding"
        );

        let key = hover_text(
            &mut client,
            &uri,
            position_of(BRIEF, "berman2023, para. 1", 3, encoding),
        );
        assert!(
            key.contains("A New Page in the Russo–Iranian Partnership"),
            "{key}"
        );
        let locator = hover_text(
            &mut client,
            &uri,
            position_of(BRIEF, "para. 13", 6, encoding),
        );
        assert!(
            locator.starts_with("**berman2023 ¶13**") && locator.contains("kamikaze"),
            "{locator}"
        );
        assert_eq!(client.shutdown_and_exit().code(), Some(0));
    }
}

#[test]
fn go_to_source_opens_the_real_file_at_the_paragraph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = start(dir.path(), false);
    let uri = file_uri(&dir.path().join("brief.md"));
    open(&mut client, &uri, BRIEF);
    let found = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position_of(BRIEF, "para. 13", 7, PositionEncoding::Utf16)}),
    );
    let location = &found[0];
    let path = location["uri"]
        .as_str()
        .and_then(|u| u.strip_prefix("file://"))
        .expect("a file URI");
    let text = std::fs::read_to_string(path).expect("the bundled source is a real file");
    let lines = LineIndex::new(&text);
    let at = |p: &Value| {
        let position = Position {
            line: p["line"].as_u64().unwrap_or(0) as u32,
            character: p["character"].as_u64().unwrap_or(0) as u32,
        };
        lines.offset(&text, position, PositionEncoding::Utf16)
    };
    let paragraph = &text[at(&location["range"]["start"])..at(&location["range"]["end"])];
    assert!(
        paragraph.starts_with("These difficulties have led Moscow"),
        "{paragraph}"
    );
    assert!(paragraph.ends_with("drone warfare."), "{paragraph}");
}

#[test]
fn references_symbols_and_workspace_symbols() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = start(dir.path(), false);
    let uri = file_uri(&dir.path().join("brief.md"));
    open(&mut client, &uri, BRIEF);
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": position_of(BRIEF, "Tehran", 1, PositionEncoding::Utf16),
               "context": {"includeDeclaration": true}}),
    );
    let references = references.as_array().expect("locations");
    let in_brief = references.iter().filter(|l| l["uri"] == uri).count();
    assert_eq!(in_brief, 2, "both mentions in the brief");
    assert!(
        references.len() > 10,
        "and the corpus's: {}",
        references.len()
    );

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols[0]["name"], "Brief 😀");
    let children: Vec<&str> = symbols[0]["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        children,
        [
            "@berman2023 , para. 1",
            "@berman2023 , para. 13",
            "@berman2023"
        ]
    );

    let found = client.request("workspace/symbol", json!({"query": "putin"}));
    assert_eq!(found[0]["name"], "Vladimir Putin");
}

#[test]
fn many_incremental_edits_keep_the_clients_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = start(dir.path(), false);
    let uri = file_uri(&dir.path().join("brief.md"));
    let mut text = String::from("# \n");
    open(&mut client, &uri, &text);
    // 2,000 edits at pseudo-random places in the heading, sent without waiting; with emoji,
    // so UTF-16 columns differ from characters.
    let pieces = ["a", "é", "😀", "b", "—"];
    let mut seed: u32 = 7;
    for version in 2..2002 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let heading = &text[2..text.len() - 1];
        let chars: Vec<(usize, char)> = heading.char_indices().collect();
        let at = if chars.is_empty() {
            0
        } else {
            seed as usize % (chars.len() + 1)
        };
        let byte = chars.get(at).map_or(heading.len(), |&(i, _)| i) + 2;
        let delete = seed.is_multiple_of(5) && byte < text.len() - 1;
        let end = if delete {
            byte + text[byte..].chars().next().map_or(0, char::len_utf8)
        } else {
            byte
        };
        let insert = if delete {
            ""
        } else {
            pieces[seed as usize % pieces.len()]
        };
        let lines = LineIndex::new(&text);
        let start_position = lines.position(&text, byte, PositionEncoding::Utf16);
        let end_position = lines.position(&text, end, PositionEncoding::Utf16);
        text.replace_range(byte..end, insert);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": start_position, "end": end_position}, "text": insert}]}),
        );
    }
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        symbols[0]["name"].as_str(),
        Some(text[2..text.len() - 1].trim())
    );
}

/// A place named more often than one reply lists: without partial results the first places
/// of the corpus and a message; with them, every place in pieces and an empty reply.
#[test]
fn references_past_one_reply_are_capped_or_sent_in_pieces() {
    const MENTIONS: usize = 2_050;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("dossier.toml"),
        "[corpus]\npaths = [\"sources\"]\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("sources")).expect("mkdir");
    let body = "Ships reached Tehran. ".repeat(MENTIONS);
    std::fs::write(
        root.join("sources/a.txt"),
        format!("Ports\n\nMay 3, 2021 Ann Roe Harbour Notes\n\n{body}\n"),
    )
    .expect("write");
    let mut client = start(root, false);
    let uri = file_uri(&root.join("brief.md"));
    let brief = "Tehran waited.\n";
    open(&mut client, &uri, brief);
    let at = position_of(brief, "Tehran", 1, PositionEncoding::Utf16);

    let capped = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": at, "context": {"includeDeclaration": true}}),
    );
    let capped = capped.as_array().expect("locations");
    assert_eq!(capped[0]["uri"], uri, "the brief's place first");
    assert_eq!(capped.len(), 1 + 2_000);
    let said = client.wait_for_notification("window/showMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.contains("50 more"))
    });
    assert!(
        said["message"]
            .as_str()
            .is_some_and(|m| m.contains("first 2000")),
        "{said}"
    );

    let reply = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": at, "context": {"includeDeclaration": true},
               "partialResultToken": "refs-1"}),
    );
    assert_eq!(reply, json!([]), "everything came as partial results");
    let pieces: Vec<usize> = client
        .notifications("$/progress")
        .iter()
        .filter(|p| p["token"] == "refs-1")
        .map(|p| p["value"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(pieces, [2_000, MENTIONS + 1 - 2_000]);
}

/// A workspace whose corpus is `sources/`, holding `a.txt`: "Ports", by Ann Roe, 2021.
fn workspace_with_one_source() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("dossier.toml"),
        "[corpus]\npaths = [\"sources\"]\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("sources")).expect("mkdir");
    std::fs::write(
        root.join("sources/a.txt"),
        "Ports\n\nMay 3, 2021 Ann Roe Harbour Notes\n\nAnkara sent ships.\n",
    )
    .expect("write");
    dir
}

#[test]
fn reindex_and_watched_files_pick_up_new_sources() {
    let dir = workspace_with_one_source();
    let root = dir.path();
    let mut client = start(root, false);
    // The watchers are registered once the first index is in.
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    while !client
        .server_requests()
        .iter()
        .any(|r| r["method"] == "client/registerCapability")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no file watchers registered"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let uri = file_uri(&root.join("brief.md"));
    let brief = "See [@lee2022] and [@roe2021].\n";
    open(&mut client, &uri, brief);
    let missing = hover_text(
        &mut client,
        &uri,
        position_of(brief, "lee2022", 1, PositionEncoding::Utf16),
    );
    assert!(missing.starts_with("No source"), "{missing}");

    std::fs::write(
        root.join("sources/b.txt"),
        "Docks\n\nJune 1, 2022 Kim Lee Harbour Notes\n\nShips waited.\n",
    )
    .expect("write");
    client.request(
        "workspace/executeCommand",
        json!({"command": "dossier.reindex", "arguments": []}),
    );
    let found = hover_text(
        &mut client,
        &uri,
        position_of(brief, "lee2022", 1, PositionEncoding::Utf16),
    );
    assert!(found.starts_with("**Docks**"), "{found}");

    std::fs::write(
        root.join("sources/a.txt"),
        "Harbours\n\nMay 3, 2021 Ann Roe Harbour Notes\n\nAnkara sent ships.\n",
    )
    .expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("sources/a.txt")), "type": 2}]}),
    );
    // Startup, the command and the watched file each index once; the last re-reads only
    // the changed file.
    wait_for_indexing_runs(&client, 3);
    let last = client.notifications("window/logMessage");
    let last = last
        .iter()
        .rev()
        .find_map(|p| p["message"].as_str().filter(|m| m.starts_with("indexed")))
        .unwrap_or_default();
    assert!(last.contains("(1 read, 1 unchanged)"), "{last}");
    let renamed = hover_text(
        &mut client,
        &uri,
        position_of(brief, "roe2021", 1, PositionEncoding::Utf16),
    );
    assert!(renamed.starts_with("**Harbours**"), "{renamed}");
}

fn says(needle: &'static str) -> impl Fn(&Value) -> bool {
    move |p| p["message"].as_str().is_some_and(|m| m.contains(needle))
}

/// A second start answers from the saved index at once, then checks the corpus: unchanged,
/// it says so; a file edited while the server was down is indexed again.
#[test]
fn a_second_start_serves_the_saved_index_and_then_checks_the_corpus() {
    let dir = workspace_with_one_source();
    let root = dir.path();
    let source = root.join("sources/a.txt");
    let uri = file_uri(&root.join("brief.md"));
    let brief = "See [@roe2021].\n";
    // Starts a server, waits for what it says after the first index, hovers the key.
    let title_on_start = |then_says: Option<&'static str>| {
        let mut client = start(root, false);
        let first = client
            .notifications("window/logMessage")
            .into_iter()
            .find(|p| says("indexed")(p))
            .expect("indexed");
        if let Some(message) = then_says {
            client.wait_for_notification("window/logMessage", says(message));
        }
        if then_says == Some("the corpus changed") {
            wait_for_indexing_runs(&client, 2);
        }
        open(&mut client, &uri, brief);
        let title = hover_text(
            &mut client,
            &uri,
            position_of(brief, "roe2021", 1, PositionEncoding::Utf16),
        );
        client.shutdown_and_exit();
        (
            first["message"].as_str().unwrap_or_default().to_string(),
            title,
        )
    };

    let (cold, title) = title_on_start(None);
    assert!(cold.contains("(1 read, 0 unchanged)"), "{cold}");
    assert!(title.starts_with("**Ports**"), "{title}");

    let (warm, title) = title_on_start(Some("the saved index is current"));
    assert!(warm.contains("from the saved index"), "{warm}");
    assert!(title.starts_with("**Ports**"), "{title}");

    // A longer text, so that the size alone tells the change.
    std::fs::write(
        &source,
        "Harbours\n\nMay 3, 2021 Ann Roe Harbour Notes\n\nAnkara sent more ships.\n",
    )
    .expect("write");
    let (_, title) = title_on_start(Some("the corpus changed"));
    assert!(title.starts_with("**Harbours**"), "{title}");
}

fn wait_for_indexing_runs(client: &LspClient, runs: usize) {
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    loop {
        let done = client
            .notifications("window/logMessage")
            .iter()
            .filter(|p| {
                p["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("indexed"))
            })
            .count();
        if done >= runs {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {done} indexing runs:\n{}",
            client.stderr()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_panic_in_a_handler_is_an_error_and_the_server_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = start_with_env(dir.path(), false, &[("DOSSIER_TEST_COMMANDS", "1")]);
    let error = client.request_error(
        "workspace/executeCommand",
        json!({"command": "dossier.test.panic", "arguments": []}),
    );
    assert_eq!(error["code"], -32603);
    let uri = file_uri(&dir.path().join("brief.md"));
    open(&mut client, &uri, BRIEF);
    let entity = hover_text(
        &mut client,
        &uri,
        position_of(BRIEF, "Tehran", 1, PositionEncoding::Utf16),
    );
    assert!(entity.starts_with("**Tehran** · place"), "{entity}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn completion_of_keys_locators_and_passages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = start(dir.path(), false);
    let uri = file_uri(&dir.path().join("brief.md"));
    let text = "Putin 😀 went [@ber\n\nMore [@berman2023, \n\nDrones [@kamikaze drones\n";
    open(&mut client, &uri, text);
    let at_end_of = |needle: &str| {
        position_of(
            text,
            needle,
            needle.chars().count(),
            PositionEncoding::Utf16,
        )
    };

    let keys = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": at_end_of("[@ber")}),
    );
    assert_eq!(keys["items"][0]["label"], "berman2023");
    assert_eq!(keys["items"][0]["textEdit"]["newText"], "berman2023");
    assert_eq!(
        keys["items"][0]["textEdit"]["range"]["start"],
        position_of(text, "ber\n", 0, PositionEncoding::Utf16)
    );

    let locators = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": at_end_of("[@berman2023, ")}),
    );
    let items = locators["items"].as_array().expect("items");
    assert_eq!(items.len(), 20);
    assert_eq!(items[12]["label"], "para. 13");
    assert!(
        items[12]["documentation"]["value"]
            .as_str()
            .is_some_and(|d| d.contains("kamikaze"))
    );

    let search = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": at_end_of("[@kamikaze drones")}),
    );
    assert_eq!(search["isIncomplete"], true);
    assert_eq!(search["items"][0]["label"], "@berman2023, para. 13");
    assert_eq!(
        search["items"][0]["textEdit"]["newText"],
        "berman2023, para. 13"
    );
}

#[test]
fn indexing_reports_work_done_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("dossier.toml"),
        "[corpus]\npaths = [\"sources\"]\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("sources")).expect("mkdir");
    for n in 0..20 {
        std::fs::write(
            root.join(format!("sources/s{n}.txt")),
            format!("Title {n}\n\nMay 3, 2021 Ann Roe{n} Harbour Notes\n\nAnkara sent ships.\n"),
        )
        .expect("write");
    }
    let mut client = LspClient::start(root);
    client.initialize(
        json!({"window": {"workDoneProgress": true}}),
        json!(file_uri(root)),
    );
    let end = client.wait_for_notification("$/progress", |p| p["value"]["kind"] == "end");
    let token = end["token"].clone();
    let progress = client.notifications("$/progress");
    assert_eq!(
        progress.first().map(|p| p["value"]["kind"].clone()),
        Some(json!("begin"))
    );
    assert!(progress.iter().all(|p| p["token"] == token));
    assert!(progress.iter().any(|p| p["value"]["percentage"] == 100));
    assert!(
        client
            .server_requests()
            .iter()
            .any(|r| r["method"] == "window/workDoneProgress/create")
    );
}
