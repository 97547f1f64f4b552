//! The command line: its definition (clap's derive), turning it into a
//! [`Command`] and the [`Options`] the commands read, and the `bumplox FILE`
//! shortcut for `bumplox run FILE`.

use std::ffi::OsString;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use bumplox_diagnostics::{ColorChoice, ErrorFormat};

use crate::session::AllocChoice;

/// The exit-code table closing the top-level help. A macro, so that `concat!`
/// can join it to the examples at compile time.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0 success, 1 a test failed (`bumplox test`) or a file is not formatted
  (`bumplox fmt --check`), 64 bad usage, 65 compile error,
  70 runtime error, 74 a file could not be read or output could not be written,
  101 internal error (a bug: please report it), 141 output went to a closed pipe"
    };
}

/// bumplox: a Lox compiler whose front-end builds its tree in an arena.
///
/// With no command, bumplox starts an interactive session; `bumplox FILE`
/// compiles and runs FILE.
#[derive(Parser, Debug)]
#[command(
    name = "bumplox",
    version,
    override_usage = "bumplox [OPTIONS] [FILE]\n       bumplox <COMMAND> [OPTIONS] [ARGS]",
    args_conflicts_with_subcommands = true,
    after_help = concat!(
        "Examples:
  bumplox hello.lox              run a program
  bumplox check src/             check every .lox file below src/
  bumplox fmt src/               format every .lox file below src/ in place
  bumplox parse --spans a.lox    print a syntax tree with byte spans
  bumplox test tests/            run the // expect: comments of Lox tests

",
        exit_codes!()
    )
)]
struct Cli {
    #[command(subcommand)]
    command: Option<CliCommand>,
    #[command(flatten)]
    program: ProgramArgs,
}

#[derive(Subcommand, Debug)]
enum CliCommand {
    /// Compile and run a Lox program
    #[command(after_help = concat!(
        "Examples:\n",
        "  bumplox run hello.lox\n",
        "  bumplox hello.lox                     the same\n",
        "  echo 'print 1 + 2;' | bumplox run -\n",
        "  bumplox run --max-instructions 1e6 --max-memory 64MiB untrusted.lox"
    ))]
    Run {
        /// The program to run; `-` reads standard input
        file: String,
        #[command(flatten)]
        program: ProgramArgs,
    },
    /// Start an interactive session (the default with no command)
    #[command(after_help = concat!(
        "Statements run as they are completed; a line that leaves a bracket or a\n",
        "statement open asks for more ('... '), and an empty line ends it.\n",
        "Ctrl-C clears the line or stops a running statement; Ctrl-D quits.\n",
        "History is kept in ~/.bumplox_history. Piped into, it runs the input as a\n",
        "script and exits with the code of its first error.\n\n",
        "Examples:\n",
        "  bumplox\n",
        "  bumplox repl --gc-stress\n",
        "  bumplox < script.lox"
    ))]
    Repl {
        #[command(flatten)]
        program: ProgramArgs,
    },
    /// Lex, parse, resolve and compile files or folders, in parallel, without running them
    #[command(after_help = concat!(
        "Every .lox file below a folder is checked; symbolic links are not\n",
        "followed unless --follow is given.\n\n",
        "Examples:\n",
        "  bumplox check a.lox b.lox\n",
        "  bumplox check --error-format json src/ 2>&1 | jq .message"
    ))]
    #[command(mut_arg("max_memory", |arg| arg.help(FRONT_END_MEMORY_HELP)))]
    Check {
        /// Files and folders to check
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
        /// Follow symbolic links while walking folders
        #[arg(long)]
        follow: bool,
        #[command(flatten)]
        front_end: FrontEndArgs,
        #[command(flatten)]
        errors: ErrorArgs,
    },
    /// Format files or folders in place, or check that they are formatted
    #[command(after_help = concat!(
        "The layout: two-space indentation, one statement a line, spaces around\n",
        "binary operators, at most one blank line in a row, lines of at most 100\n",
        "columns where breaking a call's arguments or a function's parameters\n",
        "helps. Comments are kept where they are. A file with syntax errors is\n",
        "left as it is and its errors are printed (exit 65). Files are rewritten\n",
        "atomically (a temporary file in the same folder, then a rename), and only\n",
        "when their text changes. Every .lox file below a folder is formatted;\n",
        "symbolic links are not followed unless --follow is given.\n\n",
        "Examples:\n",
        "  bumplox fmt a.lox src/\n",
        "  bumplox fmt --check src/          list the files that would change (exit 1)\n",
        "  bumplox fmt - < a.lox > b.lox     standard input to standard output\n",
        "  git diff --cached --name-only --diff-filter=ACM -z -- '*.lox' | xargs -0 -r bumplox fmt --check"
    ))]
    // fmt runs no program: its `--max-memory` bounds only the source and the tree.
    #[command(mut_arg("max_memory", |arg| arg.help(
        "The largest source read, and the memory for the syntax tree, each; e.g. 512MB, 2GiB"
    )))]
    Fmt {
        /// Files and folders to format; `-` formats standard input to standard output
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
        /// Change nothing: print the files that are not formatted and exit 1 if any
        #[arg(long)]
        check: bool,
        /// Follow symbolic links while walking folders
        #[arg(long)]
        follow: bool,
        #[command(flatten)]
        memory: MemoryArgs,
        #[command(flatten)]
        errors: ErrorArgs,
    },
    /// Run Lox test files: compare their output with their `// expect:` comments
    #[command(after_help = concat!(
        "A test file states what it prints with `// expect: TEXT` comments, a\n",
        "runtime error with `// expect runtime error: MESSAGE`, and compile errors\n",
        "with `// Error at 'x': MESSAGE` or `// [line N] Error ...` comments, as the\n",
        "official Lox test suite does. Files without any expectation are skipped.\n\n",
        "Examples:\n",
        "  bumplox test                 every test below the current folder\n",
        "  bumplox test tests/ a.lox"
    ))]
    Test {
        /// Files and folders of tests (default: the current folder)
        #[arg(value_name = "PATH")]
        paths: Vec<String>,
        /// Also run files without expectations; they must print nothing and
        /// exit 0 (the official suite's runner counts them)
        #[arg(long)]
        all: bool,
        /// Seconds one test may run before it fails as hung
        #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = parse_seconds)]
        timeout: u64,
        #[command(flatten)]
        front_end: FrontEndArgs,
        #[command(flatten)]
        vm: VmArgs,
    },
    /// Print the syntax tree
    #[command(after_help = concat!(
        "Examples:\n",
        "  bumplox parse a.lox\n",
        "  bumplox parse --spans --alloc box a.lox\n",
        "  bumplox parse --format json a.lox"
    ))]
    #[command(mut_arg("max_memory", |arg| arg.help(FRONT_END_MEMORY_HELP)))]
    Parse {
        /// The file to parse; `-` reads standard input
        file: String,
        /// How to print the tree
        #[arg(long, value_enum, default_value_t = DumpFormat::Sexpr)]
        format: DumpFormat,
        /// Show byte spans (with --format sexpr)
        #[arg(long)]
        spans: bool,
        #[command(flatten)]
        front_end: FrontEndArgs,
        #[command(flatten)]
        errors: ErrorArgs,
    },
    /// Print one token a line: line, kind, lexeme
    #[command(after_help = concat!(
        "A character no token starts with, or a string left open, is printed as an\n",
        "ERROR line in its place, and the exit code is then 65.\n\n",
        "Examples:\n",
        "  bumplox tokens a.lox\n",
        "  echo 'print 1 + 2;' | bumplox tokens -"
    ))]
    // tokens builds no tree and runs no program: `--max-memory` bounds the source.
    #[command(mut_arg("max_memory", |arg| arg.help(
        "The largest source read; e.g. 512MB, 2GiB"
    )))]
    Tokens {
        /// The file to lex; `-` reads standard input
        file: String,
        #[command(flatten)]
        memory: MemoryArgs,
        #[command(flatten)]
        errors: ErrorArgs,
    },
    /// Print the bytecode of every function
    #[command(after_help = concat!(
        "Examples:\n",
        "  bumplox disasm a.lox\n",
        "  bumplox disasm a.lox | less"
    ))]
    #[command(mut_arg("max_memory", |arg| arg.help(FRONT_END_MEMORY_HELP)))]
    Disasm {
        /// The file to compile; `-` reads standard input
        file: String,
        #[command(flatten)]
        front_end: FrontEndArgs,
        #[command(flatten)]
        errors: ErrorArgs,
    },
    /// Print the size and alignment of every tree node under each strategy
    #[command(after_help = "Example:\n  bumplox layout | grep Binary")]
    Layout,
    /// Serve the Language Server Protocol on standard input and output
    #[command(after_help = concat!(
        "An editor starts it and talks JSON-RPC to it: diagnostics (as `check`\n",
        "reports them) on every change, go to definition, references, hover,\n",
        "rename, document symbols, semantic tokens and selection ranges.\n",
        "The README shows how to set it up in Neovim and VS Code.\n\n",
        "Examples:\n",
        "  bumplox lsp\n",
        "  nvim --cmd \"lua vim.lsp.start({name='bumplox', cmd={'bumplox','lsp'}})\" a.lox"
    ))]
    #[command(mut_arg("max_memory", |arg| arg.help(FRONT_END_MEMORY_HELP)))]
    Lsp {
        #[command(flatten)]
        front_end: FrontEndArgs,
    },
    /// Print a generated Lox program that passes `check`
    #[command(after_help = "Example:\n  bumplox gen --size 100MB --seed 1 > big.lox")]
    Gen {
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// Time every front-end stage under every allocation strategy
    #[command(after_help = concat!(
        "Each strategy runs in a process of its own. Without FILE, a corpus of\n",
        "--size bytes is generated.\n\n",
        "Example:\n",
        "  bumplox bench --size 10MB --runs 7 --plot bench.svg"
    ))]
    Bench {
        /// The Lox file to measure (default: a generated corpus)
        file: Option<String>,
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Timed runs of each stage
        #[arg(long, default_value_t = 5, value_parser = parse_count)]
        runs: u32,
        /// Also write a chart of the medians to this SVG file
        #[arg(long, value_name = "OUT.svg")]
        plot: Option<String>,
    },
    /// Print a shell completion script
    #[command(after_help = concat!(
        "Example:\n",
        "  bumplox completions bash > ~/.local/share/bash-completion/completions/bumplox"
    ))]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

/// How the tree is built: the options of every command that parses.
#[derive(Args, Debug, Clone)]
struct FrontEndArgs {
    /// How the syntax tree is allocated (the output is the same for all)
    #[arg(long, value_enum, default_value_t = AllocChoice::BUMP)]
    alloc: AllocChoice,
    #[command(flatten)]
    memory: MemoryArgs,
}

/// `--max-memory`'s help for the commands that build a tree but run no
/// program (`check`, `parse`, `disasm`, `lsp`): [`MemoryArgs`]' own text also
/// speaks of the heap, which only `run`, `repl` and `test` have.
const FRONT_END_MEMORY_HELP: &str =
    "The largest source read, and the memory for the syntax tree (with --alloc bump or flat), \
     each; e.g. 512MB, 2GiB";

/// The memory bound of every command that reads a source.
#[derive(Args, Debug, Clone)]
struct MemoryArgs {
    /// The largest source read, and the memory for the syntax tree (with
    /// --alloc bump or flat) and for a running program's heap, each; e.g.
    /// 512MB, 2GiB
    #[arg(long, value_name = "SIZE", default_value = "4GiB", value_parser = parse_memory, allow_hyphen_values = true)]
    max_memory: usize,
}

/// How errors are printed.
#[derive(Args, Debug, Clone)]
struct ErrorArgs {
    /// How errors are printed: `lox` prints exactly the book's lines
    #[arg(long, value_enum, default_value_t = ErrorFormatArg::Rich)]
    error_format: ErrorFormatArg,
    /// Color in rich errors (`NO_COLOR` turns auto off)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

/// Limits and checks of the running program.
#[derive(Args, Debug, Clone)]
struct VmArgs {
    /// Collect garbage at every allocation
    #[arg(long)]
    gc_stress: bool,
    /// Stop a program after about N instructions (default: no limit)
    #[arg(long, value_name = "N", value_parser = parse_instructions, allow_hyphen_values = true)]
    max_instructions: Option<u64>,
}

/// The options of `run` and of the interactive session, which compile and run.
#[derive(Args, Debug, Clone)]
struct ProgramArgs {
    #[command(flatten)]
    front_end: FrontEndArgs,
    #[command(flatten)]
    errors: ErrorArgs,
    #[command(flatten)]
    vm: VmArgs,
}

/// The generated corpus of `gen` and `bench`.
#[derive(Args, Debug, Clone)]
struct CorpusArgs {
    /// Corpus size, e.g. 10MB, 512KiB [default: 10MB]
    #[arg(long, value_name = "SIZE", value_parser = parse_corpus_size)]
    size: Option<usize>,
    /// Corpus seed
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ErrorFormatArg {
    /// Source snippets with labels
    Rich,
    /// Exactly the book's lines: `[line 3] Error at 'x': ...`
    Lox,
    /// One JSON object a line
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// What `parse` prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpFormat {
    /// S-expressions, one top-level statement a line
    Sexpr,
    /// One JSON document
    Json,
    /// Nothing: parse only (for timing)
    None,
}

/// A count of one or more, such as `--runs`.
fn parse_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(0) => Err("it must be 1 or more".to_string()),
        Ok(count) => Ok(count),
        Err(_) => Err(format!("expected a whole number from 1 to {}", u32::MAX)),
    }
}

/// A number of seconds, one or more.
fn parse_seconds(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("it must be 1 second or more".to_string()),
        Ok(seconds) => Ok(seconds),
        Err(_) => Err("expected a whole number of seconds".to_string()),
    }
}

fn parse_memory(text: &str) -> Result<usize, String> {
    bumplox_corpus::parse_size(text)
}

fn parse_corpus_size(text: &str) -> Result<usize, String> {
    bumplox_corpus::parse_corpus_size(text)
}

/// A step count: a whole number, or a number in scientific notation such as
/// `1e6`, as people write large limits.
fn parse_instructions(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    if let Ok(steps) = trimmed.parse::<u64>() {
        return Ok(steps);
    }
    let too_large = || format!("'{text}' is too large (the most is {})", u64::MAX);
    match trimmed.parse::<f64>() {
        _ if trimmed.starts_with('-') => Err(format!("'{text}' is negative")),
        // Only a number made of digits can overflow u64 parsing.
        _ if !trimmed.is_empty() && trimmed.bytes().all(|byte| byte.is_ascii_digit()) => {
            Err(too_large())
        }
        Ok(steps) if steps.fract() == 0.0 && steps >= 0.0 && steps < u64::MAX as f64 => {
            Ok(steps as u64)
        }
        Ok(steps) if steps.is_finite() && steps.fract() == 0.0 => Err(too_large()),
        _ => Err(format!("'{text}' is not a whole number of steps")),
    }
}

/// What the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Repl,
    Run(String),
    Check(Vec<String>),
    Fmt(Vec<String>),
    Test(Vec<String>),
    Parse(String),
    Tokens(String),
    Disasm(String),
    Layout,
    Lsp,
    Gen,
    Bench(Option<String>),
    Completions(clap_complete::Shell),
}

/// Options shared by the commands; each command reads the ones it needs, and
/// the command line only accepts, for each command, the ones it reads.
#[derive(Clone, Debug)]
pub struct Options {
    pub alloc: AllocChoice,
    pub error_format: ErrorFormat,
    pub color: ColorChoice,
    pub dump_format: DumpFormat,
    pub spans: bool,
    pub gc_stress: bool,
    /// `--max-memory`, in bytes.
    pub max_memory: usize,
    /// `--max-instructions`.
    pub max_instructions: Option<u64>,
    /// `check --follow`, `fmt --follow`: follow symbolic links while walking folders.
    pub follow: bool,
    /// `fmt --check`: report unformatted files instead of rewriting them.
    pub fmt_check: bool,
    /// `test --all`: files without expectations are tests too.
    pub test_unmarked: bool,
    /// `test --timeout`.
    pub test_timeout: std::time::Duration,
    /// `gen` and `bench`: the corpus size in bytes, when given.
    pub size: Option<usize>,
    pub seed: u64,
    pub runs: usize,
    pub plot: Option<String>,
}

/// The default `--max-memory`: generous for any real program, and still well
/// short of what makes a machine swap.
pub const DEFAULT_MAX_MEMORY: usize = 4 << 30;

impl Default for Options {
    fn default() -> Self {
        Options {
            alloc: AllocChoice::BUMP,
            error_format: ErrorFormat::Rich,
            color: ColorChoice::Auto,
            dump_format: DumpFormat::Sexpr,
            spans: false,
            gc_stress: false,
            max_memory: DEFAULT_MAX_MEMORY,
            max_instructions: None,
            follow: false,
            fmt_check: false,
            test_unmarked: false,
            test_timeout: std::time::Duration::from_secs(60),
            size: None,
            seed: 1,
            runs: 5,
            plot: None,
        }
    }
}

impl Options {
    fn front_end(mut self, args: &FrontEndArgs) -> Options {
        self.alloc = args.alloc;
        self.memory(&args.memory)
    }

    fn memory(mut self, args: &MemoryArgs) -> Options {
        self.max_memory = args.max_memory;
        self
    }

    fn errors(mut self, args: &ErrorArgs) -> Options {
        self.error_format = match args.error_format {
            ErrorFormatArg::Rich => ErrorFormat::Rich,
            ErrorFormatArg::Lox => ErrorFormat::Lox,
            ErrorFormatArg::Json => ErrorFormat::Json,
        };
        self.color = match args.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        };
        self
    }

    fn vm(mut self, args: &VmArgs) -> Options {
        self.gc_stress = args.gc_stress;
        self.max_instructions = args.max_instructions;
        self
    }

    fn corpus(mut self, args: &CorpusArgs) -> Options {
        self.size = args.size;
        self.seed = args.seed;
        self
    }

    fn program(self, args: &ProgramArgs) -> Options {
        self.front_end(&args.front_end)
            .errors(&args.errors)
            .vm(&args.vm)
    }
}

/// Why the command line did not become a command: help or the version was
/// asked for (printed to stdout, exit 0), or the usage was wrong (stderr, 64).
#[derive(Debug)]
pub struct Rejected {
    /// The text to print, already formatted by clap, ending in a newline.
    pub text: String,
    pub is_error: bool,
}

/// Parses the arguments after the program name; `version` is what
/// `--version` prints (the product's, not this crate's).
pub fn parse_args(
    args: &[OsString],
    version: &'static str,
) -> Result<(Command, Options), Rejected> {
    // Built once: the shortcut and the reordering below read the same
    // definition that parses the result.
    let definition = Cli::command().version(version);
    let mut argv: Vec<OsString> = vec![OsString::from("bumplox")];
    match first_positional(&definition, args) {
        Some(first) if is_run_shortcut(&definition, &first) => {
            argv.push(OsString::from("run"));
            argv.extend(args.iter().cloned());
        }
        // Options written before the command (`bumplox --error-format json
        // check .`) are moved after it, where the command accepts them if they
        // are its own and rejects them if not.
        Some(first) if first.index > 0 && !first.after_dashes => {
            argv.push(args[first.index].clone());
            argv.extend(args[..first.index].iter().cloned());
            argv.extend(args[first.index + 1..].iter().cloned());
        }
        _ => argv.extend(args.iter().cloned()),
    }
    let rejected = |error: clap::Error| Rejected {
        text: error.render().to_string(),
        is_error: error.use_stderr(),
    };
    let matches = definition.try_get_matches_from(argv).map_err(rejected)?;
    let cli = Cli::from_arg_matches(&matches).map_err(rejected)?;
    command_and_options(cli).map_err(rejected)
}

fn command_and_options(cli: Cli) -> Result<(Command, Options), clap::Error> {
    let options = Options::default();
    let Some(command) = cli.command else {
        return Ok((Command::Repl, options.program(&cli.program)));
    };
    let chosen = match command {
        CliCommand::Run { file, program } => (Command::Run(file), options.program(&program)),
        CliCommand::Repl { program } => (Command::Repl, options.program(&program)),
        CliCommand::Check {
            paths,
            follow,
            front_end,
            errors,
        } => (
            Command::Check(paths),
            Options {
                follow,
                ..options.front_end(&front_end).errors(&errors)
            },
        ),
        CliCommand::Test {
            paths,
            all,
            timeout,
            front_end,
            vm,
        } => (
            Command::Test(paths),
            Options {
                test_unmarked: all,
                test_timeout: std::time::Duration::from_secs(timeout),
                ..options.front_end(&front_end).vm(&vm)
            },
        ),
        CliCommand::Parse { format, spans, .. } if spans && format != DumpFormat::Sexpr => {
            return Err(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "'--spans' shows spans in the S-expression dump only; the {} format {}",
                    match format {
                        DumpFormat::Json => "json",
                        _ => "none",
                    },
                    match format {
                        DumpFormat::Json => "always has them",
                        _ => "prints no tree",
                    }
                ),
            ));
        }
        CliCommand::Fmt {
            paths,
            check,
            follow,
            memory,
            errors,
        } => (
            Command::Fmt(paths),
            Options {
                follow,
                fmt_check: check,
                ..options.memory(&memory).errors(&errors)
            },
        ),
        CliCommand::Parse {
            file,
            format,
            spans,
            front_end,
            errors,
        } => (
            Command::Parse(file),
            Options {
                dump_format: format,
                spans,
                ..options.front_end(&front_end).errors(&errors)
            },
        ),
        CliCommand::Tokens {
            file,
            memory,
            errors,
        } => (
            Command::Tokens(file),
            options.memory(&memory).errors(&errors),
        ),
        CliCommand::Disasm {
            file,
            front_end,
            errors,
        } => (
            Command::Disasm(file),
            options.front_end(&front_end).errors(&errors),
        ),
        CliCommand::Layout => (Command::Layout, options),
        CliCommand::Lsp { front_end } => (Command::Lsp, options.front_end(&front_end)),
        CliCommand::Gen { corpus } => (Command::Gen, options.corpus(&corpus)),
        CliCommand::Bench {
            file,
            corpus,
            runs,
            plot,
        } => (
            Command::Bench(file),
            Options {
                runs: runs as usize,
                plot,
                ..options.corpus(&corpus)
            },
        ),
        CliCommand::Completions { shell } => (Command::Completions(shell), options),
    };
    Ok(chosen)
}

/// The first argument that is neither an option nor an option's value.
struct Positional {
    word: String,
    /// Its place in the arguments.
    index: usize,
    /// Whether it came after `--`, where any word is positional.
    after_dashes: bool,
}

/// Whether the command line is `bumplox [OPTIONS] FILE [OPTIONS]`, the shortcut
/// for `bumplox run`. Its first positional word decides: a command's name is a
/// command; anything else that names a file (`-`, a path that exists, or a
/// name ending in `.lox`) is a file to run, as is any word after `--`. A word
/// that is neither is left to clap, which then suggests the command it most
/// resembles (`chek` → `check`).
fn is_run_shortcut(cli: &clap::Command, first: &Positional) -> bool {
    if first.after_dashes {
        return true;
    }
    let word = first.word.as_str();
    let is_command = cli.get_subcommands().any(|command| {
        command.get_name() == word || command.get_all_aliases().any(|alias| alias == word)
    }) || word == "help";
    if is_command {
        return false;
    }
    word == "-" || word.ends_with(".lox") || std::path::Path::new(word).exists()
}

/// The first argument that is not an option or an option's value. Which
/// options take a value is read from the command line's own definition, so
/// this cannot fall out of step with it.
fn first_positional(cli: &clap::Command, args: &[OsString]) -> Option<Positional> {
    let mut arguments: Vec<&clap::Arg> = cli.get_arguments().collect();
    for command in cli.get_subcommands() {
        arguments.extend(command.get_arguments());
    }
    let known = |word: &str| {
        let name = word.split('=').next().unwrap_or(word);
        matches!(name, "-h" | "--help" | "-V" | "--version")
            || arguments.iter().any(|arg| {
                arg.get_long() == Some(name.trim_start_matches("--"))
                    || arg
                        .get_short()
                        .is_some_and(|short| name == format!("-{short}"))
            })
    };
    let takes_value = |name: &str| {
        arguments.iter().any(|arg| {
            arg.get_action().takes_values()
                && (arg.get_long() == Some(name.trim_start_matches("--"))
                    || arg
                        .get_short()
                        .is_some_and(|short| name == format!("-{short}")))
        })
    };
    let mut index = 0;
    while index < args.len() {
        let word = args[index].to_string_lossy();
        match word.as_ref() {
            "--" => {
                return args.get(index + 1).map(|next| Positional {
                    word: next.to_string_lossy().into_owned(),
                    index: index + 1,
                    after_dashes: true,
                })
            }
            option if option.starts_with('-') && option != "-" => {
                // An option no command knows stops the search: what follows
                // it cannot be told apart, and clap names the option (with a
                // suggestion) better than a guess at a command would.
                if !known(option) {
                    return None;
                }
                if !option.contains('=') && takes_value(option) {
                    index += 1;
                }
            }
            _ => {
                return Some(Positional {
                    word: word.into_owned(),
                    index,
                    after_dashes: false,
                })
            }
        }
        index += 1;
    }
    None
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "bumplox", out);
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::{parse_args, parse_instructions, Cli, Command, DumpFormat};
    use crate::session::AllocChoice;

    fn args(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    /// Parses `line` and returns the command, or the first line of the error.
    fn parsed(line: &str) -> Result<Command, String> {
        match parse_args(&args(line), "1.0") {
            Ok((command, _)) => Ok(command),
            Err(rejected) => Err(rejected.text.lines().next().unwrap_or("").to_string()),
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn a_bare_file_runs_it_and_no_file_starts_the_repl() {
        assert_eq!(parsed("prog.lox"), Ok(Command::Run("prog.lox".into())));
        assert_eq!(
            parsed("--gc-stress prog.lox"),
            Ok(Command::Run("prog.lox".into()))
        );
        assert_eq!(
            parsed("--alloc box prog.lox"),
            Ok(Command::Run("prog.lox".into()))
        );
        assert_eq!(parsed("-"), Ok(Command::Run("-".into())));
        assert_eq!(parsed(""), Ok(Command::Repl));
        assert_eq!(parsed("--gc-stress"), Ok(Command::Repl));
        assert_eq!(parsed("repl"), Ok(Command::Repl));
        assert_eq!(parsed("-- check"), Ok(Command::Run("check".into())));
        // Options before the command belong to it.
        assert_eq!(
            parsed("--error-format json check a.lox"),
            Ok(Command::Check(vec!["a.lox".into()]))
        );
        assert_eq!(
            parse_args(&args("--max-memory 1MB run a.lox"), "1.0")
                .map(|(_, options)| options.max_memory)
                .ok(),
            Some(1_000_000)
        );
    }

    #[test]
    fn options_go_anywhere_and_take_inline_values() {
        let (command, options) =
            parse_args(&args("parse --alloc=box a.lox --format json"), "1.0").unwrap();
        assert_eq!(command, Command::Parse("a.lox".into()));
        assert_eq!(options.alloc, AllocChoice(bumplox_tree::Strategy::Boxed));
        assert_eq!(options.dump_format, DumpFormat::Json);
    }

    #[test]
    fn gen_and_bench_take_sizes_with_units() {
        let (command, options) = parse_args(&args("gen --size 2.5MB --seed 7"), "1.0").unwrap();
        assert_eq!(command, Command::Gen);
        assert_eq!((options.size, options.seed), (Some(2_500_000), 7));
        let (command, options) =
            parse_args(&args("bench big.lox --runs 3 --plot out.svg"), "1.0").unwrap();
        assert_eq!(command, Command::Bench(Some("big.lox".into())));
        assert_eq!((options.runs, options.plot), (3, Some("out.svg".into())));
        assert_eq!(parsed("bench"), Ok(Command::Bench(None)));
    }

    /// Each bad command line and the start of what clap says about it.
    #[test]
    fn bad_usage_is_explained() {
        for (line, expected) in [
            ("--alloc arena x.lox", "error: invalid value 'arena' for '--alloc <ALLOC>'"),
            ("--frobnicate", "error: unexpected argument '--frobnicate' found"),
            ("run a.lox b.lox", "error: unexpected argument 'b.lox' found"),
            ("check", "error: the following required arguments were not provided:"),
            ("--alloc", "error: a value is required for '--alloc <ALLOC>' but none was supplied"),
            ("chek x.lox", "error: unrecognized subcommand 'chek'"),
            ("tokens --format json a.lox", "error: unexpected argument '--format' found"),
            ("run --spans a.lox", "error: unexpected argument '--spans' found"),
            ("--spans run a.lox", "error: unexpected argument '--spans' found"),
            ("--colr never x.lox", "error: unexpected argument '--colr' found"),
            (
                "parse --spans --format json a.lox",
                "error: '--spans' shows spans in the S-expression dump only; the json format always has them",
            ),
            ("--max-memory -1 run a.lox", "error: invalid value '-1' for '--max-memory <SIZE>': a size cannot be negative: '-1'"),
            ("bench --runs 0", "error: invalid value '0' for '--runs <RUNS>': it must be 1 or more"),
            ("gen --size lots", "error: invalid value 'lots' for '--size <SIZE>': unknown size unit in 'lots' (use B, KB, MB, GB, KiB, MiB or GiB)"),
        ] {
            assert_eq!(parsed(line).unwrap_err(), expected, "{line}");
        }
    }

    #[test]
    fn step_counts_say_what_is_wrong() {
        for (text, expected) in [
            ("1000", Ok(1000)),
            ("1e6", Ok(1_000_000)),
            (
                "99999999999999999999",
                Err("'99999999999999999999' is too large (the most is 18446744073709551615)"),
            ),
            (
                "1e30",
                Err("'1e30' is too large (the most is 18446744073709551615)"),
            ),
            ("-5", Err("'-5' is negative")),
            ("lots", Err("'lots' is not a whole number of steps")),
            ("1.5", Err("'1.5' is not a whole number of steps")),
        ] {
            assert_eq!(
                parse_instructions(text),
                expected.map_err(String::from),
                "{text}"
            );
        }
    }
}
