//! `bumplox bench [FILE]`: times every front-end stage under every allocation
//! strategy, counts allocations, prints a table and, with `--plot`, writes a
//! chart.
//!
//! Each strategy runs in a process of its own, the `bumplox-bench-worker`
//! binary beside this one, for three reasons: the global allocator is fixed
//! for a process, and `box` is measured both on the system allocator and on
//! mimalloc; every strategy starts from a fresh heap, so none inherits
//! another's fragmentation or cached pages; and only the worker carries the
//! counting allocator, so `bumplox` itself (`run`, `check`, …) allocates
//! through the system allocator with nothing in between. A worker prints its
//! results as text on standard output and its progress on standard error.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use bumplox_alloc_stats::{Counter, SelectedAllocator, ALLOCATOR_VARIABLE};
use bumplox_bench::{render_svg, render_table, run_subject, Report, Strategy, Subject};

use crate::cli::Options;
use crate::commands::gen::DEFAULT_SIZE;
use crate::exit;
use crate::output;
use crate::session::{load, LoadError};

/// The worker binary's name, looked up beside the running program.
const WORKER: &str = "bumplox-bench-worker";

/// What `bench` measures, in the order of the table: every strategy of
/// [`Strategy::ALL`] on the system allocator, then `box` on mimalloc, to show
/// what a faster general-purpose allocator does for the baseline.
const SUBJECTS: [Subject; Strategy::ALL.len() + 1] = {
    let mut subjects = [Subject {
        strategy: Strategy::BOXED,
        mimalloc: true,
    }; Strategy::ALL.len() + 1];
    let mut index = 0;
    while index < Strategy::ALL.len() {
        subjects[index] = Subject {
            strategy: Strategy::ALL[index],
            mimalloc: false,
        };
        index += 1;
    }
    subjects
};

pub fn run(path: Option<&str>, options: &Options) -> i32 {
    coordinate(path, options)
}

/// A generated corpus written to a temporary file for the workers to read,
/// removed when dropped.
struct TempCorpus(PathBuf);

impl Drop for TempCorpus {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn coordinate(path: Option<&str>, options: &Options) -> i32 {
    let mut temp = None;
    // A chart that cannot be written is found out now, not after minutes of
    // measuring.
    if let Some(plot) = &options.plot {
        let folder = match Path::new(plot).parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            crate::stdio::err_line(&format!(
                "error: cannot write the chart to '{plot}': there is no folder '{}'",
                folder.display()
            ));
            return exit::IO_ERROR;
        }
    }
    let (path, origin) = match path {
        Some(path) => (PathBuf::from(path), format!("`{path}`")),
        None => {
            let size = options.size.unwrap_or(DEFAULT_SIZE);
            crate::stdio::err_line(&format!(
                "bench: generating a corpus of {} (seed {})",
                megabytes(size as u64),
                options.seed
            ));
            let text = bumplox_corpus::generate(size, options.seed);
            let file =
                std::env::temp_dir().join(format!("bumplox-bench-{}.lox", std::process::id()));
            if let Err(error) = std::fs::write(&file, text) {
                crate::stdio::err_line(&format!(
                    "error: cannot write '{}': {error}",
                    file.display()
                ));
                return exit::IO_ERROR;
            }
            temp = Some(TempCorpus(file.clone()));
            (
                file,
                format!("`bumplox gen --size {size} --seed {}`", options.seed),
            )
        }
    };
    let file = match load(&path.to_string_lossy(), options.max_memory) {
        Ok(file) => file,
        Err(LoadError::Io(message)) => {
            output::print_file_error(&path.to_string_lossy(), &message, options);
            return exit::IO_ERROR;
        }
        Err(LoadError::Source(error)) => {
            output::print_source_error(&path.to_string_lossy(), &error, options);
            return exit::COMPILE_ERROR;
        }
    };
    let bytes = file.len() as u64;
    let lines = u64::from(file.line_count());
    drop(file);
    let mut reports = Vec::new();
    for (index, subject) in SUBJECTS.iter().enumerate() {
        crate::stdio::err_line(&format!(
            "bench: [{}/{}] {}: {}",
            index + 1,
            SUBJECTS.len(),
            subject.label(),
            runs_text(options.runs)
        ));
        match start_worker(*subject, &path, options.runs, index == 0) {
            Ok(report) => reports.push(report),
            Err(message) => {
                crate::stdio::err_line(&format!(
                    "error: the {} worker failed: {message}",
                    subject.label()
                ));
                return exit::INTERNAL;
            }
        }
    }
    // Beside the reference, on the same file, before a generated one is
    // removed.
    let beside_reference = match std::env::var_os(super::reference::REFERENCE_VARIABLE) {
        Some(reference) if !reference.is_empty() => {
            crate::stdio::err_line(&format!(
                "bench: the reference and bumplox as whole processes: {}",
                runs_text(options.runs)
            ));
            let exe = std::env::current_exe()
                .map_err(|error| format!("cannot find this program: {error}"));
            match exe.and_then(|exe| {
                super::reference::table(Path::new(&reference), &exe, &path, options.runs)
            }) {
                Ok(table) => table,
                Err(message) => {
                    crate::stdio::err_line(&format!(
                        "error: the comparison with {} failed: {message}",
                        super::reference::REFERENCE_VARIABLE
                    ));
                    return exit::IO_ERROR;
                }
            }
        }
        _ => String::new(),
    };
    drop(temp);
    let mut text = format!(
        "{origin}: {} in {} lines; median of {}\n\n",
        megabytes(bytes),
        lines,
        runs_text(options.runs)
    );
    text.push_str(&render_table(&reports, bytes, lines));
    let _ = write!(
        text,
        "\nbump resets one arena kept across runs; bump-fresh, typed and flat make and drop their arenas (flat: its vectors) each run (timed in lex+parse and drop); box frees every node. Allocations and peak live bytes are those of one parse, counted with a fresh arena.\n"
    );
    text.push_str(&beside_reference);
    output::print_stdout(&text);
    match &options.plot {
        None => exit::SUCCESS,
        Some(plot) => {
            let title = format!(
                "bumplox front-end on {} of Lox ({lines} lines), medians of {} runs",
                megabytes(bytes),
                options.runs
            );
            let written = render_svg(&reports, &title)
                .and_then(|svg| std::fs::write(plot, svg).map_err(|error| error.to_string()));
            match written {
                Ok(()) => {
                    crate::stdio::err_line(&format!("bench: chart written to {plot}"));
                    exit::SUCCESS
                }
                Err(message) => {
                    crate::stdio::err_line(&format!(
                        "error: cannot write the chart to '{plot}': {message}"
                    ));
                    exit::IO_ERROR
                }
            }
        }
    }
}

fn runs_text(runs: usize) -> String {
    match runs {
        1 => "1 run".to_string(),
        _ => format!("{runs} runs"),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Runs one worker process and reads its report.
fn start_worker(
    subject: Subject,
    path: &Path,
    runs: usize,
    with_lex: bool,
) -> Result<Report, String> {
    let exe =
        std::env::current_exe().map_err(|error| format!("cannot find this program: {error}"))?;
    let worker = exe.with_file_name(format!("{WORKER}{}", std::env::consts::EXE_SUFFIX));
    if !worker.is_file() {
        return Err(format!(
            "'{}' is missing: it is built with bumplox (`cargo build --release` builds both)",
            worker.display()
        ));
    }
    let mut command = Command::new(worker);
    command
        .arg(subject.strategy.name())
        .arg("--runs")
        .arg(runs.to_string())
        .arg(path)
        .env(
            ALLOCATOR_VARIABLE,
            match subject.mimalloc {
                true => "mimalloc",
                false => "system",
            },
        );
    if with_lex {
        command.env(LEX_VARIABLE, "1");
    }
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot start it: {error}"))?;
    if !output.status.success() {
        return Err(format!("it exited with {}", output.status));
    }
    let report = Report::from_text(&String::from_utf8_lossy(&output.stdout))?;
    match report.subject == subject {
        true => Ok(report),
        false => Err(format!("it measured {} instead", report.subject.label())),
    }
}

/// Set in the environment of the worker that also times the lexer alone
/// (lexing does not depend on the strategy, so one worker does it).
const LEX_VARIABLE: &str = "BUMPLOX_BENCH_LEX";

/// The worker's side of `bench`: `bumplox-bench-worker STRATEGY --runs N FILE`
/// measures one strategy on FILE with `counter`, the worker binary's global
/// allocator, and prints its report. Its command line is `bench`'s own
/// protocol, not an interface for people, so it is read by hand.
pub fn worker_main(args: &[String], counter: &dyn Counter) -> i32 {
    let (strategy, runs, path) = match args {
        [strategy, flag, runs, path] if flag == "--runs" => (strategy, runs, path),
        _ => {
            crate::stdio::err_line(&format!(
                "error: {WORKER} is started by `bumplox bench`, as `{WORKER} STRATEGY --runs N FILE`"
            ));
            return exit::USAGE;
        }
    };
    let Some(strategy) = Strategy::from_name(strategy) else {
        crate::stdio::err_line(&format!(
            "error: unknown strategy '{strategy}' for a bench worker"
        ));
        return exit::USAGE;
    };
    let Ok(runs) = runs.parse::<usize>() else {
        crate::stdio::err_line(&format!("error: '{runs}' is not a number of runs"));
        return exit::USAGE;
    };
    let options = Options {
        runs,
        ..Options::default()
    };
    let options = &options;
    let path = path.as_str();
    let file = match load(path, options.max_memory) {
        Ok(file) => file,
        Err(LoadError::Io(message)) => {
            output::print_file_error(path, &message, options);
            return exit::IO_ERROR;
        }
        Err(LoadError::Source(error)) => {
            output::print_source_error(path, &error, options);
            return exit::COMPILE_ERROR;
        }
    };
    let subject = Subject {
        strategy,
        mimalloc: SelectedAllocator::is_mimalloc(),
    };
    let with_lex = std::env::var_os(LEX_VARIABLE).is_some();
    let label = subject.label();
    // On a terminal the count is redrawn in place; into a file or a pipe only
    // the last one is written.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |done: usize, total: usize| match (terminal, done == total) {
        (true, false) => crate::stdio::err(&format!(
            "\rbench:       {label}: {done}/{total} timed runs"
        )),
        (true, true) => crate::stdio::err_line(&format!(
            "\rbench:       {label}: {done}/{total} timed runs"
        )),
        (false, true) => {
            crate::stdio::err_line(&format!("bench:       {label}: {total} timed runs done"))
        }
        (false, false) => {}
    };
    let mut rss_start = 0;
    let mut peak_rss = |reset: bool| match reset {
        true => {
            rss_start = reset_peak_rss();
            0
        }
        false => peak_rss_kib().map_or(0, |peak| peak.saturating_sub(rss_start) * 1024),
    };
    let report = run_subject(
        subject,
        &file,
        options.runs,
        with_lex,
        counter,
        &mut peak_rss,
        &mut progress,
    );
    output::print_stdout(&report.to_text());
    exit::SUCCESS
}

/// Resets the process's peak resident memory to its current value (Linux:
/// writing 5 to `/proc/self/clear_refs`) and returns that value in KiB, or 0
/// where the system offers no such thing.
fn reset_peak_rss() -> u64 {
    match std::fs::write("/proc/self/clear_refs", "5") {
        Ok(()) => status_kib("VmRSS:").unwrap_or(0),
        Err(_) => 0,
    }
}

/// The process's peak resident memory in KiB (`VmHWM`), where known.
fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

fn status_kib(key: &str) -> Option<u64> {
    status_kib_of("self", key)
}

/// A `KiB` figure of a process's `/proc/PROCESS/status` (`self` or a pid),
/// where the system has one: this process's for the workers' memory, a
/// child's for the comparison with the reference.
pub(super) fn status_kib_of(process: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
