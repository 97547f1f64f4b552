//! Helpers shared by the integration tests: finding the official suite and the
//! examples, and running the front-end in-process under each strategy.

#![allow(dead_code)]

pub mod mutate;

use std::io::Write;
use std::path::{Path, PathBuf};

use bumplox_diagnostics::{render, Diagnostic, ErrorFormat, RenderOptions};
use bumplox_parser::Parse;
use bumplox_source::SourceFile;
use bumplox_tree::dump::{sexpr, DumpOptions};
use bumplox_tree::{with_builder, Alloc, Builder, BumpBuilder, Strategy, WithBuilder};

/// The official suite: `LOX_TEST_SUITE`, or `../shared/lox-test-suite` beside
/// the repository. `None`, after a loud warning, when it is absent: the tests
/// that need it then check nothing, and say so; under `CI=true` its absence
/// fails the test instead.
pub fn suite_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("LOX_TEST_SUITE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/lox-test-suite"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    // In CI the suite is always laid beside the clone, so its absence is a
    // broken set-up that must not pass as a green run.
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test}: the official Lox test suite is not at {} and CI=true",
        dir.display()
    );
    // Written to the process's stderr directly: the test harness captures
    // `eprintln!` of passing tests, and this warning must be seen.
    let banner = "!".repeat(78);
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n{banner}\nWARNING: {test}: the official Lox test suite is not at {}.\n\
         Set LOX_TEST_SUITE to its folder. SKIPPING every check that needs it.\n{banner}\n",
        dir.display()
    );
    None
}

/// A scratch folder named for the test binary (`kind`), the process and the
/// test, emptied first so that a rerun starts clean.
pub fn scratch_dir(kind: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bumplox-{kind}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Every `.lox` file below `root`, as sorted paths relative to it with `/`.
pub fn lox_files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
        for entry in entries {
            let path = entry.expect("a readable folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "lox") {
                let relative = path.strip_prefix(root).expect("below the root");
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

pub fn read_source(path: &Path) -> SourceFile {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    SourceFile::from_bytes(path.display().to_string(), bytes).expect("test sources are UTF-8")
}

/// The allocation strategies, by their command-line names.
pub const STRATEGIES: [&str; Strategy::ALL.len()] = {
    let mut names = [""; Strategy::ALL.len()];
    let mut index = 0;
    while index < names.len() {
        names[index] = Strategy::ALL[index].name();
        index += 1;
    }
    names
};

/// The strategy called `name` on the command line.
pub fn strategy(name: &str) -> Strategy {
    Strategy::from_name(name).unwrap_or_else(|| panic!("unknown strategy {name}"))
}

/// What the front-end says about one source: the tree, and every diagnostic of
/// the parser and the resolver.
pub struct FrontEnd {
    pub tree: String,
    pub diagnostics: Vec<Diagnostic>,
}

fn front_end<'a, A: Alloc<'a>>(parse: Parse<'a, A>, options: DumpOptions) -> FrontEnd {
    let tree = sexpr(&parse.program, options);
    let (_, resolve_diagnostics) = bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    let mut diagnostics = parse.diagnostics;
    diagnostics.extend(resolve_diagnostics);
    FrontEnd { tree, diagnostics }
}

/// Parses and resolves `text` with the named strategy.
pub fn run_front_end(strategy_name: &str, text: &str, options: DumpOptions) -> FrontEnd {
    struct Task<'x> {
        text: &'x str,
        options: DumpOptions,
    }
    impl<'x> WithBuilder<'x> for Task<'x> {
        type Output = FrontEnd;
        fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> FrontEnd
        where
            'x: 'a,
        {
            front_end(bumplox_parser::parse(self.text, builder), self.options)
        }
    }
    with_builder(strategy(strategy_name), None, Task { text, options })
}

/// Diagnostics as the book's lines, or as JSON lines.
pub fn render_as(file: &SourceFile, diagnostics: &[Diagnostic], format: ErrorFormat) -> String {
    render(
        file,
        diagnostics,
        RenderOptions {
            format,
            color: false,
        },
    )
}

/// Compiles a whole program to bytecode in-process (bump strategy), or returns
/// its diagnostics in the book's format.
pub fn compile_program(text: &str) -> Result<bumplox_bytecode::FunctionProto, String> {
    let file = SourceFile::new("program.lox", text).map_err(|error| error.to_string())?;
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump));
    let (resolution, resolve_diagnostics) =
        bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    let mut diagnostics = parse.diagnostics.clone();
    diagnostics.extend(resolve_diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(render_as(&file, &diagnostics, ErrorFormat::Lox));
    }
    bumplox_codegen::compile(&parse.program, &resolution, &file)
        .map_err(|errors| render_as(&file, &errors, ErrorFormat::Lox))
}

/// A million levels of every kind of nesting, as (name, source, the token the
/// `Too much nesting.` error is reported at).
pub fn deep_nesting() -> Vec<(&'static str, String, &'static str)> {
    const LEVELS: usize = 1_000_000;
    vec![
        (
            "parentheses",
            "(".repeat(LEVELS) + "1" + &")".repeat(LEVELS) + ";",
            "(",
        ),
        ("blocks", "{".repeat(LEVELS) + &"}".repeat(LEVELS), "{"),
        ("not", "!".repeat(LEVELS) + "x;", "!"),
        ("negate", "-".repeat(LEVELS) + "x;", "-"),
        ("assignment", "a=".repeat(LEVELS) + "1;", "a"),
        // A condition is one level deeper than its `if`, so the limit is
        // reached in a condition.
        ("if", "if(x) ".repeat(LEVELS) + "x;", "x"),
        ("while", "while(x) ".repeat(LEVELS) + "x;", "x"),
        (
            "functions",
            "fun f(){".repeat(LEVELS) + &"}".repeat(LEVELS),
            "(",
        ),
        ("methods", "class A{m(){".repeat(LEVELS / 4), "("),
        (
            "call arguments",
            "f(".repeat(LEVELS) + &")".repeat(LEVELS) + ";",
            "f",
        ),
    ]
}

/// How a supervised run of the binary ended.
pub struct Ran {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// The largest peak resident size seen while the child ran (`VmHWM`),
    /// where the system tells; 0 elsewhere.
    pub peak_rss: u64,
}

/// The peak resident size of a running process, from `/proc/PID/status`, or
/// `None` once it has exited (or where there is no `/proc`).
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs `bumplox ARGS FILE` on `source`, written to a scratch file named for
/// `kind` and `name`, killing it if it outlives `time_limit` or, with a
/// `memory_limit`, if its resident size passes that many bytes. A signal or
/// an internal error fails the test: no input may crash bumplox.
pub fn supervised_run(
    kind: &str,
    name: &str,
    args: &[&str],
    source: &[u8],
    time_limit: std::time::Duration,
    memory_limit: Option<u64>,
) -> Ran {
    use std::process::{Command, Stdio};
    let path =
        std::env::temp_dir().join(format!("bumplox-{kind}-{}-{name}.lox", std::process::id()));
    std::fs::write(&path, source).expect("a scratch file");
    let started = std::time::Instant::now();
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
        if memory_limit.is_some_and(|limit| peak > limit) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: more than {peak} bytes resident, killed");
        }
        match child.try_wait().expect("the child can be polled") {
            Some(status) => break status,
            None if started.elapsed() > time_limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{name}: still running after {time_limit:?}");
            }
            None => std::thread::sleep(std::time::Duration::from_millis(2)),
        }
    };
    let _ = std::fs::remove_file(&path);
    let stdout = out_reader.join().expect("stdout is read");
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr is read")).into_owned();
    let excerpt: String = stderr.chars().take(600).collect();
    let Some(code) = status.code() else {
        panic!("{name}: killed by a signal ({status}); stderr: {excerpt}");
    };
    assert!(!stderr.contains("internal error"), "{name}: {excerpt}");
    Ran {
        code,
        stdout,
        stderr,
        peak_rss: peak,
    }
}

fn read_all(mut pipe: impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    bytes
}

/// Runs `bumplox ARGS` with `input` on its standard input (through a pipe, so
/// the REPL reads it as a script) and waits for it.
pub fn bumplox_with_input(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_bumplox"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bumplox starts");
    let mut stdin = child.stdin.take().expect("a stdin pipe");
    stdin.write_all(input).expect("input is written");
    drop(stdin);
    child.wait_with_output().expect("bumplox finishes")
}
