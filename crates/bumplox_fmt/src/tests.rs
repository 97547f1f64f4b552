//! The formatter's layout, one `check!` per rule: the source and the expected
//! output (an inline snapshot). Every check also formats its output again
//! and requires it unchanged, so each case tests idempotence too.

use crate::{format, FormatError};

/// Formats `source`, checks that formatting the result changes nothing, and
/// returns the result (or the error's text) for the snapshot.
fn formatted(source: &str) -> String {
    match format(source) {
        Ok(text) => {
            match format(&text) {
                Ok(again) => assert_eq!(again, text, "formatting is not idempotent"),
                Err(error) => panic!("the output does not format: {error:?}\n{text}"),
            }
            text
        }
        Err(FormatError::Syntax(diagnostics)) => {
            let messages: Vec<&str> = diagnostics
                .iter()
                .map(|diagnostic| diagnostic.message.as_str())
                .collect();
            format!("syntax errors: {}", messages.join(" | "))
        }
        Err(FormatError::Internal(message)) => format!("internal error: {message}"),
    }
}

macro_rules! check {
    ($src:expr, @$expect:literal) => {
        insta::assert_snapshot!(formatted($src), @$expect)
    };
}

#[test]
fn statements_go_one_a_line_with_spaces_around_operators() {
    check!("var a=1;var b=a*2+-3;print a==b and !(a<b)or nil;a=b=c;", @r"
    var a = 1;
    var b = a * 2 + -3;
    print a == b and !(a < b) or nil;
    a = b = c;
    ");
}

#[test]
fn blocks_indent_by_two_spaces() {
    check!("{var a;{print a;}{}}", @r"
    {
      var a;
      {
        print a;
      }
      {}
    }
    ");
}

#[test]
fn control_flow_keeps_braces_on_the_line() {
    check!("if(a){print 1;}else if(b)print 2;else{print 3;}\nwhile(x)x=x-1;\nfor(var i=0;i<3;i=i+1){print i;}\nfor(;;)print 1;\nfor(i=0;;)print 1;", @r"
    if (a) {
      print 1;
    } else if (b) print 2;
    else {
      print 3;
    }
    while (x) x = x - 1;
    for (var i = 0; i < 3; i = i + 1) {
      print i;
    }
    for (;;) print 1;
    for (i = 0;;) print 1;
    ");
}

#[test]
fn functions_and_classes() {
    check!("fun f(a,b){return a;}fun g(){return;}class A<B{init(x){this.x=x;super.init();}m(){}}class E{}", @r"
    fun f(a, b) {
      return a;
    }
    fun g() {
      return;
    }
    class A < B {
      init(x) {
        this.x = x;
        super.init();
      }
      m() {}
    }
    class E {}
    ");
}

#[test]
fn literals_are_written_as_in_the_source() {
    check!("print 1.50+007;print \"a\nb\";print true;print false;", @r#"
    print 1.50 + 007;
    print "a
    b";
    print true;
    print false;
    "#);
}

#[test]
fn blank_lines_are_kept_at_most_one() {
    check!("\n\nvar a;\n\n\n\nvar b;\nvar c;\n{\n\n  var d;\n\n  var e;\n\n}\n\n", @r"
    var a;

    var b;
    var c;
    {
      var d;

      var e;
    }
    ");
}

#[test]
fn end_of_line_comments_stay_at_the_end_of_their_line() {
    check!("var a = 1;   // one   \nfun f() { // opens\n  return; // returns\n} // closes", @r"
    var a = 1; // one
    fun f() { // opens
      return; // returns
    } // closes
    ");
}

#[test]
fn own_line_comments_take_the_indentation_of_what_follows() {
    check!("// top\n\n// about a\nvar a;\n{\n        // inside\n  print a;\n      // before the brace\n}\n// at the end\n", @r"
    // top

    // about a
    var a;
    {
      // inside
      print a;
      // before the brace
    }
    // at the end
    ");
}

#[test]
fn comments_in_empty_bodies_open_them() {
    check!("fun f() { // nothing\n}\nclass A {\n// no methods\n}\n{ }\nif (a) {\n  // todo\n} else {}", @r"
    fun f() { // nothing
    }
    class A {
      // no methods
    }
    {}
    if (a) {
      // todo
    } else {}
    ");
}

#[test]
fn comments_between_else_and_if_keep_the_chain_aligned() {
    check!("if (a) {\n  print 1;\n} else // c\nif (b) {\n  print 2;\n} else // d\nif (c) print 3;\nelse // e\n  if (d) {\n  print 4;\n} else\n// f\nif (e) {}\n{\nif (a) {} else // g\nif (b) {\nprint 5;\n}\n}", @r"
    if (a) {
      print 1;
    } else // c
    if (b) {
      print 2;
    } else // d
    if (c) print 3;
    else // e
    if (d) {
      print 4;
    } else
    // f
    if (e) {}
    {
      if (a) {} else // g
      if (b) {
        print 5;
      }
    }
    ");
}

#[test]
fn own_line_comments_before_else_take_its_indentation() {
    check!("if (true) {\n  print 1;\n}\n// between\nelse {\n  print 2;\n}\n{\nif (a) {\n}\n\n  // one\n    // two\nelse if (b) {} // trailing\nelse {}\n}\nif (a) print 1;\n// one statement\nelse print 2;", @r"
    if (true) {
      print 1;
    }
    // between
    else {
      print 2;
    }
    {
      if (a) {}

      // one
      // two
      else if (b) {} // trailing
      else {}
    }
    if (a) print 1;
    // one statement
    else print 2;
    ");
}

#[test]
fn comments_inside_expressions_break_the_line_after_them() {
    check!("var a = 1 + // why\n  2;\nprint a // before the semicolon\n;\nif (a) // one statement\n  print a;", @r"
    var a = 1 + // why
      2;
    print a // before the semicolon
      ;
    if (a) // one statement
      print a;
    ");
}

#[test]
fn comments_inside_argument_lists_put_one_argument_a_line() {
    check!("f(a, // first\n  b);\ng(\n  // leading\n  a,\n  b // last\n);\nh( // nothing\n);", @r"
    f(
      a, // first
      b
    );
    g(
      // leading
      a,
      b // last
    );
    h( // nothing
    );
    ");
}

#[test]
fn comments_inside_parameter_lists_put_one_parameter_a_line() {
    check!("fun f(a, // first\n b) {}", @r"
    fun f(
      a, // first
      b
    ) {}
    ");
}

#[test]
fn long_calls_put_one_argument_a_line() {
    check!("print someFunction(argumentNumberOne, argumentNumberTwo, argumentNumberThree, argumentNumberFour, five);\nprint short(a, b);\nouter(inner(aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbb), cccccccccccccccccccccccccc, ddddddddddddddddd);", @r"
    print someFunction(
      argumentNumberOne,
      argumentNumberTwo,
      argumentNumberThree,
      argumentNumberFour,
      five
    );
    print short(a, b);
    outer(
      inner(aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbb),
      cccccccccccccccccccccccccc,
      ddddddddddddddddd
    );
    ");
}

#[test]
fn the_spaces_inside_strings_count_toward_the_width() {
    // `print f("…", 1);` is 105 bytes wide, 15 of them outside the string.
    let spaces = " ".repeat(90);
    check!(&format!("print f(\"{spaces}\", 1);"), @r#"
    print f(
      "                                                                                          ",
      1
    );
    "#);
}

#[test]
fn what_follows_a_call_on_its_line_counts_toward_the_width() {
    // Each first line is 101 to 103 characters only with what follows the
    // `)`: chained calls, an operator, the `{` of an `if`. In `outer`, whose
    // arguments go one a line, `inner(…).xy,` is exactly 100 and fits. In
    // `a(b).c(…).f`, `c`'s arguments are broken, not `a`'s; the line after
    // it is 96 characters and fits.
    check!(concat!(
        "var v = g(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\", 1).x().y();\n",
        "print someFunction(argumentNumberOne, argumentNumberTwo, argumentNumberThree) + otherValue * 2000000;\n",
        "if (someConditionHolds(argumentNumberOne, argumentNumberTwo, argumentNumberThree, argumentNumber4x)) { print 1; }\n",
        "outer(inner(argumentNumberOne, argumentNumberTwo, argumentNumberThree, argumentFour4567890123456789).xy, b, cccccccccccccccccccccccccccccccc);\n",
        "print a(b).c(ddddddddddddddddddddddddddddddddddddddddddddddd, eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee).f;\n",
        "print a(b).c(dddddddddddddddddddddddddddddddddddddddddd, eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee).f;\n",
    ), @r#"
    var v = g(
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
      1
    ).x().y();
    print someFunction(
      argumentNumberOne,
      argumentNumberTwo,
      argumentNumberThree
    ) + otherValue * 2000000;
    if (someConditionHolds(
      argumentNumberOne,
      argumentNumberTwo,
      argumentNumberThree,
      argumentNumber4x
    )) {
      print 1;
    }
    outer(
      inner(argumentNumberOne, argumentNumberTwo, argumentNumberThree, argumentFour4567890123456789).xy,
      b,
      cccccccccccccccccccccccccccccccc
    );
    print a(b).c(
      ddddddddddddddddddddddddddddddddddddddddddddddd,
      eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
    ).f;
    print a(b).c(dddddddddddddddddddddddddddddddddddddddddd, eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee).f;
    "#);
}

#[test]
fn the_width_counts_characters_not_bytes() {
    // The first two lines are under 100 characters but over 100 bytes: each `é` is
    // two bytes. In the second, the `(` of `h` is at column 75 (135 bytes).
    let wide = "é".repeat(81);
    let before = "é".repeat(60);
    // The third is 101 characters: it is broken.
    let over = "é".repeat(86);
    let source = format!(
        "print f(\"{wide}\", 1);\nvar s = \"{before}\" + h(aaaaaaaaaa, bbbbbbbbbb);\nprint f(\"{over}\", 1);"
    );
    check!(&source, @r#"
    print f("ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", 1);
    var s = "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé" + h(aaaaaaaaaa, bbbbbbbbbb);
    print f(
      "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
      1
    );
    "#);
}

#[test]
fn long_parameter_lists_put_one_parameter_a_line() {
    check!("fun aFunctionWithAVeryLongName(parameterNumberOne, parameterNumberTwo, parameterNumberThree, fourth) { return 1; }", @r"
    fun aFunctionWithAVeryLongName(
      parameterNumberOne,
      parameterNumberTwo,
      parameterNumberThree,
      fourth
    ) {
      return 1;
    }
    ");
}

#[test]
fn tokens_written_together_are_told_apart() {
    // Found by the `fmt` fuzz target: a number followed by a keyword.
    check!("print 12or x;print 1.5and!a;print a==-b;", @r"
    print 12 or x;
    print 1.5 and !a;
    print a == -b;
    ");
}

#[test]
fn calls_chain_without_spaces() {
    check!("a . b ( 1 ) ( ) . c = d ;", @"a.b(1)().c = d;");
}

#[test]
fn empty_and_comment_only_files() {
    check!("", @"");
    check!("\n  \n", @"");
    check!("// only a comment", @"// only a comment");
}

#[test]
fn files_with_errors_are_not_formatted() {
    check!("print (1;", @"syntax errors: Expect ')' after expression.");
    check!("return 1;", @"syntax errors: Can't return from top-level code.");
}

#[test]
fn errors_say_what_they_are_in_one_line() {
    let error = format("print (1;\nprint (2;").expect_err("two syntax errors");
    assert_eq!(error.to_string(), "not formatted: 2 syntax errors");
}

#[test]
fn long_chains_do_not_overflow_the_stack() {
    let source = format!("print {}1;", "1 + ".repeat(200_000));
    let text = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || format(&source).map(|text| text.len()))
        .expect("a thread")
        .join()
        .expect("formatting does not overflow");
    assert!(matches!(text, Ok(len) if len == "print ;\n".len() + 200_000 * 4 + 1));
}
