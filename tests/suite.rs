//! Runs the official Lox test suite from *Crafting Interpreters* against the `bumplox` binary.
//!
//! The suite is not copied into this repository: it is read from `../shared/lox-test-suite`
//! next to the repository root, or from the folder named by `LOX_TEST_SUITE`. Each `.lox`
//! file states its expectations in comments (see the suite's README), and this file judges
//! the binary's output the way the book's own runner (`tool/bin/test.dart`) does for clox.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The exit code of a program rejected at compile time (`EX_DATAERR`).
const EXIT_COMPILE_ERROR: i32 = 65;

/// The exit code of a program that failed at run time (`EX_SOFTWARE`).
const EXIT_RUNTIME_ERROR: i32 = 70;

/// How long one program may run before it counts as hung; generous because debug builds
/// under `--gc-stress` collect on every allocation.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Top-level folders of the suite that belong to early chapters or measure speed.
const SKIPPED_FOLDERS: [&str; 3] = ["scanning", "expressions", "benchmark"];

/// The longest excerpt of program output quoted in a failure line, so that a runaway
/// program cannot flood the report.
const EXCERPT_CHARS: usize = 120;

#[test]
fn official_suite() {
    run_suite(&[]);
}

#[test]
fn official_suite_gc_stress() {
    run_suite(&["--gc-stress"]);
}

/// One `// expect: TEXT` marker: the stdout line it expects and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExpectedOutput {
    line: usize,
    text: String,
}

/// One `// expect runtime error: MESSAGE` marker.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExpectedRuntimeError {
    line: usize,
    message: String,
}

/// Everything a test file says about how its run must go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Expectations {
    output: Vec<ExpectedOutput>,
    /// Compile errors exactly as they appear on stderr: `[line N] Error...`.
    compile_errors: BTreeSet<String>,
    runtime_error: Option<ExpectedRuntimeError>,
}

impl Expectations {
    fn exit_code(&self) -> i32 {
        if !self.compile_errors.is_empty() {
            return EXIT_COMPILE_ERROR;
        }
        match self.runtime_error {
            Some(_) => EXIT_RUNTIME_ERROR,
            None => 0,
        }
    }
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Termination {
    Exited(i32),
    Signaled(i32),
    TimedOut,
    /// Neither an exit code nor a signal was reported (not expected on Unix).
    Unknown,
}

/// What one run of the binary produced.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RunOutput {
    termination: Termination,
    stdout: String,
    stderr: String,
}

/// Reads a test file's markers; `Ok(None)` means the file says it is not a test.
///
/// The markers are matched in the order the book's runner tries its patterns, and at
/// most one marker counts per line.
fn parse_expectations(source: &str) -> Result<Option<Expectations>, String> {
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

/// Judges one run against the expectations; the error is a one-line reason.
///
/// The process's ending comes first in the reason, then stderr, then stdout, so that the
/// most telling problems are quoted when several occur.
fn judge(expected: &Expectations, run: &RunOutput) -> Result<(), String> {
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
        Termination::TimedOut => Some(format!("timed out after {}s", TIMEOUT.as_secs())),
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
fn trace_line_number(line: &str) -> Option<usize> {
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
fn excerpt(text: &str) -> String {
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

/// Runs `bumplox run --error-format lox FLAGS... FILE` with no stdin, killing it if it
/// outlives `TIMEOUT`.
/// The command that runs the binary: the binary itself, or, when the environment
/// variable `LOX_RUNNER` names a wrapper such as `valgrind -q --error-exitcode=99`,
/// that wrapper with the binary as its first argument.
fn binary_command() -> Command {
    let binary = env!("CARGO_BIN_EXE_bumplox");
    let wrapper = std::env::var("LOX_RUNNER").unwrap_or_default();
    let mut words = wrapper.split_whitespace();
    match words.next() {
        Some(program) => {
            let mut command = Command::new(program);
            command.args(words).arg(binary);
            command
        }
        None => Command::new(binary),
    }
}

fn run_binary(file: &Path, flags: &[&str]) -> Result<RunOutput, String> {
    let mut child = binary_command()
        .args(["run", "--error-format", "lox"])
        .args(flags)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start bumplox: {error}"))?;

    // Both pipes are drained on their own threads so that a chatty program cannot block
    // on a full pipe, and their closing tells when the program is done without polling.
    let (sender, receiver) = mpsc::channel();
    let stdout = child.stdout.take().map(|pipe| drain(pipe, sender.clone()));
    let stderr = child.stderr.take().map(|pipe| drain(pipe, sender));
    let deadline = Instant::now() + TIMEOUT;
    let mut timed_out = false;
    for _ in 0..2 {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(remaining) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                break;
            }
        }
    }
    if timed_out {
        // Killing the child we spawned closes its pipes, which lets the readers finish.
        let _ = child.kill();
    }
    let status = child
        .wait()
        .map_err(|error| format!("could not wait for bumplox: {error}"))?;
    let stdout = join_reader(stdout)?;
    let stderr = join_reader(stderr)?;
    let termination = if timed_out {
        Termination::TimedOut
    } else {
        termination_of(status)
    };
    Ok(RunOutput {
        termination,
        stdout,
        stderr,
    })
}

/// Reads a pipe to its end on a new thread, then signals the channel.
fn drain<R: Read + Send + 'static>(
    mut pipe: R,
    done: mpsc::Sender<()>,
) -> thread::JoinHandle<std::io::Result<Vec<u8>>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let result = pipe.read_to_end(&mut bytes).map(|_| bytes);
        let _ = done.send(());
        result
    })
}

fn join_reader(
    reader: Option<thread::JoinHandle<std::io::Result<Vec<u8>>>>,
) -> Result<String, String> {
    let Some(reader) = reader else {
        return Ok(String::new());
    };
    let bytes = reader
        .join()
        .map_err(|_| "a pipe reader panicked".to_owned())?
        .map_err(|error| format!("could not read bumplox's output: {error}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(unix)]
fn termination_of(status: ExitStatus) -> Termination {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => Termination::Exited(code),
        (None, Some(signal)) => Termination::Signaled(signal),
        (None, None) => Termination::Unknown,
    }
}

#[cfg(not(unix))]
fn termination_of(status: ExitStatus) -> Termination {
    match status.code() {
        Some(code) => Termination::Exited(code),
        None => Termination::Unknown,
    }
}

/// Collects the relative paths (with `/` separators) of the suite's `.lox` files outside
/// the skipped folders, sorted.
fn collect_lox_files(root: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| format!("could not list {}: {error}", dir.display()))?;
        for entry in entries {
            let entry =
                entry.map_err(|error| format!("could not list {}: {error}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = format!("{prefix}{name}");
            let file_type = entry
                .file_type()
                .map_err(|error| format!("could not inspect {relative}: {error}"))?;
            if file_type.is_dir() {
                if prefix.is_empty() && SKIPPED_FOLDERS.contains(&name.as_str()) {
                    continue;
                }
                pending.push((entry.path(), format!("{relative}/")));
                continue;
            }
            if name.ends_with(".lox") {
                files.push(relative);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The tally key of a test file: its top-level folder, or `.` for files at the top.
fn folder_of(relative: &str) -> &str {
    match relative.split_once('/') {
        Some((folder, _)) => folder,
        None => ".",
    }
}

/// What became of one file of the suite.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The file says `// nontest`, so it is neither run nor counted.
    NotATest,
    Passed,
    Failed(String),
}

/// Reads, runs and judges one file.
fn run_test_file(root: &Path, relative: &str, flags: &[&str]) -> Outcome {
    let path = root.join(relative);
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(error) => return Outcome::Failed(format!("could not read the file: {error}")),
    };
    let expectations = match parse_expectations(&source) {
        Ok(Some(expectations)) => expectations,
        Ok(None) => return Outcome::NotATest,
        Err(error) => return Outcome::Failed(error),
    };
    match run_binary(&path, flags).and_then(|run| judge(&expectations, &run)) {
        Ok(()) => Outcome::Passed,
        Err(reason) => Outcome::Failed(reason),
    }
}

/// Runs every file on a few threads and returns the outcomes in the order of `files`.
fn run_all(root: &Path, files: &[String], flags: &[&str]) -> Vec<Outcome> {
    // The programs are short, so a couple of workers per core keep the cores busy while
    // other workers wait on process start-up.
    let workers = thread::available_parallelism()
        .map_or(2, |count| count.get())
        .clamp(2, 8);
    let next = AtomicUsize::new(0);
    let finished: Vec<Vec<(usize, Outcome)>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(relative) = files.get(index) else {
                            return done;
                        };
                        done.push((index, run_test_file(root, relative, flags)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a suite worker thread panicked"))
            .collect()
    });
    let mut outcomes = vec![Outcome::NotATest; files.len()];
    for (index, outcome) in finished.into_iter().flatten() {
        outcomes[index] = outcome;
    }
    outcomes
}

fn run_suite(flags: &[&str]) {
    let Some(root) = common::suite_dir("official_suite") else {
        return;
    };
    let files = collect_lox_files(&root).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        !files.is_empty(),
        "the Lox test suite at {} holds no .lox files to run",
        root.display()
    );
    let outcomes = run_all(&root, &files, flags);

    let mut report = String::new();
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (relative, outcome) in files.iter().zip(&outcomes) {
        let passed = match outcome {
            Outcome::NotATest => continue,
            Outcome::Passed => 1,
            Outcome::Failed(reason) => {
                let _ = writeln!(report, "FAIL {relative}: {reason}");
                0
            }
        };
        let entry = tally.entry(folder_of(relative)).or_default();
        entry.0 += passed;
        entry.1 += 1;
    }
    for (folder, (folder_passed, folder_total)) in &tally {
        let _ = writeln!(report, "{folder}: {folder_passed}/{folder_total}");
    }
    let passed: usize = tally.values().map(|(passed, _)| passed).sum();
    let failed = tally.values().map(|(_, total)| total).sum::<usize>() - passed;
    let _ = writeln!(report, "{passed} passed, {failed} failed");
    // One print keeps this report whole when both suite tests run at once.
    print!("{report}");

    let mode = if flags.is_empty() {
        String::new()
    } else {
        format!(" with {}", flags.join(" "))
    };
    assert!(
        failed == 0,
        "official Lox test suite{mode}: {passed} passed, {failed} failed (the FAIL lines above name them)"
    );
}

/// Unit tests of the expectation parser and the judge, on literal sources and outputs.
mod unit {
    use super::*;

    fn output(line: usize, text: &str) -> ExpectedOutput {
        ExpectedOutput {
            line,
            text: text.to_owned(),
        }
    }

    fn errors(lines: &[&str]) -> BTreeSet<String> {
        lines.iter().map(|line| (*line).to_owned()).collect()
    }

    fn parse(source: &str) -> Expectations {
        parse_expectations(source)
            .expect("the source is valid")
            .expect("the source is a test")
    }

    fn exited(code: i32, stdout: &str, stderr: &str) -> RunOutput {
        RunOutput {
            termination: Termination::Exited(code),
            stdout: stdout.to_owned(),
            stderr: stderr.to_owned(),
        }
    }

    #[test]
    fn parses_expect_lines_keeping_the_whole_text() {
        let expectations = parse(
            "print 1; // expect: 1\n\
             \n\
             print \"a // b\"; // expect: a // b\n\
             print \" x \"; // expect:  x \n",
        );
        assert_eq!(
            expectations.output,
            vec![output(1, "1"), output(3, "a // b"), output(4, " x ")]
        );
        assert!(expectations.compile_errors.is_empty());
        assert_eq!(expectations.runtime_error, None);
        assert_eq!(expectations.exit_code(), 0);
    }

    #[test]
    fn parses_compile_errors_on_the_marker_line() {
        let expectations = parse(
            "var a = 1;\n\
             a + 1 = 2; // Error at '=': Invalid assignment target.\n\
             fun f( // Error: Unterminated thing.\n",
        );
        assert_eq!(
            expectations.compile_errors,
            errors(&[
                "[line 2] Error at '=': Invalid assignment target.",
                "[line 3] Error: Unterminated thing.",
            ])
        );
        assert_eq!(expectations.exit_code(), 65);
    }

    #[test]
    fn parses_compile_errors_on_a_given_line() {
        let expectations = parse(
            "// [line 2] Error at 'var': Expect expression.\n\
             for (;;) var foo;\n",
        );
        assert_eq!(
            expectations.compile_errors,
            errors(&["[line 2] Error at 'var': Expect expression."])
        );
    }

    #[test]
    fn follows_c_lines_and_ignores_java_lines() {
        let expectations = parse(
            "// [line 3] Error: Unexpected character.\n\
             // [java line 3] Error at 'b': Expect ')' after arguments.\n\
             // [c line 4] Error at end: Expect '}' after block.\n",
        );
        assert_eq!(
            expectations.compile_errors,
            errors(&[
                "[line 3] Error: Unexpected character.",
                "[line 4] Error at end: Expect '}' after block.",
            ])
        );
    }

    #[test]
    fn a_java_only_error_expects_no_compile_error() {
        let expectations =
            parse("// [java line 3] Error at 'b': Expect ')'.\nprint 1; // expect: 1\n");
        assert!(expectations.compile_errors.is_empty());
        assert_eq!(expectations.exit_code(), 0);
    }

    #[test]
    fn parses_a_runtime_error() {
        let expectations = parse(
            "print \"before\"; // expect: before\n\
             nil + 1; // expect runtime error: Operands must be numbers.\n",
        );
        assert_eq!(
            expectations.runtime_error,
            Some(ExpectedRuntimeError {
                line: 2,
                message: "Operands must be numbers.".to_owned(),
            })
        );
        assert_eq!(expectations.output, vec![output(1, "before")]);
        assert_eq!(expectations.exit_code(), 70);
    }

    #[test]
    fn a_nontest_file_is_not_a_test() {
        let parsed = parse_expectations("// nontest\nprint 1; // expect: 1\n");
        assert_eq!(parsed, Ok(None));
    }

    #[test]
    fn rejects_both_compile_and_runtime_errors() {
        let parsed = parse_expectations(
            "1 = 2; // Error at '=': Invalid assignment target.\n\
             nil(); // expect runtime error: Can only call functions and classes.\n",
        );
        assert!(parsed.is_err(), "got {parsed:?}");
    }

    #[test]
    fn finds_the_line_of_a_stack_trace_entry() {
        assert_eq!(trace_line_number("[line 12] in script"), Some(12));
        assert_eq!(trace_line_number("[line 3] in foo()"), Some(3));
        assert_eq!(trace_line_number("in script"), None);
        assert_eq!(trace_line_number("[line x] [line 7]"), Some(7));
    }

    #[test]
    fn judge_accepts_matching_output() {
        let expectations = parse("print 1; // expect: 1\nprint 2; // expect: 2\n");
        assert_eq!(judge(&expectations, &exited(0, "1\n2\n", "")), Ok(()));
    }

    #[test]
    fn judge_rejects_an_extra_stdout_line() {
        let expectations = parse("print 1; // expect: 1\n");
        assert_eq!(
            judge(&expectations, &exited(0, "1\n2\n", "")),
            Err("extra stdout line 2: \"2\"".to_owned())
        );
    }

    #[test]
    fn judge_rejects_a_missing_or_different_stdout_line() {
        let expectations = parse("print 1; // expect: 1\nprint 2; // expect: 2\n");
        assert_eq!(
            judge(&expectations, &exited(0, "1\n", "")),
            Err("missing stdout line 2: expected \"2\" (from line 2)".to_owned())
        );
        assert_eq!(
            judge(&expectations, &exited(0, "1\n3\n", "")),
            Err("stdout line 2: expected \"2\" (from line 2), got \"3\"".to_owned())
        );
    }

    #[test]
    fn judge_rejects_a_wrong_exit_code() {
        let expectations = parse("print 1; // expect: 1\n");
        assert_eq!(
            judge(&expectations, &exited(1, "1\n", "")),
            Err("exit code 1, expected 0".to_owned())
        );
    }

    #[test]
    fn judge_rejects_an_unexpected_stderr_line() {
        let expectations = parse("print 1; // expect: 1\n");
        assert_eq!(
            judge(&expectations, &exited(0, "1\n", "debug noise\n")),
            Err("unexpected stderr line \"debug noise\"".to_owned())
        );
    }

    #[test]
    fn judge_names_a_killing_signal() {
        let expectations = parse("print 1; // expect: 1\n");
        let run = RunOutput {
            termination: Termination::Signaled(11),
            stdout: "1\n".to_owned(),
            stderr: String::new(),
        };
        assert_eq!(
            judge(&expectations, &run),
            Err("killed by signal 11 (SIGSEGV), expected exit code 0".to_owned())
        );
    }

    #[test]
    fn judge_compares_compile_errors_as_sets() {
        let expectations = parse(
            "// [line 2] Error at 'b': First.\n\
             a b c; // Error at 'c': Second.\n",
        );
        let stderr = "[line 2] Error at 'c': Second.\n\n[line 2] Error at 'b': First.\n";
        assert_eq!(judge(&expectations, &exited(65, "", stderr)), Ok(()));
        assert_eq!(
            judge(
                &expectations,
                &exited(
                    65,
                    "",
                    "[line 2] Error at 'b': First.\n[line 9] Error: Other.\n"
                )
            ),
            Err("unexpected stderr line \"[line 9] Error: Other.\"; \
                 missing error \"[line 2] Error at 'c': Second.\""
                .to_owned())
        );
    }

    #[test]
    fn judge_checks_the_runtime_error_message_and_line() {
        let expectations = parse(
            "print 1; // expect: 1\n\
             nil + 1; // expect runtime error: Operands must be numbers.\n",
        );
        let good = exited(70, "1\n", "Operands must be numbers.\n[line 2] in script\n");
        assert_eq!(judge(&expectations, &good), Ok(()));
        let wrong_line = exited(70, "1\n", "Operands must be numbers.\n[line 1] in script\n");
        assert_eq!(
            judge(&expectations, &wrong_line),
            Err("runtime error reported on line 1, expected line 2".to_owned())
        );
        let wrong_message = exited(70, "1\n", "Oops.\n[line 2] in script\n");
        assert_eq!(
            judge(&expectations, &wrong_message),
            Err("expected runtime error \"Operands must be numbers.\", got \"Oops.\"".to_owned())
        );
        let no_trace = exited(70, "1\n", "Operands must be numbers.\n");
        assert_eq!(
            judge(&expectations, &no_trace),
            Err("no stack trace line with [line 2] after the runtime error".to_owned())
        );
    }

    #[test]
    fn skips_folders_only_at_the_top_and_sorts_paths() {
        let root = std::env::temp_dir().join(format!("bumplox-suite-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["b", "a/scanning", "scanning", "benchmark", "expressions"] {
            std::fs::create_dir_all(root.join(dir)).expect("create a scratch folder");
        }
        for file in [
            "top.lox",
            "b/two.lox",
            "b/one.lox",
            "b/notes.txt",
            "a/scanning/kept.lox",
            "scanning/skipped.lox",
            "benchmark/skipped.lox",
            "expressions/skipped.lox",
        ] {
            std::fs::write(root.join(file), "").expect("write a scratch file");
        }
        let files = collect_lox_files(&root);
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(
            files,
            Ok(vec![
                "a/scanning/kept.lox".to_owned(),
                "b/one.lox".to_owned(),
                "b/two.lox".to_owned(),
                "top.lox".to_owned(),
            ])
        );
        assert_eq!(folder_of("b/one.lox"), "b");
        assert_eq!(folder_of("top.lox"), ".");
    }
}
