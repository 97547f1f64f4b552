//! Expressions: precedence, associativity and every expression form.

use super::check;

#[test]
fn factor_binds_tighter_than_term() {
    check!("1 + 2 * 3 - 4 / 5;", @"(expr (- (+ 1 (* 2 3)) (/ 4 5)))");
}

#[test]
fn binary_operators_are_left_associative() {
    check!("1 - 2 - 3; 8 / 4 / 2;", @r"
    (expr (- (- 1 2) 3))
    (expr (/ (/ 8 4) 2))
    ");
}

#[test]
fn comparison_binds_tighter_than_equality() {
    check!("a == b < c != d >= e;", @"(expr (!= (== a (< b c)) (>= d e)))");
}

#[test]
fn and_binds_tighter_than_or_and_both_are_left_associative() {
    check!("a or b and c or d; a and b and c;", @r"
    (expr (or (or a (and b c)) d))
    (expr (and (and a b) c))
    ");
}

#[test]
fn assignment_is_right_associative_and_weakest() {
    check!("a = b = c or d;", @"(expr (= a (= b (or c d))))");
}

#[test]
fn unary_operators_nest_and_bind_tighter_than_factor() {
    check!("!-a * -!b;", @"(expr (* (! (- a)) (- (! b))))");
}

#[test]
fn grouping_overrides_precedence() {
    check!("(1 + 2) * 3;", @"(expr (* (group (+ 1 2)) 3))");
}

#[test]
fn calls_and_property_access_chain_left_to_right() {
    check!("a.b(c)(d, e).f;", @"(expr (. (call (call (. a b) c) d e) f))");
}

#[test]
fn property_assignment_is_a_set() {
    check!("a.b.c = d;", @"(expr (.= (. a b) c d))");
}

#[test]
fn literals_keep_their_values() {
    check!(r#"print 1; print 2.5; print "two words"; print true; print false; print nil;"#, @r#"
    (print 1)
    (print 2.5)
    (print "two words")
    (print true)
    (print false)
    (print nil)
    "#);
}

#[test]
fn strings_may_span_lines() {
    check!("print \"a\nb\";", @r#"(print "a\nb")"#);
}

#[test]
fn this_and_super_are_expressions() {
    check!("class A < B { m() { this.x; super.m(1); } }", @r"
    (class A < B
      (fun m ()
        (expr (. this x))
        (expr (call (super m) 1))))
    ");
}

#[test]
fn spans_cover_each_node() {
    let bump = bumpalo::Bump::new();
    let builder = bumplox_tree::BumpBuilder::new(&bump);
    let parse = crate::parse("a + bc * 2;", &builder);
    let options = bumplox_tree::dump::DumpOptions { spans: true };
    insta::assert_snapshot!(
        bumplox_tree::dump::sexpr(&parse.program, options),
        @"(expr@0..11 (+@0..10 a@0..1 (*@4..10 bc@4..6 2@9..10)))"
    );
}
