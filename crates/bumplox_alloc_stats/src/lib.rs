//! Allocation accounting for the benchmarks and `bumplox bench`: a global
//! allocator wrapper that counts allocation calls, bytes requested and the
//! peak of live bytes while counting is switched on, and an allocator that is
//! the system's or mimalloc, chosen by the environment when the process starts.
//!
//! This crate does not install a global allocator itself (a binary does, with
//! `#[global_allocator]`), and it measures no time.

mod counting;
mod selected;

pub use counting::{Counter, CountingAllocator, Snapshot};
pub use selected::{SelectedAllocator, ALLOCATOR_VARIABLE};
