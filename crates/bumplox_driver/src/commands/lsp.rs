//! `bumplox lsp`: the language server, publishing the diagnostics `check`
//! would print for each open document.

use crate::cli::Options;
use crate::compile::compile;
use crate::exit;
use crate::output;

pub fn run(options: &Options) -> i32 {
    // Code generation is part of the check: `check` reports its limit errors.
    let check = |file: &bumplox_source::SourceFile| compile(file, options, true).diagnostics;
    match bumplox_lsp::serve_stdio(&check) {
        Ok(()) => exit::SUCCESS,
        Err(end) => {
            output::print_stderr(&format!("bumplox lsp: {end}\n"));
            exit::LSP_ABNORMAL_END
        }
    }
}
