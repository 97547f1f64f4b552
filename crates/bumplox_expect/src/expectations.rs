//! The markers a Lox test file states its expectations with (`// expect: …`,
//! `// Error …`, `// [line N] Error …`, `// expect runtime error: …`,
//! `// nontest`), read the way the book's own test runner reads them.

use std::collections::BTreeSet;

use crate::{EXIT_COMPILE_ERROR, EXIT_RUNTIME_ERROR};

/// One `// expect: TEXT` marker: the stdout line it expects and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedOutput {
    pub line: usize,
    pub text: String,
}

/// One `// expect runtime error: MESSAGE` marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedRuntimeError {
    pub line: usize,
    pub message: String,
}

/// Everything a test file says about how its run must go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    pub output: Vec<ExpectedOutput>,
    /// Compile errors exactly as they appear on stderr: `[line N] Error...`.
    pub compile_errors: BTreeSet<String>,
    pub runtime_error: Option<ExpectedRuntimeError>,
}

impl Expectations {
    pub fn exit_code(&self) -> i32 {
        if !self.compile_errors.is_empty() {
            return EXIT_COMPILE_ERROR;
        }
        match self.runtime_error {
            Some(_) => EXIT_RUNTIME_ERROR,
            None => 0,
        }
    }
}

/// Reads a test file's markers; `Ok(None)` means the file says it is not a test.
///
/// The markers are matched in the order the book's runner tries its patterns, and at
/// most one marker counts per line.
pub fn parse_expectations(source: &str) -> Result<Option<Expectations>, String> {
    let mut expectations = Expectations::default();
    for (index, line) in source.lines().enumerate() {
        let line_number = index + 1;
        if line.contains("// nontest") {
            return Ok(None);
        }
        if let Some(text) = parse_expect_output(line) {
            expectations.output.push(ExpectedOutput {
                line: line_number,
                text: text.to_owned(),
            });
            continue;
        }
        if let Some(error) = parse_error_here(line) {
            expectations
                .compile_errors
                .insert(format!("[line {line_number}] {error}"));
            continue;
        }
        if let Some(marker) = parse_error_on_line(line) {
            // The `java` variants describe the tree-walking reference's error recovery,
            // which a bytecode compiler does not share.
            if marker.language != Some("java") {
                expectations
                    .compile_errors
                    .insert(format!("[line {}] {}", marker.line, marker.error));
            }
            continue;
        }
        if let Some(message) = parse_runtime_error(line) {
            expectations.runtime_error = Some(ExpectedRuntimeError {
                line: line_number,
                message: message.to_owned(),
            });
        }
    }
    if !expectations.compile_errors.is_empty() && expectations.runtime_error.is_some() {
        return Err("the file expects both compile and runtime errors".to_owned());
    }
    Ok(Some(expectations))
}

/// Matches `// expect: TEXT`; like the book's `// expect: ?(.*)`, the space is optional.
fn parse_expect_output(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once("// expect:")?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// Matches `// Error...`, a compile error reported on the marker's own line.
fn parse_error_here(line: &str) -> Option<&str> {
    let start = line.find("// Error")?;
    Some(&line[start + "// ".len()..])
}

/// A `// [line K] Error...` marker, possibly restricted to one reference implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ErrorOnLine<'a> {
    language: Option<&'a str>,
    line: usize,
    error: &'a str,
}

/// Matches `// [line K] Error...`, `// [c line K] Error...` or `// [java line K] Error...`
/// anywhere in the line, like the book's `// \[((java|c) )?line (\d+)\] (Error.*)`.
fn parse_error_on_line(line: &str) -> Option<ErrorOnLine<'_>> {
    line.match_indices("// [")
        .find_map(|(start, marker)| parse_error_on_line_at(&line[start + marker.len()..]))
}

/// Parses what follows one `// [` of an error marker.
fn parse_error_on_line_at(rest: &str) -> Option<ErrorOnLine<'_>> {
    let (language, rest) = match rest.split_once(' ') {
        Some((word @ ("c" | "java"), after)) => (Some(word), after),
        _ => (None, rest),
    };
    let rest = rest.strip_prefix("line ")?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let line = rest[..digits].parse().ok()?;
    let error = rest[digits..].strip_prefix("] ")?;
    if !error.starts_with("Error") {
        return None;
    }
    Some(ErrorOnLine {
        language,
        line,
        error,
    })
}

/// Matches `// expect runtime error: MESSAGE` with a non-empty message.
fn parse_runtime_error(line: &str) -> Option<&str> {
    let (_, message) = line.split_once("// expect runtime error: ")?;
    if message.is_empty() {
        return None;
    }
    Some(message)
}
