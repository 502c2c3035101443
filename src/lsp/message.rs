//! Telling a frame's body apart: a JSON-RPC message tower-lsp can take, or a bad one with the
//! error reply it deserves (JSON-RPC 2.0 §5.1 codes). Knows JSON, not frames or transport.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};

/// JSON-RPC error codes used by the framing stage and the lifecycle checks.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
}

/// A message that tower-lsp will decode without error.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A request: it must be answered.
    Request {
        id: Value,
        method: String,
    },
    Notification {
        method: String,
    },
    /// The client's answer to a request of the server.
    Response,
}

/// A body that must not reach tower-lsp (its decoder would stop serving), with the reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub code: i64,
    /// The request's id when one could be read, else `null`.
    pub id: Value,
    pub message: String,
}

impl Rejection {
    fn new(code: i64, id: Value, message: impl Into<String>) -> Self {
        Rejection {
            code,
            id,
            message: message.into(),
        }
    }

    /// The JSON-RPC error response, as a body.
    pub fn reply(&self) -> Vec<u8> {
        error_reply(&self.id, self.code, &self.message)
    }
}

/// A JSON-RPC error response body.
pub fn error_reply(id: &Value, code: i64, message: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
        .to_string()
        .into_bytes()
}

/// The decoding tower-lsp applies to each body (its own `Message` is private): trying it here
/// first is what guarantees that a forwarded body never ends tower-lsp's input stream.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // Only which variant decodes matters, not the contents.
enum TowerMessage {
    Response(Response),
    Request(Request),
}

/// Classifies one frame body.
pub fn classify(body: &[u8]) -> Result<Message, Rejection> {
    let text = std::str::from_utf8(body).map_err(|error| {
        Rejection::new(
            code::PARSE_ERROR,
            Value::Null,
            format!("Parse error: the body is not UTF-8 ({error})"),
        )
    })?;
    let value: Value = serde_json::from_str(text).map_err(|error| {
        Rejection::new(
            code::PARSE_ERROR,
            Value::Null,
            format!("Parse error: {error}"),
        )
    })?;
    let Value::Object(object) = &value else {
        let what = match value {
            Value::Array(_) => "a batch (arrays are not supported by LSP)",
            _ => "not a JSON object",
        };
        return Err(Rejection::new(
            code::INVALID_REQUEST,
            Value::Null,
            format!("Invalid Request: {what}"),
        ));
    };
    // Only a message with a method is a request whose id can be answered: echoing the id of a
    // broken *response* would look, to the client, like the answer to its own request.
    let method = object.get("method");
    let id = match (method, object.get("id")) {
        (Some(_), Some(id @ (Value::Number(_) | Value::String(_)))) => id.clone(),
        _ => Value::Null,
    };
    let invalid = |why: &str| {
        Rejection::new(
            code::INVALID_REQUEST,
            id.clone(),
            format!("Invalid Request: {why}"),
        )
    };
    if object.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Err(invalid("\"jsonrpc\" must be \"2.0\""));
    }
    match TowerMessage::deserialize(&value) {
        Ok(TowerMessage::Response(_)) => Ok(Message::Response),
        Ok(TowerMessage::Request(_)) => match method {
            Some(Value::String(method)) => Ok(match object.get("id") {
                Some(id) => Message::Request {
                    id: id.clone(),
                    method: method.clone(),
                },
                None => Message::Notification {
                    method: method.clone(),
                },
            }),
            Some(_) => Err(invalid("\"method\" must be a string")),
            None => Err(invalid("neither a request (no \"method\") nor a response")),
        },
        Err(_) if method.is_none() => {
            Err(invalid("neither a request (no \"method\") nor a response"))
        }
        // serde's untagged error says nothing useful; the id is the usual culprit.
        Err(_) => Err(invalid("the \"id\" must be an integer, a string or null")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(body: &str) -> (i64, Value) {
        let rejection = classify(body.as_bytes()).expect_err("should be rejected");
        (rejection.code, rejection.id)
    }

    #[test]
    fn accepts_requests_notifications_and_responses() {
        assert_eq!(
            classify(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            Ok(Message::Request {
                id: json!(1),
                method: "initialize".into()
            })
        );
        assert_eq!(
            classify(br#"{"jsonrpc":"2.0","id":"a","method":"shutdown"}"#),
            Ok(Message::Request {
                id: json!("a"),
                method: "shutdown".into()
            })
        );
        assert_eq!(
            classify(br#"{"jsonrpc":"2.0","method":"exit"}"#),
            Ok(Message::Notification {
                method: "exit".into()
            })
        );
        assert_eq!(
            classify(br#"{"jsonrpc":"2.0","id":3,"result":null}"#),
            Ok(Message::Response)
        );
        assert_eq!(
            classify(br#"{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"no"}}"#),
            Ok(Message::Response)
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(rejected("{not json"), (code::PARSE_ERROR, Value::Null));
        assert_eq!(rejected(""), (code::PARSE_ERROR, Value::Null));
        let invalid_utf8 = classify(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}").expect_err("bad");
        assert_eq!(
            (invalid_utf8.code, invalid_utf8.id),
            (code::PARSE_ERROR, Value::Null)
        );
    }

    #[test]
    fn invalid_requests() {
        assert_eq!(rejected("[]"), (code::INVALID_REQUEST, Value::Null));
        assert_eq!(
            rejected(r#"[{"jsonrpc":"2.0","method":"exit"}]"#),
            (code::INVALID_REQUEST, Value::Null)
        );
        assert_eq!(rejected("42"), (code::INVALID_REQUEST, Value::Null));
        assert_eq!(rejected(r#""text""#), (code::INVALID_REQUEST, Value::Null));
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":4}"#),
            (code::INVALID_REQUEST, Value::Null)
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"1.0","id":5,"method":"initialize"}"#),
            (code::INVALID_REQUEST, json!(5))
        );
        assert_eq!(
            rejected(r#"{"id":6,"method":"x"}"#),
            (code::INVALID_REQUEST, json!(6))
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
            (code::INVALID_REQUEST, json!(7))
        );
        // Ids tower-lsp cannot hold are rejected; an object id is not even echoed.
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#),
            (code::INVALID_REQUEST, Value::Null)
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#).0,
            code::INVALID_REQUEST
        );
        // A broken response is rejected with a null id, never its own.
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":8,"error":"no"}"#),
            (code::INVALID_REQUEST, Value::Null)
        );
    }

    #[test]
    fn replies_are_json_rpc_errors() {
        let reply: Value =
            serde_json::from_slice(&classify(b"[]").expect_err("rejected").reply()).expect("json");
        assert_eq!(reply["jsonrpc"], "2.0");
        assert_eq!(reply["id"], Value::Null);
        assert_eq!(reply["error"]["code"], code::INVALID_REQUEST);
    }
}
