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

/// How deep [`walk_expr`] recurses before it continues with a stack of its own.
/// Realistic expressions are shallow, and recursing through them needs no heap
/// allocation; only the deep parts of long chains pay for the explicit stack.
const RECURSION_DEPTH: usize = 48;

/// Visits `root` and its descendants depth-first, children in evaluation order.
/// The first [`RECURSION_DEPTH`] levels recurse; anything deeper is walked with
/// a heap-allocated stack of 16 bytes per level, so a chain a million deep
/// costs no call stack.
pub fn walk_expr<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
    root: &'t Expr<'a, A>,
    visitor: &mut V,
) {
    walk_recursive(root, visitor, 0);
}

fn walk_recursive<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
    expr: &'t Expr<'a, A>,
    visitor: &mut V,
    depth: usize,
) {
    if depth == RECURSION_DEPTH {
        walk_iterative(expr, visitor);
        return;
    }
    visitor.enter(expr);
    let mut index = 0;
    while let Some(next) = child(expr, index) {
        if index > 0 {
            visitor.between(expr, index);
        }
        walk_recursive(next, visitor, depth + 1);
        index += 1;
    }
    visitor.exit(expr);
}

fn walk_iterative<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
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

#[cfg(test)]
mod tests {
    use super::{walk_expr, ExprVisitor, RECURSION_DEPTH};
    use crate::{Binary, BinaryOp, BoxBuilder, Boxed, Builder, Expr, Literal, LiteralValue};
    use bumplox_source::Span;

    /// Records the events as text: `(` on enter, `,` between, `)` on exit.
    struct Events(String);

    impl<'t, 'a: 't> ExprVisitor<'t, 'a, Boxed> for Events {
        fn enter(&mut self, _expr: &'t Expr<'a, Boxed>) {
            self.0.push('(');
        }
        fn between(&mut self, _expr: &'t Expr<'a, Boxed>, _index: usize) {
            self.0.push(',');
        }
        fn exit(&mut self, _expr: &'t Expr<'a, Boxed>) {
            self.0.push(')');
        }
    }

    /// A left-leaning chain of `depth` additions.
    fn chain(depth: usize) -> Expr<'static, Boxed> {
        let builder = BoxBuilder;
        let leaf = || {
            Expr::Literal(builder.literal(Literal {
                value: LiteralValue::Nil,
                span: Span::default(),
            }))
        };
        let mut expr = leaf();
        for _ in 0..depth {
            expr = Expr::Binary(builder.binary(Binary {
                op: BinaryOp::Add,
                op_start: 0,
                left: expr,
                right: leaf(),
                span: Span::default(),
            }));
        }
        expr
    }

    #[test]
    fn events_are_the_same_on_both_sides_of_the_recursion_limit() {
        for depth in [
            0,
            1,
            RECURSION_DEPTH - 1,
            RECURSION_DEPTH,
            RECURSION_DEPTH + 1,
            3 * RECURSION_DEPTH,
        ] {
            let expr = chain(depth);
            let mut events = Events(String::new());
            walk_expr(&expr, &mut events);
            let expected = "(".repeat(depth + 1) + &"),()".repeat(depth) + ")";
            assert_eq!(events.0, expected, "depth {depth}");
            // A `Boxed` expression on its own drops recursively; keep these shallow.
        }
    }
}
