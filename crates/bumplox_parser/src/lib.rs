//! The Lox parser: recursive descent for declarations and statements, Pratt
//! parsing for expressions, generic over the tree's allocation strategy.
//!
//! Parsing never fails: [`parse`] always returns a tree plus diagnostics. After a
//! syntax error the parser recovers at the next statement boundary, as the
//! book's compiler does, so one run reports every independent error with the
//! book's messages. This crate does not resolve names; see `bumplox_resolver`.

mod expr;
mod items;
mod parser;
mod stmt;
#[cfg(test)]
mod tests;

pub use parser::{in_recovery, parse, parse_with_static_errors, Parse, MAX_ERRORS, MAX_NESTING};
