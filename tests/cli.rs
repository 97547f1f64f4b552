//! The command line as a user meets it: exit codes, error messages for files
//! that cannot be read, `--help`, `check` over many files, `tokens`, `layout`,
//! the REPL driven through standard input, and the examples' output.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bumplox(args: &[&str]) -> Output {
    bumplox_with_input(args, b"")
}

fn bumplox_with_input(args: &[&str], input: &[u8]) -> Output {
    common::bumplox_with_input(args, input)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("cli", name)
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("a scratch file");
    path.to_string_lossy().into_owned()
}

#[test]
fn help_and_version() {
    let output = bumplox(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    for promised in [
        "bumplox [OPTIONS] [FILE]",
        "check",
        "test",
        "65 compile error",
    ] {
        assert!(stdout(&output).contains(promised), "{promised}");
    }
    let output = bumplox(&["--version"]);
    assert_eq!(
        stdout(&output),
        format!("bumplox {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Every command has help of its own, through `--help` and `help COMMAND`,
/// with its own usage line.
#[test]
fn every_command_has_its_own_help() {
    for command in [
        "run",
        "repl",
        "check",
        "test",
        "parse",
        "tokens",
        "disasm",
        "layout",
        "lsp",
        "gen",
        "bench",
        "completions",
    ] {
        let usage = format!("Usage: bumplox {command}");
        for args in [&[command, "--help"][..], &["help", command]] {
            let output = bumplox(args);
            assert_eq!(output.status.code(), Some(0), "{args:?}");
            assert!(
                stdout(&output).contains(&usage),
                "{args:?}: {}",
                stdout(&output)
            );
            assert!(stdout(&output).contains("Example"), "{args:?}: no examples");
        }
    }
    assert!(stdout(&bumplox(&["run", "--help"])).contains("--max-instructions"));
    assert!(!stdout(&bumplox(&["tokens", "--help"])).contains("--alloc <ALLOC>"));
}

/// A typo in a command's name gets a suggestion; options a command does not
/// take are errors, not silently ignored; `--` ends the options.
#[test]
fn typos_and_misplaced_options_are_caught() {
    let dir = scratch("typos");
    let file = write(&dir, "dash.lox", b"print 1;\n");
    for (args, expected) in [
        (
            &["chek", "x.lox"][..],
            "a similar subcommand exists: 'check'",
        ),
        (
            &["tokens", "--format", "json", "x.lox"],
            "unexpected argument '--format'",
        ),
        (
            &["run", "--spans", "x.lox"],
            "unexpected argument '--spans'",
        ),
        (&["chekc"], "a similar subcommand exists: 'check'"),
    ] {
        let output = bumplox(args);
        assert_eq!(output.status.code(), Some(64), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let dashed = dir.join("-dash.lox");
    std::fs::rename(&file, &dashed).expect("a file named with a dash");
    let dashed = dashed.to_string_lossy().into_owned();
    let output = bumplox(&["run", "--", &dashed]);
    assert_eq!(
        (output.status.code(), stdout(&output)),
        (Some(0), "1\n".to_string())
    );
    let output = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(["--", "-dash.lox"])
        .current_dir(&dir)
        .output()
        .expect("bumplox runs");
    assert_eq!(
        (output.status.code(), stdout(&output)),
        (Some(0), "1\n".to_string())
    );
}

/// `bumplox completions SHELL` prints a script the shell accepts.
#[test]
fn completion_scripts_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef bumplox"),
        ("fish", "complete -c bumplox"),
    ] {
        let output = bumplox(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains(marker), "{shell}");
        assert!(stdout(&output).contains("check"), "{shell}");
    }
    // bash itself parses the script when it is here.
    let script = stdout(&bumplox(&["completions", "bash"]));
    if let Ok(status) = Command::new("bash").args(["-n", "-c", &script]).status() {
        assert!(status.success(), "bash rejects the completion script");
    }
}

#[test]
fn bad_usage_exits_64_with_one_line() {
    for args in [
        &["--alloc", "arena", "x.lox"][..],
        &["--frobnicate"],
        &["run"],
        &["run", "a", "b"],
    ] {
        let output = bumplox(args);
        assert_eq!(output.status.code(), Some(64), "{args:?}");
        assert!(
            stderr(&output).starts_with("error: "),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn unreadable_files_exit_74_with_one_line() {
    let dir = scratch("unreadable");
    let missing = dir.join("missing.lox").to_string_lossy().into_owned();
    let folder = dir.to_string_lossy().into_owned();
    for (path, reason) in [
        (missing.as_str(), "no such file"),
        (folder.as_str(), "it is a directory"),
    ] {
        let output = bumplox(&["run", path]);
        assert_eq!(output.status.code(), Some(74), "{path}");
        assert_eq!(
            stderr(&output),
            format!("error: cannot read '{path}': {reason}\n")
        );
    }
}

#[test]
fn invalid_utf8_is_a_compile_error_with_its_position() {
    let dir = scratch("utf8");
    let path = write(&dir, "bad.lox", b"print 1;\nprint \"\xff\";\n");
    let output = bumplox(&["run", &path]);
    assert_eq!(output.status.code(), Some(65));
    assert!(
        stderr(&output).contains("invalid UTF-8 at line 2, column 8 (byte offset 16)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn byte_order_mark_and_crlf_are_handled() {
    let dir = scratch("crlf");
    let path = write(
        &dir,
        "crlf.lox",
        b"\xEF\xBB\xBFprint 1;\r\nprint 2;\r\nprint ;\r\n",
    );
    let output = bumplox(&["--error-format", "lox", &path]);
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stderr(&output),
        "[line 3] Error at ';': Expect expression.\n"
    );
}

#[test]
fn empty_file_runs_and_prints_nothing() {
    let dir = scratch("empty");
    let path = write(&dir, "empty.lox", b"");
    let output = bumplox(&[&path]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        (stdout(&output), stderr(&output)),
        (String::new(), String::new())
    );
}

#[test]
fn runtime_errors_exit_70_with_a_stack_trace() {
    let dir = scratch("runtime");
    let path = write(
        &dir,
        "fail.lox",
        b"fun f() {\n  return 1 + nil;\n}\nprint \"before\";\nf();\n",
    );
    let output = bumplox(&["--error-format", "lox", &path]);
    assert_eq!(output.status.code(), Some(70));
    assert_eq!(stdout(&output), "before\n");
    assert_eq!(
        stderr(&output),
        "Operands must be two numbers or two strings.\n[line 2] in f()\n[line 5] in script\n"
    );
}

#[test]
fn check_reports_every_file_in_order_and_sums_up() {
    let dir = scratch("check");
    write(&dir, "a_good.lox", b"print 1;\n");
    write(&dir, "b_bad.lox", b"print ;\nvar;\n");
    std::fs::create_dir_all(dir.join("nested")).expect("a folder");
    write(&dir.join("nested"), "c_bad.lox", b"return 1;\n");
    write(&dir, "notes.txt", b"not lox");
    let folder = dir.to_string_lossy().into_owned();
    let output = bumplox(&["check", "--error-format", "lox", &folder]);
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stderr(&output),
        "[line 1] Error at ';': Expect expression.\n[line 2] Error at ';': Expect variable name.\n\
         [line 1] Error at 'return': Can't return from top-level code.\n"
    );
    let output = bumplox(&["check", &folder]);
    assert!(
        stderr(&output).ends_with("checked 3 files: 3 errors in 2 files\n"),
        "{}",
        stderr(&output)
    );
    let good = dir.join("a_good.lox").to_string_lossy().into_owned();
    let output = bumplox(&["check", &good]);
    assert_eq!(
        (output.status.code(), stderr(&output)),
        (Some(0), "checked 1 file: no errors\n".to_string())
    );
    let missing = dir.join("missing.lox").to_string_lossy().into_owned();
    let output = bumplox(&["check", &good, &missing]);
    assert_eq!(output.status.code(), Some(74));
}

#[test]
fn check_agrees_across_strategies() {
    let Some(suite) = common::suite_dir("check_agrees_across_strategies") else {
        return;
    };
    let folder = suite.to_string_lossy().into_owned();
    let outputs: Vec<(Option<i32>, String)> = common::STRATEGIES
        .iter()
        .map(|strategy| {
            let output = bumplox(&[
                "check",
                "--alloc",
                strategy,
                "--error-format",
                "json",
                &folder,
            ]);
            (output.status.code(), stderr(&output))
        })
        .collect();
    assert_eq!(outputs[0].0, Some(65));
    // In JSON mode the summary is a JSON object too.
    let summary = outputs[0].1.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("{\"summary\":{\"files\":265,"),
        "{summary}"
    );
    assert!(outputs.iter().all(|output| *output == outputs[0]));
}

#[test]
fn tokens_prints_line_kind_and_lexeme() {
    let dir = scratch("tokens");
    let path = write(&dir, "t.lox", b"var x = \"a\nb\";\n@");
    let output = bumplox(&["tokens", &path]);
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stdout(&output),
        "1 VAR \"var\"\n1 IDENTIFIER \"x\"\n1 EQUAL \"=\"\n1 STRING \"\\\"a\\nb\\\"\"\n2 SEMICOLON \";\"\n\
         3 ERROR Unexpected character. \"@\"\n3 EOF \"\"\n"
    );
}

#[test]
fn layout_lists_every_node() {
    let output = bumplox(&["layout"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let expr: Vec<&str> = text
        .lines()
        .find(|line| line.starts_with("Expr "))
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(
        expr,
        ["Expr", "16", "(al", "8)", "16", "(al", "8)", "16", "(al", "8)", "8", "(al", "4)"]
    );
    assert!(text.lines().count() > 25, "{text}");
}

#[test]
fn parse_output_is_the_same_for_every_strategy_and_format() {
    let example = common::examples_dir()
        .join("binary_tree.lox")
        .to_string_lossy()
        .into_owned();
    // `--spans` belongs to the S-expression dump; JSON always has spans.
    for format in [&["--format", "sexpr", "--spans"][..], &["--format", "json"]] {
        let outputs: Vec<Vec<u8>> = common::STRATEGIES
            .iter()
            .map(|strategy| {
                let mut args = vec!["parse", "--alloc", strategy];
                args.extend_from_slice(format);
                args.push(&example);
                bumplox(&args).stdout
            })
            .collect();
        assert!(!outputs[0].is_empty());
        assert!(
            outputs.iter().all(|output| *output == outputs[0]),
            "{format:?} differs"
        );
    }
    let output = bumplox(&["parse", "--format", "none", &example]);
    assert_eq!((output.status.code(), output.stdout.len()), (Some(0), 0));
}

#[test]
fn the_repl_keeps_globals_and_survives_errors() {
    let input = b"var a = 1;\nprint a + 1;\nprint nope;\nprint ;\nfun f(x) { return x * a; }\nprint f(21);\n";
    let output = bumplox_with_input(&["--error-format", "lox"], input);
    // The first error is the undefined variable's, at run time.
    assert_eq!(output.status.code(), Some(70));
    assert_eq!(stdout(&output), "2\n21\n");
    assert_eq!(
        stderr(&output),
        "Undefined variable 'nope'.\n[line 1] in script\n[line 1] Error at ';': Expect expression.\n"
    );
}

/// Piped in, the session reads a script: entries over several lines run once
/// complete, blank lines inside a block are only spacing, a line that is not
/// UTF-8 is reported and skipped and the session goes on (it used to end
/// there, silently, exit 0), and the exit code is that of the first error.
#[test]
fn the_repl_takes_piped_scripts_over_several_lines_and_skips_broken_lines() {
    for (input, code, out, err) in [
        (
            &b"fun add(a,\n b) {\n\n  return a + b;\n}\nprint add(1,\n 2);\n"[..],
            0,
            "3\n",
            "",
        ),
        (
            b"var s = \"two\nlines\";\nprint s;\n",
            0,
            "two\nlines\n",
            "",
        ),
        (
            b"print 1\n\nprint 2;\n",
            65,
            "",
            "[line 3] Error at 'print': Expect ';' after value.\n",
        ),
        (
            b"print 1;\nprint \"\xff\";\nprint 3;\n",
            65,
            "1\n3\n",
            "error: input line 2 is not valid UTF-8 (byte 8 of the line); it is skipped\n",
        ),
        (
            b"print (1 +\n",
            65,
            "",
            "[line 1] Error at end: Expect expression.\n",
        ),
        (
            b"print 1;\nprint nil + 1;\nprint 2;\n",
            70,
            "1\n2\n",
            "Operands must be two numbers or two strings.\n[line 1] in script\n",
        ),
    ] {
        let output = bumplox_with_input(&["--error-format", "lox"], input);
        let shown = String::from_utf8_lossy(input);
        assert_eq!(output.status.code(), Some(code), "{shown}");
        assert_eq!(stdout(&output), out, "{shown}");
        assert_eq!(stderr(&output), err, "{shown}");
    }
}

/// Every example prints the same piped into the session as run as a file
/// (blank lines inside their blocks once ended entries early).
#[test]
fn every_example_piped_into_the_session_prints_what_run_prints() {
    let root = common::examples_dir();
    for relative in common::lox_files(&root) {
        let path = root.join(&relative);
        let source = std::fs::read(&path).expect("a readable example");
        let piped = bumplox_with_input(&[], &source);
        let ran = bumplox(&["run", &path.to_string_lossy()]);
        assert_eq!(
            piped.status.code(),
            Some(0),
            "{relative}: {}",
            stderr(&piped)
        );
        assert_eq!(stdout(&piped), stdout(&ran), "{relative}");
    }
}

/// The book reports a lexical error met while skipping to the next statement
/// after a syntax error; so does `--error-format lox`, which promises its lines.
#[test]
fn an_unterminated_string_after_a_syntax_error_is_still_reported() {
    let dir = scratch("recovery");
    let path = write(&dir, "broken.lox", b"print 1 2 \"abc\n");
    let output = bumplox(&["run", "--error-format", "lox", &path]);
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stderr(&output),
        "[line 1] Error at '2': Expect ';' after value.\n[line 2] Error: Unterminated string.\n"
    );
}

/// `gen` prints a program of exactly the size asked for that passes `check`;
/// `bench` measures it under every strategy through its worker processes and
/// draws the chart.
#[test]
fn gen_and_bench_work_end_to_end() {
    let dir = scratch("bench");
    let output = bumplox(&["gen", "--size", "20KB", "--seed", "3"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout.len(), 20_000);
    let program = write(&dir, "generated.lox", &output.stdout);
    let output = bumplox(&["check", &program]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let chart = dir.join("chart.svg").to_string_lossy().into_owned();
    let output = bumplox(&["bench", &program, "--runs", "1", "--plot", &chart]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let strategies = bumplox_bench::Strategy::ALL.map(|strategy| strategy.name().to_string());
    for strategy in strategies
        .iter()
        .map(String::as_str)
        .chain(["box+mimalloc"])
    {
        assert!(
            stdout(&output).contains(&format!("| lex+parse | {strategy} |")),
            "{strategy}: {}",
            stdout(&output)
        );
    }
    let svg = std::fs::read_to_string(&chart).expect("the chart is written");
    assert!(svg.contains("<svg"), "{svg}");

    assert!(!stdout(&output).contains("beside LOX_REFERENCE"));
    // With LOX_REFERENCE, bench adds whole processes beside the reference;
    // bumplox itself stands in for it here (`bumplox FILE` runs FILE).
    let beside = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(["bench", &program, "--runs", "1"])
        .env("LOX_REFERENCE", env!("CARGO_BIN_EXE_bumplox"))
        .output()
        .expect("bench runs");
    assert_eq!(beside.status.code(), Some(0), "{}", stderr(&beside));
    let table = stdout(&beside);
    for row in [
        "(reference) |",
        "| `bumplox run` |",
        "| `bumplox check` |",
        "| `bumplox parse --format none` |",
    ] {
        assert!(table.contains(row), "{row}: {table}");
    }
    // The worker is bench's own protocol: started by hand, it says so.
    let worker = Command::new(env!("CARGO_BIN_EXE_bumplox-bench-worker"))
        .output()
        .expect("the worker starts");
    assert_eq!(worker.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&worker.stderr).contains("is started by `bumplox bench`"));
}

/// A local past the 256th is an error, and the book gives it no constant, so
/// a block of 300 locals reports 45 locals errors and no constants error.
#[test]
fn locals_past_the_limit_do_not_also_count_as_constants() {
    let dir = scratch("locals");
    let source: String = std::iter::once("{\n".to_string())
        .chain((0..300).map(|index| format!("var a{index} = 1;\n")))
        .chain(std::iter::once("}\n".to_string()))
        .collect();
    let path = write(&dir, "locals.lox", source.as_bytes());
    let output = bumplox(&["check", "--error-format", "lox", &path]);
    assert_eq!(output.status.code(), Some(65));
    let errors = stderr(&output);
    assert_eq!(errors.lines().count(), 45, "{errors}");
    assert!(
        errors
            .lines()
            .all(|line| line.ends_with("Too many local variables in function.")),
        "{errors}"
    );
}

/// A variable whose name is missing is still declared by the book's compiler
/// (under the `var` before it): it takes a local slot, so the 255th variable
/// after it is one too many, and two of them are not reported as duplicates.
/// The expected lines are what the book's C implementation prints.
#[test]
fn a_variable_without_a_name_still_takes_a_slot() {
    let dir = scratch("phantom");
    let twice = write(&dir, "twice.lox", b"fun f() {\n  var ;\n  var ;\n}\n");
    let output = bumplox(&["run", "--error-format", "lox", &twice]);
    assert_eq!(
        stderr(&output),
        "[line 2] Error at ';': Expect variable name.\n[line 3] Error at ';': Expect variable name.\n"
    );
    let source: String = std::iter::once("fun f() {\n  var ;\n".to_string())
        .chain((0..254).map(|index| format!("  var v{index};\n")))
        .chain(std::iter::once("  var oops;\n}\n".to_string()))
        .collect();
    let full = write(&dir, "full.lox", source.as_bytes());
    let output = bumplox(&["run", "--error-format", "lox", &full]);
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stderr(&output),
        "[line 2] Error at ';': Expect variable name.\n[line 257] Error at 'oops': Too many local variables in function.\n"
    );
}

/// `bumplox test` as the README promises it: a line per failing file with a
/// diff, the tally, exit 1 on a failure; files without expectations only with
/// `--all`; a hung test fails at its timeout; no test at all is exit 1.
#[test]
fn bumplox_test_reports_failures_with_a_diff_and_a_tally() {
    let dir = scratch("test-runner");
    write(&dir, "pass.lox", b"print 1; // expect: 1\n");
    write(
        &dir,
        "fail.lox",
        b"print 1; // expect: 1\nprint 2; // expect: 3\n",
    );
    write(&dir, "plain.lox", b"var quiet = 1;\n");
    let folder = dir.to_string_lossy().into_owned();
    let output = bumplox(&["test", &folder]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    for line in [
        "fail.lox: stdout line 2: expected \"3\" (from line 2), got \"2\"",
        "    - 3",
        "    + 2",
        "(1 .lox file without expectations not run; --all runs them)",
    ] {
        assert!(report.contains(line), "{line:?} in {report}");
    }
    assert_eq!(
        report.lines().last(),
        Some("1 passed, 1 failed"),
        "{report}"
    );
    let output = bumplox(&["test", "--all", &folder]);
    assert_eq!(stdout(&output).lines().last(), Some("2 passed, 1 failed"));

    let hung = write(
        &dir,
        "hung.lox",
        b"print 1; // expect: 1\nwhile (true) {}\n",
    );
    let output = bumplox(&["test", "--timeout", "1", &hung]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("timed out after 1s"),
        "{}",
        stdout(&output)
    );

    let empty = scratch("test-runner-empty");
    let output = bumplox(&["test", &empty.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no test files in"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_example_prints_what_it_expects() {
    let root = common::examples_dir();
    for relative in common::lox_files(&root) {
        let path = root.join(&relative);
        let source = std::fs::read_to_string(&path).expect("a readable example");
        let expected: String = source
            .lines()
            .filter_map(|line| {
                line.split_once("// expect: ")
                    .map(|(_, text)| format!("{text}\n"))
            })
            .collect();
        for strategy in common::STRATEGIES {
            let output = bumplox(&["run", "--alloc", strategy, &path.to_string_lossy()]);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{relative}: {}",
                stderr(&output)
            );
            assert_eq!(stdout(&output), expected, "{relative} under {strategy}");
        }
    }
}

#[test]
fn max_memory_help_names_what_each_command_holds() {
    // Each command's `--max-memory` help names what that command holds: the
    // heap only where a program runs, the tree only where one is built.
    let commands = [
        ("fmt", true, false),
        ("tokens", false, false),
        ("check", true, false),
        ("parse", true, false),
        ("disasm", true, false),
        ("lsp", true, false),
        ("run", true, true),
        ("repl", true, true),
        ("test", true, true),
    ];
    for (command, tree, heap) in commands {
        let help = stdout(&bumplox(&[command, "--help"]));
        let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("The largest source read"),
            "{command}: {help}"
        );
        assert_eq!(flat.contains("syntax tree"), tree, "{command}: {help}");
        assert_eq!(flat.contains("heap"), heap, "{command}: {help}");
    }
}
