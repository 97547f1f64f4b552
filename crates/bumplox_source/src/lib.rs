//! Source files and byte spans: the text a compilation reads, its line index, and
//! the `u32` ranges every later stage uses to point into it.
//!
//! This crate does not read files (that is the driver's job) and does not render
//! diagnostics (that is `bumplox_diagnostics`'s job).

mod escape;
mod span;

pub use escape::write_json_string;
pub use span::{in_sorted_spans, Span};

/// The largest source the compiler accepts: spans are `u32` byte offsets, and an
/// end offset must be representable too, so the text must be shorter than
/// `u32::MAX` bytes.
pub const MAX_SOURCE_LEN: usize = u32::MAX as usize - 1;

/// The UTF-8 byte-order mark, which some editors put at the start of a file.
const BOM: &str = "\u{feff}";

/// Why raw bytes could not become a [`SourceFile`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceError {
    /// The input is longer than `limit` bytes: [`MAX_SOURCE_LEN`], or less
    /// when the driver was asked to keep to less memory. `len` is its length
    /// when known: the reader of a stream stops one byte past the limit.
    TooLarge { len: Option<u64>, limit: usize },
    /// The input is not UTF-8; the position is that of the first bad byte
    /// (lines and columns are 1-based, the offset is 0-based, all counted in
    /// the input as given, byte-order mark included).
    InvalidUtf8 {
        offset: usize,
        line: u32,
        column: u32,
    },
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::TooLarge {
                len: Some(len),
                limit,
            } => write!(
                f,
                "source is {len} bytes, more than the {limit} bytes a source file may hold"
            ),
            SourceError::TooLarge { len: None, limit } => write!(
                f,
                "source is more than the {limit} bytes a source file may hold"
            ),
            SourceError::InvalidUtf8 {
                offset,
                line,
                column,
            } => write!(
                f,
                "invalid UTF-8 at line {line}, column {column} (byte offset {offset})"
            ),
        }
    }
}

/// One source file: its name, its text and where each line starts.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// Byte offset of the start of each line; the first entry is always 0.
    /// Computed on first use: a file that compiles without errors and is not
    /// run never needs it, and scanning 100 MB for newlines is not free.
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// Builds a source file from text already known to be UTF-8. A leading
    /// byte-order mark is dropped, so offsets count from the first real character.
    pub fn new(
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> Result<SourceFile, SourceError> {
        let mut text = text.into();
        if text.len() > MAX_SOURCE_LEN {
            return Err(SourceError::TooLarge {
                len: Some(text.len() as u64),
                limit: MAX_SOURCE_LEN,
            });
        }
        if text.starts_with(BOM) {
            text.drain(..BOM.len());
        }
        Ok(SourceFile {
            name: name.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        })
    }

    /// Builds a source file from raw bytes, checking size before anything else and
    /// then UTF-8, so that neither a huge nor a malformed input gets further.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<SourceFile, SourceError> {
        if bytes.len() > MAX_SOURCE_LEN {
            return Err(SourceError::TooLarge {
                len: Some(bytes.len() as u64),
                limit: MAX_SOURCE_LEN,
            });
        }
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile::new(name, text),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let bytes = error.as_bytes();
                // The prefix up to the bad byte is valid, so it can be measured as text.
                let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
                let line = 1 + prefix.matches('\n').count();
                let line_start = prefix.rfind('\n').map_or(0, |newline| newline + 1);
                let column = 1 + prefix[line_start..].chars().count();
                Err(SourceError::InvalidUtf8 {
                    offset,
                    line: saturate(line),
                    column: saturate(column),
                })
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text's length as a span offset; [`SourceFile::new`] guarantees it fits.
    pub fn len(&self) -> u32 {
        saturate(self.text.len())
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text a span covers. An out-of-range or non-boundary span gives `""`
    /// rather than a panic, since spans may come from a damaged tree.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }

    /// The 1-based line of a byte offset. `\r\n` counts as one line break because
    /// only `\n` starts a line.
    pub fn line_of(&self, offset: u32) -> u32 {
        let index = self.line_starts().partition_point(|&start| start <= offset);
        saturate(index.max(1))
    }

    /// The 1-based line of a byte offset, as [`SourceFile::line_of`] finds it,
    /// starting from the line `cursor` found last: a pass that walks the
    /// source in order (the code generator asks for the line of nearly every
    /// instruction) then steps to the next line or stays on the same one
    /// instead of searching all of a large file's line table each time.
    pub fn line_near(&self, offset: u32, cursor: &LineCursor) -> u32 {
        /// How many lines forward a lookup steps before it searches instead.
        const STEPS: usize = 4;
        let starts = self.line_starts();
        let mut index = cursor.index.get();
        if starts.get(index).is_some_and(|&start| start <= offset) {
            for _ in 0..STEPS {
                match starts.get(index + 1) {
                    Some(&next) if next <= offset => index += 1,
                    _ => {
                        cursor.index.set(index);
                        return saturate(index + 1);
                    }
                }
            }
        }
        let line = self.line_of(offset);
        cursor.index.set(line as usize - 1);
        line
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: u32) -> (u32, u32) {
        let line = self.line_of(offset);
        let start = self.line_starts()[line as usize - 1] as usize;
        let end = (offset as usize).min(self.text.len());
        let column = match self.text.get(start..end) {
            Some(prefix) => prefix.chars().count(),
            None => end - start,
        };
        (line, saturate(column + 1))
    }

    /// Byte offsets where each line starts.
    pub fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// The number of lines, counting a final line that has no newline.
    pub fn line_count(&self) -> u32 {
        saturate(self.line_starts().len())
    }
}

/// Where [`SourceFile::line_near`] last found a line: the index of that
/// line's start in the file's line table.
#[derive(Debug, Default)]
pub struct LineCursor {
    index: std::cell::Cell<usize>,
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    // memchr scans a word (or a vector register) at a time: on a 100 MB file
    // that is most of the difference between noticeable and not.
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|offset| saturate(offset + 1)));
    starts
}

/// Converts a length already bounded by [`MAX_SOURCE_LEN`] to `u32`.
fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {

    /// `line_near` answers as `line_of` does, whatever order the offsets come
    /// in: forward one by one (its fast path), backward, and jumping about.
    #[test]
    fn line_near_agrees_with_line_of() {
        let text = "a\n\nbc\r\ndef\n\n\n\nlong line here\nlast";
        let file = SourceFile::new("t.lox", text.to_string()).expect("a small text");
        let length = u32::try_from(text.len()).expect("small");
        let forward: Vec<u32> = (0..=length).collect();
        let backward: Vec<u32> = (0..=length).rev().collect();
        let jumping: Vec<u32> = (0..=length)
            .map(|index| (index * 7) % (length + 1))
            .collect();
        for offsets in [forward, backward, jumping] {
            let cursor = LineCursor::default();
            for &offset in &offsets {
                assert_eq!(
                    file.line_near(offset, &cursor),
                    file.line_of(offset),
                    "offset {offset}"
                );
            }
        }
    }
    use super::{LineCursor, SourceError, SourceFile, Span};

    #[test]
    fn lines_and_columns_count_crlf_as_one_break() {
        let file = SourceFile::new("t", "a\r\nbc\r\n\r\nd").unwrap();
        assert_eq!(file.line_count(), 4);
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(3), (2, 1));
        assert_eq!(file.line_column(4), (2, 2));
        assert_eq!(file.line_column(9), (4, 1));
        assert_eq!(file.line_of(file.len()), 4);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("t", "é = 1;").unwrap();
        assert_eq!(file.line_column(2), (1, 2));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let file = SourceFile::from_bytes("t", b"\xEF\xBB\xBFprint 1;".to_vec()).unwrap();
        assert_eq!(file.text(), "print 1;");
        assert_eq!(file.slice(Span::new(0, 5)), "print");
    }

    #[test]
    fn invalid_utf8_reports_its_position() {
        let error = SourceFile::from_bytes("t", b"print 1;\nvar \xC3x;".to_vec()).unwrap_err();
        assert_eq!(
            error,
            SourceError::InvalidUtf8 {
                offset: 13,
                line: 2,
                column: 5
            }
        );
        assert_eq!(
            error.to_string(),
            "invalid UTF-8 at line 2, column 5 (byte offset 13)"
        );
    }

    #[test]
    fn slice_of_a_bad_span_is_empty() {
        let file = SourceFile::new("t", "é").unwrap();
        assert_eq!(file.slice(Span::new(1, 2)), "");
        assert_eq!(file.slice(Span::new(0, 9)), "");
    }
}
