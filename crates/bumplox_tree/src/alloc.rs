//! Allocation strategies and the builders that allocate tree nodes with them.
//!
//! The node list is written once, in [`node_kinds`], and expanded into the
//! [`Builder`] trait, its three implementations and the typed arenas, so adding
//! a node kind cannot leave one strategy behind.

use crate::nodes::*;

/// What a tree's child references and lists are. Implemented by the marker
/// types [`Bump`], [`Typed`] and [`Boxed`]; `'a` is the lifetime of the
/// compilation session: the source text and the arenas outlive it.
pub trait Alloc<'a>: Sized + 'a {
    /// A reference to one child node.
    type Ref<T: 'a>: std::ops::Deref<Target = T> + 'a;
    /// A list of nodes.
    type List<T: 'a>: std::ops::Deref<Target = [T]> + 'a;

    /// The name used on the command line (`--alloc`).
    const NAME: &'static str;

    /// Prepares a program for being dropped. Arena strategies free nothing node
    /// by node, so the default does nothing; [`Boxed`] dismantles its tree
    /// iteratively, because the drop glue of a `Box` chain recurses once per
    /// level and a million-term expression would overflow the stack.
    fn teardown(program: &mut Program<'a, Self>) {
        let _ = program;
    }
}

/// A child reference under strategy `A`.
pub type Ref<'a, A, T> = <A as Alloc<'a>>::Ref<T>;
/// A list of nodes under strategy `A`.
pub type List<'a, A, T> = <A as Alloc<'a>>::List<T>;

/// Nodes in one `bumpalo::Bump` owned by the session. Nothing allocated there
/// is ever dropped (bumpalo does not run destructors), which is sound only
/// because no node needs `Drop`: `assert_no_drop` checks that at compile time.
pub struct Bump;

/// Nodes in one `typed_arena::Arena` per node kind (see [`TypedArenas`]).
pub struct Typed;

/// The baseline: every node in its own `Box`, every list a `Box<[T]>`.
pub struct Boxed;

impl<'a> Alloc<'a> for Bump {
    type Ref<T: 'a> = &'a T;
    type List<T: 'a> = &'a [T];
    const NAME: &'static str = "bump";
}

impl<'a> Alloc<'a> for Typed {
    type Ref<T: 'a> = &'a T;
    type List<T: 'a> = &'a [T];
    const NAME: &'static str = "typed";
}

impl<'a> Alloc<'a> for Boxed {
    type Ref<T: 'a> = Box<T>;
    type List<T: 'a> = Box<[T]>;
    const NAME: &'static str = "box";

    fn teardown(program: &mut Program<'a, Self>) {
        crate::teardown::dismantle(program);
    }
}

impl<'a, A: Alloc<'a>> Drop for Program<'a, A> {
    fn drop(&mut self) {
        A::teardown(self);
    }
}

/// Calls `$callback!` with every node kind that a builder allocates: first the
/// kinds allocated one at a time (method name, type, and `[A]` when the type
/// takes the strategy parameter), then the kinds allocated as lists.
macro_rules! node_kinds {
    ($callback:ident) => {
        $callback! {
            refs: [
                expr_stmt: ExprStmt[A],
                print_stmt: PrintStmt[A],
                var_decl: VarDecl[A],
                block: Block[A],
                if_stmt: IfStmt[A],
                while_stmt: WhileStmt[A],
                for_stmt: ForStmt[A],
                return_stmt: ReturnStmt[A],
                function: Function[A],
                class: Class[A],
                literal: Literal[],
                variable: Variable[],
                assign: Assign[A],
                unary: Unary[A],
                binary: Binary[A],
                logical: Logical[A],
                grouping: Grouping[A],
                call: Call[A],
                get: Get[A],
                set: Set[A],
                this: This[],
                super_: Super[],
            ],
            lists: [
                stmts: Stmt[A],
                exprs: Expr[A],
                params: Param[],
                branches: IfBranch[A],
                methods: Function[A],
            ]
        }
    };
}

macro_rules! declare_builder {
    (
        refs: [$($r:ident: $R:ident[$($ra:ident)?]),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?]),* $(,)?]
    ) => {
        /// Allocates the nodes of one strategy. The parser is generic over this
        /// trait, so the grammar exists once for every strategy. Lists arrive
        /// as a drain of the parser's scratch vector, which lets an arena copy
        /// them straight into place without an intermediate allocation.
        pub trait Builder<'a, A: Alloc<'a>> {
            $(fn $r(&self, node: $R<'a $(, $ra)?>) -> Ref<'a, A, $R<'a $(, $ra)?>>;)*
            $(fn $l(&self, items: std::vec::Drain<'_, $L<'a $(, $la)?>>) -> List<'a, A, $L<'a $(, $la)?>>;)*

            /// The memory limit this builder was given, if it has one and the
            /// tree has grown past it. The parser asks now and then, and stops
            /// with a diagnostic rather than let a hostile input exhaust memory.
            fn over_limit(&self) -> Option<usize> {
                None
            }
        }
    };
}
node_kinds!(declare_builder);

/// Builds nodes in a bump arena.
pub struct BumpBuilder<'a> {
    bump: &'a bumpalo::Bump,
    limit: Option<usize>,
}

impl<'a> BumpBuilder<'a> {
    pub fn new(bump: &'a bumpalo::Bump) -> BumpBuilder<'a> {
        BumpBuilder { bump, limit: None }
    }

    /// A builder whose arena may grow to about `limit` bytes (`--max-memory`).
    /// The limit is checked by the parser between tokens, so the arena can
    /// overshoot it by what one stretch of tokens allocates, never by more.
    pub fn with_limit(bump: &'a bumpalo::Bump, limit: usize) -> BumpBuilder<'a> {
        BumpBuilder {
            bump,
            limit: Some(limit),
        }
    }
}

mod bump_impl {
    use super::*;

    /// The strategy the macro's `A` stands for in this module.
    type A = Bump;

    macro_rules! implement {
        (
            refs: [$($r:ident: $R:ident[$($ra:ident)?]),* $(,)?],
            lists: [$($l:ident: $L:ident[$($la:ident)?]),* $(,)?]
        ) => {
            impl<'a> Builder<'a, A> for BumpBuilder<'a> {
                $(fn $r(&self, node: $R<'a $(, $ra)?>) -> &'a $R<'a $(, $ra)?> {
                    self.bump.alloc(node)
                })*
                $(fn $l(&self, items: std::vec::Drain<'_, $L<'a $(, $la)?>>) -> &'a [$L<'a $(, $la)?>] {
                    self.bump.alloc_slice_fill_iter(items)
                })*

                fn over_limit(&self) -> Option<usize> {
                    let limit = self.limit?;
                    match self.bump.allocated_bytes() > limit {
                        true => Some(limit),
                        false => None,
                    }
                }
            }

            // bumpalo never runs destructors, so a node that needed `Drop` would
            // leak whatever it owns. No node kind may need it.
            $(const _: () = assert!(!std::mem::needs_drop::<$R<'static $(, $ra)?>>());)*
            $(const _: () = assert!(!std::mem::needs_drop::<$L<'static $(, $la)?>>());)*
        };
    }
    node_kinds!(implement);
}

mod typed_impl {
    use super::*;

    /// The strategy the macro's `A` stands for in this module.
    type A = Typed;

    macro_rules! implement {
        (
            refs: [$($r:ident: $R:ident[$($ra:ident)?]),* $(,)?],
            lists: [$($l:ident: $L:ident[$($la:ident)?]),* $(,)?]
        ) => {
            /// One `typed_arena::Arena` per node kind, and one per kind of list.
            /// Create it, borrow it for `'a`, and hand a [`TypedBuilder`] out.
            #[derive(Default)]
            pub struct TypedArenas<'a> {
                $($r: typed_arena::Arena<$R<'a $(, $ra)?>>,)*
                $($l: typed_arena::Arena<$L<'a $(, $la)?>>,)*
            }

            impl<'a> Builder<'a, A> for TypedBuilder<'a> {
                $(fn $r(&self, node: $R<'a $(, $ra)?>) -> &'a $R<'a $(, $ra)?> {
                    self.arenas.$r.alloc(node)
                })*
                $(fn $l(&self, items: std::vec::Drain<'_, $L<'a $(, $la)?>>) -> &'a [$L<'a $(, $la)?>] {
                    self.arenas.$l.alloc_extend(items)
                })*
            }
        };
    }
    node_kinds!(implement);
}

pub use typed_impl::TypedArenas;

impl TypedArenas<'_> {
    pub fn new() -> Self {
        Self::default()
    }
}

/// Builds nodes in [`TypedArenas`].
pub struct TypedBuilder<'a> {
    arenas: &'a TypedArenas<'a>,
}

impl<'a> TypedBuilder<'a> {
    pub fn new(arenas: &'a TypedArenas<'a>) -> TypedBuilder<'a> {
        TypedBuilder { arenas }
    }
}

/// Builds nodes with `Box` and `Box<[T]>`.
#[derive(Default)]
pub struct BoxBuilder;

mod box_impl {
    use super::*;

    /// The strategy the macro's `A` stands for in this module.
    type A = Boxed;

    macro_rules! implement {
        (
            refs: [$($r:ident: $R:ident[$($ra:ident)?]),* $(,)?],
            lists: [$($l:ident: $L:ident[$($la:ident)?]),* $(,)?]
        ) => {
            impl<'a> Builder<'a, A> for BoxBuilder {
                $(fn $r(&self, node: $R<'a $(, $ra)?>) -> Box<$R<'a $(, $ra)?>> {
                    Box::new(node)
                })*
                $(fn $l(&self, items: std::vec::Drain<'_, $L<'a $(, $la)?>>) -> Box<[$L<'a $(, $la)?>]> {
                    items.collect()
                })*
            }
        };
    }
    node_kinds!(implement);
}

/// The size and alignment of one node type under each strategy, for
/// `bumplox layout` and the allocation benchmarks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeLayout {
    pub name: &'static str,
    /// `(size, align)` under `bump`, `typed` and `box`, in that order.
    pub layouts: [(usize, usize); 3],
}

fn layout_of<T>() -> (usize, usize) {
    (std::mem::size_of::<T>(), std::mem::align_of::<T>())
}

macro_rules! describe_layouts {
    (
        refs: [$($r:ident: $R:ident[$($ra:ident)?]),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?]),* $(,)?]
    ) => {
        /// Every node type's layout: the two enums first, then each payload.
        pub fn node_layouts() -> Vec<NodeLayout> {
            let mut rows = vec![
                NodeLayout {
                    name: "Expr",
                    layouts: [layout_of::<Expr<'static, Bump>>(), layout_of::<Expr<'static, Typed>>(), layout_of::<Expr<'static, Boxed>>()],
                },
                NodeLayout {
                    name: "Stmt",
                    layouts: [layout_of::<Stmt<'static, Bump>>(), layout_of::<Stmt<'static, Typed>>(), layout_of::<Stmt<'static, Boxed>>()],
                },
            ];
            $(rows.push(NodeLayout {
                name: stringify!($R),
                layouts: [
                    layout_of::<$R<'static $(, describe_layouts!(@strategy $ra Bump))?>>(),
                    layout_of::<$R<'static $(, describe_layouts!(@strategy $ra Typed))?>>(),
                    layout_of::<$R<'static $(, describe_layouts!(@strategy $ra Boxed))?>>(),
                ],
            });)*
            $(if !rows.iter().any(|row| row.name == stringify!($L)) {
                rows.push(NodeLayout {
                    name: stringify!($L),
                    layouts: [
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la Bump))?>>(),
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la Typed))?>>(),
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la Boxed))?>>(),
                    ],
                });
            })*
            rows
        }
    };
    (@strategy $ignored:ident $strategy:ident) => { $strategy };
}
node_kinds!(describe_layouts);

// The sizes the project promises. Every enum variant holds one pointer, so the
// two enums are a tag and a pointer; the payloads are pinned so that a field
// added carelessly shows up here rather than in the benchmarks. `Boxed` lists
// are `Box<[T]>`, the same 16 bytes as a slice reference.
const _: () = {
    use std::mem::size_of;
    assert!(size_of::<Expr<'static, Bump>>() == 16);
    assert!(size_of::<Expr<'static, Boxed>>() == 16);
    assert!(size_of::<Option<Expr<'static, Bump>>>() == 16);
    assert!(size_of::<Stmt<'static, Bump>>() == 16);
    assert!(size_of::<Stmt<'static, Boxed>>() == 16);
    assert!(size_of::<Ident<'static>>() == 24);
    assert!(size_of::<Literal<'static>>() == 32);
    assert!(size_of::<Variable<'static>>() == 32);
    assert!(size_of::<Binary<'static, Bump>>() == 48);
    assert!(size_of::<Binary<'static, Boxed>>() == 48);
    assert!(size_of::<Logical<'static, Bump>>() == 48);
    assert!(size_of::<Assign<'static, Bump>>() == 48);
    assert!(size_of::<Call<'static, Bump>>() == 48);
    assert!(size_of::<Get<'static, Bump>>() == 48);
    assert!(size_of::<This<'static>>() == 12);
    assert!(size_of::<Function<'static, Bump>>() == 72);
    assert!(size_of::<VarDecl<'static, Bump>>() == 56);
};
