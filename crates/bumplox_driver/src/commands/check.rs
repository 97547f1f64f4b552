//! `bumplox check PATH...`: lex, parse and resolve many files in parallel, print
//! their diagnostics in order, and sum up.

use rayon::prelude::*;

use crate::cli::Options;
use crate::compile::compile;
use crate::exit;
use crate::output;
use crate::session::{load, LoadError};
use crate::walk;

/// What checking one file came to.
enum Outcome {
    Checked { errors: usize, text: String },
    Unreadable { text: String },
}

pub fn run(paths: &[String], options: &Options) -> i32 {
    let walk::Found {
        files,
        problems: missing,
    } = walk::lox_files(paths, options.follow);
    // Each file gets its own session and arena on whichever thread checks it;
    // only the results come back, in the order the files were named.
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|path| check_one(path, options))
        .collect();
    let mut error_count = 0;
    let mut files_with_errors = 0;
    let mut unreadable = missing.len();
    for message in &missing {
        output::print_file_error(message, message, options);
    }
    for outcome in &outcomes {
        match outcome {
            Outcome::Checked { errors, text } => {
                eprint!("{text}");
                error_count += errors;
                files_with_errors += usize::from(*errors > 0);
            }
            Outcome::Unreadable { text } => {
                eprint!("{text}");
                unreadable += 1;
            }
        }
    }
    let checked = files.len();
    let plural = |count: usize, word: &str| match count {
        1 => format!("1 {word}"),
        _ => format!("{count} {word}s"),
    };
    let mut summary = format!("checked {}: ", plural(checked, "file"));
    match error_count {
        0 => summary.push_str("no errors"),
        _ => summary.push_str(&format!(
            "{} in {}",
            plural(error_count, "error"),
            plural(files_with_errors, "file")
        )),
    }
    if unreadable > 0 {
        summary.push_str(&format!(
            ", {} could not be read",
            plural(unreadable, "file")
        ));
    }
    if options.error_format != bumplox_diagnostics::ErrorFormat::Lox {
        eprintln!("{summary}");
    }
    match (error_count, unreadable) {
        (0, 0) => exit::SUCCESS,
        (0, _) => exit::IO_ERROR,
        _ => exit::COMPILE_ERROR,
    }
}

fn check_one(path: &str, options: &Options) -> Outcome {
    let file = match load(path) {
        Ok(file) => file,
        Err(LoadError::Io(message)) => {
            return Outcome::Unreadable {
                text: format!("error: {message}\n"),
            };
        }
        Err(LoadError::Source(error)) => {
            return Outcome::Checked {
                errors: 1,
                text: format!("error: {path}: {error}\n"),
            };
        }
    };
    let compiled = compile(&file, options, false);
    let errors = compiled
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .count();
    Outcome::Checked {
        errors,
        text: output::diagnostics_text(&file, &compiled.diagnostics, options),
    }
}
