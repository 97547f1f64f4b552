//! `bumplox parse FILE`: the syntax tree as S-expressions or JSON, with the same
//! output under every allocation strategy.

use bumplox_parser::Parse;
use bumplox_source::SourceFile;
use bumplox_tree::dump::{self, DumpOptions};
use bumplox_tree::Alloc;

use crate::cli::{DumpFormat, Options};
use crate::exit;
use crate::output;
use crate::session::{parse_with, TreeTask};

struct Dump<'o> {
    options: &'o Options,
}

impl TreeTask for Dump<'_> {
    type Output = (String, bool, Vec<bumplox_diagnostics::Diagnostic>);

    /// `bumplox parse` shows what the parser finds on its own: it does not
    /// resolve, so it never parses again.
    fn run<'a, A: Alloc<'a>>(
        self,
        parse: Parse<'a, A>,
        _reparse: &dyn Fn(&[u32]) -> Parse<'a, A>,
    ) -> Self::Output {
        let text = match self.options.dump_format {
            DumpFormat::Sexpr => dump::sexpr(
                &parse.program,
                DumpOptions {
                    spans: self.options.spans,
                },
            ),
            DumpFormat::Json => dump::json(&parse.program),
            DumpFormat::None => String::new(),
        };
        let has_errors = parse.has_errors();
        (text, has_errors, parse.diagnostics)
    }
}

pub fn run(file: &SourceFile, options: &Options) -> i32 {
    let (text, has_errors, diagnostics) = parse_with(
        options.alloc,
        options.max_memory,
        file.text(),
        Dump { options },
    );
    crate::stdio::out(&text);
    output::print_diagnostics(file, &diagnostics, options);
    match has_errors {
        true => exit::COMPILE_ERROR,
        false => exit::SUCCESS,
    }
}
