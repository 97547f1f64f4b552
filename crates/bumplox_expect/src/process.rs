//! Running one test program as a child process, with a time limit, both of
//! its outputs drained on threads of their own.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::judge::{RunOutput, Termination};

/// Runs `command` with no standard input and both outputs captured, killing it
/// if it outlives `timeout`.
pub fn run_with_timeout(mut command: Command, timeout: Duration) -> Result<RunOutput, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start {:?}: {error}", command.get_program()))?;

    // Both pipes are drained on their own threads so that a chatty program cannot block
    // on a full pipe, and their closing tells when the program is done without polling.
    let (sender, receiver) = mpsc::channel();
    let stdout = child.stdout.take().map(|pipe| drain(pipe, sender.clone()));
    let stderr = child.stderr.take().map(|pipe| drain(pipe, sender));
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    for _ in 0..2 {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(remaining) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                break;
            }
        }
    }
    if timed_out {
        // Killing the child we spawned closes its pipes, which lets the readers finish.
        let _ = child.kill();
    }
    let status = child
        .wait()
        .map_err(|error| format!("could not wait for the program: {error}"))?;
    let stdout = join_reader(stdout)?;
    let stderr = join_reader(stderr)?;
    let termination = if timed_out {
        Termination::TimedOut(timeout)
    } else {
        termination_of(status)
    };
    Ok(RunOutput {
        termination,
        stdout,
        stderr,
    })
}

/// Reads a pipe to its end on a new thread, then signals the channel.
fn drain<R: Read + Send + 'static>(
    mut pipe: R,
    done: mpsc::Sender<()>,
) -> thread::JoinHandle<std::io::Result<Vec<u8>>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let result = pipe.read_to_end(&mut bytes).map(|_| bytes);
        let _ = done.send(());
        result
    })
}

fn join_reader(
    reader: Option<thread::JoinHandle<std::io::Result<Vec<u8>>>>,
) -> Result<String, String> {
    let Some(reader) = reader else {
        return Ok(String::new());
    };
    let bytes = reader
        .join()
        .map_err(|_| "a pipe reader panicked".to_owned())?
        .map_err(|error| format!("could not read the program's output: {error}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(unix)]
fn termination_of(status: ExitStatus) -> Termination {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => Termination::Exited(code),
        (None, Some(signal)) => Termination::Signaled(signal),
        (None, None) => Termination::Unknown,
    }
}

#[cfg(not(unix))]
fn termination_of(status: ExitStatus) -> Termination {
    match status.code() {
        Some(code) => Termination::Exited(code),
        None => Termination::Unknown,
    }
}
