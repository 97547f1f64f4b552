//! The hostile-input suite through the built binary: each input is generated
//! here (nothing large is committed), run with a time limit, and must end with
//! the expected exit code, never a signal, and diagnostics that make sense.
//! Run it against a release build too: `cargo test --release --test hostile_cli`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The longest any input may take, even in a debug build on a loaded machine.
const TIME_LIMIT: Duration = Duration::from_secs(120);
const MILLION: usize = 1_000_000;

use common::Ran;

/// Runs `bumplox ARGS FILE` on `source`, written to a scratch file, killing
/// it past [`TIME_LIMIT`].
fn run(name: &str, args: &[&str], source: &[u8]) -> Ran {
    common::supervised_run("hostile", name, args, source, TIME_LIMIT, None)
}

fn excerpt(text: &str) -> String {
    text.chars().take(400).collect()
}

/// Checks the exit code and that stderr, in the book's format, is exactly `errors`.
fn expect_errors(name: &str, source: &[u8], code: i32, errors: &[&str]) {
    let ran = run(name, &["--error-format", "lox"], source);
    assert_eq!(ran.code, code, "{name}: {}", excerpt(&ran.stderr));
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines, errors, "{name}");
}

/// Checks a program that runs: its exit code and the start of its stderr.
fn expect_run(name: &str, args: &[&str], source: &[u8], code: i32, stderr_start: &str) -> Ran {
    let ran = run(name, args, source);
    assert_eq!(ran.code, code, "{name}: {}", excerpt(&ran.stderr));
    assert!(
        ran.stderr.starts_with(stderr_start),
        "{name}: {}",
        excerpt(&ran.stderr)
    );
    ran
}

#[test]
fn a_million_levels_of_nesting_is_one_error() {
    for (name, source, token) in common::deep_nesting() {
        let error = format!("[line 1] Error at '{token}': Too much nesting.");
        expect_errors(name, source.as_bytes(), 65, &[error.as_str()]);
    }
}

#[test]
fn a_million_term_chain_compiles_or_fails_cleanly() {
    let sum = "print 1".to_string() + &"+1".repeat(MILLION) + ";";
    expect_errors(
        "sum",
        sum.as_bytes(),
        65,
        &["[line 1] Error at '1': Too many constants in one chunk."],
    );
    let calls = "f".to_string() + &"()".repeat(MILLION) + ";";
    expect_run(
        "calls",
        &["--error-format", "lox"],
        calls.as_bytes(),
        70,
        "Undefined variable 'f'.\n[line 1] in script",
    );
    let gets = "a".to_string() + &".b".repeat(MILLION) + ";";
    expect_run(
        "gets",
        &["--error-format", "lox"],
        gets.as_bytes(),
        70,
        "Undefined variable 'a'.",
    );
    let same = "var a = 1;\nprint a".to_string() + &"+a".repeat(MILLION) + ";";
    let ran = expect_run("globals", &[], same.as_bytes(), 0, "");
    // Numbers print as C's `%g` does.
    assert_eq!(ran.stdout, b"1e+06\n");
}

#[test]
fn a_hundred_thousand_errors_are_capped() {
    let source = "print ;\n".repeat(100_000);
    let ran = run("errors", &["--error-format", "lox"], source.as_bytes());
    assert_eq!(ran.code, 65);
    assert_eq!(ran.stderr.lines().count(), 100);
    let ran = run("errors-rich", &[], source.as_bytes());
    assert!(
        ran.stderr.contains("99900 more errors were not shown"),
        "{}",
        excerpt(&ran.stderr)
    );
}

#[test]
fn huge_tokens() {
    let string = format!("print \"{}\";", "x".repeat(50 << 20));
    let ran = expect_run("string", &[], string.as_bytes(), 0, "");
    assert_eq!(ran.stdout.len(), (50 << 20) + 1);
    let name = "a".repeat(10 << 20);
    let identifier = format!("var {name} = 1;\nprint {name};");
    let ran = expect_run("identifier", &[], identifier.as_bytes(), 0, "");
    assert_eq!(ran.stdout, b"1\n");
    let number = format!("print {};", "9".repeat(100_000));
    let ran = expect_run("number", &[], number.as_bytes(), 0, "");
    assert_eq!(ran.stdout, b"inf\n");
}

#[test]
fn broken_text() {
    expect_errors(
        "unterminated",
        b"print 1;\nprint \"never closed",
        65,
        &["[line 2] Error: Unterminated string."],
    );
    let ran = run(
        "utf8-code",
        &["--error-format", "lox"],
        b"print 1;\n\xC0\xAF;",
    );
    assert_eq!(ran.code, 65);
    assert!(
        ran.stderr
            .contains("invalid UTF-8 at line 2, column 1 (byte offset 9)"),
        "{}",
        ran.stderr
    );
    let ran = run(
        "utf8-string",
        &["--error-format", "lox"],
        b"print \"caf\xE9\";",
    );
    assert_eq!(ran.code, 65);
    assert!(ran.stderr.contains("byte offset 10"), "{}", ran.stderr);
    expect_errors(
        "nul",
        b"print 1;\0print 2;",
        65,
        &["[line 1] Error: Unexpected character."],
    );
    let ran = expect_run("bom", &[], b"\xEF\xBB\xBF", 0, "");
    assert!(ran.stdout.is_empty());
    expect_errors(
        "crlf",
        b"print 1;\r\n\r\nprint ;\r\n",
        65,
        &["[line 3] Error at ';': Expect expression."],
    );
    let ran = expect_run("empty", &[], b"", 0, "");
    assert!(ran.stdout.is_empty());
}

#[test]
fn static_errors() {
    expect_errors(
        "self-inherit",
        b"class A < A {}",
        65,
        &["[line 1] Error at 'A': A class can't inherit from itself."],
    );
    expect_errors(
        "top-return",
        b"return 1;",
        65,
        &["[line 1] Error at 'return': Can't return from top-level code."],
    );
    let prefixes: [(&str, &[u8], &str); 4] = [
        (
            "prefix-fun",
            b"fun f(",
            "[line 1] Error at end: Expect parameter name.",
        ),
        (
            "prefix-var",
            b"var x =",
            "[line 1] Error at end: Expect expression.",
        ),
        (
            "prefix-get",
            b"a.",
            "[line 1] Error at end: Expect property name after '.'.",
        ),
        (
            "prefix-class",
            b"class A <",
            "[line 1] Error at end: Expect superclass name.",
        ),
    ];
    for (name, source, error) in prefixes {
        expect_errors(name, source, 65, &[error]);
    }
    let params: Vec<String> = (0..256).map(|index| format!("p{index}")).collect();
    let source = format!("fun f({}) {{}}", params.join(","));
    expect_errors(
        "params",
        source.as_bytes(),
        65,
        &["[line 1] Error at 'p255': Can't have more than 255 parameters."],
    );
    let args = vec!["1"; 256].join(",");
    let source = format!("fun f() {{}}\nf({args});");
    expect_errors(
        "args",
        source.as_bytes(),
        65,
        // The 255th `1` is the script's 257th constant (`f` is two): the
        // book's compiler reports that, and is then in panic mode at the 256th.
        &["[line 2] Error at '1': Too many constants in one chunk."],
    );
}

#[test]
fn runaway_programs_end_with_runtime_errors() {
    expect_run(
        "recursion",
        &["--error-format", "lox"],
        b"fun f() { f(); }\nf();",
        70,
        "Stack overflow.\n[line 1] in f()",
    );
    let hoard = b"class Cell { init(next) { this.next = next; } }\nvar list = nil;\nwhile (true) list = Cell(list);";
    expect_run(
        "allocation",
        &["--max-memory", "64MB", "--error-format", "lox"],
        hoard,
        70,
        "Out of memory.",
    );
}

#[test]
fn the_tree_memory_limit_is_a_diagnostic() {
    // 2 MB of source, within `--max-memory` (which bounds the source too),
    // whose tree needs many times that.
    // The strategies that can tell how much their tree holds.
    let source = "var a = 1".to_string() + &" + a".repeat(MILLION / 2) + ";";
    for strategy in ["bump", "flat"] {
        let ran = run(
            "arena",
            &[
                "--alloc",
                strategy,
                "--max-memory",
                "4MB",
                "--error-format",
                "lox",
            ],
            source.as_bytes(),
        );
        assert_eq!(ran.code, 65, "{strategy}");
        assert_eq!(ran.stderr.lines().count(), 1, "{strategy}");
        assert!(
            ran.stderr.ends_with("Out of memory.\n"),
            "{strategy}: {}",
            ran.stderr
        );
    }
}

#[test]
fn a_long_else_if_chain_runs() {
    let branch = " else if (a == b) print b;";
    let source = format!(
        "var a = 1;\nvar b = 0;\nif (a == b) print b;{} else print a;",
        branch.repeat(10_000)
    );
    let ran = expect_run("else-if", &[], source.as_bytes(), 0, "");
    assert_eq!(ran.stdout, b"1\n");
}

#[test]
fn piped_output_that_closes_early_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .arg("layout")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bumplox starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("bumplox finishes");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("internal error"));
    let _ = std::io::stderr().flush();
}

#[test]
fn every_strategy_and_error_format_survives() {
    let inputs: [(&str, Vec<u8>, i32); 5] = [
        ("s-parens", ("(".repeat(MILLION) + "1;").into_bytes(), 65),
        (
            "s-calls",
            ("f".to_string() + &"()".repeat(MILLION) + ";").into_bytes(),
            70,
        ),
        ("s-errors", "print ;\n".repeat(100_000).into_bytes(), 65),
        ("s-utf8", b"print \"\xFF\";".to_vec(), 65),
        ("s-prefix", b"class A < B { m(".to_vec(), 65),
    ];
    for (name, source, code) in inputs {
        for strategy in ["bump", "typed", "box"] {
            for format in ["rich", "lox", "json"] {
                let ran = run(
                    name,
                    &["--alloc", strategy, "--error-format", format],
                    &source,
                );
                assert_eq!(
                    ran.code,
                    code,
                    "{name} with {strategy} and {format}: {}",
                    excerpt(&ran.stderr)
                );
                assert!(
                    !ran.stderr.is_empty(),
                    "{name} with {strategy} and {format} said nothing"
                );
            }
        }
    }
}
