//! Finding the `.lox` files below the paths a user names, for `check` and
//! `test`: folders are walked in sorted order, symbolic links are not followed
//! unless asked, and no file is visited twice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a walk found: the files to read, in order, and why any path named or
/// met could not be walked (one line each, without the `error: ` prefix).
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<String>,
    pub problems: Vec<String>,
}

/// Every file named in `paths`, and every regular `.lox` file below each
/// folder in `paths`. A path named on the command line is taken as it is,
/// whatever kind of file it is (users pipe programs through `/dev/stdin`),
/// but below a folder only regular files count, so a FIFO or a device that
/// happens to be called `x.lox` cannot hang or flood the walk. With `follow`,
/// symbolic links below folders are followed and loops among them are
/// reported rather than walked.
pub fn lox_files(paths: &[String], follow: bool) -> Found {
    let mut found = Found::default();
    let mut seen = HashSet::new();
    for path in paths {
        if !Path::new(path).is_dir() {
            found.files.push(path.clone());
            continue;
        }
        let walk = walkdir::WalkDir::new(path)
            .follow_links(follow)
            .sort_by_file_name();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    found.problems.push(walk_problem(&error));
                    continue;
                }
            };
            let is_lox = entry.path().extension().is_some_and(|ext| ext == "lox");
            if !is_lox || !entry.file_type().is_file() {
                continue;
            }
            // The same file reached twice (two named folders that overlap, or
            // links when following) is checked once.
            let identity =
                std::fs::canonicalize(entry.path()).unwrap_or_else(|_| PathBuf::from(entry.path()));
            if seen.insert(identity) {
                found
                    .files
                    .push(entry.path().to_string_lossy().into_owned());
            }
        }
    }
    found
}

/// One line saying why part of a folder could not be walked.
fn walk_problem(error: &walkdir::Error) -> String {
    let path = error
        .path()
        .map_or_else(String::new, |path| path.display().to_string());
    if let Some(ancestor) = error.loop_ancestor() {
        return format!(
            "'{path}' is a link back to '{}': a loop, not followed",
            ancestor.display()
        );
    }
    let reason = match error.io_error() {
        Some(io) => crate::session::io_reason(io),
        None => error.to_string(),
    };
    format!("cannot read '{path}': {reason}")
}
