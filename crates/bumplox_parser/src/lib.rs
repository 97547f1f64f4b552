//! The Lox parser: recursive descent for declarations and statements, Pratt
//! parsing for expressions, generic over the tree's allocation strategy.
//!
//! Parsing never fails: [`parse`] always returns a tree plus diagnostics. After a
//! syntax error the parser recovers at the next statement boundary, as the
//! book's compiler does, so one run reports every independent error with the
//! book's messages. This crate does not resolve names; see `bumplox_resolver`.
//!
//! # Parsing, walking and snapshotting a tree
//!
//! The builder decides where the nodes live. With a strategy fixed at compile
//! time, make its builder and parse; `flat` needs no arena of its own:
//!
//! ```
//! use bumplox_tree::dump::{sexpr, DumpOptions};
//! use bumplox_tree::{FlatBuilder, StmtNode};
//!
//! let builder = FlatBuilder::new();
//! let parse = bumplox_parser::parse("var x = 1 + 2 * 3;\nprint x;", &builder);
//! assert!(parse.diagnostics.is_empty());
//!
//! // Every node is reached through the tree's store, so this walk runs on
//! // any strategy. The match names every kind of statement: a new kind would
//! // not compile until it is handled here.
//! let tree = parse.program.tree();
//! let mut prints = 0;
//! for stmt in parse.program.statements() {
//!     match tree.stmt(stmt) {
//!         StmtNode::Print(_) => prints += 1,
//!         StmtNode::Expression(_)
//!         | StmtNode::Var(_)
//!         | StmtNode::Block(_)
//!         | StmtNode::If(_)
//!         | StmtNode::While(_)
//!         | StmtNode::For(_)
//!         | StmtNode::Return(_)
//!         | StmtNode::Function(_)
//!         | StmtNode::Class(_) => {}
//!     }
//! }
//! assert_eq!(prints, 1);
//!
//! // The S-expression dump is what snapshot tests compare; with `spans` on,
//! // every node also shows the bytes it covers.
//! let dump = sexpr(&parse.program, DumpOptions::default());
//! insta::assert_snapshot!(dump, @r"
//! (var x (+ 1 (* 2 3)))
//! (print x)
//! ");
//! ```
//!
//! With the strategy chosen at run time (`bumplox parse --alloc NAME`), hand
//! the work to [`bumplox_tree::with_builder`], which makes that strategy's
//! arena and frees it, with the tree, when the work returns. The trees of all
//! strategies dump byte for byte the same:
//!
//! ```
//! use bumplox_tree::dump::{sexpr, DumpOptions};
//! use bumplox_tree::{with_builder, Alloc, Builder, Strategy, WithBuilder};
//!
//! /// Parses the text and dumps its tree, under whichever builder it is given.
//! struct Dump<'x>(&'x str);
//!
//! impl<'x> WithBuilder<'x> for Dump<'x> {
//!     type Output = String;
//!
//!     fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> String
//!     where
//!         'x: 'a,
//!     {
//!         let parse = bumplox_parser::parse(self.0, builder);
//!         sexpr(&parse.program, DumpOptions { spans: true })
//!     }
//! }
//!
//! let source = "print -a.b;";
//! for strategy in Strategy::ALL {
//!     let dump = with_builder(strategy, None, Dump(source));
//!     assert_eq!(dump, "(print@0..11 (-@6..10 (.@7..10 a@7..8 b@9..10)))\n", "{}", strategy.name());
//! }
//! ```
//!
//! `tests/tree_snapshots.rs` in the repository snapshots every example and
//! official suite file this way, one `insta::assert_snapshot!` per file.

mod expr;
mod items;
mod parser;
mod stmt;
#[cfg(test)]
mod tests;

pub use parser::{
    in_recovery, parse, parse_piece, parse_with_static_errors, Parse, MAX_ERRORS, MAX_NESTING,
};
