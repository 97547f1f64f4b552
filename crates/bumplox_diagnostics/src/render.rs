//! The three renderers: `rich` (codespan-reporting), `lox` (the book's lines)
//! and `json` (one object per line).

use std::fmt::Write;
use std::ops::Range;

use bumplox_source::{write_json_string, SourceFile, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::Files;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{Ansi, NoColor};

use crate::excerpt::{
    line_content, line_index, line_range, visible_message, Excerpt, WholeFile, MAX_LABEL_LINES,
};
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
fn label_range(file: &SourceFile, span: Span) -> Range<usize> {
    let text = file.text();
    // The end of the file, after its last line break, is a line of its own
    // that shows nothing; a person looks for what is missing where the text
    // stops, so an empty span there is drawn just after the last non-blank
    // character. (The book's format keeps its own line for it.)
    if span.is_empty() && span.start as usize >= text.len() {
        let end = text.trim_end().len();
        return end..end;
    }
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

/// One label as the rich renderer draws it: a range of the file's bytes.
struct Mark {
    primary: bool,
    range: Range<usize>,
    message: String,
}

/// Narrows a label spanning more than [`MAX_LABEL_LINES`] lines to its first
/// line and adds a second label on its last character, so that a span over
/// millions of lines (an unterminated string) draws two lines, not millions.
fn narrow(file: &SourceFile, mark: Mark, marks: &mut Vec<Mark>) {
    let first = line_index(file, mark.range.start);
    let last = line_index(file, mark.range.end);
    if last - first < MAX_LABEL_LINES {
        marks.push(mark);
        return;
    }
    let text = file.text();
    let first_end = line_range(file, first).map_or(mark.range.start, |range| {
        range.start + line_content(&text[range]).len()
    });
    let mut last_char = mark.range.end - 1;
    while !text.is_char_boundary(last_char) {
        last_char -= 1;
    }
    // A label ending on a line break points at it, on the line it ends:
    // the range after it would start the next line.
    let end = match text[last_char..].starts_with('\n') {
        true => last_char,
        false => mark.range.end,
    };
    marks.push(Mark {
        range: mark.range.start..first_end.max(mark.range.start),
        ..mark
    });
    marks.push(Mark {
        primary: false,
        range: last_char..end,
        message: "…and ends here".to_string(),
    });
}

/// The 0-based lines a snippet of `marks` shows: every line a label covers,
/// and a single line between two shown ones, which codespan fills in.
fn shown_lines(file: &SourceFile, marks: &[Mark]) -> Vec<usize> {
    let mut lines = Vec::new();
    for mark in marks {
        lines.extend(line_index(file, mark.range.start)..=line_index(file, mark.range.end));
    }
    lines.sort_unstable();
    lines.dedup();
    let gaps: Vec<usize> = lines
        .windows(2)
        .filter(|pair| pair[1] - pair[0] == 2)
        .map(|pair| pair[0] + 1)
        .collect();
    lines.extend(gaps);
    lines.sort_unstable();
    lines
}

fn rich(out: &mut String, file: &SourceFile, diagnostic: &Diagnostic, color: bool) {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    // Everything printed may quote the source, and the source may hold
    // terminal escape sequences: all of it is made visible and bounded.
    let primary = Mark {
        primary: true,
        range: label_range(file, diagnostic.span),
        message: visible_message(
            diagnostic.primary_label.as_deref().unwrap_or_default(),
            false,
        ),
    };
    let mut marks = Vec::new();
    narrow(file, primary, &mut marks);
    for label in &diagnostic.labels {
        let mark = Mark {
            primary: false,
            range: label_range(file, label.span),
            message: visible_message(&label.message, false),
        };
        narrow(file, mark, &mut marks);
    }
    let mut notes: Vec<String> = diagnostic
        .notes
        .iter()
        .map(|note| visible_message(note, true))
        .collect();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {}", visible_message(help, true)));
    }
    let name = visible_message(file.name(), false);
    let excerpt = Excerpt::new(file, name.clone(), &shown_lines(file, &marks));
    // A source line of megabytes (a generated or hostile file) would be printed
    // whole under each label; past a few hundred characters the location and
    // messages say more than the snippet, so the snippet is left out.
    let long_line = marks.iter().any(|mark| {
        excerpt.is_cut(line_index(file, mark.range.start))
            || excerpt.is_cut(line_index(file, mark.range.end))
    });
    let labels = |map: &dyn Fn(usize) -> usize| -> Vec<cs::Label<()>> {
        marks
            .iter()
            .map(|mark| {
                let range = map(mark.range.start)..map(mark.range.end);
                let label = match mark.primary {
                    true => cs::Label::primary((), range),
                    false => cs::Label::secondary((), range),
                };
                label.with_message(mark.message.clone())
            })
            .collect()
    };
    let report = cs::Diagnostic::new(severity)
        .with_message(visible_message(&diagnostic.message, false))
        .with_notes(notes);
    let mut buffer = Vec::new();
    let result = match long_line {
        true => {
            let report = report.with_labels(labels(&|offset| offset));
            let config = term::Config {
                display_style: term::DisplayStyle::Medium,
                ..term::Config::default()
            };
            emit(
                &mut buffer,
                color,
                &config,
                &WholeFile { file, name },
                &report,
            )
        }
        false => {
            let report = report.with_labels(labels(&|offset| {
                excerpt.offset(file, line_index(file, offset), offset)
            }));
            emit(
                &mut buffer,
                color,
                &term::Config::default(),
                &excerpt,
                &report,
            )
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
                visible_message(&diagnostic.message, false)
            );
        }
    }
}

fn emit<'f>(
    buffer: &mut Vec<u8>,
    color: bool,
    config: &term::Config,
    files: &'f impl Files<'f, FileId = ()>,
    report: &cs::Diagnostic<()>,
) -> Result<(), codespan_reporting::files::Error> {
    match color {
        true => term::emit_to_write_style(&mut Ansi::new(buffer), config, files, report),
        false => term::emit_to_write_style(&mut NoColor::new(buffer), config, files, report),
    }
}
