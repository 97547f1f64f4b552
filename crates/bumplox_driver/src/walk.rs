//! Finding the `.lox` files below the paths a user names, for `check`, `fmt`
//! and `test`: folders are walked in sorted order, only regular files are
//! taken below them, symbolic links are not followed unless asked, loops among
//! followed links are reported, folders without a `.lox` file are noted, and
//! no file is visited twice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::session::io_reason;

/// The files to check, and the paths that could not be walked, each with
/// its message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Walk {
    pub files: Vec<String>,
    pub problems: Vec<(String, String)>,
    /// Links followed back to a folder being walked (with `follow`): each
    /// with its message. Not a failure: everything they lead to is walked
    /// once anyway.
    pub loops: Vec<(String, String)>,
    /// Folders named on the command line that hold no `.lox` file, as named:
    /// not a failure, but likely not what was meant.
    pub empty_folders: Vec<String>,
}

/// Every file to check below `paths`, each once, in order: a path named on
/// the command line is checked whatever it is (a FIFO or `/dev/stdin` too), a
/// folder is walked for regular `.lox` files (sorted, so output is the same on
/// every machine). Symbolic links met while walking are skipped unless
/// `follow` is set; when they are followed, a link back to a folder being
/// walked is reported instead of walked again, saying that it is being
/// `doing` (`"checked"`, `"formatted"`).
pub fn lox_files(paths: &[String], follow: bool, doing: &str) -> Walk {
    let mut walk = Walk::default();
    let mut seen = HashSet::new();
    for path in paths {
        // `metadata` follows a link: a link to a folder named on the command
        // line is walked, as the user asked for it by name.
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                // A folder named twice is walked once.
                if seen.insert(file_id(Path::new(path), &metadata))
                    && walk_folder(Path::new(path), follow, doing, &mut seen, &mut walk) == 0
                {
                    walk.empty_folders.push(path.clone());
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

/// Walks `root` into `walk`, and says how many `.lox` files it holds (those
/// already met under another name too).
fn walk_folder(
    root: &Path,
    follow: bool,
    doing: &str,
    seen: &mut HashSet<FileId>,
    walk: &mut Walk,
) -> usize {
    let mut found = 0;
    let entries = walkdir::WalkDir::new(root)
        .follow_links(follow)
        .sort_by_file_name();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let problem = walk_problem(&error, doing);
                match error.loop_ancestor() {
                    Some(_) => walk.loops.push(problem),
                    None => walk.problems.push(problem),
                }
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
        found += 1;
        let id = match entry.metadata() {
            Ok(metadata) => file_id(entry.path(), &metadata),
            Err(_) => FileId::Path(entry.path().to_path_buf()),
        };
        if seen.insert(id) {
            walk.files.push(entry.path().to_string_lossy().into_owned());
        }
    }
    found
}

/// What a folder entry that could not be walked is reported as.
fn walk_problem(error: &walkdir::Error, doing: &str) -> (String, String) {
    let path = error
        .path()
        .map_or_else(String::new, |path| path.to_string_lossy().into_owned());
    if let Some(ancestor) = error.loop_ancestor() {
        let message = format!(
            "skipped '{path}': it links back to '{}', which is being {doing}",
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

#[cfg(test)]
mod tests {
    use super::{lox_files, Walk};
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

        let walk = lox_files(std::slice::from_ref(&root), false, "checked");
        assert_eq!(names(&dir, &walk), ["a.lox", "sub/b.lox"]);
        assert_eq!(walk.problems, []);

        // The folder named twice is walked once.
        let walk = lox_files(&[root.clone(), root], true, "checked");
        // `c.lox` is `sub/b.lox` by another name: checked once, first met.
        assert_eq!(names(&dir, &walk), ["a.lox", "c.lox"]);
        assert_eq!(walk.problems, []);
        let loops: Vec<&str> = walk
            .loops
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
        let walk = lox_files(
            &[file.clone(), dir.to_string_lossy().into_owned(), file],
            false,
            "checked",
        );
        assert_eq!(names(&dir, &walk), ["a.lox", "sub/b.lox"]);
        assert_eq!(walk.empty_folders, Vec::<String>::new());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
