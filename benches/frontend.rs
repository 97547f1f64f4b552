//! Criterion benchmarks of every front-end stage under the `bump`,
//! `bump-fresh`, `typed` and `box` strategies, and of the lexer alone and the
//! formatter, on the system allocator, on generated corpora of 1, 10 and
//! 100 MB. `cargo bench --bench frontend`.

mod common;

use std::alloc::System;

use bumplox_alloc_stats::CountingAllocator;
use bumplox_bench::Strategy;
use criterion::{criterion_group, criterion_main, Criterion};

/// The system allocator, counted only while a parse is being accounted.
#[global_allocator]
static ALLOCATOR: CountingAllocator<System> = CountingAllocator::new(System);

fn frontend(criterion: &mut Criterion) {
    common::run(criterion, &Strategy::ALL, "", true, &ALLOCATOR);
}

criterion_group!(benches, frontend);
criterion_main!(benches);
