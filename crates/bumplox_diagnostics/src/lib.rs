//! Diagnostics: the one type every stage reports problems with, and the three
//! renderers that print them (`rich` through codespan-reporting, the book's
//! `lox` lines, and `json`), for compile errors and for runtime errors.
//!
//! This is the only crate that knows codespan-reporting. It does not decide what
//! is an error; the lexer, parser, resolver and code generator do.

mod diagnostic;
mod excerpt;
mod render;
mod runtime;
#[cfg(test)]
mod tests;

pub use diagnostic::{BookLocation, Diagnostic, Label, Severity};
pub use render::{render, ColorChoice, ErrorFormat, RenderOptions};
pub use runtime::{render_runtime_error, RuntimeErrorReport, TraceFrame};
