//! Generated corpora go through the real front-end and code generator without
//! a single diagnostic, and use every kind of statement and expression.

use bumplox_source::SourceFile;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{Bump, BumpBuilder, Children, Expr, ExprNode, Program, Stmt, StmtNode, Tree};

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

/// Which statement and expression variants a tree holds, by name. The
/// children come from the generated traversal, so every node is seen.
struct Seen<'t, 'a> {
    tree: Tree<'t, 'a, Bump>,
    names: std::collections::BTreeSet<&'static str>,
}

impl<'t, 'a: 't> ExprVisitor<'t, 'a, Bump> for Seen<'t, 'a> {
    fn enter(&mut self, tree: Tree<'t, 'a, Bump>, expr: &'t Expr<'a, Bump>) {
        self.names.insert(match tree.expr(expr) {
            ExprNode::Literal(_) => "literal",
            ExprNode::Variable(_) => "variable",
            ExprNode::Assign(_) => "assign",
            ExprNode::Unary(_) => "unary",
            ExprNode::Binary(_) => "binary",
            ExprNode::Logical(_) => "logical",
            ExprNode::Grouping(_) => "grouping",
            ExprNode::Call(_) => "call",
            ExprNode::Get(_) => "get",
            ExprNode::Set(_) => "set",
            ExprNode::This(_) => "this",
            ExprNode::Super(_) => "super",
            ExprNode::Error(_) => "error",
        });
    }

    fn exit(&mut self, _: Tree<'t, 'a, Bump>, _: &'t Expr<'a, Bump>) {}
}

impl<'t, 'a: 't> Children<'t, 'a, Bump> for Seen<'t, 'a> {
    fn expr(&mut self, expr: &'t Expr<'a, Bump>) {
        walk_expr(self.tree, expr, self);
    }

    fn stmt(&mut self, stmt: &'t Stmt<'a, Bump>) {
        self.names.insert(match self.tree.stmt(stmt) {
            StmtNode::Expression(_) => "expression statement",
            StmtNode::Print(_) => "print",
            StmtNode::Var(_) => "var",
            StmtNode::Block(_) => "block",
            StmtNode::If(node) => match node.else_branch {
                Some(_) => "if else",
                None => "if",
            },
            StmtNode::While(_) => "while",
            StmtNode::For(_) => "for",
            StmtNode::Return(_) => "return",
            StmtNode::Function(_) => "function",
            StmtNode::Class(node) => match node.superclass {
                Some(_) => "subclass",
                None => "class",
            },
        });
        self.tree.stmt_children(stmt, self);
    }
}

#[test]
fn a_corpus_holds_every_kind_of_statement_and_expression() {
    let text = bumplox_corpus::generate(300_000, 5);
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(&text, &BumpBuilder::new(&bump));
    let program: &Program<'_, Bump> = &parse.program;
    let mut seen = Seen {
        tree: program.tree(),
        names: Default::default(),
    };
    for stmt in program.statements() {
        seen.stmt(stmt);
    }
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
        .filter(|name| !seen.names.contains(name))
        .collect();
    assert_eq!(missing, Vec::<&str>::new());
    assert!(!seen.names.contains("error"));
}
