//! What the rich renderer shows of a source file: codespan-reporting's `Files`
//! over a `SourceFile` (its line index built once per file) and over an excerpt
//! of the few lines one diagnostic shows, with control characters made visible.

use std::ops::Range;

use bumplox_source::SourceFile;
use codespan_reporting::files::{Error, Files};

/// The longest source line, in bytes, shown in a snippet. A label on a longer
/// line leaves the snippet out; a longer line shown for context is cut short.
pub(crate) const MAX_SNIPPET_LINE: usize = 400;

/// The longest message, label or note, in characters; they may quote source
/// text, such as a string literal of megabytes.
const MAX_MESSAGE: usize = 400;

/// How many lines a label may span and still be drawn whole; a longer label is
/// shown on its first line, with a second label where it ends.
pub(crate) const MAX_LABEL_LINES: usize = 8;

/// What stands for the rest of a line cut short.
const ELLIPSIS: char = '…';

/// The character shown instead of `ch`, when `ch` would act on the terminal
/// rather than show: C0 controls become the Control Pictures block (`␛` for
/// escape), as rustc shows them, and other controls and the bidirectional
/// overrides become `�`. Each replacement is one character one column wide, so
/// columns counted in characters stay those of the source. Tabs stay: the
/// renderer expands them itself.
fn visible(ch: char) -> Option<char> {
    match ch {
        '\t' => None,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(ch)),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// The length in bytes of `text` once made visible.
fn visible_len(text: &str) -> usize {
    text.chars()
        .map(|ch| visible(ch).unwrap_or(ch).len_utf8())
        .sum()
}

/// A message, label or note made safe to print: control characters visible
/// (line breaks too, unless `keep_newlines`), and at most [`MAX_MESSAGE`]
/// characters.
pub(crate) fn visible_message(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE * 4));
    for (count, ch) in text.chars().enumerate() {
        if count == MAX_MESSAGE {
            out.push(ELLIPSIS);
            break;
        }
        match ch {
            '\n' if keep_newlines => out.push('\n'),
            _ => out.push(visible(ch).unwrap_or(ch)),
        }
    }
    out
}

/// The byte range of the 0-based line `index`, line break included.
pub(crate) fn line_range(file: &SourceFile, index: usize) -> Option<Range<usize>> {
    let starts = file.line_starts();
    let start = *starts.get(index)? as usize;
    let end = starts
        .get(index + 1)
        .map_or(file.text().len(), |&next| next as usize);
    Some(start..end)
}

/// The 0-based line holding the byte `offset`.
pub(crate) fn line_index(file: &SourceFile, offset: usize) -> usize {
    let offset = u32::try_from(offset).unwrap_or(u32::MAX);
    file.line_of(offset) as usize - 1
}

/// A line's text without its line break (`\n` or `\r\n`).
pub(crate) fn line_content(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

fn line_error(file: &SourceFile, given: usize) -> Error {
    Error::LineTooLarge {
        given,
        max: file.line_starts().len().saturating_sub(1),
    }
}

/// The whole file as codespan sees it, for the short form that shows no
/// snippet: only the primary label's line and column are asked for. Unlike
/// codespan's `SimpleFile`, which recomputes the line starts each time it is
/// made, this uses the index the `SourceFile` builds once.
pub(crate) struct WholeFile<'f> {
    pub(crate) file: &'f SourceFile,
    pub(crate) name: String,
}

impl<'a> Files<'a> for WholeFile<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.file.text())
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(line_index(self.file, byte_index))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        line_range(self.file, line_index).ok_or_else(|| line_error(self.file, line_index))
    }
}

/// One line of an [`Excerpt`].
struct ExcerptLine {
    /// Its 0-based index in the file.
    index: usize,
    /// Where it starts in the file.
    file_start: usize,
    /// The length in bytes of its text in the file, line break left out.
    file_len: usize,
    /// Its text in the excerpt, line break included.
    range: Range<usize>,
    /// Whether its text was cut short.
    cut: bool,
}

/// The lines one diagnostic shows, and nothing else: control characters made
/// visible, long lines cut short, line numbers those of the file. Rendering
/// touches only these lines, however long the file or the spans.
pub(crate) struct Excerpt {
    name: String,
    text: String,
    /// Sorted by `index`.
    lines: Vec<ExcerptLine>,
}

impl Excerpt {
    /// An excerpt of the 0-based `lines` (sorted, without repeats) of `file`.
    pub(crate) fn new(file: &SourceFile, name: String, lines: &[usize]) -> Excerpt {
        let mut text = String::new();
        let mut shown = Vec::with_capacity(lines.len());
        for &index in lines {
            let Some(range) = line_range(file, index) else {
                continue;
            };
            let file_start = range.start;
            let content = line_content(&file.text()[range]);
            let start = text.len();
            let mut cut = false;
            for (offset, ch) in content.char_indices() {
                if offset >= MAX_SNIPPET_LINE {
                    text.push(' ');
                    text.push(ELLIPSIS);
                    cut = true;
                    break;
                }
                text.push(visible(ch).unwrap_or(ch));
            }
            text.push('\n');
            shown.push(ExcerptLine {
                index,
                file_start,
                file_len: content.len(),
                range: start..text.len(),
                cut,
            });
        }
        Excerpt {
            name,
            text,
            lines: shown,
        }
    }

    fn line(&self, index: usize) -> Option<&ExcerptLine> {
        self.lines
            .binary_search_by_key(&index, |line| line.index)
            .ok()
            .map(|position| &self.lines[position])
    }

    /// Whether the line of the file with this 0-based index was cut short.
    pub(crate) fn is_cut(&self, index: usize) -> bool {
        self.line(index).is_some_and(|line| line.cut)
    }

    /// Where the byte `offset` of `file`, on the excerpt's line `index`,
    /// falls in the excerpt. An offset inside a line break points at the
    /// excerpt's line break; one past a cut falls at the cut.
    pub(crate) fn offset(&self, file: &SourceFile, index: usize, offset: usize) -> usize {
        let Some(line) = self.line(index) else {
            return self.text.len();
        };
        let text = file.text();
        let mut end = line.file_start
            + offset
                .saturating_sub(line.file_start)
                .min(line.file_len)
                .min(MAX_SNIPPET_LINE);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = text.get(line.file_start..end).unwrap_or_default();
        (line.range.start + visible_len(prefix)).min(line.range.end - 1)
    }
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        let position = self
            .lines
            .partition_point(|line| line.range.start <= byte_index)
            .max(1);
        match self.lines.get(position - 1) {
            Some(line) => Ok(line.index),
            None => Err(Error::IndexTooLarge {
                given: byte_index,
                max: self.text.len(),
            }),
        }
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        match self.line(line_index) {
            Some(line) => Ok(line.range.clone()),
            None => Err(Error::LineTooLarge {
                given: line_index,
                max: self.lines.last().map_or(0, |line| line.index),
            }),
        }
    }
}
