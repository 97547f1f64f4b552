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

/// One entry of a chunk's span table, decoded: bytes from `start` up to the
/// next entry's start were emitted for the operation at `span`, as precisely
/// as a runtime error needs it (the `+` of an addition, the name of a global,
/// a whole call).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
    /// The span table, [`SpanRun`]s encoded as deltas from the entry before:
    /// the code offset's (LEB128), the span start's (zigzag LEB128) and the
    /// span's length (LEB128), usually a byte each. The code generator marks
    /// a span only before an instruction that can fail at run time, so the
    /// others share the entry before them; and it is read only to report a
    /// runtime error, so a lookup may decode from the start. Written through
    /// a [`SpanMarker`], read by [`Chunk::span_at`].
    pub spans: Vec<u8>,
}

/// Appends entries to a chunk's span table: it remembers the last entry,
/// which the next one is encoded against. Kept by whoever writes the chunk,
/// so that a finished chunk carries nothing but the bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct SpanMarker {
    last: Option<SpanRun>,
}

impl SpanMarker {
    /// Marks the bytes written to `chunk` from now on as emitted for the
    /// operation at `span`, until the next mark. A later mark at the same
    /// offset wins over an earlier one.
    pub fn mark(&mut self, chunk: &mut Chunk, span: Span) {
        let previous = self.last.unwrap_or_default();
        if self.last.is_some() && previous.span == span {
            return;
        }
        let start = u32::try_from(chunk.code.len()).unwrap_or(u32::MAX);
        let out = &mut chunk.spans;
        write_unsigned(out, u64::from(start - previous.start.min(start)));
        write_signed(out, i64::from(span.start) - i64::from(previous.span.start));
        write_unsigned(out, u64::from(span.end.saturating_sub(span.start)));
        self.last = Some(SpanRun { start, span });
    }
}

fn write_unsigned(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn write_signed(out: &mut Vec<u8>, value: i64) {
    // Zigzag: small negative and positive deltas both stay small.
    write_unsigned(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// Decodes a span table entry by entry.
struct SpanRuns<'c> {
    bytes: &'c [u8],
    last: SpanRun,
}

impl SpanRuns<'_> {
    fn unsigned(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

impl Iterator for SpanRuns<'_> {
    type Item = SpanRun;

    fn next(&mut self) -> Option<SpanRun> {
        let code_delta = self.unsigned()?;
        let zigzag = self.unsigned()?;
        let length = self.unsigned()?;
        let start_delta = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        let start = u64::from(self.last.start).saturating_add(code_delta);
        let span_start = i64::from(self.last.span.start).saturating_add(start_delta);
        // A damaged table decodes to clamped values, never to a panic.
        let span_start = u32::try_from(span_start.max(0)).unwrap_or(u32::MAX);
        let span_end = u64::from(span_start).saturating_add(length);
        self.last = SpanRun {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            span: Span::new(span_start, u32::try_from(span_end).unwrap_or(u32::MAX)),
        };
        Some(self.last)
    }
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

    /// The entries of the span table, in order.
    pub fn span_runs(&self) -> impl Iterator<Item = SpanRun> + '_ {
        SpanRuns {
            bytes: &self.spans,
            last: SpanRun::default(),
        }
    }

    /// The span marked for the byte at `offset`, or `None` before the first
    /// mark. It decodes the table from the start: only errors ask.
    pub fn span_at(&self, offset: usize) -> Option<Span> {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        self.span_runs()
            .take_while(|run| run.start <= offset)
            .last()
            .map(|run| run.span)
    }
}

#[cfg(test)]
mod tests {
    use bumplox_source::Span;

    use super::{Chunk, SpanMarker};
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
        let mut marker = SpanMarker::default();
        chunk.write_op(OpCode::Nil, 1);
        marker.mark(&mut chunk, Span::new(900, 901));
        // A second mark before any byte wins over the first.
        marker.mark(&mut chunk, Span::new(2, 3));
        chunk.write_op(OpCode::Nil, 1);
        chunk.write_op(OpCode::Add, 1);
        // The same span again adds no entry.
        marker.mark(&mut chunk, Span::new(2, 3));
        chunk.write_op(OpCode::Pop, 1);
        // Far offsets and long spans take more than a byte each.
        marker.mark(&mut chunk, Span::new(70_000, 70_300));
        chunk.write_op(OpCode::Call, 1);
        chunk.write(0, 1);
        assert_eq!(chunk.span_runs().count(), 3);
        let spans: Vec<Option<Span>> = (0..6).map(|offset| chunk.span_at(offset)).collect();
        let marked = Some(Span::new(2, 3));
        let call = Some(Span::new(70_000, 70_300));
        assert_eq!(spans, [None, marked, marked, marked, call, call]);
    }

    #[test]
    fn damaged_span_tables_decode_without_panicking() {
        let tables: [&[u8]; 4] = [
            &[0x80],
            &[0xff; 12],
            &[0, 1],
            &[0, 0xfe, 0xff, 0xff, 0xff, 0x7f, 1],
        ];
        for table in tables {
            let chunk = Chunk {
                spans: table.to_vec(),
                ..Chunk::default()
            };
            let _ = chunk.span_at(usize::MAX);
        }
    }
}
