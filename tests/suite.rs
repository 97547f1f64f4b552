//! Runs the official Lox test suite from *Crafting Interpreters* against the `bumplox` binary.
//!
//! The suite is not copied into this repository: it is read from `../shared/lox-test-suite`
//! next to the repository root, or from the folder named by `LOX_TEST_SUITE`. Each `.lox`
//! file states its expectations in comments (see the suite's README), and this file judges
//! the binary's output the way the book's own runner (`tool/bin/test.dart`) does for clox.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use bumplox_expect::{judge, parse_expectations, run_with_timeout};

/// How long one program may run before it counts as hung; generous because debug builds
/// under `--gc-stress` collect on every allocation.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Top-level folders of the suite that belong to early chapters or measure speed.
const SKIPPED_FOLDERS: [&str; 3] = ["scanning", "expressions", "benchmark"];

#[test]
fn official_suite() {
    run_suite(&[]);
}

/// `bumplox test`, which users run on their own tests, judges the suite as
/// this file does: its closing tally is this file's. `--all` because three
/// files of the suite state no expectation (they must print nothing).
#[test]
fn bumplox_test_gives_the_suite_tally() {
    let Some(root) = common::suite_dir("bumplox_test_gives_the_suite_tally") else {
        return;
    };
    let files = collect_lox_files(&root).unwrap_or_else(|error| panic!("{error}"));
    let outcomes = run_all(&root, &files, &[]);
    let passed = outcomes
        .iter()
        .filter(|outcome| **outcome == Outcome::Passed)
        .count();
    let failed = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Outcome::Failed(_)))
        .count();
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .expect("the suite folder lists")
        .map(|entry| {
            entry
                .expect("a suite entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".lox") || root.join(name).is_dir())
        .filter(|name| !SKIPPED_FOLDERS.contains(&name.as_str()))
        .collect();
    folders.sort();
    let output = binary_command()
        .arg("test")
        .arg("--all")
        .args(folders.iter().map(|name| root.join(name)))
        .output()
        .expect("bumplox test runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tally = stdout.lines().last().unwrap_or_default();
    assert_eq!(
        tally,
        format!("{passed} passed, {failed} failed"),
        "{stdout}"
    );
    assert_eq!(
        output.status.code(),
        Some(i32::from(failed > 0)),
        "{stdout}"
    );
}

#[test]
fn official_suite_gc_stress() {
    run_suite(&["--gc-stress"]);
}

/// The command that runs the binary: the binary itself, or, when the environment
/// variable `LOX_RUNNER` names a wrapper such as `valgrind -q --error-exitcode=99`,
/// that wrapper with the binary as its first argument.
fn binary_command() -> Command {
    let binary = env!("CARGO_BIN_EXE_bumplox");
    let wrapper = std::env::var("LOX_RUNNER").unwrap_or_default();
    let mut words = wrapper.split_whitespace();
    match words.next() {
        Some(program) => {
            let mut command = Command::new(program);
            command.args(words).arg(binary);
            command
        }
        None => Command::new(binary),
    }
}

/// Collects the relative paths (with `/` separators) of the suite's `.lox` files outside
/// the skipped folders, sorted.
fn collect_lox_files(root: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| format!("could not list {}: {error}", dir.display()))?;
        for entry in entries {
            let entry =
                entry.map_err(|error| format!("could not list {}: {error}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = format!("{prefix}{name}");
            let file_type = entry
                .file_type()
                .map_err(|error| format!("could not inspect {relative}: {error}"))?;
            if file_type.is_dir() {
                if prefix.is_empty() && SKIPPED_FOLDERS.contains(&name.as_str()) {
                    continue;
                }
                pending.push((entry.path(), format!("{relative}/")));
                continue;
            }
            if name.ends_with(".lox") {
                files.push(relative);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The tally key of a test file: its top-level folder, or `.` for files at the top.
fn folder_of(relative: &str) -> &str {
    match relative.split_once('/') {
        Some((folder, _)) => folder,
        None => ".",
    }
}

/// What became of one file of the suite.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The file says `// nontest`, so it is neither run nor counted.
    NotATest,
    Passed,
    Failed(String),
}

/// Reads, runs and judges one file.
fn run_test_file(root: &Path, relative: &str, flags: &[&str]) -> Outcome {
    let path = root.join(relative);
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(error) => return Outcome::Failed(format!("could not read the file: {error}")),
    };
    let expectations = match parse_expectations(&source) {
        Ok(Some(expectations)) => expectations,
        Ok(None) => return Outcome::NotATest,
        Err(error) => return Outcome::Failed(error),
    };
    let mut command = binary_command();
    command
        .args(["run", "--error-format", "lox"])
        .args(flags)
        .arg(&path);
    match run_with_timeout(command, TIMEOUT).and_then(|run| judge(&expectations, &run)) {
        Ok(()) => Outcome::Passed,
        Err(reason) => Outcome::Failed(reason),
    }
}

/// Runs every file on a few threads and returns the outcomes in the order of `files`.
fn run_all(root: &Path, files: &[String], flags: &[&str]) -> Vec<Outcome> {
    // The programs are short, so a couple of workers per core keep the cores busy while
    // other workers wait on process start-up.
    let workers = thread::available_parallelism()
        .map_or(2, |count| count.get())
        .clamp(2, 8);
    let next = AtomicUsize::new(0);
    let finished: Vec<Vec<(usize, Outcome)>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(relative) = files.get(index) else {
                            return done;
                        };
                        done.push((index, run_test_file(root, relative, flags)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a suite worker thread panicked"))
            .collect()
    });
    let mut outcomes = vec![Outcome::NotATest; files.len()];
    for (index, outcome) in finished.into_iter().flatten() {
        outcomes[index] = outcome;
    }
    outcomes
}

fn run_suite(flags: &[&str]) {
    let Some(root) = common::suite_dir("official_suite") else {
        return;
    };
    let files = collect_lox_files(&root).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        !files.is_empty(),
        "the Lox test suite at {} holds no .lox files to run",
        root.display()
    );
    let outcomes = run_all(&root, &files, flags);

    let mut report = String::new();
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (relative, outcome) in files.iter().zip(&outcomes) {
        let passed = match outcome {
            Outcome::NotATest => continue,
            Outcome::Passed => 1,
            Outcome::Failed(reason) => {
                let _ = writeln!(report, "FAIL {relative}: {reason}");
                0
            }
        };
        let entry = tally.entry(folder_of(relative)).or_default();
        entry.0 += passed;
        entry.1 += 1;
    }
    for (folder, (folder_passed, folder_total)) in &tally {
        let _ = writeln!(report, "{folder}: {folder_passed}/{folder_total}");
    }
    let passed: usize = tally.values().map(|(passed, _)| passed).sum();
    let failed = tally.values().map(|(_, total)| total).sum::<usize>() - passed;
    let _ = writeln!(report, "{passed} passed, {failed} failed");
    // One print keeps this report whole when both suite tests run at once.
    print!("{report}");

    let mode = if flags.is_empty() {
        String::new()
    } else {
        format!(" with {}", flags.join(" "))
    };
    assert!(
        failed == 0,
        "official Lox test suite{mode}: {passed} passed, {failed} failed (the FAIL lines above name them)"
    );
}

/// Unit tests of the walk over the suite; the expectation parser and the judge
/// are tested in `bumplox_expect`.
mod unit {
    use super::*;

    #[test]
    fn skips_folders_only_at_the_top_and_sorts_paths() {
        let root = std::env::temp_dir().join(format!("bumplox-suite-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["b", "a/scanning", "scanning", "benchmark", "expressions"] {
            std::fs::create_dir_all(root.join(dir)).expect("create a scratch folder");
        }
        for file in [
            "top.lox",
            "b/two.lox",
            "b/one.lox",
            "b/notes.txt",
            "a/scanning/kept.lox",
            "scanning/skipped.lox",
            "benchmark/skipped.lox",
            "expressions/skipped.lox",
        ] {
            std::fs::write(root.join(file), "").expect("write a scratch file");
        }
        let files = collect_lox_files(&root);
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(
            files,
            Ok(vec![
                "a/scanning/kept.lox".to_owned(),
                "b/one.lox".to_owned(),
                "b/two.lox".to_owned(),
                "top.lox".to_owned(),
            ])
        );
        assert_eq!(folder_of("b/one.lox"), "b");
        assert_eq!(folder_of("top.lox"), ".");
    }
}
