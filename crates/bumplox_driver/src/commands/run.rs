//! `bumplox run FILE` (and `bumplox FILE`): compile, then run on the VM.

use std::io::{IsTerminal, Write};

use bumplox_source::SourceFile;
use bumplox_vm::{Vm, VmOptions};

use crate::cli::Options;
use crate::compile::{compile_in_pieces, Bytecode};
use crate::exit;
use crate::output;

pub fn run(file: &SourceFile, options: &Options) -> i32 {
    let compiled = compile_in_pieces(file, options, Bytecode::Keep);
    output::print_diagnostics(file, &compiled.diagnostics, options);
    if compiled.scripts.is_empty() {
        return exit::COMPILE_ERROR;
    }
    let mut vm = Vm::new(vm_options(options));
    // Into a file or a pipe, output is written in large blocks; on a terminal
    // each line shows as soon as it is printed, as a person watching expects
    // (a zero-sized buffer passes writes through to the standard library's
    // own line-buffered stdout).
    let capacity = match std::io::stdout().is_terminal() {
        true => 0,
        false => 64 * 1024,
    };
    let mut stdout = std::io::BufWriter::with_capacity(capacity, crate::stdio::stdout());
    let result = vm.run_pieces(compiled.scripts, &mut stdout);
    // Everything printed before a runtime error must reach the terminal before
    // the error does.
    let _ = stdout.flush();
    drop(stdout);
    match result {
        Ok(()) => exit::SUCCESS,
        Err(error) => {
            output::print_runtime_error(file, &error, options);
            exit::RUNTIME_ERROR
        }
    }
}

pub fn vm_options(options: &Options) -> VmOptions {
    VmOptions {
        gc_stress: options.gc_stress,
        max_heap_bytes: options.max_memory,
        max_instructions: options.max_instructions,
        ..VmOptions::default()
    }
}
