//! The `bumplox-bench-worker` binary: the process `bumplox bench` starts for
//! each strategy it measures. It alone installs the counting allocator, so
//! the `bumplox` binary allocates through the system allocator untouched.

use bumplox_alloc_stats::{CountingAllocator, SelectedAllocator};

/// The system allocator, or mimalloc when `BUMPLOX_ALLOCATOR=mimalloc` (set by
/// `bench` for the worker that measures `box` on mimalloc), wrapped in a
/// counter that the worker switches on around one parse. Switched off, the two
/// wrappers cost two relaxed atomic loads per allocation.
#[global_allocator]
static ALLOCATOR: CountingAllocator<SelectedAllocator> = CountingAllocator::new(SelectedAllocator);

fn main() {
    std::process::exit(bumplox_driver::bench_worker_main(&ALLOCATOR));
}
