//! The nesting limit and the shapes that must not count as nesting.

use super::check;
use crate::MAX_NESTING;

fn errors(src: &str) -> Vec<String> {
    super::render_parse(src)
        .lines()
        .filter(|line| line.starts_with("[line"))
        .map(String::from)
        .collect()
}

#[test]
fn nesting_within_the_limit_parses() {
    let depth = MAX_NESTING - 2;
    let src = format!("{}1{};", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(errors(&src), Vec::<String>::new());
}

#[test]
fn nesting_past_the_limit_is_one_error_at_the_offending_token() {
    let src = format!("print {}1;", "(".repeat(MAX_NESTING * 4));
    assert_eq!(errors(&src), ["[line 1] Error at '(': Too much nesting."]);
}

#[test]
fn every_kind_of_nesting_counts() {
    let shapes = [
        "{".repeat(1000),
        "!".repeat(1000) + "x;",
        "-".repeat(1000) + "x;",
        "a=".repeat(1000) + "1;",
        "if(x) ".repeat(1000) + "x;",
        "while(x) ".repeat(1000),
        "fun f() {".repeat(1000),
        "class A { m() {".repeat(1000),
        "f(".repeat(1000),
    ];
    for shape in shapes {
        let found = errors(&shape);
        assert_eq!(found.len(), 1, "{:?}…: {found:?}", &shape[..20]);
        assert!(
            found[0].ends_with("Too much nesting."),
            "{:?}…: {found:?}",
            &shape[..20]
        );
    }
}

#[test]
fn long_else_if_chains_are_not_nesting() {
    let src = format!(
        "if (a) print 0;{} else print 1;",
        " else if (a) print 0;".repeat(10_000)
    );
    assert_eq!(errors(&src), Vec::<String>::new());
}

#[test]
fn long_flat_chains_are_not_nesting() {
    check!(&format!("1{};", "+1".repeat(3)), @"(expr (+ (+ (+ 1 1) 1) 1))");
    for src in [
        format!("1{};", "+1".repeat(100_000)),
        format!("f{};", "()".repeat(100_000)),
        format!("a{};", ".b".repeat(100_000)),
        format!("a{};", " and a".repeat(100_000)),
    ] {
        assert_eq!(errors(&src), Vec::<String>::new());
    }
}
