//! An iterative walk over an expression tree, for passes that must not recurse.
//!
//! Statements nest only as deep as the parser's nesting limit allows, so passes
//! may recurse over them. Expressions are different: `1 + 1 + … + 1` and
//! `f()()()…` build left-leaning chains as deep as they are long, so every pass
//! over expressions goes through [`walk_expr`], which keeps its own stack.

use crate::alloc::Alloc;
use crate::nodes::Expr;
use crate::tree::Tree;

/// Receives the events of [`walk_expr`]: `enter` before a node's children,
/// `between` before each child but the first, `exit` after the last. Each is
/// given the tree, through which the node's payload is reached
/// (`tree.expr(expr)`).
pub trait ExprVisitor<'t, 'a: 't, A: Alloc<'a>> {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>);

    /// Called with the index of the child about to be visited (1 or more).
    fn between(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>, index: usize) {
        let _ = (tree, expr, index);
    }

    fn exit(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>);
}

/// How deep [`walk_expr`] recurses before it continues with a stack of its own.
/// Realistic expressions are shallow, and recursing through them needs no heap
/// allocation; only the deep parts of long chains pay for the explicit stack.
const RECURSION_DEPTH: usize = 48;

/// Visits `root` and its descendants depth-first, children in evaluation order
/// (as `node_kinds!` lists them, through [`Tree::expr_child`]). The first
/// 48 levels (`RECURSION_DEPTH`) recurse; anything deeper is walked with a
/// heap-allocated stack of 16 bytes per level, so a chain a million deep costs
/// no call stack.
pub fn walk_expr<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
    tree: Tree<'t, 'a, A>,
    root: &'t Expr<'a, A>,
    visitor: &mut V,
) {
    walk_recursive(tree, root, visitor, 0);
}

fn walk_recursive<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
    tree: Tree<'t, 'a, A>,
    expr: &'t Expr<'a, A>,
    visitor: &mut V,
    depth: usize,
) {
    if depth == RECURSION_DEPTH {
        walk_iterative(tree, expr, visitor);
        return;
    }
    visitor.enter(tree, expr);
    // The payload is looked up once for all the children.
    let node = tree.expr(expr);
    let mut index = 0;
    while let Some(next) = tree.node_child(node, index) {
        if index > 0 {
            visitor.between(tree, expr, index);
        }
        walk_recursive(tree, next, visitor, depth + 1);
        index += 1;
    }
    visitor.exit(tree, expr);
}

fn walk_iterative<'t, 'a: 't, A: Alloc<'a>, V: ExprVisitor<'t, 'a, A>>(
    tree: Tree<'t, 'a, A>,
    root: &'t Expr<'a, A>,
    visitor: &mut V,
) {
    let mut stack: Vec<(&'t Expr<'a, A>, usize)> = Vec::new();
    visitor.enter(tree, root);
    stack.push((root, 0));
    while let Some(top) = stack.last_mut() {
        let (expr, index) = *top;
        match tree.expr_child(expr, index) {
            Some(next) => {
                top.1 += 1;
                if index > 0 {
                    visitor.between(tree, expr, index);
                }
                visitor.enter(tree, next);
                stack.push((next, 0));
            }
            None => {
                stack.pop();
                visitor.exit(tree, expr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{walk_expr, ExprVisitor, RECURSION_DEPTH};
    use crate::{Binary, BinaryOp, BoxBuilder, Boxed, Builder, Expr, Literal, LiteralValue, Tree};
    use bumplox_source::Span;

    /// Records the events as text: `(` on enter, `,` between, `)` on exit.
    struct Events(String);

    impl<'t, 'a: 't> ExprVisitor<'t, 'a, Boxed> for Events {
        fn enter(&mut self, _tree: Tree<'t, 'a, Boxed>, _expr: &'t Expr<'a, Boxed>) {
            self.0.push('(');
        }
        fn between(
            &mut self,
            _tree: Tree<'t, 'a, Boxed>,
            _expr: &'t Expr<'a, Boxed>,
            _index: usize,
        ) {
            self.0.push(',');
        }
        fn exit(&mut self, _tree: Tree<'t, 'a, Boxed>, _expr: &'t Expr<'a, Boxed>) {
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
            walk_expr(Tree::new(&()), &expr, &mut events);
            let expected = "(".repeat(depth + 1) + &"),()".repeat(depth) + ")";
            assert_eq!(events.0, expected, "depth {depth}");
            // A `Boxed` expression on its own drops recursively; keep these shallow.
        }
    }
}
