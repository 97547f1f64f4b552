//! Deterministic generation of realistic Lox source of any size, for
//! benchmarks: [`generate`]`(size, seed)` returns exactly `size` bytes of a
//! program that passes `bumplox check`, compiles within the bytecode limits of
//! the book's C compiler, and runs (it defines everything and prints a little).
//!
//! The generator walks the rules of `grammar/lox.ebnf` (compiled in), so every
//! form it writes is one the grammar defines, and a policy makes each choice
//! the grammar offers: which statement or expression, whether an optional part
//! is present, how many times a repetition runs. The policy keeps names bound,
//! `this`, `super` and `return` where they are allowed, nesting and expression
//! depth realistic, and every function within 240 constants, 200 locals and 200
//! upvalues (counted as the book's compiler counts them, one constant per use
//! of a global or property name). Large files stay within those limits by
//! nesting: a file of 100 MB is a few dozen functions and classes holding a few
//! dozen each, down to ordinary functions of a few hundred bytes.
//!
//! This crate does not lex, parse or check what it writes (its tests do, with
//! the real front-end), and uses no randomness but its own seeded generator.

mod ebnf;
mod generator;
mod layout;
mod model;
mod rng;
mod words;

pub use generator::Coverage;

use generator::{Annotated, Generator};

/// The grammar the generator follows: the project's `grammar/lox.ebnf`.
pub const GRAMMAR: &str = include_str!("../../../grammar/lox.ebnf");

/// The largest size [`generate`] accepts: a source file must fit `u32` offsets.
pub const MAX_SIZE: usize = u32::MAX as usize;

/// Generates `size` bytes of Lox source (at most [`MAX_SIZE`]) from `seed`.
/// The same size and seed give the same text on every machine.
pub fn generate(size: usize, seed: u64) -> String {
    generate_with_coverage(size, seed).0
}

/// Like [`generate`], and also tells which parts of the grammar were used.
pub fn generate_with_coverage(size: usize, seed: u64) -> (String, Coverage) {
    let size = size.min(MAX_SIZE);
    // The grammar is compiled in and the tests read it, so it cannot fail here
    // unless the grammar and the generator were changed apart.
    let grammar = match ebnf::read(GRAMMAR).and_then(Annotated::new) {
        Ok(grammar) => grammar,
        Err(error) => panic!("grammar/lox.ebnf does not fit the corpus generator: {error}"),
    };
    let header = format!("// Lox corpus by bumplox_corpus: {size} bytes from seed {seed}.\n");
    // The plan aims a little short of the size; comment lines fill the rest.
    // If the program still came out too long (only likely for tiny sizes) it
    // is written again with a smaller plan: still deterministic.
    let margin = (size / 200).clamp(48, 2048);
    let mut target = size.saturating_sub(header.len() + margin);
    loop {
        let mut generator = Generator::new(&grammar, seed, target, size + 64);
        match header.len() <= size {
            true => generator.layout.out.push_str(&header),
            false => target = 0,
        }
        if target > 0 {
            generator.program();
        }
        let (mut text, coverage) = generator.finish();
        if text.len() <= size {
            pad(&mut text, size, seed);
            return (text, coverage);
        }
        target = target.saturating_sub(text.len() - size + 64);
    }
}

/// Appends comment lines (or, for the last few bytes, empty lines) until
/// `text` is exactly `size` bytes.
fn pad(text: &mut String, size: usize, seed: u64) {
    let mut rng = rng::Rng::new(seed ^ 0x5EED);
    let mut line = String::new();
    while text.len() < size {
        let gap = size - text.len();
        if gap < 8 {
            text.push('\n');
            continue;
        }
        line.clear();
        line.push_str("// ");
        line.push_str(&words::sentence(&mut rng));
        let room = gap - 1;
        // A whole sentence when it fits, else a cut one; the words are ASCII,
        // so any cut is a character boundary.
        line.truncate(room);
        while line.ends_with(' ') {
            line.pop();
        }
        text.push_str(&line);
        text.push('\n');
    }
}

/// Reads a size such as `10MB`, `1.5 MB`, `200kb`, `64KiB` or `1000`: decimal
/// units (`KB` = 1000 bytes, `MB`, `GB`) and binary ones (`KiB` = 1024, `MiB`,
/// `GiB`), in any case; a bare number counts bytes. Used for every size on
/// the command line (`--size`, `--max-memory`) so that they read alike.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let trimmed = text.trim();
    // Without this, the minus sign would read as the start of a unit.
    if trimmed.starts_with('-') {
        return Err(format!("a size cannot be negative: '{text}'"));
    }
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let scale: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "unknown size unit in '{text}' (use B, KB, MB, GB, KiB, MiB or GiB)"
            ))
        }
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (number, ""),
    };
    let bad = || format!("'{text}' is not a size (for example 10MB or 512KiB)");
    if whole.is_empty() || fraction.contains('.') {
        return Err(bad());
    }
    let whole: u64 = whole.parse().map_err(|_| bad())?;
    // The fraction is scaled with integers, so 1.5MB is exactly 1,500,000.
    let mut fraction_value: u64 = 0;
    let mut denominator: u64 = 1;
    for digit in fraction.chars().take(9) {
        fraction_value = fraction_value * 10 + u64::from(digit.to_digit(10).unwrap_or(0));
        denominator *= 10;
    }
    let bytes = whole
        .checked_mul(scale)
        .and_then(|bytes| bytes.checked_add(fraction_value * scale / denominator))
        .ok_or_else(bad)?;
    usize::try_from(bytes).map_err(|_| bad())
}

/// Reads the size of a corpus to generate, as [`parse_size`] does, refusing
/// sizes past the 4 GiB a source file may be.
pub fn parse_corpus_size(text: &str) -> Result<usize, String> {
    match parse_size(text)? {
        bytes if bytes <= MAX_SIZE => Ok(bytes),
        _ => Err(format!(
            "'{text}' is larger than the 4 GiB a source file may be"
        )),
    }
}

#[cfg(test)]
mod tests;
