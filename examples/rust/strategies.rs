//! `cargo run --example strategies -- FILE`: parses one Lox file under every
//! allocation strategy and prints what each allocated for its tree.
//!
//! It uses the crates as a library would: `bumplox_parser::parse` under each
//! of `bumplox_tree::Strategy::ALL` (through `with_builder`, which makes the
//! strategy's arena), the S-expression dump to check that the four trees are
//! the same, and a counting global allocator around the parse.

use std::alloc::System;
use std::process::ExitCode;
use std::sync::Mutex;

use bumplox_alloc_stats::{Counter, CountingAllocator, Snapshot};
use bumplox_bench::count_nodes;
use bumplox_tree::dump::{sexpr, DumpOptions};
use bumplox_tree::{with_builder, Alloc, Builder, Strategy, WithBuilder};

/// Counts every allocation while switched on; off, it only forwards.
#[global_allocator]
static ALLOCATOR: CountingAllocator<System> = CountingAllocator::new(System);

/// The counts are process-wide, so two measurements must not overlap (the
/// test harness runs tests on several threads).
static MEASURING: Mutex<()> = Mutex::new(());

/// What one strategy allocated to parse a file.
#[derive(Debug)]
struct Allocated {
    strategy: Strategy,
    /// From creating the arena to the end of the parse, with the tree alive:
    /// the tree, the parser's scratch space (freed by then) and the
    /// diagnostics.
    heap: Snapshot,
    /// Statement and expression nodes in the tree.
    nodes: u64,
    /// The tree as S-expressions, which every strategy must agree on.
    dump: String,
}

/// Parses `text` and stops counting while the tree is still alive.
struct Measure<'x> {
    text: &'x str,
}

impl<'x> WithBuilder<'x> for Measure<'x> {
    type Output = (Snapshot, u64, String);

    fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> Self::Output
    where
        'x: 'a,
    {
        let parse = bumplox_parser::parse(self.text, builder);
        let heap = ALLOCATOR.stop();
        let nodes = count_nodes(&parse.program).nodes;
        (heap, nodes, sexpr(&parse.program, DumpOptions::default()))
    }
}

/// Parses `text` under every strategy, in `Strategy::ALL`'s order.
fn allocations(text: &str) -> Vec<Allocated> {
    let _guard = MEASURING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Strategy::ALL
        .into_iter()
        .map(|strategy| {
            ALLOCATOR.start();
            let (heap, nodes, dump) = with_builder(strategy, None, Measure { text });
            Allocated {
                strategy,
                heap,
                nodes,
                dump,
            }
        })
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!("usage: cargo run --example strategies -- FILE");
        return ExitCode::from(64);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read {path}: {error}");
            return ExitCode::from(74);
        }
    };
    let rows = allocations(&text);
    println!(
        "{:<8} {:>8} {:>14} {:>14} {:>14}",
        "strategy", "nodes", "alloc calls", "bytes asked", "live at end"
    );
    for row in &rows {
        println!(
            "{:<8} {:>8} {:>14} {:>14} {:>14}",
            row.strategy.name(),
            row.nodes,
            row.heap.calls,
            row.heap.bytes,
            row.heap.live
        );
    }
    match rows.windows(2).all(|pair| pair[0].dump == pair[1].dump) {
        true => println!("all {} trees dump the same", rows.len()),
        false => {
            eprintln!("error: the strategies built different trees");
            return ExitCode::from(101);
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `src` under every strategy and checks that all of them built
    /// the tree `expect` with `nodes` nodes, that every strategy's parse was
    /// counted, and that `box` made at least one allocation per node.
    fn check(src: &str, nodes: u64, expect: &str) {
        let rows = allocations(src);
        let names: Vec<&str> = rows.iter().map(|row| row.strategy.name()).collect();
        let all: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names, all);
        for row in &rows {
            assert_eq!(row.dump, expect, "{}", row.strategy.name());
            assert_eq!(row.nodes, nodes, "{}", row.strategy.name());
            assert!(
                row.heap.calls > 0,
                "{} counted nothing",
                row.strategy.name()
            );
            if row.strategy == Strategy::Boxed {
                assert!(row.heap.calls >= nodes, "box: {:?}", row.heap);
            }
        }
    }

    #[test]
    fn every_strategy_builds_the_same_tree_and_is_counted() {
        check(
            "var a = 1 + 2;\nfun f(x) { return x * a; }\nprint f(3);\n",
            13,
            "(var a (+ 1 2))\n(fun f (x)\n  (return (* x a)))\n(print (call f 3))\n",
        );
    }
}
