//! `bumplox disasm FILE`: the bytecode of every function in the file.

use bumplox_source::SourceFile;

use crate::cli::Options;
use crate::compile::compile;
use crate::exit;
use crate::output;

pub fn run(file: &SourceFile, options: &Options) -> i32 {
    let compiled = compile(file, options, true);
    output::print_diagnostics(file, &compiled.diagnostics, options);
    let Some(script) = compiled.script else {
        return exit::COMPILE_ERROR;
    };
    let text = bumplox_bytecode::disassemble(&script);
    crate::stdio::out(&text);
    exit::SUCCESS
}
