//! The three renderers: `rich` (codespan-reporting), `lox` (the book's lines)
//! and `json` (one object per line).

use std::fmt::Write;

use bumplox_source::{write_json_string, SourceFile, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{Ansi, NoColor};

use crate::{BookLocation, Diagnostic, Severity};

/// How diagnostics are printed (`--error-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFormat {
    /// Source snippets with labels, through codespan-reporting.
    Rich,
    /// Exactly the book's lines, `[line N] Error at 'x': message`; what the
    /// official test suite compares.
    Lox,
    /// One JSON object per diagnostic per line.
    Json,
}

/// Whether the rich format uses ANSI colors. The driver resolves `auto` (a
/// terminal, no `NO_COLOR`) before rendering, so rendering itself is pure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    pub format: ErrorFormat,
    /// Used by the rich format only.
    pub color: bool,
}

/// Renders `diagnostics` about `file` as text ready for stderr.
pub fn render(file: &SourceFile, diagnostics: &[Diagnostic], options: RenderOptions) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        match options.format {
            ErrorFormat::Rich => rich(&mut out, file, diagnostic, options.color),
            ErrorFormat::Lox => lox(&mut out, file, diagnostic),
            ErrorFormat::Json => json(&mut out, file, diagnostic),
        }
    }
    out
}

/// The line the book's compiler reports a token on: the line where its scanner
/// stood when it finished the token, which for a string spanning lines is the
/// line of its last character.
fn book_line(file: &SourceFile, span: Span) -> u32 {
    file.line_of(span.end.max(span.start))
}

fn lox(out: &mut String, file: &SourceFile, diagnostic: &Diagnostic) {
    // The book prints errors only; notes such as the count of suppressed errors
    // have no place in its format.
    if diagnostic.severity != Severity::Error {
        return;
    }
    let line = book_line(file, diagnostic.span);
    let _ = match diagnostic.location {
        BookLocation::Token => writeln!(
            out,
            "[line {line}] Error at '{}': {}",
            file.slice(diagnostic.span),
            diagnostic.message
        ),
        BookLocation::End => writeln!(out, "[line {line}] Error at end: {}", diagnostic.message),
        BookLocation::Bare => writeln!(out, "[line {line}] Error: {}", diagnostic.message),
    };
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn json_position(out: &mut String, file: &SourceFile, offset: u32) {
    let (line, column) = file.line_column(offset);
    let _ = write!(
        out,
        "{{\"offset\":{offset},\"line\":{line},\"column\":{column}}}"
    );
}

pub(crate) fn json_span(out: &mut String, file: &SourceFile, span: Span) {
    out.push_str("{\"start\":");
    json_position(out, file, span.start);
    out.push_str(",\"end\":");
    json_position(out, file, span.end);
    out.push('}');
}

fn json(out: &mut String, file: &SourceFile, diagnostic: &Diagnostic) {
    out.push_str("{\"file\":");
    write_json_string(out, file.name());
    let _ = write!(
        out,
        ",\"severity\":\"{}\",\"message\":",
        severity_name(diagnostic.severity)
    );
    write_json_string(out, &diagnostic.message);
    out.push_str(",\"span\":");
    json_span(out, file, diagnostic.span);
    // Every label, the primary one first when it has a text: the primary
    // label says what was found at `span` (found `print`), which the
    // secondary labels elsewhere do not repeat.
    out.push_str(",\"labels\":[");
    let primary = diagnostic
        .primary_label
        .as_deref()
        .map(|message| (message, diagnostic.span, true));
    let secondary = diagnostic
        .labels
        .iter()
        .map(|label| (label.message.as_str(), label.span, false));
    for (index, (message, span, is_primary)) in primary.into_iter().chain(secondary).enumerate() {
        if index > 0 {
            out.push(',');
        }
        json_label(out, file, message, span, is_primary);
    }
    out.push_str("],\"notes\":[");
    for (index, note) in diagnostic.notes.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_json_string(out, note);
    }
    out.push_str("],\"help\":");
    match &diagnostic.help {
        Some(help) => write_json_string(out, help),
        None => out.push_str("null"),
    }
    out.push_str("}\n");
}

/// One entry of a JSON object's `labels`: `{"message":…,"span":…,"primary":…}`.
pub(crate) fn json_label(
    out: &mut String,
    file: &SourceFile,
    message: &str,
    span: Span,
    primary: bool,
) {
    out.push_str("{\"message\":");
    write_json_string(out, message);
    out.push_str(",\"span\":");
    json_span(out, file, span);
    let _ = write!(out, ",\"primary\":{primary}}}");
}

/// Widens an empty span to the character after it (or before it at the end of
/// the file), and narrows any span to character boundaries, so that a label
/// never splits a UTF-8 sequence and the end-of-file position can be pointed at.
fn label_range(file: &SourceFile, span: Span) -> std::ops::Range<usize> {
    let text = file.text();
    let mut start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The longest source line the rich format shows as a snippet.
const MAX_SNIPPET_LINE: usize = 400;

/// The length in bytes of the line holding `offset`.
fn line_length_at(file: &SourceFile, offset: u32) -> usize {
    let line = file.line_of(offset) as usize;
    let starts = file.line_starts();
    let start = starts.get(line - 1).copied().unwrap_or(0) as usize;
    let end = starts
        .get(line)
        .map_or(file.text().len(), |&next| next as usize);
    end.saturating_sub(start)
}

fn rich(out: &mut String, file: &SourceFile, diagnostic: &Diagnostic, color: bool) {
    let files = SimpleFile::new(file.name(), file.text());
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let primary = cs::Label::primary((), label_range(file, diagnostic.span))
        .with_message(diagnostic.primary_label.clone().unwrap_or_default());
    let mut labels = vec![primary];
    labels.extend(diagnostic.labels.iter().map(|label| {
        cs::Label::secondary((), label_range(file, label.span)).with_message(label.message.clone())
    }));
    let mut notes = diagnostic.notes.clone();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    let report = cs::Diagnostic::new(severity)
        .with_message(diagnostic.message.clone())
        .with_labels(labels)
        .with_notes(notes);
    // A source line of megabytes (a generated or hostile file) would be printed
    // whole under each label; past a few hundred characters the location and
    // messages say more than the snippet, so the snippet is left out.
    let long_line = std::iter::once(diagnostic.span)
        .chain(diagnostic.labels.iter().map(|label| label.span))
        .any(|span| line_length_at(file, span.start) > MAX_SNIPPET_LINE);
    let config = term::Config {
        display_style: match long_line {
            true => term::DisplayStyle::Medium,
            false => term::DisplayStyle::Rich,
        },
        ..term::Config::default()
    };
    let mut buffer = Vec::new();
    let result = match color {
        true => term::emit_to_write_style(&mut Ansi::new(&mut buffer), &config, &files, &report),
        false => {
            term::emit_to_write_style(&mut NoColor::new(&mut buffer), &config, &files, &report)
        }
    };
    match result {
        Ok(()) => out.push_str(&String::from_utf8_lossy(&buffer)),
        // codespan only fails on spans outside the file, which label_range
        // rules out; should it ever happen, the message still gets out.
        Err(error) => {
            let _ = writeln!(
                out,
                "error: {} (could not show the source: {error})",
                diagnostic.message
            );
        }
    }
}
