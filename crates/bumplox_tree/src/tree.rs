//! Access to a built tree through its store, and the traversal generated from
//! `node_kinds!`: the views passes match on, and every node's children.
//!
//! A pass holds a [`Tree`] and reaches every node through it: `tree.stmt(s)`
//! and `tree.expr(e)` give a view ([`StmtNode`], [`ExprNode`]) whose variants
//! borrow the payloads, `tree.get(r)` follows one reference and `tree.list(l)`
//! gives a list as a slice. For the pointer strategies all of this compiles to
//! the pointers themselves; for `flat` it is an index into the store.
//!
//! The views, [`Tree::expr_child`] (what [`walk_expr`](crate::walk::walk_expr)
//! walks), [`Tree::stmt_children`] and [`Tree::expr_children`] are generated
//! from the node list, so a new node kind reaches every pass: the passes'
//! matches on the views have no catch-all arm and stop compiling until they
//! handle it, and its children are walked, counted and freed without a line
//! written for them.

use bumplox_source::Span;

use crate::alloc::{Alloc, Item, List, Node, Ref};
use crate::nodes::*;

/// A built tree's store: what every node is looked up in.
///
/// # Every pass handles every kind
///
/// Passes match on the views ([`StmtNode`], [`ExprNode`]) with one arm per
/// kind and no catch-all, so a kind added to `node_kinds!` and forgotten in a
/// pass is a compile error. This pass names every kind of expression:
///
/// ```
/// use bumplox_tree::{Alloc, ExprNode};
///
/// fn describe<'a, A: Alloc<'a>>(node: ExprNode<'_, 'a, A>) -> &'static str {
///     match node {
///         ExprNode::Literal(_) => "a literal",
///         ExprNode::Variable(_) => "a variable",
///         ExprNode::Assign(_) => "an assignment",
///         ExprNode::Unary(_) => "a unary operation",
///         ExprNode::Binary(_) => "a binary operation",
///         ExprNode::Logical(_) => "a logical operation",
///         ExprNode::Grouping(_) => "a grouping",
///         ExprNode::Call(_) => "a call",
///         ExprNode::Get(_) => "a property",
///         ExprNode::Set(_) => "a property assignment",
///         ExprNode::This(_) => "`this`",
///         ExprNode::Super(_) => "a superclass method",
///         ExprNode::Error(_) => "an error",
///     }
/// }
/// ```
///
/// and the same pass with one kind forgotten (`Super`) does not compile
/// (non-exhaustive patterns, E0004). The two examples differ in that one arm
/// only, so the second fails for that reason and no other.
///
/// ```compile_fail,E0004
/// use bumplox_tree::{Alloc, ExprNode};
///
/// fn describe<'a, A: Alloc<'a>>(node: ExprNode<'_, 'a, A>) -> &'static str {
///     match node {
///         ExprNode::Literal(_) => "a literal",
///         ExprNode::Variable(_) => "a variable",
///         ExprNode::Assign(_) => "an assignment",
///         ExprNode::Unary(_) => "a unary operation",
///         ExprNode::Binary(_) => "a binary operation",
///         ExprNode::Logical(_) => "a logical operation",
///         ExprNode::Grouping(_) => "a grouping",
///         ExprNode::Call(_) => "a call",
///         ExprNode::Get(_) => "a property",
///         ExprNode::Set(_) => "a property assignment",
///         ExprNode::This(_) => "`this`",
///         ExprNode::Error(_) => "an error",
///     }
/// }
/// ```
pub struct Tree<'t, 'a, A: Alloc<'a>> {
    store: &'t A::Store,
}

impl<'a, A: Alloc<'a>> Clone for Tree<'_, 'a, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<'a, A: Alloc<'a>> Copy for Tree<'_, 'a, A> {}

impl<'t, 'a: 't, A: Alloc<'a>> Tree<'t, 'a, A> {
    /// The tree whose nodes are in `store` (a program's `store`; any empty
    /// store for the pointer strategies, which keep none).
    pub fn new(store: &'t A::Store) -> Self {
        Tree { store }
    }

    /// The node `node` refers to.
    pub fn get<'r, T: Node<'a, A>>(self, node: &'r Ref<'a, A, T>) -> &'r T
    where
        't: 'r,
    {
        T::get(self.store, node)
    }

    /// The items of `list`.
    pub fn list<'r, T: Item<'a, A>>(self, list: &'r List<'a, A, T>) -> &'r [T]
    where
        't: 'r,
    {
        T::list(self.store, list)
    }

    /// The span an [`Expr::Error`] covers.
    pub fn error_span(self, error: &A::ErrorSpan) -> Span {
        A::error_span(self.store, error)
    }
}

/// Receives the children of a node from [`Tree::stmt_children`] and
/// [`Tree::expr_children`], in evaluation order.
pub trait Children<'t, 'a: 't, A: Alloc<'a>> {
    fn expr(&mut self, expr: &'t Expr<'a, A>);
    fn stmt(&mut self, stmt: &'t Stmt<'a, A>);

    /// Told the length of each list the node holds, before its items.
    fn list(&mut self, len: usize) {
        let _ = len;
    }
}

/// A node (or a list item) whose children [`Children`] can be told.
pub trait HasChildren<'a, A: Alloc<'a>> {
    fn children<'t, C: Children<'t, 'a, A>>(&'t self, tree: Tree<'t, 'a, A>, sink: &mut C)
    where
        'a: 't;
}

/// Tells `sink` about one field of a node, by the field's category in
/// `node_kinds!`.
macro_rules! tell_child {
    ($tree:ident, $sink:ident, expr, $field:expr) => {
        $sink.expr($field)
    };
    ($tree:ident, $sink:ident, opt_expr, $field:expr) => {
        if let Some(expr) = $field {
            $sink.expr(expr)
        }
    };
    ($tree:ident, $sink:ident, stmt, $field:expr) => {
        $sink.stmt($field)
    };
    ($tree:ident, $sink:ident, opt_stmt, $field:expr) => {
        if let Some(stmt) = $field {
            $sink.stmt(stmt)
        }
    };
    ($tree:ident, $sink:ident, stmts, $field:expr) => {{
        let items = $tree.list($field);
        $sink.list(items.len());
        for stmt in items {
            $sink.stmt(stmt);
        }
    }};
    ($tree:ident, $sink:ident, exprs, $field:expr) => {{
        let items = $tree.list($field);
        $sink.list(items.len());
        for expr in items {
            $sink.expr(expr);
        }
    }};
    ($tree:ident, $sink:ident, items, $field:expr) => {{
        let items = $tree.list($field);
        $sink.list(items.len());
        for item in items {
            item.children($tree, $sink);
        }
    }};
    ($tree:ident, $sink:ident, leaves, $field:expr) => {
        $sink.list($tree.list($field).len())
    };
}

/// Steps over one field of an expression in [`Tree::expr_child`], returning
/// the `index`th child when it is in this field. Only the categories that
/// expressions use are here; another is a compile error.
macro_rules! nth_child {
    ($tree:ident, $index:ident, expr, $field:expr) => {
        match $index {
            0 => return Some($field),
            _ => $index -= 1,
        }
    };
    ($tree:ident, $index:ident, exprs, $field:expr) => {{
        let items = $tree.list($field);
        match items.get($index) {
            Some(expr) => return Some(expr),
            None => $index -= items.len(),
        }
    }};
}

macro_rules! generate_traversal {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        /// A statement's payload, borrowed from the tree: what passes match on.
        pub enum StmtNode<'t, 'a, A: Alloc<'a>> {
            $($sv(&'t $S<'a $(, $sa)?>),)*
        }

        /// An expression's payload, borrowed from the tree: what passes match on.
        pub enum ExprNode<'t, 'a, A: Alloc<'a>> {
            $($ev(&'t $E<'a $(, $ea)?>),)*
            Error(Span),
        }

        impl<'a, A: Alloc<'a>> Clone for StmtNode<'_, 'a, A> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<'a, A: Alloc<'a>> Copy for StmtNode<'_, 'a, A> {}
        impl<'a, A: Alloc<'a>> Clone for ExprNode<'_, 'a, A> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<'a, A: Alloc<'a>> Copy for ExprNode<'_, 'a, A> {}

        impl<'t, 'a: 't, A: Alloc<'a>> Tree<'t, 'a, A> {
            /// The payload of a statement.
            #[inline(always)]
            pub fn stmt<'r>(self, stmt: &'r Stmt<'a, A>) -> StmtNode<'r, 'a, A>
            where
                't: 'r,
            {
                match stmt {
                    $(Stmt::$sv(node) => StmtNode::$sv(self.get(node)),)*
                }
            }

            /// The payload of an expression.
            #[inline(always)]
            pub fn expr<'r>(self, expr: &'r Expr<'a, A>) -> ExprNode<'r, 'a, A>
            where
                't: 'r,
            {
                match expr {
                    $(Expr::$ev(node) => ExprNode::$ev(self.get(node)),)*
                    Expr::Error(error) => ExprNode::Error(self.error_span(error)),
                }
            }

            /// The `index`th child of an expression, in evaluation order.
            #[inline]
            pub fn expr_child(self, expr: &'t Expr<'a, A>, index: usize) -> Option<&'t Expr<'a, A>> {
                self.node_child(self.expr(expr), index)
            }

            /// The `index`th child, in evaluation order, of the expression
            /// whose payload is `node`. A walk that looks the payload up once
            /// and asks for each child here saves a lookup in the store per
            /// child, which `flat` pays for.
            #[inline]
            #[allow(unused_assignments)]
            pub fn node_child(self, node: ExprNode<'t, 'a, A>, index: usize) -> Option<&'t Expr<'a, A>> {
                match node {
                    $(ExprNode::$ev(_node) => {
                        #[allow(unused_mut, unused_variables)]
                        let mut index = index;
                        $(nth_child!(self, index, $ec, &_node.$ef);)*
                        None
                    })*
                    ExprNode::Error(_) => None,
                }
            }

            /// Tells `sink` the children of a statement.
            pub fn stmt_children<C: Children<'t, 'a, A>>(self, stmt: &'t Stmt<'a, A>, sink: &mut C) {
                match self.stmt(stmt) {
                    $(StmtNode::$sv(node) => node.children(self, sink),)*
                }
            }

            /// Tells `sink` the children of an expression.
            pub fn expr_children<C: Children<'t, 'a, A>>(self, expr: &'t Expr<'a, A>, sink: &mut C) {
                match self.expr(expr) {
                    $(ExprNode::$ev(node) => node.children(self, sink),)*
                    ExprNode::Error(_) => {}
                }
            }
        }

        $(impl<'a, A: Alloc<'a>> HasChildren<'a, A> for $S<'a $(, $sa)?> {
            fn children<'t, C: Children<'t, 'a, A>>(&'t self, tree: Tree<'t, 'a, A>, sink: &mut C)
            where
                'a: 't,
            {
                let _ = (tree, &sink);
                $(tell_child!(tree, sink, $sc, &self.$sf);)*
            }
        })*
        $(impl<'a, A: Alloc<'a>> HasChildren<'a, A> for $E<'a $(, $ea)?> {
            fn children<'t, C: Children<'t, 'a, A>>(&'t self, tree: Tree<'t, 'a, A>, sink: &mut C)
            where
                'a: 't,
            {
                let _ = (tree, &sink);
                $(tell_child!(tree, sink, $ec, &self.$ef);)*
            }
        })*
        $(generate_traversal!(@item $L[$($la)?] [$($lf: $lc),*]);)*
    };
    (@item $L:ident[$($la:ident)?] []) => {};
    (@item $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),+]) => {
        impl<'a, A: Alloc<'a>> HasChildren<'a, A> for $L<'a $(, $la)?> {
            fn children<'t, C: Children<'t, 'a, A>>(&'t self, tree: Tree<'t, 'a, A>, sink: &mut C)
            where
                'a: 't,
            {
                let _ = tree;
                $(tell_child!(tree, sink, $lc, &self.$lf);)*
            }
        }
    };
}
node_kinds!(generate_traversal);

impl<'a, A: Alloc<'a>> StmtNode<'_, 'a, A> {
    /// The span of the whole statement.
    pub fn span(self) -> Span {
        match self {
            StmtNode::Expression(node) => node.span,
            StmtNode::Print(node) => node.span,
            StmtNode::Var(node) => node.span,
            StmtNode::Block(node) => node.span,
            StmtNode::If(node) => node.span,
            StmtNode::While(node) => node.span,
            StmtNode::For(node) => node.span,
            StmtNode::Return(node) => node.span,
            StmtNode::Function(node) => node.span,
            StmtNode::Class(node) => node.span,
        }
    }
}

impl<'a, A: Alloc<'a>> ExprNode<'_, 'a, A> {
    /// The span of the whole expression; `tree` is the tree it came from.
    pub fn span(self, tree: Tree<'_, 'a, A>) -> Span {
        match self {
            ExprNode::Literal(node) => node.span,
            ExprNode::Variable(node) => node.name.span,
            ExprNode::Assign(node) => node.span(tree),
            ExprNode::Unary(node) => node.span,
            ExprNode::Binary(node) => node.span,
            ExprNode::Logical(node) => node.span,
            ExprNode::Grouping(node) => node.span,
            ExprNode::Call(node) => node.span,
            ExprNode::Get(node) => node.span,
            ExprNode::Set(node) => node.span,
            ExprNode::This(node) => node.keyword,
            ExprNode::Super(node) => node.span,
            ExprNode::Error(span) => span,
        }
    }
}
