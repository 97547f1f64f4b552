//! A small assembler for hand-written test programs.

use std::rc::Rc;

use bumplox_bytecode::{Chunk, Constant, FunctionKind, FunctionProto, OpCode, SpanMarker};
use bumplox_source::Span;

/// Builds one function's chunk instruction by instruction.
pub(super) struct Asm {
    chunk: Chunk,
    line: u32,
    spans: SpanMarker,
}

impl Asm {
    pub(super) fn new() -> Asm {
        Asm {
            chunk: Chunk::default(),
            line: 1,
            spans: SpanMarker::default(),
        }
    }

    /// Sets the source line of the bytes that follow.
    pub(super) fn line(&mut self, line: u32) -> &mut Asm {
        self.line = line;
        self
    }

    /// Marks the bytes that follow as emitted for the operation at `start..end`.
    pub(super) fn span(&mut self, start: u32, end: u32) -> &mut Asm {
        self.spans.mark(&mut self.chunk, Span::new(start, end));
        self
    }

    /// Emits raw bytes.
    pub(super) fn bytes(&mut self, bytes: &[u8]) -> &mut Asm {
        for &byte in bytes {
            self.chunk.write(byte, self.line);
        }
        self
    }

    pub(super) fn op(&mut self, op: OpCode) -> &mut Asm {
        self.bytes(&[op as u8])
    }

    /// Emits an instruction with a one-byte operand.
    pub(super) fn op1(&mut self, op: OpCode, operand: u8) -> &mut Asm {
        self.bytes(&[op as u8, operand])
    }

    /// Adds a constant to the pool and returns its index.
    pub(super) fn constant(&mut self, constant: Constant) -> u8 {
        self.chunk.constants.push(constant);
        u8::try_from(self.chunk.constants.len() - 1).expect("test chunks stay under 256 constants")
    }

    /// The index of string constant `text`, reusing an existing one.
    pub(super) fn name(&mut self, text: &str) -> u8 {
        let existing = self
            .chunk
            .constants
            .iter()
            .position(|constant| match constant {
                Constant::String(string) => &**string == text,
                Constant::Number(_) | Constant::Function(_) => false,
            });
        match existing {
            Some(index) => u8::try_from(index).expect("test chunks stay under 256 constants"),
            None => self.constant(Constant::String(Rc::from(text))),
        }
    }

    /// Pushes a number.
    pub(super) fn number(&mut self, number: f64) -> &mut Asm {
        let index = self.constant(Constant::Number(number));
        self.op1(OpCode::Constant, index)
    }

    /// Pushes a string.
    pub(super) fn string(&mut self, text: &str) -> &mut Asm {
        let index = self.name(text);
        self.op1(OpCode::Constant, index)
    }

    /// Emits an instruction whose operand is the name `text`.
    pub(super) fn named(&mut self, op: OpCode, text: &str) -> &mut Asm {
        let index = self.name(text);
        self.op1(op, index)
    }

    /// Emits `Invoke` or `SuperInvoke` of method `text` with `argc` arguments.
    pub(super) fn invoke(&mut self, op: OpCode, text: &str, argc: u8) -> &mut Asm {
        let index = self.name(text);
        self.bytes(&[op as u8, index, argc])
    }

    /// Emits a closure over `proto`, capturing `(is_local, index)` pairs.
    pub(super) fn closure(&mut self, proto: FunctionProto, captures: &[(bool, u8)]) -> &mut Asm {
        assert_eq!(usize::from(proto.upvalue_count), captures.len());
        let index = self.constant(Constant::Function(Rc::new(proto)));
        self.op1(OpCode::Closure, index);
        for &(is_local, slot) in captures {
            self.bytes(&[u8::from(is_local), slot]);
        }
        self
    }

    /// The offset of the next byte.
    pub(super) fn here(&self) -> usize {
        self.chunk.code.len()
    }

    /// Emits a forward jump with a placeholder offset and returns where to patch.
    pub(super) fn jump(&mut self, op: OpCode) -> usize {
        self.bytes(&[op as u8, 0xff, 0xff]);
        self.here() - 2
    }

    /// Points the jump whose operand is at `at` to the next byte.
    pub(super) fn patch(&mut self, at: usize) -> &mut Asm {
        let offset = u16::try_from(self.here() - at - 2).expect("test jumps are short");
        let [high, low] = offset.to_be_bytes();
        self.chunk.code[at] = high;
        self.chunk.code[at + 1] = low;
        self
    }

    /// Emits a `Loop` back to `start`.
    pub(super) fn loop_to(&mut self, start: usize) -> &mut Asm {
        let offset = u16::try_from(self.here() + 3 - start).expect("test loops are short");
        let [high, low] = offset.to_be_bytes();
        self.bytes(&[OpCode::Loop as u8, high, low])
    }

    /// Emits the implicit `return nil;` at the end of a function.
    pub(super) fn ret_nil(&mut self) -> &mut Asm {
        self.op(OpCode::Nil).op(OpCode::Return)
    }

    /// Finishes a function.
    pub(super) fn function(
        &mut self,
        name: &str,
        kind: FunctionKind,
        arity: u8,
        upvalue_count: u8,
    ) -> FunctionProto {
        self.spans = SpanMarker::default();
        FunctionProto {
            name: Rc::from(name),
            kind,
            arity,
            upvalue_count,
            chunk: std::mem::take(&mut self.chunk),
        }
    }

    /// Finishes the top-level script, adding its final `return nil`.
    pub(super) fn script(&mut self) -> FunctionProto {
        self.ret_nil();
        self.function("", FunctionKind::Script, 0, 0)
    }
}
