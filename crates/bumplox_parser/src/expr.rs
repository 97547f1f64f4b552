//! Expressions, by Pratt parsing: a prefix rule per token that can start an
//! expression, and a binding-power table for the tokens that continue one.

use std::marker::PhantomData;

use bumplox_diagnostics::Diagnostic;
use bumplox_lexer::TokenKind;
use bumplox_tree::{
    Alloc, Assign, Binary, BinaryOp, Builder, Call, Expr, Get, Grouping, Literal, LiteralValue,
    Logical, LogicalOp, Set, Super, This, Unary, UnaryOp, Variable,
};

use crate::parser::{ClassContext, Parser};

/// The most arguments a call may pass: the bytecode's argument count is one byte.
const MAX_ARGUMENTS: usize = 255;

/// Binding powers, weakest first. An infix operator binds when its power is at
/// least the minimum the caller asked for; its right operand is parsed with
/// the next power up, which makes every binary operator left-associative.
/// Assignment is handled by the prefix rules of its targets (it is
/// right-associative and needs to know its left side is assignable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Power {
    Assignment,
    Or,
    And,
    Equality,
    Comparison,
    Term,
    Factor,
    Unary,
    Call,
}

impl Power {
    fn next(self) -> Power {
        match self {
            Power::Assignment => Power::Or,
            Power::Or => Power::And,
            Power::And => Power::Equality,
            Power::Equality => Power::Comparison,
            Power::Comparison => Power::Term,
            Power::Term => Power::Factor,
            Power::Factor => Power::Unary,
            Power::Unary | Power::Call => Power::Call,
        }
    }
}

/// What an infix token builds.
#[derive(Clone, Copy, Debug)]
enum Infix {
    Binary(BinaryOp),
    Logical(LogicalOp),
    Call,
    Dot,
}

/// The binding-power table: every token that can continue an expression.
fn infix_rule(kind: TokenKind) -> Option<(Power, Infix)> {
    let rule = match kind {
        TokenKind::Or => (Power::Or, Infix::Logical(LogicalOp::Or)),
        TokenKind::And => (Power::And, Infix::Logical(LogicalOp::And)),
        TokenKind::EqualEqual => (Power::Equality, Infix::Binary(BinaryOp::Equal)),
        TokenKind::BangEqual => (Power::Equality, Infix::Binary(BinaryOp::NotEqual)),
        TokenKind::Less => (Power::Comparison, Infix::Binary(BinaryOp::Less)),
        TokenKind::LessEqual => (Power::Comparison, Infix::Binary(BinaryOp::LessEqual)),
        TokenKind::Greater => (Power::Comparison, Infix::Binary(BinaryOp::Greater)),
        TokenKind::GreaterEqual => (Power::Comparison, Infix::Binary(BinaryOp::GreaterEqual)),
        TokenKind::Plus => (Power::Term, Infix::Binary(BinaryOp::Add)),
        TokenKind::Minus => (Power::Term, Infix::Binary(BinaryOp::Subtract)),
        TokenKind::Star => (Power::Factor, Infix::Binary(BinaryOp::Multiply)),
        TokenKind::Slash => (Power::Factor, Infix::Binary(BinaryOp::Divide)),
        TokenKind::LeftParen => (Power::Call, Infix::Call),
        TokenKind::Dot => (Power::Call, Infix::Dot),
        _ => return None,
    };
    Some(rule)
}

impl<'a, A: Alloc<'a>, B: Builder<'a, A>> Parser<'a, '_, A, B> {
    pub(crate) fn expression(&mut self) -> Expr<'a, A> {
        self.parse_power(Power::Assignment)
    }

    /// Parses an expression whose operators all bind at least as tightly as
    /// `min_power`. Operators of equal power loop here rather than recurse, so
    /// a long chain costs no stack; only nesting recurses, and it is bounded.
    fn parse_power(&mut self, min_power: Power) -> Expr<'a, A> {
        if !self.enter() {
            self.leave();
            return self.error_expr();
        }
        self.advance();
        let can_assign = min_power <= Power::Assignment;
        // Like the book's compiler, a token that cannot start an expression
        // ends the expression at once: the tokens after it are not taken as
        // operators, so recovery starts from the same place.
        let Some(mut left) = self.prefix(can_assign) else {
            self.leave();
            return self.error_expr();
        };
        while let Some((power, infix)) = infix_rule(self.current.kind) {
            if power < min_power {
                break;
            }
            self.advance();
            left = self.infix(infix, power, left, can_assign);
        }
        if can_assign && self.matches(TokenKind::Equal) {
            let diagnostic = self
                .diagnostic_at(self.previous, "Invalid assignment target.")
                .with_label(self.builder.expr_span(&left), "this cannot be assigned to")
                .with_help("only a variable or a field (`object.name`) can be assigned to");
            self.report(diagnostic, self.previous.span.start);
        }
        self.leave();
        left
    }

    /// The prefix rule of the token just consumed; `None`, after reporting
    /// `Expect expression.`, when no expression starts with it.
    fn prefix(&mut self, can_assign: bool) -> Option<Expr<'a, A>> {
        let token = self.previous;
        let span = token.span;
        let literal = |value| Literal { value, span };
        let expr = match token.kind {
            TokenKind::Number => {
                // The lexer only makes digits with at most one inner dot, which
                // always parses; a number too long for f64 becomes infinity,
                // as it does with the C library's `strtod`.
                let value = self.lexeme(token).parse().unwrap_or(f64::INFINITY);
                Expr::Literal(self.builder.literal(literal(LiteralValue::Number(value))))
            }
            TokenKind::String => {
                let lexeme = self.lexeme(token);
                let contents = lexeme.get(1..lexeme.len() - 1).unwrap_or_default();
                Expr::Literal(
                    self.builder
                        .literal(literal(LiteralValue::String(contents))),
                )
            }
            TokenKind::True => {
                Expr::Literal(self.builder.literal(literal(LiteralValue::Bool(true))))
            }
            TokenKind::False => {
                Expr::Literal(self.builder.literal(literal(LiteralValue::Bool(false))))
            }
            TokenKind::Nil => Expr::Literal(self.builder.literal(literal(LiteralValue::Nil))),
            TokenKind::Identifier => self.variable(can_assign),
            TokenKind::This => {
                if self.class.is_none() {
                    let diagnostic =
                        Diagnostic::error("Can't use 'this' outside of a class.", span)
                            .with_primary_label("not inside any method");
                    self.report(diagnostic, span.start);
                }
                let this = This {
                    keyword: span,
                    id: self.next_id(),
                    source: PhantomData,
                };
                Expr::This(self.builder.this(this))
            }
            TokenKind::Super => self.super_access(),
            TokenKind::LeftParen => {
                let inner = self.expression();
                self.consume_closing(
                    TokenKind::RightParen,
                    "Expect ')' after expression.",
                    span,
                    "the parenthesis",
                );
                let grouping = Grouping {
                    inner,
                    span: span.to(self.previous.span),
                };
                Expr::Grouping(self.builder.grouping(grouping))
            }
            TokenKind::Minus | TokenKind::Bang => {
                let op = match token.kind {
                    TokenKind::Minus => UnaryOp::Negate,
                    _ => UnaryOp::Not,
                };
                let operand = self.parse_power(Power::Unary);
                let unary = Unary {
                    op,
                    span: span.to(self.builder.expr_span(&operand)),
                    operand,
                };
                Expr::Unary(self.builder.unary(unary))
            }
            _ => {
                let diagnostic = self
                    .diagnostic_at(token, "Expect expression.")
                    .with_primary_label(format!("expected an expression, {}", self.found(token)));
                self.report(diagnostic, span.start);
                return None;
            }
        };
        Some(expr)
    }

    /// A variable, or an assignment to it when one may appear here.
    fn variable(&mut self, can_assign: bool) -> Expr<'a, A> {
        let name = self.previous_ident();
        if can_assign && self.matches(TokenKind::Equal) {
            let value = self.expression();
            let assign = Assign {
                name,
                value,
                id: self.next_id(),
            };
            return Expr::Assign(self.builder.assign(assign));
        }
        let variable = Variable {
            name,
            id: self.next_id(),
        };
        Expr::Variable(self.builder.variable(variable))
    }

    /// `super.name`; a call on it is parsed by the infix loop like any other.
    fn super_access(&mut self) -> Expr<'a, A> {
        let keyword = self.previous.span;
        match self.class {
            None => {
                let diagnostic =
                    Diagnostic::error("Can't use 'super' outside of a class.", keyword)
                        .with_primary_label("not inside any method");
                self.report(diagnostic, keyword.start);
            }
            Some(ClassContext {
                has_superclass: false,
            }) => {
                let diagnostic =
                    Diagnostic::error("Can't use 'super' in a class with no superclass.", keyword)
                        .with_primary_label("this class has no superclass")
                        .with_help("declare a superclass with `class Name < Superclass`");
                self.report(diagnostic, keyword.start);
            }
            Some(ClassContext {
                has_superclass: true,
            }) => {}
        }
        let has_dot = self.consume(TokenKind::Dot, "Expect '.' after 'super'.");
        let has_name = self.consume(TokenKind::Identifier, "Expect superclass method name.");
        if !(has_dot && has_name) {
            return Expr::Error(self.builder.error(keyword.to(self.previous.span)));
        }
        let access = Super {
            keyword,
            method: self.previous_ident(),
            this_id: self.next_id(),
            super_id: self.next_id(),
            span: keyword.to(self.previous.span),
        };
        Expr::Super(self.builder.super_(access))
    }

    /// The infix rule of the token just consumed, whose power is `power`.
    fn infix(
        &mut self,
        infix: Infix,
        power: Power,
        left: Expr<'a, A>,
        can_assign: bool,
    ) -> Expr<'a, A> {
        let op_start = self.previous.span.start;
        match infix {
            Infix::Binary(op) => {
                let right = self.parse_power(power.next());
                let binary = Binary {
                    op,
                    op_start,
                    span: self
                        .builder
                        .expr_span(&left)
                        .to(self.builder.expr_span(&right)),
                    left,
                    right,
                };
                Expr::Binary(self.builder.binary(binary))
            }
            Infix::Logical(op) => {
                let right = self.parse_power(power.next());
                let logical = Logical {
                    op,
                    op_start,
                    span: self
                        .builder
                        .expr_span(&left)
                        .to(self.builder.expr_span(&right)),
                    left,
                    right,
                };
                Expr::Logical(self.builder.logical(logical))
            }
            Infix::Call => self.call(left),
            Infix::Dot => self.dot(left, can_assign),
        }
    }

    fn call(&mut self, callee: Expr<'a, A>) -> Expr<'a, A> {
        let open = self.previous.span;
        let mark = self.scratch.exprs.len();
        if !self.check(TokenKind::RightParen) {
            let mut count = 0;
            loop {
                let argument = self.expression();
                if count == MAX_ARGUMENTS {
                    let diagnostic = self
                        .diagnostic_at(self.previous, "Can't have more than 255 arguments.")
                        .with_note("a call's argument count must fit in one byte of bytecode");
                    self.report(diagnostic, self.previous.span.start);
                }
                count += 1;
                self.scratch.exprs.push(argument);
                if !self.matches(TokenKind::Comma) {
                    break;
                }
            }
        }
        self.consume_closing(
            TokenKind::RightParen,
            "Expect ')' after arguments.",
            open,
            "the argument list",
        );
        let args = self.builder.exprs(self.scratch.exprs.drain(mark..));
        let call = Call {
            span: self.builder.expr_span(&callee).to(self.previous.span),
            callee,
            args,
            close_paren: self.previous.span,
        };
        Expr::Call(self.builder.call(call))
    }

    fn dot(&mut self, object: Expr<'a, A>, can_assign: bool) -> Expr<'a, A> {
        let name = self.consume_ident("Expect property name after '.'.");
        let value = match can_assign && self.matches(TokenKind::Equal) {
            true => Some(self.expression()),
            false => None,
        };
        let Some(name) = name else {
            return Expr::Error(
                self.builder
                    .error(self.builder.expr_span(&object).to(self.previous.span)),
            );
        };
        match value {
            Some(value) => {
                let set = Set {
                    span: self
                        .builder
                        .expr_span(&object)
                        .to(self.builder.expr_span(&value)),
                    object,
                    name,
                    value,
                };
                Expr::Set(self.builder.set(set))
            }
            None => {
                let get = Get {
                    span: self.builder.expr_span(&object).to(name.span),
                    object,
                    name,
                };
                Expr::Get(self.builder.get(get))
            }
        }
    }
}
