//! End to end: the LSP lifecycle and the framing stage of `dossier lsp`, over real stdio.

mod common;

use common::LspClient;
use serde_json::{Value, json};
use tempfile::TempDir;

fn start() -> (TempDir, LspClient) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let client = LspClient::start(dir.path());
    (dir, client)
}

/// `body` in a canonical frame.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

fn started_and_initialized() -> (TempDir, LspClient) {
    let (dir, mut client) = start();
    client.initialize_default();
    (dir, client)
}

#[test]
fn initialize_announces_the_server_and_negotiates_utf16_by_default() {
    let (_dir, mut client) = start();
    let result = client.initialize_default();
    assert_eq!(result["serverInfo"]["name"], "dossier");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        result["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental"
    );
    assert_eq!(
        result["capabilities"]["textDocumentSync"]["openClose"],
        true
    );
    let ready = client.wait_for_notification("window/logMessage", |params| {
        params["message"]
            .as_str()
            .is_some_and(|text| text.contains("ready"))
    });
    assert!(
        ready["message"]
            .as_str()
            .is_some_and(|text| text.contains("utf-16"))
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn initialize_negotiates_utf8_when_the_client_offers_it() {
    let (_dir, mut client) = start();
    let capabilities = json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}});
    let result = client.initialize(capabilities, Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.wait_for_notification("window/logMessage", |params| {
        params["message"]
            .as_str()
            .is_some_and(|text| text.contains("utf-8"))
    });
}

#[test]
fn requests_before_initialize_get_32002_and_initialize_still_works() {
    let (_dir, mut client) = start();
    let error = client.request_error("textDocument/hover", json!({}));
    assert_eq!(error["code"], -32002);
    let error = client.request_error("no/suchMethod", json!({}));
    assert_eq!(
        error["code"], -32002,
        "unknown methods too, before initialize"
    );
    client.initialize_default();
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_second_initialize_is_an_invalid_request() {
    let (_dir, mut client) = started_and_initialized();
    let error = client.request_error("initialize", json!({"capabilities": {}}));
    assert_eq!(error["code"], -32600);
}

#[test]
fn initialized_sent_without_waiting_for_the_initialize_reply_is_not_lost() {
    // tower-lsp alone drops notifications that arrive while `initialize` runs.
    let (_dir, mut client) = start();
    let id = client.send_request("initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    client.response(&json!(id));
    client.wait_for_notification("window/logMessage", |params| {
        params["message"]
            .as_str()
            .is_some_and(|text| text.contains("ready"))
    });
}

#[test]
fn unknown_methods_get_32601() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(
        client.request_error("no/suchMethod", json!({}))["code"],
        -32601
    );
    // tower-lsp alone never answers an unknown `$/` request; the specification says -32601.
    assert_eq!(
        client.request_error("$/noSuchThing", json!({}))["code"],
        -32601
    );
    client.notify("no/suchNotification", json!({}));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn cancelling_an_unknown_request_is_harmless() {
    let (_dir, mut client) = started_and_initialized();
    client.notify("$/cancelRequest", json!({"id": 999}));
    client.notify("$/cancelRequest", json!({"id": "not-a-request"}));
    assert_eq!(
        client.request_error("no/suchMethod", json!({}))["code"],
        -32601
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn requests_after_shutdown_are_invalid() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    assert_eq!(
        client.request_error("no/suchMethod", json!({}))["code"],
        -32600
    );
    assert_eq!(client.exit().code(), Some(0));
}

/// Sends `bad`, expects an error reply with `code` and a null id, then checks that the server
/// still answers and still shuts down cleanly.
fn assert_answered_and_still_serving(bad: &[u8], code: i64) {
    let (_dir, mut client) = started_and_initialized();
    client.write_raw(bad);
    let reply = client.null_id_response();
    assert_eq!(
        reply["error"]["code"],
        code,
        "reply to {:?}",
        String::from_utf8_lossy(bad)
    );
    assert!(reply["error"]["message"].is_string());
    assert_eq!(
        client.request_error("no/suchMethod", json!({}))["code"],
        -32601
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_body_that_is_not_json_gets_a_parse_error() {
    assert_answered_and_still_serving(&framed(b"not json!"), -32700);
}

#[test]
fn an_empty_array_gets_invalid_request() {
    assert_answered_and_still_serving(&framed(b"[]"), -32600);
}

#[test]
fn a_batch_gets_invalid_request() {
    let batch = br#"[{"jsonrpc":"2.0","id":50,"method":"shutdown"}]"#;
    assert_answered_and_still_serving(&framed(batch), -32600);
}

#[test]
fn invalid_utf8_gets_a_parse_error() {
    assert_answered_and_still_serving(
        &framed(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\xfd\"}"),
        -32700,
    );
}

#[test]
fn a_content_length_that_is_not_a_number_gets_a_parse_error() {
    assert_answered_and_still_serving(
        b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}",
        -32700,
    );
}

#[test]
fn a_missing_content_length_gets_a_parse_error() {
    assert_answered_and_still_serving(b"Content-Type: application/json\r\n\r\n{}", -32700);
}

#[test]
fn a_wrong_jsonrpc_version_with_an_id_is_answered_with_that_id() {
    let (_dir, mut client) = started_and_initialized();
    client.send(&json!({"jsonrpc": "1.0", "id": 77, "method": "shutdown"}));
    assert_eq!(client.response(&json!(77))["error"]["code"], -32600);
    assert_eq!(
        client.request_error("no/suchMethod", json!({}))["code"],
        -32601
    );
    assert_eq!(
        client.exit().code(),
        Some(1),
        "the bad shutdown did not count"
    );
}

#[test]
fn a_third_header_is_tolerated() {
    let (_dir, mut client) = started_and_initialized();
    let body = json!({"jsonrpc": "2.0", "id": "three", "method": "no/suchMethod"}).to_string();
    let frame = format!(
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\
         X-Trace: on\r\n\r\n{body}",
        body.len()
    );
    client.write_raw(frame.as_bytes());
    assert_eq!(client.response(&json!("three"))["error"]["code"], -32601);
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn frames_split_and_merged_arbitrarily_are_read() {
    let (_dir, mut client) = started_and_initialized();
    let mut bytes = Vec::new();
    for id in 100..110 {
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "no/suchMethod"}).to_string();
        bytes.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).bytes());
    }
    for piece in bytes.chunks(7) {
        client.write_raw(piece);
    }
    for id in 100..110 {
        assert_eq!(client.response(&json!(id))["error"]["code"], -32601);
    }
}

#[test]
fn large_bodies_pass_whole() {
    // Bigger than every buffer between stdin and tower-lsp, so backpressure is exercised.
    let (_dir, mut client) = started_and_initialized();
    let text = "é".repeat(2 * 1024 * 1024);
    client.notify("no/suchNotification", json!({"text": text}));
    let id = client.send_request("no/suchMethod", json!({"text": text}));
    assert_eq!(client.response(&json!(id))["error"]["code"], -32601);
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_after_shutdown_is_status_0() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(client.exit().code(), Some(1));
}

#[test]
fn exit_before_initialize_is_status_1() {
    let (_dir, mut client) = start();
    assert_eq!(client.exit().code(), Some(1));
}

#[test]
fn shutdown_and_exit_sent_together_still_answer_shutdown() {
    let (_dir, mut client) = started_and_initialized();
    let id = client.send_request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.response(&json!(id))["result"], Value::Null);
    assert_eq!(client.wait_for_exit().code(), Some(0));
}

#[test]
fn closing_stdin_without_shutdown_ends_the_server_with_status_1() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(client.close_stdin().code(), Some(1));
}

#[test]
fn closing_stdin_after_shutdown_ends_the_server_with_status_0() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    assert_eq!(client.close_stdin().code(), Some(0));
}

#[test]
fn closing_stdin_in_the_middle_of_a_frame_ends_the_server() {
    let (_dir, mut client) = started_and_initialized();
    client.write_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
    assert_eq!(client.close_stdin().code(), Some(1));
}

#[test]
fn stdio_flag_is_optional() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut client = LspClient::start_with_args(dir.path(), &["lsp"]);
    client.initialize_default();
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn logs_go_to_stderr() {
    let (_dir, mut client) = started_and_initialized();
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
    // Every byte on stdout was a frame (the client fails the test otherwise).
    let stderr = client.stderr();
    assert!(
        stderr.contains("dossier lsp: info: exiting with status 0"),
        "{stderr}"
    );
}
