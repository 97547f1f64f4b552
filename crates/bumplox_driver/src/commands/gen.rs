//! `bumplox gen [--size N] [--seed S]`: prints a generated Lox program.

use std::io::Write;

use crate::cli::Options;
use crate::exit;

/// The size `gen` and `bench` use when none is given.
pub const DEFAULT_SIZE: usize = 10_000_000;

pub fn run(options: &Options) -> i32 {
    let text = bumplox_corpus::generate(options.size.unwrap_or(DEFAULT_SIZE), options.seed);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`bumplox gen | head`) is not an error worth a message.
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => exit::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the program: {error}");
            exit::IO_ERROR
        }
    }
}
