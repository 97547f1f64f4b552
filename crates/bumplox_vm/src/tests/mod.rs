//! Tests of the whole VM on hand-assembled programs.

mod asm;
mod basics;
mod classes;
mod closures;
mod collector;
mod errors;
mod malformed;

use bumplox_bytecode::FunctionProto;

use crate::{RuntimeError, Vm, VmOptions};

/// Runs `script` on a fresh VM and returns what it printed and how it ended.
fn run_with(options: VmOptions, script: &FunctionProto) -> (String, Result<(), RuntimeError>) {
    let mut vm = Vm::new(options);
    let mut out = Vec::new();
    let result = vm.run(script, &mut out);
    (String::from_utf8_lossy(&out).into_owned(), result)
}

/// Runs `script` both normally and with a collection at every allocation, and
/// checks that both runs print the same and end the same.
fn run_both(script: &FunctionProto) -> (String, Result<(), RuntimeError>) {
    let normal = run_with(VmOptions::default(), script);
    let stressed = run_with(
        VmOptions {
            gc_stress: true,
            ..VmOptions::default()
        },
        script,
    );
    assert_eq!(normal, stressed, "stress mode changed the outcome");
    normal
}

/// Checks that `script` prints `expected` and succeeds, with and without stress.
fn expect_output(script: &FunctionProto, expected: &str) {
    let (output, result) = run_both(script);
    assert_eq!(result, Ok(()));
    assert_eq!(output, expected);
}

/// Checks that `script` fails with the error `expected` as displayed.
fn expect_error(script: &FunctionProto, expected: &str) {
    let (_, result) = run_both(script);
    match result {
        Ok(()) => panic!("expected the error {expected:?}"),
        Err(error) => assert_eq!(error.to_string(), expected),
    }
}
