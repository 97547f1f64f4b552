//! The command line: parsing arguments into a [`Command`], and the help text.

use bumplox_diagnostics::{ColorChoice, ErrorFormat};

use crate::session::AllocChoice;

pub const USAGE: &str = "\
bumplox: a Lox compiler whose front-end builds its tree in an arena

Usage:
  bumplox [OPTIONS] FILE          compile and run FILE (same as `bumplox run`)
  bumplox                         start an interactive session (REPL)
  bumplox run [OPTIONS] FILE      compile and run FILE; `-` reads standard input
  bumplox check [OPTIONS] PATH... lex, parse and resolve files (folders: every
                                  .lox file below them), in parallel
  bumplox parse [OPTIONS] FILE    print the syntax tree
  bumplox tokens FILE             print one token a line: line, kind, lexeme
  bumplox disasm FILE             print the bytecode
  bumplox layout                  print size and alignment of every tree node
  bumplox gen [--size N] [--seed S]
                                  print a generated Lox program of N bytes
                                  (default 10MB, seed 1) that passes `check`
  bumplox bench [FILE] [--size N] [--seed S] [--runs R] [--plot OUT.svg]
                                  time every front-end stage under every
                                  allocation strategy on FILE (default: a
                                  generated corpus of --size), count
                                  allocations, print a table, draw a chart
  bumplox help                    print this help

Options:
  --alloc bump|typed|box          how the tree is allocated (default: bump)
  --error-format rich|lox|json    how errors are printed (default: rich)
  --color auto|always|never       color in rich errors (default: auto; NO_COLOR
                                  turns auto off)
  --format sexpr|json|none        `parse` output (default: sexpr)
  --spans                         `parse --format sexpr`: show byte spans
  --gc-stress                     collect garbage at every allocation
  --max-instructions N            stop a program after about N instructions
                                  (default: no limit)
  --size N                        `gen`, `bench`: corpus size, e.g. 10MB, 512KiB
  --seed S                        `gen`, `bench`: corpus seed (default: 1)
  --runs R                        `bench`: timed runs of each stage (default: 5)
  --plot OUT.svg                  `bench`: also write a chart of the medians
  --max-memory SIZE               memory for the syntax tree (with --alloc bump)
                                  and for the running program's heap, each;
                                  e.g. 512MB, 2GiB (default: 4GiB)
  -h, --help                      print this help
  -V, --version                   print the version

Exit codes:
  0 success, 64 bad usage, 65 compile error, 70 runtime error,
  74 file could not be read, 101 internal error (a bug: please report it)
";

/// What the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    Repl,
    Run(String),
    Check(Vec<String>),
    Parse(String),
    Tokens(String),
    Disasm(String),
    Layout,
    Gen,
    Bench(Option<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpFormat {
    Sexpr,
    Json,
    None,
}

/// Options shared by the commands; each command reads the ones it needs.
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
    /// `gen` and `bench`: the corpus size in bytes, when given.
    pub size: Option<usize>,
    pub seed: u64,
    pub runs: usize,
    pub plot: Option<String>,
    /// `bench --worker STRATEGY`: the process `bench` starts for one strategy
    /// (not in the help: it is `bench`'s own protocol).
    pub worker: Option<String>,
    /// `check --follow`: follow symbolic links while walking folders.
    pub follow: bool,
}

/// The default `--max-memory`: generous for any real program, and still well
/// short of what makes a machine swap.
pub const DEFAULT_MAX_MEMORY: usize = 4 << 30;

impl Default for Options {
    fn default() -> Self {
        Options {
            alloc: AllocChoice::Bump,
            error_format: ErrorFormat::Rich,
            color: ColorChoice::Auto,
            dump_format: DumpFormat::Sexpr,
            spans: false,
            gc_stress: false,
            max_memory: DEFAULT_MAX_MEMORY,
            max_instructions: None,
            size: None,
            seed: 1,
            runs: 5,
            plot: None,
            worker: None,
            follow: false,
        }
    }
}

/// Parses the arguments after the program name. The error is a one-line
/// message for standard error.
pub fn parse_args(args: &[String]) -> Result<(Command, Options), String> {
    let mut options = Options::default();
    let mut positional: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline_value.clone().or_else(|| iter.next().cloned()) {
                Some(value) => Ok(value),
                None => Err(format!("option '{name}' needs a value")),
            }
        };
        match flag {
            "-h" | "--help" => return Ok((Command::Help, options)),
            "-V" | "--version" => return Ok((Command::Version, options)),
            "--alloc" => {
                options.alloc = match value(flag)?.as_str() {
                    "bump" => AllocChoice::Bump,
                    "typed" => AllocChoice::Typed,
                    "box" => AllocChoice::Boxed,
                    other => {
                        return Err(format!(
                            "unknown allocation strategy '{other}' (expected bump, typed or box)"
                        ))
                    }
                }
            }
            "--error-format" => {
                options.error_format = match value(flag)?.as_str() {
                    "rich" => ErrorFormat::Rich,
                    "lox" => ErrorFormat::Lox,
                    "json" => ErrorFormat::Json,
                    other => {
                        return Err(format!(
                            "unknown error format '{other}' (expected rich, lox or json)"
                        ))
                    }
                }
            }
            "--color" => {
                options.color = match value(flag)?.as_str() {
                    "auto" => ColorChoice::Auto,
                    "always" => ColorChoice::Always,
                    "never" => ColorChoice::Never,
                    other => {
                        return Err(format!(
                            "unknown color choice '{other}' (expected auto, always or never)"
                        ))
                    }
                }
            }
            "--format" => {
                options.dump_format = match value(flag)?.as_str() {
                    "sexpr" => DumpFormat::Sexpr,
                    "json" => DumpFormat::Json,
                    "none" => DumpFormat::None,
                    other => {
                        return Err(format!(
                            "unknown tree format '{other}' (expected sexpr, json or none)"
                        ))
                    }
                }
            }
            "--max-memory" => {
                options.max_memory = bumplox_corpus::parse_size(&value(flag)?)?;
            }
            "--max-instructions" => {
                let text = value(flag)?;
                let steps = text.parse().map_err(|_| {
                    format!("invalid step count '{text}' (expected a whole number)")
                })?;
                options.max_instructions = Some(steps);
            }
            "--spans" => options.spans = true,
            "--gc-stress" => options.gc_stress = true,
            "--size" => options.size = Some(bumplox_corpus::parse_corpus_size(&value(flag)?)?),
            "--seed" => {
                let text = value(flag)?;
                options.seed = text
                    .parse()
                    .map_err(|_| format!("'{text}' is not a seed (a whole number)"))?;
            }
            "--runs" => {
                let text = value(flag)?;
                options.runs = match text.parse() {
                    Ok(runs) if runs > 0 => runs,
                    _ => return Err(format!("'{text}' is not a number of runs (1 or more)")),
                };
            }
            "--plot" => options.plot = Some(value(flag)?),
            "--worker" => options.worker = Some(value(flag)?),
            "-" => positional.push(arg.clone()),
            _ if flag.starts_with('-') => return Err(format!("unknown option '{flag}'")),
            _ => positional.push(arg.clone()),
        }
    }
    let command = command(positional)?;
    Ok((command, options))
}

fn command(positional: Vec<String>) -> Result<Command, String> {
    let mut words = positional.into_iter();
    let Some(first) = words.next() else {
        return Ok(Command::Repl);
    };
    let rest: Vec<String> = words.collect();
    let one_file = |name: &str, rest: Vec<String>| -> Result<String, String> {
        let mut rest = rest.into_iter();
        match (rest.next(), rest.next()) {
            (Some(file), None) => Ok(file),
            (None, _) => Err(format!("'{name}' needs a file")),
            (Some(_), Some(extra)) => Err(format!("'{name}' takes one file; unexpected '{extra}'")),
        }
    };
    match first.as_str() {
        "help" => Ok(Command::Help),
        "layout" => match rest.first() {
            None => Ok(Command::Layout),
            Some(extra) => Err(format!("'layout' takes no arguments; unexpected '{extra}'")),
        },
        "gen" => match rest.first() {
            None => Ok(Command::Gen),
            Some(extra) => Err(format!("'gen' takes no arguments; unexpected '{extra}'")),
        },
        "bench" => match rest.len() {
            0 | 1 => Ok(Command::Bench(rest.into_iter().next())),
            _ => Err(format!(
                "'bench' takes at most one file; unexpected '{}'",
                rest[1]
            )),
        },
        "run" => one_file("run", rest).map(Command::Run),
        "parse" => one_file("parse", rest).map(Command::Parse),
        "tokens" => one_file("tokens", rest).map(Command::Tokens),
        "disasm" => one_file("disasm", rest).map(Command::Disasm),
        "check" => match rest.is_empty() {
            true => Err("'check' needs at least one file or folder".to_string()),
            false => Ok(Command::Check(rest)),
        },
        _ => match rest.first() {
            None => Ok(Command::Run(first)),
            Some(extra) => Err(format!(
                "unexpected argument '{extra}' after the file to run"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_args, Command, DumpFormat};
    use crate::session::AllocChoice;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn a_bare_file_runs_it_and_no_file_starts_the_repl() {
        assert_eq!(
            parse_args(&args("prog.lox")).unwrap().0,
            Command::Run("prog.lox".into())
        );
        assert_eq!(parse_args(&[]).unwrap().0, Command::Repl);
    }

    #[test]
    fn options_go_anywhere_and_take_inline_values() {
        let (command, options) =
            parse_args(&args("parse --alloc=box a.lox --format json")).unwrap();
        assert_eq!(command, Command::Parse("a.lox".into()));
        assert_eq!(options.alloc, AllocChoice::Boxed);
        assert_eq!(options.dump_format, DumpFormat::Json);
    }

    #[test]
    fn gen_and_bench_take_sizes_with_units() {
        let (command, options) = parse_args(&args("gen --size 2.5MB --seed 7")).unwrap();
        assert_eq!(command, Command::Gen);
        assert_eq!((options.size, options.seed), (Some(2_500_000), 7));
        let (command, options) =
            parse_args(&args("bench big.lox --runs 3 --plot out.svg")).unwrap();
        assert_eq!(command, Command::Bench(Some("big.lox".into())));
        assert_eq!((options.runs, options.plot), (3, Some("out.svg".into())));
        assert_eq!(parse_args(&args("bench")).unwrap().0, Command::Bench(None));
        assert_eq!(
            parse_args(&args("gen --size lots")).unwrap_err(),
            "unknown size unit in 'lots' (use B, KB, MB, GB, KiB, MiB or GiB)"
        );
        assert_eq!(
            parse_args(&args("bench --runs 0")).unwrap_err(),
            "'0' is not a number of runs (1 or more)"
        );
    }

    #[test]
    fn bad_usage_is_explained() {
        assert_eq!(
            parse_args(&args("--alloc arena x.lox")).unwrap_err(),
            "unknown allocation strategy 'arena' (expected bump, typed or box)"
        );
        assert_eq!(
            parse_args(&args("--frobnicate")).unwrap_err(),
            "unknown option '--frobnicate'"
        );
        assert_eq!(
            parse_args(&args("run a.lox b.lox")).unwrap_err(),
            "'run' takes one file; unexpected 'b.lox'"
        );
        assert_eq!(
            parse_args(&args("check")).unwrap_err(),
            "'check' needs at least one file or folder"
        );
        assert_eq!(
            parse_args(&args("--alloc")).unwrap_err(),
            "option '--alloc' needs a value"
        );
    }
}
