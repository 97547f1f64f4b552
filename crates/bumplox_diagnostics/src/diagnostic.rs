//! `Diagnostic`: a message with a primary span, labelled secondary spans, notes
//! and an optional help line.

use bumplox_source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// How the book's one-line format names the place of an error: `Error at 'x':`,
/// `Error at end:` or plain `Error:` (lexical errors, whose token is the error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookLocation {
    /// `Error at 'LEXEME':`, the lexeme being the primary span's text.
    Token,
    /// `Error at end:`.
    End,
    /// `Error:`.
    Bare,
}

/// A secondary span with a message, such as the opening `(` of a missing `)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The message, in the book's words where the book has one.
    pub message: String,
    /// Where the problem is. The book's format takes its line from the span's end,
    /// which is where the book's scanner stands when it makes a multi-line token.
    pub span: Span,
    /// A short text shown under the primary span by the rich renderer.
    pub primary_label: Option<String>,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub location: BookLocation,
}

impl Diagnostic {
    /// An error at a token, reported as `Error at 'lexeme':` in the book's format.
    pub fn error(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            primary_label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            location: BookLocation::Token,
        }
    }

    /// A note that is not itself an error, such as a count of suppressed errors.
    pub fn note(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            location: BookLocation::Bare,
            ..Diagnostic::error(message, span)
        }
    }

    pub fn with_location(mut self, location: BookLocation) -> Diagnostic {
        self.location = location;
        self
    }

    pub fn with_primary_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary_label = Some(message.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
