//! Differential fuzzing of the allocation strategies: every one of
//! `Strategy::ALL` must give byte-identical dumps and diagnostics (in every
//! format) for every input.

#![no_main]

use bumplox_diagnostics::{render, Diagnostic, ErrorFormat, RenderOptions};
use bumplox_parser::Parse;
use bumplox_source::SourceFile;
use bumplox_tree::dump::{sexpr, DumpOptions};
use bumplox_tree::{with_builder, Alloc, Builder, Strategy, WithBuilder};
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

/// Parses and describes one file under the strategy given to `with_builder`.
struct Describe<'x> {
    file: &'x SourceFile,
}

impl<'x> WithBuilder<'x> for Describe<'x> {
    type Output = String;
    fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> String
    where
        'x: 'a,
    {
        describe(bumplox_parser::parse(self.file.text(), builder), self.file)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.lox", data.to_vec()) else {
        return;
    };
    let first = with_builder(Strategy::ALL[0], None, Describe { file: &file });
    for strategy in &Strategy::ALL[1..] {
        let other = with_builder(*strategy, None, Describe { file: &file });
        assert_eq!(first, other, "{} differs from {}", strategy.name(), Strategy::ALL[0].name());
    }
});
