//! `bumplox check PATH...`: compile many files in parallel (everything `run`
//! does before running, code generation included, with the bytecode thrown
//! away), print their diagnostics in order, and sum up.

use bumplox_diagnostics::ErrorFormat;
use rayon::prelude::*;

use crate::cli::Options;
use crate::compile::{compile_in_pieces, Bytecode};
use crate::exit;
use crate::output;
use crate::session::{load, source_name, LoadError};
use crate::walk;

/// What checking one file came to.
enum Outcome {
    Checked { errors: usize, text: String },
    Unreadable { text: String },
}

pub fn run(paths: &[String], options: &Options) -> i32 {
    let walk = walk::lox_files(paths, options.follow, "checked");
    // Each file gets its own session and arena on whichever thread checks it;
    // only the results come back, in the order the files were named.
    let outcomes: Vec<Outcome> = walk
        .files
        .par_iter()
        .map(|path| check_one(path, options))
        .collect();
    let mut summary = Summary {
        unreadable: walk.problems.len(),
        ..Summary::default()
    };
    for (path, message) in &walk.loops {
        output::print_file_warning(path, message, options);
    }
    for (path, message) in &walk.problems {
        output::print_file_error(path, message, options);
    }
    for outcome in &outcomes {
        match outcome {
            Outcome::Checked { errors, text } => {
                crate::stdio::err(text);
                summary.files += 1;
                summary.errors += errors;
                summary.files_with_errors += usize::from(*errors > 0);
            }
            Outcome::Unreadable { text } => {
                crate::stdio::err(text);
                summary.unreadable += 1;
            }
        }
    }
    match options.error_format {
        // The book's format has no summary: its output is errors only.
        ErrorFormat::Lox => {}
        // One JSON object a line, like every diagnostic, so that the stream
        // stays readable by `jq` and the like.
        ErrorFormat::Json => crate::stdio::err_line(&summary.json()),
        ErrorFormat::Rich => crate::stdio::err_line(&summary.human()),
    }
    match (summary.errors, summary.unreadable) {
        (0, 0) => exit::SUCCESS,
        (0, _) => exit::IO_ERROR,
        _ => exit::COMPILE_ERROR,
    }
}

/// The counts a `check` ends with.
#[derive(Debug, Default)]
struct Summary {
    /// Files read and compiled.
    files: usize,
    errors: usize,
    files_with_errors: usize,
    /// Files and folders that could not be read.
    unreadable: usize,
}

impl Summary {
    fn human(&self) -> String {
        let plural = |count: usize, word: &str| match count {
            1 => format!("1 {word}"),
            _ => format!("{count} {word}s"),
        };
        let mut text = format!("checked {}: ", plural(self.files, "file"));
        match self.errors {
            0 => text.push_str("no errors"),
            _ => text.push_str(&format!(
                "{} in {}",
                plural(self.errors, "error"),
                plural(self.files_with_errors, "file")
            )),
        }
        if self.unreadable > 0 {
            text.push_str(&format!(
                ", {} could not be read",
                plural(self.unreadable, "path")
            ));
        }
        text
    }

    fn json(&self) -> String {
        format!(
            "{{\"summary\":{{\"files\":{},\"errors\":{},\"files_with_errors\":{},\"unreadable\":{}}}}}",
            self.files, self.errors, self.files_with_errors, self.unreadable
        )
    }
}

fn check_one(path: &str, options: &Options) -> Outcome {
    let name = source_name(path);
    let file = match load(path, options.max_memory) {
        Ok(file) => file,
        Err(LoadError::Io(message)) => {
            return Outcome::Unreadable {
                text: output::file_error_text(name, &message, options),
            };
        }
        Err(LoadError::Source(error)) => {
            return Outcome::Checked {
                errors: 1,
                text: output::source_error_text(name, &error, options),
            };
        }
    };
    // Code generation finds errors of its own (too many constants, a loop
    // body too large to jump over): `check` must report all that `run` would.
    let compiled = compile_in_pieces(&file, options, Bytecode::Drop);
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
