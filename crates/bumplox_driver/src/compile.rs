//! The front-end and code generation for one source file: parse, resolve and,
//! when asked, compile to bytecode. The tree's arena is dropped before this
//! returns, so a program runs with the tree's memory already given back.

use bumplox_bytecode::{FunctionProto, MAX_CONSTANTS};
use bumplox_diagnostics::Diagnostic;
use bumplox_parser::{Parse, MAX_ERRORS};
use bumplox_source::{SourceFile, Span};
use bumplox_tree::{Alloc, Builder, WithBuilder};

use crate::cli::Options;
use crate::session::{parse_with, TreeTask};

/// What compiling one file produced.
pub struct Compiled {
    /// Every diagnostic, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The script, when bytecode was asked for and there was no error.
    pub script: Option<FunctionProto>,
}

/// How many times a file may be parsed again to agree with the resolver.
const MAX_REPARSES: usize = 4;

struct Compile<'f> {
    file: &'f SourceFile,
    codegen: bool,
}

impl TreeTask for Compile<'_> {
    type Output = Compiled;

    fn run<'a, A: Alloc<'a>>(
        self,
        parse: Parse<'a, A>,
        reparse: &dyn Fn(&[u32]) -> Parse<'a, A>,
    ) -> Compiled {
        // The book's compiler finds the resolver's and the code generator's
        // errors while parsing, and each puts it into panic mode: the syntax
        // errors after it in the same declaration are not reported, and it
        // resynchronizes at the declaration's end, which can skip tokens. So
        // when the later stages find errors the parser did not know of, the
        // text is parsed again knowing them, and the stages run again, until
        // they agree (once, nearly always; a few times at most, in case a
        // later error comes and goes). A file without errors is parsed once.
        let mut parse = parse;
        let mut known: Vec<u32> = Vec::new();
        let mut rounds = 0;
        loop {
            let (resolution, resolve_diagnostics) =
                bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
            // The book's compiler goes on generating code after an error, so
            // its limit errors (too many constants, a jump or loop too long)
            // are reported in a file with other errors too, except where it
            // was recovering from a syntax error. Code is generated from the
            // tree as recovered, which holds what the book's compiler
            // generated code for.
            // Sorted, so that each code generator error looks itself up in
            // logarithmic time: a file may hold 100,000 of each.
            let mut resolver_blamed: Vec<u32> = resolve_diagnostics
                .iter()
                .map(|diagnostic| diagnostic.span.start)
                .collect();
            resolver_blamed.sort_unstable();
            let (script, codegen_diagnostics) = match self.codegen {
                false => (None, Vec::new()),
                true => match bumplox_codegen::compile_recovered(
                    &parse.program,
                    &resolution,
                    self.file,
                    &parse.recovered_body_ends,
                ) {
                    Ok(script) => (Some(script), Vec::new()),
                    Err(errors) => (
                        None,
                        errors
                            .into_iter()
                            // An error at a token the resolver already
                            // reported at is one the book never sees: its
                            // first error there put it into panic mode (a
                            // local past the 256th is not given a constant).
                            .filter(|error| {
                                !bumplox_parser::in_recovery(
                                    &parse.recovery_spans,
                                    error.span.start,
                                ) && resolver_blamed.binary_search(&error.span.start).is_err()
                            })
                            .collect(),
                    ),
                },
            };
            let mut found: Vec<u32> = resolve_diagnostics
                .iter()
                .chain(&codegen_diagnostics)
                .filter(|diagnostic| diagnostic.is_error())
                .map(|diagnostic| diagnostic.span.start)
                .collect();
            found.sort_unstable();
            found.dedup();
            if found == known || rounds == MAX_REPARSES {
                let hidden_syntax_errors = parse.hidden_errors;
                let mut diagnostics = parse.diagnostics;
                // The parser's note about the syntax errors it did not report
                // is replaced by one note for the whole file (`cap_errors`).
                diagnostics.retain(Diagnostic::is_error);
                let has_errors =
                    !diagnostics.is_empty() || resolve_diagnostics.iter().any(Diagnostic::is_error);
                diagnostics.extend(resolve_diagnostics);
                diagnostics.extend(codegen_diagnostics);
                sort(&mut diagnostics);
                cap_errors(&mut diagnostics, hidden_syntax_errors, self.file);
                return Compiled {
                    diagnostics,
                    script: script.filter(|_| !has_errors),
                };
            }
            known = found;
            parse = reparse(&known);
            rounds += 1;
        }
    }
}

/// Puts diagnostics in source order. Each stage's list is in source order; a
/// stable sort merges them.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|diagnostic| (diagnostic.severity, diagnostic.span.start));
}

/// Keeps the first [`MAX_ERRORS`] errors of the whole file, in source order,
/// and counts the rest in one note at the end. The parser stops reporting at
/// that many, but the resolver and code generator do not (65,536 locals are
/// 65,281 errors), and each error shown costs rendering and a reader's time.
fn cap_errors(diagnostics: &mut Vec<Diagnostic>, hidden_syntax_errors: usize, file: &SourceFile) {
    let dropped = diagnostics.len().saturating_sub(MAX_ERRORS);
    diagnostics.truncate(MAX_ERRORS);
    let hidden = hidden_syntax_errors + dropped;
    if hidden == 0 {
        return;
    }
    diagnostics.push(Diagnostic::note(
        format!("{hidden} more errors were not shown (only the first {MAX_ERRORS} are)"),
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

/// How much source one piece of [`compile_in_pieces`] parses at least; the
/// piece ends at the first top-level declaration boundary past it.
const PIECE_BYTES: u32 = 1 << 20;

/// What compiling a file piece by piece produced: the diagnostics (of the
/// whole file, when there are any) and, when asked for, one script per piece,
/// to be run one after the other (`Vm::run_pieces`).
pub struct CompiledPieces {
    pub diagnostics: Vec<Diagnostic>,
    pub scripts: Vec<FunctionProto>,
}

/// Whether [`compile_in_pieces`] keeps the bytecode it generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bytecode {
    /// For `run`: every piece's script is returned.
    Keep,
    /// For `check`, which generates code only for its errors: each piece's
    /// script is dropped once made, so a large file's bytecode is never held
    /// whole.
    Drop,
}

/// Compiles `file` as [`compile`] does, but a piece of about [`PIECE_BYTES`]
/// of top-level declarations at a time, each piece's tree freed before the
/// next is parsed: a large file then never holds more than one piece's tree,
/// its resolver tables and the bytecode, and the pages a piece used are
/// reused for the next while they are still in the cache.
///
/// A piece compiles exactly as the same declarations do in the whole file
/// when it has no diagnostics, and the only thing pieces share (the top-level
/// script's constant table) is checked: when a piece has any diagnostic, or
/// the pieces' scripts hold more constants together than one script may, the
/// whole file is compiled again at once, so that what is reported is exactly
/// what [`compile`] reports.
pub fn compile_in_pieces(
    file: &SourceFile,
    options: &Options,
    bytecode: Bytecode,
) -> CompiledPieces {
    let whole_file = || {
        let compiled = compile(file, options, true);
        CompiledPieces {
            diagnostics: compiled.diagnostics,
            scripts: match bytecode {
                Bytecode::Keep => compiled.script.into_iter().collect(),
                Bytecode::Drop => Vec::new(),
            },
        }
    };
    if file.len() <= PIECE_BYTES {
        return whole_file();
    }
    let mut scripts = Vec::new();
    let mut constants = 0;
    let mut start = Some(0);
    while let Some(at) = start {
        let piece = Piece { file, start: at };
        let Some((script, next)) =
            bumplox_tree::with_builder(options.alloc.0, Some(options.max_memory), piece)
        else {
            return whole_file();
        };
        constants += script.chunk.constants.len();
        if constants > MAX_CONSTANTS {
            return whole_file();
        }
        match bytecode {
            Bytecode::Keep => scripts.push(script),
            Bytecode::Drop => drop(script),
        }
        start = next;
    }
    CompiledPieces {
        diagnostics: Vec::new(),
        scripts,
    }
}

/// One piece of [`compile_in_pieces`]: parses, resolves and compiles the
/// top-level declarations from `start` on, in an arena of its own. `None`
/// when anything in the piece has a diagnostic.
struct Piece<'f> {
    file: &'f SourceFile,
    start: u32,
}

impl<'f> WithBuilder<'f> for Piece<'f> {
    type Output = Option<(FunctionProto, Option<u32>)>;

    fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> Self::Output
    where
        'f: 'a,
    {
        let text: &'a str = self.file.text();
        let (parse, next) = bumplox_parser::parse_piece(text, builder, self.start, PIECE_BYTES);
        if !parse.diagnostics.is_empty() {
            return None;
        }
        let (resolution, diagnostics) =
            bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        if !diagnostics.is_empty() {
            return None;
        }
        let script = bumplox_codegen::compile(&parse.program, &resolution, self.file).ok()?;
        Some((script, next))
    }
}
