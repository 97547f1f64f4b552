//! Every write to standard output and standard error, and what a failed write
//! means: a closed pipe ends the process quietly, any other failure with exit 74.
//!
//! `print!` and `eprint!` panic when a write fails, and a panic hook that cannot
//! print either aborts the process; so the driver writes through this module
//! only, and nothing here panics.

use std::io::Write;

use crate::exit;

/// Which standard stream a write went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "standard output",
            Stream::Stderr => "standard error",
        }
    }
}

/// Writes `text` to standard output and flushes it, or ends the process (see [`fail`]).
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        fail(Stream::Stdout, &error);
    }
}

/// Writes `text` to standard error, or ends the process (see [`fail`]).
pub fn err(text: &str) {
    let mut stderr = std::io::stderr().lock();
    if let Err(error) = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush())
    {
        fail(Stream::Stderr, &error);
    }
}

/// Writes `line` and a newline to standard error, or ends the process.
pub fn err_line(line: &str) {
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    err(&text);
}

/// Ends the process after a failed write to `stream`.
///
/// A closed pipe means the reader has all it wants (`bumplox check | head -1`):
/// the process stops at once and says nothing, with the status a shell shows
/// for a program killed by `SIGPIPE`, as C programs and `cat` end. Any other
/// failure (a full disk, an I/O error) loses output the user asked for, so it
/// is an I/O error: said on standard error when that is not the stream that
/// failed, and exit 74.
pub fn fail(stream: Stream, error: &std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(exit::BROKEN_PIPE);
    }
    if stream == Stream::Stdout {
        let message = format!(
            "error: cannot write to {}: {}\n",
            stream.name(),
            crate::session::io_reason(error)
        );
        // Standard error may be broken too; then there is no one left to tell.
        let _ = std::io::stderr().lock().write_all(message.as_bytes());
    }
    std::process::exit(exit::IO_ERROR)
}

/// Standard output as an [`std::io::Write`] for code that takes a writer (the
/// VM, the token lister): a failed write ends the process as [`fail`] says, so
/// the code writing never sees the error. Wrap it in a `BufWriter` for speed;
/// the buffer's own flush, even on drop, goes through here.
pub fn stdout() -> Fatal<std::io::StdoutLock<'static>> {
    Fatal {
        inner: std::io::stdout().lock(),
        stream: Stream::Stdout,
    }
}

/// A writer whose failures end the process; see [`stdout`].
pub struct Fatal<W> {
    inner: W,
    stream: Stream,
}

impl<W: Write> Write for Fatal<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.inner.write(bytes) {
            Ok(written) => Ok(written),
            // `write_all` retries an interrupted write; it is not a failure.
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => Err(error),
            Err(error) => fail(self.stream, &error),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.inner.flush() {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => Err(error),
            Err(error) => fail(self.stream, &error),
        }
    }
}
