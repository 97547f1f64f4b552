//! Code generation tests through [`check`]: the disassembly of small programs,
//! and the limits that belong to bytecode.

use std::fmt::Write;

use bumplox_diagnostics::{render, ErrorFormat, RenderOptions};
use bumplox_source::SourceFile;
use bumplox_tree::BumpBuilder;

/// Compiles `src` and returns its disassembly, or its errors in the book's format.
fn compile_text(src: &str) -> String {
    let file = SourceFile::new("test.lox", src).expect("small");
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump));
    let (resolution, diagnostics) =
        bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    assert!(
        !parse.has_errors() && diagnostics.is_empty(),
        "test programs must be valid"
    );
    match crate::compile(&parse.program, &resolution, &file) {
        Ok(script) => bumplox_bytecode::disassemble(&script),
        Err(errors) => {
            let options = RenderOptions {
                format: ErrorFormat::Lox,
                color: false,
            };
            render(&file, &errors, options)
        }
    }
}

macro_rules! check {
    ($src:expr, @$expect:literal) => {
        insta::assert_snapshot!(compile_text($src), @$expect)
    };
}

#[test]
fn globals_arithmetic_and_print() {
    check!("var a = 1;\nprint a + 2 * -a;", @"
    == <script> ==
    0000    1 OP_CONSTANT         1 '1'
    0002    | OP_DEFINE_GLOBAL    0 'a'
    0004    2 OP_GET_GLOBAL       0 'a'
    0006    | OP_CONSTANT         2 '2'
    0008    | OP_GET_GLOBAL       0 'a'
    0010    | OP_NEGATE
    0011    | OP_MULTIPLY
    0012    | OP_ADD
    0013    | OP_PRINT
    0014    | OP_NIL
    0015    | OP_RETURN
    ");
}

#[test]
fn comparisons_without_their_own_opcodes_negate() {
    check!("print 1 <= 2; print 1 >= 2; print 1 != 2;", @"
    == <script> ==
    0000    1 OP_CONSTANT         0 '1'
    0002    | OP_CONSTANT         1 '2'
    0004    | OP_GREATER
    0005    | OP_NOT
    0006    | OP_PRINT
    0007    | OP_CONSTANT         2 '1'
    0009    | OP_CONSTANT         3 '2'
    0011    | OP_LESS
    0012    | OP_NOT
    0013    | OP_PRINT
    0014    | OP_CONSTANT         4 '1'
    0016    | OP_CONSTANT         5 '2'
    0018    | OP_EQUAL
    0019    | OP_NOT
    0020    | OP_PRINT
    0021    | OP_NIL
    0022    | OP_RETURN
    ");
}

#[test]
fn locals_and_blocks_pop_their_slots() {
    check!("{ var a = 1; { var b = a; print b; } }", @"
    == <script> ==
    0000    1 OP_CONSTANT         0 '1'
    0002    | OP_GET_LOCAL        1
    0004    | OP_GET_LOCAL        2
    0006    | OP_PRINT
    0007    | OP_POP
    0008    | OP_POP
    0009    | OP_NIL
    0010    | OP_RETURN
    ");
}

#[test]
fn logical_operators_short_circuit() {
    check!("print nil and 1 or 2;", @"
    == <script> ==
    0000    1 OP_NIL
    0001    | OP_JUMP_IF_FALSE    1 -> 7
    0004    | OP_POP
    0005    | OP_CONSTANT         0 '1'
    0007    | OP_JUMP_IF_FALSE    7 -> 13
    0010    | OP_JUMP            10 -> 16
    0013    | OP_POP
    0014    | OP_CONSTANT         1 '2'
    0016    | OP_PRINT
    0017    | OP_NIL
    0018    | OP_RETURN
    ");
}

#[test]
fn if_chains_and_loops_jump() {
    check!("var i = 0; while (i < 2) i = i + 1; if (i == 0) print 0; else if (i == 1) print 1; else print 2;", @"
    == <script> ==
    0000    1 OP_CONSTANT         1 '0'
    0002    | OP_DEFINE_GLOBAL    0 'i'
    0004    | OP_GET_GLOBAL       0 'i'
    0006    | OP_CONSTANT         2 '2'
    0008    | OP_LESS
    0009    | OP_JUMP_IF_FALSE    9 -> 24
    0012    | OP_POP
    0013    | OP_GET_GLOBAL       0 'i'
    0015    | OP_CONSTANT         3 '1'
    0017    | OP_ADD
    0018    | OP_SET_GLOBAL       0 'i'
    0020    | OP_POP
    0021    | OP_LOOP            21 -> 4
    0024    | OP_POP
    0025    | OP_GET_GLOBAL       0 'i'
    0027    | OP_CONSTANT         4 '0'
    0029    | OP_EQUAL
    0030    | OP_JUMP_IF_FALSE   30 -> 40
    0033    | OP_POP
    0034    | OP_CONSTANT         5 '0'
    0036    | OP_PRINT
    0037    | OP_JUMP            37 -> 60
    0040    | OP_POP
    0041    | OP_GET_GLOBAL       0 'i'
    0043    | OP_CONSTANT         6 '1'
    0045    | OP_EQUAL
    0046    | OP_JUMP_IF_FALSE   46 -> 56
    0049    | OP_POP
    0050    | OP_CONSTANT         7 '1'
    0052    | OP_PRINT
    0053    | OP_JUMP            53 -> 60
    0056    | OP_POP
    0057    | OP_CONSTANT         8 '2'
    0059    | OP_PRINT
    0060    | OP_NIL
    0061    | OP_RETURN
    ");
}

#[test]
fn closures_capture_and_close_upvalues() {
    check!("fun make() { var n = 0; fun inc() { n = n + 1; return n; } return inc; }", @"
    == <script> ==
    0000    1 OP_CLOSURE          1 <fn make>
    0002    | OP_DEFINE_GLOBAL    0 'make'
    0004    | OP_NIL
    0005    | OP_RETURN
    == make ==
    0000    1 OP_CONSTANT         0 '0'
    0002    | OP_CLOSURE          1 <fn inc>
    0004      |                     local 1
    0006    | OP_GET_LOCAL        2
    0008    | OP_RETURN
    0009    | OP_NIL
    0010    | OP_RETURN
    == inc ==
    0000    1 OP_GET_UPVALUE      0
    0002    | OP_CONSTANT         0 '1'
    0004    | OP_ADD
    0005    | OP_SET_UPVALUE      0
    0007    | OP_POP
    0008    | OP_GET_UPVALUE      0
    0010    | OP_RETURN
    0011    | OP_NIL
    0012    | OP_RETURN
    ");
}

#[test]
fn methods_are_invoked_and_super_calls_are_fused() {
    check!("class A { m() { return 1; } } class B < A { m() { return super.m() + this.n(); } }", @"
    == <script> ==
    0000    1 OP_CLASS            0 'A'
    0002    | OP_DEFINE_GLOBAL    0 'A'
    0004    | OP_GET_GLOBAL       0 'A'
    0006    | OP_CLOSURE          2 <fn m>
    0008    | OP_METHOD           1 'm'
    0010    | OP_POP
    0011    | OP_CLASS            3 'B'
    0013    | OP_DEFINE_GLOBAL    3 'B'
    0015    | OP_GET_GLOBAL       0 'A'
    0017    | OP_GET_GLOBAL       3 'B'
    0019    | OP_INHERIT
    0020    | OP_GET_GLOBAL       3 'B'
    0022    | OP_CLOSURE          4 <fn m>
    0024      |                     local 1
    0026    | OP_METHOD           1 'm'
    0028    | OP_POP
    0029    | OP_CLOSE_UPVALUE
    0030    | OP_NIL
    0031    | OP_RETURN
    == m ==
    0000    1 OP_CONSTANT         0 '1'
    0002    | OP_RETURN
    0003    | OP_NIL
    0004    | OP_RETURN
    == m ==
    0000    1 OP_GET_LOCAL        0
    0002    | OP_GET_UPVALUE      0
    0004    | OP_SUPER_INVOKE  (0 args)    0 'm'
    0007    | OP_GET_LOCAL        0
    0009    | OP_INVOKE        (0 args)    1 'n'
    0012    | OP_ADD
    0013    | OP_RETURN
    0014    | OP_NIL
    0015    | OP_RETURN
    ");
}

#[test]
fn a_name_takes_one_constant_however_often_it_is_used() {
    let mut src = String::from("var a = 0;\n");
    for _ in 0..1000 {
        src.push_str("a = a + a;\n");
    }
    let text = compile_text(&src);
    assert!(!text.contains("Error"), "{text}");
}

#[test]
fn too_many_constants_in_one_chunk() {
    let mut src = String::from("fun f() {\n");
    for index in 0..257 {
        let _ = writeln!(src, "  {index};");
    }
    src.push('}');
    assert_eq!(
        compile_text(&src),
        "[line 258] Error at '256': Too many constants in one chunk.\n"
    );
}

#[test]
fn loop_body_too_large() {
    let mut src = String::from("var a = 0;\nwhile (a) {\n");
    for _ in 0..22_000 {
        src.push_str("  a = a;\n");
    }
    src.push_str("}\n");
    assert_eq!(
        compile_text(&src),
        "[line 22003] Error at '}': Loop body too large.\n"
    );
}
