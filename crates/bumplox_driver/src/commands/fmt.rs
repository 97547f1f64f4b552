//! `bumplox fmt [--check] PATH...`: format files in place (each rewritten
//! atomically, and only when its text changes), list those that would change
//! (`--check`), or format standard input to standard output (`-`).

use std::io::Write;
use std::path::{Path, PathBuf};

use bumplox_fmt::FormatError;
use rayon::prelude::*;

use crate::cli::Options;
use crate::exit;
use crate::output;
use crate::session::{io_reason, load, source_name, LoadError};
use crate::walk;

/// What formatting one file came to. Ordered by how much it weighs in the
/// exit code: the worst outcome of all the files decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// Already formatted, or rewritten.
    Done,
    /// `--check`: the file is not formatted.
    WouldChange,
    /// Syntax errors, or a source that is not UTF-8 or too large: untouched.
    CompileError,
    /// It could not be read or written.
    Io,
    /// The formatter failed: a bug.
    Internal,
}

/// One file's result: what goes to standard output and to standard error.
struct Outcome {
    status: Status,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn new(status: Status) -> Outcome {
        Outcome {
            status,
            stdout: String::new(),
            stderr: String::new(),
        }
    }
}

pub fn run(paths: &[String], options: &Options) -> i32 {
    let walk = walk::lox_files(paths, options.follow, "formatted");
    // Each file is formatted on whichever thread takes it; the output comes
    // back in the order the files were named.
    let outcomes: Vec<Outcome> = walk
        .files
        .par_iter()
        .map(|path| format_one(path, options))
        .collect();
    let mut worst = match walk.problems.is_empty() {
        true => Status::Done,
        false => Status::Io,
    };
    for (path, message) in &walk.loops {
        output::print_file_warning(path, message, options);
    }
    // Not a failure (a hook may format a folder with nothing in it yet), but
    // said, as a mistyped path would otherwise pass in silence.
    for folder in &walk.empty_folders {
        output::print_file_warning(folder, &format!("no .lox files in {folder}"), options);
    }
    for (path, message) in &walk.problems {
        output::print_file_error(path, message, options);
    }
    for outcome in &outcomes {
        crate::stdio::out(&outcome.stdout);
        crate::stdio::err(&outcome.stderr);
        worst = worst.max(outcome.status);
    }
    match worst {
        Status::Done => exit::SUCCESS,
        Status::WouldChange => exit::NOT_FORMATTED,
        Status::CompileError => exit::COMPILE_ERROR,
        Status::Io => exit::IO_ERROR,
        Status::Internal => exit::INTERNAL,
    }
}

fn format_one(path: &str, options: &Options) -> Outcome {
    let name = source_name(path);
    let file = match load(path, options.max_memory) {
        Ok(file) => file,
        Err(LoadError::Io(message)) => {
            let mut outcome = Outcome::new(Status::Io);
            outcome.stderr = output::file_error_text(name, &message, options);
            return outcome;
        }
        Err(LoadError::Source(error)) => {
            let mut outcome = Outcome::new(Status::CompileError);
            outcome.stderr = output::source_error_text(name, &error, options);
            return outcome;
        }
    };
    let formatted = match bumplox_fmt::format_with_limit(file.text(), Some(options.max_memory)) {
        Ok(text) => text,
        Err(FormatError::Syntax(diagnostics)) => {
            let mut outcome = Outcome::new(Status::CompileError);
            outcome.stderr = output::diagnostics_text(&file, &diagnostics, options);
            return outcome;
        }
        Err(FormatError::Internal(message)) => {
            let mut outcome = Outcome::new(Status::Internal);
            outcome.stderr = output::file_error_text(
                name,
                &format!("{name}: {message} (a bug in the formatter: please report it); the file is left as it was"),
                options,
            );
            return outcome;
        }
    };
    let changed = formatted != file.text();
    match (options.fmt_check, path) {
        (true, _) if changed => {
            let mut outcome = Outcome::new(Status::WouldChange);
            outcome.stdout = format!("{name}\n");
            outcome
        }
        (true, _) => Outcome::new(Status::Done),
        (false, "-") => {
            let mut outcome = Outcome::new(Status::Done);
            outcome.stdout = formatted;
            outcome
        }
        (false, _) if !changed => Outcome::new(Status::Done),
        (false, _) => match write_atomically(Path::new(path), &formatted) {
            Ok(()) => Outcome::new(Status::Done),
            Err(error) => {
                let mut outcome = Outcome::new(Status::Io);
                outcome.stderr = output::file_error_text(
                    name,
                    &format!("cannot write '{path}': {}", io_reason(&error)),
                    options,
                );
                outcome
            }
        },
    }
}

/// Replaces the file at `path` with `text` so that it is never half written:
/// the text goes to a new file in the same folder (so that the rename stays
/// on one file system), with the old file's permissions, is synced, and is
/// renamed over the old one. A link is followed: its target is replaced, and
/// the link stays. On failure the temporary file is removed and the old file
/// is as it was.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let folder = target.parent().unwrap_or(Path::new("."));
    let file_name = target
        .file_name()
        .map_or_else(|| "file".into(), |name| name.to_string_lossy());
    let temporary: PathBuf = folder.join(format!(
        ".{file_name}.bumplox-fmt-{}.tmp",
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
