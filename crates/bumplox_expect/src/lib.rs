//! The book's test format: reading the expectations a Lox test file states in
//! its comments, running the file as a process with a time limit, judging the
//! run, and showing how its output differs from what was expected.
//!
//! Both `bumplox test` and the conformance test over the official suite
//! (`tests/suite.rs`) use it, so the two cannot disagree on what passes. It
//! does not know how to find or start bumplox: callers hand it a `Command`.

mod diff;
mod expectations;
mod judge;
mod process;
#[cfg(test)]
mod tests;

pub use diff::line_diff;
pub use expectations::{parse_expectations, Expectations, ExpectedOutput, ExpectedRuntimeError};
pub use judge::{judge, RunOutput, Termination};
pub use process::run_with_timeout;

/// The exit code of a program rejected at compile time (`EX_DATAERR`).
pub const EXIT_COMPILE_ERROR: i32 = 65;

/// The exit code of a program that failed at run time (`EX_SOFTWARE`).
pub const EXIT_RUNTIME_ERROR: i32 = 70;
