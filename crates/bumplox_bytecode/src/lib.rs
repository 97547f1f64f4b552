//! The bytecode format shared by the code generator and the VM: opcodes, chunks,
//! constants, function prototypes and the disassembler.
//!
//! This crate holds plain data only. It knows nothing of the syntax tree (that is
//! `bumplox_codegen`'s side) nor of the heap, values or the garbage collector
//! (that is `bumplox_vm`'s side): a compiled program is a tree of
//! [`FunctionProto`]s that the VM turns into heap objects when it loads them.

mod chunk;
mod disasm;
mod number;
mod opcode;

pub use chunk::{Chunk, Constant, FunctionKind, FunctionProto, LineRun, SpanMarker, SpanRun};
pub use disasm::{disassemble, disassemble_chunk};
pub use number::format_number;
pub use opcode::OpCode;

/// The room a finished chunk's code keeps after its last byte: the VM pads
/// loaded code with this many bytes so its dispatch loop can read operands
/// without bounds checks (see `bumplox_vm`'s cursor), and code generation
/// leaves the room so that loading never copies the code.
pub const LOAD_PADDING: usize = 3;

/// The most constants one chunk can hold: constant operands are one byte, as in
/// the book's C implementation, and the official suite checks this limit.
pub const MAX_CONSTANTS: usize = 256;

/// The most local slots one function can use, its reserved slot 0 included.
pub const MAX_LOCALS: usize = 256;

/// The most upvalues one closure can capture.
pub const MAX_UPVALUES: usize = 256;

/// The longest forward or backward jump: jump operands are two bytes.
pub const MAX_JUMP: usize = u16::MAX as usize;

/// The most parameters a function can declare, and arguments a call can pass.
pub const MAX_ARITY: usize = 255;
