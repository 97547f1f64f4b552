//! `bumplox test [PATH...]`: runs Lox test files written in the book's format
//! (`// expect: …` and friends) in parallel, each in a process of its own, and
//! reports every failure with a diff of what was expected and what came out.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use bumplox_expect::{judge, line_diff, parse_expectations, run_with_timeout, Expectations};
use rayon::prelude::*;

use crate::cli::Options;
use crate::exit;
use crate::output;
use crate::walk;

/// What became of one file.
enum Outcome {
    /// No expectations (and no `--all`), or `// nontest`: not counted.
    NotATest,
    Passed,
    /// The one-line reason, then the report's body (diffs), possibly empty.
    Failed {
        reason: String,
        details: String,
    },
}

pub fn run(paths: &[String], options: &Options) -> i32 {
    let default = [".".to_string()];
    let paths = match paths.is_empty() {
        true => &default[..],
        false => paths,
    };
    let found = walk::lox_files(paths, false, "tested");
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(error) => {
            output::print_stderr(&format!(
                "error: cannot find this program to run tests with: {error}\n"
            ));
            return exit::IO_ERROR;
        }
    };
    // Each test is a process of its own, so a hung or crashing program fails
    // only its own test; rayon keeps both cores busy while processes start.
    let outcomes: Vec<Outcome> = found
        .files
        .par_iter()
        .map(|path| run_one(&program, path, options))
        .collect();
    let mut report = String::new();
    for (_, problem) in &found.problems {
        let _ = writeln!(report, "error: {problem}");
    }
    let (mut passed, mut failed) = (0, 0);
    for (path, outcome) in found.files.iter().zip(&outcomes) {
        match outcome {
            Outcome::NotATest => {}
            Outcome::Passed => passed += 1,
            Outcome::Failed { reason, details } => {
                failed += 1;
                let _ = writeln!(report, "FAIL {path}: {reason}");
                report.push_str(details);
            }
        }
    }
    let skipped = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Outcome::NotATest))
        .count();
    if skipped > 0 {
        let files = match skipped {
            1 => "file",
            _ => "files",
        };
        let _ = writeln!(
            report,
            "({skipped} .lox {files} without expectations not run; --all runs them)"
        );
    }
    let _ = writeln!(report, "{passed} passed, {failed} failed");
    output::print_stdout(&report);
    match (failed, passed, found.problems.is_empty()) {
        (0, 0, true) => {
            output::print_stderr(&format!(
                "error: no test files in {}: a test is a .lox file with `// expect` or `// Error` comments\n",
                paths.join(", ")
            ));
            exit::TEST_FAILURE
        }
        (0, _, true) => exit::SUCCESS,
        (0, _, false) => exit::IO_ERROR,
        _ => exit::TEST_FAILURE,
    }
}

fn run_one(program: &Path, path: &str, options: &Options) -> Outcome {
    let source = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => {
            return Outcome::Failed {
                reason: format!("cannot read it: {}", crate::session::io_reason(&error)),
                details: String::new(),
            }
        }
    };
    let expectations = match parse_expectations(&source) {
        Ok(Some(expectations)) => expectations,
        Ok(None) => return Outcome::NotATest,
        Err(reason) => {
            return Outcome::Failed {
                reason,
                details: String::new(),
            }
        }
    };
    if !options.test_unmarked && is_unmarked(&expectations) {
        return Outcome::NotATest;
    }
    let mut command = Command::new(program);
    command
        .args(["run", "--error-format", "lox", "--alloc"])
        .arg(options.alloc.name())
        .arg("--max-memory")
        .arg(options.max_memory.to_string());
    if options.gc_stress {
        command.arg("--gc-stress");
    }
    if let Some(steps) = options.max_instructions {
        command.arg("--max-instructions").arg(steps.to_string());
    }
    command.arg("--").arg(path);
    let run = match run_with_timeout(command, options.test_timeout) {
        Ok(run) => run,
        Err(reason) => {
            return Outcome::Failed {
                reason,
                details: String::new(),
            }
        }
    };
    match judge(&expectations, &run) {
        Ok(()) => Outcome::Passed,
        Err(reason) => Outcome::Failed {
            reason,
            details: details(&expectations, &run.stdout, &run.stderr),
        },
    }
}

/// A file that states nothing: it is a test only with `--all`.
fn is_unmarked(expectations: &Expectations) -> bool {
    expectations.output.is_empty()
        && expectations.compile_errors.is_empty()
        && expectations.runtime_error.is_none()
}

/// The diffs of stdout and stderr against what the file expects, indented
/// under the failure's line; a side that matches is left out.
fn details(expectations: &Expectations, stdout: &str, stderr: &str) -> String {
    let mut out = String::new();
    let expected_stdout: Vec<&str> = expectations
        .output
        .iter()
        .map(|line| line.text.as_str())
        .collect();
    let actual_stdout: Vec<&str> = stdout.lines().collect();
    if expected_stdout != actual_stdout {
        out.push_str("  stdout (- expected, + actual):\n");
        indent(&mut out, &line_diff(&expected_stdout, &actual_stdout));
    }
    // Compile errors are a set, so both sides are compared sorted; a runtime
    // error is its message line then the trace, of which only the message is
    // stated in the file.
    let mut actual_stderr: Vec<&str> = stderr.lines().filter(|line| !line.is_empty()).collect();
    let expected_stderr: Vec<&str> = match &expectations.runtime_error {
        Some(error) => {
            actual_stderr.truncate(1);
            vec![error.message.as_str()]
        }
        None => {
            actual_stderr.sort_unstable();
            actual_stderr.dedup();
            expectations
                .compile_errors
                .iter()
                .map(String::as_str)
                .collect()
        }
    };
    if expected_stderr != actual_stderr {
        out.push_str("  stderr (- expected, + actual):\n");
        indent(&mut out, &line_diff(&expected_stderr, &actual_stderr));
    }
    out
}

fn indent(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
}
