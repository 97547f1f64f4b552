//! The `bumplox` command-line driver: reads files, runs the stages, prints
//! results and diagnostics, and maps outcomes to exit codes.
//!
//! This crate owns all input and output. The stages it calls (lexer, parser,
//! resolver, code generator, VM) never touch files or the terminal.

mod cli;
mod commands;
mod compile;
mod exit;
mod output;
mod session;

pub use session::AllocChoice;

/// Runs the program with the process's arguments and returns its exit code;
/// `version` is the product's version, printed by `--version`.
/// A panic anywhere below is caught here and reported as an internal error
/// (exit 101), never as an error in the user's program.
pub fn main(version: &str) -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|at| format!(" at {at}"))
            .unwrap_or_default();
        let message = match (
            info.payload().downcast_ref::<&str>(),
            info.payload().downcast_ref::<String>(),
        ) {
            (Some(text), _) => text.to_string(),
            (_, Some(text)) => text.clone(),
            _ => "unknown panic".to_string(),
        };
        eprintln!("internal error: {message}{location} (please report this bug)");
    }));
    match std::panic::catch_unwind(|| commands::dispatch(&args, version)) {
        Ok(code) => code,
        Err(_) => exit::INTERNAL,
    }
}
