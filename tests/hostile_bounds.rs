//! Time and memory bounds through the built binary: inputs whose diagnostics,
//! code generation or heap once grew quadratically or without bound. Each runs
//! under a generous time limit and a memory limit (the child's peak resident
//! size, read from `/proc` while it runs), so that a quadratic path fails
//! instead of hanging; no test asserts a speed.

#![cfg(target_os = "linux")]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The longest any input may take, even in a debug build on a loaded machine.
const TIME_LIMIT: Duration = Duration::from_secs(120);
const MIB: u64 = 1 << 20;

struct Ran {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    /// The largest peak resident size seen while the child ran (`VmHWM`).
    peak_rss: u64,
}

/// The peak resident size of a running process, from `/proc/PID/status`, or
/// `None` once it has exited.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs `bumplox ARGS FILE` on `source`, killing it if it outlives
/// [`TIME_LIMIT`] or its resident size passes `memory_limit` bytes.
fn run(name: &str, args: &[&str], source: &[u8], memory_limit: u64) -> Ran {
    let path =
        std::env::temp_dir().join(format!("bumplox-bounds-{}-{name}.lox", std::process::id()));
    std::fs::write(&path, source).expect("a scratch file");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(args)
        .arg(&path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bumplox starts");
    let stdout = child.stdout.take().expect("a stdout pipe");
    let stderr = child.stderr.take().expect("a stderr pipe");
    let out_reader = std::thread::spawn(move || read_all(stdout));
    let err_reader = std::thread::spawn(move || read_all(stderr));
    let mut peak = 0;
    let status = loop {
        // Read before polling for the exit, so the last reading is as late
        // as it can be: the peak of a process that has exited is gone.
        if let Some(rss) = peak_rss(child.id()) {
            peak = peak.max(rss);
        }
        if peak > memory_limit {
            kill(&mut child);
            panic!(
                "{name}: more than {} MiB resident, killed",
                memory_limit / MIB
            );
        }
        match child.try_wait().expect("the child can be polled") {
            Some(status) => break status,
            None if started.elapsed() > TIME_LIMIT => {
                kill(&mut child);
                panic!("{name}: still running after {TIME_LIMIT:?}");
            }
            None => std::thread::sleep(Duration::from_millis(1)),
        }
    };
    let _ = std::fs::remove_file(&path);
    let stdout = out_reader.join().expect("stdout is read");
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr is read")).into_owned();
    let Some(code) = status.code() else {
        panic!(
            "{name}: killed by a signal ({status}); stderr: {}",
            excerpt(&stderr)
        );
    };
    assert!(
        !stderr.contains("internal error"),
        "{name}: {}",
        excerpt(&stderr)
    );
    Ran {
        code,
        stdout,
        stderr,
        peak_rss: peak,
    }
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn read_all(mut pipe: impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    bytes
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
