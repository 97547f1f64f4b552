//! Writing diagnostics and runtime errors to standard error, with color when it
//! helps.

use std::io::IsTerminal;

use bumplox_diagnostics::{
    render, render_runtime_error, ColorChoice, Diagnostic, ErrorFormat, RenderOptions,
    RuntimeErrorReport, TraceFrame,
};
use bumplox_source::SourceFile;
use bumplox_vm::RuntimeError;

use crate::cli::Options;

/// Resolves `--color auto` against the terminal and `NO_COLOR`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            !no_color && std::io::stderr().is_terminal()
        }
    }
}

pub fn render_options(options: &Options) -> RenderOptions {
    RenderOptions {
        format: options.error_format,
        color: options.error_format == ErrorFormat::Rich && use_color(options.color),
    }
}

/// Writes to standard output; a closed pipe (`bumplox layout | head`) ends the
/// process quietly, any other failure with exit 74 (see `stdio::fail`).
pub fn print_stdout(text: &str) {
    crate::stdio::out(text);
}

/// Writes to standard error; a failed write ends the process (see `stdio::fail`).
pub fn print_stderr(text: &str) {
    crate::stdio::err(text);
}

/// Renders diagnostics for standard error.
pub fn diagnostics_text(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    options: &Options,
) -> String {
    render(file, diagnostics, render_options(options))
}

pub fn print_diagnostics(file: &SourceFile, diagnostics: &[Diagnostic], options: &Options) {
    crate::stdio::err(&diagnostics_text(file, diagnostics, options));
}

/// Writes a runtime error in the chosen format: the book's lines for `lox`,
/// the failing operation in its source line and the call trace for `rich`,
/// one JSON object with a `trace` array for `json`.
pub fn print_runtime_error(file: &SourceFile, error: &RuntimeError, options: &Options) {
    let trace: Vec<TraceFrame<'_>> = error
        .trace
        .iter()
        .map(|frame| TraceFrame {
            function: frame.function.as_deref(),
            line: frame.line,
            span: frame.span,
        })
        .collect();
    let report = RuntimeErrorReport {
        message: &error.message,
        label: error.label.as_deref(),
        trace: &trace,
    };
    crate::stdio::err(&render_runtime_error(
        file,
        &report,
        render_options(options),
    ));
}

/// A problem that has no place in a source file, such as an unreadable file:
/// one line, in the chosen format.
pub fn print_file_error(name: &str, message: &str, options: &Options) {
    crate::stdio::err(&file_error_text(name, message, options));
}

/// Like [`print_file_error`], for something worth saying that is not a
/// failure, such as a link loop skipped while walking a folder. The book's
/// format has no warnings, so `lox` prints nothing.
pub fn print_file_warning(name: &str, message: &str, options: &Options) {
    if options.error_format == ErrorFormat::Lox {
        return;
    }
    crate::stdio::err(&file_problem_text(name, "warning", message, options));
}

/// The line [`print_file_error`] prints, with its newline.
pub fn file_error_text(name: &str, message: &str, options: &Options) -> String {
    file_problem_text(name, "error", message, options)
}

fn file_problem_text(name: &str, severity: &str, message: &str, options: &Options) -> String {
    let mut line = match options.error_format {
        ErrorFormat::Json => {
            let mut out = String::from("{\"file\":");
            bumplox_source::write_json_string(&mut out, name);
            out.push_str(&format!(",\"severity\":\"{severity}\",\"message\":"));
            bumplox_source::write_json_string(&mut out, message);
            out.push_str(",\"span\":null,\"labels\":[],\"notes\":[],\"help\":null}");
            out
        }
        _ => format!("{severity}: {message}"),
    };
    line.push('\n');
    line
}

/// Reports a source that could not be built: a too-large file as a plain error,
/// invalid UTF-8 as a diagnostic pointing at the bad byte.
pub fn print_source_error(name: &str, error: &bumplox_source::SourceError, options: &Options) {
    crate::stdio::err(&source_error_text(name, error, options));
}

/// What [`print_source_error`] prints.
pub fn source_error_text(
    name: &str,
    error: &bumplox_source::SourceError,
    options: &Options,
) -> String {
    match error {
        bumplox_source::SourceError::TooLarge { limit, .. } => {
            // A limit below the format's own came from the command line.
            let hint = match *limit < bumplox_source::MAX_SOURCE_LEN {
                true => " (see --max-memory)",
                false => "",
            };
            file_error_text(name, &format!("{name}: {error}{hint}"), options)
        }
        bumplox_source::SourceError::InvalidUtf8 { line, .. } => match options.error_format {
            ErrorFormat::Lox => format!("[line {line}] Error: {error}.\n"),
            _ => file_error_text(
                name,
                &format!("{name}: {error}: a Lox source file must be UTF-8"),
                options,
            ),
        },
    }
}
