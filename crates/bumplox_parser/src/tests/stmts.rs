//! Statements and declarations: every form, and how they nest.

use super::check;

#[test]
fn variable_declarations_with_and_without_initializer() {
    check!("var a; var b = 1 + 2;", @r"
    (var a)
    (var b (+ 1 2))
    ");
}

#[test]
fn blocks_nest() {
    check!("{ var a = 1; { print a; } }", @r"
    (block
      (var a 1)
      (block
        (print a)))
    ");
}

#[test]
fn else_if_chains_are_flat() {
    check!("if (a) print 1; else if (b) print 2; else if (c) print 3; else print 4;", @r"
    (if
      (branch a
        (print 1))
      (branch b
        (print 2))
      (branch c
        (print 3))
      (else
        (print 4)))
    ");
}

#[test]
fn dangling_else_belongs_to_the_nearest_if() {
    check!("if (a) if (b) print 1; else print 2;", @r"
    (if
      (branch a
        (if
          (branch b
            (print 1))
          (else
            (print 2)))))
    ");
}

#[test]
fn while_loops() {
    check!("while (i < 10) i = i + 1;", @r"
    (while (< i 10)
      (expr (= i (+ i 1))))
    ");
}

#[test]
fn for_loops_with_every_clause_optional() {
    check!("for (var i = 0; i < 3; i = i + 1) print i; for (;;) {} for (i = 0; ; ) print i;", @r"
    (for (var i 0) (< i 3) (= i (+ i 1))
      (print i))
    (for _ _ _
      (block))
    (for (expr (= i 0)) _ _
      (print i))
    ");
}

#[test]
fn functions_with_parameters_and_returns() {
    check!("fun add(a, b) { return a + b; } fun nothing() { return; }", @r"
    (fun add (a b)
      (return (+ a b)))
    (fun nothing ()
      (return))
    ");
}

#[test]
fn classes_with_superclass_and_methods() {
    check!("class B < A { init(x) { this.x = x; } get() { return super.get(); } }", @r"
    (class B < A
      (fun init (x)
        (expr (.= this x x)))
      (fun get ()
        (return (call (super get)))))
    ");
}

#[test]
fn an_empty_program_has_no_statements() {
    check!("// nothing but a comment\n", @"");
}
