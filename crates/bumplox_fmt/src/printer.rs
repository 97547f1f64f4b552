//! The printer: walks the tree and writes the source's tokens in the canonical
//! layout, with the comments between them.
//!
//! The tree says what is printed and in which order. The printer keeps a
//! cursor in the source: in a file that parses, the next token starts at the
//! first byte after the last one that is neither white space nor part of a
//! comment, so each token is found there, checked against what the tree says
//! comes next, and written; the comments stepped over on the way are written
//! just before it. That check is what guarantees the output holds the input's
//! tokens; a mismatch is a bug, reported as [`FormatError::Internal`] rather
//! than a panic. The source is not lexed a second time: the comments' places
//! come from [`bumplox_lexer::comment_spans`], a scan for `"` and `/`.

use bumplox_source::Span;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{
    Alloc, Call, Expr, ExprNode, Function, Ident, Param, Program, Stmt, StmtNode, Tree,
};

use crate::FormatError;

/// The width lines are kept to where a break helps, in characters (`char`s,
/// so a string's `é` counts once, not as its two bytes).
pub const MAX_WIDTH: usize = 100;

/// One step of indentation.
const INDENT: &str = "  ";

/// Prints `program`, parsed from `source` without errors, whose comments are
/// `comments` (in order).
pub(crate) fn print<'a, A: Alloc<'a>>(
    source: &str,
    comments: &[Span],
    program: &Program<'a, A>,
) -> Result<String, FormatError> {
    let mut printer = Printer {
        source,
        comments,
        cursor: 0,
        previous_end: 0,
        out: String::with_capacity(source.len() + source.len() / 8),
        line_start: 0,
        counted: (0, 0, 0),
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
    /// The source's comments, in order: whether a stretch of source holds a
    /// comment is a binary search.
    comments: &'s [Span],
    /// Where the next token or comment to write starts, or white space
    /// before it.
    cursor: usize,
    /// Where the last token or comment written ends in the source.
    previous_end: usize,
    out: String,
    /// Where the line being written starts in `out`.
    line_start: usize,
    /// The line's width counted so far, to count only what was written since:
    /// the `line_start` it was counted from, the end of `out` then, and how
    /// many characters lie between.
    counted: (usize, usize, usize),
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
    /// The first place the printer lost its place in the source, if it did.
    failure: Option<String>,
}

/// Whether `byte` can continue a name or a number.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
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

    /// The width of the line being written, in characters. Counting from
    /// where the last count ended keeps a long line with many calls linear.
    fn column(&mut self) -> usize {
        let (line_start, end, chars) = self.counted;
        let (from, chars) = match line_start == self.line_start && end <= self.out.len() {
            true => (end, chars),
            false => (self.line_start, 0),
        };
        let chars = chars + self.out.get(from..).map_or(0, |text| text.chars().count());
        self.counted = (self.line_start, self.out.len(), chars);
        chars
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    /// Moves the cursor over white space.
    fn skip_space(&mut self) {
        let bytes = self.source.as_bytes();
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = bytes.get(self.cursor) {
            self.cursor += 1;
        }
    }

    /// How many line breaks the white space before the cursor holds.
    fn breaks_before(&mut self) -> usize {
        self.skip_space();
        let gap = self
            .source
            .get(self.previous_end..self.cursor)
            .unwrap_or("");
        gap.bytes().filter(|&byte| byte == b'\n').count()
    }

    fn next_is_comment(&mut self) -> bool {
        self.skip_space();
        self.source.as_bytes()[self.cursor.min(self.source.len())..].starts_with(b"//")
    }

    /// Writes the comment at the cursor and steps over it.
    fn write_comment(&mut self) {
        let rest = self.source.get(self.cursor..).unwrap_or("");
        let len = rest.find('\n').unwrap_or(rest.len());
        self.out.push_str(rest[..len].trim_end());
        self.cursor += len;
        self.previous_end = self.cursor;
        self.line_has_text = true;
        self.need_newline = true;
        self.pending_space = false;
        self.after_open_brace = false;
    }

    /// Whether the comment at the cursor ended a line that held a token
    /// before it in the source, and that token ends the line being written.
    fn comment_is_trailing(&mut self) -> bool {
        self.previous_end > 0 && self.line_has_text && self.breaks_before() == 0
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

    /// Writes the comments before the next token when it is in the middle of
    /// a line (inside an expression or a statement's header): each where it
    /// stands; the line then goes on below, indented one step further.
    fn inline_comments(&mut self) {
        while self.next_is_comment() {
            match self.comment_is_trailing() {
                true => self.out.push(' '),
                false if self.line_has_text => self.newline(self.indent + 1),
                false => {}
            }
            self.write_comment();
        }
    }

    /// Writes the next token, a keyword or a punctuation mark whose text
    /// must be `text`, after the comments before it.
    fn token(&mut self, text: &str) {
        self.inline_comments();
        if !self.at(text) {
            return self.fail(text);
        }
        self.write_token(text);
    }

    /// Writes the next token, a name or a literal, which must be the one
    /// the tree says starts at `span`, after the comments before it.
    fn token_at(&mut self, span: Span) {
        self.inline_comments();
        let text = self.source.get(span.range()).unwrap_or("");
        if span.start as usize != self.cursor || text.is_empty() {
            return self.fail(text);
        }
        self.write_token(text);
    }

    fn name(&mut self, ident: Ident<'_>) {
        self.token_at(ident.span);
    }

    /// Steps over the token at the cursor, `text`, and writes it.
    fn write_token(&mut self, text: &str) {
        self.cursor += text.len();
        self.previous_end = self.cursor;
        if self.need_newline {
            // A block's `{` and an `else` start their lines at the
            // statement's indentation, as the `}` that closes them does.
            match text {
                "{" | "else" => self.newline(self.indent),
                _ => self.newline(self.indent + 1),
            }
        } else if self.pending_space {
            self.out.push(' ');
        }
        self.pending_space = false;
        self.out.push_str(text);
        self.line_has_text = true;
        self.after_open_brace = text == "{";
        // Only a string spans lines.
        if text.starts_with('"') {
            if let Some(last) = text.rfind('\n') {
                self.line_start = self.out.len() - (text.len() - last - 1);
            }
        }
    }

    /// Whether the token at the cursor is `text`, a keyword or punctuation:
    /// the source goes on with it, and not with a longer token that starts
    /// with it (`==` for `=`, `orbit` for `or`, a comment for `/`). Names
    /// and literals are checked by their spans instead (a number may be
    /// followed by a letter: `12or` is `12` and `or`).
    fn at(&self, text: &str) -> bool {
        let rest = &self.source.as_bytes()[self.cursor.min(self.source.len())..];
        // Tokens are short: a loop beats a call to `memcmp`.
        let same = text.len() <= rest.len()
            && text
                .bytes()
                .zip(rest)
                .all(|(expected, &found)| expected == found);
        if text.is_empty() || !same {
            return false;
        }
        let (last, next) = (
            text.as_bytes()[text.len() - 1],
            rest.get(text.len()).copied(),
        );
        match (last, next) {
            (_, None) => true,
            (last, Some(next)) if is_word_byte(last) => !is_word_byte(next),
            (b'=' | b'<' | b'>' | b'!', Some(next)) => next != b'=',
            (b'/', Some(next)) => next != b'/',
            (_, Some(_)) => true,
        }
    }

    /// Records that the printer expected `text` where the source had
    /// something else; the first such place is the one reported.
    fn fail(&mut self, text: &str) {
        if self.failure.is_some() {
            return;
        }
        let found: String = self
            .source
            .get(self.cursor..)
            .unwrap_or("")
            .chars()
            .take(20)
            .collect();
        self.failure = Some(format!(
            "the formatter expected {text:?} at byte {} but the source has {found:?}",
            self.cursor
        ));
        // Stop reading: everything after this is meaningless.
        self.cursor = self.source.len();
    }

    /// Checks that every token was written: only white space is left.
    fn expect_end(&mut self) {
        self.skip_space();
        if self.cursor < self.source.len() {
            self.fail("the end of the file");
        }
    }

    /// Whether a comment starts in `start..end` of the source.
    fn has_comment(&self, start: usize, end: usize) -> bool {
        let first = self
            .comments
            .partition_point(|comment| (comment.start as usize) < start);
        self.comments
            .get(first)
            .is_some_and(|comment| (comment.start as usize) < end)
    }

    /// How many characters the tokens in `start..end` of the source take,
    /// which holds no comment and starts between tokens: every character but
    /// the white space between tokens (a string's own spaces count). Counted
    /// up to `limit + 1` at most.
    fn token_chars(&self, start: usize, end: usize, limit: usize) -> usize {
        let stretch = self.source.as_bytes().get(start..end).unwrap_or(&[]);
        let mut count = 0;
        let mut in_string = false;
        for &byte in stretch {
            in_string ^= byte == b'"';
            // A character's continuation bytes do not count again.
            let continues_char = byte & 0xC0 == 0x80;
            if !continues_char && (in_string || !matches!(byte, b' ' | b'\t' | b'\r' | b'\n')) {
                count += 1;
                if count > limit {
                    break;
                }
            }
        }
        count
    }

    /// Where the next token starts after `from`, past white space and
    /// comments, without writing anything.
    fn next_token_after(&self, from: usize) -> usize {
        let bytes = self.source.as_bytes();
        let mut at = from;
        loop {
            match bytes.get(at) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
                Some(b'/') if bytes.get(at + 1) == Some(&b'/') => {
                    at += bytes[at..]
                        .iter()
                        .position(|&byte| byte == b'\n')
                        .unwrap_or(bytes.len() - at);
                }
                Some(_) | None => return at,
            }
        }
    }

    // --- Statements. ---

    /// Statements recurse: their nesting is bounded by the parser's
    /// `MAX_NESTING`. Expressions go through `walk_expr`.
    fn stmt<'t, 'a: 't, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, stmt: &'t Stmt<'a, A>) {
        match tree.stmt(stmt) {
            StmtNode::Expression(node) => {
                self.expr(tree, &node.expr);
                self.token(";");
            }
            StmtNode::Print(node) => {
                self.token("print");
                self.space();
                self.expr(tree, &node.expr);
                self.token(";");
            }
            StmtNode::Var(node) => {
                self.token("var");
                self.space();
                self.name(node.name);
                if let Some(initializer) = &node.initializer {
                    self.space();
                    self.token("=");
                    self.space();
                    self.expr(tree, initializer);
                }
                self.token(";");
            }
            StmtNode::Block(node) => self.block(tree, tree.list(&node.statements)),
            StmtNode::If(node) => {
                let mut after_block = false;
                for (index, branch) in tree.list(&node.branches).iter().enumerate() {
                    if index > 0 {
                        self.before_else(after_block);
                        self.token("else");
                        self.space();
                        self.before_chained_if();
                    }
                    self.token("if");
                    self.space();
                    self.token("(");
                    self.expr(tree, &branch.condition);
                    self.token(")");
                    after_block = self.body(tree, &branch.then_branch);
                }
                if let Some(else_branch) = &node.else_branch {
                    self.before_else(after_block);
                    self.token("else");
                    self.body(tree, else_branch);
                }
            }
            StmtNode::While(node) => {
                self.token("while");
                self.space();
                self.token("(");
                self.expr(tree, &node.condition);
                self.token(")");
                self.body(tree, &node.body);
            }
            StmtNode::For(node) => {
                self.token("for");
                self.space();
                self.token("(");
                match &node.initializer {
                    // A declaration or an expression statement, `;` included.
                    Some(initializer) => self.stmt(tree, initializer),
                    None => self.token(";"),
                }
                if let Some(condition) = &node.condition {
                    self.space();
                    self.expr(tree, condition);
                }
                self.token(";");
                if let Some(increment) = &node.increment {
                    self.space();
                    self.expr(tree, increment);
                }
                self.token(")");
                self.body(tree, &node.body);
            }
            StmtNode::Return(node) => {
                self.token("return");
                if let Some(value) = &node.value {
                    self.space();
                    self.expr(tree, value);
                }
                self.token(";");
            }
            StmtNode::Function(node) => {
                self.token("fun");
                self.space();
                self.function(tree, node);
            }
            StmtNode::Class(node) => {
                self.token("class");
                self.space();
                self.name(node.name);
                if let Some(superclass) = &node.superclass {
                    self.space();
                    self.token("<");
                    self.space();
                    self.name(superclass.name);
                }
                self.space();
                self.token("{");
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
    /// after a branch that is one statement or when comments come between.
    /// Comments before it are placed like a statement's, so that one on a
    /// line of its own takes the `else`'s indentation, not one step more.
    fn before_else(&mut self, after_block: bool) {
        match after_block && !self.next_is_comment() {
            true => self.space(),
            false => {
                self.own_line_comments();
                self.line(false);
            }
        }
    }

    /// Comments between an `else` and the `if` it chains to: the `if` then
    /// starts a line at the chain's indentation, as the `}` closing its body
    /// will, rather than one step in as a statement's continuation would.
    fn before_chained_if(&mut self) {
        if !self.next_is_comment() {
            return;
        }
        self.own_line_comments();
        self.line(false);
    }

    fn block<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        statements: &'t [Stmt<'a, A>],
    ) {
        self.token("{");
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
        self.token("}");
    }

    /// A function or method from its name on: parameters, then the body.
    fn function<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        function: &'t Function<'a, A>,
    ) {
        self.name(function.name);
        self.token("(");
        let params = tree.list(&function.params);
        let broken = !params.is_empty() && self.params_break(params);
        if broken {
            self.indent += 1;
        }
        for (index, param) in params.iter().enumerate() {
            if index > 0 {
                self.token(",");
                if !broken {
                    self.space();
                }
            }
            if broken {
                self.own_line_comments();
                self.line(false);
            }
            self.name(param.name);
        }
        if broken {
            self.own_line_comments();
            self.indent -= 1;
            self.line(false);
        }
        self.token(")");
        self.space();
        self.block(tree, tree.list(&function.body));
    }

    /// Whether `params`, whose `(` was just written, go one a line: when a
    /// comment is among them, or when written flat they would take the line
    /// past [`MAX_WIDTH`] (counting the `) {}` after them, as an empty body
    /// writes it).
    fn params_break(&mut self, params: &[Param<'_>]) -> bool {
        // Each name and the `, ` after it; the last one's two bytes and two
        // more are the `) {}`.
        let width: usize = params.iter().map(|param| param.name.name.len() + 2).sum();
        if self.column() + width + 2 > MAX_WIDTH {
            return true;
        }
        // The `)` is the token after the last name.
        let last_end = params
            .last()
            .map_or(self.previous_end, |param| param.name.span.end as usize);
        let close = self.next_token_after(last_end);
        self.has_comment(self.previous_end, close)
    }

    // --- Expressions. ---

    fn expr<'t, 'a: 't, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        walk_expr(tree, expr, self);
    }

    /// Whether the arguments of `call`, whose `(` was just written, go one a
    /// line: when a comment is among them, or when written flat they would
    /// take the line past [`MAX_WIDTH`] (counting the `)` and what follows it
    /// on its line: see [`Printer::tail_width`]).
    fn call_breaks<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        call: &'t Call<'a, A>,
    ) -> bool {
        let start = self.previous_end;
        let end = call.close_paren.start as usize;
        if self.has_comment(start, end) {
            return true;
        }
        if self.measuring > 0 {
            return false;
        }
        let room = MAX_WIDTH.saturating_sub(self.column() + self.tail_width(end));
        // Written flat, the arguments are their tokens with at most one space
        // before each: between the characters of the tokens and twice as
        // many. Only a list between the two is written to be measured.
        let chars = self.token_chars(start, end, room);
        match (chars > room, chars * 2 <= room) {
            (true, _) => true,
            (false, true) => false,
            (false, false) => self.flat_width(tree, tree.list(&call.args)) > room,
        }
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
            self.cursor,
            self.previous_end,
            self.line_start,
            self.line_has_text,
            self.pending_space,
            self.after_open_brace,
            self.broken_calls.len(),
        );
        self.measuring += 1;
        for (index, arg) in args.iter().enumerate() {
            if index > 0 {
                self.token(",");
                self.space();
            }
            self.expr(tree, arg);
        }
        self.measuring -= 1;
        let width = self
            .out
            .get(saved.0..)
            .map_or(0, |text| text.chars().count());
        self.out.truncate(saved.0);
        self.cursor = saved.1;
        self.previous_end = saved.2;
        self.line_start = saved.3;
        self.line_has_text = saved.4;
        self.pending_space = saved.5;
        self.after_open_brace = saved.6;
        self.broken_calls.truncate(saved.7);
        width
    }

    /// How wide the `)` at `close`, which ends a call's arguments, and what
    /// follows it on its line are written flat: `).x().y();`, `) + 1;`, `) {`.
    /// The line ends at a `;`, a `{`, a comment, a string's line break, a
    /// `,` or `)` of the enclosing call when that call's arguments go one a
    /// line, or, for this measure, the `(` of a later call with arguments,
    /// which may break its own (`a(b).c(…)` breaks `c`'s); the enclosing call is taken to be the innermost one being written, which a
    /// grouping in between makes an undercount, never a wrong layout. Only the
    /// tokens are read, so the result does not depend on the source's spacing
    /// (formatting stays idempotent). Counted up to just past [`MAX_WIDTH`].
    fn tail_width(&self, close: usize) -> usize {
        let bytes = self.source.as_bytes();
        let mut at = close + 1;
        let mut width = 1;
        // Parentheses opened after the `)`, and how many enclosing calls the
        // `)`s at depth zero have closed.
        let mut depth = 0usize;
        let mut closed = 0usize;
        // Whether the last token ends an operand: a `-` after it is binary.
        let mut after_operand = true;
        while width <= MAX_WIDTH {
            while let Some(b' ' | b'\t' | b'\r' | b'\n') = bytes.get(at) {
                at += 1;
            }
            let Some(&byte) = bytes.get(at) else {
                return width;
            };
            let enclosing_broken = self
                .broken_calls
                .len()
                .checked_sub(closed + 1)
                .and_then(|index| self.broken_calls.get(index))
                .copied()
                .unwrap_or(false);
            let rest = &bytes[at..];
            let (len, written, operand) = match byte {
                b';' => return width + 1,
                b'{' => return width + 2,
                b'}' => return width,
                b'/' if rest.starts_with(b"//") => return width,
                b',' | b')' if depth == 0 && enclosing_broken => {
                    return width + usize::from(byte == b',');
                }
                b',' => (1, 2, false),
                // A later call on the line with arguments of its own decides
                // itself whether they go one a line, which would end the line
                // at its `(`: this call is then not broken for them.
                b'(' if depth == 0
                    && after_operand
                    && bytes.get(self.next_token_after(at + 1)) != Some(&b')') =>
                {
                    return width + 1;
                }
                b'(' => {
                    depth += 1;
                    (1, 1, false)
                }
                b')' => {
                    match depth {
                        0 => closed += 1,
                        _ => depth -= 1,
                    }
                    (1, 1, true)
                }
                b'.' => (1, 1, false),
                b'"' => {
                    let len = rest[1..]
                        .iter()
                        .position(|&byte| byte == b'"')
                        .map_or(rest.len(), |end| end + 2);
                    let text = self.source.get(at..at + len).unwrap_or("");
                    if let Some(line) = text.split('\n').next().filter(|_| text.contains('\n')) {
                        return width + usize::from(after_operand) + line.chars().count();
                    }
                    (len, usize::from(after_operand) + text.chars().count(), true)
                }
                byte if is_word_byte(byte) => {
                    let mut len = rest.iter().take_while(|&&byte| is_word_byte(byte)).count();
                    // A number's fraction: `.` and a digit.
                    if byte.is_ascii_digit()
                        && rest.get(len) == Some(&b'.')
                        && rest.get(len + 1).is_some_and(u8::is_ascii_digit)
                    {
                        len += 1 + rest[len + 1..]
                            .iter()
                            .take_while(|byte| byte.is_ascii_digit())
                            .count();
                    }
                    match &rest[..len] {
                        b"and" | b"or" => (len, len + 2, false),
                        _ => (len, len + usize::from(after_operand), true),
                    }
                }
                b'=' | b'!' | b'<' | b'>' => {
                    let len = 1 + usize::from(rest.get(1) == Some(&b'='));
                    match (byte, len) {
                        (b'!', 1) => (1, 1, false),
                        _ => (len, len + 2, false),
                    }
                }
                b'-' if !after_operand => (1, 1, false),
                _ => (1, 3, false),
            };
            at += len;
            width += written;
            after_operand = operand;
        }
        width
    }

    /// Writes an operator with a space on either side.
    fn infix(&mut self, symbol: &str) {
        self.space();
        self.token(symbol);
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
            ExprNode::Literal(node) => self.token_at(node.span),
            ExprNode::Variable(node) => self.name(node.name),
            ExprNode::This(_) => self.token("this"),
            ExprNode::Super(node) => {
                self.token("super");
                self.token(".");
                self.name(node.method);
            }
            ExprNode::Assign(node) => {
                self.name(node.name);
                self.infix("=");
            }
            ExprNode::Unary(node) => self.token(node.op.symbol()),
            ExprNode::Grouping(_) => self.token("("),
            // A tree with errors is never printed; this is a bug if reached.
            ExprNode::Error(_) => self.fail("an expression"),
            ExprNode::Binary(_)
            | ExprNode::Logical(_)
            | ExprNode::Call(_)
            | ExprNode::Get(_)
            | ExprNode::Set(_) => {}
        }
    }

    fn between(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>, index: usize) {
        match tree.expr(expr) {
            ExprNode::Binary(node) => self.infix(node.op.symbol()),
            ExprNode::Logical(node) => self.infix(node.op.symbol()),
            ExprNode::Call(node) => match index {
                1 => {
                    self.token("(");
                    let broken = self.call_breaks(tree, node);
                    self.broken_calls.push(broken);
                    if broken {
                        self.indent += 1;
                        self.argument_line();
                    }
                }
                _ => {
                    self.token(",");
                    match self.broken_calls.last().copied().unwrap_or(false) {
                        true => self.argument_line(),
                        false => self.space(),
                    }
                }
            },
            ExprNode::Set(node) => {
                self.token(".");
                self.name(node.name);
                self.infix("=");
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
            ExprNode::Grouping(_) => self.token(")"),
            ExprNode::Call(node) => {
                if tree.list(&node.args).is_empty() {
                    self.token("(");
                    // A comment between `(` and `)` breaks the empty list.
                    if self.next_is_comment() {
                        self.indent += 1;
                        self.own_line_comments();
                        self.indent -= 1;
                        self.newline(self.indent);
                    }
                    self.token(")");
                    return;
                }
                if self.broken_calls.pop().unwrap_or(false) {
                    self.own_line_comments();
                    self.indent = self.indent.saturating_sub(1);
                    self.newline(self.indent);
                }
                self.token(")");
            }
            ExprNode::Get(node) => {
                self.token(".");
                self.name(node.name);
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
