//! The bytecode virtual machine: it runs the function prototypes that
//! `bumplox_codegen` compiles, with a stack of values, a single dispatch loop and
//! a mark-sweep garbage collector, following clox from *Crafting Interpreters*.
//!
//! Values are NaN-boxed into one word (`value.rs`). The heap is made of
//! individually boxed objects addressed by raw pointers (`heap.rs`), which the
//! collector (`gc.rs`) frees when nothing reachable from the roots points to
//! them anymore.

mod calls;
mod classes;
mod cursor;
mod error;
mod exec;
mod fields;
mod gc;
mod globals;
mod hash;
mod heap;
mod intern;
mod load;
mod natives;
mod object;
mod table;
mod upvalues;
mod value;
mod vm;

#[cfg(test)]
mod tests;

pub use bumplox_bytecode::format_number;
pub use error::{RuntimeError, TraceFrame, INTERRUPTED};
pub use heap::HeapStats;
pub use vm::{Vm, VmOptions};
