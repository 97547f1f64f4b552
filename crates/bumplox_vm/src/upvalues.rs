//! Closures and their upvalues: the `Closure` instruction, capturing stack slots
//! and closing them when they leave the stack.

use std::cell::Cell;

use crate::cursor::Cursor;
use crate::error::Fault;
use crate::heap::Gc;
use crate::object::{Closure, Function, Upvalue, UpvalueState};
use crate::value::Value;
use crate::vm::Vm;

/// The stack slot an open upvalue points to. Closed upvalues never sit in the
/// open list; if one did, it sorts last and is dropped by the next close.
fn open_slot(upvalue: Gc<Upvalue>) -> usize {
    match upvalue.state.get() {
        UpvalueState::Open(slot) => slot,
        UpvalueState::Closed(_) => usize::MAX,
    }
}

impl Vm {
    /// Executes `Closure` over function constant `index`: reads the upvalue
    /// pairs from `cursor`, and pushes a new closure.
    pub(crate) fn make_closure(&mut self, cursor: &mut Cursor, index: u8) -> Result<(), Fault> {
        let Some(function) = cursor.constant(index).and_then(Value::downcast::<Function>) else {
            return Err(Fault::InvalidBytecode);
        };
        let count = usize::from(function.upvalue_count);
        // Each upvalue collected here stays rooted while the next ones are
        // captured: a local capture is in the open list until the enclosing
        // function returns, and an inherited one belongs to the running closure.
        let mut upvalues = Vec::with_capacity(count);
        for _ in 0..count {
            let is_local = cursor.checked_byte().ok_or(Fault::InvalidBytecode)?;
            let index = usize::from(cursor.checked_byte().ok_or(Fault::InvalidBytecode)?);
            let upvalue = match is_local {
                0 => cursor.closure.upvalues.get(index).copied(),
                _ => Some(self.capture_upvalue(cursor.base + index)?),
            };
            upvalues.push(upvalue.ok_or(Fault::InvalidBytecode)?);
        }
        let closure = self.alloc(Closure {
            function,
            upvalues: upvalues.into_boxed_slice(),
        })?;
        self.push(Value::object(closure))?;
        Ok(())
    }

    /// The open upvalue for stack `slot`, made if no closure captured it yet, so
    /// that closures capturing the same variable share it.
    fn capture_upvalue(&mut self, slot: usize) -> Result<Gc<Upvalue>, Fault> {
        // The slot just past the top is allowed: a local function that calls
        // itself captures the slot its own closure is about to be pushed into.
        if slot > self.stack.len() {
            return Err(Fault::InvalidBytecode);
        }
        let position = self
            .open_upvalues
            .partition_point(|&upvalue| open_slot(upvalue) < slot);
        match self.open_upvalues.get(position) {
            Some(&upvalue) if open_slot(upvalue) == slot => return Ok(upvalue),
            Some(_) | None => {}
        }
        let upvalue = self.alloc(Upvalue {
            state: Cell::new(UpvalueState::Open(slot)),
        })?;
        self.open_upvalues.insert(position, upvalue);
        Ok(upvalue)
    }

    /// Closes every open upvalue at or above stack slot `from`: each takes the
    /// variable's current value, because the slot is about to be popped.
    pub(crate) fn close_upvalues(&mut self, from: usize) {
        while let Some(&upvalue) = self.open_upvalues.last() {
            match upvalue.state.get() {
                UpvalueState::Open(slot) if slot < from => break,
                UpvalueState::Open(slot) => {
                    // A slot past the top could only come from malformed code
                    // that popped a captured variable without closing it; `nil`
                    // keeps the VM running without reading outside the stack.
                    let value = self.stack.get(slot).copied().unwrap_or(Value::NIL);
                    upvalue.state.set(UpvalueState::Closed(value));
                }
                UpvalueState::Closed(_) => {}
            }
            self.open_upvalues.pop();
        }
    }
}
