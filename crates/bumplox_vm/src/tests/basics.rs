//! Expressions, printing, variables and control flow.

use bumplox_bytecode::OpCode;

use super::asm::Asm;
use super::expect_output;
use crate::{Vm, VmOptions};

#[test]
fn arithmetic_comparison_and_printing() {
    let mut asm = Asm::new();
    // print 1 + 2 * 3;
    asm.number(1.0).number(2.0).number(3.0);
    asm.op(OpCode::Multiply).op(OpCode::Add).op(OpCode::Print);
    // print (10 - 4) / 4;
    asm.number(10.0).number(4.0).op(OpCode::Subtract);
    asm.number(4.0).op(OpCode::Divide).op(OpCode::Print);
    // print -3;
    asm.number(3.0).op(OpCode::Negate).op(OpCode::Print);
    // print !nil; print !0;
    asm.op(OpCode::Nil).op(OpCode::Not).op(OpCode::Print);
    asm.number(0.0).op(OpCode::Not).op(OpCode::Print);
    // print 1 < 2; print 2 > 3;
    asm.number(1.0)
        .number(2.0)
        .op(OpCode::Less)
        .op(OpCode::Print);
    asm.number(2.0)
        .number(3.0)
        .op(OpCode::Greater)
        .op(OpCode::Print);
    // print nil; print false;
    asm.op(OpCode::Nil).op(OpCode::Print);
    asm.op(OpCode::False).op(OpCode::Print);
    // print 1 == "1"; print nil == nil;
    asm.number(1.0)
        .string("1")
        .op(OpCode::Equal)
        .op(OpCode::Print);
    asm.op(OpCode::Nil)
        .op(OpCode::Nil)
        .op(OpCode::Equal)
        .op(OpCode::Print);
    // print 1e6; print 1 / 3;
    asm.number(1e6).op(OpCode::Print);
    asm.number(1.0)
        .number(3.0)
        .op(OpCode::Divide)
        .op(OpCode::Print);
    expect_output(
        &asm.script(),
        "7\n1.5\n-3\ntrue\nfalse\ntrue\nfalse\nnil\nfalse\nfalse\ntrue\n1e+06\n0.333333\n",
    );
}

#[test]
fn strings_concatenate_and_are_interned() {
    let mut asm = Asm::new();
    // print "ab" + "cd";
    asm.string("ab")
        .string("cd")
        .op(OpCode::Add)
        .op(OpCode::Print);
    // print "a" + "b" == "ab";  (equality is identity, so this needs interning)
    asm.string("a").string("b").op(OpCode::Add);
    asm.string("ab").op(OpCode::Equal).op(OpCode::Print);
    // print "a" + "b" == "a" + "c";
    asm.string("a").string("b").op(OpCode::Add);
    asm.string("a").string("c").op(OpCode::Add);
    asm.op(OpCode::Equal).op(OpCode::Print);
    expect_output(&asm.script(), "abcd\ntrue\nfalse\n");
}

#[test]
fn globals_are_defined_read_and_assigned() {
    let mut asm = Asm::new();
    // var a = 1; a = a + 1; print a; var a = "again"; print a;
    asm.number(1.0).named(OpCode::DefineGlobal, "a");
    asm.named(OpCode::GetGlobal, "a")
        .number(1.0)
        .op(OpCode::Add);
    asm.named(OpCode::SetGlobal, "a").op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "a").op(OpCode::Print);
    asm.string("again").named(OpCode::DefineGlobal, "a");
    asm.named(OpCode::GetGlobal, "a").op(OpCode::Print);
    // print clock; print clock() >= 0;
    asm.named(OpCode::GetGlobal, "clock").op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "clock").op1(OpCode::Call, 0);
    asm.number(0.0)
        .op(OpCode::Less)
        .op(OpCode::Not)
        .op(OpCode::Print);
    expect_output(&asm.script(), "2\nagain\n<native fn>\ntrue\n");
}

#[test]
fn locals_live_in_frame_slots() {
    let mut asm = Asm::new();
    // { var x = 10; var y = x * 2; x = y + 1; print x; print y; }
    asm.number(10.0);
    asm.op1(OpCode::GetLocal, 1)
        .number(2.0)
        .op(OpCode::Multiply);
    asm.op1(OpCode::GetLocal, 2).number(1.0).op(OpCode::Add);
    asm.op1(OpCode::SetLocal, 1).op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 1).op(OpCode::Print);
    asm.op1(OpCode::GetLocal, 2).op(OpCode::Print);
    asm.op(OpCode::Pop).op(OpCode::Pop);
    expect_output(&asm.script(), "21\n20\n");
}

#[test]
fn jumps_and_loops() {
    let mut asm = Asm::new();
    // for (var i = 0; i < 3; i = i + 1) print i;
    asm.number(0.0);
    let start = asm.here();
    asm.op1(OpCode::GetLocal, 1).number(3.0).op(OpCode::Less);
    let exit = asm.jump(OpCode::JumpIfFalse);
    asm.op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 1).op(OpCode::Print);
    asm.op1(OpCode::GetLocal, 1).number(1.0).op(OpCode::Add);
    asm.op1(OpCode::SetLocal, 1).op(OpCode::Pop);
    asm.loop_to(start);
    asm.patch(exit).op(OpCode::Pop).op(OpCode::Pop);
    // if (false) print "then"; else print "else";
    asm.op(OpCode::False);
    let otherwise = asm.jump(OpCode::JumpIfFalse);
    asm.op(OpCode::Pop).string("then").op(OpCode::Print);
    let end = asm.jump(OpCode::Jump);
    asm.patch(otherwise)
        .op(OpCode::Pop)
        .string("else")
        .op(OpCode::Print);
    asm.patch(end);
    expect_output(&asm.script(), "0\n1\n2\nelse\n");
}

#[test]
fn globals_persist_across_runs_and_after_errors() {
    let mut vm = Vm::new(VmOptions::default());
    let mut out = Vec::new();
    let mut define = Asm::new();
    define.number(42.0).named(OpCode::DefineGlobal, "answer");
    assert_eq!(vm.run(&define.script(), &mut out), Ok(()));

    let mut failing = Asm::new();
    failing.number(1.0).named(OpCode::GetGlobal, "answer");
    failing.string("x").op(OpCode::Negate);
    let error = vm.run(&failing.script(), &mut out);
    assert!(error.is_err());

    let mut read = Asm::new();
    read.named(OpCode::GetGlobal, "answer").op(OpCode::Print);
    assert_eq!(vm.run(&read.script(), &mut out), Ok(()));
    assert_eq!(String::from_utf8_lossy(&out), "42\n");
}

#[test]
fn failed_writes_stop_the_program() {
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _buf: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut asm = Asm::new();
    asm.number(1.0).op(OpCode::Print);
    let script = asm.script();
    let mut vm = Vm::new(VmOptions::default());
    let result = vm.run(&script, &mut Closed);
    let message = result.map_err(|error| error.message);
    assert!(matches!(&message, Err(text) if text.starts_with("Could not write output")));
    // The VM is still usable afterwards.
    let mut out = Vec::new();
    assert_eq!(vm.run(&script, &mut out), Ok(()));
    assert_eq!(out, b"1\n");
}

#[test]
fn strings_built_in_a_loop_stay_interned_across_collections() {
    // var s = ""; for (var i = 0; i < 100; i = i + 1) s = s + "x";
    // print s == "xxx…x"; (a hundred of them, as one constant)
    let mut asm = Asm::new();
    asm.string("").named(OpCode::DefineGlobal, "s");
    asm.number(0.0);
    let start = asm.here();
    asm.op1(OpCode::GetLocal, 1).number(100.0).op(OpCode::Less);
    let exit = asm.jump(OpCode::JumpIfFalse);
    asm.op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "s")
        .string("x")
        .op(OpCode::Add);
    asm.named(OpCode::SetGlobal, "s").op(OpCode::Pop);
    asm.op1(OpCode::GetLocal, 1).number(1.0).op(OpCode::Add);
    asm.op1(OpCode::SetLocal, 1).op(OpCode::Pop);
    asm.loop_to(start);
    asm.patch(exit).op(OpCode::Pop).op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "s").string(&"x".repeat(100));
    asm.op(OpCode::Equal).op(OpCode::Print);
    expect_output(&asm.script(), "true\n");
}
