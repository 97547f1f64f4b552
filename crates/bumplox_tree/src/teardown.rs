//! Iterative teardown of a `Box`-built tree, so that freeing it never recurses.
//! What each node kind gives up is generated from `node_kinds!`.

use crate::alloc::Boxed;
use crate::nodes::*;

/// The strategy the macro's `A` stands for in this module.
type A = Boxed;

/// Frees every node of `program` with an explicit work list. Each node is moved
/// out of its box, its children are pushed on the list, and what remains of it
/// has no children left to drop, so the compiler's drop glue never recurses
/// more than one level.
pub(crate) fn dismantle(program: &mut Program<'_, Boxed>) {
    let mut work = Work::default();
    work.stmts.extend(std::mem::take(&mut program.statements));
    loop {
        if let Some(stmt) = work.stmts.pop() {
            work.stmt(stmt);
            continue;
        }
        match work.exprs.pop() {
            Some(expr) => work.expr(expr),
            None => return,
        }
    }
}

#[derive(Default)]
struct Work<'a> {
    stmts: Vec<Stmt<'a, Boxed>>,
    exprs: Vec<Expr<'a, Boxed>>,
}

/// A node that can be taken apart: its children go on the work list.
trait Dismantle<'a> {
    fn dismantle(self, work: &mut Work<'a>);
}

impl<'a, T: Dismantle<'a>> Dismantle<'a> for Box<T> {
    fn dismantle(self, work: &mut Work<'a>) {
        (*self).dismantle(work);
    }
}

/// Moves one field of a node onto the work list, by its category in
/// `node_kinds!`.
macro_rules! give_up {
    ($work:ident, expr, $field:expr) => {
        $work.exprs.push($field)
    };
    ($work:ident, opt_expr, $field:expr) => {
        $work.exprs.extend($field)
    };
    ($work:ident, stmt, $field:expr) => {
        $work.stmts.push($field)
    };
    ($work:ident, opt_stmt, $field:expr) => {
        $work.stmts.extend($field)
    };
    ($work:ident, stmts, $field:expr) => {
        $work.stmts.extend(Vec::from($field))
    };
    ($work:ident, exprs, $field:expr) => {
        $work.exprs.extend(Vec::from($field))
    };
    ($work:ident, items, $field:expr) => {
        for item in Vec::from($field) {
            item.dismantle($work);
        }
    };
    ($work:ident, leaves, $field:expr) => {
        drop($field)
    };
}

macro_rules! generate_teardown {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        impl<'a> Work<'a> {
            fn stmt(&mut self, stmt: Stmt<'a, Boxed>) {
                match stmt {
                    $(Stmt::$sv(node) => node.dismantle(self),)*
                }
            }

            fn expr(&mut self, expr: Expr<'a, Boxed>) {
                match expr {
                    $(Expr::$ev(node) => node.dismantle(self),)*
                    Expr::Error(_) => {}
                }
            }
        }

        $(generate_teardown!(@node $S[$($sa)?] {$($sf: $sc),*});)*
        $(generate_teardown!(@node $E[$($ea)?] {$($ef: $ec),*});)*
        $(generate_teardown!(@item $L[$($la)?] {$($lf: $lc),*});)*
    };
    (@node $L:ident[$($la:ident)?] {$($lf:ident: $lc:ident),*}) => {
        impl<'a> Dismantle<'a> for $L<'a $(, $la)?> {
            fn dismantle(self, work: &mut Work<'a>) {
                let _ = (&self, &work);
                $(give_up!(work, $lc, self.$lf);)*
            }
        }
    };
    (@item $L:ident[$($la:ident)?] {}) => {};
    (@item $L:ident[$($la:ident)?] {$($lf:ident: $lc:ident),+}) => {
        impl<'a> Dismantle<'a> for $L<'a $(, $la)?> {
            fn dismantle(self, work: &mut Work<'a>) {
                $(give_up!(work, $lc, self.$lf);)*
            }
        }
    };
}
node_kinds!(generate_teardown);
