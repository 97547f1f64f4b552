//! The instruction set: one byte of opcode followed by its operands.

/// One instruction's opcode. Operand bytes follow it in the chunk's code, as
/// documented on each variant; two-byte operands are big-endian.
///
/// The set follows the book's C implementation so that its limits (one-byte
/// constant indexes, two-byte jumps) are the ones the official suite expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum OpCode {
    /// `[index: u8]`: push constant `index`.
    Constant,
    /// Push `nil`.
    Nil,
    /// Push `true`.
    True,
    /// Push `false`.
    False,
    /// Discard the top of the stack.
    Pop,
    /// `[slot: u8]`: push the local in `slot` of the current frame.
    GetLocal,
    /// `[slot: u8]`: store the top of the stack (left in place) into `slot`.
    SetLocal,
    /// `[name: u8]`: push the global named by string constant `name`.
    GetGlobal,
    /// `[name: u8]`: pop the top of the stack into a new (or redefined) global.
    DefineGlobal,
    /// `[name: u8]`: store the top of the stack (left in place) into an existing global.
    SetGlobal,
    /// `[index: u8]`: push upvalue `index` of the current closure.
    GetUpvalue,
    /// `[index: u8]`: store the top of the stack (left in place) into upvalue `index`.
    SetUpvalue,
    /// `[name: u8]`: replace the instance on top with its field or bound method `name`.
    GetProperty,
    /// `[name: u8]`: `instance value` → `value`, storing field `name`.
    SetProperty,
    /// `[name: u8]`: `this superclass` → bound method `name` of the superclass.
    GetSuper,
    /// `a b` → `a == b`.
    Equal,
    /// `a b` → `a > b` (numbers only).
    Greater,
    /// `a b` → `a < b` (numbers only).
    Less,
    /// `a b` → `a + b` (two numbers or two strings).
    Add,
    /// `a b` → `a - b`.
    Subtract,
    /// `a b` → `a * b`.
    Multiply,
    /// `a b` → `a / b`.
    Divide,
    /// `a` → `!a` (falsiness: `nil` and `false`).
    Not,
    /// `a` → `-a` (numbers only).
    Negate,
    /// Pop and print the top of the stack, followed by a newline.
    Print,
    /// `[offset: u16]`: jump forward by `offset` bytes past the operand.
    Jump,
    /// `[offset: u16]`: jump forward if the top of the stack (left in place) is falsey.
    JumpIfFalse,
    /// `[offset: u16]`: jump backward by `offset` bytes past the operand.
    Loop,
    /// `[argc: u8]`: call the value below the `argc` arguments.
    Call,
    /// `[name: u8, argc: u8]`: call method `name` of the receiver below the arguments.
    Invoke,
    /// `[name: u8, argc: u8]`: `this args… superclass` → call the superclass's method `name`.
    SuperInvoke,
    /// `[proto: u8, (is_local: u8, index: u8) × upvalue_count]`: push a new closure
    /// over function constant `proto`, capturing the listed upvalues.
    Closure,
    /// Close the upvalue pointing at the top slot of the stack, then pop it.
    CloseUpvalue,
    /// Return the top of the stack from the current function.
    Return,
    /// `[name: u8]`: push a new class named by string constant `name`.
    Class,
    /// `superclass subclass` → `superclass`: copy the superclass's methods into the subclass.
    Inherit,
    /// `[name: u8]`: `class closure` → `class`: add method `name`.
    Method,
}

impl OpCode {
    /// Every opcode, in encoding order, so that a byte converts back without `unsafe`.
    pub const ALL: [OpCode; 37] = [
        OpCode::Constant,
        OpCode::Nil,
        OpCode::True,
        OpCode::False,
        OpCode::Pop,
        OpCode::GetLocal,
        OpCode::SetLocal,
        OpCode::GetGlobal,
        OpCode::DefineGlobal,
        OpCode::SetGlobal,
        OpCode::GetUpvalue,
        OpCode::SetUpvalue,
        OpCode::GetProperty,
        OpCode::SetProperty,
        OpCode::GetSuper,
        OpCode::Equal,
        OpCode::Greater,
        OpCode::Less,
        OpCode::Add,
        OpCode::Subtract,
        OpCode::Multiply,
        OpCode::Divide,
        OpCode::Not,
        OpCode::Negate,
        OpCode::Print,
        OpCode::Jump,
        OpCode::JumpIfFalse,
        OpCode::Loop,
        OpCode::Call,
        OpCode::Invoke,
        OpCode::SuperInvoke,
        OpCode::Closure,
        OpCode::CloseUpvalue,
        OpCode::Return,
        OpCode::Class,
        OpCode::Inherit,
        OpCode::Method,
    ];

    /// Decodes one byte, or `None` for a byte that is no opcode.
    ///
    /// The search compiles to one range check, since every opcode's byte is its
    /// position in `ALL`: indexing `ALL` instead would cost the VM's dispatch
    /// loop a load from the table on every instruction.
    #[inline]
    pub fn from_byte(byte: u8) -> Option<OpCode> {
        OpCode::ALL.into_iter().find(|op| *op as u8 == byte)
    }

    /// The mnemonic printed by the disassembler, in the book's style.
    pub fn name(self) -> &'static str {
        match self {
            OpCode::Constant => "OP_CONSTANT",
            OpCode::Nil => "OP_NIL",
            OpCode::True => "OP_TRUE",
            OpCode::False => "OP_FALSE",
            OpCode::Pop => "OP_POP",
            OpCode::GetLocal => "OP_GET_LOCAL",
            OpCode::SetLocal => "OP_SET_LOCAL",
            OpCode::GetGlobal => "OP_GET_GLOBAL",
            OpCode::DefineGlobal => "OP_DEFINE_GLOBAL",
            OpCode::SetGlobal => "OP_SET_GLOBAL",
            OpCode::GetUpvalue => "OP_GET_UPVALUE",
            OpCode::SetUpvalue => "OP_SET_UPVALUE",
            OpCode::GetProperty => "OP_GET_PROPERTY",
            OpCode::SetProperty => "OP_SET_PROPERTY",
            OpCode::GetSuper => "OP_GET_SUPER",
            OpCode::Equal => "OP_EQUAL",
            OpCode::Greater => "OP_GREATER",
            OpCode::Less => "OP_LESS",
            OpCode::Add => "OP_ADD",
            OpCode::Subtract => "OP_SUBTRACT",
            OpCode::Multiply => "OP_MULTIPLY",
            OpCode::Divide => "OP_DIVIDE",
            OpCode::Not => "OP_NOT",
            OpCode::Negate => "OP_NEGATE",
            OpCode::Print => "OP_PRINT",
            OpCode::Jump => "OP_JUMP",
            OpCode::JumpIfFalse => "OP_JUMP_IF_FALSE",
            OpCode::Loop => "OP_LOOP",
            OpCode::Call => "OP_CALL",
            OpCode::Invoke => "OP_INVOKE",
            OpCode::SuperInvoke => "OP_SUPER_INVOKE",
            OpCode::Closure => "OP_CLOSURE",
            OpCode::CloseUpvalue => "OP_CLOSE_UPVALUE",
            OpCode::Return => "OP_RETURN",
            OpCode::Class => "OP_CLASS",
            OpCode::Inherit => "OP_INHERIT",
            OpCode::Method => "OP_METHOD",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OpCode;

    #[test]
    fn every_opcode_round_trips_through_its_byte() {
        for (index, op) in OpCode::ALL.iter().enumerate() {
            assert_eq!(*op as usize, index, "{op:?} is out of order in ALL");
            assert_eq!(OpCode::from_byte(*op as u8), Some(*op));
        }
        assert_eq!(OpCode::from_byte(OpCode::ALL.len() as u8), None);
    }
}
