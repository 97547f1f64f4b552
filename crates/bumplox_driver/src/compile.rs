//! The front-end and code generation for one source file: parse, resolve and,
//! when asked, compile to bytecode. The tree's arena is dropped before this
//! returns, so a program runs with the tree's memory already given back.

use bumplox_bytecode::FunctionProto;
use bumplox_diagnostics::Diagnostic;
use bumplox_parser::{Parse, MAX_ERRORS};
use bumplox_source::{SourceFile, Span};
use bumplox_tree::Alloc;

use crate::cli::Options;
use crate::session::{parse_with, TreeTask};

/// What compiling one file produced.
pub struct Compiled {
    /// Every diagnostic, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The script, when bytecode was asked for and there was no error.
    pub script: Option<FunctionProto>,
}

struct Compile<'f> {
    file: &'f SourceFile,
    codegen: bool,
}

impl TreeTask for Compile<'_> {
    type Output = Compiled;

    fn run<'a, A: Alloc<'a>>(self, parse: Parse<'a, A>) -> Compiled {
        let (resolution, resolve_diagnostics) =
            bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        let hidden_syntax_errors = parse.hidden_errors;
        let mut diagnostics = parse.diagnostics;
        // The parser's note about the syntax errors it did not report is
        // replaced by one note for the whole file, made by `cap_errors`.
        diagnostics.retain(Diagnostic::is_error);
        let mut syntax_only = resolve_diagnostics.is_empty();
        let has_errors = !diagnostics.is_empty() || !syntax_only;
        diagnostics.extend(resolve_diagnostics);
        // Both lists are in source order; a stable sort merges them.
        diagnostics.sort_by_key(|diagnostic| (diagnostic.severity, diagnostic.span.start));
        if !has_errors && self.codegen {
            match bumplox_codegen::compile(&parse.program, &resolution, self.file) {
                Ok(script) => {
                    return Compiled {
                        diagnostics,
                        script: Some(script),
                    }
                }
                Err(errors) => {
                    syntax_only = false;
                    diagnostics.extend(errors);
                }
            }
        }
        cap_errors(
            &mut diagnostics,
            hidden_syntax_errors,
            syntax_only,
            self.file,
        );
        Compiled {
            diagnostics,
            script: None,
        }
    }
}

/// Keeps the first [`MAX_ERRORS`] errors of the whole file, in source order,
/// and counts the rest in one note at the end. The parser stops reporting at
/// that many, but the resolver and code generator do not (65,536 locals are
/// 65,281 errors), and each error shown costs rendering and a reader's time.
fn cap_errors(
    diagnostics: &mut Vec<Diagnostic>,
    hidden_syntax_errors: usize,
    syntax_only: bool,
    file: &SourceFile,
) {
    let dropped = diagnostics.len().saturating_sub(MAX_ERRORS);
    diagnostics.truncate(MAX_ERRORS);
    let hidden = hidden_syntax_errors + dropped;
    if hidden == 0 {
        return;
    }
    let what = match syntax_only {
        true => "syntax errors",
        false => "errors",
    };
    diagnostics.push(Diagnostic::note(
        format!("{hidden} more {what} were not shown (only the first {MAX_ERRORS} are)"),
        Span::empty_at(file.len()),
    ));
}

/// Parses and resolves `file` with the strategy and memory limit in `options`,
/// and compiles it to bytecode if `codegen` is set.
pub fn compile(file: &SourceFile, options: &Options, codegen: bool) -> Compiled {
    parse_with(
        options.alloc,
        options.max_memory,
        file.text(),
        Compile { file, codegen },
    )
}
