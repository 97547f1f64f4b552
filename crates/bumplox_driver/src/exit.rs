//! Exit codes, following the BSD `sysexits.h` convention the book uses.

pub const SUCCESS: i32 = 0;
/// The command line was wrong (`EX_USAGE`).
pub const USAGE: i32 = 64;
/// The program has a compile error (`EX_DATAERR`).
pub const COMPILE_ERROR: i32 = 65;
/// The program failed at run time (`EX_SOFTWARE`).
pub const RUNTIME_ERROR: i32 = 70;
/// A file could not be read (`EX_IOERR`).
pub const IO_ERROR: i32 = 74;
/// bumplox itself failed: a bug.
pub const INTERNAL: i32 = 101;
/// `bumplox fmt --check`: a file is not formatted.
pub const NOT_FORMATTED: i32 = 1;
/// `bumplox test`: a test failed, or there was no test to run.
pub const TEST_FAILURE: i32 = 1;
/// `bumplox lsp`: the client sent `exit`, or closed the connection, before
/// `shutdown`, as the protocol's lifecycle defines the code.
pub const LSP_ABNORMAL_END: i32 = 1;
/// Standard output or error was a pipe whose reader had gone: what a shell
/// shows for a program killed by `SIGPIPE` (128 + 13), as `cat` would end.
pub const BROKEN_PIPE: i32 = 141;
