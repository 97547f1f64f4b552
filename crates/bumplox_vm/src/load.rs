//! Loading a compiled program: turning a tree of function prototypes into heap
//! functions, and the script into the first call frame.

use bumplox_bytecode::{Chunk, Constant, FunctionKind, FunctionProto};

use crate::cursor::{CODE_PADDING, PADDING_BYTE};
use crate::error::Fault;
use crate::heap::Gc;
use crate::object::{Closure, Function, InlineCache};
use crate::value::Value;
use crate::vm::Vm;

/// A prototype whose constants are being loaded onto the stack: the parts
/// that will move into its function object, and its constants still to load.
struct Pending {
    proto: FunctionProto,
    /// The constants not loaded yet, in order (taken out of `proto`).
    constants: std::vec::IntoIter<Constant>,
    /// Where this prototype's constants start on the stack.
    base: usize,
}

impl Pending {
    fn new(mut proto: FunctionProto, base: usize) -> Pending {
        let constants = std::mem::take(&mut proto.chunk.constants).into_iter();
        Pending {
            proto,
            constants,
            base,
        }
    }
}

impl Vm {
    /// Loads `script` and every function nested in it, and pushes the script's
    /// closure and frame, ready for the dispatch loop.
    ///
    /// Each prototype becomes exactly one function object here, once, so that
    /// executing a `Closure` instruction only allocates the closure. The
    /// prototypes' code and tables move into the function objects: a script
    /// the caller keeps (the REPL's, a test's) is copied first, while one
    /// handed over (`Vm::run_pieces`) is never copied.
    pub(crate) fn load(&mut self, script: FunctionProto) -> Result<(), Fault> {
        let function = self.load_function(script)?;
        // The function is held only by this local, and allocating the closure
        // traces it as part of the object under construction.
        let closure = self.alloc(Closure {
            function,
            upvalues: Box::new([]),
        })?;
        self.push(Value::object(closure))?;
        self.call_closure(closure, 0)
    }

    /// Turns `root` and the prototypes nested in it into function objects,
    /// children first, so that each function's constants exist before it does.
    ///
    /// The walk keeps its own work list instead of recursing, so deeply nested
    /// functions cannot overflow the native stack, and it keeps every loaded
    /// constant on the VM stack, where the collector sees it, until the function
    /// that owns it is allocated.
    fn load_function(&mut self, root: FunctionProto) -> Result<Gc<Function>, Fault> {
        let mut pending = vec![Pending::new(root, self.stack.len())];
        while let Some(top) = pending.last_mut() {
            match top.constants.next() {
                Some(Constant::Number(number)) => self.push(Value::number(number))?,
                Some(Constant::String(text)) => {
                    let string = self.intern(&text)?;
                    self.push(Value::object(string))?;
                }
                Some(Constant::Function(child)) => {
                    // A prototype nobody else holds is taken as it is; one
                    // still shared (a kept script's) is copied.
                    let child =
                        std::rc::Rc::try_unwrap(child).unwrap_or_else(|shared| (*shared).clone());
                    let base = self.stack.len();
                    pending.push(Pending::new(child, base));
                }
                None => {
                    let Some(done) = pending.pop() else {
                        break;
                    };
                    let function = self.finish_function(done.proto, done.base)?;
                    match pending.is_empty() {
                        true => return Ok(function),
                        false => self.push(Value::object(function))?,
                    }
                }
            }
        }
        // The loop returns when it pops the root, so it cannot run dry first.
        Err(Fault::InvalidBytecode)
    }

    /// Allocates the function for `proto`, whose constants are on the stack from
    /// `base` up, and pops them.
    fn finish_function(
        &mut self,
        proto: FunctionProto,
        base: usize,
    ) -> Result<Gc<Function>, Fault> {
        let name = match proto.kind {
            FunctionKind::Script => None,
            FunctionKind::Function | FunctionKind::Method | FunctionKind::Initializer => {
                Some(self.intern(&proto.name)?)
            }
        };
        let constants: Box<[Value]> = match self.stack.get(base..) {
            Some(constants) => constants.into(),
            None => Box::new([]),
        };
        let function = Function {
            name,
            kind: proto.kind,
            arity: proto.arity,
            upvalue_count: proto.upvalue_count,
            chunk: Chunk {
                code: padded(proto.chunk.code),
                constants: Vec::new(),
                lines: proto.chunk.lines,
                spans: proto.chunk.spans,
            },
            caches: (0..constants.len())
                .map(|_| InlineCache::default())
                .collect(),
            constants,
            run_id: self.run_id,
        };
        let function = self.alloc(function)?;
        self.stack.truncate(base);
        Ok(function)
    }
}

/// `code` followed by the padding the dispatch loop relies on (see `Cursor`).
/// Code generation leaves room for it, so this does not copy.
fn padded(mut code: Vec<u8>) -> Vec<u8> {
    code.extend_from_slice(&[PADDING_BYTE; CODE_PADDING]);
    code
}
