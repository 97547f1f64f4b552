//! Time and memory bounds through the built binary: inputs whose diagnostics,
//! code generation or heap once grew quadratically or without bound. Each runs
//! under a generous time limit and a memory limit (the child's peak resident
//! size, read from `/proc` while it runs), so that a quadratic path fails
//! instead of hanging; no test asserts a speed.

#![cfg(target_os = "linux")]

mod common;

use std::time::Duration;

/// The longest any input may take, even in a debug build on a loaded machine.
const TIME_LIMIT: Duration = Duration::from_secs(120);
const MIB: u64 = 1 << 20;

use common::Ran;

/// Runs `bumplox ARGS FILE` on `source`, killing it if it outlives
/// [`TIME_LIMIT`] or its resident size passes `memory_limit` bytes.
fn run(name: &str, args: &[&str], source: &[u8], memory_limit: u64) -> Ran {
    common::supervised_run("bounds", name, args, source, TIME_LIMIT, Some(memory_limit))
}

fn excerpt(text: &str) -> String {
    text.chars().take(600).collect()
}

/// How many diagnostics of each severity a rich report holds.
fn count_headers(stderr: &str, severity: &str) -> usize {
    let header = format!("{severity}: ");
    stderr
        .lines()
        .filter(|line| line.starts_with(&header))
        .count()
}

#[test]
fn a_string_over_ten_million_lines_renders_two() {
    let source = "print \"never closed".to_string() + &"\n".repeat(10_000_000);
    for format in ["rich", "lox", "json"] {
        let ran = run(
            "newlines",
            &["--error-format", format, "check"],
            source.as_bytes(),
            512 * MIB,
        );
        assert_eq!(ran.code, 65, "{format}: {}", excerpt(&ran.stderr));
        assert!(
            ran.stderr.len() < 4096,
            "{format}: {}",
            excerpt(&ran.stderr)
        );
    }
    let ran = run("newlines-rich", &["check"], source.as_bytes(), 512 * MIB);
    // The first line and the last line the string covers, nothing between.
    assert!(
        ran.stderr.contains("1 │ print \"never closed\n"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("10000000 │ \n"), "{}", ran.stderr);
    assert_eq!(ran.stderr.matches(" │ ").count(), 4, "{}", ran.stderr);
}

#[test]
fn no_source_line_is_printed_at_length() {
    let long = "x".repeat(50 << 20);
    let unterminated = format!("print \"{long}");
    let spanning = format!("print 1;\nprint \"\n{long}");
    let multi_label = format!("print (\n{long}\n;");
    for (name, source) in [
        ("one-line", unterminated),
        ("last-line", spanning),
        ("between", multi_label),
    ] {
        for format in ["rich", "lox", "json"] {
            let ran = run(
                name,
                &["--error-format", format, "check"],
                source.as_bytes(),
                1024 * MIB,
            );
            assert_eq!(ran.code, 65, "{name} {format}: {}", excerpt(&ran.stderr));
            assert!(
                ran.stderr.len() < 8192,
                "{name} {format}: {} bytes: {}",
                ran.stderr.len(),
                excerpt(&ran.stderr)
            );
        }
    }
}

#[test]
fn errors_from_every_stage_share_one_cap() {
    let returns = "return 1;\n".repeat(100_000);
    let locals = "{\n".to_string()
        + &(0..65_536)
            .map(|index| format!("var a{index} = 1;\n"))
            .collect::<String>()
        + "}\n";
    let globals = (0..100_000)
        .map(|index| format!("var g{index} = true;\n"))
        .collect::<String>()
        + "print g99999;\n";
    let cases = [
        (
            "returns",
            "check",
            returns,
            "99900 more errors were not shown",
        ),
        (
            "locals",
            "check",
            locals,
            "65181 more errors were not shown",
        ),
        ("globals", "run", globals, "more errors were not shown"),
    ];
    for (name, command, source, note) in cases {
        let ran = run(name, &[command], source.as_bytes(), 512 * MIB);
        assert_eq!(ran.code, 65, "{name}: {}", excerpt(&ran.stderr));
        assert_eq!(count_headers(&ran.stderr, "error"), 100, "{name}");
        assert_eq!(count_headers(&ran.stderr, "note"), 1, "{name}");
        assert!(
            ran.stderr.contains(note),
            "{name}: {}",
            excerpt(&ran.stderr)
        );
        let ran = run(
            name,
            &["--error-format", "lox", command],
            source.as_bytes(),
            512 * MIB,
        );
        assert_eq!(ran.stderr.lines().count(), 100, "{name}");
    }
}

#[test]
fn a_long_else_if_chain_compiles_in_linear_time() {
    let branch = " else if (a == b) print b;";
    let source = format!(
        "var a = 1;\nvar b = 0;\nif (a == b) print b;{} else print a;",
        branch.repeat(640_000)
    );
    let ran = run("else-if", &[], source.as_bytes(), 1024 * MIB);
    assert_eq!(ran.code, 0, "{}", excerpt(&ran.stderr));
    assert_eq!(ran.stdout, b"1\n");
}

#[test]
fn source_snippets_show_control_characters_instead_of_sending_them() {
    let source = "print \"\x1b]0;title\x07\x1b[2J\u{202e}\" 1;\nprint \"\x1b[31m\nred\" 2;\n";
    let ran = run("escapes", &["check"], source.as_bytes(), 256 * MIB);
    assert_eq!(ran.code, 65);
    assert!(!ran.stderr.contains('\x1b'), "{:?}", ran.stderr);
    assert!(!ran.stderr.contains('\x07'), "{:?}", ran.stderr);
    assert!(!ran.stderr.contains('\u{202e}'), "{:?}", ran.stderr);
    // The caret stays under the `1` it points at: one column per character.
    let snippet = "1 │ print \"␛]0;title␇␛[2J�\" 1;\n";
    let caret = format!("  │ {}^ found `1`", " ".repeat(24));
    let expected = snippet.to_string() + &caret;
    assert!(ran.stderr.contains(&expected), "{}", ran.stderr);
}

#[test]
fn the_heap_limit_bounds_resident_memory() {
    // Small objects, where the allocator's and the collector's own overheads
    // weigh most: closures each capturing the list so far, and instances
    // each holding a field table and a closure.
    let programs: [(&str, &str); 2] = [
        (
            "closures",
            "fun make(next) { fun f() { return next; } return f; }\n\
             var list = nil;\nwhile (true) list = make(list);",
        ),
        (
            "instances",
            "class Node { init(next) { this.next = next; var n = next;\n\
             fun f() { return n; } this.f = f; } }\n\
             var list = nil;\nwhile (true) list = Node(list);",
        ),
    ];
    let limit = 64 * MIB;
    for (name, source) in programs {
        let ran = run(
            name,
            &["--max-memory", "64MiB"],
            source.as_bytes(),
            4 * limit,
        );
        assert_eq!(ran.code, 70, "{name}: {}", excerpt(&ran.stderr));
        assert!(
            ran.stderr.starts_with("error: Out of memory."),
            "{name}: {}",
            excerpt(&ran.stderr)
        );
        // The limit covers the heap; the rest of the process (code, stack,
        // the VM's own vectors) gets the remaining fifth.
        assert!(
            ran.peak_rss <= limit + limit / 5,
            "{name}: {} MiB resident under a {} MiB limit",
            ran.peak_rss / MIB,
            limit / MIB
        );
    }
}
