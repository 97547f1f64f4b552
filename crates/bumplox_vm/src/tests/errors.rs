//! Runtime errors: every message, and the trace that follows it.

use bumplox_bytecode::{FunctionKind, OpCode};

use super::asm::Asm;
use super::{expect_error, run_with};
use crate::{TraceFrame, VmOptions};

/// A script that runs `emit` on line 3, after defining `class C {}`, a global
/// `c = C()` and a global `n = 1`.
fn fails_with(emit: impl FnOnce(&mut Asm), expected: &str) {
    let mut asm = Asm::new();
    asm.named(OpCode::Class, "C")
        .named(OpCode::DefineGlobal, "C");
    asm.named(OpCode::GetGlobal, "C").op1(OpCode::Call, 0);
    asm.named(OpCode::DefineGlobal, "c");
    asm.number(1.0).named(OpCode::DefineGlobal, "n");
    asm.line(3);
    emit(&mut asm);
    expect_error(&asm.script(), &format!("{expected}\n[line 3] in script"));
}

#[test]
fn operand_errors() {
    fails_with(
        |asm| {
            asm.string("a").op(OpCode::Negate);
        },
        "Operand must be a number.",
    );
    for op in [
        OpCode::Subtract,
        OpCode::Multiply,
        OpCode::Divide,
        OpCode::Less,
        OpCode::Greater,
    ] {
        fails_with(
            |asm| {
                asm.number(1.0).string("a").op(op);
            },
            "Operands must be numbers.",
        );
    }
    fails_with(
        |asm| {
            asm.number(1.0).string("a").op(OpCode::Add);
        },
        "Operands must be two numbers or two strings.",
    );
}

#[test]
fn variable_and_property_errors() {
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "nope");
        },
        "Undefined variable 'nope'.",
    );
    fails_with(
        |asm| {
            asm.number(1.0).named(OpCode::SetGlobal, "nope");
        },
        "Undefined variable 'nope'.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "c")
                .named(OpCode::GetProperty, "nope");
        },
        "Undefined property 'nope'.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "c")
                .invoke(OpCode::Invoke, "nope", 0);
        },
        "Undefined property 'nope'.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "n")
                .named(OpCode::GetProperty, "x");
        },
        "Only instances have properties.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "n").number(2.0);
            asm.named(OpCode::SetProperty, "x");
        },
        "Only instances have fields.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "C")
                .invoke(OpCode::Invoke, "x", 0);
        },
        "Only instances have methods.",
    );
}

#[test]
fn call_errors() {
    fails_with(
        |asm| {
            asm.string("a").op1(OpCode::Call, 0);
        },
        "Can only call functions and classes.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "c").op1(OpCode::Call, 0);
        },
        "Can only call functions and classes.",
    );
    fails_with(
        |asm| {
            let mut f = Asm::new();
            f.ret_nil();
            asm.closure(f.function("f", FunctionKind::Function, 1, 0), &[]);
            asm.op1(OpCode::Call, 0);
        },
        "Expected 1 arguments but got 0.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "clock").op(OpCode::Nil);
            asm.op1(OpCode::Call, 1);
        },
        "Expected 0 arguments but got 1.",
    );
    fails_with(
        |asm| {
            asm.named(OpCode::GetGlobal, "n")
                .named(OpCode::GetGlobal, "C");
            asm.op(OpCode::Inherit);
        },
        "Superclass must be a class.",
    );
}

#[test]
fn the_trace_lists_every_frame_innermost_first() {
    // fun foo() { return -"x"; }   (line 2)
    let mut foo = Asm::new();
    foo.line(2)
        .string("x")
        .op(OpCode::Negate)
        .op(OpCode::Return)
        .ret_nil();
    let foo = foo.function("foo", FunctionKind::Function, 0, 0);
    // fun bar() {
    //   foo();                     (line 5)
    // }
    let mut bar = Asm::new();
    bar.line(4).op(OpCode::Nil).op(OpCode::Pop);
    bar.line(5)
        .named(OpCode::GetGlobal, "foo")
        .op1(OpCode::Call, 0);
    bar.line(6).op(OpCode::Pop).ret_nil();
    let bar = bar.function("bar", FunctionKind::Function, 0, 0);

    let mut asm = Asm::new();
    asm.closure(foo, &[]).named(OpCode::DefineGlobal, "foo");
    asm.closure(bar, &[]).named(OpCode::DefineGlobal, "bar");
    asm.line(7)
        .named(OpCode::GetGlobal, "bar")
        .op1(OpCode::Call, 0);
    asm.line(8).op(OpCode::Pop);
    expect_error(
        &asm.script(),
        "Operand must be a number.\n[line 2] in foo()\n[line 5] in bar()\n[line 7] in script",
    );
}

#[test]
fn deep_recursion_overflows_at_max_frames() {
    // fun f() { f(); } f();
    let mut f = Asm::new();
    f.line(2).named(OpCode::GetGlobal, "f").op1(OpCode::Call, 0);
    f.op(OpCode::Pop).ret_nil();
    let f = f.function("f", FunctionKind::Function, 0, 0);
    let mut asm = Asm::new();
    asm.closure(f, &[]).named(OpCode::DefineGlobal, "f");
    asm.line(3)
        .named(OpCode::GetGlobal, "f")
        .op1(OpCode::Call, 0);
    let script = asm.script();

    for max_frames in [64, 1024] {
        let options = VmOptions {
            max_frames,
            ..VmOptions::default()
        };
        let (_, result) = run_with(options, &script);
        let Err(error) = result else {
            panic!("expected a stack overflow");
        };
        assert_eq!(error.message, "Stack overflow.");
        assert_eq!(error.trace.len(), max_frames);
        let in_f = TraceFrame {
            line: 2,
            function: Some("f".to_owned()),
        };
        let in_script = TraceFrame {
            line: 3,
            function: None,
        };
        assert_eq!(error.trace.first(), Some(&in_f));
        assert_eq!(error.trace.last(), Some(&in_script));
    }
}

#[test]
fn growing_past_the_heap_limit_is_out_of_memory() {
    // var s = "xxxxxxxx"; while (true) s = s + s;
    let mut asm = Asm::new();
    asm.string("xxxxxxxx").named(OpCode::DefineGlobal, "s");
    let start = asm.here();
    asm.line(2)
        .named(OpCode::GetGlobal, "s")
        .named(OpCode::GetGlobal, "s");
    asm.op(OpCode::Add)
        .named(OpCode::SetGlobal, "s")
        .op(OpCode::Pop);
    asm.loop_to(start);
    let script = asm.script();
    for gc_stress in [false, true] {
        let options = VmOptions {
            gc_stress,
            max_heap_bytes: 256 * 1024,
            ..VmOptions::default()
        };
        let (_, result) = run_with(options, &script);
        let message = result.map_err(|error| error.to_string());
        assert_eq!(
            message,
            Err("Out of memory.\n[line 2] in script".to_owned())
        );
    }
}

#[test]
fn a_live_heap_past_the_limit_is_out_of_memory() {
    // class C {} var c = nil; var key = "k";
    // while (true) { key = key + "k"; var n = C(); n.next = c; n.key = key; c = n; }
    let mut asm = Asm::new();
    asm.named(OpCode::Class, "C")
        .named(OpCode::DefineGlobal, "C");
    asm.op(OpCode::Nil).named(OpCode::DefineGlobal, "c");
    asm.string("k").named(OpCode::DefineGlobal, "key");
    let start = asm.here();
    asm.named(OpCode::GetGlobal, "key")
        .string("k")
        .op(OpCode::Add);
    asm.named(OpCode::SetGlobal, "key").op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "C").op1(OpCode::Call, 0);
    asm.named(OpCode::DefineGlobal, "n");
    for (field, value) in [("next", "c"), ("key", "key")] {
        asm.named(OpCode::GetGlobal, "n")
            .named(OpCode::GetGlobal, value);
        asm.named(OpCode::SetProperty, field).op(OpCode::Pop);
    }
    asm.named(OpCode::GetGlobal, "n")
        .named(OpCode::SetGlobal, "c");
    asm.op(OpCode::Pop).loop_to(start);
    let script = asm.script();
    for gc_stress in [false, true] {
        let options = VmOptions {
            gc_stress,
            max_heap_bytes: 512 * 1024,
            ..VmOptions::default()
        };
        let (_, result) = run_with(options, &script);
        let message = result.map_err(|error| error.message);
        assert_eq!(message, Err("Out of memory.".to_owned()));
    }
}
