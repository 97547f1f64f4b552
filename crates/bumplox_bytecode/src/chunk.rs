//! Chunks of bytecode with their constants, line and span tables, and function
//! prototypes.

use std::rc::Rc;

use bumplox_source::Span;

use crate::OpCode;

/// A constant in a chunk's pool. Strings and functions are plain data here; the VM
/// interns and allocates them on its heap when it loads the program.
#[derive(Clone, Debug)]
pub enum Constant {
    Number(f64),
    String(Rc<str>),
    Function(Rc<FunctionProto>),
}

/// Which kind of function a prototype is: it decides what slot 0 holds and what a
/// bare `return;` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionKind {
    /// The top-level code of a file (or of one REPL line).
    Script,
    /// A `fun` declaration.
    Function,
    /// A method other than `init`: slot 0 holds `this`.
    Method,
    /// A class's `init` method: it returns `this`.
    Initializer,
}

/// A compiled function: its code and what the VM needs to build closures over it.
#[derive(Clone, Debug)]
pub struct FunctionProto {
    /// The declared name; empty for the top-level script.
    pub name: Rc<str>,
    pub kind: FunctionKind,
    pub arity: u8,
    /// How many upvalues a closure over this function captures; the `Closure`
    /// instruction that creates it lists them.
    pub upvalue_count: u8,
    pub chunk: Chunk,
}

/// The source line of a run of bytes: bytes from `start` up to the next run's
/// start were emitted for `line`. Runs are stored in order, so a lookup is a binary
/// search and a straight-line function costs one entry per source line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRun {
    pub start: u32,
    pub line: u32,
}

/// The source span of a run of bytes: bytes from `start` up to the next run's
/// start were emitted for the operation at `span`, as precisely as a runtime
/// error needs it (the `+` of an addition, the name of a global, a whole call).
///
/// The code generator marks a span only before an instruction that can fail at
/// run time, so the instructions that cannot fail share the run before them and
/// straight-line code costs one entry per failing operation, not per byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpanRun {
    pub start: u32,
    pub span: Span,
}

/// A function's bytecode, its constant pool, its line table and its span table.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    pub code: Vec<u8>,
    pub constants: Vec<Constant>,
    pub lines: Vec<LineRun>,
    pub spans: Vec<SpanRun>,
}

impl Chunk {
    /// Appends one byte emitted for source line `line`.
    pub fn write(&mut self, byte: u8, line: u32) {
        let needs_run = match self.lines.last() {
            Some(run) => run.line != line,
            None => true,
        };
        if needs_run {
            let start = u32::try_from(self.code.len()).unwrap_or(u32::MAX);
            self.lines.push(LineRun { start, line });
        }
        self.code.push(byte);
    }

    /// Appends an opcode emitted for source line `line`.
    pub fn write_op(&mut self, op: OpCode, line: u32) {
        self.write(op as u8, line);
    }

    /// The source line of the instruction at byte `offset`.
    pub fn line_at(&self, offset: usize) -> u32 {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        let index = self.lines.partition_point(|run| run.start <= offset);
        match index.checked_sub(1) {
            Some(run) => self.lines[run].line,
            None => 0,
        }
    }

    /// Marks the bytes written from now on as emitted for the operation at
    /// `span`, until the next mark.
    pub fn mark_span(&mut self, span: Span) {
        let start = u32::try_from(self.code.len()).unwrap_or(u32::MAX);
        match self.spans.last_mut() {
            Some(run) if run.span == span => {}
            // A mark with no byte under it yet is replaced, not kept empty.
            Some(run) if run.start == start => run.span = span,
            Some(_) | None => self.spans.push(SpanRun { start, span }),
        }
    }

    /// The span marked for the byte at `offset`, or `None` before the first mark.
    pub fn span_at(&self, offset: usize) -> Option<Span> {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        let index = self.spans.partition_point(|run| run.start <= offset);
        let run = index.checked_sub(1)?;
        Some(self.spans[run].span)
    }
}

#[cfg(test)]
mod tests {
    use bumplox_source::Span;

    use super::Chunk;
    use crate::OpCode;

    #[test]
    fn line_table_maps_each_byte_to_its_line() {
        let mut chunk = Chunk::default();
        chunk.write_op(OpCode::Nil, 1);
        chunk.write_op(OpCode::Nil, 1);
        chunk.write_op(OpCode::Pop, 3);
        chunk.write_op(OpCode::Return, 4);
        assert_eq!(chunk.lines.len(), 3);
        let lines: Vec<u32> = (0..4).map(|offset| chunk.line_at(offset)).collect();
        assert_eq!(lines, [1, 1, 3, 4]);
    }

    #[test]
    fn span_table_maps_each_byte_to_the_last_mark() {
        let mut chunk = Chunk::default();
        chunk.write_op(OpCode::Nil, 1);
        chunk.mark_span(Span::new(0, 1));
        // A second mark before any byte replaces the first.
        chunk.mark_span(Span::new(2, 3));
        chunk.write_op(OpCode::Nil, 1);
        chunk.write_op(OpCode::Add, 1);
        // The same span again does not start a run.
        chunk.mark_span(Span::new(2, 3));
        chunk.write_op(OpCode::Pop, 1);
        chunk.mark_span(Span::new(5, 9));
        chunk.write_op(OpCode::Call, 1);
        chunk.write(0, 1);
        assert_eq!(chunk.spans.len(), 2);
        let spans: Vec<Option<Span>> = (0..6).map(|offset| chunk.span_at(offset)).collect();
        let marked = Some(Span::new(2, 3));
        let call = Some(Span::new(5, 9));
        assert_eq!(spans, [None, marked, marked, marked, call, call]);
    }
}
