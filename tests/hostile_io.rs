//! Hostile input and output through the built binary: pipes closed early, a
//! full disk, endless and huge inputs, FIFOs and link loops in checked folders,
//! and what `check` must say (every compile error `run` would report, JSON
//! only in JSON mode). Every run has a time limit and, through `prlimit`, a
//! CPU and address-space limit, so that an unbounded read or an exponential
//! walk fails the test instead of hanging CI or eating the machine's memory.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The longest any run may take, even in a debug build on a loaded machine:
/// every input here is refused or finished in well under a second.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// CPU seconds for one run (`prlimit --cpu`).
const CPU_LIMIT: u64 = 60;
/// Address space for one run (`prlimit --as`): plenty for a small program,
/// far less than reading any of these inputs whole would take.
const MEMORY_LIMIT: u64 = 1 << 30;
/// The `--max-memory` that bounds endless inputs, so that they end quickly.
const SMALL_MEMORY: &str = "1MB";

/// `prlimit`, when the machine has it; without it the tests still run with a
/// time limit, after a loud warning, except in CI, where it must be there.
fn prlimit() -> Option<&'static str> {
    static FOUND: OnceLock<bool> = OnceLock::new();
    let found = *FOUND.get_or_init(|| {
        let found = Command::new("prlimit")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !found {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "prlimit (util-linux) is missing: CI must run these tests under a memory limit"
            );
            warn("prlimit (util-linux) is missing: running WITHOUT a memory or CPU limit");
        }
        found
    });
    found.then_some("prlimit")
}

/// Written to the process's stderr directly: the harness captures `eprintln!`
/// of passing tests, and this must be seen.
fn warn(message: &str) {
    let banner = "!".repeat(78);
    let _ = std::io::Write::write_all(
        &mut std::io::stderr().lock(),
        format!("\n{banner}\nWARNING: {message}\n{banner}\n").as_bytes(),
    );
}

/// `bumplox ARGS` under the limits, with no input and both outputs piped.
fn bumplox(args: &[&str]) -> Command {
    let mut command = match prlimit() {
        Some(prlimit) => {
            let mut command = Command::new(prlimit);
            command
                .arg(format!("--as={MEMORY_LIMIT}"))
                .arg(format!("--cpu={CPU_LIMIT}"))
                .arg("--")
                .arg(env!("CARGO_BIN_EXE_bumplox"));
            command
        }
        None => Command::new(env!("CARGO_BIN_EXE_bumplox")),
    };
    command
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

struct Ran {
    name: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// The exit code; a run killed by a signal (an abort, or a limit) fails the test.
    fn code(&self) -> i32 {
        match self.status.code() {
            Some(code) => code,
            None => panic!(
                "{}: killed by a signal ({}); stderr: {}",
                self.name,
                self.status,
                excerpt(&self.stderr)
            ),
        }
    }

    /// Checks the exit code and that stderr holds `text`.
    fn expect(&self, code: i32, text: &str) -> &Ran {
        assert_eq!(
            self.code(),
            code,
            "{}: {}",
            self.name,
            excerpt(&self.stderr)
        );
        assert!(
            self.stderr.contains(text),
            "{}: expected {text:?} in {}",
            self.name,
            excerpt(&self.stderr)
        );
        assert!(
            !self.stderr.contains("internal error"),
            "{}: {}",
            self.name,
            excerpt(&self.stderr)
        );
        self
    }
}

/// Starts `command` and waits for it, killing it past [`TIME_LIMIT`].
fn finish(name: &str, command: &mut Command) -> Ran {
    let child = command.spawn().expect("bumplox starts");
    wait(name, child)
}

fn wait(name: &str, mut child: Child) -> Ran {
    let started = Instant::now();
    let stdout = child
        .stdout
        .take()
        .map(|pipe| std::thread::spawn(|| read_all(pipe)));
    let stderr = child
        .stderr
        .take()
        .map(|pipe| std::thread::spawn(|| read_all(pipe)));
    let status = loop {
        match child.try_wait().expect("the child can be polled") {
            Some(status) => break status,
            None if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{name}: still running after {TIME_LIMIT:?}");
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let text = |reader: Option<std::thread::JoinHandle<Vec<u8>>>| {
        reader.map_or_else(String::new, |reader| {
            String::from_utf8_lossy(&reader.join().expect("a pipe is read")).into_owned()
        })
    };
    Ran {
        name: name.to_string(),
        status,
        stdout: text(stdout),
        stderr: text(stderr),
    }
}

fn read_all(mut pipe: impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    bytes
}

fn excerpt(text: &str) -> String {
    text.chars().take(600).collect()
}

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("io", name)
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("a scratch file");
    text(&path)
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The writing end of a pipe whose only reader has already exited, so that
/// every write to it fails with a broken pipe, with no race.
fn dead_pipe() -> Stdio {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("true starts");
    let writer = reader.stdin.take().expect("a pipe");
    reader.wait().expect("true ends");
    Stdio::from(writer)
}

fn full_device() -> Stdio {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    Stdio::from(full)
}

/// What `bumplox check` ends with in the rich format.
fn summary(ran: &Ran) -> &str {
    ran.stderr.lines().last().unwrap_or("")
}

#[test]
fn a_closed_pipe_ends_the_process_quietly() {
    let dir = scratch("pipe");
    let bad = write(&dir, "bad.lox", b"print ;\n");
    let fails = write(&dir, "fails.lox", b"print 1;\nprint -nil;\n");
    let chatty = write(
        &dir,
        "chatty.lox",
        b"for (var i = 0; i < 100000; i = i + 1) print i;\n",
    );
    let missing = text(&dir.join("missing.lox"));
    let into_stderr: [(&str, Vec<&str>); 5] = [
        ("check", vec!["check", &bad]),
        ("check-json", vec!["check", "--error-format", "json", &bad]),
        ("runtime-error", vec!["run", &fails]),
        ("missing-file", vec!["run", &missing]),
        ("bad-option", vec!["--no-such-option", &bad]),
    ];
    for (name, args) in into_stderr {
        let ran = finish(name, bumplox(&args).stderr(dead_pipe()));
        assert_eq!(ran.code(), 141, "{name}");
    }
    let into_stdout: [(&str, Vec<&str>); 5] = [
        ("run-output", vec!["run", &chatty]),
        ("parse-output", vec!["parse", &bad]),
        ("tokens-output", vec!["tokens", &chatty]),
        ("layout-output", vec!["layout"]),
        ("gen-output", vec!["gen", "--size", "100KB"]),
    ];
    for (name, args) in into_stdout {
        let ran = finish(name, bumplox(&args).stdout(dead_pipe()));
        // Quietly: the diagnostics `parse` prints after the tree are not
        // printed either, since the process stops at the first failed write.
        assert_eq!((ran.code(), ran.stderr.as_str()), (141, ""), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_full_disk_is_an_io_error() {
    let dir = scratch("full");
    let good = write(&dir, "good.lox", b"print 1;\n");
    let bad = write(&dir, "bad.lox", b"print ;\n");
    let chatty = write(
        &dir,
        "chatty.lox",
        b"for (var i = 0; i < 100000; i = i + 1) print i;\n",
    );
    let into_stdout: [(&str, Vec<&str>); 5] = [
        ("parse", vec!["parse", &good]),
        ("run", vec!["run", &good]),
        ("run-long", vec!["run", &chatty]),
        ("tokens", vec!["tokens", &good]),
        ("layout", vec!["layout"]),
    ];
    for (name, args) in into_stdout {
        finish(name, bumplox(&args).stdout(full_device()))
            .expect(74, "error: cannot write to standard output: ");
    }
    // Nothing can be said when standard error itself is full: only the code tells.
    let into_stderr: [(&str, Vec<&str>); 3] = [
        ("check", vec!["check", &bad]),
        ("compile-error", vec!["run", &bad]),
        ("bad-option", vec!["--no-such-option"]),
    ];
    for (name, args) in into_stderr {
        let ran = finish(name, bumplox(&args).stderr(full_device()));
        assert_eq!(ran.code(), 74, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn endless_inputs_stop_at_the_size_limit() {
    let too_large =
        "source is more than the 1000000 bytes a source file may hold (see --max-memory)";
    for command in ["run", "check", "parse", "tokens"] {
        finish(
            command,
            &mut bumplox(&["--max-memory", SMALL_MEMORY, command, "/dev/zero"]),
        )
        .expect(65, &format!("error: /dev/zero: {too_large}"));
    }
    let zero = std::fs::File::open("/dev/zero").expect("/dev/zero");
    finish(
        "stdin",
        bumplox(&["--max-memory", SMALL_MEMORY, "run", "-"]).stdin(zero),
    )
    .expect(65, &format!("error: <stdin>: {too_large}"));
    // A stream of bytes that are not UTF-8 ends at its first bad byte, at the
    // default limit too: the run's memory limit (1 GiB) is far below the 4 GiB
    // that reading to the size limit would take.
    let random = std::fs::File::open("/dev/urandom").expect("/dev/urandom");
    finish("urandom", bumplox(&["run", "-"]).stdin(random))
        .expect(65, "a Lox source file must be UTF-8");
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = scratch("huge");
    // Sparse: the size is set, no block is written.
    let huge = dir.join("huge.lox");
    let file = std::fs::File::create(&huge).expect("a scratch file");
    file.set_len(5_000_000_000).expect("a sparse 5 GB file");
    drop(file);
    let huge = text(&huge);
    // The default limit, 4 GiB: reading the file would need more memory than
    // the run may have, so only a refusal up front passes.
    for command in ["run", "check"] {
        finish(command, &mut bumplox(&[command, &huge])).expect(
            65,
            "huge.lox: source is 5000000000 bytes, more than the 4294967294 bytes a source file may hold\n",
        );
    }
    // `--max-memory` bounds the source too; a size in the message shows that
    // the file was measured, not read.
    let two_megabytes = dir.join("two.lox");
    let file = std::fs::File::create(&two_megabytes).expect("a scratch file");
    file.set_len(2_000_000).expect("a sparse 2 MB file");
    drop(file);
    finish(
        "max-memory",
        &mut bumplox(&["--max-memory", SMALL_MEMORY, "run", &text(&two_megabytes)]),
    )
    .expect(
        65,
        "source is 2000000 bytes, more than the 1000000 bytes a source file may hold (see --max-memory)",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_walks_regular_files_only_and_never_follows_links() {
    let dir = scratch("walk");
    write(&dir, "good.lox", b"print 1;\n");
    let elsewhere = scratch("walk-elsewhere");
    write(&elsewhere, "bad.lox", b"print ;\n");
    // Two links to the folder itself: followed, they would make the walk
    // exponential; a link to /dev/zero would be read forever, a FIFO would
    // wait forever for a writer.
    std::os::unix::fs::symlink(".", dir.join("x")).expect("a link");
    std::os::unix::fs::symlink(".", dir.join("y")).expect("a link");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.lox")).expect("a link");
    std::os::unix::fs::symlink(elsewhere.join("bad.lox"), dir.join("outside.lox")).expect("a link");
    mkfifo(&dir.join("pipe.lox"));
    let folder = text(&dir);
    let ran = finish("walk", &mut bumplox(&["check", &folder]));
    ran.expect(0, "");
    assert_eq!(summary(&ran), "checked 1 file: no errors");
    // The same file named twice, or inside a folder also named, is checked once.
    let good = text(&dir.join("good.lox"));
    let ran = finish("twice", &mut bumplox(&["check", &good, &folder, &good]));
    assert_eq!(summary(&ran), "checked 1 file: no errors");
    // Followed, the links back to the folder are reported as warnings and
    // not walked again; the outside file is checked, the devices are not.
    let ran = finish("follow", &mut bumplox(&["check", "--follow", &folder]));
    assert_eq!(ran.code(), 65, "{}", ran.stderr);
    assert_eq!(summary(&ran), "checked 2 files: 1 error in 1 file");
    assert_eq!(
        ran.stderr.matches("warning: skipped").count(),
        2,
        "{}",
        ran.stderr
    );
    // A folder named by a link on the command line is walked: it was asked for.
    let link = scratch("walk-link").join("named");
    std::os::unix::fs::symlink(&dir, &link).expect("a link");
    let ran = finish("named-link", &mut bumplox(&["check", &text(&link)]));
    assert_eq!(summary(&ran), "checked 1 file: no errors");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&elsewhere);
}

#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    let dir = scratch("fifo");
    let fifo = dir.join("program.lox");
    mkfifo(&fifo);
    let path = fifo.clone();
    let writer = std::thread::spawn(move || std::fs::write(&path, "print 1 + 2;\n"));
    let ran = finish("fifo", &mut bumplox(&["run", &text(&fifo)]));
    // Had bumplox never opened the FIFO, opening it for reading and writing
    // (which does not wait) lets the writer's open return.
    let _release = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo);
    writer
        .join()
        .expect("the writer ends")
        .expect("the program is written");
    ran.expect(0, "");
    assert_eq!(ran.stdout, "3\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn small_messages_say_the_right_thing() {
    finish(
        "negative",
        &mut bumplox(&["--max-memory", "-1", "run", "-"]),
    )
    .expect(
        64,
        "error: invalid value '-1' for '--max-memory <SIZE>': a size cannot be negative: '-1'",
    );
    let mut command = bumplox(&["run", "-"]);
    let mut child = command
        .stdin(Stdio::piped())
        .spawn()
        .expect("bumplox starts");
    let mut stdin = child.stdin.take().expect("a stdin pipe");
    std::io::Write::write_all(&mut stdin, b"print \"\xFF\";").expect("input is written");
    drop(stdin);
    let ran = wait("stdin-name", child);
    ran.expect(65, "error: <stdin>: invalid UTF-8 at line 1, column 8");
    let missing = text(&scratch("missing").join("nothing.lox"));
    let ran = finish("missing", &mut bumplox(&["check", &missing]));
    ran.expect(74, "error: cannot read '");
    assert_eq!(
        summary(&ran),
        "checked 0 files: no errors, 1 path could not be read"
    );
}

/// The official suite, or `None` after a loud warning; in CI it must be there.
fn suite(test: &str) -> Option<PathBuf> {
    let suite = common::suite_dir(test);
    assert!(
        suite.is_some() || std::env::var("CI").as_deref() != Ok("true"),
        "{test}: the official suite is missing in CI"
    );
    suite
}

/// Checks that `check` reports exactly the compile errors `run` reports,
/// and that they include `error`.
fn check_agrees_with_run(name: &str, path: &str, error: &str) {
    let run = finish(name, &mut bumplox(&["--error-format", "lox", "run", path]));
    let check = finish(
        name,
        &mut bumplox(&["--error-format", "lox", "check", path]),
    );
    run.expect(65, error);
    assert_eq!(
        (check.code(), check.stderr.as_str()),
        (65, run.stderr.as_str()),
        "{name}"
    );
}

#[test]
fn check_reports_the_code_generators_errors() {
    let dir = scratch("codegen");
    let constants: String = (0..300).map(|n| format!("print {n};\n")).collect();
    // Two bytes of code a statement and no constant: more than a jump spans.
    let body = "print nil;\n".repeat(40_000);
    let generated = [
        ("constants", constants, "Too many constants in one chunk."),
        (
            "loop",
            format!("while (false) {{\n{body}}}\n"),
            "Loop body too large.",
        ),
        (
            "jump",
            format!("if (false) {{\n{body}}}\n"),
            "Too much code to jump over.",
        ),
    ];
    for (name, source, error) in generated {
        let path = write(&dir, &format!("{name}.lox"), source.as_bytes());
        check_agrees_with_run(name, &path, error);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let Some(suite) = suite("check_reports_the_code_generators_errors") else {
        return;
    };
    for name in ["loop_too_large", "no_reuse_constants", "too_many_constants"] {
        let path = suite.join("limit").join(format!("{name}.lox"));
        check_agrees_with_run(name, &text(&path), "Error");
    }
}

#[test]
fn check_in_json_mode_writes_json_only() {
    let dir = scratch("json");
    write(&dir, "a_good.lox", b"print 1;\n");
    write(&dir, "b_bad.lox", b"print ;\nvar;\n");
    write(&dir, "c_utf8.lox", b"print \"\xFF\";\n");
    let missing = text(&dir.join("missing.lox"));
    let ran = finish(
        "json",
        &mut bumplox(&["--error-format", "json", "check", &text(&dir), &missing]),
    );
    assert_eq!(ran.code(), 65, "{}", excerpt(&ran.stderr));
    let objects: Vec<serde_json::Value> = ran
        .stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}")))
        .collect();
    assert!(
        objects.iter().all(serde_json::Value::is_object),
        "{objects:?}"
    );
    let summary = serde_json::json!({
        "summary": {"files": 3, "errors": 3, "files_with_errors": 2, "unreadable": 1}
    });
    assert_eq!(objects.last(), Some(&summary), "{}", ran.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_folder_is_reported_plainly() {
    let dir = scratch("locked");
    let locked = dir.join("locked");
    std::fs::create_dir_all(&locked).expect("a scratch folder");
    write(&locked, "a.lox", b"print 1;\n");
    let mut permissions = std::fs::metadata(&locked).expect("a folder").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o000);
    std::fs::set_permissions(&locked, permissions).expect("the folder is locked");
    // Root reads any folder: run as `nobody` then.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout == b"0\n");
    let mut command = match root {
        true => {
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(env!("CARGO_BIN_EXE_bumplox"));
            command
        }
        false => Command::new(env!("CARGO_BIN_EXE_bumplox")),
    };
    command
        .args(["check", &text(&dir)])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let ran = finish("locked", &mut command);
    assert_eq!(
        (ran.code(), ran.stderr.as_str()),
        (
            74,
            format!(
                "error: cannot read folder '{}': permission denied\n\
                 checked 0 files: no errors, 1 path could not be read\n",
                locked.display()
            )
            .as_str()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}
