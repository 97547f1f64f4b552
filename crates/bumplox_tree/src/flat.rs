//! The `flat` strategy: nodes in one vector per node kind, references as `u32`
//! indices into them, lists as ranges of a vector per element type.
//!
//! An `Expr` or `Stmt` is a tag and a `u32` (8 bytes, half a pointer
//! strategy's), and nodes of one kind sit densely in the order they were
//! built. The store ([`FlatStore`]) is owned by the program; the builder keeps
//! the one being filled in a `RefCell`, since the parser builds through `&self`.

use std::cell::RefCell;
use std::marker::PhantomData;

use bumplox_source::Span;

use crate::alloc::{Alloc, Builder};
use crate::nodes::*;
use crate::tree::Tree;

/// Nodes in one vector per node kind, addressed by `u32` indices.
pub struct Flat;

/// A reference under [`Flat`]: the node's index in its kind's vector.
pub struct Idx<T> {
    index: u32,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Idx<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Idx<T> {}

impl<T> Idx<T> {
    fn new(index: usize) -> Idx<T> {
        Idx {
            // A vector holds fewer nodes than the source has bytes (at most
            // `u32::MAX`), and the parser stops at `--max-memory` long before.
            index: u32::try_from(index).unwrap_or(u32::MAX),
            kind: PhantomData,
        }
    }

    pub fn index(self) -> usize {
        self.index as usize
    }
}

/// A list under [`Flat`]: a range of the vector that holds its element type.
/// Nested lists are finished before the list that holds them, so each list's
/// items are contiguous.
pub struct Range<T> {
    start: u32,
    len: u32,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Range<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Range<T> {}

impl<T> Range<T> {
    fn new(start: usize, end: usize) -> Range<T> {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX);
        Range {
            start,
            len: end.saturating_sub(start),
            kind: PhantomData,
        }
    }

    fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// Builds nodes into a [`FlatStore`].
pub struct FlatBuilder<'a> {
    store: RefCell<FlatStore<'a>>,
    limit: Option<usize>,
}

impl<'a> FlatBuilder<'a> {
    pub fn new() -> FlatBuilder<'a> {
        FlatBuilder {
            store: RefCell::default(),
            limit: None,
        }
    }

    /// A builder whose vectors may grow to about `limit` bytes in all
    /// (`--max-memory`), checked by the parser between tokens.
    pub fn with_limit(limit: usize) -> FlatBuilder<'a> {
        FlatBuilder {
            store: RefCell::default(),
            limit: Some(limit),
        }
    }
}

impl Default for FlatBuilder<'_> {
    fn default() -> Self {
        FlatBuilder::new()
    }
}

/// The strategy the macro's `A` stands for in this module.
type A = Flat;

macro_rules! generate_flat {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        /// One vector per node kind and one per list element type, in the
        /// order the parser built them, and the spans of `Expr::Error`s.
        #[derive(Default)]
        pub struct FlatStore<'a> {
            $($s: Vec<$S<'a $(, $sa)?>>,)*
            $($e: Vec<$E<'a $(, $ea)?>>,)*
            $($l: Vec<$L<'a $(, $la)?>>,)*
            errors: Vec<Span>,
        }

        impl FlatStore<'_> {
            /// The bytes the vectors hold, spare capacity included.
            pub fn allocated_bytes(&self) -> usize {
                0 $(+ self.$s.capacity() * std::mem::size_of::<$S<'static $(, $sa)?>>())*
                  $(+ self.$e.capacity() * std::mem::size_of::<$E<'static $(, $ea)?>>())*
                  $(+ self.$l.capacity() * std::mem::size_of::<$L<'static $(, $la)?>>())*
                  + self.errors.capacity() * std::mem::size_of::<Span>()
            }
        }

        impl<'a> Alloc<'a> for Flat {
            type Ref<T: 'a> = Idx<T>;
            type List<T: 'a> = Range<T>;
            type ErrorSpan = Idx<Span>;
            type Store = FlatStore<'a>;
            const NAME: &'static str = "flat";

            fn error_span(store: &FlatStore<'a>, error: &Idx<Span>) -> Span {
                store.errors.get(error.index()).copied().unwrap_or_default()
            }

            $(fn $s<'t>(store: &'t FlatStore<'a>, node: &'t Idx<$S<'a $(, $sa)?>>) -> &'t $S<'a $(, $sa)?> where 'a: 't {
                &store.$s[node.index()]
            })*
            $(fn $e<'t>(store: &'t FlatStore<'a>, node: &'t Idx<$E<'a $(, $ea)?>>) -> &'t $E<'a $(, $ea)?> where 'a: 't {
                &store.$e[node.index()]
            })*
            $(fn $l<'t>(store: &'t FlatStore<'a>, list: &'t Range<$L<'a $(, $la)?>>) -> &'t [$L<'a $(, $la)?>] where 'a: 't {
                &store.$l[list.range()]
            })*
        }

        impl<'a> Builder<'a, A> for FlatBuilder<'a> {
            $(fn $s(&self, node: $S<'a $(, $sa)?>) -> Idx<$S<'a $(, $sa)?>> {
                let mut store = self.store.borrow_mut();
                store.$s.push(node);
                Idx::new(store.$s.len() - 1)
            })*
            $(fn $e(&self, node: $E<'a $(, $ea)?>) -> Idx<$E<'a $(, $ea)?>> {
                let mut store = self.store.borrow_mut();
                store.$e.push(node);
                Idx::new(store.$e.len() - 1)
            })*
            $(fn $l(&self, items: std::vec::Drain<'_, $L<'a $(, $la)?>>) -> Range<$L<'a $(, $la)?>> {
                let mut store = self.store.borrow_mut();
                let start = store.$l.len();
                store.$l.extend(items);
                Range::new(start, store.$l.len())
            })*

            fn error(&self, span: Span) -> Idx<Span> {
                let mut store = self.store.borrow_mut();
                store.errors.push(span);
                Idx::new(store.errors.len() - 1)
            }

            fn finish(&self) -> FlatStore<'a> {
                std::mem::take(&mut *self.store.borrow_mut())
            }

            fn expr_span(&self, expr: &Expr<'a, A>) -> Span {
                expr.span(Tree::new(&*self.store.borrow()))
            }

            fn over_limit(&self) -> Option<usize> {
                let limit = self.limit?;
                match self.store.borrow().allocated_bytes() > limit {
                    true => Some(limit),
                    false => None,
                }
            }
        }
    };
}
node_kinds!(generate_flat);
