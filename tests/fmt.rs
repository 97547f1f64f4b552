//! `bumplox fmt`: the formatter's guarantees over every official suite file
//! that parses, every example and a generated corpus (same tree, idempotent,
//! every comment kept in order), and the command's promises through the
//! binary (`--check`, `-`, in-place rewriting, files with errors untouched,
//! exit codes).

mod common;

use std::path::Path;
use std::process::Output;

use bumplox_fmt::FormatError;
use bumplox_lexer::{tokenize_with_comments, TokenKind};
use bumplox_tree::dump::DumpOptions;

use common::{bumplox_with_input, examples_dir, lox_files, run_front_end, scratch_dir, suite_dir};

/// The comments of `text`, in order, without trailing white space (the
/// formatter drops it).
fn comments(text: &str) -> Vec<&str> {
    tokenize_with_comments(text)
        .into_iter()
        .filter(|token| token.kind == TokenKind::Comment)
        .map(|token| text[token.span.range()].trim_end())
        .collect()
}

fn tree(text: &str) -> String {
    run_front_end("bump", text, DumpOptions { spans: false }).tree
}

/// Checks the guarantees on one source: `Ok(true)` if it was formatted and
/// kept them, `Ok(false)` if it has syntax errors, `Err` saying which
/// guarantee failed.
fn guarantees(name: &str, text: &str) -> Result<bool, String> {
    let formatted = match bumplox_fmt::format(text) {
        Ok(formatted) => formatted,
        Err(FormatError::Syntax(_)) => return Ok(false),
        Err(FormatError::Internal(message)) => return Err(format!("{name}: {message}")),
    };
    if tree(&formatted) != tree(text) {
        return Err(format!(
            "{name}: the formatted text parses to another tree:\n{formatted}"
        ));
    }
    match bumplox_fmt::format(&formatted) {
        Ok(again) if again == formatted => {}
        Ok(again) => {
            return Err(format!(
            "{name}: formatting twice changes the text:\n--- once\n{formatted}\n--- twice\n{again}"
        ))
        }
        Err(error) => return Err(format!("{name}: the formatted text fails: {error:?}")),
    }
    if comments(&formatted) != comments(text) {
        return Err(format!(
            "{name}: the comments differ:\n{:?}\n{:?}",
            comments(text),
            comments(&formatted)
        ));
    }
    Ok(true)
}

/// Runs [`guarantees`] on every `.lox` file below `root` and returns how many
/// were formatted, failing with every broken guarantee.
fn guarantees_below(root: &Path) -> usize {
    let mut formatted = 0;
    let mut failures = Vec::new();
    for relative in lox_files(root) {
        let text = common::read_source(&root.join(&relative));
        match guarantees(&relative, text.text()) {
            Ok(true) => formatted += 1,
            Ok(false) => {}
            Err(failure) => failures.push(failure),
        }
    }
    assert!(
        failures.is_empty(),
        "{} files break a guarantee:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    formatted
}

#[test]
fn every_suite_file_that_parses_keeps_its_tree_and_comments_and_formats_once() {
    let Some(suite) = suite_dir("every_suite_file_that_parses_keeps_its_tree_and_comments") else {
        return;
    };
    let formatted = guarantees_below(&suite);
    // The suite has some 250 files that parse; a formatter that refused
    // them all would check nothing.
    assert!(
        formatted > 100,
        "only {formatted} suite files were formatted"
    );
}

#[test]
fn every_example_keeps_its_tree_and_comments_and_formats_once() {
    let examples = examples_dir();
    let count = lox_files(&examples).len();
    assert_eq!(guarantees_below(&examples), count, "every example parses");
}

/// The generated corpus, 10 MB: about six seconds in a debug build.
#[test]
fn a_generated_corpus_keeps_its_tree_and_comments_and_formats_once() {
    let text = bumplox_corpus::generate(10_000_000, 7);
    assert!(
        !comments(&text).is_empty(),
        "the corpus has comments to keep"
    );
    assert_eq!(guarantees("corpus", &text), Ok(true));
}

/// `text` with comments put after random tokens, as `seed` decides: at the
/// end of the token's line (`a; // c3`), on a line of their own, or in the
/// middle of a line (a comment then a line break where a space was), so that
/// every place a comment can stand in some file is tried.
fn with_comments(text: &str, seed: u64) -> String {
    let mut rng = common::mutate::Rng::new(seed);
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    for (index, token) in bumplox_lexer::tokenize(text).iter().enumerate() {
        let end = token.span.end as usize;
        out.push_str(&text[at..end]);
        at = end;
        if rng.chance(30) {
            match rng.below(3) {
                0 => out.push_str(&format!(" // c{index}\n")),
                1 => out.push_str(&format!("\n// c{index}\n")),
                _ => out.push_str(&format!("\n\n  // c{index}   \n\n")),
            }
        }
    }
    out.push_str(&text[at..]);
    out
}

/// Every example and suite file that parses, with comments strewn after its
/// tokens (three seeds each), keeps the guarantees.
#[test]
fn comments_anywhere_keep_the_guarantees() {
    let mut roots = vec![examples_dir()];
    roots.extend(suite_dir("comments_anywhere_keep_the_guarantees"));
    let mut formatted = 0;
    let mut failures = Vec::new();
    for root in roots {
        for relative in lox_files(&root) {
            let text = common::read_source(&root.join(&relative));
            if bumplox_fmt::format(text.text()).is_err() {
                continue;
            }
            for seed in 0..3 {
                let commented = with_comments(text.text(), seed);
                match guarantees(&format!("{relative} (seed {seed})"), &commented) {
                    Ok(true) => formatted += 1,
                    Ok(false) => {
                        failures.push(format!("{relative} (seed {seed}) no longer parses"))
                    }
                    Err(failure) => failures.push(failure),
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} files break a guarantee:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        formatted > 300,
        "only {formatted} commented files were formatted"
    );
}

/// Hostile shapes on a 2 MiB stack: nesting past the parser's limit is a
/// syntax error and nothing else, and chains 100,000 long, nesting just
/// under the limit and ten thousand `else if` branches keep the guarantees.
#[test]
fn hostile_shapes_format_without_crashing() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for (name, src, _) in common::deep_nesting() {
                let result = bumplox_fmt::format(&src);
                assert!(
                    matches!(result, Err(FormatError::Syntax(_))),
                    "{name}: {result:?}"
                );
            }
            let long = 100_000;
            let deep = bumplox_parser::MAX_NESTING - 10;
            for (name, src) in [
                ("sum", "1".to_string() + &"+1".repeat(long) + ";"),
                ("calls", "f".to_string() + &"(1)".repeat(long) + ";"),
                ("properties", "a".to_string() + &".b".repeat(long) + ";"),
                (
                    "logical",
                    "a".to_string() + &" and a or a".repeat(long / 2) + ";",
                ),
                ("comments", "// c\n".repeat(long) + "x;"),
                (
                    "call arguments",
                    "f(".repeat(deep) + "x" + &")".repeat(deep) + ";",
                ),
                ("blocks", "{".repeat(deep) + "x;" + &"}".repeat(deep)),
                (
                    "parentheses",
                    "(".repeat(deep) + "x" + &")".repeat(deep) + ";",
                ),
                (
                    "else if",
                    "if (a) x;".to_string() + &" else if (a) x; // c\n".repeat(10_000),
                ),
            ] {
                assert_eq!(guarantees(name, &src), Ok(true), "{name}");
            }
        })
        .expect("a test thread")
        .join()
        .unwrap_or_else(|_| panic!("a hostile input crashed the formatter"));
}

/// The formatter finds comments with a scan for `"` and `/`, not the lexer;
/// the two agree on every suite file, errors and all, and on the corpus.
#[test]
fn the_comment_scan_agrees_with_the_lexer_on_every_file() {
    let mut texts: Vec<(String, String)> =
        vec![("corpus".to_string(), bumplox_corpus::generate(1_000_000, 3))];
    let mut roots = vec![examples_dir()];
    roots.extend(suite_dir(
        "the_comment_scan_agrees_with_the_lexer_on_every_file",
    ));
    for root in roots {
        for relative in lox_files(&root) {
            let text = common::read_source(&root.join(&relative));
            texts.push((relative, text.text().to_string()));
        }
    }
    for (name, text) in &texts {
        let lexed: Vec<_> = tokenize_with_comments(text)
            .into_iter()
            .filter(|token| token.kind == TokenKind::Comment)
            .map(|token| token.span)
            .collect();
        assert_eq!(bumplox_lexer::comment_spans(text), lexed, "{name}");
    }
}

// --- The command. ---

fn bumplox(args: &[&str]) -> Output {
    bumplox_with_input(args, b"")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const UGLY: &str = "var a=1;// one\nprint a+1;\n";
const PRETTY: &str = "var a = 1; // one\nprint a + 1;\n";
const BROKEN: &str = "var a = (1;\n";

/// A scratch folder with `ugly.lox`, `pretty.lox`, `broken.lox`, and
/// `sub/ugly.lox` below it.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = scratch_dir("fmt", name);
    std::fs::create_dir_all(dir.join("sub")).expect("a sub-folder");
    for (file, text) in [
        ("ugly.lox", UGLY),
        ("pretty.lox", PRETTY),
        ("broken.lox", BROKEN),
        ("sub/ugly.lox", UGLY),
        ("sub/notes.txt", UGLY),
    ] {
        std::fs::write(dir.join(file), text).expect("a scratch file");
    }
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("a readable file")
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let output = bumplox_with_input(&["fmt", "-"], UGLY.as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), PRETTY);
}

#[test]
fn check_lists_the_files_that_would_change_and_changes_nothing() {
    let dir = scratch("check");
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let output = bumplox(&["fmt", "--check", &path("ugly.lox"), &path("pretty.lox")]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), format!("{}\n", path("ugly.lox")));
    assert_eq!(read(&dir.join("ugly.lox")), UGLY);

    let output = bumplox(&["fmt", "--check", &path("pretty.lox")]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");

    let output = bumplox_with_input(&["fmt", "--check", "-"], UGLY.as_bytes());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "<stdin>\n");
}

#[test]
fn folders_are_formatted_in_place_and_only_lox_files() {
    let dir = scratch("in-place");
    let ugly = dir.join("ugly.lox");
    let pretty = dir.join("pretty.lox");
    let before = std::fs::metadata(&pretty)
        .expect("metadata")
        .modified()
        .ok();
    let output = bumplox(&[
        "fmt",
        &ugly.to_string_lossy(),
        &pretty.to_string_lossy(),
        &dir.join("sub").to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(read(&ugly), PRETTY);
    assert_eq!(read(&dir.join("sub/ugly.lox")), PRETTY);
    assert_eq!(read(&dir.join("sub/notes.txt")), UGLY);
    // A formatted file is not rewritten.
    let after = std::fs::metadata(&pretty)
        .expect("metadata")
        .modified()
        .ok();
    assert_eq!(before, after);
    // No temporary file is left behind.
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .expect("a folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn rewriting_keeps_the_permissions_and_follows_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("permissions");
    let ugly = dir.join("ugly.lox");
    std::fs::set_permissions(&ugly, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = dir.join("link.lox");
    std::os::unix::fs::symlink(&ugly, &link).expect("a link");
    let output = bumplox(&["fmt", &link.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(&ugly), PRETTY);
    let mode = std::fs::metadata(&ugly)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    assert!(std::fs::symlink_metadata(&link)
        .expect("the link")
        .file_type()
        .is_symlink());
}

#[test]
fn a_file_with_syntax_errors_is_left_as_it_is_and_its_errors_printed() {
    let dir = scratch("broken");
    let broken = dir.join("broken.lox");
    let ugly = dir.join("ugly.lox");
    let output = bumplox(&[
        "fmt",
        "--error-format",
        "lox",
        &broken.to_string_lossy(),
        &ugly.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(
        stderr(&output),
        "[line 1] Error at ';': Expect ')' after expression.\n"
    );
    assert_eq!(read(&broken), BROKEN);
    // The other files are formatted all the same.
    assert_eq!(read(&ugly), PRETTY);

    let output = bumplox_with_input(&["fmt", "--error-format", "json", "-"], BROKEN.as_bytes());
    assert_eq!(output.status.code(), Some(65));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).starts_with("{\"file\":\"<stdin>\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let output = bumplox(&["fmt"]);
    assert_eq!(output.status.code(), Some(64));
    let output = bumplox(&["fmt", "--spans", "a.lox"]);
    assert_eq!(output.status.code(), Some(64));
    let output = bumplox(&["fmt", "/no/such/file.lox"]);
    assert_eq!(output.status.code(), Some(74));
    assert_eq!(
        stderr(&output),
        "error: cannot read '/no/such/file.lox': no such file\n"
    );
}

#[test]
fn the_help_has_examples() {
    let output = bumplox(&["fmt", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("bumplox fmt --check src/"));
}

#[test]
fn a_folder_without_lox_files_is_warned_about() {
    let dir = scratch_dir("fmt", "empty-folder");
    std::fs::create_dir_all(dir.join("docs")).expect("a folder");
    std::fs::write(dir.join("docs/notes.txt"), UGLY).expect("a scratch file");
    let folder = dir.join("docs").to_string_lossy().into_owned();
    for args in [vec!["fmt", &folder], vec!["fmt", "--check", &folder]] {
        let output = bumplox(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(stdout(&output), "");
        assert_eq!(
            stderr(&output),
            format!("warning: no .lox files in {folder}\n"),
            "{args:?}"
        );
    }
    // A folder with a .lox file, formatted already, says nothing.
    let full = scratch("not-empty").join("sub");
    std::fs::write(full.join("ugly.lox"), PRETTY).expect("a scratch file");
    let output = bumplox(&["fmt", &full.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_skipped_as_being_formatted() {
    let dir = scratch("link-loop");
    std::os::unix::fs::symlink(".", dir.join("sub/loop")).expect("a link");
    std::fs::remove_file(dir.join("broken.lox")).expect("a scratch file");
    let output = bumplox(&["fmt", "--follow", &dir.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let warnings = stderr(&output);
    assert!(
        warnings.starts_with("warning: skipped")
            && warnings.ends_with("which is being formatted\n"),
        "{warnings}"
    );
    assert_eq!(read(&dir.join("sub/ugly.lox")), PRETTY);
}

/// The pre-commit hook in the README, the lines of its `sh` block.
fn readme_hook() -> String {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let start = readme
        .find("pre-commit hook")
        .expect("the README shows a hook");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").expect("a sh block") + 6..];
    block[..block.find("```").expect("the block ends")].to_string()
}

#[cfg(unix)]
#[test]
fn the_readme_pre_commit_hook_checks_the_staged_files() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let dir = scratch_dir("fmt", "hook");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &dir)
            .output();
        match output {
            Ok(output) => output.status.success(),
            Err(_) => false,
        }
    };
    if !git(&["init", "-q"]) {
        assert!(std::env::var_os("CI").is_none(), "git is needed under CI");
        eprintln!("skipped: git is not available");
        return;
    }
    let hook = dir.join("hook.sh");
    std::fs::write(&hook, readme_hook()).expect("the hook");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let binary = Path::new(env!("CARGO_BIN_EXE_bumplox"));
    let path = format!(
        "{}:{}",
        binary.parent().expect("the binary's folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run_hook = || {
        Command::new(&hook)
            .current_dir(&dir)
            .env("PATH", &path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &dir)
            .output()
            .expect("the hook runs")
    };
    // Nothing staged: nothing to check.
    let output = run_hook();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // A staged file whose name has a space, not formatted: the commit is refused.
    std::fs::write(dir.join("my file.lox"), UGLY).expect("a scratch file");
    std::fs::write(dir.join("pretty.lox"), PRETTY).expect("a scratch file");
    assert!(git(&["add", "my file.lox", "pretty.lox"]));
    // (xargs turns `fmt --check`'s 1 into its own 123: any failure refuses.)
    let output = run_hook();
    assert!(!output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "my file.lox\n");
    assert_eq!(stderr(&output), "");
    // Formatted in the working tree, it passes (the working-tree copy is checked).
    std::fs::write(dir.join("my file.lox"), PRETTY).expect("a scratch file");
    let output = run_hook();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let _ = std::fs::remove_dir_all(&dir);
}
