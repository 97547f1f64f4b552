//! The list of allocation strategies, in one place: the command line's
//! `--alloc` values, `bumplox layout`, `bumplox bench`, the test helpers and
//! the fuzz targets all iterate [`Strategy::ALL`] and build trees through
//! [`with_builder`], so another strategy is one entry here and one arm there.

use crate::alloc::{
    Alloc, BoxBuilder, Boxed, Builder, Bump, BumpBuilder, Typed, TypedArenas, TypedBuilder,
};
use crate::flat::{Flat, FlatBuilder};

/// An allocation strategy, chosen at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    Bump,
    Typed,
    Boxed,
    Flat,
}

impl Strategy {
    /// Every strategy, in the order tables and charts show them.
    pub const ALL: [Strategy; 4] = [
        Strategy::Bump,
        Strategy::Typed,
        Strategy::Boxed,
        Strategy::Flat,
    ];

    /// The name used on the command line (`--alloc NAME`): the strategy's
    /// [`Alloc::NAME`].
    pub const fn name(self) -> &'static str {
        match self {
            Strategy::Bump => <Bump as Alloc<'static>>::NAME,
            Strategy::Typed => <Typed as Alloc<'static>>::NAME,
            Strategy::Boxed => <Boxed as Alloc<'static>>::NAME,
            Strategy::Flat => <Flat as Alloc<'static>>::NAME,
        }
    }

    /// One line about the strategy, for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            Strategy::Bump => "One bumpalo arena for the whole tree",
            Strategy::Typed => "One typed-arena per node kind",
            Strategy::Boxed => "Plain Box and Vec (the baseline)",
            Strategy::Flat => "One vector per node kind, u32 indices for links",
        }
    }

    pub fn from_name(name: &str) -> Option<Strategy> {
        Strategy::ALL
            .into_iter()
            .find(|strategy| strategy.name() == name)
    }
}

/// Work to do with a builder of whatever strategy was chosen. A trait with a
/// generic method stands in for a closure generic over the strategy, which
/// Rust cannot express. `'x` is what the task borrows (the source text): it
/// outlives the arena, whose lifetime is `'a`.
pub trait WithBuilder<'x> {
    type Output;
    fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> Self::Output
    where
        'x: 'a;
}

/// Creates the arena of `strategy`, hands a builder for it to `task`, and
/// frees the arena (and every tree built in it) when the task returns.
/// `max_memory` limits the tree's memory, for the strategies that can tell
/// how much they hold (`bump`, `flat`); the parser stops with an error past it.
pub fn with_builder<'x, T: WithBuilder<'x>>(
    strategy: Strategy,
    max_memory: Option<usize>,
    task: T,
) -> T::Output {
    match strategy {
        Strategy::Bump => {
            let bump = bumpalo::Bump::new();
            let builder = match max_memory {
                Some(limit) => BumpBuilder::with_limit(&bump, limit),
                None => BumpBuilder::new(&bump),
            };
            task.run(&builder)
        }
        Strategy::Typed => {
            let arenas = TypedArenas::new();
            task.run(&TypedBuilder::new(&arenas))
        }
        Strategy::Boxed => task.run(&BoxBuilder),
        Strategy::Flat => {
            let builder = match max_memory {
                Some(limit) => FlatBuilder::with_limit(limit),
                None => FlatBuilder::new(),
            };
            task.run(&builder)
        }
    }
}
