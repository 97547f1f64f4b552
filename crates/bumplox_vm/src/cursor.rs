//! The running frame's state, held in locals by the dispatch loop.

use crate::heap::Gc;
use crate::object::{Closure, Function};
use crate::value::Value;
use crate::vm::CallFrame;

/// The bytes of padding after every loaded function's code: `PADDING_BYTE`
/// repeated, one more than the most fixed operand bytes an instruction has
/// (`Jump`'s offset, `Invoke`'s name and count: 2).
pub(crate) const CODE_PADDING: usize = bumplox_bytecode::LOAD_PADDING;

/// What the padding is made of: a byte that is no opcode, so that running into
/// it is `Invalid bytecode.` (a test checks it stays so).
pub(crate) const PADDING_BYTE: u8 = u8::MAX;

/// A copy of the running frame with direct pointers to its code and constants,
/// so that reading the next byte is one load and a constant one bounds check
/// and one load.
///
/// The invariant that lets `byte` read without a bounds check: whenever the
/// loop reads an opcode, `ip <= len + CODE_PADDING - 1`, inside the padded
/// buffer. It holds for a new frame (`ip` 0) and for a frame resumed at the
/// `ip` a cursor stored. An opcode read at `len` or beyond is padding, not an
/// opcode, and stops the run; any other instruction started below `len`, so
/// its fixed operands (at most `CODE_PADDING - 1` bytes) end within the
/// padding and leave `ip <= len + CODE_PADDING - 1`. The only other ways `ip`
/// moves are checked: a forward jump fails past `len` (`jump_to`), a loop
/// cannot go below 0, and `Closure`'s variable operands are read with
/// `checked_byte`.
///
/// The loop makes a new cursor whenever a frame is pushed or popped, and writes
/// `ip` back to the frame before anything that reads it there.
pub(crate) struct Cursor {
    pub(crate) closure: Gc<Closure>,
    pub(crate) function: Gc<Function>,
    code: *const u8,
    /// The length of the code without its padding.
    len: usize,
    constants: *const Value,
    constants_len: usize,
    pub(crate) ip: usize,
    pub(crate) base: usize,
}

impl Cursor {
    pub(crate) fn new(frame: &CallFrame) -> Cursor {
        let function = frame.closure.function;
        let code = &function.chunk.code;
        debug_assert!(code.len() >= CODE_PADDING);
        let constants = &function.constants;
        Cursor {
            closure: frame.closure,
            function,
            code: code.as_ptr(),
            len: code.len().saturating_sub(CODE_PADDING),
            constants: constants.as_ptr(),
            constants_len: constants.len(),
            ip: frame.ip,
            base: frame.base,
        }
    }

    /// The next byte of code: an opcode, or one of the fixed operands of the
    /// instruction just read (at most `CODE_PADDING - 1` of them).
    #[inline(always)]
    pub(crate) fn byte(&mut self) -> u8 {
        debug_assert!(self.ip < self.len + CODE_PADDING);
        // SAFETY: by the invariant above, `ip < len + CODE_PADDING`, and `code`
        // points to the `len + CODE_PADDING` bytes of the function's padded
        // code. Functions are never mutated once allocated, so the buffer is
        // never reallocated, and it lives as long as the function. The
        // function is reachable from `closure`, whose frame stays on the frame
        // stack (a GC root) for as long as this cursor is used: the loop
        // replaces the cursor whenever it pushes or pops a frame.
        let byte = unsafe { *self.code.add(self.ip) };
        self.ip += 1;
        byte
    }

    /// The next byte of code if it is within the code proper, for operands
    /// whose number the code itself says (`Closure`'s upvalues), which the
    /// padding does not cover.
    #[inline]
    pub(crate) fn checked_byte(&mut self) -> Option<u8> {
        if self.ip >= self.len {
            return None;
        }
        Some(self.byte())
    }

    /// The next two bytes as a big-endian number: an instruction's fixed
    /// operand, like `byte`.
    #[inline(always)]
    pub(crate) fn short(&mut self) -> u16 {
        let high = self.byte();
        let low = self.byte();
        u16::from_be_bytes([high, low])
    }

    /// Moves `ip` forward by `offset`, or returns `None` if that leaves the
    /// code (which keeps `byte`'s invariant).
    #[inline(always)]
    pub(crate) fn jump_to(&mut self, offset: usize) -> Option<()> {
        let target = self.ip + offset;
        if target > self.len {
            return None;
        }
        self.ip = target;
        Some(())
    }

    /// Constant `index` of the running function.
    #[inline(always)]
    pub(crate) fn constant(&self, index: u8) -> Option<Value> {
        let index = usize::from(index);
        if index >= self.constants_len {
            return None;
        }
        // SAFETY: `index < constants_len`, and `constants` points to the
        // function's constants, which, like its code (see `byte`), are never
        // mutated and stay allocated while this cursor is in use.
        Some(unsafe { *self.constants.add(index) })
    }
}
