//! Native functions: Lox functions implemented in Rust.

use std::sync::OnceLock;
use std::time::Instant;

use crate::error::Fault;
use crate::object::{Native, NativeFn};
use crate::value::Value;
use crate::vm::Vm;

/// A native function as the VM defines it at start-up.
pub(crate) struct NativeDef {
    pub(crate) name: &'static str,
    pub(crate) arity: u8,
    pub(crate) function: NativeFn,
}

/// Every native, defined as a global in each new VM.
pub(crate) const NATIVES: [NativeDef; 1] = [NativeDef {
    name: "clock",
    arity: 0,
    function: clock,
}];

/// The moment `clock()` counts from.
static START: OnceLock<Instant> = OnceLock::new();

/// Starts the clock, if it is not running yet. The VM calls this when it is
/// created, so that `clock()` counts from about the start of the process, as C's
/// `clock()` does in clox.
pub(crate) fn start_clock() {
    START.get_or_init(Instant::now);
}

/// `clock()`: the seconds elapsed since the clock started, as a number.
///
/// It is a monotonic wall clock rather than C's processor time: Lox programs use
/// it to time themselves, and both agree for a single-threaded program that does
/// not wait.
fn clock(_args: &[Value]) -> Value {
    let start = START.get_or_init(Instant::now);
    Value::number(start.elapsed().as_secs_f64())
}

impl Vm {
    /// Defines a native as a global, keeping its name and object on the stack
    /// while the other is allocated, as clox does.
    pub(crate) fn define_native(
        &mut self,
        name: &str,
        arity: u8,
        function: NativeFn,
    ) -> Result<(), Fault> {
        let name = self.intern(name)?;
        self.push(Value::object(name))?;
        let native = self.alloc(Native { arity, function })?;
        self.push(Value::object(native))?;
        self.define_global(name, Value::object(native));
        self.stack.truncate(self.stack.len().saturating_sub(2));
        Ok(())
    }
}
