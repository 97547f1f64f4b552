//! Renderer tests: the same diagnostics in each of the three formats.

use bumplox_source::{SourceFile, Span};

use crate::{render, BookLocation, Diagnostic, ErrorFormat, RenderOptions};

fn file() -> SourceFile {
    SourceFile::new("demo.lox", "var café = 1;\n{\n  var x = (1 + ;\n").expect("small")
}

/// A duplicate declaration with a note and help, an error at the end of the
/// file with a secondary label, and a lexical error on a multi-byte character.
fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("Expect expression.", Span::new(32, 33))
            .with_primary_label("expected an expression, found `;`")
            .with_label(Span::new(27, 28), "the parenthesis opened here")
            .with_note("an operator needs an operand on each side")
            .with_help("remove the `+` or add an operand"),
        Diagnostic::error("Expect '}' after block.", Span::empty_at(34))
            .with_location(BookLocation::End)
            .with_label(Span::new(15, 16), "the block opened here"),
        // A span that ends inside `é` (bytes 7..9) must not split it.
        Diagnostic::error("Unexpected character.", Span::new(7, 8))
            .with_location(BookLocation::Bare),
        Diagnostic::note("1 more syntax error was not shown", Span::empty_at(34)),
    ]
}

fn rendered(format: ErrorFormat) -> String {
    render(
        &file(),
        &diagnostics(),
        RenderOptions {
            format,
            color: false,
        },
    )
}

#[test]
fn lox_format_prints_the_books_lines_and_nothing_else() {
    insta::assert_snapshot!(rendered(ErrorFormat::Lox), @"
    [line 3] Error at ';': Expect expression.
    [line 4] Error at end: Expect '}' after block.
    [line 1] Error: Unexpected character.
    ");
}

#[test]
fn rich_format_shows_the_source_with_labels() {
    insta::assert_snapshot!(rendered(ErrorFormat::Rich), @"
    error: Expect expression.
      ┌─ demo.lox:3:16
      │
    3 │   var x = (1 + ;
      │           -    ^ expected an expression, found `;`
      │           │     
      │           the parenthesis opened here
      │
      = an operator needs an operand on each side
      = help: remove the `+` or add an operand

    error: Expect '}' after block.
      ┌─ demo.lox:3:17
      │
    2 │ {
      │ - the block opened here
    3 │   var x = (1 + ;
      │                 ^

    error: Unexpected character.
      ┌─ demo.lox:1:8
      │
    1 │ var café = 1;
      │        ^

    note: 1 more syntax error was not shown
      ┌─ demo.lox:3:17
      │
    3 │   var x = (1 + ;
      │                 ^
    ");
}

#[test]
fn json_format_is_one_object_per_line_with_every_label() {
    insta::assert_snapshot!(rendered(ErrorFormat::Json), @r#"
    {"file":"demo.lox","severity":"error","message":"Expect expression.","span":{"start":{"offset":32,"line":3,"column":16},"end":{"offset":33,"line":3,"column":17}},"labels":[{"message":"expected an expression, found `;`","span":{"start":{"offset":32,"line":3,"column":16},"end":{"offset":33,"line":3,"column":17}},"primary":true},{"message":"the parenthesis opened here","span":{"start":{"offset":27,"line":3,"column":11},"end":{"offset":28,"line":3,"column":12}},"primary":false}],"notes":["an operator needs an operand on each side"],"help":"remove the `+` or add an operand"}
    {"file":"demo.lox","severity":"error","message":"Expect '}' after block.","span":{"start":{"offset":34,"line":4,"column":1},"end":{"offset":34,"line":4,"column":1}},"labels":[{"message":"the block opened here","span":{"start":{"offset":15,"line":2,"column":1},"end":{"offset":16,"line":2,"column":2}},"primary":false}],"notes":[],"help":null}
    {"file":"demo.lox","severity":"error","message":"Unexpected character.","span":{"start":{"offset":7,"line":1,"column":8},"end":{"offset":8,"line":1,"column":9}},"labels":[],"notes":[],"help":null}
    {"file":"demo.lox","severity":"note","message":"1 more syntax error was not shown","span":{"start":{"offset":34,"line":4,"column":1},"end":{"offset":34,"line":4,"column":1}},"labels":[],"notes":[],"help":null}
    "#);
}

#[test]
fn rich_format_colors_only_when_asked() {
    let colored = render(
        &file(),
        &diagnostics()[..1],
        RenderOptions {
            format: ErrorFormat::Rich,
            color: true,
        },
    );
    assert!(colored.contains("\u{1b}["), "no ANSI escape in {colored:?}");
    assert!(!rendered(ErrorFormat::Rich).contains('\u{1b}'));
}

#[test]
fn rich_format_leaves_out_snippets_of_very_long_lines() {
    let text = format!("var a = {}1;\nprint ;\n", "1 + ".repeat(1000));
    let file = SourceFile::new("long.lox", text.as_str()).expect("small");
    let diagnostics = [
        Diagnostic::error("Out of memory.", Span::new(2000, 2001)),
        Diagnostic::error("Expect expression.", Span::new(4017, 4018)),
    ];
    let options = RenderOptions {
        format: ErrorFormat::Rich,
        color: false,
    };
    insta::assert_snapshot!(render(&file, &diagnostics, options), @"
    long.lox:1:2001: error: Out of memory.
    error: Expect expression.
      ┌─ long.lox:2:7
      │
    2 │ print ;
      │       ^
    ");
}

fn rich(file: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let options = RenderOptions {
        format: ErrorFormat::Rich,
        color: false,
    };
    render(file, diagnostics, options)
}

#[test]
fn rich_format_shows_a_span_over_many_lines_by_its_ends() {
    let text = format!("print \"open{}", "\nmore".repeat(20));
    let file = SourceFile::new("open.lox", text.as_str()).expect("small");
    let end = file.len();
    let diagnostics = [Diagnostic::error("Unterminated string.", Span::new(6, end))
        .with_primary_label("this string has no closing `\"`")];
    insta::assert_snapshot!(rich(&file, &diagnostics), @r#"
    error: Unterminated string.
       ┌─ open.lox:1:7
       │
     1 │ print "open
       │       ^^^^^ this string has no closing `"`
       ·
    21 │ more
       │    - …and ends here
    "#);
}

#[test]
fn rich_format_draws_a_span_over_a_few_lines_whole() {
    let file = SourceFile::new("few.lox", "print \"a\nb\nc\" 1;\n").expect("small");
    let diagnostics = [Diagnostic::error(
        "Expect ';' after value.",
        Span::new(6, 13),
    )];
    insta::assert_snapshot!(rich(&file, &diagnostics), @r#"
    error: Expect ';' after value.
      ┌─ few.lox:1:7
      │  
    1 │   print "a
      │ ╭───────^
    2 │ │ b
    3 │ │ c" 1;
      │ ╰──^
    "#);
}

#[test]
fn rich_format_makes_control_characters_visible() {
    let file = SourceFile::new(
        "esc\u{1b}.lox",
        "print \"\u{1b}[2J\u{7}\r\" 1;\r\nprint ;\r\n",
    )
    .expect("small");
    let diagnostics = [
        Diagnostic::error("Expect ';' after value.", Span::new(16, 17))
            .with_primary_label("found `\u{1b}[2J`")
            .with_label(Span::new(6, 14), "a string \u{9b}31m")
            .with_note("a note\u{1b}]0;x\u{7}"),
        Diagnostic::error("Expect expression.", Span::new(25, 26)),
    ];
    let rendered = rich(&file, &diagnostics);
    assert!(!rendered.contains(|ch: char| ch.is_control() && ch != '\n'));
    insta::assert_snapshot!(rendered, @r#"
    error: Expect ';' after value.
      ┌─ esc␛.lox:1:17
      │
    1 │ print "␛[2J␇␍" 1;
      │       --------  ^ found `␛[2J`
      │       │          
      │       a string �31m
      │
      = a note␛]0;x␇

    error: Expect expression.
      ┌─ esc␛.lox:2:7
      │
    2 │ print ;
      │       ^
    "#);
}
