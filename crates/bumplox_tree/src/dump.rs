//! Tree dumps: the S-expression form used by snapshot tests and `bumplox parse`,
//! and a JSON form for tools.
//!
//! The S-expression form, one statement per line, nested statements indented
//! by two spaces (see `ARCHITECTURE.md` for the full table):
//! `(var x (+ 1 2))`, `(fun add (a b) …)`, `(class B < A …)`,
//! `(if (branch COND STMT) … (else STMT))`, `(for INIT COND INCR BODY)` with `_`
//! for a missing part, `(call f a b)`, `(. object name)`, `(.= object name value)`,
//! `(= name value)`, `(group e)`, `(super method)`, `<error>` for a node that
//! failed to parse. With spans on, every node's head is followed by `@start..end`.
//! Both dumps walk expressions iteratively, so a million-term chain prints fine.

use std::fmt::Write;

use bumplox_source::{write_json_string, Span};

use crate::alloc::Alloc;
use crate::nodes::*;
use crate::tree::{ExprNode, StmtNode, Tree};
use crate::walk::{walk_expr, ExprVisitor};

/// What a dump shows beyond the tree's shape.
#[derive(Clone, Copy, Debug, Default)]
pub struct DumpOptions {
    /// Follow each node's head with `@start..end`.
    pub spans: bool,
}

/// The program as S-expressions, one top-level statement per line.
pub fn sexpr<'a, A: Alloc<'a>>(program: &Program<'a, A>, options: DumpOptions) -> String {
    let mut printer = Sexpr {
        out: String::new(),
        options,
    };
    let tree = program.tree();
    for stmt in program.statements() {
        printer.stmt(tree, stmt, 0);
        printer.out.push('\n');
    }
    printer.out
}

/// One expression as an S-expression, for tests of the expression grammar.
pub fn sexpr_expr<'a, A: Alloc<'a>>(
    tree: Tree<'_, 'a, A>,
    expr: &Expr<'a, A>,
    options: DumpOptions,
) -> String {
    let mut printer = Sexpr {
        out: String::new(),
        options,
    };
    printer.expr(tree, expr);
    printer.out
}

struct Sexpr {
    out: String,
    options: DumpOptions,
}

impl Sexpr {
    fn span(&mut self, span: Span) {
        if self.options.spans {
            let _ = write!(self.out, "@{span}");
        }
    }

    /// Writes `(head@span` for a node.
    fn open(&mut self, head: &str, span: Span) {
        self.out.push('(');
        self.out.push_str(head);
        self.span(span);
    }

    fn newline(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn ident(&mut self, ident: Ident<'_>) {
        // A made-up name is shown as what it is, not as the token it borrows.
        match ident.is_missing() {
            true => self.out.push_str("<missing>"),
            false => self.out.push_str(ident.name),
        }
        self.span(ident.span);
    }

    fn expr<'t, 'a: 't, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        walk_expr(tree, expr, self);
    }

    fn stmt<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        stmt: &'t Stmt<'a, A>,
        depth: usize,
    ) {
        match tree.stmt(stmt) {
            StmtNode::Expression(node) => {
                self.open("expr", node.span);
                self.out.push(' ');
                self.expr(tree, &node.expr);
            }
            StmtNode::Print(node) => {
                self.open("print", node.span);
                self.out.push(' ');
                self.expr(tree, &node.expr);
            }
            StmtNode::Var(node) => {
                self.open("var", node.span);
                self.out.push(' ');
                self.ident(node.name);
                if let Some(initializer) = &node.initializer {
                    self.out.push(' ');
                    self.expr(tree, initializer);
                }
            }
            StmtNode::Block(node) => {
                self.open("block", node.span);
                self.body(tree, tree.list(&node.statements), depth);
            }
            StmtNode::If(node) => {
                self.open("if", node.span);
                for branch in tree.list(&node.branches) {
                    self.newline(depth + 1);
                    self.open("branch", branch.keyword);
                    self.out.push(' ');
                    self.expr(tree, &branch.condition);
                    self.newline(depth + 2);
                    self.stmt(tree, &branch.then_branch, depth + 2);
                    self.out.push(')');
                }
                if let Some(else_branch) = &node.else_branch {
                    self.newline(depth + 1);
                    self.out.push_str("(else");
                    self.newline(depth + 2);
                    self.stmt(tree, else_branch, depth + 2);
                    self.out.push(')');
                }
            }
            StmtNode::While(node) => {
                self.open("while", node.span);
                self.out.push(' ');
                self.expr(tree, &node.condition);
                self.newline(depth + 1);
                self.stmt(tree, &node.body, depth + 1);
            }
            StmtNode::For(node) => {
                self.open("for", node.span);
                self.out.push(' ');
                match &node.initializer {
                    Some(initializer) => self.stmt(tree, initializer, depth + 1),
                    None => self.out.push('_'),
                }
                for clause in [&node.condition, &node.increment] {
                    self.out.push(' ');
                    match clause {
                        Some(expr) => self.expr(tree, expr),
                        None => self.out.push('_'),
                    }
                }
                self.newline(depth + 1);
                self.stmt(tree, &node.body, depth + 1);
            }
            StmtNode::Return(node) => {
                self.open("return", node.span);
                if let Some(value) = &node.value {
                    self.out.push(' ');
                    self.expr(tree, value);
                }
            }
            StmtNode::Function(node) => self.function(tree, node, depth),
            StmtNode::Class(node) => {
                self.open("class", node.span);
                self.out.push(' ');
                self.ident(node.name);
                if let Some(superclass) = &node.superclass {
                    self.out.push_str(" < ");
                    self.ident(superclass.name);
                }
                for method in tree.list(&node.methods) {
                    self.newline(depth + 1);
                    self.function(tree, method, depth + 1);
                    self.out.push(')');
                }
            }
        }
        self.out.push(')');
    }

    fn function<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        function: &'t Function<'a, A>,
        depth: usize,
    ) {
        self.open("fun", function.span);
        self.out.push(' ');
        self.ident(function.name);
        self.out.push_str(" (");
        for (index, param) in tree.list(&function.params).iter().enumerate() {
            if index > 0 {
                self.out.push(' ');
            }
            self.ident(param.name);
        }
        self.out.push(')');
        self.body(tree, tree.list(&function.body), depth);
    }

    fn body<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        statements: &'t [Stmt<'a, A>],
        depth: usize,
    ) {
        for stmt in statements {
            self.newline(depth + 1);
            self.stmt(tree, stmt, depth + 1);
        }
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Sexpr {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        let node = tree.expr(expr);
        let span = node.span(tree);
        match node {
            ExprNode::Literal(node) => {
                match node.value {
                    LiteralValue::Number(value) => {
                        let _ = write!(self.out, "{value}");
                    }
                    LiteralValue::String(text) => write_json_string(&mut self.out, text),
                    LiteralValue::Bool(value) => {
                        let _ = write!(self.out, "{value}");
                    }
                    LiteralValue::Nil => self.out.push_str("nil"),
                }
                self.span(span);
            }
            ExprNode::Variable(node) => self.ident(node.name),
            ExprNode::This(node) => {
                self.out.push_str("this");
                self.span(node.keyword);
            }
            ExprNode::Super(node) => {
                self.open("super", span);
                self.out.push(' ');
                self.ident(node.method);
                self.out.push(')');
            }
            ExprNode::Error(_) => {
                self.out.push_str("<error>");
                self.span(span);
            }
            ExprNode::Assign(node) => {
                self.open("=", span);
                self.out.push(' ');
                self.ident(node.name);
                self.out.push(' ');
            }
            ExprNode::Unary(node) => {
                self.open(node.op.symbol(), span);
                self.out.push(' ');
            }
            ExprNode::Binary(node) => {
                self.open(node.op.symbol(), span);
                self.out.push(' ');
            }
            ExprNode::Logical(node) => {
                self.open(node.op.symbol(), span);
                self.out.push(' ');
            }
            ExprNode::Grouping(_) => {
                self.open("group", span);
                self.out.push(' ');
            }
            ExprNode::Call(_) => {
                self.open("call", span);
                self.out.push(' ');
            }
            ExprNode::Get(_) => {
                self.open(".", span);
                self.out.push(' ');
            }
            ExprNode::Set(_) => {
                self.open(".=", span);
                self.out.push(' ');
            }
        }
    }

    fn between(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>, _index: usize) {
        self.out.push(' ');
        if let ExprNode::Set(node) = tree.expr(expr) {
            self.ident(node.name);
            self.out.push(' ');
        }
    }

    fn exit(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        match tree.expr(expr) {
            ExprNode::Literal(_)
            | ExprNode::Variable(_)
            | ExprNode::This(_)
            | ExprNode::Super(_)
            | ExprNode::Error(_) => {}
            ExprNode::Get(node) => {
                self.out.push(' ');
                self.ident(node.name);
                self.out.push(')');
            }
            ExprNode::Assign(_)
            | ExprNode::Unary(_)
            | ExprNode::Binary(_)
            | ExprNode::Logical(_)
            | ExprNode::Grouping(_)
            | ExprNode::Call(_)
            | ExprNode::Set(_) => self.out.push(')'),
        }
    }
}

/// The program as one JSON document: every node is an object with `kind`,
/// `span` (`[start, end]` byte offsets), its attributes and `children`.
pub fn json<'a, A: Alloc<'a>>(program: &Program<'a, A>) -> String {
    let mut printer = Json { out: String::new() };
    printer.out.push_str("{\"kind\":\"Program\",\"children\":[");
    printer.stmts(program.tree(), program.statements());
    printer.out.push_str("]}\n");
    printer.out
}

struct Json {
    out: String,
}

impl Json {
    /// Writes `{"kind":KIND,"span":[s,e]` and leaves the object open.
    fn open(&mut self, kind: &str, span: Span) {
        let _ = write!(
            self.out,
            "{{\"kind\":\"{kind}\",\"span\":[{},{}]",
            span.start, span.end
        );
    }

    fn attr(&mut self, key: &str, value: &str) {
        let _ = write!(self.out, ",\"{key}\":");
        write_json_string(&mut self.out, value);
    }

    fn children(&mut self) {
        self.out.push_str(",\"children\":[");
    }

    fn close(&mut self) {
        self.out.push_str("]}");
    }

    fn comma(&mut self, index: usize) {
        if index > 0 {
            self.out.push(',');
        }
    }

    fn stmts<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        statements: &'t [Stmt<'a, A>],
    ) {
        for (index, stmt) in statements.iter().enumerate() {
            self.comma(index);
            self.stmt(tree, stmt);
        }
    }

    fn optional_expr<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        expr: Option<&'t Expr<'a, A>>,
    ) {
        match expr {
            Some(expr) => walk_expr(tree, expr, self),
            None => self.out.push_str("null"),
        }
    }

    fn stmt<'t, 'a: 't, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, stmt: &'t Stmt<'a, A>) {
        match tree.stmt(stmt) {
            StmtNode::Expression(node) => {
                self.open("Expression", node.span);
                self.children();
                walk_expr(tree, &node.expr, self);
            }
            StmtNode::Print(node) => {
                self.open("Print", node.span);
                self.children();
                walk_expr(tree, &node.expr, self);
            }
            StmtNode::Var(node) => {
                self.open("Var", node.span);
                self.attr("name", node.name.name);
                self.children();
                self.optional_expr(tree, node.initializer.as_ref());
            }
            StmtNode::Block(node) => {
                self.open("Block", node.span);
                self.children();
                self.stmts(tree, tree.list(&node.statements));
            }
            StmtNode::If(node) => {
                self.open("If", node.span);
                self.children();
                for (index, branch) in tree.list(&node.branches).iter().enumerate() {
                    self.comma(index);
                    self.open("Branch", branch.keyword);
                    self.children();
                    walk_expr(tree, &branch.condition, self);
                    self.out.push(',');
                    self.stmt(tree, &branch.then_branch);
                    self.close();
                }
                if let Some(else_branch) = &node.else_branch {
                    self.out.push(',');
                    self.stmt(tree, else_branch);
                }
            }
            StmtNode::While(node) => {
                self.open("While", node.span);
                self.children();
                walk_expr(tree, &node.condition, self);
                self.out.push(',');
                self.stmt(tree, &node.body);
            }
            StmtNode::For(node) => {
                self.open("For", node.span);
                self.children();
                match &node.initializer {
                    Some(initializer) => self.stmt(tree, initializer),
                    None => self.out.push_str("null"),
                }
                self.out.push(',');
                self.optional_expr(tree, node.condition.as_ref());
                self.out.push(',');
                self.optional_expr(tree, node.increment.as_ref());
                self.out.push(',');
                self.stmt(tree, &node.body);
            }
            StmtNode::Return(node) => {
                self.open("Return", node.span);
                self.children();
                if let Some(value) = &node.value {
                    walk_expr(tree, value, self);
                }
            }
            StmtNode::Function(node) => {
                self.function(tree, node);
                return;
            }
            StmtNode::Class(node) => {
                self.open("Class", node.span);
                self.attr("name", node.name.name);
                if let Some(superclass) = &node.superclass {
                    self.attr("superclass", superclass.name.name);
                }
                self.children();
                for (index, method) in tree.list(&node.methods).iter().enumerate() {
                    self.comma(index);
                    self.function(tree, method);
                }
            }
        }
        self.close();
    }

    fn function<'t, 'a: 't, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        function: &'t Function<'a, A>,
    ) {
        self.open("Function", function.span);
        self.attr("name", function.name.name);
        self.out.push_str(",\"params\":[");
        for (index, param) in tree.list(&function.params).iter().enumerate() {
            self.comma(index);
            write_json_string(&mut self.out, param.name.name);
        }
        self.out.push(']');
        self.children();
        self.stmts(tree, tree.list(&function.body));
        self.close();
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Json {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        let node = tree.expr(expr);
        let span = node.span(tree);
        match node {
            ExprNode::Literal(node) => {
                self.open("Literal", span);
                self.out.push_str(",\"value\":");
                match node.value {
                    LiteralValue::Number(value) if value.is_finite() => {
                        let _ = write!(self.out, "{value}");
                    }
                    // JSON has no infinity; a number too large for f64 is kept as text.
                    LiteralValue::Number(value) => {
                        write_json_string(&mut self.out, &value.to_string())
                    }
                    LiteralValue::String(text) => write_json_string(&mut self.out, text),
                    LiteralValue::Bool(value) => {
                        let _ = write!(self.out, "{value}");
                    }
                    LiteralValue::Nil => self.out.push_str("null"),
                }
            }
            ExprNode::Variable(node) => {
                self.open("Variable", span);
                self.attr("name", node.name.name);
            }
            ExprNode::This(_) => self.open("This", span),
            ExprNode::Super(node) => {
                self.open("Super", span);
                self.attr("method", node.method.name);
            }
            ExprNode::Error(_) => self.open("Error", span),
            ExprNode::Assign(node) => {
                self.open("Assign", span);
                self.attr("name", node.name.name);
            }
            ExprNode::Unary(node) => {
                self.open("Unary", span);
                self.attr("op", node.op.symbol());
            }
            ExprNode::Binary(node) => {
                self.open("Binary", span);
                self.attr("op", node.op.symbol());
            }
            ExprNode::Logical(node) => {
                self.open("Logical", span);
                self.attr("op", node.op.symbol());
            }
            ExprNode::Grouping(_) => self.open("Grouping", span),
            ExprNode::Call(_) => self.open("Call", span),
            ExprNode::Get(node) => {
                self.open("Get", span);
                self.attr("name", node.name.name);
            }
            ExprNode::Set(node) => {
                self.open("Set", span);
                self.attr("name", node.name.name);
            }
        }
        self.children();
    }

    fn between(&mut self, _tree: Tree<'t, 'a, A>, _expr: &'t Expr<'a, A>, _index: usize) {
        self.out.push(',');
    }

    fn exit(&mut self, _tree: Tree<'t, 'a, A>, _expr: &'t Expr<'a, A>) {
        self.close();
    }
}
