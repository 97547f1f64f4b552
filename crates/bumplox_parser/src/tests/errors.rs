//! Syntax errors: every message, its location, and recovery at statement
//! boundaries so that independent errors are all reported.

use super::check;

#[test]
fn expect_expression() {
    check!("print ;", @r"
    (print <error>)
    [line 1] Error at ';': Expect expression.
    ");
}

#[test]
fn missing_semicolons() {
    check!("print 1\nvar a = 1\na\nfun f() { return 1 }\n", @"
    (print 1)
    (var a 1)
    (fun f ()
      (return 1))
    [line 2] Error at 'var': Expect ';' after value.
    [line 3] Error at 'a': Expect ';' after variable declaration.
    [line 4] Error at '}': Expect ';' after return value.
    [line 5] Error at end: Expect '}' after block.
    ");
}

#[test]
fn missing_closers_are_reported_at_the_end() {
    check!("{ (1", @"
    (block
      (expr (group 1)))
    [line 1] Error at end: Expect ')' after expression.
    [line 1] Error at end: Expect '}' after block.
    ");
}

#[test]
fn invalid_assignment_target() {
    check!("a + b = c; (a) = 1;", @r"
    (expr (+ a b))
    (expr (group a))
    [line 1] Error at '=': Invalid assignment target.
    [line 1] Error at '=': Invalid assignment target.
    ");
}

#[test]
fn declaration_names_are_required() {
    // A declaration without a name is still made, named by the token before
    // it, as the book's compiler does (it counts towards the limits, and a
    // function's body is compiled).
    check!("var 1; fun (); class {} class A < {}", @"
    (var <missing>)
    (fun <missing> ()
      (expr <error>)
      (class <missing>)
      (class A))
    [line 1] Error at '1': Expect variable name.
    [line 1] Error at '(': Expect function name.
    [line 1] Error at '{': Expect class name.
    [line 1] Error at '{': Expect superclass name.
    [line 1] Error at end: Expect '}' after block.
    ");
}

#[test]
fn control_flow_punctuation() {
    check!("if a) x; while (a x; for a;;) x;", @"
    (if
      (branch a
        (expr x)))
    (while a
      (expr x))
    (for (expr a) _ _
      (expr x))
    [line 1] Error at 'a': Expect '(' after 'if'.
    [line 1] Error at 'x': Expect ')' after condition.
    [line 1] Error at 'a': Expect '(' after 'for'.
    ");
}

#[test]
fn for_clause_punctuation() {
    check!("for (var i = 0; i < 1 i) {}\nfor (;; i", @"
    (for (var i 0) (< i 1) i
      (block))
    (for _ _ i
      (expr <error>))
    [line 1] Error at 'i': Expect ';' after loop condition.
    [line 2] Error at end: Expect ')' after for clauses.
    ");
}

#[test]
fn function_punctuation() {
    check!("fun f a) {}\nfun g(a b) {}\nfun h() x\nfun i(1) {}", @"
    (fun f (a))
    (fun g (a)
      (expr b)
      (fun h ()
        (expr x)
        (fun i (<missing>)
          (expr 1))))
    [line 1] Error at 'a': Expect '(' after function name.
    [line 2] Error at 'b': Expect ')' after parameters.
    [line 3] Error at 'x': Expect '{' before function body.
    [line 4] Error at '1': Expect parameter name.
    [line 4] Error at end: Expect '}' after block.
    [line 4] Error at end: Expect '}' after block.
    [line 4] Error at end: Expect '}' after block.
    ");
}

#[test]
fn class_punctuation() {
    check!("class A x\nclass B { 1 }\nclass C { m() {}", @"
    (class A
      (fun x (<missing>)
        (class B
          (fun <missing> (<missing>)
            (expr 1)
            (class C
              (fun m ()))))))
    [line 1] Error at 'x': Expect '{' before class body.
    [line 3] Error at end: Expect '}' after class body.
    [line 3] Error at end: Expect '}' after block.
    [line 3] Error at end: Expect '}' after block.
    ");
}

#[test]
fn property_and_super_punctuation() {
    check!("a.1;\nclass A < B {\n  m() {\n    super;\n    super.;\n  }\n}", @r"
    (expr <error>)
    (class A < B
      (fun m ()
        (expr <error>)
        (expr <error>)))
    [line 1] Error at '1': Expect property name after '.'.
    [line 4] Error at ';': Expect '.' after 'super'.
    [line 5] Error at ';': Expect superclass method name.
    ");
}

#[test]
fn call_punctuation() {
    check!("f(1, 2;", @r"
    (expr (call f 1 2))
    [line 1] Error at ';': Expect ')' after arguments.
    ");
}

#[test]
fn lexical_errors_use_the_plain_form() {
    check!("print 1 | 2;\nprint \"open", @"
    (print 1)
    (print <error>)
    [line 1] Error: Unexpected character.
    [line 2] Error: Unterminated string.
    ");
}

#[test]
fn a_class_cannot_inherit_from_itself() {
    check!("class A < A {}", @r"
    (class A < A)
    [line 1] Error at 'A': A class can't inherit from itself.
    ");
}

#[test]
fn too_many_parameters_and_arguments() {
    let params: Vec<String> = (0..256).map(|index| format!("p{index}")).collect();
    let args: Vec<String> = (0..256).map(|index| index.to_string()).collect();
    let errors = |src: String| -> Vec<String> {
        let rendered = super::render_parse(&src);
        rendered
            .lines()
            .filter(|line| line.starts_with('['))
            .map(String::from)
            .collect()
    };
    assert_eq!(
        errors(format!("fun f({}) {{}}", params.join(", "))),
        ["[line 1] Error at 'p255': Can't have more than 255 parameters."]
    );
    assert_eq!(
        errors(format!("f({});", args.join(", "))),
        ["[line 1] Error at '255': Can't have more than 255 arguments."]
    );
    // One fewer of each is fine.
    assert_eq!(
        errors(format!("fun f({}) {{}}", params[..255].join(", "))),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(format!("f({});", args[..255].join(", "))),
        Vec::<String>::new()
    );
}

#[test]
fn errors_stop_after_the_limit_and_are_counted() {
    let src = "print ;\n".repeat(crate::MAX_ERRORS + 5);
    let bump = bumpalo::Bump::new();
    let builder = bumplox_tree::BumpBuilder::new(&bump);
    let parse = crate::parse(&src, &builder);
    assert_eq!(parse.diagnostics.len(), crate::MAX_ERRORS + 1);
    let last = parse
        .diagnostics
        .last()
        .map(|diagnostic| diagnostic.message.as_str());
    assert_eq!(
        last,
        Some("5 more syntax errors were not shown (only the first 100 are)")
    );
}

/// The book leaves panic mode before it skips to the next statement, so the
/// first lexical error among the skipped tokens is reported too, and the next
/// statement is then parsed still in panic mode.
#[test]
fn lexical_errors_met_while_recovering_are_reported() {
    check!("print 1 2 \"abc\n", @"
    (print 1)
    [line 1] Error at '2': Expect ';' after value.
    [line 2] Error: Unterminated string.
    ");
    check!("print 1 2 @ #;\nprint 3 4;\nprint 5 6;\n", @"
    (print 1)
    (print 3)
    (print 5)
    [line 1] Error at '2': Expect ';' after value.
    [line 1] Error: Unexpected character.
    [line 3] Error at '6': Expect ';' after value.
    ");
}

/// The static errors the book's compiler finds while parsing (`return` at the
/// top level or with a value in `init`, `this` and `super` outside a class or
/// `super` without a superclass) put the parser into panic mode like a syntax
/// error: the syntax error that follows in the same statement is not reported.
#[test]
fn static_errors_suppress_the_syntax_errors_after_them() {
    check!("super 1;\nprint this.;\nreturn (;\nclass A { init() { return (; } m() { super.; } }", @r"
    (expr <error>)
    (print <error>)
    (return (group <error>))
    (class A
      (fun init ()
        (return (group <error>)))
      (fun m ()
        (expr <error>)))
    [line 1] Error at 'super': Can't use 'super' outside of a class.
    [line 2] Error at 'this': Can't use 'this' outside of a class.
    [line 3] Error at 'return': Can't return from top-level code.
    [line 4] Error at 'return': Can't return a value from an initializer.
    [line 4] Error at 'super': Can't use 'super' in a class with no superclass.
    ");
}

/// A static error found while parsing also makes the parser resynchronize at
/// the end of its declaration, which skips tokens when the declaration does
/// not end with `;`, as the book's compiler does.
#[test]
fn static_errors_resynchronize_at_the_end_of_their_declaration() {
    check!("if (this) {} a 1;\nb 2;", @r"
    (if
      (branch this
        (block)))
    (expr b)
    [line 1] Error at 'this': Can't use 'this' outside of a class.
    [line 2] Error at '2': Expect ';' after expression.
    ");
}

/// A token that cannot start an expression ends it at once: what follows is
/// not taken as an operator (`!= (;;)` is not a call), so recovery starts
/// where the book's compiler's does.
#[test]
fn a_token_that_starts_no_expression_ends_it() {
    check!("!= (;;) print 1;", @r"
    (expr <error>)
    (expr <error>)
    (expr <error>)
    (print 1)
    [line 1] Error at '!=': Expect expression.
    [line 1] Error at ';': Expect expression.
    [line 1] Error at ')': Expect expression.
    ");
}
