//! `bumplox bench` beside the book's C implementation: with
//! `LOX_REFERENCE=path/to/clox`, the reference and bumplox's own commands run
//! as whole processes on the same file, interleaved, and a table gives each
//! one's median time and peak memory as a ratio to the reference's.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable that names the reference implementation.
pub const REFERENCE_VARIABLE: &str = "LOX_REFERENCE";

/// One whole-process measurement.
#[derive(Clone, Copy, Debug)]
struct Sample {
    time: Duration,
    /// Peak resident size in bytes (`VmHWM`, read while the process runs), or
    /// 0 where the system does not tell.
    peak: u64,
}

/// Runs the reference and bumplox's `run`, `check` and `parse --format none`
/// on `file`, `runs` times each, interleaved so that a slow moment of the
/// machine falls on all of them, and renders the table.
pub fn table(reference: &Path, bumplox: &Path, file: &Path, runs: usize) -> Result<String, String> {
    let commands: [(String, Command); 4] = [
        (format!("`{}` (reference)", reference.display()), {
            let mut command = Command::new(reference);
            command.arg(file);
            command
        }),
        (
            "`bumplox run`".to_string(),
            bumplox_command(bumplox, &["run"], file),
        ),
        (
            "`bumplox check`".to_string(),
            bumplox_command(bumplox, &["check"], file),
        ),
        (
            "`bumplox parse --format none`".to_string(),
            bumplox_command(bumplox, &["parse", "--format", "none"], file),
        ),
    ];
    let mut commands = commands;
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); commands.len()];
    for _ in 0..runs {
        for (index, (name, command)) in commands.iter_mut().enumerate() {
            let sample = measure(command).map_err(|error| format!("{name}: {error}"))?;
            samples[index].push(sample);
        }
    }
    let medians: Vec<Sample> = samples.iter().map(|runs| median(runs)).collect();
    let base = medians[0];
    let mut out = format!(
        "\nWhole processes beside {REFERENCE_VARIABLE} on the same file, medians of {runs} interleaved runs:\n\n\
         | command | median time | peak RSS | time vs reference | memory vs reference |\n\
         |---|--:|--:|--:|--:|\n"
    );
    for ((name, _), sample) in commands.iter().zip(&medians) {
        let _ = writeln!(
            out,
            "| {name} | {:.2} s | {} | {} | {} |",
            sample.time.as_secs_f64(),
            mebibytes(sample.peak),
            ratio(sample.time.as_secs_f64(), base.time.as_secs_f64()),
            ratio(sample.peak as f64, base.peak as f64),
        );
    }
    Ok(out)
}

fn bumplox_command(bumplox: &Path, args: &[&str], file: &Path) -> Command {
    let mut command = Command::new(bumplox);
    command.args(args).arg(file);
    command
}

/// Runs `command` to its end with no input and its output thrown away,
/// reading its peak resident size from `/proc` as it runs (the peak of a
/// process that has exited is gone, so it is read just before each poll).
fn measure(command: &mut Command) -> Result<Sample, String> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start it: {error}"))?;
    let mut peak = 0;
    loop {
        if let Some(rss) = peak_rss(child.id()) {
            peak = peak.max(rss);
        }
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(error) => return Err(format!("cannot wait for it: {error}")),
        }
    }
    Ok(Sample {
        time: started.elapsed(),
        peak,
    })
}

fn peak_rss(pid: u32) -> Option<u64> {
    super::bench::status_kib_of(&pid.to_string(), "VmHWM:").map(|kib| kib * 1024)
}

fn median(samples: &[Sample]) -> Sample {
    let mut times: Vec<Duration> = samples.iter().map(|sample| sample.time).collect();
    let mut peaks: Vec<u64> = samples.iter().map(|sample| sample.peak).collect();
    times.sort();
    peaks.sort();
    Sample {
        time: times.get(times.len() / 2).copied().unwrap_or_default(),
        peak: peaks.get(peaks.len() / 2).copied().unwrap_or_default(),
    }
}

fn mebibytes(bytes: u64) -> String {
    match bytes {
        0 => "–".to_string(),
        _ => format!("{:.0} MiB", bytes as f64 / f64::from(1 << 20)),
    }
}

fn ratio(value: f64, base: f64) -> String {
    match base > 0.0 && value > 0.0 {
        true => format!("{:.2}×", value / base),
        false => "–".to_string(),
    }
}
