//! The front-end and code generation for one source file: parse, resolve and,
//! when asked, compile to bytecode. The tree's arena is dropped before this
//! returns, so a program runs with the tree's memory already given back.

use bumplox_bytecode::FunctionProto;
use bumplox_diagnostics::Diagnostic;
use bumplox_parser::Parse;
use bumplox_source::SourceFile;
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
        let mut diagnostics = parse.diagnostics;
        let has_errors = diagnostics
            .iter()
            .chain(&resolve_diagnostics)
            .any(Diagnostic::is_error);
        diagnostics.extend(resolve_diagnostics);
        // Both lists are in source order; a stable sort merges them and keeps
        // the parser's note about suppressed errors last.
        diagnostics.sort_by_key(|diagnostic| (diagnostic.severity, diagnostic.span.start));
        if has_errors || !self.codegen {
            return Compiled {
                diagnostics,
                script: None,
            };
        }
        match bumplox_codegen::compile(&parse.program, &resolution, self.file) {
            Ok(script) => Compiled {
                diagnostics,
                script: Some(script),
            },
            Err(errors) => {
                diagnostics.extend(errors);
                Compiled {
                    diagnostics,
                    script: None,
                }
            }
        }
    }
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
