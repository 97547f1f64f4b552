//! The REPL in a real pseudo-terminal, as a person meets it: the binary starts
//! with `HOME` set (history on), takes a function typed over several lines,
//! reports an error and goes on, recalls history with the up arrow, stops a
//! runaway statement with Ctrl-C, and quits on Ctrl-D, saving its history.

#![cfg(unix)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{ControlCode, Expect, Session};

/// A scratch home folder for one test, emptied first.
fn scratch_home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bumplox-pty-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch home");
    dir
}

/// Starts `bumplox` with no arguments in a pseudo-terminal.
fn start(home: &std::path::Path) -> OsSession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bumplox"));
    command
        .env("HOME", home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("CI");
    let mut session = Session::spawn(command).expect("bumplox starts in a pseudo-terminal");
    // Generous: a debug build on a loaded two-core machine.
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    session
}

/// Waits for `text` on the screen, with what was read so far in the failure.
fn expect(session: &mut OsSession, text: &str) {
    if let Err(error) = session.expect(text) {
        panic!("waiting for {text:?} on the terminal: {error}");
    }
}

fn exit_code(session: &OsSession) -> i32 {
    match session.get_process().wait() {
        Ok(WaitStatus::Exited(_, code)) => code,
        other => panic!("bumplox did not exit normally: {other:?}"),
    }
}

#[test]
fn a_session_with_multi_line_input_errors_history_and_control_keys() {
    let home = scratch_home("session");
    let mut session = start(&home);
    expect(&mut session, "Ctrl-D to quit");
    expect(&mut session, "> ");

    // A function over three lines: the open brace asks for more.
    session.send_line("fun add(a, b) {").unwrap();
    expect(&mut session, "... ");
    session.send_line("  return a + b;").unwrap();
    expect(&mut session, "... ");
    session.send_line("}").unwrap();
    expect(&mut session, "> ");

    // An error is reported with its place, and the session goes on.
    session.send_line("print add(1, );").unwrap();
    expect(&mut session, "Expect expression.");
    expect(&mut session, "> ");

    // The function defined above is still there.
    session.send_line("print add(40, 2);").unwrap();
    expect(&mut session, "42");
    expect(&mut session, "> ");

    // Up arrow recalls the last entry; editing it and running it again.
    session.send("\x1b[A").unwrap();
    expect(&mut session, "print add(40, 2);");
    session.send("\x08\x08\x08").unwrap();
    session.send_line("7);").unwrap();
    expect(&mut session, "47");
    expect(&mut session, "> ");

    // Ctrl-C clears a half-typed entry without running it.
    session.send("print \"never").unwrap();
    session.send(ControlCode::EndOfText).unwrap();
    expect(&mut session, "> ");
    session.send_line("print \"after\";").unwrap();
    expect(&mut session, "after");

    // Ctrl-C stops a statement that would run forever, and the session lives.
    session.send_line("while (true) {}").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    session.send(ControlCode::EndOfText).unwrap();
    expect(&mut session, "Interrupted.");
    expect(&mut session, "> ");
    session.send_line("print add(2, 3);").unwrap();
    expect(&mut session, "5");
    expect(&mut session, "> ");

    // Ctrl-D on an empty line ends the session with exit code 0.
    session.send(ControlCode::EndOfTransmission).unwrap();
    assert_eq!(exit_code(&session), 0);

    let history = std::fs::read_to_string(home.join(".bumplox_history"))
        .expect("the history is saved in HOME");
    assert!(
        history.contains("print add(40, 7);"),
        "the history holds the edited entry: {history:?}"
    );
    assert!(
        history.contains("fun add(a, b) {"),
        "the history holds the multi-line entry: {history:?}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn history_from_an_earlier_session_is_recalled() {
    let home = scratch_home("recall");
    std::fs::write(home.join(".bumplox_history"), "print \"from before\";\n")
        .expect("a history file");
    let mut session = start(&home);
    expect(&mut session, "> ");
    session.send("\x1b[A").unwrap();
    session.send_line("").unwrap();
    expect(&mut session, "from before");
    expect(&mut session, "> ");
    session.send(ControlCode::EndOfTransmission).unwrap();
    assert_eq!(exit_code(&session), 0);
    let _ = std::fs::remove_dir_all(&home);
}

/// On a terminal, `run` shows each printed line at once: a program that
/// prints and then works for a long time is seen printing (its output used to
/// wait in a buffer until the program ended).
#[test]
fn run_on_a_terminal_shows_each_line_as_it_is_printed() {
    let home = scratch_home("lines");
    let program = home.join("slow.lox");
    std::fs::write(&program, "print \"started\";\nwhile (true) {}\n").expect("a program");
    let mut command = Command::new(env!("CARGO_BIN_EXE_bumplox"));
    command.arg("run").arg(&program).env("NO_COLOR", "1");
    let mut session = Session::spawn(command).expect("bumplox starts in a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    expect(&mut session, "started");
    // The program runs forever: Ctrl-C ends it as it would any program.
    session.send(ControlCode::EndOfText).unwrap();
    let _ = session.get_process().wait();
    let _ = std::fs::remove_dir_all(&home);
}
