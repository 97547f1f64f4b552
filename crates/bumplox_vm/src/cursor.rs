//! The running frame's state, held in locals by the dispatch loop.

use crate::heap::Gc;
use crate::object::{Closure, Function};
use crate::value::Value;
use crate::vm::CallFrame;

/// A copy of the running frame with direct pointers to its code and constants,
/// so that reading the next byte or a constant costs one bounds check and one
/// load.
///
/// The loop makes a new cursor whenever a frame is pushed or popped, and writes
/// `ip` back to the frame before anything that reads it there.
pub(crate) struct Cursor {
    pub(crate) closure: Gc<Closure>,
    pub(crate) function: Gc<Function>,
    code: *const u8,
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
        let constants = &function.constants;
        Cursor {
            closure: frame.closure,
            function,
            code: code.as_ptr(),
            len: code.len(),
            constants: constants.as_ptr(),
            constants_len: constants.len(),
            ip: frame.ip,
            base: frame.base,
        }
    }

    /// The next byte of code, or `None` past the end.
    #[inline(always)]
    pub(crate) fn byte(&mut self) -> Option<u8> {
        if self.ip >= self.len {
            return None;
        }
        // SAFETY: `ip < len`, and `code` points to the `len` bytes of the
        // function's code. Functions are never mutated once allocated, so the
        // buffer is never reallocated, and it lives as long as the function. The
        // function is reachable from `closure`, whose frame stays on the frame
        // stack (a GC root) for as long as this cursor is used: the loop
        // replaces the cursor whenever it pushes or pops a frame.
        let byte = unsafe { *self.code.add(self.ip) };
        self.ip += 1;
        Some(byte)
    }

    /// The next two bytes as a big-endian number, or `None` past the end.
    #[inline(always)]
    pub(crate) fn short(&mut self) -> Option<u16> {
        let high = self.byte()?;
        let low = self.byte()?;
        Some(u16::from_be_bytes([high, low]))
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
