//! Generated corpora go through the real front-end and code generator without
//! a single diagnostic, and use every kind of statement and expression.

use bumplox_source::SourceFile;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{Bump, BumpBuilder, Expr, Program, Stmt};

/// Parses, resolves and compiles `text`, returning every diagnostic message.
fn diagnostics(text: &str) -> Vec<String> {
    let file = SourceFile::new("corpus.lox", text).unwrap();
    let bump = bumpalo::Bump::new();
    let builder = BumpBuilder::new(&bump);
    let parse = bumplox_parser::parse(file.text(), &builder);
    let mut messages: Vec<String> = parse
        .diagnostics
        .iter()
        .map(|d| format!("parse: {} at {:?}", d.message, d.span))
        .collect();
    let (resolution, resolved) = bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    messages.extend(
        resolved
            .iter()
            .map(|d| format!("resolve: {} at {:?}", d.message, d.span)),
    );
    if messages.is_empty() {
        if let Err(errors) = bumplox_codegen::compile(&parse.program, &resolution, &file) {
            messages.extend(
                errors
                    .iter()
                    .map(|d| format!("codegen: {} at {:?}", d.message, d.span)),
            );
        }
    }
    messages
}

#[test]
fn corpora_of_several_sizes_and_seeds_compile_without_a_diagnostic() {
    for (size, seeds) in [
        (1_000, 0..6),
        (10_000, 0..4),
        (100_000, 0..3),
        (1_000_000, 0..1),
    ] {
        for seed in seeds {
            let text = bumplox_corpus::generate(size, seed);
            let messages = diagnostics(&text);
            assert!(
                messages.is_empty(),
                "size {size}, seed {seed}: {messages:#?}"
            );
        }
    }
}

/// Which statement and expression variants a tree holds, by name.
#[derive(Default)]
struct Seen(std::collections::BTreeSet<&'static str>);

impl<'t, 'a: 't> ExprVisitor<'t, 'a, Bump> for Seen {
    fn enter(&mut self, expr: &'t Expr<'a, Bump>) {
        self.0.insert(match expr {
            Expr::Literal(_) => "literal",
            Expr::Variable(_) => "variable",
            Expr::Assign(_) => "assign",
            Expr::Unary(_) => "unary",
            Expr::Binary(_) => "binary",
            Expr::Logical(_) => "logical",
            Expr::Grouping(_) => "grouping",
            Expr::Call(_) => "call",
            Expr::Get(_) => "get",
            Expr::Set(_) => "set",
            Expr::This(_) => "this",
            Expr::Super(_) => "super",
            Expr::Error(_) => "error",
        });
    }

    fn exit(&mut self, _: &'t Expr<'a, Bump>) {}
}

impl Seen {
    fn stmts<'a>(&mut self, stmts: &[Stmt<'a, Bump>]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn expr<'a>(&mut self, expr: &Expr<'a, Bump>) {
        walk_expr(expr, self);
    }

    fn stmt<'a>(&mut self, stmt: &Stmt<'a, Bump>) {
        match stmt {
            Stmt::Expression(node) => {
                self.0.insert("expression statement");
                self.expr(&node.expr);
            }
            Stmt::Print(node) => {
                self.0.insert("print");
                self.expr(&node.expr);
            }
            Stmt::Var(node) => {
                self.0.insert("var");
                node.initializer.iter().for_each(|e| self.expr(e));
            }
            Stmt::Block(node) => {
                self.0.insert("block");
                self.stmts(node.statements);
            }
            Stmt::If(node) => {
                self.0.insert(match node.else_branch {
                    Some(_) => "if else",
                    None => "if",
                });
                for branch in node.branches.iter() {
                    self.expr(&branch.condition);
                    self.stmt(&branch.then_branch);
                }
                node.else_branch.iter().for_each(|s| self.stmt(s));
            }
            Stmt::While(node) => {
                self.0.insert("while");
                self.expr(&node.condition);
                self.stmt(&node.body);
            }
            Stmt::For(node) => {
                self.0.insert("for");
                node.initializer.iter().for_each(|s| self.stmt(s));
                node.condition.iter().for_each(|e| self.expr(e));
                node.increment.iter().for_each(|e| self.expr(e));
                self.stmt(&node.body);
            }
            Stmt::Return(node) => {
                self.0.insert("return");
                node.value.iter().for_each(|e| self.expr(e));
            }
            Stmt::Function(node) => {
                self.0.insert("function");
                self.stmts(node.body);
            }
            Stmt::Class(node) => {
                self.0.insert(match node.superclass {
                    Some(_) => "subclass",
                    None => "class",
                });
                for method in node.methods.iter() {
                    self.stmts(method.body);
                }
            }
        }
    }
}

#[test]
fn a_corpus_holds_every_kind_of_statement_and_expression() {
    let text = bumplox_corpus::generate(300_000, 5);
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(&text, &BumpBuilder::new(&bump));
    let program: &Program<'_, Bump> = &parse.program;
    let mut seen = Seen::default();
    seen.stmts(program.statements);
    let expected = [
        "expression statement",
        "print",
        "var",
        "block",
        "if",
        "if else",
        "while",
        "for",
        "return",
        "function",
        "class",
        "subclass",
        "literal",
        "variable",
        "assign",
        "unary",
        "binary",
        "logical",
        "grouping",
        "call",
        "get",
        "set",
        "this",
        "super",
    ];
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|name| !seen.0.contains(name))
        .collect();
    assert_eq!(missing, Vec::<&str>::new());
    assert!(!seen.0.contains("error"));
}
