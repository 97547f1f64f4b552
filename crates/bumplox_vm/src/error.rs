//! Runtime errors: what the VM reports to its caller, and the faults it raises inside.

use std::fmt;

/// A runtime error: the message and the call stack at the moment it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeError {
    pub message: String,
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
                .take_while(|other| *other == frame)
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
pub(crate) enum Fault {
    OperandNotNumber,
    OperandsNotNumbers,
    OperandsNotAddable,
    UndefinedVariable(String),
    UndefinedProperty(String),
    PropertyOnNonInstance,
    FieldOnNonInstance,
    MethodOnNonInstance,
    NotCallable,
    WrongArity {
        expected: u8,
        got: u8,
    },
    StackOverflow,
    SuperclassNotClass,
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

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::OperandNotNumber => f.write_str("Operand must be a number."),
            Fault::InstructionLimit => f.write_str("Instruction limit exceeded."),
            Fault::Interrupted => f.write_str("Interrupted."),
            Fault::OperandsNotNumbers => f.write_str("Operands must be numbers."),
            Fault::OperandsNotAddable => {
                f.write_str("Operands must be two numbers or two strings.")
            }
            Fault::UndefinedVariable(name) => write!(f, "Undefined variable '{name}'."),
            Fault::UndefinedProperty(name) => write!(f, "Undefined property '{name}'."),
            Fault::PropertyOnNonInstance => f.write_str("Only instances have properties."),
            Fault::FieldOnNonInstance => f.write_str("Only instances have fields."),
            Fault::MethodOnNonInstance => f.write_str("Only instances have methods."),
            Fault::NotCallable => f.write_str("Can only call functions and classes."),
            Fault::WrongArity { expected, got } => {
                write!(f, "Expected {expected} arguments but got {got}.")
            }
            Fault::StackOverflow => f.write_str("Stack overflow."),
            Fault::SuperclassNotClass => f.write_str("Superclass must be a class."),
            Fault::OutOfMemory => f.write_str("Out of memory."),
            Fault::InvalidBytecode => f.write_str("Invalid bytecode."),
            Fault::Output(error) => write!(f, "Could not write output: {error}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RuntimeError, TraceFrame};

    #[test]
    fn displays_message_then_frames_innermost_first() {
        let error = RuntimeError {
            message: "Operand must be a number.".to_owned(),
            trace: vec![
                TraceFrame {
                    line: 3,
                    function: Some("foo".to_owned()),
                },
                TraceFrame {
                    line: 7,
                    function: None,
                },
            ],
        };
        let expected = "Operand must be a number.\n[line 3] in foo()\n[line 7] in script";
        assert_eq!(error.to_string(), expected);
    }
}
