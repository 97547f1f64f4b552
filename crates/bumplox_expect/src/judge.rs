//! How a run of a test file ended, and judging it against the file's
//! expectations: the exit code, stderr's errors and stdout's lines.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

use crate::expectations::{Expectations, ExpectedOutput, ExpectedRuntimeError};

/// The longest excerpt of program output quoted in a failure line, so that a runaway
/// program cannot flood the report.
const EXCERPT_CHARS: usize = 120;

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    Exited(i32),
    Signaled(i32),
    /// Killed after running longer than the limit.
    TimedOut(Duration),
    /// Neither an exit code nor a signal was reported (not expected on Unix).
    Unknown,
}

/// What one run of the binary produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutput {
    pub termination: Termination,
    pub stdout: String,
    pub stderr: String,
}

/// Judges one run against the expectations; the error is a one-line reason.
///
/// The process's ending comes first in the reason, then stderr, then stdout, so that the
/// most telling problems are quoted when several occur.
pub fn judge(expected: &Expectations, run: &RunOutput) -> Result<(), String> {
    let mut problems = Vec::new();
    problems.extend(check_termination(expected.exit_code(), run.termination));
    let stderr_lines: Vec<&str> = run.stderr.lines().collect();
    match &expected.runtime_error {
        Some(runtime_error) => problems.extend(check_runtime_error(runtime_error, &stderr_lines)),
        None => problems.extend(check_compile_errors(
            &expected.compile_errors,
            &stderr_lines,
        )),
    }
    let stdout_lines: Vec<&str> = run.stdout.lines().collect();
    problems.extend(check_output(&expected.output, &stdout_lines));
    summarize(&problems)
}

/// Joins the first problems into one line, counting the rest.
fn summarize(problems: &[String]) -> Result<(), String> {
    const SHOWN: usize = 2;
    if problems.is_empty() {
        return Ok(());
    }
    let mut reason = problems[..problems.len().min(SHOWN)].join("; ");
    if problems.len() > SHOWN {
        let _ = write!(reason, " (+{} more problems)", problems.len() - SHOWN);
    }
    Err(reason)
}

fn check_termination(expected_code: i32, termination: Termination) -> Option<String> {
    match termination {
        Termination::Exited(code) if code == expected_code => None,
        Termination::Exited(code) => Some(format!("exit code {code}, expected {expected_code}")),
        Termination::Signaled(signal) => Some(format!(
            "killed by signal {signal} ({}), expected exit code {expected_code}",
            signal_name(signal)
        )),
        Termination::TimedOut(limit) => Some(format!("timed out after {}s", limit.as_secs())),
        Termination::Unknown => Some("ended without an exit code or a signal".to_owned()),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "unnamed signal",
    }
}

/// Every non-empty stderr line must be an expected compile error and every expected
/// compile error must appear; duplicates and order do not matter.
fn check_compile_errors(expected: &BTreeSet<String>, stderr_lines: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let unexpected: Vec<&str> = stderr_lines
        .iter()
        .copied()
        .filter(|line| !line.is_empty() && !expected.contains(*line))
        .collect();
    if let Some(first) = unexpected.first() {
        problems.push(format!(
            "unexpected stderr line {}{}",
            excerpt(first),
            more(unexpected.len())
        ));
    }
    let found: BTreeSet<&str> = stderr_lines.iter().copied().collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|error| !found.contains(error.as_str()))
        .collect();
    if let Some(first) = missing.first() {
        problems.push(format!(
            "missing error {}{}",
            excerpt(first),
            more(missing.len())
        ));
    }
    problems
}

/// Stderr must start with the message, and the first later line naming a line must name
/// the marker's line (the innermost frame of the stack trace), as in the book's runner.
fn check_runtime_error(expected: &ExpectedRuntimeError, stderr_lines: &[&str]) -> Vec<String> {
    let Some((first, trace)) = stderr_lines.split_first() else {
        return vec![format!(
            "expected runtime error {}, stderr is empty",
            excerpt(&expected.message)
        )];
    };
    let mut problems = Vec::new();
    if *first != expected.message {
        problems.push(format!(
            "expected runtime error {}, got {}",
            excerpt(&expected.message),
            excerpt(first)
        ));
    }
    match trace.iter().find_map(|line| trace_line_number(line)) {
        Some(line) if line == expected.line => {}
        Some(line) => problems.push(format!(
            "runtime error reported on line {line}, expected line {}",
            expected.line
        )),
        None => problems.push(format!(
            "no stack trace line with [line {}] after the runtime error",
            expected.line
        )),
    }
    problems
}

/// Finds `[line N]` in a stack trace line.
pub(crate) fn trace_line_number(line: &str) -> Option<usize> {
    line.match_indices("[line ").find_map(|(start, marker)| {
        let rest = &line[start + marker.len()..];
        let (digits, _) = rest.split_once(']')?;
        if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    })
}

/// Stdout must hold exactly the expected lines, in order.
fn check_output(expected: &[ExpectedOutput], stdout_lines: &[&str]) -> Option<String> {
    for (index, got) in stdout_lines.iter().enumerate() {
        let Some(want) = expected.get(index) else {
            return Some(format!("extra stdout line {}: {}", index + 1, excerpt(got)));
        };
        if want.text != *got {
            return Some(format!(
                "stdout line {}: expected {} (from line {}), got {}",
                index + 1,
                excerpt(&want.text),
                want.line,
                excerpt(got)
            ));
        }
    }
    let missing = expected.get(stdout_lines.len())?;
    Some(format!(
        "missing stdout line {}: expected {} (from line {}){}",
        stdout_lines.len() + 1,
        excerpt(&missing.text),
        missing.line,
        more(expected.len() - stdout_lines.len())
    ))
}

/// Quotes a piece of output, shortened so that one failure stays on one readable line.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{:?}...", &text[..cut]),
        None => format!("{text:?}"),
    }
}

/// Notes how many more items share a problem, when there are any.
fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        _ => format!(" (and {} more)", count - 1),
    }
}
