//! A compilation session: reading a source file, and parsing it with the chosen
//! allocation strategy into a tree that lives exactly as long as its arena.

use std::io::Read;

use bumplox_parser::Parse;
use bumplox_source::{SourceError, SourceFile, MAX_SOURCE_LEN};
use bumplox_tree::{Alloc, Builder, Strategy, WithBuilder};

/// The allocation strategy chosen with `--alloc`: one of [`Strategy::ALL`],
/// whose names and descriptions are the option's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocChoice(pub Strategy);

impl AllocChoice {
    pub const BUMP: AllocChoice = AllocChoice(Strategy::Bump);

    /// The strategy's name on the command line (`--alloc NAME`).
    pub fn name(self) -> String {
        self.0.name().to_string()
    }
}

/// Every `--alloc` value, in [`Strategy::ALL`]'s order.
const ALLOC_CHOICES: [AllocChoice; Strategy::ALL.len()] = {
    let mut choices = [AllocChoice::BUMP; Strategy::ALL.len()];
    let mut index = 0;
    while index < choices.len() {
        choices[index] = AllocChoice(Strategy::ALL[index]);
        index += 1;
    }
    choices
};

impl clap::ValueEnum for AllocChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &ALLOC_CHOICES
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.description()))
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

/// The name a path goes by in messages: `-` is standard input.
pub fn source_name(path: &str) -> &str {
    match path {
        "-" => "<stdin>",
        _ => path,
    }
}

/// Reads a file (`-` is standard input) into a source file of at most
/// `max_memory` bytes (and never more than `MAX_SOURCE_LEN`).
///
/// A regular file's size is known before it is read, so a file that is too
/// large is refused without reading a byte of it, and one that fits is read in
/// one go into a buffer of its size. Anything else (standard input, a pipe, a
/// device such as `/dev/zero`) is read up to one byte past the limit and no
/// further. Opening a FIFO waits for a writer, as `bumplox run /dev/stdin`
/// needs; `check` never hands this a FIFO it found in a folder.
pub fn load(path: &str, max_memory: usize) -> Result<SourceFile, LoadError> {
    let limit = max_memory.min(MAX_SOURCE_LEN);
    let bytes = match path {
        "-" => read_limited(std::io::stdin().lock(), None, limit, |error| {
            LoadError::Io(format!("cannot read standard input: {}", io_reason(&error)))
        })?,
        _ => load_path(path, limit)?,
    };
    SourceFile::from_bytes(source_name(path), bytes).map_err(LoadError::Source)
}

/// Reads the file at `path` (not standard input), refusing a regular file
/// larger than `limit` before reading it.
fn load_path(path: &str, limit: usize) -> Result<Vec<u8>, LoadError> {
    let cannot_read = |error: std::io::Error| {
        LoadError::Io(format!("cannot read '{path}': {}", io_reason(&error)))
    };
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let metadata = file.metadata().map_err(cannot_read)?;
    if metadata.is_dir() {
        return Err(LoadError::Io(format!(
            "cannot read '{path}': it is a directory"
        )));
    }
    let size = match metadata.is_file() {
        true => Some(metadata.len()),
        false => None,
    };
    match size {
        Some(len) if len > limit as u64 => Err(LoadError::Source(SourceError::TooLarge {
            len: Some(len),
            limit,
        })),
        _ => read_limited(file, size, limit, cannot_read),
    }
}

/// Reads `reader` to its end, or stops one byte past `limit` and says the
/// source is too large. `size` is the expected length, when known, so that the
/// buffer is allocated once, at its full size.
fn read_limited(
    reader: impl Read,
    size: Option<u64>,
    limit: usize,
    cannot_read: impl Fn(std::io::Error) -> LoadError,
) -> Result<Vec<u8>, LoadError> {
    // A file that grows while it is read is still cut off by `take`.
    let capacity = size.map_or(0, |len| usize::try_from(len).unwrap_or(limit).min(limit));
    let mut bytes = Vec::with_capacity(capacity);
    let read_at_most = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut reader = reader.take(read_at_most);
    match size {
        Some(_) => {
            reader.read_to_end(&mut bytes).map_err(cannot_read)?;
        }
        None => read_stream(&mut reader, &mut bytes).map_err(cannot_read)?,
    }
    match bytes.len() > limit {
        true => Err(LoadError::Source(SourceError::TooLarge {
            len: None,
            limit,
        })),
        false => Ok(bytes),
    }
}

/// Reads a stream (standard input, a pipe, a device) to its end, checking
/// that it is UTF-8 as it goes and stopping just past the first byte that is
/// not: from there on it cannot become a source, and a device such as
/// `/dev/urandom` would otherwise be read up to the size limit first. What
/// was read, the bad byte last, is then reported with the byte's position.
fn read_stream(reader: &mut impl Read, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    let mut chunk = vec![0u8; 64 * 1024];
    let mut checked = 0;
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        bytes.extend_from_slice(&chunk[..read]);
        // A character cut by the chunk's end is checked again with the rest
        // of it; a byte that can start no character ends the reading.
        match std::str::from_utf8(&bytes[checked..]) {
            Ok(_) => checked = bytes.len(),
            Err(error) => match error.error_len() {
                None => checked += error.valid_up_to(),
                Some(_) => {
                    bytes.truncate(checked + error.valid_up_to() + 1);
                    return Ok(());
                }
            },
        }
    }
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
/// The tree may grow to about `max_memory` bytes (for the strategies that can
/// tell) before the parser stops with an error.
pub fn parse_with<T: TreeTask>(
    choice: AllocChoice,
    max_memory: usize,
    text: &str,
    task: T,
) -> T::Output {
    bumplox_tree::with_builder(choice.0, Some(max_memory), Session { text, task })
}

/// Parses a session's text with the builder [`parse_with`] chose.
struct Session<'x, T> {
    text: &'x str,
    task: T,
}

impl<'x, T: TreeTask> WithBuilder<'x> for Session<'x, T> {
    type Output = T::Output;

    fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> T::Output
    where
        'x: 'a,
    {
        let text: &'a str = self.text;
        let reparse =
            |errors: &[u32]| bumplox_parser::parse_with_static_errors(text, builder, errors);
        self.task.run(reparse(&[]), &reparse)
    }
}
