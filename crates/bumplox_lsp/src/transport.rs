//! The server's stdio transport: JSON-RPC messages framed by `Content-Length`
//! headers. Unlike `lsp_server`'s own, it answers a message that is not
//! JSON-RPC with a parse error and goes on reading, rather than stopping.

use std::io::{BufRead, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// Connects a [`Connection`] to standard input and output. Returns the
/// server's side and the two threads that move messages; the reader ends at
/// the end of input, the writer when the server drops its connection.
pub fn stdio() -> (Connection, [JoinHandle<()>; 2]) {
    let (server, client) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    let reader = std::thread::spawn(move || {
        let mut input = std::io::stdin().lock();
        loop {
            let body = match read_frame(&mut input) {
                Ok(Some(body)) => body,
                // The end of input, or input that is no longer framed: there
                // is no telling where the next message would start.
                Ok(None) | Err(_) => return,
            };
            match decode(&body) {
                Ok(message) => {
                    if to_server.send(message).is_err() {
                        return;
                    }
                }
                Err(answer) => write_raw(&answer),
            }
        }
    });
    let writer = std::thread::spawn(move || {
        for message in from_server {
            let mut output = std::io::stdout().lock();
            // A client that closed its input will not read any more; the
            // server ends when its reader sees the end of its output.
            if message.write(&mut output).is_err() {
                return;
            }
        }
    });
    (server, [reader, writer])
}

/// One message's body, or `None` at the end of input. Header lines other
/// than `Content-Length` are read and ignored, as the protocol allows.
fn read_frame(input: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            match length {
                Some(_) => break,
                // Blank lines between messages carry nothing.
                None => continue,
            }
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

/// The message in a body, or the error response to a body that is none: a
/// parse error to no id when it is not JSON, an invalid request to its id
/// (if it has one) when it is JSON but neither a request, a notification nor
/// a response. `lsp_server` would take any object with an `id` for a
/// response, which the server ignores, leaving the client waiting.
fn decode(body: &[u8]) -> Result<Message, String> {
    let value = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => value,
        Err(error) => {
            return Err(error_response(
                serde_json::Value::Null,
                lsp_server::ErrorCode::ParseError,
                &format!("not JSON: {error}"),
            ))
        }
    };
    let id = value.get("id").cloned().unwrap_or_default();
    let has = |key: &str| value.get(key).is_some();
    // Decoded as the kind its keys say it is: `Message` itself would take
    // any object with an `id` for a response.
    let decoded = match (has("method"), has("id"), has("result") || has("error")) {
        (true, true, _) => serde_json::from_value(value).map(Message::Request),
        (true, false, _) => serde_json::from_value(value).map(Message::Notification),
        (false, _, true) => serde_json::from_value(value).map(Message::Response),
        (false, _, false) => {
            return Err(error_response(
                id,
                lsp_server::ErrorCode::InvalidRequest,
                "not a JSON-RPC message: no method, result or error",
            ))
        }
    };
    decoded.map_err(|error| {
        error_response(
            id,
            lsp_server::ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC message: {error}"),
        )
    })
}

fn error_response(id: serde_json::Value, code: lsp_server::ErrorCode, message: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string()
}

fn write_raw(text: &str) {
    let mut output = std::io::stdout().lock();
    let _ = write!(output, "Content-Length: {}\r\n\r\n{text}", text.len());
    let _ = output.flush();
}
