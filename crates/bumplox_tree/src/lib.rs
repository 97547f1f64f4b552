//! The Lox syntax tree, defined once and built by four allocation strategies.
//!
//! A tree type such as [`Expr`] is generic over an [`Alloc`] strategy that decides
//! what a child reference and a list are: `&'a T` and `&'a [T]` in a bump arena
//! ([`Bump`]) or in one typed arena per node kind ([`Typed`]), `Box<T>` and
//! `Box<[T]>` for the baseline ([`Boxed`]), or a `u32` index and a range into
//! one vector per node kind ([`Flat`]). A [`Builder`] allocates nodes for one
//! strategy, so the parser is written once, generic over the builder; passes
//! reach nodes through a [`Tree`], which hides the difference.
//! [`Strategy::ALL`] lists the strategies and [`with_builder`] makes one's
//! arena. `bumplox_parser`'s crate documentation shows the whole round trip:
//! parse, walk, dump and snapshot.
//!
//! This crate does not parse, resolve or print trees (see `bumplox_parser`,
//! `bumplox_resolver` and [`dump`]'s callers); it defines their shape, the
//! builders, an iterative expression walker and the tree dumps.

#[macro_use]
mod kinds;
mod alloc;
pub mod dump;
mod flat;
mod nodes;
mod strategy;
mod teardown;
mod tree;
pub mod walk;

pub use alloc::{
    node_layouts, Alloc, BoxBuilder, Boxed, Builder, Bump, BumpBuilder, Item, List, Node,
    NodeLayout, Ref, Typed, TypedArenas, TypedBuilder,
};
pub use flat::{Flat, FlatBuilder, FlatStore, Idx, Range};
pub use nodes::*;
pub use strategy::{with_builder, Strategy, WithBuilder};
pub use tree::{Children, ExprNode, HasChildren, StmtNode, Tree};
