//! Hostile inputs, generated here rather than committed: a million levels of
//! every kind of nesting, million-term flat chains and a ten-thousand-branch
//! `else if`. Each goes through the whole front-end (parse, dump, resolve,
//! code generation, drop) under every strategy on a thread with a 2 MiB stack,
//! the size of a spawned thread's stack, so a recursion that the nesting limit
//! does not bound shows up as a crash here.

mod common;

use bumplox_diagnostics::ErrorFormat;
use bumplox_source::SourceFile;
use bumplox_tree::dump::DumpOptions;
use bumplox_tree::{with_builder, Alloc, Builder, WithBuilder};
use common::{render_as, strategy, STRATEGIES};

const STACK: usize = 2 << 20;
const LEVELS: usize = 1_000_000;

/// Runs every stage on `src` under `strategy` and returns the book's error lines.
fn pipeline_errors(strategy_name: &str, src: &str) -> Vec<String> {
    fn stages<'a, A: Alloc<'a>>(
        parse: bumplox_parser::Parse<'a, A>,
        file: &SourceFile,
    ) -> Vec<bumplox_diagnostics::Diagnostic> {
        let _tree = bumplox_tree::dump::sexpr(&parse.program, DumpOptions { spans: true });
        let _json = bumplox_tree::dump::json(&parse.program);
        let (resolution, resolve) =
            bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        let mut diagnostics = parse.diagnostics;
        diagnostics.extend(resolve);
        if diagnostics.iter().all(|diagnostic| !diagnostic.is_error()) {
            if let Err(errors) = bumplox_codegen::compile(&parse.program, &resolution, file) {
                diagnostics.extend(errors);
            }
        }
        // The program (and for `box`, every node) is dropped here.
        diagnostics
    }
    let file = SourceFile::new("hostile.lox", src).expect("generated sources are small enough");
    struct Stages<'x> {
        file: &'x SourceFile,
    }
    impl<'x> WithBuilder<'x> for Stages<'x> {
        type Output = Vec<bumplox_diagnostics::Diagnostic>;
        fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> Self::Output
        where
            'x: 'a,
        {
            stages(bumplox_parser::parse(self.file.text(), builder), self.file)
        }
    }
    let diagnostics = with_builder(strategy(strategy_name), None, Stages { file: &file });
    render_as(&file, &diagnostics, ErrorFormat::Lox)
        .lines()
        .map(String::from)
        .collect()
}

/// Checks that every strategy reports exactly `expected` for `src`, on a
/// 2 MiB stack.
fn check(name: &str, src: String, expected: &[&str]) {
    let name = name.to_string();
    let expected: Vec<String> = expected.iter().map(|line| line.to_string()).collect();
    std::thread::Builder::new()
        .name(name.clone())
        .stack_size(STACK)
        .spawn(move || {
            for strategy in STRATEGIES {
                let errors = pipeline_errors(strategy, &src);
                assert_eq!(errors, expected, "{name} under {strategy}");
            }
        })
        .expect("a test thread")
        .join()
        .unwrap_or_else(|_| panic!("a hostile input crashed its thread"));
}

#[test]
fn a_million_levels_of_every_nesting_shape_is_one_error() {
    for (name, src, token) in common::deep_nesting() {
        let expected = format!("[line 1] Error at '{token}': Too much nesting.");
        check(name, src, &[expected.as_str()]);
    }
}

#[test]
fn a_million_term_chain_of_every_shape_parses_and_drops() {
    let chains: [(&str, String, &[&str]); 5] = [
        // A million distinct constants cannot fit one chunk's 256: code
        // generation says so, after the front-end has handled the chain.
        (
            "sum",
            "1".to_string() + &"+1".repeat(LEVELS) + ";",
            &["[line 1] Error at '1': Too many constants in one chunk."],
        ),
        ("calls", "f".to_string() + &"()".repeat(LEVELS) + ";", &[]),
        (
            "properties",
            "a".to_string() + &".b".repeat(LEVELS) + ";",
            &[],
        ),
        (
            "logical",
            "a".to_string() + &" and a or a".repeat(LEVELS / 2) + ";",
            &[],
        ),
        (
            "comparisons",
            "a".to_string() + &"==a".repeat(LEVELS) + ";",
            &[],
        ),
    ];
    for (name, src, expected) in chains {
        check(name, src, expected);
    }
}

#[test]
fn ten_thousand_else_if_branches_are_not_nesting() {
    // Globals, whose names take one constant each however often they are used,
    // keep the chain within one chunk's constants.
    let branch = " else if (a == b) print b;";
    let src = format!(
        "var a = 1;\nvar b = 0;\nif (a == b) print b;{} else print a;",
        branch.repeat(10_000)
    );
    check("else if chain", src, &[]);
}
