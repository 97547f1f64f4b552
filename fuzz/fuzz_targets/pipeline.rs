//! Fuzzes the whole pipeline: parse, resolve, compile, render every diagnostic
//! in all three formats, and run the program on the VM with a budget of
//! instructions and of heap, so that every input ends; then once more with a
//! collection at every allocation and a small heap.

#![no_main]

use bumplox_diagnostics::{render, Diagnostic, ErrorFormat, RenderOptions};
use bumplox_source::SourceFile;
use bumplox_tree::BumpBuilder;
use bumplox_vm::{Vm, VmOptions};
use libfuzzer_sys::fuzz_target;

/// Renders `diagnostics` in every format (the rich one with and without
/// color); none may panic, and the rich one must pass on no control
/// character from the source but tabs (which are harmless).
fn render_all(file: &SourceFile, diagnostics: &[Diagnostic]) {
    let formats = [
        (ErrorFormat::Rich, false),
        (ErrorFormat::Rich, true),
        (ErrorFormat::Lox, false),
        (ErrorFormat::Json, false),
    ];
    for (format, color) in formats {
        let text = render(file, diagnostics, RenderOptions { format, color });
        if format == ErrorFormat::Rich && !color {
            assert!(
                !text.contains(|ch: char| ch.is_control() && ch != '\n' && ch != '\t'),
                "a control character reached the rich output"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.lox", data.to_vec()) else {
        return;
    };
    let script = {
        let bump = bumpalo::Bump::new();
        let parse = bumplox_parser::parse(file.text(), &BumpBuilder::new(&bump));
        let (resolution, resolved) =
            bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        let mut diagnostics = parse.diagnostics.clone();
        diagnostics.extend(resolved);
        if diagnostics.iter().any(Diagnostic::is_error) {
            render_all(&file, &diagnostics);
            return;
        }
        match bumplox_codegen::compile(&parse.program, &resolution, &file) {
            Ok(script) => script,
            Err(errors) => {
                render_all(&file, &errors);
                return;
            }
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
    let stressed = VmOptions {
        gc_stress: true,
        max_heap_bytes: 1 << 20,
        max_instructions: Some(100_000),
        ..VmOptions::default()
    };
    let mut vm = Vm::new(stressed);
    let _ = vm.run(&script, &mut std::io::sink());
});
