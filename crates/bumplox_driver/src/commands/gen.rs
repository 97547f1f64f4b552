//! `bumplox gen [--size N] [--seed S]`: prints a generated Lox program.

use crate::cli::Options;
use crate::exit;

/// The size `gen` and `bench` use when none is given.
pub const DEFAULT_SIZE: usize = 10_000_000;

pub fn run(options: &Options) -> i32 {
    let text = bumplox_corpus::generate(options.size.unwrap_or(DEFAULT_SIZE), options.seed);
    crate::stdio::out(&text);
    exit::SUCCESS
}
