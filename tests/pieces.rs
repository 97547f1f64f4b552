//! Files larger than one piece (`compile_in_pieces`, about 1 MiB of top-level
//! declarations) are compiled a piece at a time and run as one program: these
//! tests drive the built binary on such files and check that nothing about
//! the split shows: the output, a runtime error's trace and source excerpt,
//! and every compile error (a piece with an error makes the whole file
//! compile again at once, as does running out of top-level constants).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Writes `source` to a scratch file named after `test` and runs
/// `bumplox ARGS file` on it from its folder.
fn run(test: &str, args: &[&str], source: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("bumplox-pieces-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let file: PathBuf = dir.join("big.lox");
    std::fs::write(&file, source).expect("a scratch file");
    let output = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(args)
        .arg("big.lox")
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("bumplox runs");
    let _ = std::fs::remove_dir_all(&dir);
    output
}

/// `count` top-level functions `f0`… each returning its own number, each
/// holding enough nested functions that the whole is several pieces long
/// (each top-level function adds two constants to the one top-level script,
/// which holds 256, so a program is made long by nesting).
fn functions(count: usize) -> String {
    let padding = "x".repeat(300);
    let mut source = String::new();
    for index in 0..count {
        let _ = writeln!(source, "fun f{index}() {{");
        for nested in 0..120 {
            let _ = writeln!(
                source,
                "  fun g{nested}() {{ var padding = \"{padding}\"; return {nested}; }}"
            );
        }
        let _ = writeln!(source, "  return {index};\n}}");
    }
    source
}

/// How many top-level functions make about 3 MiB, three pieces or more.
const FUNCTIONS: usize = 90;

#[test]
fn a_program_of_several_pieces_runs_as_one() {
    let mut source = functions(FUNCTIONS);
    assert!(source.len() > 3 << 20, "the program spans several pieces");
    // Calls from the last piece into the first and from the first piece's
    // functions' globals: every function is defined by the time any runs.
    source.push_str("var sum = 0;\n");
    let _ = writeln!(
        source,
        "for (var i = 0; i < 3; i = i + 1) {{ sum = sum + f0() + f{}(); }}",
        FUNCTIONS - 1
    );
    source.push_str("print sum;\n");
    let output = run("runs", &["run"], &source);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "no diagnostics"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{}\n", 3 * (FUNCTIONS - 1))
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_runtime_error_in_an_earlier_piece_keeps_its_source_excerpt() {
    let mut source = String::from("fun boom() {\n  return nil + 1;\n}\n");
    source.push_str(&functions(FUNCTIONS));
    source.push_str("boom();\n");
    let last_line = source.lines().count();
    let lox = run("trace_lox", &["run", "--error-format", "lox"], &source);
    assert_eq!(lox.status.code(), Some(70));
    assert_eq!(
        String::from_utf8_lossy(&lox.stderr),
        format!(
            "Operands must be two numbers or two strings.\n[line 2] in boom()\n[line {last_line}] in script\n"
        )
    );
    // The rich format shows the failing operation in its line, which it can
    // only do while the first piece's spans are kept.
    let rich = run("trace_rich", &["run"], &source);
    let stderr = String::from_utf8_lossy(&rich.stderr);
    assert!(stderr.contains("return nil + 1;"), "{stderr}");
    assert!(stderr.contains("boom();"), "{stderr}");
}

#[test]
fn a_compile_error_in_a_later_piece_is_reported_as_for_the_whole_file() {
    let mut source = functions(FUNCTIONS);
    source.push_str("{\n  var a = a;\n}\nprint 1 2;\n");
    let line = source.lines().count() - 2;
    for command in ["run", "check"] {
        let output = run("error", &[command, "--error-format", "lox"], &source);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(65), "{command}");
        assert!(
            stderr.starts_with(&format!(
                "[line {line}] Error at 'a': Can't read local variable in its own initializer.\n\
                 [line {}] Error at '2': Expect ';' after value.\n",
                line + 2
            )),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn top_level_constants_are_counted_across_pieces() {
    // Each piece alone holds fewer than 256 top-level constants; the file's
    // one top-level script holds more, which is an error.
    let mut source = String::new();
    let padding = format!("// {}\n", "x".repeat(100)).repeat(110);
    for index in 0..300 {
        let _ = writeln!(source, "var v{index} = {index};");
        source.push_str(&padding);
    }
    assert!(source.len() > 3 << 20, "the program spans several pieces");
    let output = run("constants", &["run", "--error-format", "lox"], &source);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.starts_with("[line 14209] Error at 'v128': Too many constants in one chunk.\n"),
        "{stderr}"
    );
}
