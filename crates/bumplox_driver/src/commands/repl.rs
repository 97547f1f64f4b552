//! The interactive session. Each entry is compiled as a script and run on one
//! VM, so globals persist from entry to entry and an error ends only its own
//! entry. An entry that is not finished yet (an open bracket, a statement
//! without its `;`, a string still open) continues on the next line.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bumplox_source::SourceFile;
use bumplox_vm::Vm;
use rustyline::error::ReadlineError;

use crate::cli::Options;
use crate::compile::{compile, Compiled};
use crate::exit;
use crate::output;

const PROMPT: &str = "> ";
const CONTINUATION_PROMPT: &str = "... ";

pub fn run(options: &Options) -> i32 {
    let mut vm = Vm::new(super::run::vm_options(options));
    if !std::io::stdin().is_terminal() {
        return run_piped(&mut vm, options);
    }
    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(editor) => editor,
        Err(error) => {
            output::print_stderr(&format!("error: cannot start line editing: {error}\n"));
            return run_piped(&mut vm, options);
        }
    };
    install_interrupt(&mut vm);
    let history = std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(|home| std::path::PathBuf::from(home).join(".bumplox_history"));
    if let Some(path) = &history {
        // A missing history file is the normal first start; any other
        // problem costs only the history, so the session goes on after saying so.
        match editor.load_history(path) {
            Ok(()) => {}
            Err(ReadlineError::Io(error)) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => output::print_stderr(&format!(
                "warning: cannot read the history in '{}': {error}\n",
                path.display()
            )),
        }
    }
    output::print_stdout("bumplox (Ctrl-D to quit, Ctrl-C to clear the line)\n");
    let mut entry = Entry::default();
    loop {
        let prompt = match entry.is_empty() {
            true => PROMPT,
            false => CONTINUATION_PROMPT,
        };
        match editor.readline(prompt) {
            Ok(line) => {
                let Some(text) = entry.push(&line, true) else {
                    continue;
                };
                if !text.trim().is_empty() {
                    let _ = editor.add_history_entry(text.trim_end());
                }
                let _ = run_entry(&mut vm, &text, options);
            }
            // Ctrl-C abandons the entry being typed, as in a shell.
            Err(ReadlineError::Interrupted) => entry = Entry::default(),
            Err(ReadlineError::Eof) => break,
            Err(error) => {
                output::print_stderr(&format!("error: cannot read the line: {error}\n"));
                entry = Entry::default();
                if matches!(error, ReadlineError::Io(_)) {
                    break;
                }
            }
        }
    }
    if let Some(path) = &history {
        if let Err(error) = editor.save_history(path) {
            output::print_stderr(&format!(
                "warning: cannot save the history in '{}': {error}\n",
                path.display()
            ));
        }
    }
    exit::SUCCESS
}

/// Makes Ctrl-C stop a running statement instead of the session. While the
/// editor reads a line the terminal is in raw mode, so Ctrl-C reaches the
/// editor as a key; while a statement runs it arrives as SIGINT, and the
/// handler sets the flag the VM polls. Without a handler, Ctrl-C keeps its
/// usual meaning and ends the session.
fn install_interrupt(vm: &mut Vm) {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    match ctrlc::set_handler(move || handler_flag.store(true, Ordering::Relaxed)) {
        Ok(()) => vm.set_interrupt(flag),
        Err(error) => output::print_stderr(&format!(
            "warning: Ctrl-C will end the session rather than the running statement: {error}\n"
        )),
    }
}

/// Reads entries from a pipe, without prompts, as scripts drive the REPL. A
/// line that is not UTF-8 is reported and skipped, and the session goes on.
fn run_piped(vm: &mut Vm, options: &Options) -> i32 {
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();
    let mut bytes = Vec::new();
    let mut entry = Entry::default();
    let mut line_number = 0usize;
    let mut first_failure = None;
    loop {
        bytes.clear();
        match stdin.read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) => {
                output::print_stderr(&format!("error: cannot read standard input: {error}\n"));
                return exit::IO_ERROR;
            }
        }
        line_number += 1;
        let line = match std::str::from_utf8(&bytes) {
            Ok(line) => line.trim_end_matches(['\n', '\r']),
            Err(error) => {
                output::print_stderr(&format!(
                    "error: input line {line_number} is not valid UTF-8 (byte {} of the line); it is skipped\n",
                    error.valid_up_to() + 1
                ));
                entry = Entry::default();
                first_failure = first_failure.or(Some(exit::COMPILE_ERROR));
                continue;
            }
        };
        if let Some(text) = entry.push(line, false) {
            let failed = run_entry(vm, &text, options);
            first_failure = first_failure.or(failed);
        }
    }
    // Input that ends inside an unfinished entry still gets compiled, so its
    // error is reported rather than dropped.
    if !entry.is_empty() {
        let failed = run_entry(vm, entry.text.trim_end(), options);
        first_failure = first_failure.or(failed);
    }
    // A script piped in ends as `run` would: with the code of its first
    // error, so that a caller can tell that something failed.
    first_failure.unwrap_or(exit::SUCCESS)
}

/// The lines of the entry being typed, and how open its brackets and strings
/// are so far.
#[derive(Default)]
struct Entry {
    text: String,
    /// Open `(` and `{` minus closed ones, outside strings and comments.
    depth: i64,
    /// Whether a string is open at the end of the text.
    in_string: bool,
}

impl Entry {
    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Adds a line; returns the whole entry when it is ready to run: when it
    /// is complete, or, if `blank_line_ends` (at a terminal), when the user
    /// ends an unfinished entry with an empty line (which then reports what
    /// is missing). Piped input is a script, whose blank lines are only
    /// spacing, even inside a block.
    fn push(&mut self, line: &str, blank_line_ends: bool) -> Option<String> {
        let ends_entry = blank_line_ends && line.trim().is_empty() && !self.text.is_empty();
        self.scan(line);
        self.text.push_str(line);
        self.text.push('\n');
        // While a bracket or a string is open the entry cannot be complete,
        // and it is not compiled to find that out: compiling it at every line
        // would make a long block cost time quadratic in its length.
        let surely_open = self.depth > 0 || self.in_string;
        if ends_entry || (!surely_open && is_complete(&self.text)) {
            // Trailing blank lines would make an error at the end of the entry
            // point at an empty line below it rather than after its last token.
            let mut text = std::mem::take(&mut self.text);
            text.truncate(text.trim_end().len());
            *self = Entry::default();
            return Some(text);
        }
        None
    }

    /// Follows brackets and strings through one more line, as the lexer would
    /// see them: Lox strings have no escapes and may span lines, and `//`
    /// starts a comment outside a string.
    fn scan(&mut self, line: &str) {
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (self.in_string, c) {
                (true, '"') => self.in_string = false,
                (true, _) => {}
                (false, '"') => self.in_string = true,
                (false, '/') if chars.peek() == Some(&'/') => return,
                (false, '(' | '{') => self.depth += 1,
                (false, ')' | '}') => self.depth -= 1,
                (false, _) => {}
            }
        }
    }
}

/// Whether `text` can be compiled as it is. It cannot when its first error is
/// at the very end of the input (`Expect '}'` at the end of the file) or is a
/// string still open there: more lines could fix either. An error before the
/// end is a real error, and no further line could take it back.
fn is_complete(text: &str) -> bool {
    let Ok(file) = SourceFile::new("<repl>", text) else {
        return true;
    };
    let options = Options::default();
    let parsed = compile(&file, &options, false);
    let Some(first) = parsed
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.is_error())
    else {
        return true;
    };
    let content_end = text.trim_end().len() as u32;
    let at_end = first.span.start >= content_end;
    let open_string =
        file.slice(first.span).starts_with('"') && first.span.end as usize == text.len();
    !(at_end || open_string)
}

/// Compiles and runs one entry, reporting its errors; returns the exit code
/// its failure would give `run`, if it failed.
fn run_entry(vm: &mut Vm, text: &str, options: &Options) -> Option<i32> {
    let file = match SourceFile::new("<repl>", text) {
        Ok(file) => file,
        Err(error) => {
            output::print_stderr(&format!("error: {error}\n"));
            return Some(exit::COMPILE_ERROR);
        }
    };
    let Compiled {
        diagnostics,
        script,
    } = compile(&file, options, true);
    output::print_diagnostics(&file, &diagnostics, options);
    let Some(script) = script else {
        return Some(exit::COMPILE_ERROR);
    };
    let mut stdout = crate::stdio::stdout();
    let result = vm.run(&script, &mut stdout);
    let _ = stdout.flush();
    drop(stdout);
    let Err(error) = result else {
        return None;
    };
    // At a terminal, Ctrl-C echoes `^C` with no newline after it.
    if error.message == bumplox_vm::INTERRUPTED && std::io::stderr().is_terminal() {
        output::print_stderr("\n");
    }
    output::print_runtime_error(&file, &error, options);
    Some(exit::RUNTIME_ERROR)
}
