//! A compilation session: reading a source file, and parsing it with the chosen
//! allocation strategy into a tree that lives exactly as long as its arena.

use bumplox_parser::Parse;
use bumplox_source::{SourceError, SourceFile};
use bumplox_tree::{Alloc, BoxBuilder, BumpBuilder, TypedArenas, TypedBuilder};

/// The allocation strategy chosen with `--alloc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AllocChoice {
    /// One bumpalo arena for the whole tree
    Bump,
    /// One typed-arena per node kind
    Typed,
    /// Plain Box and Vec (the baseline)
    #[value(name = "box")]
    Boxed,
}

impl AllocChoice {
    /// The strategy's name on the command line (`--alloc NAME`).
    pub fn name(self) -> String {
        match clap::ValueEnum::to_possible_value(&self) {
            Some(value) => value.get_name().to_string(),
            // Every variant has a name: none is marked `#[value(skip)]`.
            None => format!("{self:?}"),
        }
    }
}

/// Why a file could not become a source.
#[derive(Debug)]
pub enum LoadError {
    /// It could not be read: missing, a directory, no permission (exit 74).
    Io(String),
    /// It was read but cannot be compiled: too large, or not UTF-8 (exit 65).
    Source(SourceError),
}

/// Reads a file (`-` is standard input) into a source file.
pub fn load(path: &str) -> Result<SourceFile, LoadError> {
    let bytes = match path {
        "-" => {
            let mut bytes = Vec::new();
            match std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
                Ok(_) => bytes,
                Err(error) => {
                    return Err(LoadError::Io(format!(
                        "cannot read standard input: {error}"
                    )))
                }
            }
        }
        _ => match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                return Err(LoadError::Io(format!(
                    "cannot read '{path}': it is a directory"
                )));
            }
            Ok(_) => match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(error) => {
                    return Err(LoadError::Io(format!(
                        "cannot read '{path}': {}",
                        io_reason(&error)
                    )))
                }
            },
            Err(error) => {
                return Err(LoadError::Io(format!(
                    "cannot read '{path}': {}",
                    io_reason(&error)
                )))
            }
        },
    };
    let name = match path {
        "-" => "<stdin>",
        _ => path,
    };
    SourceFile::from_bytes(name, bytes).map_err(LoadError::Source)
}

/// The OS error without Rust's `(os error N)` suffix, which means nothing to users.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

/// Work to do with a freshly parsed tree, whatever its strategy. A trait with
/// a generic method stands in for a closure generic over the strategy, which
/// Rust cannot express.
///
/// `reparse` parses the same text again into the same arena, knowing where
/// later stages found static errors (see `bumplox_parser::parse_with_static_errors`).
pub trait TreeTask {
    type Output;
    fn run<'a, A: Alloc<'a>>(
        self,
        parse: Parse<'a, A>,
        reparse: &dyn Fn(&[u32]) -> Parse<'a, A>,
    ) -> Self::Output;
}

/// Parses `text` with the chosen strategy and hands the tree to `task`. The
/// arena is created here and dropped when the task returns, so nothing built
/// from the tree can outlive the session by accident.
/// With `bump`, the arena may grow to about `max_memory` bytes before the
/// parser stops with an error.
pub fn parse_with<T: TreeTask>(
    choice: AllocChoice,
    max_memory: usize,
    text: &str,
    task: T,
) -> T::Output {
    match choice {
        AllocChoice::Bump => {
            let bump = bumpalo::Bump::new();
            let builder = BumpBuilder::with_limit(&bump, max_memory);
            let reparse =
                |errors: &[u32]| bumplox_parser::parse_with_static_errors(text, &builder, errors);
            task.run(reparse(&[]), &reparse)
        }
        AllocChoice::Typed => {
            let arenas = TypedArenas::new();
            let builder = TypedBuilder::new(&arenas);
            let reparse =
                |errors: &[u32]| bumplox_parser::parse_with_static_errors(text, &builder, errors);
            task.run(reparse(&[]), &reparse)
        }
        AllocChoice::Boxed => {
            let reparse = |errors: &[u32]| {
                bumplox_parser::parse_with_static_errors(text, &BoxBuilder, errors)
            };
            task.run(reparse(&[]), &reparse)
        }
    }
}
