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
mod stdio;
mod walk;

pub use session::AllocChoice;

/// Runs the program with the process's arguments and returns its exit code;
/// `version` is the product's version, printed by `--version`.
/// A panic anywhere below is caught here and reported as an internal error
/// (exit 101), never as an error in the user's program.
pub fn main(version: &'static str) -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::panic::set_hook(Box::new(|info| {
        // Not `eprintln!`, which panics when standard error is closed: a panic
        // inside the hook aborts the process.
        let mut message = internal_error_message(info.payload(), info.location());
        message.push('\n');
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), message.as_bytes());
    }));
    guarded(|| commands::dispatch(&args, version))
}

/// The `bumplox-bench-worker` binary's entry point: one strategy's
/// measurements for `bumplox bench`, allocating through `counter`, the
/// worker's counting global allocator.
pub fn bench_worker_main(counter: &dyn bumplox_alloc_stats::Counter) -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    guarded(std::panic::AssertUnwindSafe(|| {
        commands::bench::worker_main(&args, counter)
    }))
}

/// Runs `body`, turning a panic into the internal-error exit code. The panic
/// hook has already printed the message by the time the unwinding stops here.
fn guarded(body: impl FnOnce() -> i32 + std::panic::UnwindSafe) -> i32 {
    match std::panic::catch_unwind(body) {
        Ok(code) => code,
        Err(_) => exit::INTERNAL,
    }
}

/// What a user sees when bumplox itself fails: clearly not an error in their
/// program, with what a bug report needs.
fn internal_error_message(
    payload: &(dyn std::any::Any + Send),
    location: Option<&std::panic::Location<'_>>,
) -> String {
    let message = match (
        payload.downcast_ref::<&str>(),
        payload.downcast_ref::<String>(),
    ) {
        (Some(text), _) => text.to_string(),
        (_, Some(text)) => text.clone(),
        _ => "unknown panic".to_string(),
    };
    let location = location.map(|at| format!(" at {at}")).unwrap_or_default();
    format!("internal error: {message}{location} (please report this bug)")
}

#[cfg(test)]
mod tests {
    use super::{guarded, internal_error_message};

    #[test]
    fn a_panic_becomes_exit_101_and_anything_else_passes_through() {
        assert_eq!(guarded(|| 65), 65);
        assert_eq!(guarded(|| panic!("deliberately, to test the guard")), 101);
    }

    #[test]
    fn internal_errors_name_the_panic_and_ask_for_a_report() {
        let text: &(dyn std::any::Any + Send) = &"index out of bounds";
        assert_eq!(
            internal_error_message(text, None),
            "internal error: index out of bounds (please report this bug)"
        );
        let owned: &(dyn std::any::Any + Send) = &String::from("bad state");
        let location = std::panic::Location::caller();
        let message = internal_error_message(owned, Some(location));
        assert!(
            message.starts_with("internal error: bad state at crates/bumplox_driver/src/lib.rs:"),
            "{message}"
        );
        assert!(message.ends_with("(please report this bug)"), "{message}");
    }
}
