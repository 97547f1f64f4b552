//! Runtime errors in the three formats: the failing operation and the call
//! trace, shown like a compile error (`rich`), as one JSON object with a
//! `trace` array (`json`), or as the book's lines (`lox`).

use std::fmt::Write;

use bumplox_source::{write_json_string, SourceFile, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{Ansi, NoColor};

use crate::render::{json_label, json_span};
use crate::{render, Diagnostic, ErrorFormat, RenderOptions};

/// One active call frame of a runtime error, innermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceFrame<'e> {
    /// The function's name, or `None` for the top-level script.
    pub function: Option<&'e str>,
    /// The line the book's format reports for the frame.
    pub line: u32,
    /// The operation the frame was executing: the failing one in the innermost
    /// frame, a call in the others. `None` when it is not known or not in
    /// this file.
    pub span: Option<Span>,
}

/// A runtime error as the renderers need it.
#[derive(Clone, Copy, Debug)]
pub struct RuntimeErrorReport<'e> {
    /// The message, in the book's words.
    pub message: &'e str,
    /// What the failing operation found, shown under it.
    pub label: Option<&'e str>,
    /// The active frames, innermost first; empty for an error before the
    /// program started.
    pub trace: &'e [TraceFrame<'e>],
}

/// How many identical frames in a row the `rich` trace shows before it
/// counts the rest, as the VM's own display of an error does: a thousand
/// equal lines of a deep recursion tell nothing the count does not.
const MAX_REPEATED_FRAMES: usize = 5;

/// How many call sites the `rich` format labels in the snippet; the trace
/// note lists every frame anyway.
const MAX_CALL_SITE_LABELS: usize = 4;

/// Renders a runtime error in `file` as text ready for stderr.
pub fn render_runtime_error(
    file: &SourceFile,
    error: &RuntimeErrorReport<'_>,
    options: RenderOptions,
) -> String {
    let mut out = String::new();
    match options.format {
        ErrorFormat::Lox => lox(&mut out, error),
        ErrorFormat::Rich => rich(&mut out, file, error, options),
        ErrorFormat::Json => json(&mut out, file, error),
    }
    out
}

/// The book's text: the message, then `[line N] in f()` or `[line N] in
/// script` for every frame, innermost first; exactly what clox prints, which
/// the official suite compares byte for byte. Unlike the other formats it
/// never shortens a deep recursion: the book prints every frame.
fn lox(out: &mut String, error: &RuntimeErrorReport<'_>) {
    out.push_str(error.message);
    for frame in error.trace {
        let _ = match frame.function {
            Some(name) => write!(out, "\n[line {}] in {name}()", frame.line),
            None => write!(out, "\n[line {}] in script", frame.line),
        };
    }
    out.push('\n');
}

/// Where a frame was, for the trace note: `file:line:column`, or
/// `file:line` when its span is unknown.
fn place(file: &SourceFile, frame: &TraceFrame<'_>) -> String {
    match frame.span {
        Some(span) => {
            let (line, column) = file.line_column(span.start);
            format!("{}:{line}:{column}", file.name())
        }
        None => format!("{}:{}", file.name(), frame.line),
    }
}

fn function_name(frame: &TraceFrame<'_>) -> String {
    match frame.function {
        Some(name) => format!("{name}()"),
        None => "script".to_owned(),
    }
}

/// The trace as one note, innermost first: `in f() at t.lox:1:21`, then
/// `called from script at t.lox:2:7` for each caller, a run of identical
/// frames shortened as in the book's format.
fn trace_note(file: &SourceFile, trace: &[TraceFrame<'_>]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for run in trace.chunk_by(|a, b| a == b) {
        let frame = &run[0];
        for _ in 0..run.len().min(MAX_REPEATED_FRAMES) {
            let how = match lines.is_empty() {
                true => "in",
                false => "called from",
            };
            lines.push(format!(
                "{how} {} at {}",
                function_name(frame),
                place(file, frame)
            ));
        }
        if run.len() > MAX_REPEATED_FRAMES {
            let more = run.len() - MAX_REPEATED_FRAMES;
            lines.push(format!("... the line above repeats {more} more times"));
        }
    }
    lines.join("\n")
}

fn rich(
    out: &mut String,
    file: &SourceFile,
    error: &RuntimeErrorReport<'_>,
    options: RenderOptions,
) {
    let note = match error.trace.len() > 1 {
        true => Some(trace_note(file, error.trace)),
        false => None,
    };
    let span = error.trace.first().and_then(|frame| frame.span);
    let Some(span) = span else {
        // No operation to point at: the message and the trace alone.
        headline(out, error.message, note, options.color);
        return;
    };
    let mut diagnostic = Diagnostic::error(error.message, span);
    if let Some(label) = error.label {
        diagnostic = diagnostic.with_primary_label(label);
    }
    // Each caller's call site, once, labelled with the function it called.
    let mut labelled: Vec<Span> = vec![span];
    for pair in error.trace.windows(2) {
        let (callee, caller) = (&pair[0], &pair[1]);
        let Some(site) = caller.span else {
            continue;
        };
        if labelled.contains(&site) {
            continue;
        }
        if labelled.len() > MAX_CALL_SITE_LABELS {
            break;
        }
        labelled.push(site);
        let called = match callee.function {
            Some(name) => format!("call to `{name}`"),
            None => "call".to_owned(),
        };
        diagnostic = diagnostic.with_label(site, called);
    }
    if let Some(note) = note {
        diagnostic = diagnostic.with_note(note);
    }
    out.push_str(&render(file, &[diagnostic], options));
}

/// `error: MESSAGE` and the trace note, for an error with no span to show.
fn headline(out: &mut String, message: &str, note: Option<String>, color: bool) {
    let files = SimpleFile::new("", "");
    let report = cs::Diagnostic::<()>::error()
        .with_message(message)
        .with_notes(note.into_iter().collect());
    let config = term::Config::default();
    let mut buffer = Vec::new();
    let result = match color {
        true => term::emit_to_write_style(&mut Ansi::new(&mut buffer), &config, &files, &report),
        false => {
            term::emit_to_write_style(&mut NoColor::new(&mut buffer), &config, &files, &report)
        }
    };
    match result {
        Ok(()) => out.push_str(&String::from_utf8_lossy(&buffer)),
        // With no label there is nothing in the file codespan could fail to
        // find; should it fail anyway, the message still gets out.
        Err(_) => {
            let _ = writeln!(out, "error: {message}");
        }
    }
}

/// One JSON object on one line: the fields of a compile diagnostic (the
/// failing operation's span and label; `null` span when there is none) and
/// a `trace` array of `{"function","line","span"}`, innermost first.
fn json(out: &mut String, file: &SourceFile, error: &RuntimeErrorReport<'_>) {
    out.push_str("{\"file\":");
    write_json_string(out, file.name());
    out.push_str(",\"severity\":\"error\",\"message\":");
    write_json_string(out, error.message);
    out.push_str(",\"span\":");
    let span = error.trace.first().and_then(|frame| frame.span);
    json_optional_span(out, file, span);
    out.push_str(",\"labels\":[");
    if let (Some(span), Some(label)) = (span, error.label) {
        json_label(out, file, label, span, true);
    }
    out.push_str("],\"notes\":[],\"help\":null,\"trace\":[");
    for (index, frame) in error.trace.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str("{\"function\":");
        match frame.function {
            Some(name) => write_json_string(out, name),
            None => out.push_str("null"),
        }
        let _ = write!(out, ",\"line\":{},\"span\":", frame.line);
        json_optional_span(out, file, frame.span);
        out.push('}');
    }
    out.push_str("]}\n");
}

fn json_optional_span(out: &mut String, file: &SourceFile, span: Option<Span>) {
    match span {
        Some(span) => json_span(out, file, span),
        None => out.push_str("null"),
    }
}
