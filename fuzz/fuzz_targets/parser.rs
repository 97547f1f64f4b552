//! Fuzzes the parser and resolver on arbitrary bytes, UTF-8 or not: whatever
//! comes in, they must return a tree and diagnostics, and the dumps must work.

#![no_main]

use bumplox_source::SourceFile;
use bumplox_tree::dump::{json, sexpr, DumpOptions};
use bumplox_tree::BumpBuilder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.lox", data.to_vec()) else {
        return;
    };
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump));
    let _ = sexpr(&parse.program, DumpOptions { spans: true });
    let _ = json(&parse.program);
    let (_, diagnostics) = bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
    for diagnostic in parse.diagnostics.iter().chain(&diagnostics) {
        assert!(diagnostic.span.end as usize <= file.text().len());
    }
});
