//! An iterative walk over an expression tree, for passes that must not recurse.
//!
//! Statements nest only as deep as the parser's nesting limit allows, so passes
//! may recurse over them. Expressions are different: `1 + 1 + … + 1` and
//! `f()()()…` build left-leaning chains as deep as they are long, so every pass
//! over expressions goes through [`walk_expr`], which keeps its own stack.

use crate::alloc::Alloc;
use crate::nodes::Expr;

/// Receives the events of [`walk_expr`]: `enter` before a node's children,
/// `between` before each child but the first, `exit` after the last.
pub trait ExprVisitor<'t, 'a: 't, A: Alloc<'a>> {
    fn enter(&mut self, expr: &'t Expr<'a, A>);

    /// Called with the index of the child about to be visited (1 or more).
    fn between(&mut self, expr: &'t Expr<'a, A>, index: usize) {
        let _ = (expr, index);
    }

    fn exit(&mut self, expr: &'t Expr<'a, A>);
}

/// The `index`th child of an expression, in evaluation order.
pub fn child<'t, 'a: 't, A: Alloc<'a>>(
    expr: &'t Expr<'a, A>,
    index: usize,
) -> Option<&'t Expr<'a, A>> {
    match (expr, index) {
        (Expr::Assign(node), 0) => Some(&node.value),
        (Expr::Unary(node), 0) => Some(&node.operand),
        (Expr::Binary(node), 0) => Some(&node.left),
        (Expr::Binary(node), 1) => Some(&node.right),
        (Expr::Logical(node), 0) => Some(&node.left),
        (Expr::Logical(node), 1) => Some(&node.right),
        (Expr::Grouping(node), 0) => Some(&node.inner),
        (Expr::Call(node), 0) => Some(&node.callee),
        (Expr::Call(node), _) => node.args.get(index - 1),
        (Expr::Get(node), 0) => Some(&node.object),
        (Expr::Set(node), 0) => Some(&node.object),
        (Expr::Set(node), 1) => Some(&node.value),
        _ => None,
    }
}

/// Visits `root` and its descendants depth-first, children in evaluation order,
/// using a heap-allocated stack of 16 bytes per level instead of the call stack.
pub fn walk_expr<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
    root: &'t Expr<'a, A>,
    visitor: &mut V,
) {
    let mut stack: Vec<(&'t Expr<'a, A>, usize)> = Vec::new();
    visitor.enter(root);
    stack.push((root, 0));
    while let Some(top) = stack.last_mut() {
        let (expr, index) = *top;
        match child(expr, index) {
            Some(next) => {
                top.1 += 1;
                if index > 0 {
                    visitor.between(expr, index);
                }
                visitor.enter(next);
                stack.push((next, 0));
            }
            None => {
                stack.pop();
                visitor.exit(expr);
            }
        }
    }
}
