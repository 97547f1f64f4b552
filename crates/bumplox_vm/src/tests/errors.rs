//! Runtime errors: every message, and the trace that follows it.

use bumplox_bytecode::{FunctionKind, OpCode};

use super::asm::Asm;
use super::{expect_error, run_both, run_with};
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
            span: None,
        };
        let in_script = TraceFrame {
            line: 3,
            function: None,
            span: None,
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

/// A frame's span as its start and end offsets, if it has one.
type Place = Option<(u32, u32)>;

/// The spans and labels of an error's frames, innermost first.
fn places(error: &crate::RuntimeError) -> (Option<&str>, Vec<Place>) {
    let spans = error
        .trace
        .iter()
        .map(|frame| frame.span.map(|span| (span.start, span.end)))
        .collect();
    (error.label.as_deref(), spans)
}

#[test]
fn frames_carry_the_span_of_their_operation_and_a_label() {
    // fun f() { return -"x"; }  called from the script: each frame points at
    // the span marked for the instruction it was executing.
    let mut f = Asm::new();
    f.span(10, 11).string("x").span(20, 21).op(OpCode::Negate);
    f.op(OpCode::Return);
    let f = f.function("f", FunctionKind::Function, 0, 0);
    let mut asm = Asm::new();
    asm.span(0, 5)
        .closure(f, &[])
        .named(OpCode::DefineGlobal, "f");
    asm.span(30, 33)
        .named(OpCode::GetGlobal, "f")
        .span(30, 34)
        .op1(OpCode::Call, 0);
    let (_, result) = run_both(&asm.script());
    let error = result.expect_err("negating a string fails");
    assert_eq!(
        places(&error),
        (
            Some("the operand is a string"),
            vec![Some((20, 21)), Some((30, 34))]
        )
    );
}

#[test]
fn a_full_stack_points_at_no_operation() {
    // More constants than one frame's slots: the push that overflows is no
    // operation's fault, so the marked `+` before it is not blamed.
    let mut asm = Asm::new();
    asm.span(3, 4).number(1.0).number(2.0).op(OpCode::Add);
    for _ in 0..300 {
        asm.op(OpCode::Nil);
    }
    let options = VmOptions {
        max_frames: 1,
        ..VmOptions::default()
    };
    let (_, result) = run_with(options, &asm.script());
    let error = result.expect_err("the stack overflows");
    assert_eq!(error.message, "Stack overflow.");
    assert_eq!(error.trace[0].span, None);
}

#[test]
fn frames_of_an_earlier_run_carry_no_span() {
    // The REPL runs each line as its own script; a function defined by an
    // earlier line has spans into that line's text, not the running one.
    let mut vm = crate::Vm::new(VmOptions::default());
    let mut out = Vec::new();
    let mut f = Asm::new();
    f.span(10, 11)
        .op(OpCode::Nil)
        .op(OpCode::Negate)
        .op(OpCode::Return);
    let f = f.function("f", FunctionKind::Function, 0, 0);
    let mut define = Asm::new();
    define.closure(f, &[]).named(OpCode::DefineGlobal, "f");
    assert_eq!(vm.run(&define.script(), &mut out), Ok(()));
    let mut call = Asm::new();
    call.span(0, 3)
        .named(OpCode::GetGlobal, "f")
        .op1(OpCode::Call, 0);
    let error = vm.run(&call.script(), &mut out).expect_err("f fails");
    assert_eq!(
        places(&error),
        (Some("the operand is nil"), vec![None, Some((0, 3))])
    );
}
