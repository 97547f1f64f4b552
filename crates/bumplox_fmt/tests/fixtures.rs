//! The formatter on the `.lox` fixtures beside this file, each snapshotted
//! with insta (`snapshots/`): comments in every position a line can hold
//! one, control flow, and lines too long for [`bumplox_fmt::MAX_WIDTH`].
//! Every fixture must format, format again to the same text, and keep its
//! comments in order.

use std::path::Path;

fn comments(text: &str) -> Vec<&str> {
    bumplox_lexer::comment_spans(text)
        .into_iter()
        .map(|span| text[span.range()].trim_end())
        .collect()
}

fn check(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let source = std::fs::read_to_string(&path).expect("a fixture");
    let formatted = bumplox_fmt::format(&source)
        .unwrap_or_else(|error| panic!("{name} does not format: {error:?}"));
    let again = bumplox_fmt::format(&formatted).expect("the output formats");
    assert_eq!(
        again, formatted,
        "{name}: formatting twice changes the text"
    );
    assert_eq!(comments(&formatted), comments(&source), "{name}: comments");
    insta::assert_snapshot!(name, formatted);
}

#[test]
fn comments_in_every_position() {
    check("comments.lox");
}

#[test]
fn comments_with_crlf_line_breaks() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/comments.lox");
    let source = std::fs::read_to_string(path).expect("a fixture");
    let crlf = source.replace('\n', "\r\n");
    let formatted = bumplox_fmt::format(&crlf).expect("it formats");
    let expected = bumplox_fmt::format(&source).expect("it formats");
    // Line breaks become `\n`, and the `\r` ending each comment goes with
    // the trailing white space.
    assert_eq!(formatted, expected);
}

#[test]
fn control_flow() {
    check("control_flow.lox");
}

#[test]
fn long_lines() {
    check("long_lines.lox");
}
