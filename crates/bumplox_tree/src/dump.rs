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
    for stmt in program.statements.iter() {
        printer.stmt(stmt, 0);
        printer.out.push('\n');
    }
    printer.out
}

/// One expression as an S-expression, for tests of the expression grammar.
pub fn sexpr_expr<'a, A: Alloc<'a>>(expr: &Expr<'a, A>, options: DumpOptions) -> String {
    let mut printer = Sexpr {
        out: String::new(),
        options,
    };
    printer.expr(expr);
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
        self.out.push_str(ident.name);
        self.span(ident.span);
    }

    fn expr<'a, A: Alloc<'a>>(&mut self, expr: &Expr<'a, A>) {
        walk_expr(expr, self);
    }

    fn stmt<'a, A: Alloc<'a>>(&mut self, stmt: &Stmt<'a, A>, depth: usize) {
        match stmt {
            Stmt::Expression(node) => {
                self.open("expr", node.span);
                self.out.push(' ');
                self.expr(&node.expr);
            }
            Stmt::Print(node) => {
                self.open("print", node.span);
                self.out.push(' ');
                self.expr(&node.expr);
            }
            Stmt::Var(node) => {
                self.open("var", node.span);
                self.out.push(' ');
                self.ident(node.name);
                if let Some(initializer) = &node.initializer {
                    self.out.push(' ');
                    self.expr(initializer);
                }
            }
            Stmt::Block(node) => {
                self.open("block", node.span);
                self.body(&node.statements, depth);
            }
            Stmt::If(node) => {
                self.open("if", node.span);
                for branch in node.branches.iter() {
                    self.newline(depth + 1);
                    self.open("branch", branch.keyword);
                    self.out.push(' ');
                    self.expr(&branch.condition);
                    self.newline(depth + 2);
                    self.stmt(&branch.then_branch, depth + 2);
                    self.out.push(')');
                }
                if let Some(else_branch) = &node.else_branch {
                    self.newline(depth + 1);
                    self.out.push_str("(else");
                    self.newline(depth + 2);
                    self.stmt(else_branch, depth + 2);
                    self.out.push(')');
                }
            }
            Stmt::While(node) => {
                self.open("while", node.span);
                self.out.push(' ');
                self.expr(&node.condition);
                self.newline(depth + 1);
                self.stmt(&node.body, depth + 1);
            }
            Stmt::For(node) => {
                self.open("for", node.span);
                self.out.push(' ');
                match &node.initializer {
                    Some(initializer) => self.stmt(initializer, depth + 1),
                    None => self.out.push('_'),
                }
                for clause in [&node.condition, &node.increment] {
                    self.out.push(' ');
                    match clause {
                        Some(expr) => self.expr(expr),
                        None => self.out.push('_'),
                    }
                }
                self.newline(depth + 1);
                self.stmt(&node.body, depth + 1);
            }
            Stmt::Return(node) => {
                self.open("return", node.span);
                if let Some(value) = &node.value {
                    self.out.push(' ');
                    self.expr(value);
                }
            }
            Stmt::Function(node) => self.function(node, depth),
            Stmt::Class(node) => {
                self.open("class", node.span);
                self.out.push(' ');
                self.ident(node.name);
                if let Some(superclass) = &node.superclass {
                    self.out.push_str(" < ");
                    self.ident(superclass.name);
                }
                for method in node.methods.iter() {
                    self.newline(depth + 1);
                    self.function(method, depth + 1);
                    self.out.push(')');
                }
            }
        }
        self.out.push(')');
    }

    fn function<'a, A: Alloc<'a>>(&mut self, function: &Function<'a, A>, depth: usize) {
        self.open("fun", function.span);
        self.out.push(' ');
        self.ident(function.name);
        self.out.push_str(" (");
        for (index, param) in function.params.iter().enumerate() {
            if index > 0 {
                self.out.push(' ');
            }
            self.ident(param.name);
        }
        self.out.push(')');
        self.body(&function.body, depth);
    }

    fn body<'a, A: Alloc<'a>>(&mut self, statements: &[Stmt<'a, A>], depth: usize) {
        for stmt in statements {
            self.newline(depth + 1);
            self.stmt(stmt, depth + 1);
        }
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Sexpr {
    fn enter(&mut self, expr: &'t Expr<'a, A>) {
        let span = expr.span();
        match expr {
            Expr::Literal(node) => {
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
            Expr::Variable(node) => self.ident(node.name),
            Expr::This(node) => {
                self.out.push_str("this");
                self.span(node.keyword);
            }
            Expr::Super(node) => {
                self.open("super", span);
                self.out.push(' ');
                self.ident(node.method);
                self.out.push(')');
            }
            Expr::Error(_) => {
                self.out.push_str("<error>");
                self.span(span);
            }
            Expr::Assign(node) => {
                self.open("=", span);
                self.out.push(' ');
                self.ident(node.name);
                self.out.push(' ');
            }
            Expr::Unary(node) => {
                self.open(node.op.symbol(), span);
                self.out.push(' ');
            }
            Expr::Binary(node) => {
                self.open(node.op.symbol(), span);
                self.out.push(' ');
            }
            Expr::Logical(node) => {
                self.open(node.op.symbol(), span);
                self.out.push(' ');
            }
            Expr::Grouping(_) => {
                self.open("group", span);
                self.out.push(' ');
            }
            Expr::Call(_) => {
                self.open("call", span);
                self.out.push(' ');
            }
            Expr::Get(_) => {
                self.open(".", span);
                self.out.push(' ');
            }
            Expr::Set(_) => {
                self.open(".=", span);
                self.out.push(' ');
            }
        }
    }

    fn between(&mut self, expr: &'t Expr<'a, A>, _index: usize) {
        self.out.push(' ');
        if let Expr::Set(node) = expr {
            self.ident(node.name);
            self.out.push(' ');
        }
    }

    fn exit(&mut self, expr: &'t Expr<'a, A>) {
        match expr {
            Expr::Literal(_)
            | Expr::Variable(_)
            | Expr::This(_)
            | Expr::Super(_)
            | Expr::Error(_) => {}
            Expr::Get(node) => {
                self.out.push(' ');
                self.ident(node.name);
                self.out.push(')');
            }
            _ => self.out.push(')'),
        }
    }
}

/// The program as one JSON document: every node is an object with `kind`,
/// `span` (`[start, end]` byte offsets), its attributes and `children`.
pub fn json<'a, A: Alloc<'a>>(program: &Program<'a, A>) -> String {
    let mut printer = Json { out: String::new() };
    printer.out.push_str("{\"kind\":\"Program\",\"children\":[");
    printer.stmts(&program.statements);
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

    fn stmts<'a, A: Alloc<'a>>(&mut self, statements: &[Stmt<'a, A>]) {
        for (index, stmt) in statements.iter().enumerate() {
            self.comma(index);
            self.stmt(stmt);
        }
    }

    fn optional_expr<'a, A: Alloc<'a>>(&mut self, expr: Option<&Expr<'a, A>>) {
        match expr {
            Some(expr) => walk_expr(expr, self),
            None => self.out.push_str("null"),
        }
    }

    fn stmt<'a, A: Alloc<'a>>(&mut self, stmt: &Stmt<'a, A>) {
        match stmt {
            Stmt::Expression(node) => {
                self.open("Expression", node.span);
                self.children();
                walk_expr(&node.expr, self);
            }
            Stmt::Print(node) => {
                self.open("Print", node.span);
                self.children();
                walk_expr(&node.expr, self);
            }
            Stmt::Var(node) => {
                self.open("Var", node.span);
                self.attr("name", node.name.name);
                self.children();
                self.optional_expr(node.initializer.as_ref());
            }
            Stmt::Block(node) => {
                self.open("Block", node.span);
                self.children();
                self.stmts(&node.statements);
            }
            Stmt::If(node) => {
                self.open("If", node.span);
                self.children();
                for (index, branch) in node.branches.iter().enumerate() {
                    self.comma(index);
                    self.open("Branch", branch.keyword);
                    self.children();
                    walk_expr(&branch.condition, self);
                    self.out.push(',');
                    self.stmt(&branch.then_branch);
                    self.close();
                }
                if let Some(else_branch) = &node.else_branch {
                    self.out.push(',');
                    self.stmt(else_branch);
                }
            }
            Stmt::While(node) => {
                self.open("While", node.span);
                self.children();
                walk_expr(&node.condition, self);
                self.out.push(',');
                self.stmt(&node.body);
            }
            Stmt::For(node) => {
                self.open("For", node.span);
                self.children();
                match &node.initializer {
                    Some(initializer) => self.stmt(initializer),
                    None => self.out.push_str("null"),
                }
                self.out.push(',');
                self.optional_expr(node.condition.as_ref());
                self.out.push(',');
                self.optional_expr(node.increment.as_ref());
                self.out.push(',');
                self.stmt(&node.body);
            }
            Stmt::Return(node) => {
                self.open("Return", node.span);
                self.children();
                if let Some(value) = &node.value {
                    walk_expr(value, self);
                }
            }
            Stmt::Function(node) => {
                self.function(node);
                return;
            }
            Stmt::Class(node) => {
                self.open("Class", node.span);
                self.attr("name", node.name.name);
                if let Some(superclass) = &node.superclass {
                    self.attr("superclass", superclass.name.name);
                }
                self.children();
                for (index, method) in node.methods.iter().enumerate() {
                    self.comma(index);
                    self.function(method);
                }
            }
        }
        self.close();
    }

    fn function<'a, A: Alloc<'a>>(&mut self, function: &Function<'a, A>) {
        self.open("Function", function.span);
        self.attr("name", function.name.name);
        self.out.push_str(",\"params\":[");
        for (index, param) in function.params.iter().enumerate() {
            self.comma(index);
            write_json_string(&mut self.out, param.name.name);
        }
        self.out.push(']');
        self.children();
        self.stmts(&function.body);
        self.close();
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Json {
    fn enter(&mut self, expr: &'t Expr<'a, A>) {
        let span = expr.span();
        match expr {
            Expr::Literal(node) => {
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
            Expr::Variable(node) => {
                self.open("Variable", span);
                self.attr("name", node.name.name);
            }
            Expr::This(_) => self.open("This", span),
            Expr::Super(node) => {
                self.open("Super", span);
                self.attr("method", node.method.name);
            }
            Expr::Error(_) => self.open("Error", span),
            Expr::Assign(node) => {
                self.open("Assign", span);
                self.attr("name", node.name.name);
            }
            Expr::Unary(node) => {
                self.open("Unary", span);
                self.attr("op", node.op.symbol());
            }
            Expr::Binary(node) => {
                self.open("Binary", span);
                self.attr("op", node.op.symbol());
            }
            Expr::Logical(node) => {
                self.open("Logical", span);
                self.attr("op", node.op.symbol());
            }
            Expr::Grouping(_) => self.open("Grouping", span),
            Expr::Call(_) => self.open("Call", span),
            Expr::Get(node) => {
                self.open("Get", span);
                self.attr("name", node.name.name);
            }
            Expr::Set(node) => {
                self.open("Set", span);
                self.attr("name", node.name.name);
            }
        }
        self.children();
    }

    fn between(&mut self, _expr: &'t Expr<'a, A>, _index: usize) {
        self.out.push(',');
    }

    fn exit(&mut self, _expr: &'t Expr<'a, A>) {
        self.close();
    }
}
