//! Code generation: compiles a resolved Lox tree to bytecode, one chunk per
//! function, following the book's C implementation instruction for instruction.
//!
//! It checks the limits that belong to bytecode (256 constants per chunk, jump
//! distances); name resolution and the other static errors were checked by
//! `bumplox_resolver`, whose slots and upvalue lists it emits as they are. It
//! does not run code and knows nothing of the VM's heap.

mod emit;
mod expr;
mod stmt;
#[cfg(test)]
mod tests;

pub use emit::{compile, compile_recovered};
