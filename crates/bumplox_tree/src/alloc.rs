//! Allocation strategies and the builders that allocate tree nodes with them.
//!
//! The node list is written once, in `node_kinds!` (`kinds.rs`), and expanded
//! here into the [`Alloc`] trait's store accessors, the [`Builder`] trait, its
//! implementations and the typed arenas, so adding a node kind cannot leave
//! one strategy behind.

use bumplox_source::Span;

use crate::nodes::*;
use crate::strategy::Strategy;

macro_rules! declare_alloc {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        /// What a tree's child references and lists are, and the store they
        /// are looked up in. Implemented by the marker types [`Bump`],
        /// [`Typed`] and [`Boxed`], whose references are pointers and whose
        /// store is empty (looking a node up is the identity), and by
        /// [`Flat`](crate::Flat), whose references are `u32` indices into the
        /// store's vectors. `'a` is the lifetime of the compilation session:
        /// the source text and the arenas outlive it.
        ///
        /// Passes reach nodes through a [`Tree`](crate::Tree) (`tree.get(r)`,
        /// `tree.list(l)`), never through the references themselves; the
        /// per-kind functions below are what `Tree` calls.
        pub trait Alloc<'a>: Sized + 'a {
            /// A reference to one child node.
            type Ref<T: 'a>: 'a;
            /// A list of nodes.
            type List<T: 'a>: 'a;
            /// What [`Expr::Error`] holds: the span itself, or where the store
            /// keeps it (a span does not fit beside a `u32`).
            type ErrorSpan: Copy + 'a;
            /// Where the nodes live, owned by the [`Program`]; empty for the
            /// pointer strategies, whose nodes live in an arena or in boxes.
            type Store: Default + 'a;

            /// The name used on the command line (`--alloc`).
            const NAME: &'static str;

            /// Prepares a program for being dropped. Arena strategies free nothing node
            /// by node, so the default does nothing; [`Boxed`] dismantles its tree
            /// iteratively, because the drop glue of a `Box` chain recurses once per
            /// level and a million-term expression would overflow the stack.
            fn teardown(program: &mut Program<'a, Self>) {
                let _ = program;
            }

            /// The span an [`Expr::Error`] covers.
            fn error_span(store: &Self::Store, error: &Self::ErrorSpan) -> Span;

            $(fn $s<'t>(store: &'t Self::Store, node: &'t Self::Ref<$S<'a $(, declare_alloc!(@self $sa))?>>) -> &'t $S<'a $(, declare_alloc!(@self $sa))?> where 'a: 't;)*
            $(fn $e<'t>(store: &'t Self::Store, node: &'t Self::Ref<$E<'a $(, declare_alloc!(@self $ea))?>>) -> &'t $E<'a $(, declare_alloc!(@self $ea))?> where 'a: 't;)*
            $(fn $l<'t>(store: &'t Self::Store, list: &'t Self::List<$L<'a $(, declare_alloc!(@self $la))?>>) -> &'t [$L<'a $(, declare_alloc!(@self $la))?>] where 'a: 't;)*
        }

        $(impl<'a, A: Alloc<'a>> Node<'a, A> for $S<'a $(, $sa)?> {
            fn get<'t>(store: &'t A::Store, node: &'t Ref<'a, A, Self>) -> &'t Self where 'a: 't {
                A::$s(store, node)
            }
        })*
        $(impl<'a, A: Alloc<'a>> Node<'a, A> for $E<'a $(, $ea)?> {
            fn get<'t>(store: &'t A::Store, node: &'t Ref<'a, A, Self>) -> &'t Self where 'a: 't {
                A::$e(store, node)
            }
        })*
        $(impl<'a, A: Alloc<'a>> Item<'a, A> for $L<'a $(, $la)?> {
            fn list<'t>(store: &'t A::Store, list: &'t List<'a, A, Self>) -> &'t [Self] where 'a: 't {
                A::$l(store, list)
            }
        })*

        /// Implements the store accessors of a pointer strategy, whose
        /// references dereference to their nodes.
        macro_rules! pointer_store {
            () => {
                fn error_span(_: &(), error: &Span) -> Span {
                    *error
                }
                $(fn $s<'t>(_: &'t (), node: &'t Self::Ref<$S<'a $(, declare_alloc!(@self $sa))?>>) -> &'t $S<'a $(, declare_alloc!(@self $sa))?> where 'a: 't {
                    node
                })*
                $(fn $e<'t>(_: &'t (), node: &'t Self::Ref<$E<'a $(, declare_alloc!(@self $ea))?>>) -> &'t $E<'a $(, declare_alloc!(@self $ea))?> where 'a: 't {
                    node
                })*
                $(fn $l<'t>(_: &'t (), list: &'t Self::List<$L<'a $(, declare_alloc!(@self $la))?>>) -> &'t [$L<'a $(, declare_alloc!(@self $la))?>] where 'a: 't {
                    list
                })*
            };
        }
    };
    (@self $ignored:ident) => { Self };
}
node_kinds!(declare_alloc);

/// A node kind that one reference points to; implemented for every payload
/// type, for every strategy, by `node_kinds!`.
pub trait Node<'a, A: Alloc<'a>>: Sized + 'a {
    fn get<'t>(store: &'t A::Store, node: &'t Ref<'a, A, Self>) -> &'t Self
    where
        'a: 't;
}

/// A type that lists hold.
pub trait Item<'a, A: Alloc<'a>>: Sized + 'a {
    fn list<'t>(store: &'t A::Store, list: &'t List<'a, A, Self>) -> &'t [Self]
    where
        'a: 't;
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
    type ErrorSpan = Span;
    type Store = ();
    const NAME: &'static str = "bump";
    pointer_store!();
}

impl<'a> Alloc<'a> for Typed {
    type Ref<T: 'a> = &'a T;
    type List<T: 'a> = &'a [T];
    type ErrorSpan = Span;
    type Store = ();
    const NAME: &'static str = "typed";
    pointer_store!();
}

impl<'a> Alloc<'a> for Boxed {
    type Ref<T: 'a> = Box<T>;
    type List<T: 'a> = Box<[T]>;
    type ErrorSpan = Span;
    type Store = ();
    const NAME: &'static str = "box";
    pointer_store!();

    fn teardown(program: &mut Program<'a, Self>) {
        crate::teardown::dismantle(program);
    }
}

impl<'a, A: Alloc<'a>> Drop for Program<'a, A> {
    fn drop(&mut self) {
        A::teardown(self);
    }
}

macro_rules! declare_builder {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        /// Allocates the nodes of one strategy. The parser is generic over this
        /// trait, so the grammar exists once for every strategy. Lists arrive
        /// as a drain of the parser's scratch vector, which lets an arena copy
        /// them straight into place without an intermediate allocation.
        pub trait Builder<'a, A: Alloc<'a>> {
            $(fn $s(&self, node: $S<'a $(, $sa)?>) -> Ref<'a, A, $S<'a $(, $sa)?>>;)*
            $(fn $e(&self, node: $E<'a $(, $ea)?>) -> Ref<'a, A, $E<'a $(, $ea)?>>;)*

            /// What an [`Expr::Error`] covering `span` holds.
            fn error(&self, span: Span) -> A::ErrorSpan;

            /// Hands over the store of the tree just built (see
            /// [`Alloc::Store`]); the builder starts an empty one.
            fn finish(&self) -> A::Store {
                A::Store::default()
            }

            /// The span of an expression built by this builder, which the
            /// parser needs before the tree is finished.
            fn expr_span(&self, expr: &Expr<'a, A>) -> Span {
                let store = A::Store::default();
                expr.span(crate::Tree::new(&store))
            }
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
            stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
            exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
            lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
        ) => {
            impl<'a> Builder<'a, A> for BumpBuilder<'a> {
                $(fn $s(&self, node: $S<'a $(, $sa)?>) -> &'a $S<'a $(, $sa)?> {
                    self.bump.alloc(node)
                })*
                $(fn $e(&self, node: $E<'a $(, $ea)?>) -> &'a $E<'a $(, $ea)?> {
                    self.bump.alloc(node)
                })*

                fn error(&self, span: Span) -> Span {
                    span
                }
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
            $(const _: () = assert!(!std::mem::needs_drop::<$S<'static $(, $sa)?>>());)*
            $(const _: () = assert!(!std::mem::needs_drop::<$E<'static $(, $ea)?>>());)*
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
            stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
            exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
            lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
        ) => {
            /// One `typed_arena::Arena` per node kind, and one per kind of list.
            /// Create it, borrow it for `'a`, and hand a [`TypedBuilder`] out.
            #[derive(Default)]
            pub struct TypedArenas<'a> {
                $($s: typed_arena::Arena<$S<'a $(, $sa)?>>,)*
                $($e: typed_arena::Arena<$E<'a $(, $ea)?>>,)*
                $($l: typed_arena::Arena<$L<'a $(, $la)?>>,)*
            }

            impl<'a> Builder<'a, A> for TypedBuilder<'a> {
                $(fn $s(&self, node: $S<'a $(, $sa)?>) -> &'a $S<'a $(, $sa)?> {
                    self.arenas.$s.alloc(node)
                })*
                $(fn $e(&self, node: $E<'a $(, $ea)?>) -> &'a $E<'a $(, $ea)?> {
                    self.arenas.$e.alloc(node)
                })*

                fn error(&self, span: Span) -> Span {
                    span
                }
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
            stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
            exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
            lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
        ) => {
            impl<'a> Builder<'a, A> for BoxBuilder {
                $(fn $s(&self, node: $S<'a $(, $sa)?>) -> Box<$S<'a $(, $sa)?>> {
                    Box::new(node)
                })*
                $(fn $e(&self, node: $E<'a $(, $ea)?>) -> Box<$E<'a $(, $ea)?>> {
                    Box::new(node)
                })*

                fn error(&self, span: Span) -> Span {
                    span
                }
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
    /// `(size, align)` under each strategy, in [`Strategy::ALL`]'s order.
    pub layouts: [(usize, usize); Strategy::ALL.len()],
}

fn layout_of<T>() -> (usize, usize) {
    (std::mem::size_of::<T>(), std::mem::align_of::<T>())
}

macro_rules! describe_layouts {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        /// Every node type's layout: the two enums first, then each payload.
        pub fn node_layouts() -> Vec<NodeLayout> {
            let mut rows = vec![
                NodeLayout {
                    name: "Expr",
                    layouts: [layout_of::<Expr<'static, Bump>>(), layout_of::<Expr<'static, Typed>>(), layout_of::<Expr<'static, Boxed>>(), layout_of::<Expr<'static, crate::Flat>>()],
                },
                NodeLayout {
                    name: "Stmt",
                    layouts: [layout_of::<Stmt<'static, Bump>>(), layout_of::<Stmt<'static, Typed>>(), layout_of::<Stmt<'static, Boxed>>(), layout_of::<Stmt<'static, crate::Flat>>()],
                },
            ];
            $(rows.push(NodeLayout {
                name: stringify!($S),
                layouts: [
                    layout_of::<$S<'static $(, describe_layouts!(@strategy $sa Bump))?>>(),
                    layout_of::<$S<'static $(, describe_layouts!(@strategy $sa Typed))?>>(),
                    layout_of::<$S<'static $(, describe_layouts!(@strategy $sa Boxed))?>>(),
                    layout_of::<$S<'static $(, describe_layouts!(@strategy $sa crate::Flat))?>>(),
                ],
            });)*
            $(rows.push(NodeLayout {
                name: stringify!($E),
                layouts: [
                    layout_of::<$E<'static $(, describe_layouts!(@strategy $ea Bump))?>>(),
                    layout_of::<$E<'static $(, describe_layouts!(@strategy $ea Typed))?>>(),
                    layout_of::<$E<'static $(, describe_layouts!(@strategy $ea Boxed))?>>(),
                    layout_of::<$E<'static $(, describe_layouts!(@strategy $ea crate::Flat))?>>(),
                ],
            });)*
            $(if !rows.iter().any(|row| row.name == stringify!($L)) {
                rows.push(NodeLayout {
                    name: stringify!($L),
                    layouts: [
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la Bump))?>>(),
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la Typed))?>>(),
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la Boxed))?>>(),
                        layout_of::<$L<'static $(, describe_layouts!(@strategy $la crate::Flat))?>>(),
                    ],
                });
            })*
            rows
        }
    };
    (@strategy $ignored:ident $($strategy:tt)*) => { $($strategy)* };
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
    // Under `flat` the enums are a tag and a `u32`, lists two `u32`s.
    assert!(size_of::<Expr<'static, crate::Flat>>() == 8);
    assert!(size_of::<Option<Expr<'static, crate::Flat>>>() == 8);
    assert!(size_of::<Stmt<'static, crate::Flat>>() == 8);
    assert!(size_of::<Option<Stmt<'static, crate::Flat>>>() == 8);
    assert!(size_of::<crate::Range<Stmt<'static, crate::Flat>>>() == 8);
    assert!(size_of::<Binary<'static, crate::Flat>>() == 32);
    assert!(size_of::<Call<'static, crate::Flat>>() == 32);
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
