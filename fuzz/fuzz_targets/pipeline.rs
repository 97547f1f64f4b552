//! Fuzzes the whole pipeline: parse, resolve, compile, and run the program on
//! the VM with a budget of instructions and of heap, so that every input ends.

#![no_main]

use bumplox_source::SourceFile;
use bumplox_tree::BumpBuilder;
use bumplox_vm::{Vm, VmOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.lox", data.to_vec()) else {
        return;
    };
    let script = {
        let bump = bumpalo::Bump::new();
        let parse = bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump));
        let (resolution, diagnostics) = bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        if parse.has_errors() || diagnostics.iter().any(|diagnostic| diagnostic.is_error()) {
            return;
        }
        match bumplox_codegen::compile(&parse.program, &resolution, &file) {
            Ok(script) => script,
            Err(_) => return,
        }
    };
    let _ = bumplox_bytecode::disassemble(&script);
    let options = VmOptions {
        max_heap_bytes: 64 << 20,
        max_instructions: Some(10_000_000),
        ..VmOptions::default()
    };
    let mut vm = Vm::new(options);
    let _ = vm.run(&script, &mut std::io::sink());
});
