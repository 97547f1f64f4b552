//! The disassembler: a human-readable listing of chunks in the style of the book's clox.

use std::fmt::Write as _;

use crate::{format_number, Chunk, Constant, FunctionKind, FunctionProto, OpCode};

/// Disassembles `proto` and then every function in its constant pool, recursively,
/// each listing headed by `== name ==` (or `== <script> ==` for the top level).
///
/// Nested functions are listed in depth-first order. The walk uses an explicit work
/// list rather than recursion so that deeply nested functions cannot overflow the
/// native stack.
pub fn disassemble(proto: &FunctionProto) -> String {
    let mut text = String::new();
    let mut pending = vec![proto];
    while let Some(function) = pending.pop() {
        write_chunk(&mut text, &function.chunk, display_name(function));
        // Pushing the children in reverse makes them come off the work list in
        // the order they appear in the pool.
        let children = function.chunk.constants.iter().rev();
        pending.extend(children.filter_map(|constant| match constant {
            Constant::Function(child) => Some(&**child),
            Constant::Number(_) | Constant::String(_) => None,
        }));
    }
    text
}

/// Disassembles one chunk under the header `== name ==`.
pub fn disassemble_chunk(chunk: &Chunk, name: &str) -> String {
    let mut text = String::new();
    write_chunk(&mut text, chunk, name);
    text
}

/// The name a function is listed under: the top-level script has none of its own.
fn display_name(proto: &FunctionProto) -> &str {
    match proto.kind {
        FunctionKind::Script => "<script>",
        FunctionKind::Function | FunctionKind::Method | FunctionKind::Initializer => {
            match proto.name.is_empty() {
                true => "<script>",
                false => &proto.name,
            }
        }
    }
}

fn write_chunk(text: &mut String, chunk: &Chunk, name: &str) {
    let _ = writeln!(text, "== {name} ==");
    let mut offset = 0;
    while offset < chunk.code.len() {
        offset = match write_instruction(text, chunk, offset) {
            Some(next) => next,
            // Once an instruction is cut short, the bytes after it cannot be
            // decoded reliably, so the listing stops there.
            None => break,
        };
    }
}

/// Writes the instruction at `offset` and returns the offset of the next one, or
/// `None` when the instruction is truncated or cannot be decoded far enough to know
/// where the next one starts.
fn write_instruction(text: &mut String, chunk: &Chunk, offset: usize) -> Option<usize> {
    let _ = write!(text, "{offset:04} ");
    let line = chunk.line_at(offset);
    match offset > 0 && chunk.line_at(offset - 1) == line {
        true => text.push_str("   | "),
        false => {
            let _ = write!(text, "{line:4} ");
        }
    }
    let byte = chunk.code[offset];
    let Some(op) = OpCode::from_byte(byte) else {
        let _ = writeln!(text, "<bad opcode 0x{byte:02x}>");
        return Some(offset + 1);
    };
    let reader = Operands { chunk, offset };
    let next = match op {
        OpCode::Constant
        | OpCode::GetGlobal
        | OpCode::DefineGlobal
        | OpCode::SetGlobal
        | OpCode::GetProperty
        | OpCode::SetProperty
        | OpCode::GetSuper
        | OpCode::Class
        | OpCode::Method => constant_instruction(text, op, reader),
        OpCode::GetLocal
        | OpCode::SetLocal
        | OpCode::GetUpvalue
        | OpCode::SetUpvalue
        | OpCode::Call => byte_instruction(text, op, reader),
        OpCode::Jump | OpCode::JumpIfFalse => jump_instruction(text, op, reader, 1),
        OpCode::Loop => jump_instruction(text, op, reader, -1),
        OpCode::Invoke | OpCode::SuperInvoke => invoke_instruction(text, op, reader),
        OpCode::Closure => closure_instruction(text, reader),
        OpCode::Nil
        | OpCode::True
        | OpCode::False
        | OpCode::Pop
        | OpCode::Equal
        | OpCode::Greater
        | OpCode::Less
        | OpCode::Add
        | OpCode::Subtract
        | OpCode::Multiply
        | OpCode::Divide
        | OpCode::Not
        | OpCode::Negate
        | OpCode::Print
        | OpCode::CloseUpvalue
        | OpCode::Return
        | OpCode::Inherit => {
            let _ = writeln!(text, "{}", op.name());
            Some(offset + 1)
        }
    };
    if next.is_none() {
        let _ = writeln!(text, "{:<16} <truncated>", op.name());
    }
    next
}

/// Reads the operand bytes of the instruction that starts at `offset`.
#[derive(Clone, Copy)]
struct Operands<'a> {
    chunk: &'a Chunk,
    offset: usize,
}

impl Operands<'_> {
    /// The operand byte `index` bytes after the opcode (the first operand is 1).
    fn byte(self, index: usize) -> Option<u8> {
        self.chunk.code.get(self.offset + index).copied()
    }

    /// The big-endian two-byte operand starting `index` bytes after the opcode.
    fn short(self, index: usize) -> Option<u16> {
        Some(u16::from_be_bytes([
            self.byte(index)?,
            self.byte(index + 1)?,
        ]))
    }
}

fn constant_instruction(text: &mut String, op: OpCode, reader: Operands<'_>) -> Option<usize> {
    let index = reader.byte(1)?;
    let _ = writeln!(
        text,
        "{:<16} {index:4} {}",
        op.name(),
        quoted_constant(reader.chunk, index)
    );
    Some(reader.offset + 2)
}

fn byte_instruction(text: &mut String, op: OpCode, reader: Operands<'_>) -> Option<usize> {
    let operand = reader.byte(1)?;
    let _ = writeln!(text, "{:<16} {operand:4}", op.name());
    Some(reader.offset + 2)
}

fn jump_instruction(
    text: &mut String,
    op: OpCode,
    reader: Operands<'_>,
    sign: i64,
) -> Option<usize> {
    let jump = reader.short(1)?;
    let next = reader.offset + 3;
    // The target is computed in signed arithmetic so that a malformed backward
    // jump past the start of the chunk prints a negative target instead of
    // overflowing.
    let target = i64::try_from(next).unwrap_or(i64::MAX) + sign * i64::from(jump);
    let _ = writeln!(text, "{:<16} {:4} -> {target}", op.name(), reader.offset);
    Some(next)
}

fn invoke_instruction(text: &mut String, op: OpCode, reader: Operands<'_>) -> Option<usize> {
    let index = reader.byte(1)?;
    let argc = reader.byte(2)?;
    let _ = writeln!(
        text,
        "{:<16} ({argc} args) {index:4} {}",
        op.name(),
        quoted_constant(reader.chunk, index)
    );
    Some(reader.offset + 3)
}

fn closure_instruction(text: &mut String, reader: Operands<'_>) -> Option<usize> {
    let index = reader.byte(1)?;
    let name = OpCode::Closure.name();
    let proto = match reader.chunk.constants.get(usize::from(index)) {
        Some(Constant::Function(proto)) => proto,
        // Without a function constant there is no upvalue count, so the length
        // of this instruction (and where the next one starts) is unknown.
        Some(Constant::Number(_) | Constant::String(_)) | None => {
            let constant = quoted_constant(reader.chunk, index);
            let _ = writeln!(text, "{name:<16} {index:4} {constant} <not a function>");
            return Some(reader.chunk.code.len());
        }
    };
    let _ = writeln!(text, "{name:<16} {index:4} {}", function_name(proto));
    let mut next = reader.offset + 2;
    for _ in 0..proto.upvalue_count {
        let operands = Operands {
            chunk: reader.chunk,
            offset: next,
        };
        let (Some(is_local), Some(slot)) = (operands.byte(0), operands.byte(1)) else {
            // The instruction's own line is already written, so the marker goes
            // on the line of the missing upvalue pair, and the listing stops.
            let _ = writeln!(text, "{next:04}      |                     <truncated>");
            return Some(reader.chunk.code.len());
        };
        let kind = match is_local {
            0 => "upvalue",
            _ => "local",
        };
        let _ = writeln!(text, "{next:04}      |                     {kind} {slot}");
        next += 2;
    }
    Some(next)
}

/// A constant as clox prints it after a constant operand: quoted, or a marker when
/// the index is past the end of the pool.
fn quoted_constant(chunk: &Chunk, index: u8) -> String {
    match chunk.constants.get(usize::from(index)) {
        Some(Constant::Number(number)) => format!("'{}'", format_number(*number)),
        Some(Constant::String(string)) => format!("'{string}'"),
        Some(Constant::Function(proto)) => format!("'{}'", function_name(proto)),
        None => "<bad constant>".to_owned(),
    }
}

/// A function as the VM prints it: `<fn name>`, or `<script>` for the top level.
fn function_name(proto: &FunctionProto) -> String {
    match display_name(proto) {
        "<script>" => "<script>".to_owned(),
        name => format!("<fn {name}>"),
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{disassemble, disassemble_chunk};
    use crate::{Chunk, Constant, FunctionKind, FunctionProto, OpCode};

    fn proto(name: &str, kind: FunctionKind, chunk: Chunk) -> FunctionProto {
        FunctionProto {
            name: Rc::from(name),
            kind,
            arity: 0,
            upvalue_count: 0,
            chunk,
        }
    }

    #[test]
    fn lists_simple_constant_and_byte_instructions_with_lines() {
        let mut chunk = Chunk::default();
        chunk.constants.push(Constant::Number(1.5));
        chunk.constants.push(Constant::String(Rc::from("x")));
        chunk.write_op(OpCode::Constant, 1);
        chunk.write(0, 1);
        chunk.write_op(OpCode::DefineGlobal, 1);
        chunk.write(1, 1);
        chunk.write_op(OpCode::GetLocal, 2);
        chunk.write(3, 2);
        chunk.write_op(OpCode::Return, 2);
        let expected = "\
== test ==
0000    1 OP_CONSTANT         0 '1.5'
0002    | OP_DEFINE_GLOBAL    1 'x'
0004    2 OP_GET_LOCAL        3
0006    | OP_RETURN
";
        assert_eq!(disassemble_chunk(&chunk, "test"), expected);
    }

    #[test]
    fn lists_jumps_with_their_targets() {
        let mut chunk = Chunk::default();
        for byte in [OpCode::Jump as u8, 0, 3, OpCode::Nil as u8] {
            chunk.write(byte, 1);
        }
        for byte in [OpCode::JumpIfFalse as u8, 1, 0, OpCode::Loop as u8, 0, 10] {
            chunk.write(byte, 1);
        }
        let expected = "\
== jumps ==
0000    1 OP_JUMP             0 -> 6
0003    | OP_NIL
0004    | OP_JUMP_IF_FALSE    4 -> 263
0007    | OP_LOOP             7 -> 0
";
        assert_eq!(disassemble_chunk(&chunk, "jumps"), expected);
    }

    #[test]
    fn lists_invokes_and_closures_with_their_upvalues() {
        let mut inner = Chunk::default();
        inner.write_op(OpCode::Nil, 3);
        inner.write_op(OpCode::Return, 3);
        let mut inner = proto("inner", FunctionKind::Function, inner);
        inner.upvalue_count = 2;

        let mut chunk = Chunk::default();
        chunk.constants.push(Constant::Function(Rc::new(inner)));
        chunk.constants.push(Constant::String(Rc::from("go")));
        for byte in [OpCode::Closure as u8, 0, 1, 0, 0, 4] {
            chunk.write(byte, 2);
        }
        for byte in [OpCode::Invoke as u8, 1, 2, OpCode::Return as u8] {
            chunk.write(byte, 5);
        }
        let script = proto("", FunctionKind::Script, chunk);
        let expected = "\
== <script> ==
0000    2 OP_CLOSURE          0 <fn inner>
0002      |                     local 0
0004      |                     upvalue 4
0006    5 OP_INVOKE        (2 args)    1 'go'
0009    | OP_RETURN
== inner ==
0000    3 OP_NIL
0001    | OP_RETURN
";
        assert_eq!(disassemble(&script), expected);
    }

    #[test]
    fn nested_functions_are_listed_depth_first_in_pool_order() {
        let leaf = |name: &str| {
            let mut chunk = Chunk::default();
            chunk.write_op(OpCode::Return, 1);
            Constant::Function(Rc::new(proto(name, FunctionKind::Function, chunk)))
        };
        let mut middle = Chunk::default();
        middle.constants.push(leaf("b"));
        middle.write_op(OpCode::Return, 1);
        let mut top = Chunk::default();
        top.constants.push(Constant::Function(Rc::new(proto(
            "a",
            FunctionKind::Method,
            middle,
        ))));
        top.constants.push(leaf("c"));
        top.write_op(OpCode::Return, 1);
        let listing = disassemble(&proto("", FunctionKind::Script, top));
        let headers: Vec<&str> = listing
            .lines()
            .filter(|line| line.starts_with("=="))
            .collect();
        assert_eq!(headers, ["== <script> ==", "== a ==", "== b ==", "== c =="]);
    }

    #[test]
    fn bad_opcodes_are_marked_and_skipped() {
        let mut chunk = Chunk::default();
        chunk.write(0xee, 1);
        chunk.write_op(OpCode::Pop, 1);
        let expected = "\
== bad ==
0000    1 <bad opcode 0xee>
0001    | OP_POP
";
        assert_eq!(disassemble_chunk(&chunk, "bad"), expected);
    }

    #[test]
    fn truncated_operands_stop_the_listing() {
        for code in [
            vec![OpCode::Constant as u8],
            vec![OpCode::Jump as u8, 0],
            vec![OpCode::Invoke as u8, 0],
            vec![OpCode::GetLocal as u8],
        ] {
            let mut chunk = Chunk::default();
            for byte in code {
                chunk.write(byte, 1);
            }
            let listing = disassemble_chunk(&chunk, "cut");
            assert!(listing.ends_with("<truncated>\n"), "{listing}");
        }
    }

    #[test]
    fn malformed_constants_and_closures_do_not_panic() {
        let mut chunk = Chunk::default();
        chunk.constants.push(Constant::Number(2.0));
        for byte in [OpCode::Constant as u8, 9, OpCode::Closure as u8, 0, 1, 1] {
            chunk.write(byte, 1);
        }
        let expected = "\
== odd ==
0000    1 OP_CONSTANT         9 <bad constant>
0002    | OP_CLOSURE          0 '2' <not a function>
";
        assert_eq!(disassemble_chunk(&chunk, "odd"), expected);

        let mut inner = proto("f", FunctionKind::Function, Chunk::default());
        inner.upvalue_count = 3;
        let mut chunk = Chunk::default();
        chunk.constants.push(Constant::Function(Rc::new(inner)));
        for byte in [OpCode::Closure as u8, 0, 1, 0, 0] {
            chunk.write(byte, 1);
        }
        let listing = disassemble_chunk(&chunk, "cut");
        assert!(listing.ends_with("<truncated>\n"), "{listing}");
    }
}
