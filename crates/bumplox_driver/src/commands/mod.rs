//! One module per subcommand, and the dispatch from a parsed command line.

pub(crate) mod bench;
mod check;
mod disasm;
mod fmt;
mod gen;
mod layout;
mod lsp;
mod parse;
mod reference;
mod repl;
mod run;
mod test;
mod tokens;

use bumplox_source::SourceFile;

use crate::cli::{self, Command, Options};
use crate::exit;
use crate::output;
use crate::session::{self, LoadError};

pub fn dispatch(args: &[std::ffi::OsString], version: &'static str) -> i32 {
    let (command, options) = match cli::parse_args(args, version) {
        Ok(parsed) => parsed,
        // clap has formatted the help, the version or the usage error.
        Err(rejected) => match rejected.is_error {
            true => {
                output::print_stderr(&rejected.text);
                return exit::USAGE;
            }
            false => {
                output::print_stdout(&rejected.text);
                return exit::SUCCESS;
            }
        },
    };
    match command {
        Command::Completions(shell) => {
            let mut script = Vec::new();
            cli::completions(shell, &mut script);
            output::print_stdout(&String::from_utf8_lossy(&script));
            exit::SUCCESS
        }
        Command::Test(paths) => test::run(&paths, &options),
        Command::Layout => layout::run(),
        Command::Lsp => lsp::run(&options),
        Command::Gen => gen::run(&options),
        Command::Bench(path) => bench::run(path.as_deref(), &options),
        Command::Tokens(path) => with_source(&path, &options, |file| tokens::run(&file)),
        Command::Parse(path) => with_source(&path, &options, |file| parse::run(&file, &options)),
        Command::Run(path) => with_source(&path, &options, |file| run::run(&file, &options)),
        Command::Disasm(path) => with_source(&path, &options, |file| disasm::run(&file, &options)),
        Command::Check(paths) => check::run(&paths, &options),
        Command::Fmt(paths) => fmt::run(&paths, &options),
        Command::Repl => repl::run(&options),
    }
}

/// Loads `path` and runs `body` on it, or reports why it could not be loaded
/// and returns the matching exit code.
pub(crate) fn with_source(
    path: &str,
    options: &Options,
    body: impl FnOnce(SourceFile) -> i32,
) -> i32 {
    let name = session::source_name(path);
    match session::load(path, options.max_memory) {
        Ok(file) => body(file),
        Err(LoadError::Io(message)) => {
            output::print_file_error(name, &message, options);
            exit::IO_ERROR
        }
        Err(LoadError::Source(error)) => {
            output::print_source_error(name, &error, options);
            exit::COMPILE_ERROR
        }
    }
}
