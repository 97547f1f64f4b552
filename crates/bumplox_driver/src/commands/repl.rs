//! The interactive session: each line is compiled as a script and run on one VM,
//! so globals persist from line to line and an error ends only its own line.

use std::io::{IsTerminal, Write};

use bumplox_source::SourceFile;
use bumplox_vm::Vm;

use crate::cli::Options;
use crate::compile::compile;
use crate::exit;
use crate::output;

pub fn run(options: &Options) -> i32 {
    let mut vm = Vm::new(super::run::vm_options(options));
    if !std::io::stdin().is_terminal() {
        return run_piped(&mut vm, options);
    }
    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(editor) => editor,
        Err(error) => {
            eprintln!("error: cannot start line editing: {error}");
            return run_piped(&mut vm, options);
        }
    };
    let history = std::env::var_os("HOME")
        .map(|home| std::path::PathBuf::from(home).join(".bumplox_history"));
    if let Some(history) = &history {
        let _ = editor.load_history(history);
    }
    println!("bumplox (Ctrl-D to quit)");
    loop {
        match editor.readline("> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                run_line(&mut vm, &line, options);
            }
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(_) => break,
        }
    }
    if let Some(history) = &history {
        let _ = editor.save_history(history);
    }
    exit::SUCCESS
}

/// Reads lines from a pipe, without prompts, as scripts drive the REPL.
fn run_piped(vm: &mut Vm, options: &Options) -> i32 {
    let mut line = String::new();
    loop {
        line.clear();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) | Err(_) => return exit::SUCCESS,
            Ok(_) => run_line(vm, &line, options),
        }
    }
}

fn run_line(vm: &mut Vm, line: &str, options: &Options) {
    let file = match SourceFile::new("<repl>", line) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("error: {error}");
            return;
        }
    };
    let compiled = compile(&file, options, true);
    output::print_diagnostics(&file, &compiled.diagnostics, options);
    let Some(script) = compiled.script else {
        return;
    };
    let mut stdout = std::io::stdout().lock();
    let result = vm.run(&script, &mut stdout);
    let _ = stdout.flush();
    if let Err(error) = result {
        output::print_runtime_error(&file, &error, options);
    }
}
