//! Unit tests of the expectation parser and the judge, on literal sources and outputs.

use std::collections::BTreeSet;

use crate::expectations::{parse_expectations, Expectations, ExpectedOutput, ExpectedRuntimeError};
use crate::judge::{judge, trace_line_number, RunOutput, Termination};

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
    let expectations = parse("// [java line 3] Error at 'b': Expect ')'.\nprint 1; // expect: 1\n");
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
