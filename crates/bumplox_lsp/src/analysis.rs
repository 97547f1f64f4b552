//! `Analysis`: what the editor features read from one text: the names the
//! resolver recorded, the outline, and the syntax errors' count. Also the
//! chain of nodes around a position, found by walking a fresh parse.

use bumplox_diagnostics::Diagnostic;
use bumplox_resolver::{DeclarationKind, Names};
use bumplox_source::Span;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{Bump, BumpBuilder, Children, Expr, Program, Stmt, StmtNode, Tree};

/// An entry of the outline: a class, a method, a function or a top-level
/// variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: DeclarationKind,
    /// The whole declaration.
    pub span: Span,
    /// Its name.
    pub name_span: Span,
    /// A class's methods.
    pub children: Vec<Symbol>,
}

/// The names and the outline of one text, owned, so that the tree's arena
/// can go as soon as they are read from it.
pub struct Analysis {
    pub names: Names,
    pub symbols: Vec<Symbol>,
    /// The parser's and the resolver's diagnostics, which a rename must not
    /// change.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn new(text: &str) -> Analysis {
        let bump = bumpalo::Bump::new();
        let parse = bumplox_parser::parse(text, &BumpBuilder::new(&bump));
        let (_, resolve_diagnostics, names) =
            bumplox_resolver::resolve_names(&parse.program, &parse.recovery_spans);
        let symbols = outline(&parse.program);
        let mut diagnostics = parse.diagnostics;
        diagnostics.extend(resolve_diagnostics);
        Analysis {
            names,
            symbols,
            diagnostics,
        }
    }
}

fn outline<'a>(program: &Program<'a, Bump>) -> Vec<Symbol> {
    let tree = program.tree();
    let mut symbols = Vec::new();
    for stmt in program.statements() {
        match tree.stmt(stmt) {
            StmtNode::Var(node) => symbols.push(Symbol {
                name: node.name.name.to_string(),
                kind: DeclarationKind::Variable,
                span: node.span,
                name_span: node.name.span,
                children: Vec::new(),
            }),
            StmtNode::Function(node) => symbols.push(Symbol {
                name: node.name.name.to_string(),
                kind: DeclarationKind::Function,
                span: node.span,
                name_span: node.name.span,
                children: Vec::new(),
            }),
            StmtNode::Class(node) => symbols.push(Symbol {
                name: node.name.name.to_string(),
                kind: DeclarationKind::Class,
                span: node.span,
                name_span: node.name.span,
                children: tree
                    .list(&node.methods)
                    .iter()
                    .map(|method| Symbol {
                        name: method.name.name.to_string(),
                        kind: DeclarationKind::Method,
                        span: method.span,
                        name_span: method.name.span,
                        children: Vec::new(),
                    })
                    .collect(),
            }),
            StmtNode::Expression(_)
            | StmtNode::Print(_)
            | StmtNode::Block(_)
            | StmtNode::If(_)
            | StmtNode::While(_)
            | StmtNode::For(_)
            | StmtNode::Return(_) => {}
        }
    }
    symbols
}

/// The spans of the nodes that contain `offset`, outermost first, ending
/// with the token at `offset`: what "expand selection" steps through.
pub fn enclosing_spans(text: &str, offset: u32) -> Vec<Span> {
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(text, &BumpBuilder::new(&bump));
    let tree = parse.program.tree();
    let mut finder = Enclosing {
        tree,
        offset,
        spans: Vec::new(),
    };
    for stmt in parse.program.statements() {
        finder.stmt(stmt);
    }
    let token = bumplox_lexer::tokenize(text)
        .into_iter()
        .find(|token| token.span.start <= offset && offset < token.span.end);
    let mut spans = finder.spans;
    spans.extend(token.map(|token| token.span));
    // Outermost first; a node and its only child may share a span.
    spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
    spans.sort_by_key(|span| std::cmp::Reverse(span.len()));
    spans.dedup();
    spans
}

struct Enclosing<'t, 'a> {
    tree: Tree<'t, 'a, Bump>,
    offset: u32,
    spans: Vec<Span>,
}

impl Enclosing<'_, '_> {
    fn contains(&self, span: Span) -> bool {
        span.start <= self.offset && self.offset < span.end
    }
}

impl<'t, 'a: 't> Children<'t, 'a, Bump> for Enclosing<'t, 'a> {
    fn expr(&mut self, expr: &'t Expr<'a, Bump>) {
        if self.contains(expr.span(self.tree)) {
            walk_expr(self.tree, expr, self);
        }
    }

    fn stmt(&mut self, stmt: &'t Stmt<'a, Bump>) {
        let span = stmt.span(self.tree);
        if !self.contains(span) {
            return;
        }
        self.spans.push(span);
        match self.tree.stmt(stmt) {
            // A method is no statement of its own, so the generated
            // traversal does not tell its span.
            StmtNode::Class(class) => {
                for method in self.tree.list(&class.methods) {
                    if self.contains(method.span) {
                        self.spans.push(method.span);
                    }
                }
            }
            StmtNode::Expression(_)
            | StmtNode::Print(_)
            | StmtNode::Var(_)
            | StmtNode::Block(_)
            | StmtNode::If(_)
            | StmtNode::While(_)
            | StmtNode::For(_)
            | StmtNode::Return(_)
            | StmtNode::Function(_) => {}
        }
        self.tree.stmt_children(stmt, self);
    }
}

impl<'t, 'a: 't> ExprVisitor<'t, 'a, Bump> for Enclosing<'t, 'a> {
    fn enter(&mut self, tree: Tree<'t, 'a, Bump>, expr: &'t Expr<'a, Bump>) {
        let span = expr.span(tree);
        if self.contains(span) {
            self.spans.push(span);
        }
    }

    fn exit(&mut self, _tree: Tree<'t, 'a, Bump>, _expr: &'t Expr<'a, Bump>) {}
}
