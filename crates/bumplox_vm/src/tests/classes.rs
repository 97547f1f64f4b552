//! Classes, instances, fields, methods, initializers and inheritance.

use bumplox_bytecode::{FunctionKind, FunctionProto, OpCode};

use super::asm::Asm;
use super::{expect_error, expect_output};

/// `class A { init(x) { this.x = x; } get() { return this.x; } name() { return "A"; } }`
fn class_a(asm: &mut Asm) {
    let mut init = Asm::new();
    init.op1(OpCode::GetLocal, 0).op1(OpCode::GetLocal, 1);
    init.named(OpCode::SetProperty, "x").op(OpCode::Pop);
    init.op1(OpCode::GetLocal, 0).op(OpCode::Return);
    let init = init.function("init", FunctionKind::Initializer, 1, 0);

    let mut get = Asm::new();
    get.op1(OpCode::GetLocal, 0).named(OpCode::GetProperty, "x");
    get.op(OpCode::Return).ret_nil();
    let get = get.function("get", FunctionKind::Method, 0, 0);

    let mut name = Asm::new();
    name.string("A").op(OpCode::Return).ret_nil();
    let name = name.function("name", FunctionKind::Method, 0, 0);

    asm.named(OpCode::Class, "A")
        .named(OpCode::DefineGlobal, "A");
    asm.named(OpCode::GetGlobal, "A");
    define_method(asm, init, 0);
    define_method(asm, get, 0);
    define_method(asm, name, 0);
    asm.op(OpCode::Pop);
}

/// Emits a method over `proto`; `supers` is 1 when it captures `super`, which
/// the script holds in local slot 1.
fn define_method(asm: &mut Asm, proto: FunctionProto, supers: u8) {
    let name = proto.name.to_string();
    match supers {
        0 => asm.closure(proto, &[]),
        _ => asm.closure(proto, &[(true, 1)]),
    };
    asm.named(OpCode::Method, &name);
}

/// `class B < A { init(x) { super.init(x * 2); } get() { return super.get() + 1; } }`
fn class_b(asm: &mut Asm) {
    let mut init = Asm::new();
    init.op1(OpCode::GetLocal, 0);
    init.op1(OpCode::GetLocal, 1)
        .number(2.0)
        .op(OpCode::Multiply);
    init.op1(OpCode::GetUpvalue, 0)
        .invoke(OpCode::SuperInvoke, "init", 1);
    init.op(OpCode::Pop)
        .op1(OpCode::GetLocal, 0)
        .op(OpCode::Return);
    let init = init.function("init", FunctionKind::Initializer, 1, 1);

    let mut get = Asm::new();
    get.op1(OpCode::GetLocal, 0).op1(OpCode::GetUpvalue, 0);
    get.named(OpCode::GetSuper, "get").op1(OpCode::Call, 0);
    get.number(1.0).op(OpCode::Add).op(OpCode::Return).ret_nil();
    let get = get.function("get", FunctionKind::Method, 0, 1);

    asm.named(OpCode::Class, "B")
        .named(OpCode::DefineGlobal, "B");
    // The superclass becomes the local `super` (slot 1) for the class body.
    asm.named(OpCode::GetGlobal, "A");
    asm.named(OpCode::GetGlobal, "B").op(OpCode::Inherit);
    asm.named(OpCode::GetGlobal, "B");
    define_method(asm, init, 1);
    define_method(asm, get, 1);
    asm.op(OpCode::Pop).op(OpCode::CloseUpvalue);
}

#[test]
fn classes_with_fields_methods_initializers_and_inheritance() {
    let mut asm = Asm::new();
    class_a(&mut asm);
    class_b(&mut asm);
    // var b = B(5);
    asm.named(OpCode::GetGlobal, "B")
        .number(5.0)
        .op1(OpCode::Call, 1);
    asm.named(OpCode::DefineGlobal, "b");
    // print b.get(); print b.x; print b; print B; print b.name();
    asm.named(OpCode::GetGlobal, "b")
        .invoke(OpCode::Invoke, "get", 0);
    asm.op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "b")
        .named(OpCode::GetProperty, "x");
    asm.op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "b").op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "B").op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "b")
        .invoke(OpCode::Invoke, "name", 0);
    asm.op(OpCode::Print);
    // var m = b.get; print m(); print m;
    asm.named(OpCode::GetGlobal, "b")
        .named(OpCode::GetProperty, "get");
    asm.named(OpCode::DefineGlobal, "m");
    asm.named(OpCode::GetGlobal, "m")
        .op1(OpCode::Call, 0)
        .op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "m").op(OpCode::Print);
    // b.f = A; print b.f(3).x;  (a field shadows methods, even when invoked)
    asm.named(OpCode::GetGlobal, "b")
        .named(OpCode::GetGlobal, "A");
    asm.named(OpCode::SetProperty, "f").op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "b").number(3.0);
    asm.invoke(OpCode::Invoke, "f", 1)
        .named(OpCode::GetProperty, "x");
    asm.op(OpCode::Print);
    // print A(1).get(); print A(7).init();  (init returns this)
    asm.named(OpCode::GetGlobal, "A")
        .number(1.0)
        .op1(OpCode::Call, 1);
    asm.invoke(OpCode::Invoke, "get", 0).op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "A")
        .number(7.0)
        .op1(OpCode::Call, 1);
    asm.number(8.0)
        .invoke(OpCode::Invoke, "init", 1)
        .op(OpCode::Print);
    expect_output(
        &asm.script(),
        "11\n10\nB instance\nB\nA\n11\n<fn get>\n3\n1\nA instance\n",
    );
}

#[test]
fn fields_can_be_set_and_replaced() {
    let mut asm = Asm::new();
    // class P {} var p = P(); p.a = 1; p.a = p.a + 1; p.b = "x"; print p.a; print p.b;
    asm.named(OpCode::Class, "P")
        .named(OpCode::DefineGlobal, "P");
    asm.named(OpCode::GetGlobal, "P").op1(OpCode::Call, 0);
    asm.named(OpCode::DefineGlobal, "p");
    asm.named(OpCode::GetGlobal, "p").number(1.0);
    asm.named(OpCode::SetProperty, "a").op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "p");
    asm.named(OpCode::GetGlobal, "p")
        .named(OpCode::GetProperty, "a");
    asm.number(1.0)
        .op(OpCode::Add)
        .named(OpCode::SetProperty, "a");
    asm.op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "p").string("x");
    asm.named(OpCode::SetProperty, "b").op(OpCode::Pop);
    asm.named(OpCode::GetGlobal, "p")
        .named(OpCode::GetProperty, "a");
    asm.op(OpCode::Print);
    asm.named(OpCode::GetGlobal, "p")
        .named(OpCode::GetProperty, "b");
    asm.op(OpCode::Print);
    expect_output(&asm.script(), "2\n2\nx\n");
}

#[test]
fn calling_a_class_without_init_with_arguments_fails() {
    let mut asm = Asm::new();
    asm.named(OpCode::Class, "P")
        .named(OpCode::DefineGlobal, "P");
    asm.line(4)
        .named(OpCode::GetGlobal, "P")
        .number(1.0)
        .number(2.0);
    asm.op1(OpCode::Call, 2);
    expect_error(
        &asm.script(),
        "Expected 0 arguments but got 2.\n[line 4] in script",
    );
}
