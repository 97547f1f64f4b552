//! Differential fuzzing of the allocation strategies: `bump`, `typed` and `box`
//! must give byte-identical dumps and diagnostics (in every format) for every
//! input.

#![no_main]

use bumplox_diagnostics::{render, Diagnostic, ErrorFormat, RenderOptions};
use bumplox_parser::Parse;
use bumplox_source::SourceFile;
use bumplox_tree::dump::{sexpr, DumpOptions};
use bumplox_tree::{Alloc, BoxBuilder, BumpBuilder, TypedArenas, TypedBuilder};
use libfuzzer_sys::fuzz_target;

fn describe<'a, A: Alloc<'a>>(parse: Parse<'a, A>, file: &SourceFile) -> String {
    let mut out = sexpr(&parse.program, DumpOptions { spans: true });
    let (_, resolve) = bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    let diagnostics: Vec<Diagnostic> = parse.diagnostics.iter().cloned().chain(resolve).collect();
    for format in [ErrorFormat::Json, ErrorFormat::Lox, ErrorFormat::Rich] {
        let options = RenderOptions {
            format,
            color: false,
        };
        out.push_str(&render(file, &diagnostics, options));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.lox", data.to_vec()) else {
        return;
    };
    let bump = bumpalo::Bump::new();
    let bumped = describe(
        bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump)),
        &file,
    );
    let arenas = TypedArenas::new();
    let typed = describe(
        bumplox_parser::parse(file.text(), &TypedBuilder::new(&arenas)),
        &file,
    );
    let boxed = describe(bumplox_parser::parse(file.text(), &BoxBuilder), &file);
    assert_eq!(bumped, typed, "typed differs from bump");
    assert_eq!(bumped, boxed, "box differs from bump");
});
