//! The printer: walks the tree and writes the source's tokens in the canonical
//! layout, with the comments between them.
//!
//! The tree says what is printed and in which order; the printer takes each
//! token's text from the token stream (comments included) rather than from the
//! tree, keeping a cursor in it. Every token the printer writes must be the
//! next one in the stream: that check is what guarantees the output holds the
//! input's tokens, and the comments found before each token are written just
//! before it. A mismatch is a bug, reported as [`FormatError::Internal`]
//! rather than a panic.

use bumplox_lexer::{Token, TokenKind};
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{
    Alloc, Call, Expr, ExprNode, Function, LiteralValue, LogicalOp, Program, Stmt, StmtNode, Tree,
    UnaryOp,
};

use crate::FormatError;

/// The width lines are kept to where a break helps, in bytes.
pub const MAX_WIDTH: usize = 100;

/// One step of indentation.
const INDENT: &str = "  ";

/// Prints `program`, parsed from `source` without errors, whose tokens and
/// comments are `tokens` (ending with `Eof`).
pub(crate) fn print<'a, A: Alloc<'a>>(
    source: &str,
    tokens: &[Token],
    program: &Program<'a, A>,
) -> Result<String, FormatError> {
    let comment_starts = tokens
        .iter()
        .filter(|token| token.kind == TokenKind::Comment)
        .map(|token| token.span.start)
        .collect();
    let mut printer = Printer {
        source,
        tokens,
        comment_starts,
        pos: 0,
        out: String::with_capacity(source.len() + source.len() / 8),
        line_start: 0,
        line_has_text: false,
        indent: 0,
        need_newline: false,
        pending_space: false,
        after_open_brace: false,
        broken_calls: Vec::new(),
        measuring: 0,
        failure: None,
    };
    let tree = program.tree();
    for stmt in program.statements() {
        printer.statement_start();
        printer.stmt(tree, stmt);
    }
    printer.own_line_comments();
    if !printer.out.is_empty() {
        printer.out.push('\n');
    }
    printer.expect_end();
    match printer.failure {
        Some(message) => Err(FormatError::Internal(message)),
        None => Ok(printer.out),
    }
}

struct Printer<'s> {
    source: &'s str,
    /// Every token and comment of the source, ending with `Eof`.
    tokens: &'s [Token],
    /// Where each comment starts, in order: whether a stretch of source holds
    /// a comment is a binary search.
    comment_starts: Vec<u32>,
    /// The next token or comment of `tokens` to write.
    pos: usize,
    out: String,
    /// Where the line being written starts in `out`.
    line_start: usize,
    /// Whether the line being written has anything beyond its indentation.
    line_has_text: bool,
    /// Steps of indentation of the statement being written.
    indent: usize,
    /// A `//` comment was just written: whatever comes next goes on a new line.
    need_newline: bool,
    /// A space is wanted before the next token (dropped if it starts a line).
    pending_space: bool,
    /// The last thing written was a `{`: no blank line may follow it.
    after_open_brace: bool,
    /// For each call being written whose arguments have begun: whether they
    /// go one a line.
    broken_calls: Vec<bool>,
    /// Above zero while arguments are written only to measure their width:
    /// calls inside them are written flat, without measuring again.
    measuring: usize,
    /// The first place the printer lost the token stream, if it did.
    failure: Option<String>,
}

impl Printer<'_> {
    // --- Writing text. ---

    /// Ends the line and indents the next by `levels` steps.
    fn newline(&mut self, levels: usize) {
        self.out.push('\n');
        self.line_start = self.out.len();
        for _ in 0..levels {
            self.out.push_str(INDENT);
        }
        self.need_newline = false;
        self.pending_space = false;
        self.line_has_text = false;
    }

    /// Starts a line at the current indentation, after a blank line when
    /// `blank` is asked for and allowed; nothing at the very top of the file.
    fn line(&mut self, blank: bool) {
        if self.out.is_empty() {
            self.need_newline = false;
            self.pending_space = false;
            return;
        }
        if blank && !self.after_open_brace {
            self.out.push('\n');
        }
        self.newline(self.indent);
    }

    fn column(&self) -> usize {
        self.out.len() - self.line_start
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    /// Where the token or comment before the cursor ends (0 at the start).
    fn previous_end(&self) -> u32 {
        match self
            .pos
            .checked_sub(1)
            .and_then(|index| self.tokens.get(index))
        {
            Some(token) => token.span.end,
            None => 0,
        }
    }

    /// Where the token or comment at the cursor starts.
    fn next_start(&self) -> u32 {
        match self.tokens.get(self.pos) {
            Some(token) => token.span.start,
            None => self.source.len() as u32,
        }
    }

    /// How many line breaks the white space before the cursor holds.
    fn breaks_before(&self) -> usize {
        let gap = self
            .source
            .get(self.previous_end() as usize..self.next_start() as usize)
            .unwrap_or("");
        gap.bytes().filter(|&byte| byte == b'\n').count()
    }

    fn next_is_comment(&self) -> bool {
        self.tokens
            .get(self.pos)
            .is_some_and(|token| token.kind == TokenKind::Comment)
    }

    /// Writes the comment at the cursor and steps over it.
    fn write_comment(&mut self) {
        let Some(token) = self.tokens.get(self.pos) else {
            return;
        };
        let text = self.source.get(token.span.range()).unwrap_or("").trim_end();
        self.out.push_str(text);
        self.pos += 1;
        self.line_has_text = true;
        self.need_newline = true;
        self.pending_space = false;
        self.after_open_brace = false;
    }

    /// Whether the comment at the cursor ended a line that held a token
    /// before it in the source, and that token ends the line being written.
    fn comment_is_trailing(&self) -> bool {
        self.pos > 0 && self.line_has_text && self.breaks_before() == 0
    }

    /// Writes the comments before the next token where a line may start
    /// (before a statement, a `}`, an argument): a trailing comment after one
    /// space, any other on a line of its own at the current indentation,
    /// after a blank line if the source had one.
    fn own_line_comments(&mut self) {
        while self.next_is_comment() {
            match self.comment_is_trailing() {
                true => self.out.push(' '),
                false => {
                    let blank = self.breaks_before() > 1;
                    self.line(blank);
                }
            }
            self.write_comment();
        }
    }

    /// Starts the line of a statement, a declaration or a method: its
    /// comments, then a line at the current indentation, after a blank line
    /// if the source had one.
    fn statement_start(&mut self) {
        self.own_line_comments();
        let blank = self.breaks_before() > 1;
        self.line(blank);
    }

    /// Writes the next token, which must be of `kind`, after the comments
    /// before it. Comments met in the middle of a line (inside an expression
    /// or a statement's header) are written where they stand; the line then
    /// goes on below, indented one step further.
    fn token(&mut self, kind: TokenKind) {
        while self.next_is_comment() {
            match self.comment_is_trailing() {
                true => self.out.push(' '),
                false if self.line_has_text => self.newline(self.indent + 1),
                false => {}
            }
            self.write_comment();
        }
        let Some(&token) = self.tokens.get(self.pos) else {
            return self.fail(kind);
        };
        if token.kind != kind {
            return self.fail(kind);
        }
        self.pos += 1;
        if self.need_newline {
            self.newline(self.indent + 1);
        } else if self.pending_space {
            self.out.push(' ');
        }
        self.pending_space = false;
        let text = self.source.get(token.span.range()).unwrap_or("");
        self.out.push_str(text);
        self.line_has_text = true;
        self.after_open_brace = kind == TokenKind::LeftBrace;
        // Only a string spans lines.
        if kind == TokenKind::String {
            if let Some(last) = text.rfind('\n') {
                self.line_start = self.out.len() - (text.len() - last - 1);
            }
        }
    }

    /// Records that the printer expected `kind` where the stream had
    /// something else; the first such place is the one reported.
    fn fail(&mut self, kind: TokenKind) {
        if self.failure.is_some() {
            return;
        }
        let found = self.tokens.get(self.pos).copied();
        self.failure = Some(match found {
            Some(token) => format!(
                "the formatter expected {} at byte {} but the source has {}",
                kind.name(),
                token.span.start,
                token.kind.name()
            ),
            None => format!(
                "the formatter expected {} after the end of the tokens",
                kind.name()
            ),
        });
        // Stop consuming: everything after this is meaningless.
        self.pos = self.tokens.len();
    }

    /// Checks that every token was written: only `Eof` is left.
    fn expect_end(&mut self) {
        match self.tokens.get(self.pos) {
            Some(token) if token.kind == TokenKind::Eof => {}
            Some(_) | None => self.fail(TokenKind::Eof),
        }
    }

    /// Whether a comment starts in `start..end` of the source.
    fn has_comment(&self, start: u32, end: u32) -> bool {
        let first = self.comment_starts.partition_point(|&at| at < start);
        self.comment_starts.get(first).is_some_and(|&at| at < end)
    }

    /// How many tokens (comments included) start in `start..end`.
    fn tokens_in(&self, start: u32, end: u32) -> usize {
        let first = self
            .tokens
            .partition_point(|token| token.span.start < start);
        let last = self.tokens.partition_point(|token| token.span.start < end);
        last - first
    }

    // --- Statements. ---

    /// Statements recurse: their nesting is bounded by the parser's
    /// `MAX_NESTING`. Expressions go through `walk_expr`.
    fn stmt<'t, 'a: 't, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, stmt: &'t Stmt<'a, A>) {
        match tree.stmt(stmt) {
            StmtNode::Expression(node) => {
                self.expr(tree, &node.expr);
                self.token(TokenKind::Semicolon);
            }
            StmtNode::Print(node) => {
                self.token(TokenKind::Print);
                self.space();
                self.expr(tree, &node.expr);
                self.token(TokenKind::Semicolon);
            }
            StmtNode::Var(node) => {
                self.token(TokenKind::Var);
                self.space();
                self.token(TokenKind::Identifier);
                if let Some(initializer) = &node.initializer {
                    self.space();
                    self.token(TokenKind::Equal);
                    self.space();
                    self.expr(tree, initializer);
                }
                self.token(TokenKind::Semicolon);
            }
            StmtNode::Block(node) => self.block(tree, tree.list(&node.statements)),
            StmtNode::If(node) => {
                let mut after_block = false;
                for (index, branch) in tree.list(&node.branches).iter().enumerate() {
                    if index > 0 {
                        self.before_else(after_block);
                        self.token(TokenKind::Else);
                        self.space();
                    }
                    self.token(TokenKind::If);
                    self.space();
                    self.token(TokenKind::LeftParen);
                    self.expr(tree, &branch.condition);
                    self.token(TokenKind::RightParen);
                    after_block = self.body(tree, &branch.then_branch);
                }
                if let Some(else_branch) = &node.else_branch {
                    self.before_else(after_block);
                    self.token(TokenKind::Else);
                    self.body(tree, else_branch);
                }
            }
            StmtNode::While(node) => {
                self.token(TokenKind::While);
                self.space();
                self.token(TokenKind::LeftParen);
                self.expr(tree, &node.condition);
                self.token(TokenKind::RightParen);
                self.body(tree, &node.body);
            }
            StmtNode::For(node) => {
                self.token(TokenKind::For);
                self.space();
                self.token(TokenKind::LeftParen);
                match &node.initializer {
                    // A declaration or an expression statement, `;` included.
                    Some(initializer) => self.stmt(tree, initializer),
                    None => self.token(TokenKind::Semicolon),
                }
                if let Some(condition) = &node.condition {
                    self.space();
                    self.expr(tree, condition);
                }
                self.token(TokenKind::Semicolon);
                if let Some(increment) = &node.increment {
                    self.space();
                    self.expr(tree, increment);
                }
                self.token(TokenKind::RightParen);
                self.body(tree, &node.body);
            }
            StmtNode::Return(node) => {
                self.token(TokenKind::Return);
                if let Some(value) = &node.value {
                    self.space();
                    self.expr(tree, value);
                }
                self.token(TokenKind::Semicolon);
            }
            StmtNode::Function(node) => {
                self.token(TokenKind::Fun);
                self.space();
                self.function(tree, node);
            }
            StmtNode::Class(node) => {
                self.token(TokenKind::Class);
                self.space();
                self.token(TokenKind::Identifier);
                if node.superclass.is_some() {
                    self.space();
                    self.token(TokenKind::Less);
                    self.space();
                    self.token(TokenKind::Identifier);
                }
                self.space();
                self.token(TokenKind::LeftBrace);
                self.indent += 1;
                let methods = tree.list(&node.methods);
                for method in methods {
                    self.statement_start();
                    self.function(tree, method);
                }
                self.close_brace(!methods.is_empty());
            }
        }
    }

    /// The body of an `if`, `else`, `while` or `for`: a block after a space,
    /// `{` on the same line, or one statement on the same line. Says whether
    /// it was a block, which decides where an `else` after it goes.
    fn body<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        body: &'t Stmt<'a, A>,
    ) -> bool {
        self.space();
        let is_block = match tree.stmt(body) {
            StmtNode::Block(_) => true,
            StmtNode::Expression(_)
            | StmtNode::Print(_)
            | StmtNode::Var(_)
            | StmtNode::If(_)
            | StmtNode::While(_)
            | StmtNode::For(_)
            | StmtNode::Return(_)
            | StmtNode::Function(_)
            | StmtNode::Class(_) => false,
        };
        self.stmt(tree, body);
        is_block
    }

    /// Where an `else` goes: after `}` on its line, or on a line of its own
    /// after a branch that is one statement.
    fn before_else(&mut self, after_block: bool) {
        match after_block {
            true => self.space(),
            false => {
                self.own_line_comments();
                self.line(false);
            }
        }
    }

    fn block<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        statements: &'t [Stmt<'a, A>],
    ) {
        self.token(TokenKind::LeftBrace);
        self.indent += 1;
        for stmt in statements {
            self.statement_start();
            self.stmt(tree, stmt);
        }
        self.close_brace(!statements.is_empty());
    }

    /// Ends a block, a function body or a class body whose `{` was written
    /// and whose indentation was stepped in: the comments before the `}` at
    /// the inner indentation, then the `}` on a line of its own, or right
    /// after the `{` when the block is empty.
    fn close_brace(&mut self, has_items: bool) {
        let comments = self.next_is_comment();
        self.own_line_comments();
        self.indent = self.indent.saturating_sub(1);
        if has_items || comments {
            self.line(false);
        }
        self.token(TokenKind::RightBrace);
    }

    /// A function or method from its name on: parameters, then the body.
    fn function<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        function: &'t Function<'a, A>,
    ) {
        self.token(TokenKind::Identifier);
        self.token(TokenKind::LeftParen);
        let params = tree.list(&function.params);
        let broken = !params.is_empty() && self.params_break(params);
        if broken {
            self.indent += 1;
        }
        for (index, _) in params.iter().enumerate() {
            if index > 0 {
                self.token(TokenKind::Comma);
                if !broken {
                    self.space();
                }
            }
            if broken {
                self.own_line_comments();
                self.line(false);
            }
            self.token(TokenKind::Identifier);
        }
        if broken {
            self.own_line_comments();
            self.indent -= 1;
            self.line(false);
        }
        self.token(TokenKind::RightParen);
        self.space();
        self.block(tree, tree.list(&function.body));
    }

    /// Whether `params`, whose `(` was just written, go one a line: when a
    /// comment is among them, or when written flat they would take the line
    /// past [`MAX_WIDTH`] (counting the `) {` after them).
    fn params_break(&self, params: &[bumplox_tree::Param<'_>]) -> bool {
        let width: usize = params.iter().map(|param| param.name.name.len() + 2).sum();
        if self.column() + width + 1 > MAX_WIDTH {
            return true;
        }
        // Parameters are names and commas: the `)` is the first one after
        // the `(`, and the tokens up to it are few.
        let close = self.tokens[self.pos.min(self.tokens.len())..]
            .iter()
            .find(|token| token.kind == TokenKind::RightParen)
            .map_or(self.source.len() as u32, |token| token.span.start);
        self.has_comment(self.previous_end(), close)
    }

    // --- Expressions. ---

    fn expr<'t, 'a: 't, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        walk_expr(tree, expr, self);
    }

    /// Whether the arguments of `call`, whose `(` was just written, go one a
    /// line: when a comment is among them, or when written flat they would
    /// take the line past [`MAX_WIDTH`] (counting the `)` and one character
    /// after it, a `;` or a `,`).
    fn call_breaks<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        call: &'t Call<'a, A>,
    ) -> bool {
        let start = self.previous_end();
        let end = call.close_paren.start;
        if self.has_comment(start, end) {
            return true;
        }
        if self.measuring > 0 {
            return false;
        }
        let room = MAX_WIDTH.saturating_sub(self.column() + 2);
        // Every token is at least one byte wide: a long argument list is
        // known not to fit without writing it.
        if self.tokens_in(start, end) > room {
            return true;
        }
        self.flat_width(tree, tree.list(&call.args)) > room
    }

    /// How wide `args` are written flat on one line, `, ` between them: they
    /// are written, measured and taken back.
    fn flat_width<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        args: &'t [Expr<'a, A>],
    ) -> usize {
        let saved = (
            self.out.len(),
            self.pos,
            self.line_start,
            self.line_has_text,
            self.pending_space,
            self.after_open_brace,
            self.broken_calls.len(),
        );
        self.measuring += 1;
        for (index, arg) in args.iter().enumerate() {
            if index > 0 {
                self.token(TokenKind::Comma);
                self.space();
            }
            self.expr(tree, arg);
        }
        self.measuring -= 1;
        let width = self.out.len() - saved.0;
        self.out.truncate(saved.0);
        self.pos = saved.1;
        self.line_start = saved.2;
        self.line_has_text = saved.3;
        self.pending_space = saved.4;
        self.after_open_brace = saved.5;
        self.broken_calls.truncate(saved.6);
        width
    }

    fn literal_kind(value: LiteralValue<'_>) -> TokenKind {
        match value {
            LiteralValue::Number(_) => TokenKind::Number,
            LiteralValue::String(_) => TokenKind::String,
            LiteralValue::Bool(true) => TokenKind::True,
            LiteralValue::Bool(false) => TokenKind::False,
            LiteralValue::Nil => TokenKind::Nil,
        }
    }

    fn binary_kind(op: bumplox_tree::BinaryOp) -> TokenKind {
        use bumplox_tree::BinaryOp;
        match op {
            BinaryOp::Add => TokenKind::Plus,
            BinaryOp::Subtract => TokenKind::Minus,
            BinaryOp::Multiply => TokenKind::Star,
            BinaryOp::Divide => TokenKind::Slash,
            BinaryOp::Equal => TokenKind::EqualEqual,
            BinaryOp::NotEqual => TokenKind::BangEqual,
            BinaryOp::Less => TokenKind::Less,
            BinaryOp::LessEqual => TokenKind::LessEqual,
            BinaryOp::Greater => TokenKind::Greater,
            BinaryOp::GreaterEqual => TokenKind::GreaterEqual,
        }
    }

    /// Writes an operator with a space on either side.
    fn infix(&mut self, kind: TokenKind) {
        self.space();
        self.token(kind);
        self.space();
    }

    /// Starts the next argument of a call whose arguments go one a line.
    fn argument_line(&mut self) {
        self.own_line_comments();
        self.newline(self.indent);
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Printer<'_> {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        match tree.expr(expr) {
            ExprNode::Literal(node) => self.token(Self::literal_kind(node.value)),
            ExprNode::Variable(_) => self.token(TokenKind::Identifier),
            ExprNode::This(_) => self.token(TokenKind::This),
            ExprNode::Super(_) => {
                self.token(TokenKind::Super);
                self.token(TokenKind::Dot);
                self.token(TokenKind::Identifier);
            }
            ExprNode::Assign(_) => {
                self.token(TokenKind::Identifier);
                self.infix(TokenKind::Equal);
            }
            ExprNode::Unary(node) => self.token(match node.op {
                UnaryOp::Negate => TokenKind::Minus,
                UnaryOp::Not => TokenKind::Bang,
            }),
            ExprNode::Grouping(_) => self.token(TokenKind::LeftParen),
            // A tree with errors is never printed; this is a bug if reached.
            ExprNode::Error(_) => self.fail(TokenKind::Eof),
            ExprNode::Binary(_)
            | ExprNode::Logical(_)
            | ExprNode::Call(_)
            | ExprNode::Get(_)
            | ExprNode::Set(_) => {}
        }
    }

    fn between(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>, index: usize) {
        match tree.expr(expr) {
            ExprNode::Binary(node) => self.infix(Self::binary_kind(node.op)),
            ExprNode::Logical(node) => self.infix(match node.op {
                LogicalOp::And => TokenKind::And,
                LogicalOp::Or => TokenKind::Or,
            }),
            ExprNode::Call(node) => match index {
                1 => {
                    self.token(TokenKind::LeftParen);
                    let broken = self.call_breaks(tree, node);
                    self.broken_calls.push(broken);
                    if broken {
                        self.indent += 1;
                        self.argument_line();
                    }
                }
                _ => {
                    self.token(TokenKind::Comma);
                    match self.broken_calls.last().copied().unwrap_or(false) {
                        true => self.argument_line(),
                        false => self.space(),
                    }
                }
            },
            ExprNode::Set(_) => {
                self.token(TokenKind::Dot);
                self.token(TokenKind::Identifier);
                self.infix(TokenKind::Equal);
            }
            // These have one child or none: nothing comes between.
            ExprNode::Literal(_)
            | ExprNode::Variable(_)
            | ExprNode::This(_)
            | ExprNode::Super(_)
            | ExprNode::Assign(_)
            | ExprNode::Unary(_)
            | ExprNode::Grouping(_)
            | ExprNode::Get(_)
            | ExprNode::Error(_) => {}
        }
    }

    fn exit(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        match tree.expr(expr) {
            ExprNode::Grouping(_) => self.token(TokenKind::RightParen),
            ExprNode::Call(node) => {
                if tree.list(&node.args).is_empty() {
                    self.token(TokenKind::LeftParen);
                    // A comment between `(` and `)` breaks the empty list.
                    if self.next_is_comment() {
                        self.indent += 1;
                        self.own_line_comments();
                        self.indent -= 1;
                        self.newline(self.indent);
                    }
                    self.token(TokenKind::RightParen);
                    return;
                }
                if self.broken_calls.pop().unwrap_or(false) {
                    self.own_line_comments();
                    self.indent = self.indent.saturating_sub(1);
                    self.newline(self.indent);
                }
                self.token(TokenKind::RightParen);
            }
            ExprNode::Get(_) => {
                self.token(TokenKind::Dot);
                self.token(TokenKind::Identifier);
            }
            ExprNode::Literal(_)
            | ExprNode::Variable(_)
            | ExprNode::This(_)
            | ExprNode::Super(_)
            | ExprNode::Assign(_)
            | ExprNode::Unary(_)
            | ExprNode::Binary(_)
            | ExprNode::Logical(_)
            | ExprNode::Set(_)
            | ExprNode::Error(_) => {}
        }
    }
}
