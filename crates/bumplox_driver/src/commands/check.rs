//! `bumplox check PATH...`: compile many files in parallel (everything `run`
//! does before running, code generation included, with the bytecode thrown
//! away), print their diagnostics in order, and sum up.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use bumplox_diagnostics::ErrorFormat;
use rayon::prelude::*;

use crate::cli::Options;
use crate::compile::compile;
use crate::exit;
use crate::output;
use crate::session::{io_reason, load, source_name, LoadError};

/// What checking one file came to.
enum Outcome {
    Checked { errors: usize, text: String },
    Unreadable { text: String },
}

/// The files to check, and the paths that could not be walked, each with
/// its message.
#[derive(Debug, Default, PartialEq, Eq)]
struct Walk {
    files: Vec<String>,
    problems: Vec<(String, String)>,
}

pub fn run(paths: &[String], options: &Options) -> i32 {
    let walk = collect(paths, options.follow);
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

/// Every file to check below `paths`, each once, in order: a path named on
/// the command line is checked whatever it is (a FIFO or `/dev/stdin` too), a
/// folder is walked for regular `.lox` files (sorted, so output is the same on
/// every machine). Symbolic links met while walking are skipped unless
/// `follow` is set; when they are followed, a link back to a folder being
/// walked is reported instead of walked again.
fn collect(paths: &[String], follow: bool) -> Walk {
    let mut walk = Walk::default();
    let mut seen = HashSet::new();
    for path in paths {
        // `metadata` follows a link: a link to a folder named on the command
        // line is walked, as the user asked for it by name.
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                // A folder named twice is walked once.
                if seen.insert(file_id(Path::new(path), &metadata)) {
                    walk_folder(Path::new(path), follow, &mut seen, &mut walk);
                }
            }
            Ok(metadata) => {
                if seen.insert(file_id(Path::new(path), &metadata)) {
                    walk.files.push(path.clone());
                }
            }
            // Missing, or `-`: reading it will say what is wrong.
            Err(_) => walk.files.push(path.clone()),
        }
    }
    walk
}

fn walk_folder(root: &Path, follow: bool, seen: &mut HashSet<FileId>, walk: &mut Walk) {
    let entries = walkdir::WalkDir::new(root)
        .follow_links(follow)
        .sort_by_file_name();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                walk.problems.push(walk_problem(&error));
                continue;
            }
        };
        // Only regular files: a FIFO would wait for a writer forever and a
        // device such as `/dev/zero` never ends. Without `follow`, a link's
        // type is "link", so links are skipped here too.
        let is_lox = entry.file_type().is_file()
            && entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "lox");
        if !is_lox {
            continue;
        }
        let id = match entry.metadata() {
            Ok(metadata) => file_id(entry.path(), &metadata),
            Err(_) => FileId::Path(entry.path().to_path_buf()),
        };
        if seen.insert(id) {
            walk.files.push(entry.path().to_string_lossy().into_owned());
        }
    }
}

/// What a folder entry that could not be walked is reported as.
fn walk_problem(error: &walkdir::Error) -> (String, String) {
    let path = error
        .path()
        .map_or_else(String::new, |path| path.to_string_lossy().into_owned());
    if let Some(ancestor) = error.loop_ancestor() {
        let message = format!(
            "skipped '{path}': it links back to '{}', which is being checked",
            ancestor.display()
        );
        return (path, message);
    }
    let what = match error.path().is_some_and(Path::is_dir) {
        true => "folder ",
        false => "",
    };
    let reason = match error.io_error() {
        Some(io) => io_reason(io),
        None => error.to_string(),
    };
    let message = format!("cannot read {what}'{path}': {reason}");
    (path, message)
}

/// What makes two paths one file: its device and inode where the system has
/// them (hard links and links followed are one file), else its canonical path.
#[derive(Debug, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

#[cfg(unix)]
fn file_id(_path: &Path, metadata: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId::Inode(metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn file_id(path: &Path, _metadata: &std::fs::Metadata) -> FileId {
    FileId::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
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
    let compiled = compile(&file, options, true);
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

#[cfg(test)]
mod tests {
    use super::{collect, Walk};
    use std::path::{Path, PathBuf};

    /// A scratch folder for one test, emptied first.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("bumplox-check-unit-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("a scratch folder");
        std::fs::write(dir.join("a.lox"), "print 1;").expect("a scratch file");
        std::fs::write(dir.join("sub/b.lox"), "print 2;").expect("a scratch file");
        dir
    }

    fn names(root: &Path, walk: &Walk) -> Vec<String> {
        walk.files
            .iter()
            .map(|file| {
                Path::new(file)
                    .strip_prefix(root)
                    .expect("below the root")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn links_are_skipped_or_followed_once_and_loops_are_reported() {
        let dir = scratch("links");
        std::os::unix::fs::symlink(".", dir.join("loop")).expect("a link");
        std::os::unix::fs::symlink(".", dir.join("sub/loop")).expect("a link");
        std::os::unix::fs::symlink("sub/b.lox", dir.join("c.lox")).expect("a link");
        // Followed, it is a device, not a regular file: never read.
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.lox")).expect("a link");
        let root = dir.to_string_lossy().into_owned();

        let walk = collect(std::slice::from_ref(&root), false);
        assert_eq!(names(&dir, &walk), ["a.lox", "sub/b.lox"]);
        assert_eq!(walk.problems, []);

        // The folder named twice is walked once.
        let walk = collect(&[root.clone(), root], true);
        // `c.lox` is `sub/b.lox` by another name: checked once, first met.
        assert_eq!(names(&dir, &walk), ["a.lox", "c.lox"]);
        let loops: Vec<&str> = walk
            .problems
            .iter()
            .map(|(_, message)| message.as_str())
            .collect();
        assert_eq!(loops.len(), 2, "{loops:?}");
        assert!(
            loops
                .iter()
                .all(|message| message.contains("links back to")),
            "{loops:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_named_twice_is_checked_once() {
        let dir = scratch("twice");
        let file = dir.join("a.lox").to_string_lossy().into_owned();
        let walk = collect(
            &[file.clone(), dir.to_string_lossy().into_owned(), file],
            false,
        );
        assert_eq!(names(&dir, &walk), ["a.lox", "sub/b.lox"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
