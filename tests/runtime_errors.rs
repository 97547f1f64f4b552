//! Runtime errors as the built binary prints them, in each `--error-format`:
//! `rich` marks the failing operation in its source line and lists the call
//! trace, `json` is one object with a `trace` array, `lox` is the book's text.

mod common;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh scratch folder per call, so that tests running in parallel never
/// share a file.
fn scratch() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let index = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "bumplox-runtime-errors-{}-{index}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Runs `bumplox ARGS t.lox` on `src` from inside the scratch folder, so
/// that the file's name in the output is just `t.lox`.
fn run(args: &[&str], src: &str) -> Output {
    let dir = scratch();
    std::fs::write(dir.join("t.lox"), src).expect("a scratch file");
    Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(args)
        .arg("t.lox")
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("bumplox runs")
}

/// Runs `bumplox` with no file, feeding `input` to the REPL through a pipe.
fn repl(args: &[&str], input: &str) -> Output {
    common::bumplox_with_input(args, input.as_bytes())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Checks that `src` fails at run time (exit 70) and that its error in
/// `--error-format FORMAT`, with `extra` arguments, is exactly `expect`.
fn check(format: &str, extra: &[&str], src: &str, expect: &str) {
    let mut args = vec!["--error-format", format];
    args.extend_from_slice(extra);
    let output = run(&args, src);
    assert_eq!(output.status.code(), Some(70), "{src}\n{}", stderr(&output));
    assert_eq!(stderr(&output), expect, "{format}: {src}");
}

const NESTED: &str = "fun add(a, b) {\n  return a + b;\n}\nfun twice(x) {\n  return add(x, nil);\n}\nprint twice(1);\n";

const NESTED_RICH: &str = "\
error: Operands must be two numbers or two strings.
  ┌─ t.lox:2:12
  │
2 │   return a + b;
  │            ^ the operands are a number and nil
  ·
5 │   return add(x, nil);
  │          ----------- call to `add`
6 │ }
7 │ print twice(1);
  │       -------- call to `twice`
  │
  = in add() at t.lox:2:12
    called from twice() at t.lox:5:10
    called from script at t.lox:7:7

";

#[test]
fn rich_marks_the_failing_operation_and_what_it_found() {
    let cases: [(&str, &str); 10] = [
        (
            "print -\"a\";\n",
            "\
error: Operand must be a number.
  ┌─ t.lox:1:7
  │
1 │ print -\"a\";
  │       ^ the operand is a string

",
        ),
        (
            "print 1 < nil;\n",
            "\
error: Operands must be numbers.
  ┌─ t.lox:1:9
  │
1 │ print 1 < nil;
  │         ^ the operands are a number and nil

",
        ),
        (
            "var a = true;\nprint \"x\" + a;\n",
            "\
error: Operands must be two numbers or two strings.
  ┌─ t.lox:2:11
  │
2 │ print \"x\" + a;
  │           ^ the operands are a string and a boolean

",
        ),
        (
            "print 1;\nprint nope;\n",
            "\
error: Undefined variable 'nope'.
  ┌─ t.lox:2:7
  │
2 │ print nope;
  │       ^^^^ no global variable `nope` is defined

",
        ),
        (
            "nope = 1;\n",
            "\
error: Undefined variable 'nope'.
  ┌─ t.lox:1:1
  │
1 │ nope = 1;
  │ ^^^^ no global variable `nope` is defined

",
        ),
        (
            "class Point {}\nprint Point().x;\n",
            "\
error: Undefined property 'x'.
  ┌─ t.lox:2:15
  │
2 │ print Point().x;
  │               ^ `Point` has no field or method `x`

",
        ),
        (
            "var s = \"text\";\ns.size = 1;\n",
            "\
error: Only instances have fields.
  ┌─ t.lox:2:3
  │
2 │ s.size = 1;
  │   ^^^^ a string has no fields

",
        ),
        (
            "class A {}\nA().m(1, 2);\nA.m();\n",
            "\
error: Undefined property 'm'.
  ┌─ t.lox:2:5
  │
2 │ A().m(1, 2);
  │     ^^^^^^^ `A` has no field or method `m`

",
        ),
        (
            "class A {}\nvar a = A();\na(nil);\n",
            "\
error: Can only call functions and classes.
  ┌─ t.lox:3:1
  │
3 │ a(nil);
  │ ^^^^^^ an instance of `A` cannot be called

",
        ),
        (
            "fun f(a, b) {}\nf(1);\n",
            "\
error: Expected 2 arguments but got 1.
  ┌─ t.lox:2:1
  │
2 │ f(1);
  │ ^^^^ `f` takes 2 arguments

",
        ),
    ];
    for (src, expect) in cases {
        check("rich", &[], src, expect);
    }
}

#[test]
fn rich_labels_call_sites_and_lists_the_trace_innermost_first() {
    check("rich", &[], NESTED, NESTED_RICH);
    // A deep recursion shows its first frames and counts the rest.
    check(
        "rich",
        &[],
        "fun f(n) {\n  return f(n + 1);\n}\nf(0);\n",
        "\
error: Stack overflow.
  ┌─ t.lox:2:10
  │
2 │   return f(n + 1);
  │          ^^^^^^^^ this call nests one level too deep
3 │ }
4 │ f(0);
  │ ---- call to `f`
  │
  = in f() at t.lox:2:10
    called from f() at t.lox:2:10
    called from f() at t.lox:2:10
    called from f() at t.lox:2:10
    called from f() at t.lox:2:10
    ... the line above repeats 1018 more times
    called from script at t.lox:4:1

",
    );
}

#[test]
fn out_of_memory_points_at_the_allocation_with_its_trace() {
    let src = "fun grow(s) {\n  while (true) s = s + s;\n}\ngrow(\"ab\");\n";
    let limit = ["--max-memory", "1MB"];
    check(
        "rich",
        &limit,
        src,
        "\
error: Out of memory.
  ┌─ t.lox:2:22
  │
2 │   while (true) s = s + s;
  │                      ^ this allocation went past the heap limit
3 │ }
4 │ grow(\"ab\");
  │ ---------- call to `grow`
  │
  = in grow() at t.lox:2:22
    called from script at t.lox:4:1

",
    );
    check(
        "lox",
        &limit,
        src,
        "Out of memory.\n[line 2] in grow()\n[line 4] in script\n",
    );
}

#[test]
fn the_instruction_limit_points_at_the_loop() {
    check(
        "rich",
        &["--max-instructions", "1000"],
        "var i = 0;\nwhile (true) { i = i + 1; }\n",
        "\
error: Instruction limit exceeded.
  ┌─ t.lox:2:1
  │
2 │ while (true) { i = i + 1; }
  │ ^^^^^ the instruction budget ran out here

",
    );
}

#[test]
fn rich_colors_only_when_asked() {
    let output = run(&["--color", "always"], "print -nil;\n");
    assert_eq!(output.status.code(), Some(70));
    let text = stderr(&output);
    assert!(text.contains("\u{1b}["), "no ANSI escape in {text:?}");
    assert!(text.contains("the operand is nil"), "{text}");
}

#[test]
fn json_is_one_object_with_the_trace() {
    let span = |start: u32, line: u32, column: u32, length: u32| {
        format!(
            "{{\"start\":{{\"offset\":{start},\"line\":{line},\"column\":{column}}},\"end\":{{\"offset\":{},\"line\":{line},\"column\":{}}}}}",
            start + length,
            column + length
        )
    };
    let plus = span(27, 2, 12, 1);
    let expect = format!(
        "{{\"file\":\"t.lox\",\"severity\":\"error\",\"message\":\"Operands must be two numbers or two strings.\",\
         \"span\":{plus},\"labels\":[{{\"message\":\"the operands are a number and nil\",\"span\":{plus},\"primary\":true}}],\
         \"notes\":[],\"help\":null,\"trace\":[{{\"function\":\"add\",\"line\":2,\"span\":{plus}}},\
         {{\"function\":\"twice\",\"line\":5,\"span\":{}}},{{\"function\":null,\"line\":7,\"span\":{}}}]}}\n",
        span(58, 5, 10, 11),
        span(79, 7, 7, 8),
    );
    check("json", &[], NESTED, &expect);
}

#[test]
fn lox_is_the_books_text() {
    check(
        "lox",
        &[],
        NESTED,
        "Operands must be two numbers or two strings.\n[line 2] in add()\n[line 5] in twice()\n[line 7] in script\n",
    );
    // The book prints every frame of a deep recursion; so does `lox`.
    let frames = "[line 2] in f()\n".repeat(1023);
    check(
        "lox",
        &[],
        "fun f(n) {\n  return f(n + 1);\n}\nf(0);\n",
        &format!("Stack overflow.\n{frames}[line 4] in script\n"),
    );
}

#[test]
fn repl_frames_from_earlier_lines_have_no_snippet() {
    // `f` was compiled from the first line: its spans are offsets into that
    // line, so the error on the second line shows only where `f` was called.
    let input = "fun f(a) { return a + nil; }\nf(2);\n";
    let output = repl(&[], input);
    assert_eq!(
        stderr(&output),
        "error: Operands must be two numbers or two strings.\n = in f() at <repl>:1\n   called from script at <repl>:1:1\n\n"
    );
    let output = repl(&["--error-format", "json"], input);
    assert_eq!(
        stderr(&output),
        "{\"file\":\"<repl>\",\"severity\":\"error\",\"message\":\"Operands must be two numbers or two strings.\",\
         \"span\":null,\"labels\":[],\"notes\":[],\"help\":null,\"trace\":[{\"function\":\"f\",\"line\":1,\"span\":null},\
         {\"function\":null,\"line\":1,\"span\":{\"start\":{\"offset\":0,\"line\":1,\"column\":1},\"end\":{\"offset\":4,\"line\":1,\"column\":5}}}]}\n"
    );
}

#[test]
fn json_compile_diagnostics_include_the_primary_label() {
    let output = run(&["--error-format", "json"], "print print;\n");
    assert_eq!(output.status.code(), Some(65));
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains(
            "\"labels\":[{\"message\":\"expected an expression, found `print`\",\"span\":{\"start\":{\"offset\":6,\"line\":1,\"column\":7},\"end\":{\"offset\":11,\"line\":1,\"column\":12}},\"primary\":true}"
        ),
        "{text}"
    );
}
