//! Malformed bytecode: every way code can break the code generator's invariants
//! ends in a runtime error, never a panic or an out-of-bounds access.

use std::rc::Rc;

use bumplox_bytecode::{Chunk, Constant, FunctionKind, FunctionProto, OpCode};

use super::asm::Asm;
use super::run_both;
use crate::{Vm, VmOptions};

fn expect_invalid(script: &FunctionProto) {
    let (_, result) = run_both(script);
    let message = result.map_err(|error| error.message);
    assert_eq!(message, Err("Invalid bytecode.".to_owned()));
}

fn raw_script(code: &[u8], constants: Vec<Constant>) -> FunctionProto {
    let mut asm = Asm::new();
    asm.bytes(code);
    let mut script = asm.function("", FunctionKind::Script, 0, 0);
    script.chunk.constants = constants;
    script
}

#[test]
fn broken_instructions_are_invalid_bytecode() {
    let number = || vec![Constant::Number(1.0)];
    let cases: Vec<(Vec<u8>, Vec<Constant>)> = vec![
        // Falling off the end of the code.
        (vec![], vec![]),
        (vec![OpCode::Nil as u8], vec![]),
        // An unknown opcode.
        (vec![0xff], vec![]),
        // Truncated operands.
        (vec![OpCode::Constant as u8], number()),
        (vec![OpCode::Jump as u8, 0], vec![]),
        (vec![OpCode::Invoke as u8, 0], number()),
        // A constant past the pool, or of the wrong kind.
        (vec![OpCode::Constant as u8, 3], number()),
        (vec![OpCode::GetGlobal as u8, 0], number()),
        (vec![OpCode::Closure as u8, 0], number()),
        (vec![OpCode::Class as u8, 0], number()),
        // Slots and upvalues that do not exist.
        (vec![OpCode::GetLocal as u8, 9], vec![]),
        (vec![OpCode::Nil as u8, OpCode::SetLocal as u8, 9], vec![]),
        (vec![OpCode::GetUpvalue as u8, 0], vec![]),
        // Popping more than was pushed.
        (
            vec![OpCode::Pop as u8, OpCode::Pop as u8, OpCode::Add as u8],
            vec![],
        ),
        (vec![OpCode::Pop as u8, OpCode::Return as u8], vec![]),
        // Jumping before the start of the code.
        (vec![OpCode::Loop as u8, 0, 200], vec![]),
        // Jumping past the end.
        (vec![OpCode::Jump as u8, 1, 0], vec![]),
        // `Method` and `GetSuper` on something that is not a class.
        (
            vec![
                OpCode::Nil as u8,
                OpCode::Nil as u8,
                OpCode::Method as u8,
                0,
            ],
            vec![Constant::String(Rc::from("m"))],
        ),
        (
            vec![OpCode::Nil as u8, OpCode::GetSuper as u8, 0],
            vec![Constant::String(Rc::from("m"))],
        ),
    ];
    for (code, constants) in cases {
        expect_invalid(&raw_script(&code, constants));
    }
}

#[test]
fn closures_with_bad_captures_are_invalid_bytecode() {
    let mut inner = Asm::new();
    inner.ret_nil();
    let inner = Rc::new(inner.function("f", FunctionKind::Function, 0, 1));
    let constants = || vec![Constant::Function(Rc::clone(&inner))];
    let closure = OpCode::Closure as u8;
    // Truncated capture pairs, a local slot past the stack, and an upvalue the
    // script (which has none) cannot pass on.
    for code in [
        vec![closure, 0],
        vec![closure, 0, 1],
        vec![closure, 0, 1, 40],
        vec![closure, 0, 0, 0],
    ] {
        expect_invalid(&raw_script(&code, constants()));
    }
}

/// A tiny deterministic pseudo-random generator (xorshift), so that the fuzz
/// test needs no dependency and always checks the same programs.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u8 {
        u8::try_from(self.next() % bound).unwrap_or(0)
    }
}

#[test]
fn random_code_never_crashes_the_vm() {
    let mut inner = Chunk::default();
    inner.write_op(OpCode::GetUpvalue, 1);
    inner.write(0, 1);
    inner.write_op(OpCode::Return, 1);
    let inner = Rc::new(FunctionProto {
        name: Rc::from("f"),
        kind: FunctionKind::Method,
        arity: 0,
        upvalue_count: 1,
        chunk: inner,
    });
    let constants = vec![
        Constant::Number(1.0),
        Constant::String(Rc::from("a")),
        Constant::String(Rc::from("init")),
        Constant::Function(inner),
    ];
    let mut sane = Asm::new();
    sane.string("ok").op(OpCode::Print);
    let sane = sane.script();

    let mut random = Random(0x2545_f491_4f6c_dd1d);
    for round in 0..3_000 {
        let length = random.below(48);
        let code: Vec<u8> = (0..length)
            .map(|_| match random.below(8) {
                // Small numbers make plausible operands (constant indexes,
                // slots, argument counts) as well as opcodes.
                0..=5 => random.below(OpCode::ALL.len() as u64 + 1),
                _ => random.below(256),
            })
            // Without `Loop`, every program ends: jumps only go forward and
            // the only function in the pool returns at once.
            .map(|byte| match byte == OpCode::Loop as u8 {
                true => OpCode::Nil as u8,
                false => byte,
            })
            .collect();
        let script = raw_script(&code, constants.clone());
        let options = VmOptions {
            gc_stress: round % 4 == 0,
            max_frames: 16,
            ..VmOptions::default()
        };
        let mut vm = Vm::new(options);
        let mut out = Vec::new();
        // Any outcome is fine as long as it is an outcome.
        let _outcome = vm.run(&script, &mut out);
        // Whatever happened, the VM must still run a sane program.
        let mut out = Vec::new();
        assert_eq!(vm.run(&sane, &mut out), Ok(()), "after {code:?}");
        assert_eq!(out, b"ok\n");
    }
}

/// The dispatch loop reads operands without bounds checks because every
/// function's code is followed by bytes that stop the run; that only holds
/// while the padding byte is no opcode.
#[test]
fn the_padding_after_code_is_no_opcode() {
    assert_eq!(OpCode::from_byte(crate::cursor::PADDING_BYTE), None);
}
