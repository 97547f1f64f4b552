//! The differential test of compile errors: broken programs (mutants of valid
//! ones, `common/mutate.rs`) must get exactly the book's error lines and exit
//! code from `bumplox run --error-format lox`.
//!
//! Two tests:
//! - `reference_fixtures` checks the mutants in `tests/mutants/reference.txt`,
//!   whose expected stderr and exit code are what the book's C implementation
//!   (clox) printed for them. It needs nothing but this repository.
//! - `reference_agrees_on_mutants` runs when `LOX_REFERENCE` names a locally
//!   built clox: it makes `MUTANTS` mutants (default 2,000) from seed
//!   `MUTANTS_SEED` on (default 1), runs both implementations on each, and
//!   fails on every mutant the reference rejects at compile time (exit 65) on
//!   which bumplox's stderr or exit code differs, and on every mutant bumplox
//!   rejects and the reference does not. Mutants are made from the examples,
//!   from generated programs and from the official suite (`LOX_TEST_SUITE`).
//!
//! `MUTANTS_REPORT=file` writes the differences found to `file`, and
//! `MUTANTS_KEEP=folder` writes each differing mutant's whole text there.
//!
//! `BUMPLOX_BIN=path` compares another build of bumplox instead of this one.
//!
//! The fixtures are written by the second test when `MUTANTS_BLESS=1` is set as
//! well: the first 300 mutants from seed 1 on that are made from the examples
//! or generated programs (never the suite, whose text must not be copied) and
//! that the reference rejects. So they are regenerated with
//! `MUTANTS_BLESS=1 LOX_REFERENCE=/path/to/clox cargo test --test mutants`.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use bumplox_expect::{run_with_timeout, RunOutput, Termination};
use common::mutate::{mutate, Rng};

/// How long either implementation may run one mutant: a mutant the reference
/// accepts runs, and a mutation can make a loop endless.
const TIMEOUT: Duration = Duration::from_secs(5);

/// How many mutants the fixtures hold.
const FIXTURE_COUNT: usize = 300;

fn fixtures_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mutants/reference.txt")
}

/// A program to mutate: where it came from and its text.
struct Origin {
    name: String,
    text: String,
}

/// The programs mutants are made from: every example, and the suite's files
/// when `with_suite` (the suite is mutated for local comparisons only).
/// Generated programs are made on demand, per seed.
fn origins(with_suite: bool) -> Vec<Origin> {
    let mut found = Vec::new();
    let examples = common::examples_dir();
    for name in common::lox_files(&examples) {
        let text = std::fs::read_to_string(examples.join(&name)).expect("examples are UTF-8");
        found.push(Origin {
            name: format!("examples/{name}"),
            text,
        });
    }
    if !with_suite {
        return found;
    }
    let Some(suite) = common::suite_dir("reference_agrees_on_mutants") else {
        return found;
    };
    for name in common::lox_files(&suite) {
        // The benchmarks run for seconds when a mutant is still valid.
        if name.starts_with("benchmark/") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(suite.join(&name)) else {
            continue;
        };
        found.push(Origin {
            name: format!("suite/{name}"),
            text,
        });
    }
    found
}

/// One mutant: its name (origin, seed and mutations) and its text.
struct Mutant {
    name: String,
    from_suite: bool,
    text: String,
}

/// The mutant of seed `seed`: a third are made from generated programs, the
/// rest from `origins`.
fn mutant(seed: u64, origins: &[Origin]) -> Mutant {
    let mut rng = Rng::new(seed);
    let (name, from_suite, text) = match rng.below(3) {
        0 => {
            let size = 200 + rng.below(1000);
            let program_seed = rng.next_u64() % 1_000_000;
            (
                format!("generate({size}, {program_seed})"),
                false,
                bumplox_corpus::generate(size, program_seed),
            )
        }
        _ => {
            let origin = &origins[rng.below(origins.len())];
            (
                origin.name.clone(),
                origin.name.starts_with("suite/"),
                origin.text.clone(),
            )
        }
    };
    let (text, log) = mutate(&text, rng.next_u64());
    Mutant {
        name: format!("seed {seed}: {name}: {log}"),
        from_suite,
        text,
    }
}

/// What a run printed on stderr and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Verdict {
    stderr: String,
    exit: i32,
}

fn verdict(output: RunOutput) -> Verdict {
    let exit = match output.termination {
        Termination::Exited(code) => code,
        // Neither implementation is killed by a signal on a compile error;
        // these only stand for "did not exit with a code".
        Termination::Signaled(signal) => -signal,
        Termination::TimedOut(_) | Termination::Unknown => -1000,
    };
    Verdict {
        stderr: output.stderr,
        exit,
    }
}

fn run(program: &str, args: &[&str], file: &Path) -> Verdict {
    let mut command = Command::new(program);
    command.args(args).arg(file);
    let output = run_with_timeout(command, TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    verdict(output)
}

/// The binary under test: this build's, or the one `BUMPLOX_BIN` names (to
/// measure another build, such as an older commit's, against the reference).
fn bumplox_binary() -> String {
    match std::env::var("BUMPLOX_BIN") {
        Ok(path) if !path.is_empty() => path,
        _ => env!("CARGO_BIN_EXE_bumplox").to_string(),
    }
}

fn run_bumplox(file: &Path) -> Verdict {
    run(&bumplox_binary(), &["run", "--error-format", "lox"], file)
}

/// A scratch folder for mutant files, unique to this process and test.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bumplox-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

// ---- The fixtures -----------------------------------------------------------

/// One fixture: a mutant and what the reference printed for it.
struct Fixture {
    name: String,
    source: String,
    expected: Verdict,
}

/// Writes `text` as lines that each start with `|`, so that any text, its
/// last newline or its lack of one included, reads back exactly.
fn write_block(out: &mut String, text: &str) {
    for line in text.split('\n') {
        let _ = writeln!(out, "|{line}");
    }
}

fn write_fixtures(fixtures: &[Fixture]) -> String {
    let mut out = String::from(
        "# Mutants of bumplox's examples and generated programs, with the stderr and\n\
         # exit code of the book's C implementation (clox) on each. Written by\n\
         # `MUTANTS_BLESS=1 LOX_REFERENCE=/path/to/clox cargo test --test mutants`;\n\
         # see tests/mutants.rs. Do not edit by hand.\n",
    );
    for fixture in fixtures {
        let _ = writeln!(out, "=== {}", fixture.name);
        out.push_str("--- source\n");
        write_block(&mut out, &fixture.source);
        out.push_str("--- stderr\n");
        write_block(&mut out, &fixture.expected.stderr);
        let _ = writeln!(out, "--- exit {}", fixture.expected.exit);
    }
    out
}

fn read_fixtures(text: &str) -> Vec<Fixture> {
    let mut fixtures = Vec::new();
    let mut lines = text.lines().peekable();
    let block = |lines: &mut std::iter::Peekable<std::str::Lines<'_>>| {
        let mut parts = Vec::new();
        while let Some(line) = lines.next_if(|line| line.starts_with('|')) {
            parts.push(&line[1..]);
        }
        parts.join("\n")
    };
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("=== ") else {
            assert!(line.starts_with('#'), "unexpected fixture line {line:?}");
            continue;
        };
        assert_eq!(lines.next(), Some("--- source"), "in fixture {name}");
        let source = block(&mut lines);
        assert_eq!(lines.next(), Some("--- stderr"), "in fixture {name}");
        let stderr = block(&mut lines);
        let exit = lines
            .next()
            .and_then(|line| line.strip_prefix("--- exit "))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("fixture {name} has no exit code"));
        fixtures.push(Fixture {
            name: name.to_string(),
            source,
            expected: Verdict { stderr, exit },
        });
    }
    fixtures
}

/// Describes how bumplox's run differs from the expected one.
fn describe(name: &str, source: &str, expected: &Verdict, actual: &Verdict) -> String {
    let shown: String = source.chars().take(600).collect();
    format!(
        "--- {name}\n{shown}\n--- expected (exit {}):\n{}--- bumplox (exit {}):\n{}",
        expected.exit, expected.stderr, actual.exit, actual.stderr
    )
}

#[test]
fn reference_fixtures() {
    let text = std::fs::read_to_string(fixtures_path()).expect("tests/mutants/reference.txt");
    let fixtures = read_fixtures(&text);
    assert!(
        fixtures.len() >= FIXTURE_COUNT,
        "only {} fixtures",
        fixtures.len()
    );
    let dir = scratch_dir("fixtures");
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (dir, next, failures, fixtures) = (&dir, &next, &failures, &fixtures);
            scope.spawn(move || {
                let file = dir.join(format!("mutant{worker}.lox"));
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(fixture) = fixtures.get(index) else {
                        return;
                    };
                    std::fs::write(&file, &fixture.source).expect("a scratch file");
                    let actual = run_bumplox(&file);
                    if actual != fixture.expected {
                        let report =
                            describe(&fixture.name, &fixture.source, &fixture.expected, &actual);
                        failures.lock().expect("no worker panicked").push(report);
                    }
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    let failures = failures.into_inner().expect("no worker panicked");
    assert!(
        failures.is_empty(),
        "{} of {} mutants differ from the reference:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

// ---- The comparison with a local reference -----------------------------------

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
        Err(_) => default,
    }
}

/// What comparing one mutant found.
enum Comparison {
    /// The reference accepted the mutant, and so did bumplox's checker.
    Accepted,
    /// The reference rejected it at compile time: the run and whether it matched.
    Rejected(Verdict, Verdict),
    /// The reference accepted it and bumplox rejected it.
    FalseRejection(Verdict, Verdict),
}

fn compare(reference: &str, file: &Path) -> Comparison {
    let expected = run(reference, &[], file);
    if expected.exit == 65 {
        return Comparison::Rejected(expected, run_bumplox(file));
    }
    // A program the reference runs is only checked, not run again.
    let checked = run(&bumplox_binary(), &["check", "--error-format", "lox"], file);
    match checked.exit {
        65 => Comparison::FalseRejection(expected, checked),
        _ => Comparison::Accepted,
    }
}

/// Whether a difference is bumplox's one deliberate departure from the book's
/// errors: the book adds a constant for every use of a global's or a
/// property's name, so a function that names one global 256 times runs out of
/// constants, where bumplox keeps one constant per name (see ARCHITECTURE.md).
/// That is the case when the reference reports running out of constants at a
/// token bumplox does not, and bumplox reports nothing about constants there.
/// Such mutants are counted and reported, not compared.
fn runs_out_of_name_constants(expected: &Verdict, actual: &Verdict) -> bool {
    const MESSAGE: &str = "Too many constants in one chunk.";
    let unmatched = expected
        .stderr
        .lines()
        .filter(|line| line.ends_with(MESSAGE))
        .find(|line| !actual.stderr.lines().any(|other| other == *line));
    unmatched.is_some() && !actual.stderr.contains(MESSAGE)
}

/// Writes a differing mutant's whole text to the folder `MUTANTS_KEEP` names,
/// if any, as `seed-N.lox`: the report shows only its first lines, and a long
/// mutant (a limit test) is debugged from the whole file.
fn keep(mutant: &Mutant) {
    let Some(dir) = std::env::var_os("MUTANTS_KEEP") else {
        return;
    };
    let seed = mutant
        .name
        .split(':')
        .next()
        .unwrap_or("seed")
        .replace(' ', "-");
    std::fs::create_dir_all(&dir).expect("the MUTANTS_KEEP folder");
    std::fs::write(Path::new(&dir).join(format!("{seed}.lox")), &mutant.text)
        .expect("a kept mutant");
}

#[test]
fn reference_agrees_on_mutants() {
    let Some(reference) = std::env::var_os("LOX_REFERENCE").filter(|path| !path.is_empty()) else {
        eprintln!("reference_agrees_on_mutants: LOX_REFERENCE is not set; skipped");
        return;
    };
    let reference = reference.to_string_lossy().into_owned();
    let bless = std::env::var_os("MUTANTS_BLESS").is_some();
    let count = env_number("MUTANTS", 2000) as usize;
    let first_seed = env_number("MUTANTS_SEED", 1);
    // Blessing reads the suite too, so that the seeds name the same mutants
    // in both modes; suite mutants are never written as fixtures.
    let origins = origins(true);
    let dir = scratch_dir("reference");
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (dir, next, results, origins, reference) =
                (&dir, &next, &results, &origins, &reference);
            scope.spawn(move || {
                let file = dir.join(format!("mutant{worker}.lox"));
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        return;
                    }
                    let mutant = mutant(first_seed + index as u64, origins);
                    std::fs::write(&file, &mutant.text).expect("a scratch file");
                    let comparison = compare(reference, &file);
                    results
                        .lock()
                        .expect("no worker panicked")
                        .push((index, mutant, comparison));
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    let mut results = results.into_inner().expect("no worker panicked");
    results.sort_by_key(|(index, _, _)| *index);

    let (mut rejected, mut different, mut false_rejections) = (0, Vec::new(), Vec::new());
    let mut deliberate = 0;
    let mut fixtures = Vec::new();
    for (_, mutant, comparison) in &results {
        match comparison {
            Comparison::Accepted => {}
            Comparison::Rejected(expected, actual) => {
                rejected += 1;
                if expected != actual && runs_out_of_name_constants(expected, actual) {
                    deliberate += 1;
                } else if expected != actual {
                    different.push(describe(&mutant.name, &mutant.text, expected, actual));
                    keep(mutant);
                }
                if !mutant.from_suite && !mutant.text.contains('\r') {
                    fixtures.push(Fixture {
                        name: mutant.name.clone(),
                        source: mutant.text.clone(),
                        expected: expected.clone(),
                    });
                }
            }
            Comparison::FalseRejection(expected, actual) => {
                false_rejections.push(describe(&mutant.name, &mutant.text, expected, actual));
                keep(mutant);
            }
        }
    }
    eprintln!(
        "reference_agrees_on_mutants: seeds {first_seed}..{}: {count} mutants, {rejected} rejected \
         by the reference, {} of them with different errors and {deliberate} with the deliberate \
         difference in name constants; {} rejected by bumplox only",
        first_seed + count as u64,
        different.len(),
        false_rejections.len()
    );
    if let Some(report) = std::env::var_os("MUTANTS_REPORT") {
        let text = different.join("\n") + "\n" + &false_rejections.join("\n");
        std::fs::write(&report, text).expect("the report file");
    }
    if bless {
        assert!(
            fixtures.len() >= FIXTURE_COUNT,
            "only {} fixtures; raise MUTANTS",
            fixtures.len()
        );
        fixtures.truncate(FIXTURE_COUNT);
        std::fs::create_dir_all(fixtures_path().parent().expect("a folder"))
            .expect("tests/mutants");
        std::fs::write(fixtures_path(), write_fixtures(&fixtures)).expect("the fixtures");
    }
    let shown: Vec<&String> = different.iter().chain(&false_rejections).take(20).collect();
    assert!(
        different.is_empty() && false_rejections.is_empty(),
        "{} mutants differ, {} falsely rejected; the first:\n{}",
        different.len(),
        false_rejections.len(),
        shown
            .iter()
            .map(|report| report.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---- Named regressions, one per class of difference the comparison found ----

/// Runs `source` through `bumplox run --error-format lox` and compares its
/// stderr with `expected` (the book's lines, each checked against clox) and its
/// exit code with 65.
fn check_lox(test: &str, source: &str, expected: &str) {
    let dir = scratch_dir(test);
    let file = dir.join("program.lox");
    std::fs::write(&file, source).expect("a scratch file");
    let actual = run_bumplox(&file);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        actual,
        Verdict {
            stderr: expected.to_string(),
            exit: 65
        }
    );
}

/// A function with `count` number constants, one statement each.
fn constants(count: usize) -> String {
    let mut body = String::new();
    for index in 0..count {
        let _ = write!(body, "{index}; ");
    }
    format!("fun f() {{ {body}}}\n")
}

/// The book's compiler goes on generating code after a syntax error, so a
/// limit error later in the file is reported too.
#[test]
fn limit_errors_are_reported_after_syntax_errors() {
    let source = format!("print 1 2;\n{}", constants(257));
    check_lox(
        "limit_after_syntax",
        &source,
        "[line 1] Error at '2': Expect ';' after value.\n\
         [line 2] Error at '256': Too many constants in one chunk.\n",
    );
}

/// ... but not where the parser was recovering from a syntax error: there
/// the book's compiler is in panic mode (here the 257th constant, `256`, comes
/// after the error in the same statement).
#[test]
fn limit_errors_are_not_reported_while_recovering() {
    let mut body = String::new();
    for index in 0..256 {
        let _ = write!(body, "{index}; ");
    }
    let source = format!("fun f() {{ {body}print (nil + ) + 256; }}\n");
    check_lox(
        "limit_while_recovering",
        &source,
        "[line 1] Error at ')': Expect expression.\n",
    );
}

/// A static error the resolver finds puts the book's compiler into panic mode
/// at its token: the syntax error after it in the same declaration is not
/// reported.
#[test]
fn resolver_errors_suppress_the_syntax_errors_after_them() {
    check_lox(
        "resolver_suppresses",
        "{\n  var a = 1;\n  var a = <=;\n}\nfun f(b, b} {}\nprint 1 2;\n",
        "[line 3] Error at 'a': Already a variable with this name in this scope.\n\
         [line 5] Error at 'b': Already a variable with this name in this scope.\n\
         [line 6] Error at '2': Expect ';' after value.\n",
    );
}

/// ... and makes it resynchronize at the end of the declaration, which skips
/// the tokens up to the next statement.
#[test]
fn resolver_errors_resynchronize_at_the_end_of_their_declaration() {
    check_lox(
        "resolver_resynchronizes",
        "{ class A {} class A {} a 1; b 2; }\n",
        "[line 1] Error at 'A': Already a variable with this name in this scope.\n\
         [line 1] Error at '2': Expect ';' after expression.\n",
    );
}

/// A limit error also puts the book's compiler into panic mode: the argument
/// count error that follows in the same statement is not reported. (Every
/// later statement that adds a constant reports the limit again.)
#[test]
fn limit_errors_suppress_the_errors_after_them() {
    let args = vec!["1"; 256].join(",");
    check_lox(
        "limit_suppresses",
        &format!("fun f() {{}}\nf({args});\nprint 1 2;\n"),
        "[line 2] Error at '1': Too many constants in one chunk.\n\
         [line 3] Error at '1': Too many constants in one chunk.\n",
    );
}

/// A loop body that ends in a syntax error (here the outer block's missing
/// `}` at the end of the file) leaves the book's compiler in panic mode when
/// it emits the loop's backward jump, so "Loop body too large." is not
/// reported, though the body is too large.
#[test]
fn loop_limit_errors_are_not_reported_for_a_body_that_ended_in_an_error() {
    let nils = "nil; ".repeat(35_000);
    check_lox(
        "loop_body_recovered",
        &format!("while (false) {{\n{{ {nils}}}\n"),
        "[line 3] Error at end: Expect '}' after block.\n",
    );
}

/// ... while a body that ended cleanly reports it, even when the error at
/// the next token (here the enclosing block's missing `}`) comes right after.
#[test]
fn loop_limit_errors_are_reported_for_a_body_that_ended_cleanly() {
    let nils = "nil; ".repeat(35_000);
    check_lox(
        "loop_body_clean",
        &format!("{{ while (false) {{\n{nils}}}\n"),
        "[line 2] Error at '}': Loop body too large.\n\
         [line 3] Error at end: Expect '}' after block.\n",
    );
}

/// A declaration whose name is missing is still compiled by the book's
/// compiler, named by the token before the gap: a class's methods, a
/// function's parameters and body. So the errors inside them are reported
/// (here a local read in its own initializer, inside the body of a method
/// that a class without a name, and then a method without a name, hold).
#[test]
fn declarations_without_a_name_are_still_compiled() {
    check_lox(
        "nameless_declarations",
        "class = Foo {}\nvar foo = foo;\nfun (a, ) { var b = b; }",
        "[line 1] Error at '=': Expect class name.\n\
         [line 2] Error at 'foo': Can't read local variable in its own initializer.\n\
         [line 3] Error at '(': Expect function name.\n\
         [line 3] Error at end: Expect '}' after block.\n",
    );
}

/// The book's compiler reads the token after the one it consumes before it
/// does anything with the consumed one, so a lexical error right after a name
/// comes before the static error at that name, and suppresses it.
#[test]
fn lexical_errors_after_a_token_come_before_its_static_errors() {
    check_lox(
        "lexical_before_static",
        "{\n  var a = a @;\n  var b = b;\n}\n",
        "[line 2] Error: Unexpected character.\n\
         [line 3] Error at 'b': Can't read local variable in its own initializer.\n",
    );
}

/// The book's compiler adds a global's name constant on reading the name,
/// before its initializer's constants, so the 257th constant (and where the
/// error is reported) is the name of the 129th global here, not its value.
#[test]
fn a_globals_name_is_a_constant_before_its_initializers() {
    let source: String = (0..130)
        .map(|index| format!("var v{index} = {index};\n"))
        .collect();
    check_lox(
        "global_name_first",
        &source,
        "[line 129] Error at 'v128': Too many constants in one chunk.\n\
         [line 130] Error at 'v129': Too many constants in one chunk.\n",
    );
}
