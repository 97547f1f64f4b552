//! The parser's state: the token window, error reporting and recovery, the
//! nesting guard and the scratch lists that nodes' lists are built in.

use bumplox_diagnostics::{BookLocation, Diagnostic};
use bumplox_lexer::{Lexer, Token, TokenKind};
use bumplox_source::Span;
use bumplox_tree::{Alloc, Builder, Expr, Function, IfBranch, NodeId, Param, Program, Stmt};

/// How deeply statements, functions and expressions may nest, counting every
/// statement, function body and (sub)expression that contains another. The
/// parser recurses once per level, and so do the later passes over statements,
/// so this bound is what keeps a hostile input from overflowing the stack: 256
/// levels use well under 1 MiB of stack even in a debug build. No realistic
/// program comes near it (an `else if` chain does not count: it is a list).
pub const MAX_NESTING: usize = 256;

/// How many tokens the parser reads between two checks of the builder's memory
/// limit: often enough to bound the overshoot, rarely enough to cost nothing.
const MEMORY_CHECK_INTERVAL: u32 = 4096;

/// How many errors one parse reports before it only counts them.
pub const MAX_ERRORS: usize = 100;

/// The result of parsing one file: always a tree, plus what went wrong.
pub struct Parse<'a, A: Alloc<'a>> {
    pub program: Program<'a, A>,
    /// Syntax and lexical errors in source order, then a note counting those
    /// beyond [`MAX_ERRORS`].
    pub diagnostics: Vec<Diagnostic>,
    /// The stretches of source in which the parser was recovering from an error
    /// (from the bad token to where it resumed). The book's one-pass compiler
    /// reports nothing there, so later passes drop their errors in them too.
    pub recovery_spans: Vec<Span>,
    /// Where each loop body or `if` branch ended while the parser was in panic
    /// mode: the offsets, in source order, of those statements' ends. The book's
    /// compiler patches a statement's jumps right after its body, so a jump too
    /// long for a body that ended in an error is never reported; which bodies
    /// did is only known while parsing, since an error at the token after a
    /// body can come either before the jump is patched (the body's own missing
    /// `}`) or after it (the next statement's error).
    pub recovered_body_ends: Vec<u32>,
    /// How many syntax errors were counted but not reported, beyond
    /// [`MAX_ERRORS`]; the note in `diagnostics` says the same in words.
    pub hidden_errors: usize,
}

impl<'a, A: Alloc<'a>> Parse<'a, A> {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Whether `at` falls in one of `recovery_spans`, where the book's compiler
/// was recovering from a syntax error and reported nothing: later stages drop
/// their errors there.
///
/// The parser records the spans in source order and they do not overlap (a
/// new recovery starts only after the last one ended), which lets the lookup
/// be a binary search: a file with 100,000 errors in every stage stays
/// linear-logarithmic rather than quadratic.
pub fn in_recovery(recovery_spans: &[Span], at: u32) -> bool {
    bumplox_source::in_sorted_spans(recovery_spans, at)
}

/// Parses `text` (at most `bumplox_source::MAX_SOURCE_LEN` bytes) into a tree
/// built by `builder`.
pub fn parse<'a, A: Alloc<'a>, B: Builder<'a, A>>(text: &'a str, builder: &B) -> Parse<'a, A> {
    parse_with_static_errors(text, builder, &[])
}

/// Like [`parse`], knowing where later stages found static errors: `errors`
/// holds the start offsets, in increasing order, of the tokens the resolver
/// reported them at. The book's compiler finds those errors while parsing, and
/// each puts it into panic mode just after its token, like a syntax error: the
/// errors after it in the same declaration are not reported, and the parser
/// resynchronizes at the declaration's end. The parser does the same here,
/// reporting nothing itself for them; the stretch it then recovers in starts
/// after the token, so the static error itself is kept.
pub fn parse_with_static_errors<'a, A: Alloc<'a>, B: Builder<'a, A>>(
    text: &'a str,
    builder: &B,
    errors: &[u32],
) -> Parse<'a, A> {
    let mut parser = Parser::new(text, builder);
    parser.static_errors = errors;
    parser.advance();
    let mark = parser.scratch.stmts.len();
    while !parser.check(TokenKind::Eof) {
        let stmt = parser.declaration();
        parser.push_stmt(stmt);
    }
    let statements = parser.builder.stmts(parser.scratch.stmts.drain(mark..));
    parser.finish(statements)
}

/// Parses the top-level declarations of `text` from byte `start` on (the
/// start of a top-level declaration, as an earlier call returned) until the
/// end of the text, or until the first declaration boundary at least
/// `budget` bytes past `start`. Returns the tree of those declarations and
/// where the next call should start, if anything is left.
///
/// This lets a caller compile a large file a piece at a time and drop each
/// piece's tree before the next is built. The pieces parse as the whole file
/// would as long as they have no errors: a top-level declaration boundary is
/// where the parser's state is empty (no open scope, class or function, and
/// no recovery). A piece with errors says nothing about how the whole file's
/// errors read, so a caller parses the whole file again when one has any.
pub fn parse_piece<'a, A: Alloc<'a>, B: Builder<'a, A>>(
    text: &'a str,
    builder: &B,
    start: u32,
    budget: u32,
) -> (Parse<'a, A>, Option<u32>) {
    let mut parser = Parser::new(text, builder);
    parser.lexer = Lexer::starting_at(text, start);
    parser.advance();
    let mark = parser.scratch.stmts.len();
    let mut next = None;
    while !parser.check(TokenKind::Eof) {
        let stmt = parser.declaration();
        parser.push_stmt(stmt);
        if parser.current.span.start.saturating_sub(start) >= budget
            && !parser.check(TokenKind::Eof)
        {
            next = Some(parser.current.span.start);
            break;
        }
    }
    let statements = parser.builder.stmts(parser.scratch.stmts.drain(mark..));
    (parser.finish(statements), next)
}

/// Vectors that lists are collected in before the builder copies them into
/// place. Nested lists push on top of their parents' items and drain only
/// their own part, so one vector per element type serves the whole parse and
/// the arena strategies make no heap allocation per list.
pub(crate) struct Scratch<'a, A: Alloc<'a>> {
    pub(crate) stmts: Vec<Stmt<'a, A>>,
    pub(crate) exprs: Vec<Expr<'a, A>>,
    pub(crate) params: Vec<Param<'a>>,
    pub(crate) branches: Vec<IfBranch<'a, A>>,
    pub(crate) methods: Vec<Function<'a, A>>,
}

/// The kind of function being parsed, for the static errors about `return`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FunctionKind {
    Script,
    Function,
    Method,
    Initializer,
}

/// The class whose body is being parsed, for the static errors about `this`
/// and `super`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ClassContext {
    /// Whether the class declares a superclass, even one whose name is missing
    /// (the book's compiler sets this once it has seen the `<`).
    pub(crate) has_superclass: bool,
}

pub(crate) struct Parser<'a, 'b, A: Alloc<'a>, B: Builder<'a, A>> {
    /// The static errors later stages found, not yet reached (see
    /// [`parse_with_static_errors`]).
    static_errors: &'b [u32],
    pub(crate) text: &'a str,
    lexer: Lexer<'a>,
    pub(crate) builder: &'b B,
    pub(crate) previous: Token,
    pub(crate) current: Token,
    diagnostics: Vec<Diagnostic>,
    /// Set by an error and cleared when recovery reaches a statement boundary;
    /// while set, further errors are not reported (they are mostly echoes).
    pub(crate) panic_mode: bool,
    /// Where the current recovery started, while `panic_mode` is set.
    recovery_start: u32,
    recovery_spans: Vec<Span>,
    recovered_body_ends: Vec<u32>,
    error_count: usize,
    /// Set when nesting went past [`MAX_NESTING`]: the rest of the input is
    /// skipped and nothing more is reported.
    aborted: bool,
    depth: usize,
    tokens_since_check: u32,
    next_id: u32,
    pub(crate) scratch: Scratch<'a, A>,
    /// The innermost function being parsed. The static errors that need no
    /// scopes (`return` at the top level or with a value in `init`, `this` and
    /// `super` outside a class) are reported here, not by the resolver: the
    /// book's compiler finds them while parsing, and they put it into panic
    /// mode like a syntax error, which decides the errors that follow.
    pub(crate) function_kind: FunctionKind,
    /// The innermost class being parsed, if any.
    pub(crate) class: Option<ClassContext>,
}

impl<'a, 'b, A: Alloc<'a>, B: Builder<'a, A>> Parser<'a, 'b, A, B> {
    fn new(text: &'a str, builder: &'b B) -> Self {
        let eof = Token {
            kind: TokenKind::Eof,
            span: Span::empty_at(0),
        };
        Parser {
            static_errors: &[],
            text,
            lexer: Lexer::new(text),
            builder,
            previous: eof,
            current: eof,
            diagnostics: Vec::new(),
            panic_mode: false,
            recovery_start: 0,
            recovery_spans: Vec::new(),
            recovered_body_ends: Vec::new(),
            error_count: 0,
            aborted: false,
            depth: 0,
            tokens_since_check: 0,
            next_id: 0,
            scratch: Scratch {
                stmts: Vec::new(),
                exprs: Vec::new(),
                params: Vec::new(),
                branches: Vec::new(),
                methods: Vec::new(),
            },
            function_kind: FunctionKind::Script,
            class: None,
        }
    }

    fn finish(mut self, statements: bumplox_tree::List<'a, A, Stmt<'a, A>>) -> Parse<'a, A> {
        if self.panic_mode {
            self.end_recovery();
        }
        if self.error_count > MAX_ERRORS {
            let hidden = self.error_count - MAX_ERRORS;
            let end = Span::empty_at(self.current.span.end);
            self.diagnostics.push(Diagnostic::note(
                format!(
                    "{hidden} more syntax errors were not shown (only the first {MAX_ERRORS} are)"
                ),
                end,
            ));
        }
        Parse {
            program: Program {
                statements,
                node_count: self.next_id,
                store: self.builder.finish(),
            },
            diagnostics: self.diagnostics,
            recovery_spans: {
                debug_assert!(
                    self.recovery_spans
                        .windows(2)
                        .all(|pair| pair[0].end.max(pair[0].start + 1)
                            <= pair[1].start.max(pair[0].start + 1)
                            && pair[0].start <= pair[1].start),
                    "recovery spans are in source order and disjoint"
                );
                self.recovery_spans
            },
            recovered_body_ends: self.recovered_body_ends,
            hidden_errors: self.error_count.saturating_sub(MAX_ERRORS),
        }
    }

    /// A fresh id for a node the resolver will annotate.
    pub(crate) fn next_id(&mut self) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Parses the body of a loop or a branch of an `if`, noting whether it
    /// ended in panic mode (see [`Parse::recovered_body_ends`]).
    pub(crate) fn body_statement(&mut self) -> Option<Stmt<'a, A>> {
        let body = self.statement();
        if self.panic_mode {
            let end = self.previous.span.end;
            // Nested bodies end together; each end is noted once.
            if self.recovered_body_ends.last() != Some(&end) {
                self.recovered_body_ends.push(end);
            }
        }
        body
    }

    pub(crate) fn push_stmt(&mut self, stmt: Option<Stmt<'a, A>>) {
        if let Some(stmt) = stmt {
            self.scratch.stmts.push(stmt);
        }
    }

    // ---- The token window -------------------------------------------------

    /// Moves to the next token, reporting (and skipping) lexical error tokens as
    /// the book's compiler does.
    ///
    /// The book's compiler reads the token after the one it consumes right
    /// away, so a lexical error there is reported before anything is done
    /// with the consumed token: before the static errors a later stage finds
    /// at it (a local read in its own initializer, a duplicate, a limit),
    /// which that error's panic mode then suppresses. So a lexical error's
    /// recovery span starts at the consumed token, and the later stages'
    /// errors are reached only after the next token is read.
    pub(crate) fn advance(&mut self) {
        self.previous = self.current;
        if self.aborted {
            self.current = Token {
                kind: TokenKind::Eof,
                span: Span::empty_at(self.eof_offset()),
            };
            return;
        }
        self.tokens_since_check += 1;
        if self.tokens_since_check == MEMORY_CHECK_INTERVAL {
            self.tokens_since_check = 0;
            if let Some(limit) = self.builder.over_limit() {
                self.out_of_memory(limit);
                return;
            }
        }
        loop {
            self.current = self.lexer.next_token();
            let Some(message) = self.current.kind.error_message() else {
                break;
            };
            let diagnostic =
                Diagnostic::error(message, self.current.span).with_location(BookLocation::Bare);
            let diagnostic = match self.current.kind {
                TokenKind::UnterminatedString => diagnostic
                    .with_primary_label("this string has no closing `\"`")
                    .with_help("add a `\"` where the string should end"),
                _ => diagnostic.with_primary_label("no Lox token starts with this character"),
            };
            self.report(diagnostic, self.previous.span.start);
        }
        self.reach_static_errors();
    }

    /// Enters panic mode silently when the token just consumed is one a later
    /// stage reported a static error at.
    fn reach_static_errors(&mut self) {
        let at = self.previous.span.start;
        while let Some((&first, rest)) = self.static_errors.split_first() {
            if first > at {
                return;
            }
            self.static_errors = rest;
            if first == at && !self.panic_mode && !self.aborted {
                self.panic_mode = true;
                self.recovery_start = self.previous.span.end;
            }
        }
    }

    fn eof_offset(&self) -> u32 {
        u32::try_from(self.text.len()).unwrap_or(u32::MAX)
    }

    pub(crate) fn check(&self, kind: TokenKind) -> bool {
        self.current.kind == kind
    }

    pub(crate) fn matches(&mut self, kind: TokenKind) -> bool {
        if !self.check(kind) {
            return false;
        }
        self.advance();
        true
    }

    /// Consumes a token of `kind`, or reports `message` at the current token.
    pub(crate) fn consume(&mut self, kind: TokenKind, message: &str) -> bool {
        if self.matches(kind) {
            return true;
        }
        self.error_at_current(message);
        false
    }

    /// Like [`Parser::consume`], adding a label at the token that opened what
    /// the expected token closes.
    pub(crate) fn consume_closing(
        &mut self,
        kind: TokenKind,
        message: &str,
        opened: Span,
        what: &str,
    ) -> bool {
        if self.matches(kind) {
            return true;
        }
        let diagnostic = self
            .diagnostic_at(self.current, message)
            .with_label(opened, format!("{what} opened here"));
        self.report(diagnostic, self.current.span.start);
        false
    }

    /// The text of a token.
    pub(crate) fn lexeme(&self, token: Token) -> &'a str {
        self.text.get(token.span.range()).unwrap_or_default()
    }

    // ---- Errors and recovery ----------------------------------------------

    pub(crate) fn error_at_current(&mut self, message: &str) {
        let diagnostic = self.diagnostic_at(self.current, message);
        self.report(diagnostic, self.current.span.start);
    }

    /// Names a token for a label: "found `x`" or "found the end of the file".
    pub(crate) fn found(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Eof => "found the end of the file".to_string(),
            _ => format!("found `{}`", self.lexeme(token)),
        }
    }

    pub(crate) fn diagnostic_at(&self, token: Token, message: &str) -> Diagnostic {
        let location = match token.kind {
            TokenKind::Eof => BookLocation::End,
            _ => BookLocation::Token,
        };
        let found = self.found(token);
        Diagnostic::error(message, token.span)
            .with_location(location)
            .with_primary_label(found)
    }

    /// Records an error unless the parser is already recovering from one.
    pub(crate) fn report(&mut self, diagnostic: Diagnostic, at: u32) {
        if self.panic_mode || self.aborted {
            return;
        }
        self.panic_mode = true;
        self.recovery_start = at;
        self.error_count += 1;
        if self.error_count <= MAX_ERRORS {
            self.diagnostics.push(diagnostic);
        }
    }

    fn end_recovery(&mut self) {
        self.panic_mode = false;
        let end = self.current.span.start.max(self.recovery_start);
        self.recovery_spans
            .push(Span::new(self.recovery_start, end));
    }

    /// Skips tokens to a likely statement boundary: just past a `;`, or before a
    /// keyword that starts a declaration or statement.
    ///
    /// The book's compiler leaves panic mode *before* it skips, so the first
    /// lexical error among the skipped tokens (an unterminated string, a stray
    /// character) is reported, and puts it back into panic mode for the next
    /// declaration. bumplox does the same, so that its errors are the book's.
    pub(crate) fn synchronize(&mut self) {
        let start = self.recovery_start;
        self.panic_mode = false;
        while !self.check(TokenKind::Eof) {
            if self.previous.kind == TokenKind::Semicolon {
                break;
            }
            match self.current.kind {
                TokenKind::Class
                | TokenKind::Fun
                | TokenKind::Var
                | TokenKind::For
                | TokenKind::If
                | TokenKind::While
                | TokenKind::Print
                | TokenKind::Return => break,
                _ => self.advance(),
            }
        }
        let relapsed = self.panic_mode;
        self.recovery_start = start;
        self.end_recovery();
        if relapsed {
            self.panic_mode = true;
            self.recovery_start = self.current.span.start;
        }
    }

    // ---- The nesting guard ------------------------------------------------

    /// Enters one level of nesting. Past [`MAX_NESTING`] it reports the error
    /// once, at the token that went too deep, and makes the rest of the input
    /// look like its end, so every parsing function unwinds at once.
    pub(crate) fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth <= MAX_NESTING || self.aborted {
            return !self.aborted;
        }
        let diagnostic = self
            .diagnostic_at(self.current, "Too much nesting.")
            .with_note(format!(
                "statements, functions and expressions may nest at most {MAX_NESTING} levels deep"
            ))
            .with_help("move the inner part into a function");
        // A report suppressed by panic mode must still stop the parse.
        self.panic_mode = false;
        self.report(diagnostic, self.current.span.start);
        self.stop_here();
        false
    }

    /// Stops the parse because the tree outgrew the builder's limit: one
    /// error at the current token, and the rest of the input is skipped.
    fn out_of_memory(&mut self, limit: usize) {
        let diagnostic = self
            .diagnostic_at(self.current, "Out of memory.")
            .with_primary_label("the syntax tree outgrew its memory limit here")
            .with_note(format!("the tree may use at most {limit} bytes"))
            .with_help("raise the limit with `--max-memory`");
        self.panic_mode = false;
        self.report(diagnostic, self.current.span.start);
        self.stop_here();
    }

    /// Makes the rest of the input look like its end, so that every parsing
    /// function unwinds at once, and nothing more is reported.
    fn stop_here(&mut self) {
        self.aborted = true;
        self.current = Token {
            kind: TokenKind::Eof,
            span: Span::empty_at(self.eof_offset()),
        };
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    pub(crate) fn error_expr(&self) -> Expr<'a, A> {
        Expr::Error(self.builder.error(self.previous.span))
    }
}
