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

    pub(crate) fn previous_ident(&self) -> Ident<'a> {
        Ident {
            name: self.lexeme(self.previous),
            span: self.previous.span,
        }
    }

    fn class_declaration(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let name = self.consume_ident("Expect class name.");
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
        if let (Some(name), Some(superclass)) = (name, superclass) {
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
            let method_name = self.consume_ident("Expect method name.");
            let kind = match method_name {
                Some(Ident { name: "init", .. }) => FunctionKind::Initializer,
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
        let name = name?;
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
        let name = self.consume_ident("Expect function name.");
        let mut function = self.function(name, FunctionKind::Function)?;
        function.span = start.to(function.span);
        Some(Stmt::Function(self.builder.function(function)))
    }

    /// Parses a function's parameters and body, the name having been consumed
    /// (or found missing) by the caller. Returns `None` when the name is missing,
    /// after consuming exactly what the book's compiler would.
    pub(crate) fn function(
        &mut self,
        name: Option<Ident<'a>>,
        kind: FunctionKind,
    ) -> Option<Function<'a, A>> {
        let start = name.map_or(self.current.span, |name| name.span);
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
                if let Some(param) = self.consume_ident("Expect parameter name.") {
                    let id = self.next_id();
                    self.scratch.params.push(Param { name: param, id });
                }
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
        let name = name?;
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
        // Without a name, the book's compiler declares the token before the
        // missing one (the `var` itself) and goes on: that phantom variable
        // takes a local slot or a constant, which decides whether a later
        // limit error is reported. Keeping it in the tree under that name
        // makes bumplox's errors the book's; the declaration is in the
        // stretch the parser recovered in, so nothing else reports on it.
        let name = match self.consume_ident("Expect variable name.") {
            Some(name) => name,
            None => self.previous_ident(),
        };
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
