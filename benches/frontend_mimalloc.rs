//! The `box` strategy of `benches/frontend.rs` again, on mimalloc, so that the
//! baseline the arenas are compared with is a fast allocator and not only the
//! system's. `cargo bench --bench frontend_mimalloc`.

mod common;

use bumplox_alloc_stats::CountingAllocator;
use bumplox_bench::Strategy;
use criterion::{criterion_group, criterion_main, Criterion};
use mimalloc::MiMalloc;

/// mimalloc, counted only while a parse is being accounted.
#[global_allocator]
static ALLOCATOR: CountingAllocator<MiMalloc> = CountingAllocator::new(MiMalloc);

fn frontend_mimalloc(criterion: &mut Criterion) {
    common::run(
        criterion,
        &[Strategy::BOXED],
        "+mimalloc",
        false,
        &ALLOCATOR,
    );
}

criterion_group!(benches, frontend_mimalloc);
criterion_main!(benches);
