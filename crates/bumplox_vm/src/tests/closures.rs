//! Functions, closures and upvalues.

use bumplox_bytecode::{FunctionKind, OpCode};

use super::asm::Asm;
use super::expect_output;

#[test]
fn functions_take_arguments_and_return_values() {
    // fun add(a, b) { return a + b; } print add(1, 2); print add;
    let mut add = Asm::new();
    add.op1(OpCode::GetLocal, 1)
        .op1(OpCode::GetLocal, 2)
        .op(OpCode::Add);
    add.op(OpCode::Return).ret_nil();
    let add = add.function("add", FunctionKind::Function, 2, 0);

    let mut asm = Asm::new();
    asm.closure(add, &[]).named(OpCode::DefineGlobal, "add");
    asm.named(OpCode::GetGlobal, "add").number(1.0).number(2.0);
    asm.op1(OpCode::Call, 2).op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "add").op(OpCode::Print);
    expect_output(&asm.script(), "3\n<fn add>\n");
}

#[test]
fn counter_closures_keep_their_own_captured_variable() {
    // fun count() { i = i + 1; return i; }
    let mut count = Asm::new();
    count.op1(OpCode::GetUpvalue, 0).number(1.0).op(OpCode::Add);
    count.op1(OpCode::SetUpvalue, 0).op(OpCode::Pop);
    count
        .op1(OpCode::GetUpvalue, 0)
        .op(OpCode::Return)
        .ret_nil();
    let count = count.function("count", FunctionKind::Function, 0, 1);

    // fun makeCounter() { var i = 0; fun count() {…} return count; }
    let mut make = Asm::new();
    make.number(0.0).closure(count, &[(true, 1)]);
    make.op1(OpCode::GetLocal, 2).op(OpCode::Return).ret_nil();
    let make = make.function("makeCounter", FunctionKind::Function, 0, 0);

    let mut asm = Asm::new();
    asm.closure(make, &[])
        .named(OpCode::DefineGlobal, "makeCounter");
    for name in ["c", "d"] {
        asm.named(OpCode::GetGlobal, "makeCounter")
            .op1(OpCode::Call, 0);
        asm.named(OpCode::DefineGlobal, name);
    }
    for name in ["c", "c", "d", "c"] {
        asm.named(OpCode::GetGlobal, name).op1(OpCode::Call, 0);
        asm.op(OpCode::Print);
    }
    asm.named(OpCode::GetGlobal, "c").op(OpCode::Print);
    expect_output(&asm.script(), "1\n2\n1\n3\n<fn count>\n");
}

#[test]
fn closures_share_a_variable_and_keep_it_once_closed() {
    // fun show() { print x; }
    let mut show = Asm::new();
    show.op1(OpCode::GetUpvalue, 0).op(OpCode::Print).ret_nil();
    let show = show.function("show", FunctionKind::Function, 0, 1);
    // fun set() { x = "b"; }
    let mut set = Asm::new();
    set.string("b")
        .op1(OpCode::SetUpvalue, 0)
        .op(OpCode::Pop)
        .ret_nil();
    let set = set.function("set", FunctionKind::Function, 0, 1);

    let mut asm = Asm::new();
    // var f; { var x = "a"; fun show… fun set… f = show; set(); show(); x = "c"; }
    asm.op(OpCode::Nil).named(OpCode::DefineGlobal, "f");
    asm.string("a");
    asm.closure(show, &[(true, 1)]).closure(set, &[(true, 1)]);
    asm.op1(OpCode::GetLocal, 2)
        .named(OpCode::SetGlobal, "f")
        .op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 3)
        .op1(OpCode::Call, 0)
        .op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 2)
        .op1(OpCode::Call, 0)
        .op(OpCode::Pop);
    asm.string("c").op1(OpCode::SetLocal, 1).op(OpCode::Pop);
    // The block ends: its locals leave the stack, the captured one closed.
    asm.op(OpCode::Pop).op(OpCode::Pop).op(OpCode::CloseUpvalue);
    // Clobber the slot x lived in, then call f(): it must see "c".
    asm.string("clobbered").op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "f")
        .op1(OpCode::Call, 0)
        .op(OpCode::Pop);
    expect_output(&asm.script(), "b\nc\n");
}

#[test]
fn inner_closures_capture_through_enclosing_upvalues() {
    // fun inner() { print x; }
    let mut inner = Asm::new();
    inner.op1(OpCode::GetUpvalue, 0).op(OpCode::Print).ret_nil();
    let inner = inner.function("inner", FunctionKind::Function, 0, 1);
    // fun middle() { fun inner… return inner; }
    let mut middle = Asm::new();
    middle.closure(inner, &[(false, 0)]);
    middle.op1(OpCode::GetLocal, 1).op(OpCode::Return).ret_nil();
    let middle = middle.function("middle", FunctionKind::Function, 0, 1);
    // fun outer() { var x = "outer"; fun middle… return middle; }
    let mut outer = Asm::new();
    outer.string("outer").closure(middle, &[(true, 1)]);
    outer.op1(OpCode::GetLocal, 2).op(OpCode::Return).ret_nil();
    let outer = outer.function("outer", FunctionKind::Function, 0, 0);

    // outer()()();
    let mut asm = Asm::new();
    asm.closure(outer, &[]).named(OpCode::DefineGlobal, "outer");
    asm.named(OpCode::GetGlobal, "outer");
    asm.op1(OpCode::Call, 0)
        .op1(OpCode::Call, 0)
        .op1(OpCode::Call, 0);
    asm.op(OpCode::Pop);
    expect_output(&asm.script(), "outer\n");
}

#[test]
fn recursion_runs_in_one_dispatch_loop() {
    // fun fib(n) { if (n < 2) return n; return fib(n - 2) + fib(n - 1); }
    let mut fib = Asm::new();
    fib.op1(OpCode::GetLocal, 1).number(2.0).op(OpCode::Less);
    let skip = fib.jump(OpCode::JumpIfFalse);
    fib.op(OpCode::Pop)
        .op1(OpCode::GetLocal, 1)
        .op(OpCode::Return);
    fib.patch(skip).op(OpCode::Pop);
    for minus in [2.0, 1.0] {
        fib.named(OpCode::GetGlobal, "fib");
        fib.op1(OpCode::GetLocal, 1)
            .number(minus)
            .op(OpCode::Subtract);
        fib.op1(OpCode::Call, 1);
    }
    fib.op(OpCode::Add).op(OpCode::Return).ret_nil();
    let fib = fib.function("fib", FunctionKind::Function, 1, 0);

    let mut asm = Asm::new();
    asm.closure(fib, &[]).named(OpCode::DefineGlobal, "fib");
    asm.named(OpCode::GetGlobal, "fib")
        .number(15.0)
        .op1(OpCode::Call, 1);
    asm.op(OpCode::Print);
    expect_output(&asm.script(), "610\n");
}

#[test]
fn local_functions_capture_their_own_slot_to_recurse() {
    // { fun count(n) { if (n > 0) { print n; count(n - 1); } } count(3); }
    let mut count = Asm::new();
    count
        .op1(OpCode::GetLocal, 1)
        .number(0.0)
        .op(OpCode::Greater);
    let skip = count.jump(OpCode::JumpIfFalse);
    count
        .op(OpCode::Pop)
        .op1(OpCode::GetLocal, 1)
        .op(OpCode::Print);
    count.op1(OpCode::GetUpvalue, 0).op1(OpCode::GetLocal, 1);
    count.number(1.0).op(OpCode::Subtract).op1(OpCode::Call, 1);
    count.op(OpCode::Pop);
    let end = count.jump(OpCode::Jump);
    count.patch(skip).op(OpCode::Pop).patch(end).ret_nil();
    let count = count.function("count", FunctionKind::Function, 1, 1);

    let mut asm = Asm::new();
    // The closure captures slot 1, which it is itself about to occupy.
    asm.closure(count, &[(true, 1)]);
    asm.op1(OpCode::GetLocal, 1)
        .number(3.0)
        .op1(OpCode::Call, 1);
    asm.op(OpCode::Pop).op(OpCode::CloseUpvalue);
    expect_output(&asm.script(), "3\n2\n1\n");
}
