//! Counting the nodes of a tree: what "allocations per node" divides by.

use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{Alloc, Children, Expr, Program, Stmt, Tree};

/// How many separately allocated pieces a tree has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeCount {
    /// Nodes allocated one at a time: every statement and expression payload
    /// (what `Stmt` and `Expr` variants point to). `Box` makes one heap
    /// allocation for each.
    pub nodes: u64,
    /// Non-empty lists (statements of a block, arguments, parameters, methods,
    /// `else if` branches), each one more `Box<[T]>` allocation.
    pub lists: u64,
}

/// Counts the nodes and lists of `program` with a walk of its own, so the
/// parser's hot path does no counting. Statements are walked recursively
/// (their nesting is bounded by the parser), expressions with `walk_expr`;
/// which children and lists a node has comes from the generated traversal
/// (`Tree::stmt_children`, `Tree::expr_children`).
pub fn count_nodes<'a, A: Alloc<'a>>(program: &Program<'a, A>) -> NodeCount {
    let mut counter = Counting {
        tree: program.tree(),
        count: NodeCount::default(),
    };
    let statements = program.statements();
    counter.list(statements.len());
    for stmt in statements {
        counter.stmt(stmt);
    }
    counter.count
}

struct Counting<'t, 'a, A: Alloc<'a>> {
    tree: Tree<'t, 'a, A>,
    count: NodeCount,
}

impl<'t, 'a: 't, A: Alloc<'a>> Children<'t, 'a, A> for Counting<'t, 'a, A> {
    fn stmt(&mut self, stmt: &'t Stmt<'a, A>) {
        self.count.nodes += 1;
        self.tree.stmt_children(stmt, self);
    }

    fn expr(&mut self, expr: &'t Expr<'a, A>) {
        walk_expr(self.tree, expr, self);
    }

    fn list(&mut self, len: usize) {
        self.count.lists += u64::from(len > 0);
    }
}

/// Counts the lists an expression holds, leaving its children to the walk.
struct Lists<'c>(&'c mut NodeCount);

impl<'t, 'a: 't, A: Alloc<'a>> Children<'t, 'a, A> for Lists<'_> {
    fn stmt(&mut self, _: &'t Stmt<'a, A>) {}

    fn expr(&mut self, _: &'t Expr<'a, A>) {}

    fn list(&mut self, len: usize) {
        self.0.lists += u64::from(len > 0);
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Counting<'t, 'a, A> {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        self.count.nodes += u64::from(!expr.is_error());
        tree.expr_children(expr, &mut Lists(&mut self.count));
    }

    fn exit(&mut self, _: Tree<'t, 'a, A>, _: &'t Expr<'a, A>) {}
}
