//! The dispatch loop: one loop executes every instruction of every frame, so a
//! Lox call never recurses on the native stack.

use std::io::Write;

use bumplox_bytecode::{FunctionKind, OpCode};

use crate::cursor::Cursor;
use crate::error::{Fault, RuntimeError};
use crate::heap::Gc;
use crate::object::{Class, Closure, Instance, LoxString, UpvalueState};
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// Runs frames until the bottom one returns.
    pub(crate) fn execute(&mut self, out: &mut dyn Write) -> Result<(), RuntimeError> {
        let mut cur = match self.frames.last() {
            Some(frame) => Cursor::new(frame),
            None => return Ok(()),
        };

        // Fails the running program: the trace needs the current `ip`, which
        // lives in `cur` until it is stored back into the frame.
        macro_rules! fail {
            ($fault:expr) => {{
                let fault = $fault;
                self.store_ip(&cur);
                return Err(self.runtime_error(fault));
            }};
        }
        // Charges a loop's jump back against `max_instructions`, by the length
        // of the code it is about to run again.
        macro_rules! charge {
            ($bytes:expr) => {
                match self.charge($bytes) {
                    Ok(()) => {}
                    Err(fault) => fail!(fault),
                }
            };
        }
        macro_rules! attempt {
            ($result:expr) => {
                match $result {
                    Ok(value) => value,
                    Err(fault) => fail!(fault),
                }
            };
        }
        macro_rules! valid {
            ($option:expr) => {
                match $option {
                    Some(value) => value,
                    None => fail!(Fault::InvalidBytecode),
                }
            };
        }
        // The next operand of the running instruction: one byte, or two bytes
        // read as a big-endian number.
        macro_rules! byte {
            () => {
                cur.byte()
            };
        }
        macro_rules! short {
            () => {
                cur.short()
            };
        }
        // A push fails only when the stack is full, which no one operation
        // is to blame for: the error points at no span.
        macro_rules! push {
            ($value:expr) => {
                match self.push($value) {
                    Ok(()) => {}
                    Err(fault) => {
                        self.store_ip(&cur);
                        return Err(self.unplaced_error(fault));
                    }
                }
            };
        }
        macro_rules! pop {
            () => {
                valid!(self.stack.pop())
            };
        }
        macro_rules! peek {
            ($distance:expr) => {
                valid!(self.peek($distance))
            };
        }
        macro_rules! string_constant {
            ($index:expr) => {{
                let index = $index;
                match cur.constant(index).and_then(Value::downcast::<LoxString>) {
                    Some(name) => name,
                    None => fail!(Fault::InvalidBytecode),
                }
            }};
        }
        // Replaces the two operands on top of the stack with the result of
        // `$op` on two numbers. The result overwrites the left operand in place,
        // which saves a push and a pop on the hottest instructions.
        macro_rules! binary {
            ($wrap:expr, $op:tt) => {{
                let (a, b) = valid!(self.operands());
                match (a.as_number(), b.as_number()) {
                    (Some(a), Some(b)) => self.replace_operands($wrap(a $op b)),
                    _ => fail!(Fault::OperandsNotNumbers(a, b)),
                }
            }};
        }
        // Picks up the frame on top after a call or a return.
        macro_rules! reload {
            () => {
                cur = valid!(self.frames.last().map(Cursor::new))
            };
        }

        loop {
            // The byte is decoded once; the match over the enum has no
            // catch-all, so a new opcode does not compile until it runs here.
            match valid!(OpCode::from_byte(byte!())) {
                OpCode::Constant => {
                    let index = byte!();
                    let value = valid!(cur.constant(index));
                    push!(value);
                }
                OpCode::Nil => push!(Value::NIL),
                OpCode::True => push!(Value::bool(true)),
                OpCode::False => push!(Value::bool(false)),
                OpCode::Pop => {
                    pop!();
                }
                OpCode::GetLocal => {
                    let slot = cur.base + usize::from(byte!());
                    let value = valid!(self.stack.get(slot).copied());
                    push!(value);
                }
                OpCode::SetLocal => {
                    let slot = cur.base + usize::from(byte!());
                    let value = peek!(0);
                    *valid!(self.stack.get_mut(slot)) = value;
                }
                OpCode::GetGlobal => {
                    let name = string_constant!(byte!());
                    match self.global(name) {
                        Some(value) => push!(value),
                        None => fail!(undefined_variable(name)),
                    }
                }
                OpCode::DefineGlobal => {
                    let name = string_constant!(byte!());
                    let value = peek!(0);
                    self.define_global(name, value);
                    pop!();
                }
                OpCode::SetGlobal => {
                    let name = string_constant!(byte!());
                    let value = peek!(0);
                    if !self.set_global(name, value) {
                        fail!(undefined_variable(name));
                    }
                }
                OpCode::GetUpvalue => {
                    let index = usize::from(byte!());
                    let upvalue = valid!(cur.closure.upvalues.get(index).copied());
                    let value = match upvalue.state.get() {
                        UpvalueState::Open(slot) => valid!(self.stack.get(slot).copied()),
                        UpvalueState::Closed(value) => value,
                    };
                    push!(value);
                }
                OpCode::SetUpvalue => {
                    let index = usize::from(byte!());
                    let upvalue = valid!(cur.closure.upvalues.get(index).copied());
                    let value = peek!(0);
                    match upvalue.state.get() {
                        UpvalueState::Open(slot) => *valid!(self.stack.get_mut(slot)) = value,
                        UpvalueState::Closed(_) => upvalue.state.set(UpvalueState::Closed(value)),
                    }
                }
                OpCode::GetProperty => {
                    let index = byte!();
                    let name = string_constant!(index);
                    let object = peek!(0);
                    let Some(instance) = object.downcast::<Instance>() else {
                        fail!(Fault::PropertyOnNonInstance(object));
                    };
                    let cache = valid!(cur.function.caches.get(usize::from(index)));
                    let field = instance.fields.borrow().get_cached(name, &cache.field);
                    match field {
                        Some(value) => *valid!(self.stack.last_mut()) = value,
                        None => attempt!(self.bind_method(instance.class, name)),
                    }
                }
                OpCode::SetProperty => {
                    let index = byte!();
                    let name = string_constant!(index);
                    let object = peek!(1);
                    let Some(instance) = object.downcast::<Instance>() else {
                        fail!(Fault::FieldOnNonInstance(object));
                    };
                    let value = peek!(0);
                    let cache = valid!(cur.function.caches.get(usize::from(index)));
                    attempt!(self.set_field(instance, name, value, &cache.field));
                    pop!();
                    *valid!(self.stack.last_mut()) = value;
                }
                OpCode::GetSuper => {
                    let name = string_constant!(byte!());
                    let superclass = valid!(pop!().downcast::<Class>());
                    attempt!(self.bind_method(superclass, name));
                }
                OpCode::Equal => {
                    let (a, b) = valid!(self.operands());
                    self.replace_operands(Value::bool(a.equals(b)));
                }
                OpCode::Greater => binary!(Value::bool, >),
                OpCode::Less => binary!(Value::bool, <),
                OpCode::Add => {
                    let (a, b) = valid!(self.operands());
                    if let (Some(a), Some(b)) = (a.as_number(), b.as_number()) {
                        self.replace_operands(Value::number(a + b));
                        continue;
                    }
                    let strings = (a.downcast::<LoxString>(), b.downcast::<LoxString>());
                    let (Some(a), Some(b)) = strings else {
                        fail!(Fault::OperandsNotAddable(a, b));
                    };
                    // Both operands stay on the stack, rooted, until the result
                    // is allocated.
                    let result = attempt!(self.concatenate(a, b));
                    self.replace_operands(Value::object(result));
                }
                OpCode::Subtract => binary!(Value::number, -),
                OpCode::Multiply => binary!(Value::number, *),
                OpCode::Divide => binary!(Value::number, /),
                OpCode::Not => {
                    let top = valid!(self.stack.last_mut());
                    *top = Value::bool(top.is_falsey());
                }
                OpCode::Negate => {
                    let top = valid!(self.stack.last_mut());
                    match top.as_number() {
                        Some(number) => *top = Value::number(-number),
                        None => fail!(Fault::OperandNotNumber(*top)),
                    }
                }
                OpCode::Print => {
                    let value = pop!();
                    let written = value.write_to(out).and_then(|()| out.write_all(b"\n"));
                    if let Err(error) = written {
                        fail!(Fault::Output(error.to_string()));
                    }
                }
                OpCode::Jump => {
                    let offset = usize::from(short!());
                    valid!(cur.jump_to(offset));
                }
                OpCode::JumpIfFalse => {
                    let offset = usize::from(short!());
                    if peek!(0).is_falsey() {
                        valid!(cur.jump_to(offset));
                    }
                }
                OpCode::Loop => {
                    let offset = usize::from(short!());
                    charge!(offset);
                    cur.ip = valid!(cur.ip.checked_sub(offset));
                }
                OpCode::Call => {
                    let argc = byte!();
                    self.store_ip(&cur);
                    // Calls to closures are most calls, so they skip the
                    // general dispatch on the callee's type.
                    match peek!(usize::from(argc)).downcast::<Closure>() {
                        Some(closure) => attempt!(self.call_closure(closure, argc)),
                        None => attempt!(self.call_value(argc)),
                    }
                    reload!();
                }
                OpCode::Invoke => {
                    let index = byte!();
                    let name = string_constant!(index);
                    let argc = byte!();
                    self.store_ip(&cur);
                    attempt!(self.invoke_cached(cur.function, index, name, argc));
                    reload!();
                }
                OpCode::SuperInvoke => {
                    let name = string_constant!(byte!());
                    let argc = byte!();
                    let superclass = valid!(pop!().downcast::<Class>());
                    self.store_ip(&cur);
                    attempt!(self.invoke_from_class(superclass, name, argc));
                    reload!();
                }
                OpCode::Closure => {
                    let index = byte!();
                    attempt!(self.make_closure(&mut cur, index));
                }
                OpCode::CloseUpvalue => {
                    let top = valid!(self.stack.len().checked_sub(1));
                    self.close_upvalues(top);
                    pop!();
                }
                OpCode::Return => {
                    let mut result = pop!();
                    // An initializer always returns its receiver, which is what
                    // the code generator emits anyway; enforcing it here keeps
                    // `init()` returning `this` whatever the code says.
                    let initializer = cur.function.kind == FunctionKind::Initializer;
                    let frame = valid!(self.frames.pop());
                    self.close_upvalues(frame.base);
                    if initializer {
                        result = valid!(self.stack.get(frame.base).copied());
                    }
                    self.stack.truncate(frame.base);
                    if self.frames.is_empty() {
                        return Ok(());
                    }
                    push!(result);
                    reload!();
                }
                OpCode::Class => {
                    let name = string_constant!(byte!());
                    attempt!(self.new_class(name));
                }
                OpCode::Inherit => attempt!(self.inherit()),
                OpCode::Method => {
                    let name = string_constant!(byte!());
                    attempt!(self.define_method(name));
                }
            }
        }
    }

    /// The two values on top of the stack, the top one last.
    #[inline(always)]
    fn operands(&self) -> Option<(Value, Value)> {
        match self.stack.as_slice() {
            [.., a, b] => Some((*a, *b)),
            _ => None,
        }
    }

    /// Replaces the two values on top of the stack with `result`. The caller
    /// has checked, through `operands`, that there are two.
    #[inline(always)]
    fn replace_operands(&mut self, result: Value) {
        self.stack.pop();
        if let Some(top) = self.stack.last_mut() {
            *top = result;
        }
    }

    /// Writes the cursor's `ip` back into the running frame, for a call to save
    /// its return address or an error to report its line.
    fn store_ip(&mut self, cur: &Cursor) {
        if let Some(frame) = self.frames.last_mut() {
            frame.ip = cur.ip;
        }
    }

    /// The error for a fault no one operation is to blame for: its innermost
    /// frame points at no span.
    #[cold]
    #[inline(never)]
    fn unplaced_error(&mut self, fault: Fault) -> RuntimeError {
        let mut error = self.runtime_error(fault);
        if let Some(frame) = error.trace.first_mut() {
            frame.span = None;
        }
        error
    }

    /// Concatenates two strings into a new interned string.
    fn concatenate(&mut self, a: Gc<LoxString>, b: Gc<LoxString>) -> Result<Gc<LoxString>, Fault> {
        let (a, b) = (a.as_str(), b.as_str());
        let length = a.len().saturating_add(b.len());
        // Copying and hashing the result costs time in its length, so the
        // instruction budget is charged for it: one instruction per 8 bytes,
        // about what a copy of that length costs.
        self.charge(length / 8)?;
        // Checking the limit before building the text keeps a runaway doubling
        // loop from allocating a huge string only to refuse it.
        self.reserve(length)?;
        let mut text = String::with_capacity(length);
        text.push_str(a);
        text.push_str(b);
        self.intern_owned(text)
    }
}

fn undefined_variable(name: Gc<LoxString>) -> Fault {
    Fault::UndefinedVariable(name.as_str().to_owned())
}
