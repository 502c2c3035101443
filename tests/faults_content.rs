//! Fault suite, hostile content: sources whose text holds Markdown links to editor commands,
//! HTML, code fences and `javascript:` URLs, and briefs and sources that name paths outside
//! the corpus. Nothing from a source may act in the editor, and no such path is ever opened.

mod common;

use std::path::Path;
use std::process::Command;

use common::LspClient;
use serde_json::{Value, json};

const HOSTILE_SOURCE: &str = "\
Evil [t](command:workbench.action.terminal.new) <script>alert(1)</script> Title

March 3, 2024 Jane Roe The Review

Vladimir Putin clicked [x](command:workbench.action.terminal.new) and <img src=x onerror=alert(1)> in Moscow.

Putin wrote `code` and ```fences``` with javascript:alert(1) and [y](javascript:alert(1)) and <a href=\"http://evil.example\">raw html</a>; see /etc/shadow and file:///etc/shadow.

Putin shared ![img](http://evil.example/x.png) <!-- comment --> &lt;entity&gt; **bold** _em_ <https://evil.example> [ref]: http://evil.example
";

const BRIEF: &str = "\
# Brief

Putin met officials [@roe2024, para. 1]. Also [@roe2024, para. 2] and [@roe2024, para. 3].

See [@../../etc/passwd] and [x](/etc/passwd) and ![i](/etc/shadow) and @../../../etc/shadow.
";

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn workspace(root: &Path) {
    let sources = root.join("sources");
    std::fs::create_dir_all(&sources).expect("sources");
    std::fs::write(
        root.join("dossier.toml"),
        "[corpus]\npaths = [\"sources\"]\n",
    )
    .expect("config");
    std::fs::write(sources.join("hostile.txt"), HOSTILE_SOURCE).expect("source");
    std::fs::write(root.join("brief.md"), BRIEF).expect("brief");
}

/// Asserts that `markdown` cannot turn into a link, an image, HTML or a command: outside code
/// spans, every `<` and every `[`, `]` and `` ` `` is escaped by a backslash.
fn assert_inert(markdown: &str, what: &str) {
    let chars: Vec<char> = markdown.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let escaped = |at: usize| {
            let mut backslashes = 0;
            while at > backslashes && chars[at - backslashes - 1] == '\\' {
                backslashes += 1;
            }
            backslashes % 2 == 1
        };
        match chars[i] {
            '`' if !escaped(i) => {
                // A code span: a run of N backticks up to the next run of exactly N.
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    let here = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if here == run {
                        closed = Some(j + here);
                        break;
                    }
                    j += here.max(1);
                }
                match closed {
                    Some(end) => i = end,
                    None => panic!("{what}: an unclosed code span in {markdown:?}"),
                }
                continue;
            }
            '<' | '[' | ']' if !escaped(i) => {
                panic!("{what}: an unescaped {:?} at {i} in {markdown:?}", chars[i])
            }
            _ => {}
        }
        i += 1;
    }
    let outside_code = markdown.replace("\\]", "").replace("\\(", "");
    assert!(!outside_code.contains("]("), "{what}: {markdown:?}");
}

fn position_of(text: &str, needle: &str, into: usize) -> Value {
    let offset = text.find(needle).expect("needle") + into;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    json!({"line": line, "character": column})
}

fn start(root: &Path, client: LspClient) -> (LspClient, String) {
    let mut client = client;
    client.initialize(json!({}), json!(file_uri(root)));
    client.wait_for_notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("indexed"))
    });
    let uri = file_uri(&root.join("brief.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": BRIEF}}),
    );
    (client, uri)
}

#[test]
fn hover_renders_hostile_source_text_inert() {
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path());
    let (mut client, uri) = start(dir.path(), LspClient::start(dir.path()));
    let spots = [
        ("Putin met", 1, "the entity card"),
        ("roe2024, para. 1", 1, "the citation key"),
        ("para. 1", 6, "locator 1"),
        ("para. 2", 6, "locator 2"),
        ("para. 3", 6, "locator 3"),
    ];
    let mut shown = 0;
    for (needle, into, what) in spots {
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position_of(BRIEF, needle, into)}),
        );
        let Some(markdown) = hover["contents"]["value"].as_str() else {
            panic!("{what}: no hover: {hover}");
        };
        assert_eq!(hover["contents"]["kind"], "markdown");
        assert_inert(markdown, what);
        shown += 1;
    }
    assert_eq!(shown, spots.len());
    // The hostile text is there, as text.
    let card = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(BRIEF, "para. 1", 6)}),
    );
    let text = card["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("command:workbench"), "{text}");
    assert!(text.contains("onerror"), "{text}");
    // Completion documentation: `textDocument/completion` is not offered on this branch; when
    // it is, its items' documentation must pass `assert_inert` too.
    let completion = client.request_response(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position_of(BRIEF, "roe2024", 0)}),
    );
    if let Some(items) = completion["result"]["items"]
        .as_array()
        .or(completion["result"].as_array())
    {
        for item in items {
            if let Some(doc) = item["documentation"]["value"].as_str() {
                assert_inert(doc, "completion documentation");
            }
        }
    }
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn the_checker_of_inertness_catches_live_markup() {
    for live in [
        "[x](command:workbench.action.terminal.new)",
        "<img src=x onerror=alert(1)>",
        "\\\\[x](y)",
        "``unclosed",
    ] {
        let caught = std::panic::catch_unwind(|| assert_inert(live, "probe"));
        assert!(caught.is_err(), "{live} should be caught");
    }
    assert_inert("\\[x\\]\\(y\\) \\<b\\> `<code>` ``a`b``", "escaped");
}

/// Paths the brief and the source name; none may appear in a file-system call.
const FORBIDDEN: [&str; 3] = ["/etc/passwd", "/etc/shadow", "etc/passwd"];

fn strace_available() -> bool {
    Command::new("strace")
        .args(["-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|status| status.success())
}

/// The file-system calls in an strace log that name a forbidden path.
fn forbidden_calls(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| !line.contains("execve("))
        .filter(|line| FORBIDDEN.iter().any(|path| line.contains(path)))
        .collect()
}

#[test]
fn no_path_named_by_a_brief_or_a_source_is_opened_by_the_server() {
    if !strace_available() {
        // Documented in docs/ROBUSTNESS.md: the design review stands in for this check.
        eprintln!("strace is not installed: skipping the system-call check");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path());
    let log = dir.path().join("strace.log");
    let log_arg = log.to_string_lossy().into_owned();
    let client = LspClient::start_wrapped(
        dir.path(),
        &["strace", "-f", "-e", "trace=%file", "-o", &log_arg],
        &["lsp", "--stdio"],
    );
    let (mut client, uri) = start(dir.path(), client);
    let spots = [
        ("../../etc/passwd", 3),
        ("/etc/passwd)", 2),
        ("/etc/shadow)", 2),
        ("etc/shadow.", 1),
        ("Putin", 1),
    ];
    for (needle, into) in spots {
        let position = position_of(BRIEF, needle, into);
        let at = json!({"textDocument": {"uri": uri}, "position": position});
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
        ] {
            let _ = client.request_response(method, at.clone());
        }
        let mut references = at.clone();
        references["context"] = json!({"includeDeclaration": true});
        let _ = client.request_response("textDocument/references", references);
    }
    let _ = client.request_response(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    let _ = client.request("workspace/symbol", json!({"query": "etc"}));
    let _ = client.request_response(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    // Diagnostics run on the brief as well (after an edit, once typing pauses).
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                             "end": {"line": 0, "character": 0}}, "text": " "}]}),
    );
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["version"] == 2);
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
    let log = std::fs::read_to_string(&log).expect("strace log");
    assert!(
        log.contains("hostile.txt"),
        "the trace shows the corpus being read"
    );
    let found = forbidden_calls(&log);
    assert!(found.is_empty(), "opened outside the corpus: {found:#?}");
}

#[test]
fn no_path_named_by_a_brief_or_a_source_is_opened_by_dossier_check() {
    if !strace_available() {
        eprintln!("strace is not installed: skipping the system-call check");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path());
    let log = dir.path().join("strace.log");
    let output = Command::new("strace")
        .args(["-f", "-e", "trace=%file", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--format", "json", "brief.md"])
        .current_dir(dir.path())
        .output()
        .expect("strace dossier check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
    let log = std::fs::read_to_string(&log).expect("strace log");
    assert!(log.contains("hostile.txt"));
    let found = forbidden_calls(&log);
    assert!(found.is_empty(), "opened outside the corpus: {found:#?}");
}
