//! Statements: `print`, blocks, `if`, `while`, `for`, `return` and expression
//! statements.

use bumplox_diagnostics::Diagnostic;
use bumplox_lexer::TokenKind;
use bumplox_tree::{
    Alloc, Block, Builder, Expr, ExprStmt, ForStmt, IfBranch, IfStmt, PrintStmt, ReturnStmt, Stmt,
    WhileStmt,
};

use crate::parser::{FunctionKind, Parser};

impl<'a, A: Alloc<'a>, B: Builder<'a, A>> Parser<'a, '_, A, B> {
    /// `statement := print | block | if | while | for | return | expr_stmt`.
    pub(crate) fn statement(&mut self) -> Option<Stmt<'a, A>> {
        if !self.enter() {
            self.leave();
            return None;
        }
        let stmt = match self.current.kind {
            TokenKind::Print => {
                self.advance();
                self.print_statement()
            }
            TokenKind::LeftBrace => {
                self.advance();
                let open = self.previous.span;
                let (statements, close) = self.block_body(open);
                let block = Block {
                    statements,
                    span: open.to(close),
                };
                Some(Stmt::Block(self.builder.block(block)))
            }
            TokenKind::If => {
                self.advance();
                self.if_statement()
            }
            TokenKind::While => {
                self.advance();
                self.while_statement()
            }
            TokenKind::For => {
                self.advance();
                self.for_statement()
            }
            TokenKind::Return => {
                self.advance();
                self.return_statement()
            }
            _ => self.expression_statement(),
        };
        self.leave();
        stmt
    }

    fn print_statement(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let expr = self.expression();
        self.consume(TokenKind::Semicolon, "Expect ';' after value.");
        let print = PrintStmt {
            expr,
            span: start.to(self.previous.span),
        };
        Some(Stmt::Print(self.builder.print_stmt(print)))
    }

    fn expression_statement(&mut self) -> Option<Stmt<'a, A>> {
        let expr = self.expression();
        self.consume(TokenKind::Semicolon, "Expect ';' after expression.");
        let statement = ExprStmt {
            span: self.builder.expr_span(&expr).to(self.previous.span),
            expr,
        };
        Some(Stmt::Expression(self.builder.expr_stmt(statement)))
    }

    /// Parses an `if` and its whole `else if` chain into one flat list of
    /// branches: each `else if` is parsed in a loop, not by recursion, so a
    /// long chain costs neither stack nor nesting depth.
    fn if_statement(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let mark = self.scratch.branches.len();
        let mut else_branch = None;
        loop {
            let keyword = self.previous.span;
            let condition = self.parenthesized_condition("Expect '(' after 'if'.");
            let then_branch = self.body_statement();
            if let Some(then_branch) = then_branch {
                self.scratch.branches.push(IfBranch {
                    condition,
                    then_branch,
                    keyword,
                });
            }
            if !self.matches(TokenKind::Else) {
                break;
            }
            if self.matches(TokenKind::If) {
                continue;
            }
            else_branch = self.body_statement();
            break;
        }
        let branches = self.builder.branches(self.scratch.branches.drain(mark..));
        let statement = IfStmt {
            branches,
            else_branch,
            span: start.to(self.previous.span),
        };
        Some(Stmt::If(self.builder.if_stmt(statement)))
    }

    /// `"(" expression ")"` after `if` or `while`.
    fn parenthesized_condition(&mut self, missing_open: &str) -> Expr<'a, A> {
        let open = self.current.span;
        self.consume(TokenKind::LeftParen, missing_open);
        let condition = self.expression();
        self.consume_closing(
            TokenKind::RightParen,
            "Expect ')' after condition.",
            open,
            "the condition",
        );
        condition
    }

    fn while_statement(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let condition = self.parenthesized_condition("Expect '(' after 'while'.");
        let body = self.body_statement()?;
        let statement = WhileStmt {
            condition,
            body,
            span: start.to(self.previous.span),
        };
        Some(Stmt::While(self.builder.while_stmt(statement)))
    }

    fn for_statement(&mut self) -> Option<Stmt<'a, A>> {
        let start = self.previous.span;
        let open = self.current.span;
        self.consume(TokenKind::LeftParen, "Expect '(' after 'for'.");
        let initializer = match self.current.kind {
            TokenKind::Semicolon => {
                self.advance();
                None
            }
            TokenKind::Var => {
                self.advance();
                self.var_declaration()
            }
            _ => self.expression_statement(),
        };
        let condition = match self.matches(TokenKind::Semicolon) {
            true => None,
            false => {
                let condition = self.expression();
                self.consume(TokenKind::Semicolon, "Expect ';' after loop condition.");
                Some(condition)
            }
        };
        let increment = match self.matches(TokenKind::RightParen) {
            true => None,
            false => {
                let increment = self.expression();
                self.consume_closing(
                    TokenKind::RightParen,
                    "Expect ')' after for clauses.",
                    open,
                    "the for clauses",
                );
                Some(increment)
            }
        };
        let body = self.body_statement()?;
        let statement = ForStmt {
            initializer,
            condition,
            increment,
            body,
            span: start.to(self.previous.span),
        };
        Some(Stmt::For(self.builder.for_stmt(statement)))
    }

    fn return_statement(&mut self) -> Option<Stmt<'a, A>> {
        let keyword = self.previous.span;
        if self.function_kind == FunctionKind::Script {
            let diagnostic = Diagnostic::error("Can't return from top-level code.", keyword)
                .with_primary_label("`return` outside of any function");
            self.report(diagnostic, keyword.start);
        }
        let value = match self.matches(TokenKind::Semicolon) {
            true => None,
            false => {
                if self.function_kind == FunctionKind::Initializer {
                    let diagnostic =
                        Diagnostic::error("Can't return a value from an initializer.", keyword)
                            .with_label(self.current.span, "this value")
                            .with_note("`init` always returns the instance it initialized")
                            .with_help("use a bare `return;` to leave an initializer early");
                    self.report(diagnostic, keyword.start);
                }
                let value = self.expression();
                self.consume(TokenKind::Semicolon, "Expect ';' after return value.");
                Some(value)
            }
        };
        let statement = ReturnStmt {
            value,
            keyword,
            span: keyword.to(self.previous.span),
        };
        Some(Stmt::Return(self.builder.return_stmt(statement)))
    }
}
