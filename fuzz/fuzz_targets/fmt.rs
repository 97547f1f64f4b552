//! Fuzzes the formatter on arbitrary bytes: it returns the formatted text or
//! the parser's diagnostics and never fails otherwise; a text it formats
//! parses to the same tree, formats again to itself, and keeps its comments
//! in order.

#![no_main]

use bumplox_fmt::FormatError;
use bumplox_source::SourceFile;
use bumplox_tree::dump::{sexpr, DumpOptions};
use bumplox_tree::BumpBuilder;
use libfuzzer_sys::fuzz_target;

fn tree(text: &str) -> String {
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(text, &BumpBuilder::new(&bump));
    sexpr(&parse.program, DumpOptions { spans: false })
}

fn comments(text: &str) -> Vec<&str> {
    bumplox_lexer::comment_spans(text)
        .into_iter()
        .map(|span| text[span.range()].trim_end())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.lox", data.to_vec()) else {
        return;
    };
    let text = file.text();
    let formatted = match bumplox_fmt::format(text) {
        Ok(formatted) => formatted,
        Err(FormatError::Syntax(diagnostics)) => {
            assert!(!diagnostics.is_empty());
            return;
        }
        Err(FormatError::Internal(message)) => panic!("{message}"),
    };
    assert_eq!(tree(&formatted), tree(text), "the tree changed");
    let again = bumplox_fmt::format(&formatted).expect("the output formats");
    assert_eq!(again, formatted, "formatting is not idempotent");
    assert_eq!(comments(&formatted), comments(text), "the comments changed");
});
