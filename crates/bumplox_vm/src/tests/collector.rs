//! The garbage collector: garbage cycles are reclaimed, deep live graphs are
//! marked without recursion, and objects in use survive stress collections.

use bumplox_bytecode::{FunctionProto, OpCode};

use super::asm::Asm;
use crate::{HeapStats, Vm, VmOptions};

/// `class Pair {} for (var i = 0; i < count; i = i + 1) { var a = Pair();
/// var b = Pair(); a.other = b; b.other = a; }` — every pair is a garbage cycle
/// once its iteration ends.
fn cyclic_pairs(count: f64) -> FunctionProto {
    let mut asm = Asm::new();
    asm.named(OpCode::Class, "Pair")
        .named(OpCode::DefineGlobal, "Pair");
    asm.number(0.0);
    let start = asm.here();
    asm.op1(OpCode::GetLocal, 1).number(count).op(OpCode::Less);
    let exit = asm.jump(OpCode::JumpIfFalse);
    asm.op(OpCode::Pop);
    for _ in 0..2 {
        asm.named(OpCode::GetGlobal, "Pair").op1(OpCode::Call, 0);
    }
    for (from, to) in [(2, 3), (3, 2)] {
        asm.op1(OpCode::GetLocal, from).op1(OpCode::GetLocal, to);
        asm.named(OpCode::SetProperty, "other").op(OpCode::Pop);
    }
    asm.op(OpCode::Pop).op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 1).number(1.0).op(OpCode::Add);
    asm.op1(OpCode::SetLocal, 1).op(OpCode::Pop);
    asm.loop_to(start);
    asm.patch(exit).op(OpCode::Pop).op(OpCode::Pop);
    asm.script()
}

fn run_to_stats(options: VmOptions, script: &FunctionProto) -> HeapStats {
    let mut vm = Vm::new(options);
    let mut out = Vec::new();
    assert_eq!(vm.run(script, &mut out), Ok(()));
    vm.heap_stats()
}

#[test]
fn garbage_cycles_are_collected_and_the_heap_stays_bounded() {
    let stats = run_to_stats(VmOptions::default(), &cyclic_pairs(100_000.0));
    // 200,000 instances would take tens of megabytes if cycles leaked; the
    // heap must stay near the first collection threshold (1 MiB).
    assert!(stats.collections > 0, "{stats:?}");
    assert!(stats.bytes_allocated < 3 * 1024 * 1024 / 2, "{stats:?}");
    assert!(stats.objects < 20_000, "{stats:?}");
}

#[test]
fn stress_mode_collects_at_every_allocation() {
    let options = VmOptions {
        gc_stress: true,
        ..VmOptions::default()
    };
    let stats = run_to_stats(options, &cyclic_pairs(500.0));
    // At least one collection per instance, and nothing but the last few
    // objects left over.
    assert!(stats.collections >= 1_000, "{stats:?}");
    assert!(stats.objects < 50, "{stats:?}");
}

#[test]
fn long_live_chains_are_marked_without_recursion() {
    // class Node {} var head = nil;
    // for (var i = 0; i < 200000; i = i + 1) { var n = Node(); n.next = head; head = n; }
    let mut asm = Asm::new();
    asm.named(OpCode::Class, "Node")
        .named(OpCode::DefineGlobal, "Node");
    asm.op(OpCode::Nil).named(OpCode::DefineGlobal, "head");
    asm.number(0.0);
    let start = asm.here();
    asm.op1(OpCode::GetLocal, 1)
        .number(200_000.0)
        .op(OpCode::Less);
    let exit = asm.jump(OpCode::JumpIfFalse);
    asm.op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "Node").op1(OpCode::Call, 0);
    asm.op1(OpCode::GetLocal, 2)
        .named(OpCode::GetGlobal, "head");
    asm.named(OpCode::SetProperty, "next").op(OpCode::Pop);
    asm.named(OpCode::SetGlobal, "head").op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 1).number(1.0).op(OpCode::Add);
    asm.op1(OpCode::SetLocal, 1).op(OpCode::Pop);
    asm.loop_to(start);
    asm.patch(exit).op(OpCode::Pop).op(OpCode::Pop);
    let stats = run_to_stats(VmOptions::default(), &asm.script());
    assert!(stats.collections > 0, "{stats:?}");
    assert!(stats.objects >= 200_000, "{stats:?}");
}

#[test]
fn a_vm_frees_everything_when_dropped() {
    // Leak checkers (such as the address sanitizer) flag anything the heap's
    // destructor misses; this only has to run a program that leaves objects.
    let mut asm = Asm::new();
    asm.named(OpCode::Class, "C")
        .named(OpCode::DefineGlobal, "C");
    asm.named(OpCode::GetGlobal, "C").op1(OpCode::Call, 0);
    asm.named(OpCode::DefineGlobal, "c");
    let stats = run_to_stats(VmOptions::default(), &asm.script());
    assert!(stats.objects > 0);
}
