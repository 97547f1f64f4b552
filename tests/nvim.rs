//! `bumplox lsp` in a real editor: Neovim's built-in LSP client, headless,
//! runs `tests/nvim/session.lua` on a copy of `tests/nvim/program.lox`:
//! it waits for the diagnostics, jumps to a definition, renames a variable
//! and formats the buffer, writing what it saw to a file checked here. Without `nvim` the
//! test says so loudly and passes, except under `CI=true`, where it fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the editor may take: a hung session fails instead of hanging CI.
const TIMEOUT: Duration = Duration::from_secs(90);

const EXPECTED: &str = "\
diagnostic 8:14 Expect expression.
definition 2:5
after rename:
  // A program with an error, for the Neovim test (tests/nvim.rs).
  var total=0;
  fun bump(step) {
    total = total+step;
    return total;
  }
  bump(2);
  print total +;
after formatting:
  // A program with an error, for the Neovim test (tests/nvim.rs).
  var total = 0;
  fun bump(step) {
    total = total + step;
    return total;
  }
  bump(2);
  print total + 1;
";

/// Whether `nvim` runs; when it does not, a loud warning (or, in CI, a failure).
fn nvim_present() -> bool {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "nvim is not installed and CI=true: .ci/run installs it (apt-get install -y neovim)"
    );
    let banner = "!".repeat(78);
    // Written to the process's stderr directly: the harness hides the output
    // of passing tests, and this must be seen.
    let _ = writeln!(
        std::io::stderr().lock(),
        "{banner}\nnvim_session: SKIPPED, nvim is not installed; the language server was \
         not tried in a real editor (apt-get install -y neovim)\n{banner}"
    );
    false
}

fn scratch_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

#[test]
fn nvim_session() {
    if !nvim_present() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch_dir();
    let program = dir.join("program.lox");
    std::fs::copy(root.join("tests/nvim/program.lox"), &program).expect("copied");
    let report = dir.join("report.txt");
    let script = root.join("tests/nvim/session.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .current_dir(&dir)
        .env("BUMPLOX_BIN", env!("CARGO_BIN_EXE_bumplox"))
        .env("BUMPLOX_NVIM_FILE", &program)
        .env("BUMPLOX_NVIM_OUT", &report)
        // The editor's log and state stay in the scratch folder.
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_CACHE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait().expect("waits for nvim") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("nvim did not finish within {TIMEOUT:?}");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let seen = std::fs::read_to_string(&report).unwrap_or_default();
    assert!(
        status.success(),
        "nvim exited with {status}; it saw:\n{seen}"
    );
    assert_eq!(seen, EXPECTED);
    let _ = std::fs::remove_dir_all(&dir);
}
