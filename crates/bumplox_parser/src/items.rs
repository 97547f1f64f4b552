//! Declarations: `class`, `fun` and `var`, and the function bodies they share.

use bumplox_lexer::TokenKind;
use bumplox_source::Span;
use bumplox_tree::{Alloc, Builder, Class, Function, Ident, Param, Stmt, VarDecl, Variable};

use crate::parser::{ClassContext, FunctionKind, Parser};

/// The most parameters a function may declare: the bytecode's argument count
/// is one byte.
const MAX_PARAMETERS: usize = 255;

impl<'a, A: Alloc<'a>, B: Builder<'a, A>> Parser<'a, '_, A, B> {
    /// `declaration := class_decl | fun_decl | var_decl | statement`, followed by
    /// error recovery if anything in it went wrong.
    pub(crate) fn declaration(&mut self) -> Option<Stmt<'a, A>> {
        let stmt = match self.current.kind {
            TokenKind::Class => {
                self.advance();
                self.class_declaration()
            }
            TokenKind::Fun => {
                self.advance();
                self.fun_declaration()
            }
            TokenKind::Var => {
                self.advance();
                self.var_declaration()
            }
            _ => self.statement(),
        };
        if self.panic_mode {
            self.synchronize();
        }
        stmt
    }

    /// Consumes an identifier, or reports `message` at the current token.
    pub(crate) fn consume_ident(&mut self, message: &str) -> Option<Ident<'a>> {
        if !self.consume(TokenKind::Identifier, message) {
            return None;
        }
        Some(self.previous_ident())
    }

    /// Consumes the name of a declaration. When it is missing, the book's
    /// compiler reports it and goes on with the token before as the name (the
    /// `var`, `fun` or `class` keyword, the `(` or `,` before a parameter): that
    /// phantom takes a local slot or a constant and its body is compiled,
    /// which decides the errors that follow (a limit reached, a variable read
    /// in its own initializer inside the body). So bumplox keeps it in the tree
    /// too, under that lexeme, with an empty span where the name is missing.
    /// The span lies where the parser is recovering, so later stages report
    /// nothing about the phantom itself, as the book, in panic mode, does not.
    fn declared_name(&mut self, message: &str) -> Ident<'a> {
        match self.consume_ident(message) {
            Some(name) => name,
            None => Ident {
                name: self.lexeme(self.previous),
                span: Span::empty_at(self.current.span.start),
            },
        }
    }

    pub(crate) fn previous_ident(&self) -> Ident<'a> {
        Ident {
            name: self.lexeme(self.previous),
            span: self.previous.span,
        }
    }

    fn class_declaration(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let name = self.declared_name("Expect class name.");
        let has_superclass = self.matches(TokenKind::Less);
        let superclass = match has_superclass {
            true => self
                .consume_ident("Expect superclass name.")
                .map(|name| Variable {
                    name,
                    id: self.next_id(),
                }),
            false => None,
        };
        // This is the one static error checked here rather than in the
        // resolver: it needs no scopes, and the book's compiler reports it
        // mid-declaration, so its recovery (which can skip the next token)
        // must happen in the parser for the same errors to follow.
        if let Some(superclass) = superclass {
            if name.name == superclass.name.name {
                let diagnostic = self
                    .diagnostic_at(self.previous, "A class can't inherit from itself.")
                    .with_primary_label("the superclass is the class being declared")
                    .with_label(name.span, "the class being declared");
                self.report(diagnostic, self.previous.span.start);
            }
        }
        let enclosing_class = self.class.replace(ClassContext { has_superclass });
        let open = self.current.span;
        self.consume(TokenKind::LeftBrace, "Expect '{' before class body.");
        let mark = self.scratch.methods.len();
        while !self.check(TokenKind::RightBrace) && !self.check(TokenKind::Eof) {
            let method_name = self.declared_name("Expect method name.");
            let kind = match method_name.name {
                "init" => FunctionKind::Initializer,
                _ => FunctionKind::Method,
            };
            let method = self.function(method_name, kind);
            if let Some(method) = method {
                self.scratch.methods.push(method);
            }
        }
        self.class = enclosing_class;
        self.consume_closing(
            TokenKind::RightBrace,
            "Expect '}' after class body.",
            open,
            "the class body",
        );
        let methods = self.builder.methods(self.scratch.methods.drain(mark..));
        let class = Class {
            name,
            id: self.next_id(),
            superclass,
            methods,
            span: start.to(self.previous.span),
        };
        Some(Stmt::Class(self.builder.class(class)))
    }

    fn fun_declaration(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let name = self.declared_name("Expect function name.");
        let mut function = self.function(name, FunctionKind::Function)?;
        function.span = start.to(function.span);
        Some(Stmt::Function(self.builder.function(function)))
    }

    /// Parses a function's parameters and body, the name having been consumed
    /// (or found missing, see [`Parser::declared_name`]) by the caller. Returns
    /// `None` only when nesting is too deep.
    pub(crate) fn function(
        &mut self,
        name: Ident<'a>,
        kind: FunctionKind,
    ) -> Option<Function<'a, A>> {
        let start = name.span;
        if !self.enter() {
            self.leave();
            return None;
        }
        let enclosing_kind = std::mem::replace(&mut self.function_kind, kind);
        let open_paren = self.current.span;
        self.consume(TokenKind::LeftParen, "Expect '(' after function name.");
        let mark = self.scratch.params.len();
        if !self.check(TokenKind::RightParen) {
            let mut arity = 0;
            loop {
                arity += 1;
                if arity > MAX_PARAMETERS {
                    let diagnostic = self
                        .diagnostic_at(self.current, "Can't have more than 255 parameters.")
                        .with_note("a function's parameter count must fit in one byte of bytecode");
                    self.report(diagnostic, self.current.span.start);
                }
                let param = self.declared_name("Expect parameter name.");
                let id = self.next_id();
                self.scratch.params.push(Param { name: param, id });
                if !self.matches(TokenKind::Comma) {
                    break;
                }
            }
        }
        self.consume_closing(
            TokenKind::RightParen,
            "Expect ')' after parameters.",
            open_paren,
            "the parameter list",
        );
        let params = self.builder.params(self.scratch.params.drain(mark..));
        let open_brace = self.current.span;
        self.consume(TokenKind::LeftBrace, "Expect '{' before function body.");
        let (body, close_brace) = self.block_body(open_brace);
        self.function_kind = enclosing_kind;
        self.leave();
        Some(Function {
            name,
            params,
            body,
            id: self.next_id(),
            close_brace_start: close_brace.start,
            span: start.to(self.previous.span),
        })
    }

    pub(crate) fn var_declaration(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let name = self.declared_name("Expect variable name.");
        let initializer = match self.matches(TokenKind::Equal) {
            true => Some(self.expression()),
            false => None,
        };
        self.consume(
            TokenKind::Semicolon,
            "Expect ';' after variable declaration.",
        );
        let declaration = VarDecl {
            name,
            initializer,
            id: self.next_id(),
            span: start.to(self.previous.span),
        };
        Some(Stmt::Var(self.builder.var_decl(declaration)))
    }

    /// Parses declarations up to the closing `}` of a block or function body
    /// whose `{` is at `open`; returns them and the span of the `}`.
    pub(crate) fn block_body(
        &mut self,
        open: Span,
    ) -> (bumplox_tree::List<'a, A, Stmt<'a, A>>, Span) {
        let mark = self.scratch.stmts.len();
        while !self.check(TokenKind::RightBrace) && !self.check(TokenKind::Eof) {
            let stmt = self.declaration();
            self.push_stmt(stmt);
        }
        self.consume_closing(
            TokenKind::RightBrace,
            "Expect '}' after block.",
            open,
            "the block",
        );
        let statements = self.builder.stmts(self.scratch.stmts.drain(mark..));
        (statements, self.previous.span)
    }
}
