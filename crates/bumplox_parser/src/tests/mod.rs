//! Parser tests, one file per grammar area, all through [`check`]: the source's
//! tree as S-expressions, then its diagnostics in the book's format.

mod errors;
mod exprs;
mod nesting;
mod stmts;

use bumplox_diagnostics::{render, ErrorFormat, RenderOptions};
use bumplox_source::SourceFile;
use bumplox_tree::dump::{sexpr, DumpOptions};
use bumplox_tree::BumpBuilder;

/// Parses `src` in a bump arena and renders what a user of `bumplox parse
/// --error-format lox` would see: the tree, then each error line.
pub(crate) fn render_parse(src: &str) -> String {
    let bump = bumpalo::Bump::new();
    let builder = BumpBuilder::new(&bump);
    let parse = crate::parse(src, &builder);
    let mut out = sexpr(&parse.program, DumpOptions::default());
    let file = SourceFile::new("test.lox", src).expect("test sources are small");
    let options = RenderOptions {
        format: ErrorFormat::Lox,
        color: false,
    };
    out.push_str(&render(&file, &parse.diagnostics, options));
    out
}

/// Compares the rendering of `src` with an inline snapshot.
macro_rules! check {
    ($src:expr, @$expect:literal) => {
        insta::assert_snapshot!($crate::tests::render_parse($src), @$expect)
    };
}
pub(crate) use check;
