//! The code generator's state: the function being compiled, its chunk and
//! constants, its locals, and the helpers that emit instructions and jumps.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use bumplox_bytecode::{
    Chunk, Constant, FunctionKind, FunctionProto, OpCode, SpanMarker, MAX_CONSTANTS, MAX_JUMP,
};
use bumplox_diagnostics::Diagnostic;
use bumplox_resolver::{Binding, Resolution};
use bumplox_source::{LineCursor, SourceFile, Span};
use bumplox_tree::{Alloc, Program};

/// Compiles a program that parsed and resolved without errors. Returns the
/// top-level script, or the bytecode limits it exceeds.
pub fn compile<'a, A: Alloc<'a>>(
    program: &Program<'a, A>,
    resolution: &Resolution,
    file: &SourceFile,
) -> Result<FunctionProto, Vec<Diagnostic>> {
    compile_recovered(program, resolution, file, &[])
}

/// Compiles a program as [`compile`] does, from a tree the parser may have
/// recovered from errors in. `recovered_body_ends` is the parse's list of the
/// loop bodies and `if` branches that ended in panic mode
/// (`bumplox_parser::Parse::recovered_body_ends`): a jump over one of them too
/// long to encode is not reported, as the book's compiler, still in panic
/// mode when it patches that jump, does not report it.
pub fn compile_recovered<'a, A: Alloc<'a>>(
    program: &Program<'a, A>,
    resolution: &Resolution,
    file: &SourceFile,
    recovered_body_ends: &[u32],
) -> Result<FunctionProto, Vec<Diagnostic>> {
    let mut generator = Generator {
        resolution,
        file,
        line_cursor: LineCursor::default(),
        recovered_body_ends,
        functions: vec![FunctionState::new(FunctionKind::Script, "")],
        spare_states: Vec::new(),
        diagnostics: Vec::new(),
        panic_mode: false,
        logical_jumps: Vec::new(),
        calls: Vec::new(),
        gets: Vec::new(),
        invoke_callee: false,
    };
    let tree = program.tree();
    for stmt in program.statements() {
        generator.declaration(tree, stmt);
    }
    let last_line = file.line_of(file.len());
    generator.emit_return(last_line);
    let script = generator.functions.pop().map(|state| state.finish().0);
    match (generator.diagnostics.is_empty(), script) {
        (true, Some(script)) => Ok(script),
        _ => Err(generator.diagnostics),
    }
}

/// A local slot as code generation sees it: whether leaving its scope must close
/// an upvalue.
pub(crate) struct Local {
    pub(crate) depth: u32,
    pub(crate) captured: bool,
}

pub(crate) struct FunctionState<'a> {
    pub(crate) proto: FunctionProto,
    pub(crate) locals: Vec<Local>,
    pub(crate) depth: u32,
    /// One constant per name in a chunk: global and property names are looked
    /// up by these, and a program that uses one global a thousand times must
    /// not run out of constants.
    names: NameMap<'a>,
    /// Writes the chunk's span table.
    spans: SpanMarker,
}

/// A chunk's names and their constants (see `FunctionState::names`).
type NameMap<'a> = HashMap<&'a str, u8, BuildHasherDefault<NameHasher>>;

/// The bookkeeping a finished function leaves behind, emptied, for the next
/// one to fill: a program has a function for every few lines, and growing a
/// fresh locals vector and names table for each was a measurable share of
/// code generation's allocations.
#[derive(Default)]
pub(crate) struct SpareState<'a> {
    locals: Vec<Local>,
    names: NameMap<'a>,
}

impl<'a> FunctionState<'a> {
    /// A state for a new function, reusing `spare`'s storage.
    pub(crate) fn reusing(
        kind: FunctionKind,
        name: &str,
        spare: SpareState<'a>,
    ) -> FunctionState<'a> {
        let SpareState {
            mut locals,
            mut names,
        } = spare;
        locals.clear();
        names.clear();
        // Slot 0 holds the callee, or the receiver in methods.
        locals.push(Local {
            depth: 0,
            captured: false,
        });
        FunctionState {
            proto: FunctionProto {
                name: Rc::from(name),
                kind,
                arity: 0,
                upvalue_count: 0,
                chunk: Chunk::default(),
            },
            locals,
            depth: 0,
            names,
            spans: SpanMarker::default(),
        }
    }

    /// Splits a finished function into its prototype and the storage the
    /// next function can reuse.
    ///
    /// The prototype's tables grew by doubling and keep their slack until
    /// the program ends (the VM moves them into its function objects), so it
    /// is given back here, while later functions can still reuse it. The code
    /// keeps room for the loader's padding ([`bumplox_bytecode::LOAD_PADDING`]).
    pub(crate) fn finish(self) -> (FunctionProto, SpareState<'a>) {
        let spare = SpareState {
            locals: self.locals,
            names: self.names,
        };
        let mut proto = self.proto;
        let chunk = &mut proto.chunk;
        chunk
            .code
            .shrink_to(chunk.code.len() + bumplox_bytecode::LOAD_PADDING);
        chunk.constants.shrink_to_fit();
        chunk.lines.shrink_to_fit();
        chunk.spans.shrink_to_fit();
        (proto, spare)
    }

    pub(crate) fn new(kind: FunctionKind, name: &str) -> FunctionState<'a> {
        FunctionState::reusing(kind, name, SpareState::default())
    }
}

/// The kind of call whose callee is being compiled, so the callee can leave
/// work to the call instruction (`Invoke` fuses a property get with a call).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallKind {
    Plain,
    Invoke,
    SuperInvoke,
}

pub(crate) struct Generator<'r, 'a> {
    pub(crate) resolution: &'r Resolution,
    file: &'r SourceFile,
    /// Where the last line was found: instructions are emitted mostly in
    /// source order, so the next is nearly always on the same line or the next.
    line_cursor: LineCursor,
    /// See [`compile_recovered`].
    recovered_body_ends: &'r [u32],
    pub(crate) functions: Vec<FunctionState<'a>>,
    /// Storage finished functions left for new ones (see [`SpareState`]).
    pub(crate) spare_states: Vec<SpareState<'a>>,
    diagnostics: Vec<Diagnostic>,
    /// One error per declaration, as in the book's compiler.
    pub(crate) panic_mode: bool,
    /// Jumps of `and`/`or` expressions waiting for their right operand's end.
    pub(crate) logical_jumps: Vec<usize>,
    /// The calls being compiled, innermost last.
    pub(crate) calls: Vec<CallKind>,
    /// The property gets being compiled, innermost last: `true` for the callee
    /// of an `Invoke`, whose get the call instruction performs.
    pub(crate) gets: Vec<bool>,
    /// Set when the next expression entered is the callee of an `Invoke` or
    /// `SuperInvoke`.
    pub(crate) invoke_callee: bool,
}

impl<'a> Generator<'_, 'a> {
    pub(crate) fn state(&mut self) -> &mut FunctionState<'a> {
        let last = self.functions.len() - 1;
        &mut self.functions[last]
    }

    pub(crate) fn chunk(&mut self) -> &mut Chunk {
        &mut self.state().proto.chunk
    }

    /// The line the book's compiler would attribute to an instruction emitted
    /// right after the token ending at `span`'s end.
    pub(crate) fn line(&self, span: Span) -> u32 {
        self.file.line_near(span.end, &self.line_cursor)
    }

    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        if self.panic_mode {
            return;
        }
        self.panic_mode = true;
        self.diagnostics.push(diagnostic);
    }

    /// Marks the instructions emitted next as done for the operation at `span`,
    /// which a runtime error there points at. Only instructions that can fail
    /// are marked: the others share the mark before them at no cost.
    pub(crate) fn mark(&mut self, span: Span) {
        let state = self.state();
        state.spans.mark(&mut state.proto.chunk, span);
    }

    pub(crate) fn emit(&mut self, op: OpCode, line: u32) {
        self.chunk().write_op(op, line);
    }

    pub(crate) fn emit_with(&mut self, op: OpCode, operand: u8, line: u32) {
        self.chunk().write_op(op, line);
        self.chunk().write(operand, line);
    }

    pub(crate) fn emit_return(&mut self, line: u32) {
        match self.state().proto.kind {
            FunctionKind::Initializer => self.emit_with(OpCode::GetLocal, 0, line),
            _ => self.emit(OpCode::Nil, line),
        }
        self.emit(OpCode::Return, line);
    }

    /// Adds a constant, reporting the book's error at `span` when the chunk is full.
    pub(crate) fn constant(&mut self, value: Constant, span: Span) -> u8 {
        let constants = &mut self.chunk().constants;
        if constants.len() == MAX_CONSTANTS {
            self.error(
                Diagnostic::error("Too many constants in one chunk.", span)
                    .with_note(format!(
                        "a function's code can refer to at most {MAX_CONSTANTS} constants"
                    ))
                    .with_help("split the function into smaller functions"),
            );
            return 0;
        }
        constants.push(value);
        (constants.len() - 1) as u8
    }

    /// The constant holding a name, added once per chunk.
    pub(crate) fn name_constant(&mut self, name: &'a str, span: Span) -> u8 {
        if let Some(&index) = self.state().names.get(name) {
            return index;
        }
        let index = self.constant(Constant::String(Rc::from(name)), span);
        self.state().names.insert(name, index);
        index
    }

    pub(crate) fn emit_constant(&mut self, value: Constant, span: Span) {
        let index = self.constant(value, span);
        let line = self.line(span);
        self.emit_with(OpCode::Constant, index, line);
    }

    /// Emits a forward jump with a placeholder offset; returns where to patch.
    pub(crate) fn emit_jump(&mut self, op: OpCode, line: u32) -> usize {
        self.emit(op, line);
        self.chunk().write(0xff, line);
        self.chunk().write(0xff, line);
        self.chunk().code.len() - 2
    }

    /// Points the jump at `at` to the next instruction. `span` is where the
    /// book's compiler reports a jump too long: the last token jumped over.
    pub(crate) fn patch_jump(&mut self, at: usize, span: Span) {
        let distance = self.chunk().code.len() - at - 2;
        if distance > MAX_JUMP {
            self.error(
                Diagnostic::error("Too much code to jump over.", last_token(span))
                    .with_help("move some of this code into a function"),
            );
            return;
        }
        self.patch_jump_to(at, at + 2 + distance, span);
    }

    /// Points the jump whose operand is at `at` to `target`, a later offset
    /// within reach (the caller checked the distance).
    pub(crate) fn patch_jump_to(&mut self, at: usize, target: usize, span: Span) {
        let distance = target - at - 2;
        if distance > MAX_JUMP {
            self.error(Diagnostic::error(
                "Too much code to jump over.",
                last_token(span),
            ));
            return;
        }
        let code = &mut self.chunk().code;
        code[at] = (distance >> 8) as u8;
        code[at + 1] = distance as u8;
    }

    /// Whether the loop body or branch `body` ended while the parser was
    /// recovering from an error, so the book's compiler was in panic mode when
    /// it patched the jumps over it.
    pub(crate) fn body_recovered(&self, body: Span) -> bool {
        self.recovered_body_ends.binary_search(&body.end).is_ok()
    }

    /// Points the jump at `at` over the loop body or branch `body` to the next
    /// instruction, reporting a jump too long unless the body ended in panic
    /// mode (the program has errors then, and its code is never run).
    pub(crate) fn patch_body_jump(&mut self, at: usize, body: Span) {
        if self.body_recovered(body) {
            return;
        }
        self.patch_jump(at, body);
    }

    /// Emits a backward jump to `start`; `body` is the loop body, whose last
    /// token the book's compiler blames when the jump is too long.
    pub(crate) fn emit_loop(&mut self, start: usize, body: Span) {
        let line = self.line(body);
        self.emit(OpCode::Loop, line);
        let distance = self.chunk().code.len() - start + 2;
        if distance > MAX_JUMP && !self.body_recovered(body) {
            self.error(
                Diagnostic::error("Loop body too large.", last_token(body))
                    .with_note("a loop can jump back at most 65535 bytes of bytecode")
                    .with_help("move part of the loop body into a function"),
            );
        }
        let distance = distance.min(MAX_JUMP);
        self.chunk().write((distance >> 8) as u8, line);
        self.chunk().write(distance as u8, line);
    }

    /// Emits the load of a resolved variable.
    pub(crate) fn emit_get(&mut self, binding: Binding, name: &'a str, span: Span) {
        let line = self.line(span);
        match binding {
            Binding::Local(slot) => self.emit_with(OpCode::GetLocal, slot, line),
            Binding::Upvalue(index) => self.emit_with(OpCode::GetUpvalue, index, line),
            Binding::Global | Binding::Unresolved => {
                let index = self.name_constant(name, span);
                self.mark(span);
                self.emit_with(OpCode::GetGlobal, index, line);
            }
        }
    }

    /// Emits the store into a resolved variable; `line_span` ends where the
    /// assigned value does.
    pub(crate) fn emit_set(
        &mut self,
        binding: Binding,
        name: &'a str,
        name_span: Span,
        line_span: Span,
    ) {
        let line = self.line(line_span);
        match binding {
            Binding::Local(slot) => self.emit_with(OpCode::SetLocal, slot, line),
            Binding::Upvalue(index) => self.emit_with(OpCode::SetUpvalue, index, line),
            Binding::Global | Binding::Unresolved => {
                let index = self.name_constant(name, name_span);
                self.mark(name_span);
                self.emit_with(OpCode::SetGlobal, index, line);
            }
        }
    }

    pub(crate) fn begin_scope(&mut self) {
        self.state().depth += 1;
    }

    /// Leaves a scope, popping its locals (closing those captured by closures).
    pub(crate) fn end_scope(&mut self, line: u32) {
        let state = self.state();
        state.depth -= 1;
        let depth = state.depth;
        while let Some(local) = self.state().locals.last() {
            if local.depth <= depth {
                break;
            }
            let op = match local.captured {
                true => OpCode::CloseUpvalue,
                false => OpCode::Pop,
            };
            self.emit(op, line);
            self.state().locals.pop();
        }
    }

    /// Records a new local in the current scope, in the slot the resolver gave it.
    pub(crate) fn add_local(&mut self, captured: bool) {
        let depth = self.state().depth;
        self.state().locals.push(Local { depth, captured });
    }
}

/// The last token of a statement, which always ends with a one-byte `;` or `}`.
fn last_token(span: Span) -> Span {
    Span::new(span.end.saturating_sub(1).max(span.start), span.end)
}

/// FNV-1a, for the names map of a chunk. The standard library's SipHash
/// resists collisions an attacker crafts, which this map does not need: it
/// holds at most 256 names (a chunk's constants), so even names that all
/// collide cost a bounded amount; and hashing every global and property
/// name with SipHash was a measurable part of code generation.
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = match self.0 {
            0 => 0xcbf2_9ce4_8422_2325,
            hash => hash,
        };
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
        }
        self.0 = hash;
    }
}
