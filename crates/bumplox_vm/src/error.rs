//! Runtime errors: what the VM reports to its caller, and the faults it raises inside.

use std::fmt;

use bumplox_source::Span;

use crate::heap::{Gc, ObjRef};
use crate::object::{Class, LoxString};
use crate::value::{Unpacked, Value};

/// The message of a run stopped through [`crate::Vm::set_interrupt`], so that
/// a caller can tell that stop from an error in the program.
pub const INTERRUPTED: &str = "Interrupted.";

/// A runtime error: the message and the call stack at the moment it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeError {
    pub message: String,
    /// What the failing operation found, for a label under it: "the operands
    /// are a number and nil". `None` when the message says it all.
    pub label: Option<String>,
    /// The active frames, innermost first.
    pub trace: Vec<TraceFrame>,
}

/// One active call frame in a runtime error's trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceFrame {
    /// The source line of the instruction the frame was executing.
    pub line: u32,
    /// The function's name, or `None` for the top-level script.
    pub function: Option<String>,
    /// The source span of the operation the frame was executing: the failing
    /// one in the innermost frame, a call in the others. Offsets are into the
    /// source of the script this [`crate::Vm::run`] ran; `None` for a function
    /// an earlier run loaded (an earlier REPL line, another source), and for
    /// a failure that belongs to no operation (the stack filling up while an
    /// expression pushes values).
    pub span: Option<Span>,
}

impl TraceFrame {
    /// Whether two frames print as the same line of the book's trace.
    pub fn same_place(&self, other: &TraceFrame) -> bool {
        self.line == other.line && self.function == other.function
    }
}

impl fmt::Display for RuntimeError {
    /// Prints the message and then one line per frame, innermost first, as clox
    /// prints them to stderr; except that a run of identical frames (deep
    /// recursion) shows its first few and then how many more there are, since
    /// a thousand equal lines tell a reader nothing the count does not.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        let mut index = 0;
        while index < self.trace.len() {
            let frame = &self.trace[index];
            let run = self.trace[index..]
                .iter()
                .take_while(|other| other.same_place(frame))
                .count();
            let shown = match run > MAX_REPEATED_FRAMES {
                true => MAX_REPEATED_FRAMES,
                false => run,
            };
            for _ in 0..shown {
                match &frame.function {
                    Some(name) => write!(f, "\n[line {}] in {name}()", frame.line)?,
                    None => write!(f, "\n[line {}] in script", frame.line)?,
                }
            }
            if run > shown {
                write!(f, "\n... the line above repeats {} more times", run - shown)?;
            }
            index += run;
        }
        Ok(())
    }
}

/// How many identical frames in a row a trace prints before it summarizes.
const MAX_REPEATED_FRAMES: usize = 5;

impl std::error::Error for RuntimeError {}

/// Why an instruction failed. The dispatch loop turns a fault into a
/// [`RuntimeError`] by adding the trace, which only it can build because it holds
/// the current instruction pointer.
#[derive(Debug)]
///
/// Faults about values carry the values found, which [`Fault::label`]
/// describes for the label under the failing operation ("the operands are a
/// number and nil"). They hold them only until the dispatch loop turns the
/// fault into an error, which happens before anything else runs (no
/// collection can free them), and they keep `Fault` as small as a `String`:
/// every fallible step of the loop returns one.
pub(crate) enum Fault {
    OperandNotNumber(Value),
    OperandsNotNumbers(Value, Value),
    OperandsNotAddable(Value, Value),
    UndefinedVariable(String),
    UndefinedProperty {
        name: Gc<LoxString>,
        /// The class that was searched.
        class: Gc<Class>,
    },
    PropertyOnNonInstance(Value),
    FieldOnNonInstance(Value),
    MethodOnNonInstance(Value),
    NotCallable(Value),
    WrongArity {
        expected: u8,
        got: u8,
        /// The name of the function or class called, when it has one.
        callee: Option<Gc<LoxString>>,
    },
    StackOverflow,
    SuperclassNotClass(Value),
    OutOfMemory,
    /// The run used up its `max_instructions`.
    InstructionLimit,
    /// The interrupt flag was set (Ctrl-C in the REPL).
    Interrupted,
    /// The code broke an invariant that our code generator never breaks: a
    /// truncated operand, an unknown opcode, a constant of the wrong type, a slot
    /// past the stack. The VM reports it rather than trusting the code.
    InvalidBytecode,
    /// Writing `print`'s output failed (a closed pipe, a full disk). Going on would
    /// only print into the void, so the program stops.
    Output(String),
}

// Every fallible step of the dispatch loop returns a `Result<_, Fault>`: a
// fault larger than a `String` and its tag made `fib` 20% slower.
const _: () = assert!(std::mem::size_of::<Fault>() <= 32);

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::OperandNotNumber(_) => f.write_str("Operand must be a number."),
            Fault::InstructionLimit => f.write_str("Instruction limit exceeded."),
            Fault::Interrupted => f.write_str(INTERRUPTED),
            Fault::OperandsNotNumbers(..) => f.write_str("Operands must be numbers."),
            Fault::OperandsNotAddable(..) => {
                f.write_str("Operands must be two numbers or two strings.")
            }
            Fault::UndefinedVariable(name) => write!(f, "Undefined variable '{name}'."),
            Fault::UndefinedProperty { name, .. } => {
                write!(f, "Undefined property '{}'.", name.as_str())
            }
            Fault::PropertyOnNonInstance(_) => f.write_str("Only instances have properties."),
            Fault::FieldOnNonInstance(_) => f.write_str("Only instances have fields."),
            Fault::MethodOnNonInstance(_) => f.write_str("Only instances have methods."),
            Fault::NotCallable(_) => f.write_str("Can only call functions and classes."),
            Fault::WrongArity { expected, got, .. } => {
                write!(f, "Expected {expected} arguments but got {got}.")
            }
            Fault::StackOverflow => f.write_str("Stack overflow."),
            Fault::SuperclassNotClass(_) => f.write_str("Superclass must be a class."),
            Fault::OutOfMemory => f.write_str("Out of memory."),
            Fault::InvalidBytecode => f.write_str("Invalid bytecode."),
            Fault::Output(error) => write!(f, "Could not write output: {error}."),
        }
    }
}

impl Fault {
    /// The label under the failing operation: what it found there. The
    /// values the fault holds must still be alive.
    pub(crate) fn label(&self) -> Option<String> {
        match *self {
            Fault::OperandNotNumber(found) => Some(format!("the operand is {}", describe(found))),
            Fault::OperandsNotNumbers(left, right) | Fault::OperandsNotAddable(left, right) => {
                Some(format!(
                    "the operands are {} and {}",
                    describe(left),
                    describe(right)
                ))
            }
            Fault::UndefinedVariable(ref name) => {
                Some(format!("no global variable `{name}` is defined"))
            }
            Fault::UndefinedProperty { name, class } => Some(format!(
                "`{}` has no field or method `{}`",
                class.name.as_str(),
                name.as_str()
            )),
            Fault::PropertyOnNonInstance(found) => {
                Some(format!("{} has no properties", describe(found)))
            }
            Fault::FieldOnNonInstance(found) => Some(format!("{} has no fields", describe(found))),
            Fault::MethodOnNonInstance(found) => {
                Some(format!("{} has no methods", describe(found)))
            }
            Fault::NotCallable(found) => Some(format!("{} cannot be called", describe(found))),
            Fault::WrongArity {
                expected, callee, ..
            } => {
                let arguments = match expected {
                    1 => "argument",
                    _ => "arguments",
                };
                Some(match callee {
                    Some(callee) => {
                        format!("`{}` takes {expected} {arguments}", callee.as_str())
                    }
                    None => format!("this takes {expected} {arguments}"),
                })
            }
            Fault::StackOverflow => Some("this call nests one level too deep".to_owned()),
            Fault::SuperclassNotClass(found) => Some(format!("this is {}", describe(found))),
            Fault::OutOfMemory => Some("this allocation went past the heap limit".to_owned()),
            Fault::InstructionLimit => Some("the instruction budget ran out here".to_owned()),
            Fault::Interrupted => Some("stopped here by Ctrl-C".to_owned()),
            Fault::InvalidBytecode | Fault::Output(_) => None,
        }
    }
}

/// A value described for a reader of an error: its type, and for classes
/// and instances the class's name.
fn describe(value: Value) -> String {
    let object = match value.unpack() {
        Unpacked::Nil => return "nil".to_owned(),
        Unpacked::Bool(_) => return "a boolean".to_owned(),
        Unpacked::Number(_) => return "a number".to_owned(),
        Unpacked::Object(object) => object,
    };
    match object {
        ObjRef::String(_) => "a string".to_owned(),
        ObjRef::Function(_) | ObjRef::Closure(_) => "a function".to_owned(),
        ObjRef::Native(_) => "a native function".to_owned(),
        ObjRef::BoundMethod(_) => "a method".to_owned(),
        ObjRef::Class(class) => format!("the class `{}`", class.name.as_str()),
        ObjRef::Instance(instance) => {
            format!("an instance of `{}`", instance.class.name.as_str())
        }
        ObjRef::Upvalue(_) => "an upvalue".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{RuntimeError, TraceFrame};

    #[test]
    fn displays_message_then_frames_innermost_first() {
        let error = RuntimeError {
            message: "Operand must be a number.".to_owned(),
            label: None,
            trace: vec![
                TraceFrame {
                    line: 3,
                    function: Some("foo".to_owned()),
                    span: None,
                },
                TraceFrame {
                    line: 7,
                    function: None,
                    span: None,
                },
            ],
        };
        let expected = "Operand must be a number.\n[line 3] in foo()\n[line 7] in script";
        assert_eq!(error.to_string(), expected);
    }
}
