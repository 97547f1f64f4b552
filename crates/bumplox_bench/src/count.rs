//! Counting the nodes of a tree: what "allocations per node" divides by.

use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{Alloc, Expr, Program, Stmt};

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
/// (their nesting is bounded by the parser), expressions with `walk_expr`.
pub fn count_nodes<'a, A: Alloc<'a>>(program: &Program<'a, A>) -> NodeCount {
    let mut counter = Counting::default();
    counter.list(program.statements.len());
    counter.stmts(&program.statements);
    counter.count
}

#[derive(Default)]
struct Counting {
    count: NodeCount,
}

impl Counting {
    fn list(&mut self, len: usize) {
        self.count.lists += u64::from(len > 0);
    }

    fn stmts<'a, A: Alloc<'a>>(&mut self, stmts: &[Stmt<'a, A>]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn expr<'a, A: Alloc<'a>>(&mut self, expr: &Expr<'a, A>) {
        walk_expr(expr, self);
    }

    fn stmt<'a, A: Alloc<'a>>(&mut self, stmt: &Stmt<'a, A>) {
        self.count.nodes += 1;
        match stmt {
            Stmt::Expression(node) => self.expr(&node.expr),
            Stmt::Print(node) => self.expr(&node.expr),
            Stmt::Var(node) => {
                if let Some(initializer) = &node.initializer {
                    self.expr(initializer);
                }
            }
            Stmt::Block(node) => {
                self.list(node.statements.len());
                self.stmts(&node.statements);
            }
            Stmt::If(node) => {
                self.list(node.branches.len());
                for branch in node.branches.iter() {
                    self.expr(&branch.condition);
                    self.stmt(&branch.then_branch);
                }
                if let Some(else_branch) = &node.else_branch {
                    self.stmt(else_branch);
                }
            }
            Stmt::While(node) => {
                self.expr(&node.condition);
                self.stmt(&node.body);
            }
            Stmt::For(node) => {
                if let Some(initializer) = &node.initializer {
                    self.stmt(initializer);
                }
                for clause in [&node.condition, &node.increment].into_iter().flatten() {
                    self.expr(clause);
                }
                self.stmt(&node.body);
            }
            Stmt::Return(node) => {
                if let Some(value) = &node.value {
                    self.expr(value);
                }
            }
            Stmt::Function(node) => {
                self.list(node.params.len());
                self.list(node.body.len());
                self.stmts(&node.body);
            }
            Stmt::Class(node) => {
                self.list(node.methods.len());
                for method in node.methods.iter() {
                    self.list(method.params.len());
                    self.list(method.body.len());
                    self.stmts(&method.body);
                }
            }
        }
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Counting {
    fn enter(&mut self, expr: &'t Expr<'a, A>) {
        match expr {
            Expr::Error(_) => {}
            Expr::Call(call) => {
                self.count.nodes += 1;
                self.list(call.args.len());
            }
            _ => self.count.nodes += 1,
        }
    }

    fn exit(&mut self, _: &'t Expr<'a, A>) {}
}
