//! `bumplox lsp` driven over its real stdio: the built binary is spawned and
//! spoken to in JSON-RPC, as an editor would. One helper per area; the
//! positions in the tables are written as the text around them, with `|`
//! where the cursor is, in `tests/lsp/fixture.lox`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one answer may take before the test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(30);

const FIXTURE: &str = include_str!("lsp/fixture.lox");
const ERRORS: &str = include_str!("lsp/errors.lox");
const URI: &str = "file:///fixture.lox";

/// A server process and what it has sent that no one has asked for yet.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    pending: Vec<Value>,
    next_id: i64,
    /// What the server said it can do, in its answer to `initialize`.
    capabilities: Value,
}

impl Client {
    /// Starts `bumplox lsp` and initializes it.
    fn start() -> Client {
        Client::start_with(&[])
    }

    fn start_with(env: &[(&str, &str)]) -> Client {
        let mut client = Client::spawn(env);
        client.initialize();
        client
    }

    /// Starts `bumplox lsp` without initializing it.
    fn spawn(env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bumplox"))
            .arg("lsp")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Read once the server has exited: it writes a line at most.
            .stderr(Stdio::piped())
            .spawn()
            .expect("bumplox starts");
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 1,
            capabilities: Value::Null,
        }
    }

    fn initialize(&mut self) {
        let answer = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(answer["result"]["capabilities"].is_object(), "{answer}");
        self.capabilities = answer["result"]["capabilities"].clone();
        self.notify("initialized", json!({}));
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("server reads");
        self.stdin.flush().expect("server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.send_raw(&body.to_string());
    }

    /// Sends a request and waits for its answer (the whole response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_raw(&body.to_string());
        self.wait(|message| message["id"] == id && message.get("method").is_none())
    }

    /// The next message `wanted` accepts; others are kept for later.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.pending.iter().position(&wanted) {
            return self.pending.remove(index);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no answer within {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server is gone"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        self.wait(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "lox", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    /// A request at a position in the fixture.
    fn at(&mut self, method: &str, cursor: &str, extra: Value) -> Value {
        let mut params =
            json!({ "textDocument": { "uri": URI }, "position": position(FIXTURE, cursor) });
        if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
            params.extend(extra);
        }
        self.request(method, params)
    }

    /// Ends the session as an editor does, and checks the server exits 0.
    fn shut_down(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        assert_eq!(self.exit().0, Some(0));
    }

    /// Waits for the server to exit (while its input stays open), and
    /// returns its exit code and what it wrote on its standard error.
    fn exit(&mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait().expect("waits") {
                Some(status) => {
                    let mut stderr = String::new();
                    if let Some(mut pipe) = self.child.stderr.take() {
                        pipe.read_to_string(&mut stderr).expect("stderr is text");
                    }
                    return (status.code(), stderr);
                }
                None if Instant::now() > deadline => {
                    let _ = self.child.kill();
                    panic!("the server did not exit within {TIMEOUT:?}");
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The byte offset in `text` of the `|` in `cursor` (the text around it,
/// found once in `text`).
fn offset(text: &str, cursor: &str) -> usize {
    let bar = cursor.find('|').expect("a cursor has a `|`");
    let needle = cursor.replace('|', "");
    let start = text
        .find(&needle)
        .unwrap_or_else(|| panic!("`{needle}` is in the text"));
    assert!(
        text[start + 1..].find(&needle).is_none(),
        "`{needle}` is in the text once"
    );
    start + bar
}

/// The LSP position (line, UTF-16 column) of a byte offset, counted here
/// independently of the server.
fn lsp_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

fn position(text: &str, cursor: &str) -> Value {
    lsp_position(text, offset(text, cursor))
}

/// The byte offset of an LSP position (the inverse of [`lsp_position`]).
fn byte_offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (index, c) in text[line_start..].char_indices() {
        if units >= character {
            return line_start + index;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The text a range covers.
fn slice<'t>(text: &'t str, range: &Value) -> &'t str {
    &text[byte_offset(text, &range["start"])..byte_offset(text, &range["end"])]
}

/// A range as `cursor..` text: where it starts, shown by the text around it.
fn describe_range(text: &str, range: &Value) -> String {
    let start = byte_offset(text, &range["start"]);
    let end = byte_offset(text, &range["end"]);
    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    format!(
        "{}|{} ({} bytes)",
        &text[line_start..start],
        &text[start..line_end.min(end)],
        end - start
    )
}

#[test]
fn diagnostics_are_checks_with_the_same_messages_labels_and_places() {
    let output = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(["check", "--error-format", "json"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/errors.lox"))
        .output()
        .expect("check runs");
    let expected: Vec<Value> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|value| value.get("message").is_some())
        .collect();
    assert_eq!(expected.len(), 4, "the fixture has four errors");
    let range = |span: &Value| {
        let offset = |at: &str| span[at]["offset"].as_u64().expect("offset") as usize;
        json!({ "start": lsp_position(ERRORS, offset("start")), "end": lsp_position(ERRORS, offset("end")) })
    };
    let mut client = Client::start();
    let published = client.open("file:///errors.lox", ERRORS);
    let got = published["diagnostics"].as_array().expect("a list");
    assert_eq!(got.len(), expected.len(), "{published}");
    for (got, expected) in got.iter().zip(&expected) {
        let mut message = expected["message"].as_str().expect("message").to_string();
        for note in expected["notes"].as_array().expect("notes") {
            message.push_str(&format!("\nnote: {}", note.as_str().expect("note")));
        }
        if let Some(help) = expected["help"].as_str() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        assert_eq!(got["message"], message.as_str());
        assert_eq!(got["range"], range(&expected["span"]), "{}", got["message"]);
        assert_eq!(got["severity"], 1);
        let labels: Vec<Value> = expected["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .map(|label| json!([label["message"], range(&label["span"])]))
            .collect();
        let related: Vec<Value> = got["relatedInformation"]
            .as_array()
            .expect("every error here has labels")
            .iter()
            .map(|info| json!([info["message"], info["location"]["range"]]))
            .collect();
        assert_eq!(related, labels);
    }
    client.shut_down();
}

#[test]
fn diagnostics_follow_incremental_and_full_changes() {
    let mut client = Client::start();
    let uri = "file:///changing.lox";
    let first = client.open(uri, "var 🌍 = 1;\nprint a +;\n");
    assert_eq!(
        first["diagnostics"].as_array().map(Vec::len),
        Some(2),
        "{first}"
    );
    // Replace the emoji (two UTF-16 units) by a name: only the syntax error is left.
    let change = |version: i32, changes: Value| json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes });
    client.notify(
        "textDocument/didChange",
        change(
            2,
            json!([{ "range": { "start": { "line": 0, "character": 4 }, "end": { "line": 0, "character": 6 } }, "text": "a" }]),
        ),
    );
    let second = client.diagnostics(uri);
    assert_eq!(second["version"], 2);
    let messages: Vec<&str> = second["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|diagnostic| diagnostic["message"].as_str())
        .collect();
    assert_eq!(messages, ["Expect expression."]);
    assert_eq!(
        second["diagnostics"][0]["range"],
        json!({ "start": { "line": 1, "character": 9 }, "end": { "line": 1, "character": 10 } })
    );
    // Two edits in one change, then the whole text replaced.
    client.notify(
        "textDocument/didChange",
        change(
            3,
            json!([
                { "range": { "start": { "line": 1, "character": 9 }, "end": { "line": 1, "character": 9 } }, "text": " 1" },
                { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "// fixed\n" },
            ]),
        ),
    );
    assert_eq!(client.diagnostics(uri)["diagnostics"], json!([]));
    client.notify(
        "textDocument/didChange",
        change(4, json!([{ "text": "print;" }])),
    );
    let last = client.diagnostics(uri);
    assert_eq!(last["diagnostics"][0]["message"], "Expect expression.");
    client.shut_down();
}

/// Each use (a cursor in the fixture) and where its definition is, or `None`.
const DEFINITIONS: &[(&str, Option<&str>)] = &[
    ("var tail = |greeting", Some("var |greeting =")),
    ("var tail = greeting|;", Some("var |greeting =")),
    ("shout(|greeting, p", Some("var |greeting =")),
    ("var |greeting =", Some("var |greeting =")),
    ("var out = |word", Some("shout(|word, times)")),
    ("return |out + out", Some("var |out = word")),
    ("out + |out;", Some("var |out = word")),
    ("return |twice();", Some("fun |twice()")),
    ("this.x = |x;", Some("init(|x, y)")),
    ("return this.|x + this.y", Some("this.|x = x")),
    ("this.x + this.|y", Some("this.|y = y")),
    ("this.|sum()", Some("  |sum() {")),
    ("var p = |Point(", Some("class |Point")),
    ("print |shout(", Some("fun |shout(")),
    // A property of anything but `this` is looked up at run time.
    ("p.|sum()", None),
    ("|// Every", None),
];

#[test]
fn definitions() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    for (cursor, expected) in DEFINITIONS {
        let answer = client.at("textDocument/definition", cursor, json!({}));
        let got = &answer["result"];
        match expected {
            Some(target) => {
                assert_eq!(got["uri"], URI, "{cursor}: {answer}");
                let start = position(FIXTURE, target);
                assert_eq!(got["range"]["start"], start, "{cursor}: {answer}");
                // The range is the name, which starts where the cursor is.
                let name = slice(FIXTURE, &got["range"]);
                assert!(
                    name.chars().all(|c| c.is_alphanumeric() || c == '_') && !name.is_empty(),
                    "{cursor}: `{name}`"
                );
            }
            None => assert_eq!(got, &Value::Null, "{cursor}: {answer}"),
        }
    }
    client.shut_down();
}

/// Each cursor and every reference to what it names, declaration included.
const REFERENCES: &[(&str, &[&str])] = &[
    (
        "var |out = word",
        &["var |out = word", "return |out + out", "out + |out;"],
    ),
    (
        "var tail = |greeting",
        &[
            "var |greeting =",
            "var tail = |greeting",
            "shout(|greeting, p",
        ],
    ),
    ("this.|x = x", &["this.|x = x", "return this.|x + this.y"]),
    ("this.|sum()", &["  |sum() {", "this.|sum()"]),
    ("init(x, |y)", &["init(x, |y)", "this.y = |y"]),
];

#[test]
fn references() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    for (cursor, expected) in REFERENCES {
        for include_declaration in [true, false] {
            let answer = client.at(
                "textDocument/references",
                cursor,
                json!({ "context": { "includeDeclaration": include_declaration } }),
            );
            let got: Vec<Value> = answer["result"]
                .as_array()
                .unwrap_or_else(|| panic!("{cursor}: {answer}"))
                .iter()
                .map(|location| location["range"]["start"].clone())
                .collect();
            let wanted: Vec<Value> = expected
                .iter()
                .skip(usize::from(!include_declaration))
                .map(|target| position(FIXTURE, target))
                .collect();
            assert_eq!(got, wanted, "{cursor} (declaration {include_declaration})");
        }
    }
    client.shut_down();
}

/// Each cursor and the hover text there.
const HOVERS: &[(&str, &str)] = &[
    (
        "return |out + out",
        "upvalue (index 0) variable `out`, declared at line 4, column 7",
    ),
    (
        "var |out = word",
        "local (slot 3) variable `out`, declared at line 4, column 7",
    ),
    (
        "var tail = |greeting",
        "global variable `greeting`, declared at line 2, column 5",
    ),
    (
        "this.x = |x;",
        "local (slot 1) parameter `x`, declared at line 9, column 8",
    ),
    (
        "this.|sum()",
        "method `sum` of class `Point`, declared at line 13, column 3",
    ),
    (
        "return this.|x",
        "field `x` of class `Point`, declared at line 10, column 10",
    ),
    (
        "var p = |Point(",
        "global class `Point`, declared at line 8, column 7",
    ),
    (
        "return |twice();",
        "local (slot 4) function `twice`, declared at line 5, column 7",
    ),
];

#[test]
fn hovers() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    for (cursor, expected) in HOVERS {
        let answer = client.at("textDocument/hover", cursor, json!({}));
        assert_eq!(
            answer["result"]["contents"]["value"], *expected,
            "{cursor}: {answer}"
        );
    }
    let nothing = client.at("textDocument/hover", "|// Every", json!({}));
    assert_eq!(nothing["result"], Value::Null);
    client.shut_down();
}

/// Each rename (cursor, new name) and either the lines it leaves changed or
/// the start of the refusal's message.
/// The lines a rename leaves changed, or the start of its refusal's message.
type RenameOutcome = Result<&'static [&'static str], &'static str>;

const RENAMES: &[(&str, &str, RenameOutcome)] = &[
    (
        "return |out + out",
        "result",
        Ok(&[
            "  var result = word;",
            "  fun twice() { return result + result; }",
        ]),
    ),
    (
        "var |greeting =",
        "welcome",
        Ok(&[
            "var welcome = \"héllo 🌍\"; var tail = welcome;",
            "print shout(welcome, p.sum());",
        ]),
    ),
    (
        "this.|x = x",
        "left",
        Ok(&[
            "    this.left = x;",
            "  sum() { return this.left + this.y; }",
        ]),
    ),
    // `var word = word;` reads a local in its own initializer.
    (
        "var |out = word",
        "word",
        Err("renaming to `word` would clash"),
    ),
    // A second `out` in the same scope.
    ("fun |twice()", "out", Err("renaming to `out` would clash")),
    // Two parameters called `y`.
    ("init(|x, y)", "y", Err("renaming to `y` would clash")),
    ("var |out = word", "while", Err("`while` is a keyword")),
    (
        "var |out = word",
        "9lives",
        Err("`9lives` is not a Lox identifier"),
    ),
    (
        "var |out = word",
        "a b",
        Err("`a b` is not a Lox identifier"),
    ),
    ("p.|sum()", "total", Err("there is no name declared")),
];

#[test]
fn renames_and_their_refusals() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    for (cursor, new_name, expected) in RENAMES {
        let answer = client.at(
            "textDocument/rename",
            cursor,
            json!({ "newName": new_name }),
        );
        match expected {
            Ok(lines) => {
                let edits = answer["result"]["changes"][URI]
                    .as_array()
                    .unwrap_or_else(|| panic!("{cursor}: {answer}"));
                let mut text = FIXTURE.to_string();
                let mut sorted: Vec<&Value> = edits.iter().collect();
                sorted.sort_by_key(|edit| {
                    std::cmp::Reverse(byte_offset(FIXTURE, &edit["range"]["start"]))
                });
                for edit in sorted {
                    let start = byte_offset(FIXTURE, &edit["range"]["start"]);
                    let end = byte_offset(FIXTURE, &edit["range"]["end"]);
                    text.replace_range(start..end, edit["newText"].as_str().expect("text"));
                }
                let changed: Vec<&str> = text
                    .lines()
                    .filter(|line| !FIXTURE.lines().any(|old| old == *line))
                    .collect();
                assert_eq!(changed, *lines, "{cursor} -> {new_name}");
            }
            Err(message) => {
                let error = answer["error"]["message"].as_str().unwrap_or_default();
                assert!(
                    error.starts_with(message),
                    "{cursor} -> {new_name}: {answer}"
                );
                assert_eq!(answer["error"]["code"], -32602, "{answer}");
            }
        }
    }
    client.shut_down();
}

#[test]
fn document_symbols() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    let answer = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    fn render(symbols: &Value, depth: usize, out: &mut Vec<String>) {
        for symbol in symbols.as_array().into_iter().flatten() {
            out.push(format!(
                "{}{} {} {}",
                "  ".repeat(depth),
                symbol["name"].as_str().unwrap_or("?"),
                symbol["kind"],
                describe_range(FIXTURE, &symbol["selectionRange"]),
            ));
            render(&symbol["children"], depth + 1, out);
        }
    }
    let mut got = Vec::new();
    render(&answer["result"], 0, &mut got);
    assert_eq!(
        got,
        [
            "greeting 13 var |greeting (8 bytes)",
            "tail 13 var greeting = \"héllo 🌍\"; var |tail (4 bytes)",
            "shout 12 fun |shout (5 bytes)",
            "Point 5 class |Point (5 bytes)",
            "  init 6   |init (4 bytes)",
            "  sum 6   |sum (3 bytes)",
            "  twice 6   |twice (5 bytes)",
            "p 13 var |p (1 bytes)",
        ]
    );
    client.shut_down();
}

/// Lines of the fixture (0-based) and their semantic tokens, each as
/// `text:type` with `+` for a declaration.
const SEMANTIC_LINES: &[(usize, &str)] = &[
    (0, "// Every kind of name the server knows, for tests/lsp.rs.:comment"),
    (
        1,
        "var:keyword greeting:variable+ =:operator \"héllo 🌍\":string var:keyword tail:variable+ =:operator greeting:variable",
    ),
    (2, "fun:keyword shout:function+ word:parameter+ times:parameter+"),
    (9, "this:keyword x:property+ =:operator x:parameter"),
    (13, "twice:method+ return:keyword this:keyword sum:method *:operator 2:number"),
    (16, "print:keyword shout:function greeting:variable p:variable sum:property"),
];

#[test]
fn semantic_tokens() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    // The token types, in the order the server announced them.
    let legend: Vec<String> = client.capabilities["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .expect("a legend")
        .iter()
        .map(|kind| kind.as_str().unwrap_or_default().to_string())
        .collect();
    let answer = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    );
    let data: Vec<u64> = answer["result"]["data"]
        .as_array()
        .expect("tokens")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let lines: Vec<&str> = FIXTURE.lines().collect();
    let mut rendered: Vec<Vec<String>> = vec![Vec::new(); lines.len()];
    let (mut line, mut column) = (0usize, 0usize);
    for token in data.chunks(5) {
        let [delta_line, delta_start, length, kind, modifiers] = token else {
            panic!("tokens come in fives");
        };
        line += *delta_line as usize;
        column = match delta_line {
            0 => column + *delta_start as usize,
            _ => *delta_start as usize,
        };
        let text: String = {
            let units: Vec<u16> = lines[line].encode_utf16().collect();
            String::from_utf16_lossy(&units[column..column + *length as usize])
        };
        let declaration = match modifiers {
            1 => "+",
            _ => "",
        };
        rendered[line].push(format!("{text}:{}{declaration}", legend[*kind as usize]));
    }
    for (line, expected) in SEMANTIC_LINES {
        assert_eq!(rendered[*line].join(" "), *expected, "line {line}");
    }
    client.shut_down();
}

/// Each cursor and the selection ranges around it, innermost first, each
/// shown by its first line.
const SELECTIONS: &[(&str, &[&str])] = &[(
    "return o|ut + out",
    &[
        "out",
        "out + out",
        "return out + out;",
        "fun twice() { return out + out; }",
        "fun shout(word, times) {",
        "// Every kind of name the server knows, for tests/lsp.rs.",
    ],
)];

#[test]
fn selection_ranges() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    for (cursor, expected) in SELECTIONS {
        let answer = client.request(
            "textDocument/selectionRange",
            json!({ "textDocument": { "uri": URI }, "positions": [position(FIXTURE, cursor)] }),
        );
        let mut got = Vec::new();
        let mut range = &answer["result"][0];
        while range.is_object() {
            got.push(
                slice(FIXTURE, &range["range"])
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
            range = &range["parent"];
        }
        assert_eq!(got, *expected, "{cursor}");
    }
    client.shut_down();
}

#[test]
fn bad_requests_are_answered_with_errors_and_the_server_lives_on() {
    let mut client = Client::start_with(&[("BUMPLOX_LSP_PANIC_REQUEST", "1")]);
    client.open(URI, FIXTURE);
    // Parameters of the wrong shape.
    let answer = client.request("textDocument/definition", json!({ "position": "here" }));
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    // A method the server does not know.
    let answer = client.request("textDocument/unheardOf", json!({}));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    // A document that is not open.
    let answer = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere.lox" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    // A body that is not JSON at all, and one that is JSON but no message.
    client.send_raw("{ this is not json");
    let answer = client.wait(|message| message["error"]["code"] == -32700);
    assert_eq!(answer["id"], Value::Null);
    client.send_raw(r#"{"id": 99, "params": 1}"#);
    let answer = client.wait(|message| message["id"] == 99);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    client.send_raw(r#"{"id": 98, "method": 5}"#);
    let answer = client.wait(|message| message["id"] == 98);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    // A panic in a handler.
    let answer = client.request("bumplox/panic", json!({}));
    assert_eq!(answer["error"]["code"], -32603, "{answer}");
    // The server still answers, with the document it had.
    let answer = client.at("textDocument/definition", "return |twice();", json!({}));
    assert_eq!(
        answer["result"]["range"]["start"],
        position(FIXTURE, "fun |twice()")
    );
    client.shut_down();
}

/// Formatting is `bumplox fmt`'s: one edit over the whole document when it
/// changes anything, none when the document is formatted already, and a
/// refusal, leaving the text alone, when it has syntax errors.
#[test]
fn formatting_is_bumplox_fmts() {
    let mut client = Client::start();
    let unformatted = "var  a=1;\nfun f(x){return x+a;}\n";
    let formatted = bumplox_fmt::format(unformatted).expect("formats");
    assert_ne!(formatted, unformatted);
    let request = |client: &mut Client| {
        client.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
    };
    client.open(URI, unformatted);
    let answer = request(&mut client);
    let edits = answer["result"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{answer}");
    assert_eq!(edits[0]["newText"], formatted.as_str());
    assert_eq!(slice(unformatted, &edits[0]["range"]), unformatted);

    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": formatted }] }),
    );
    let answer = request(&mut client);
    assert_eq!(answer["result"], json!([]), "{answer}");

    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 3 }, "contentChanges": [{ "text": "print 1 +;" }] }),
    );
    let answer = request(&mut client);
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    client.shut_down();
}

/// A message framed as the protocol frames it.
fn frame(body: &Value) -> String {
    let body = body.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// The start of a session: `initialize` and `initialized`, framed.
fn initialized() -> String {
    frame(
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "processId": null, "rootUri": null, "capabilities": {} } }),
    ) + &frame(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }))
}

fn shutdown() -> String {
    frame(&json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }))
}

/// What the server says on its standard error when the client is gone
/// before `shutdown`.
const CLOSED_EARLY: &str = "bumplox lsp: the client closed the connection before shutdown\n";

/// Runs `bumplox lsp` on `input`, then the end of its input, and checks its
/// exit code and standard error.
#[track_caller]
fn check_ending(input: &str, code: i32, stderr: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bumplox starts");
    let mut stdin = child.stdin.take().expect("piped");
    stdin.write_all(input.as_bytes()).expect("server reads");
    drop(stdin);
    let output = child.wait_with_output().expect("waits");
    let got = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        (output.status.code(), got.as_ref()),
        (Some(code), stderr),
        "{input}"
    );
}

/// The end of input is a clean ending after `shutdown` and an abnormal one
/// (exit 1, one plain line) before it, whether or not `initialize` came.
#[test]
fn the_end_of_input_ends_the_server_cleanly_only_after_shutdown() {
    check_ending("", 1, CLOSED_EARLY);
    check_ending("Content-Length: 100\r\n\r\n{\"jsonrpc\"", 1, CLOSED_EARLY);
    check_ending("Content-Len", 1, CLOSED_EARLY);
    check_ending(&initialized(), 1, CLOSED_EARLY);
    check_ending(
        &(initialized() + "Content-Length: 100\r\n\r\n{"),
        1,
        CLOSED_EARLY,
    );
    check_ending(&(initialized() + &shutdown()), 0, "");
    check_ending(
        &(initialized() + &shutdown() + "Content-Length: 9\r\n"),
        0,
        "",
    );
}

/// `exit` ends the server at once, whatever comes after it: with 0 after
/// `shutdown`, else with 1.
#[test]
fn exit_ends_the_server_at_once_with_0_only_after_shutdown() {
    let mut client = Client::start();
    client.open(URI, FIXTURE);
    client.notify("exit", Value::Null);
    let (code, stderr) = client.exit();
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "bumplox lsp: the client sent `exit` before `shutdown`\n"
    );

    let mut client = Client::spawn(&[]);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit().0, Some(1));

    let mut client = Client::start();
    let answer = client.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null, "{answer}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit(), (Some(0), String::new()));
}

/// Before `initialize`, requests are refused as not initialized and
/// notifications dropped; after `shutdown`, requests are refused as invalid.
/// Either way the server waits on, and its messages are plain sentences.
#[test]
fn requests_before_initialize_and_after_shutdown_are_refused_and_the_server_waits() {
    let mut client = Client::spawn(&[]);
    let hover =
        json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } });
    let answer = client.request("textDocument/hover", hover.clone());
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    assert_eq!(
        answer["error"]["message"], "the server is not initialized: send `initialize` first",
        "{answer}"
    );
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "lox", "version": 1, "text": FIXTURE } }),
    );
    client.initialize();
    // The `didOpen` before `initialize` was dropped.
    let answer = client.request("textDocument/hover", hover.clone());
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    let answer = client.request(
        "initialize",
        json!({ "processId": null, "capabilities": {} }),
    );
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    client.open(URI, FIXTURE);

    let answer = client.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null, "{answer}");
    for method in ["textDocument/hover", "shutdown"] {
        let answer = client.request(method, hover.clone());
        assert_eq!(answer["error"]["code"], -32600, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("the server is shutting down"),
            "{answer}"
        );
    }
    client.notify("exit", Value::Null);
    assert_eq!(client.exit(), (Some(0), String::new()));
}

/// Changes sent faster than they are checked are applied together, in
/// order, and checked once: after a burst, the server publishes the last
/// version, fewer times than there were changes, and answers the request
/// behind the burst on the final text.
#[test]
fn a_burst_of_changes_is_checked_once_at_its_last_version() {
    const CHANGES: i32 = 50;
    let mut client = Client::start();
    let uri = "file:///burst.lox";
    // Large enough that checking it takes far longer than reading the
    // whole burst, which is written at once.
    client.open(uri, &"var base = 0;\n".repeat(20_000));
    let mut burst = String::new();
    for change in 0..CHANGES {
        let insert = json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": format!("var v{change} = {change};\n") });
        burst += &frame(
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "textDocument": { "uri": uri, "version": change + 2 }, "contentChanges": [insert] } }),
        );
    }
    let id = 1000;
    burst += &frame(
        &json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": { "textDocument": { "uri": uri }, "position": { "line": 0, "character": 4 } } }),
    );
    client
        .stdin
        .write_all(burst.as_bytes())
        .expect("server reads");
    client.stdin.flush().expect("server reads");
    let answer = client.wait(|message| message["id"] == id);
    let last = CHANGES - 1;
    assert_eq!(
        answer["result"]["contents"]["value"],
        format!("global variable `v{last}`, declared at line 1, column 5"),
        "{answer}"
    );
    // The diagnostics of the burst were all published before the answer.
    let versions: Vec<Value> = client
        .pending
        .iter()
        .filter(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
        })
        .map(|message| message["params"]["version"].clone())
        .collect();
    assert_eq!(versions.last(), Some(&json!(CHANGES + 1)), "{versions:?}");
    assert!(
        versions.len() < CHANGES as usize / 2,
        "{} publishes for {CHANGES} changes: {versions:?}",
        versions.len()
    );
    client.shut_down();
}
