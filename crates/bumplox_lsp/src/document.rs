//! `Document`: an open file's text as the editor last sent it, its
//! diagnostics, and the conversions between byte offsets and LSP positions
//! (lines and UTF-16 columns).

use std::cell::OnceCell;

use bumplox_source::{SourceFile, Span};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::analysis::Analysis;

/// An open document. The [`Analysis`] (names, symbols) is computed on the
/// first request that needs it and forgotten on the next change, so typing in
/// a large file costs only the check that publishes diagnostics.
pub struct Document {
    /// The text as `check` reads it: without a leading byte-order mark.
    pub file: SourceFile,
    pub version: i32,
    /// Whether the editor's text starts with a byte-order mark, which the
    /// editor counts as one UTF-16 unit of the first line and `file` drops.
    bom: bool,
    analysis: OnceCell<Analysis>,
}

impl Document {
    pub fn new(name: &str, text: String, version: i32) -> Document {
        Document {
            bom: text.starts_with(BOM),
            file: source_file(name, text),
            version,
            analysis: OnceCell::new(),
        }
    }

    /// The names, symbols and tokens of the current text.
    pub fn analysis(&self) -> &Analysis {
        self.analysis
            .get_or_init(|| Analysis::new(self.file.text()))
    }

    pub fn text(&self) -> &str {
        self.file.text()
    }

    /// Applies the editor's changes in order: a change with a range replaces
    /// that range (incremental sync), one without replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        let mut text = match self.bom {
            true => format!("{BOM}{}", self.file.text()),
            false => self.file.text().to_string(),
        };
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = offset_in(&text, range.start);
                    let end = offset_in(&text, range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
        }
        self.bom = text.starts_with(BOM);
        self.file = source_file(self.file.name(), text);
        self.version = version;
        self.analysis = OnceCell::new();
    }

    /// The byte offset of an LSP position, clamped to the text.
    pub fn offset(&self, position: Position) -> u32 {
        let position = match (self.bom, position.line) {
            (true, 0) => Position::new(0, position.character.saturating_sub(1)),
            _ => position,
        };
        offset_in(self.file.text(), position) as u32
    }

    /// The LSP position of a byte offset.
    pub fn position(&self, offset: u32) -> Position {
        let text = self.file.text();
        let offset = (offset as usize).min(text.len());
        let line = self.file.line_of(offset as u32) - 1;
        let start = self.file.line_starts()[line as usize] as usize;
        let character = text
            .get(start..offset)
            .map_or(0, |prefix| prefix.encode_utf16().count());
        let bom = u32::from(self.bom && line == 0);
        Position::new(line, character as u32 + bom)
    }

    /// The LSP range of a byte span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }
}

const BOM: char = '\u{feff}';

/// A source file for the editor's text, which drops a byte-order mark as
/// `check` does. Text too large for a source file (over 4 GiB) is kept
/// empty: nothing could be checked anyway.
fn source_file(name: &str, text: String) -> SourceFile {
    SourceFile::new(name, text).unwrap_or_else(|_| {
        SourceFile::new(name, String::new()).unwrap_or_else(|_| unreachable!("empty text fits"))
    })
}

/// The byte offset in `text` of an LSP position: line by line, then UTF-16
/// units along the line. A column past the line's end (or into the middle of
/// a character) stops at the end of the line (or of that character), as the
/// protocol asks.
pub fn offset_in(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |newline| line_start + newline);
    let mut units = 0;
    for (index, character) in text[line_start..line_end].char_indices() {
        if units >= position.character as usize {
            return line_start + index;
        }
        units += character.len_utf16();
    }
    line_end
}

#[cfg(test)]
mod tests {
    use lsp_types::Position;

    use super::{offset_in, Document};

    /// Each text, a byte offset in it and its LSP position: both ways.
    #[track_caller]
    fn check(text: &str, offset: u32, (line, character): (u32, u32)) {
        let document = Document::new("test.lox", text.to_string(), 1);
        let position = Position::new(line, character);
        assert_eq!(document.position(offset), position, "offset {offset}");
        assert_eq!(document.offset(position), offset, "{position:?}");
    }

    #[test]
    fn positions_count_utf16_units_along_a_line() {
        check("print 1;", 0, (0, 0));
        check("print 1;", 8, (0, 8));
        check("a\nbc", 3, (1, 1));
        check("a\r\nbc", 4, (1, 1));
        // `é` is two bytes and one UTF-16 unit; `🌍` four bytes and two units.
        check("\"é🌍\" x", 1 + 2, (0, 2));
        check("\"é🌍\" x", 1 + 2 + 4, (0, 4));
        check("\"é🌍\" x", 1 + 2 + 4 + 2, (0, 6));
        check("é\n🌍x", 3 + 4, (1, 2));
    }

    #[test]
    fn positions_past_a_line_or_inside_a_character_stop_at_its_end() {
        assert_eq!(offset_in("ab\ncd", Position::new(0, 9)), 2);
        assert_eq!(offset_in("ab\ncd", Position::new(7, 0)), 5);
        // Column 1 is inside the two units of `🌍`: the character ends at 4.
        assert_eq!(offset_in("🌍x", Position::new(0, 1)), 4);
    }

    #[test]
    fn a_byte_order_mark_is_dropped_as_check_drops_it_and_counted_as_the_editor_counts_it() {
        let mut document = Document::new("test.lox", "\u{feff}var x;\nx;".to_string(), 1);
        assert_eq!(document.text(), "var x;\nx;");
        assert_eq!(document.position(4), Position::new(0, 5));
        assert_eq!(document.offset(Position::new(0, 5)), 4);
        assert_eq!(document.position(7), Position::new(1, 0));
        let edit = lsp_types::TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(
                Position::new(0, 5),
                Position::new(0, 6),
            )),
            range_length: None,
            text: "y".to_string(),
        };
        document.apply(vec![edit], 2);
        assert_eq!(document.text(), "var y;\nx;");
        assert_eq!(document.position(4), Position::new(0, 5));
    }

    #[test]
    fn changes_apply_in_order_by_range_or_whole() {
        let mut document = Document::new("test.lox", "var a = 1;\n".to_string(), 1);
        let edit = |line, from, to, text: &str| lsp_types::TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(
                Position::new(line, from),
                Position::new(line, to),
            )),
            range_length: None,
            text: text.to_string(),
        };
        document.apply(vec![edit(0, 4, 5, "🌍"), edit(0, 6, 6, "x")], 2);
        assert_eq!(document.text(), "var 🌍x = 1;\n");
        assert_eq!(document.version, 2);
        let whole = lsp_types::TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "print 2;".to_string(),
        };
        document.apply(vec![whole], 3);
        assert_eq!(document.text(), "print 2;");
    }
}
