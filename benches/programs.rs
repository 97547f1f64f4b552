//! Run times of the official suite's 11 benchmark programs on the bumplox VM,
//! optionally beside a reference Lox implementation: `cargo bench --bench programs`.
//!
//! Each program is compiled once and then run `BUMPLOX_BENCH_RUNS` times (default
//! 5) on a fresh VM; the table gives the median, minimum and maximum wall time of a
//! run, which includes the program's own setup but not compilation. With
//! `LOX_REFERENCE=/path/to/clox`, the same programs also run that many times under
//! the reference (as whole processes, so its times include its start-up and
//! compilation, a few milliseconds) and the table adds the ratio of medians. The
//! programs print their own timings, which are discarded.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bumplox_source::SourceFile;
use bumplox_tree::BumpBuilder;
use bumplox_vm::{Vm, VmOptions};

fn suite_benchmarks() -> Option<PathBuf> {
    let dir = match std::env::var_os("LOX_TEST_SUITE") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/lox-test-suite"),
    };
    let dir = dir.join("benchmark");
    dir.is_dir().then_some(dir)
}

fn compile(path: &Path) -> Result<bumplox_bytecode::FunctionProto, String> {
    let bytes = std::fs::read(path).map_err(|error| error.to_string())?;
    let file = SourceFile::from_bytes(path.display().to_string(), bytes)
        .map_err(|error| error.to_string())?;
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump));
    let (resolution, diagnostics) =
        bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    if parse.has_errors() || !diagnostics.is_empty() {
        return Err("compile errors".to_string());
    }
    bumplox_codegen::compile(&parse.program, &resolution, &file)
        .map_err(|_| "bytecode limits".to_string())
}

/// Median, minimum and maximum of some durations.
fn summary(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

fn seconds(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64())
}

fn main() {
    // `cargo bench` passes `--bench`; any other invocation (such as the test
    // harness listing benches) only checks that the programs compile.
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let Some(dir) = suite_benchmarks() else {
        eprintln!("WARNING: the official Lox test suite's benchmark/ folder was not found; set LOX_TEST_SUITE. Nothing measured.");
        return;
    };
    let runs: usize = std::env::var("BUMPLOX_BENCH_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(5)
        .max(1);
    let reference = std::env::var_os("LOX_REFERENCE").map(PathBuf::from);
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .collect()
        })
        .unwrap_or_default();
    programs.retain(|path| path.extension().is_some_and(|extension| extension == "lox"));
    programs.sort();
    println!("{runs} runs each; wall time of one run in seconds");
    println!(
        "{:<18} {:>8} {:>8} {:>8} {:>10} {:>8}",
        "program", "median", "min", "max", "reference", "ratio"
    );
    for path in programs {
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let script = match compile(&path) {
            Ok(script) => script,
            Err(error) => {
                println!("{name:<18} does not compile: {error}");
                continue;
            }
        };
        if !measuring {
            continue;
        }
        let times: Vec<Duration> = (0..runs)
            .map(|_| {
                let mut vm = Vm::new(VmOptions::default());
                let started = Instant::now();
                let result = vm.run(&script, &mut std::io::sink());
                let elapsed = started.elapsed();
                if let Err(error) = result {
                    eprintln!("{name}: runtime error: {error}");
                }
                elapsed
            })
            .collect();
        let (median, min, max) = summary(times);
        let (reference_median, ratio) = match &reference {
            Some(binary) => {
                let times: Vec<Duration> = (0..runs)
                    .filter_map(|_| {
                        let started = Instant::now();
                        let status = Command::new(binary)
                            .arg(&path)
                            .stdout(Stdio::null())
                            .stderr(Stdio::null())
                            .status()
                            .ok()?;
                        status.success().then(|| started.elapsed())
                    })
                    .collect();
                match times.is_empty() {
                    true => ("fails".to_string(), "-".to_string()),
                    false => {
                        let (reference, _, _) = summary(times);
                        let ratio = median.as_secs_f64() / reference.as_secs_f64();
                        (seconds(reference), format!("{ratio:.2}"))
                    }
                }
            }
            None => ("-".to_string(), "-".to_string()),
        };
        println!(
            "{name:<18} {:>8} {:>8} {:>8} {reference_median:>10} {ratio:>8}",
            seconds(median),
            seconds(min),
            seconds(max)
        );
    }
}
