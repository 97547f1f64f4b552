//! The Lox formatter behind `bumplox fmt`: one canonical layout for any Lox
//! file that parses, its `//` comments kept in their places.
//!
//! [`format()`] parses the text (under the default `bump` strategy), finds its
//! comments ([`bumplox_lexer::comment_spans`], the trivia kept beside the
//! tree), and prints the tree. The printer writes the source's own tokens, in
//! order, checking each against the source, and decides only the white space
//! between them, so the output holds exactly the input's tokens and comments:
//! it parses to the same tree, and each comment is written out just before
//! the token it preceded.
//!
//! # The layout
//!
//! - Two spaces of indentation a block; one statement a line; `{` at the end
//!   of the line that opens it, `} else {`.
//! - A space around binary operators and `=`, after `,` and after keywords;
//!   none inside parentheses or after a unary operator.
//! - Blank lines between statements, declarations and comments are kept, at
//!   most one in a row; none are kept at the start of a block.
//! - Lines are at most [`MAX_WIDTH`] columns (characters) where a break helps: a
//!   call's arguments or a function's parameters that do not fit go one a
//!   line, indented one step, with the `)` on a line of its own. Other long
//!   expressions are not broken.
//! - A comment at the end of a line stays at the end of that line, after one
//!   space; a comment on a line of its own stays on a line of its own, at the
//!   indentation of what follows it. Trailing white space is dropped from
//!   comments.
//!
//! # Example
//!
//! ```
//! let source = "fun add(a,b){return a+b; // sum\n}\nprint add(1,2);";
//! let formatted = bumplox_fmt::format(source).expect("it parses");
//! assert_eq!(formatted, "fun add(a, b) {\n  return a + b; // sum\n}\nprint add(1, 2);\n");
//!
//! // Text with syntax errors is not formatted; its diagnostics say why.
//! match bumplox_fmt::format("print (1;") {
//!     Err(bumplox_fmt::FormatError::Syntax(diagnostics)) => assert!(!diagnostics.is_empty()),
//!     other => panic!("expected a syntax error, got {other:?}"),
//! }
//! ```

mod printer;
#[cfg(test)]
mod tests;

use bumplox_diagnostics::Diagnostic;
use bumplox_tree::BumpBuilder;

pub use printer::MAX_WIDTH;

/// Why a text was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The parser found errors (syntax or lexical errors, or the static
    /// errors it reports itself, such as `return` at the top level): they are
    /// its diagnostics, to be rendered like `check`'s. A text with errors is
    /// never formatted, since its tree does not hold all of its tokens.
    Syntax(Vec<Diagnostic>),
    /// The printer lost its place in the tokens: a bug in the formatter. The
    /// text is left as it was; the message says where the printer was.
    Internal(String),
}

impl std::fmt::Display for FormatError {
    /// One line: how many syntax errors (render the diagnostics themselves
    /// with `bumplox_diagnostics::render` to show them), or the bug.
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(diagnostics) => {
                let errors = diagnostics
                    .iter()
                    .filter(|diagnostic| diagnostic.is_error())
                    .count();
                match errors {
                    1 => write!(out, "not formatted: 1 syntax error"),
                    _ => write!(out, "not formatted: {errors} syntax errors"),
                }
            }
            FormatError::Internal(message) => write!(out, "internal formatter error: {message}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// Formats `source`, a whole Lox file: the text in the canonical layout
/// (ending with one line break, or empty for a file of white space alone), or
/// why it could not be formatted. Formatting is idempotent: formatting the
/// result again gives it back unchanged.
pub fn format(source: &str) -> Result<String, FormatError> {
    format_with_limit(source, None)
}

/// Like [`format()`], with the syntax tree's memory limited to about
/// `max_memory` bytes (`--max-memory`); past it the parser stops with an error.
pub fn format_with_limit(source: &str, max_memory: Option<usize>) -> Result<String, FormatError> {
    let bump = bumpalo::Bump::new();
    let builder = match max_memory {
        Some(limit) => BumpBuilder::with_limit(&bump, limit),
        None => BumpBuilder::new(&bump),
    };
    let parse = bumplox_parser::parse(source, &builder);
    if parse.has_errors() {
        return Err(FormatError::Syntax(parse.diagnostics));
    }
    let comments = bumplox_lexer::comment_spans(source);
    printer::print(source, &comments, &parse.program)
}
