//! Code for declarations and statements, functions and classes.

use bumplox_bytecode::{Constant, FunctionKind, OpCode, MAX_JUMP};
use bumplox_resolver::Binding;
use bumplox_source::Span;
use bumplox_tree::{Alloc, Class, Function, Ident, NodeId, Stmt, StmtNode, Tree};

use crate::emit::{FunctionState, Generator};

impl<'a> Generator<'_, 'a> {
    /// A statement in a declaration position, after which the book's compiler
    /// resets its error state.
    pub(crate) fn declaration<'t, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        stmt: &'t Stmt<'a, A>,
    ) {
        self.statement(tree, stmt);
        self.panic_mode = false;
    }

    fn statement<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, stmt: &'t Stmt<'a, A>) {
        match tree.stmt(stmt) {
            StmtNode::Expression(node) => {
                self.expr(tree, &node.expr);
                let line = self.line(node.span);
                self.emit(OpCode::Pop, line);
            }
            StmtNode::Print(node) => {
                self.expr(tree, &node.expr);
                let line = self.line(node.span);
                self.mark(keyword(node.span, "print"));
                self.emit(OpCode::Print, line);
            }
            StmtNode::Var(node) => {
                // A global's name constant is added before its initializer's
                // constants, as the book's compiler adds it on reading the
                // name: which constant is the 257th decides where "Too many
                // constants" is reported.
                let global = match self.resolution.binding(node.id) {
                    Binding::Local(_) => None,
                    _ => Some(self.name_constant(node.name.name, node.name.span)),
                };
                match &node.initializer {
                    Some(initializer) => self.expr(tree, initializer),
                    None => {
                        let line = self.line(node.name.span);
                        self.emit(OpCode::Nil, line);
                    }
                }
                match global {
                    Some(index) => {
                        let line = self.line(node.span);
                        self.emit_with(OpCode::DefineGlobal, index, line);
                    }
                    None => self.define(node.name, node.id, node.span),
                }
            }
            StmtNode::Block(node) => {
                self.begin_scope();
                for stmt in tree.list(&node.statements) {
                    self.declaration(tree, stmt);
                }
                let line = self.line(node.span);
                self.end_scope(line);
            }
            StmtNode::If(node) => {
                let branches = tree.list(&node.branches);
                let mut exits = Vec::with_capacity(branches.len());
                for branch in branches {
                    self.expr(tree, &branch.condition);
                    let line = self.line(branch.condition.span(tree));
                    let skip = self.emit_jump(OpCode::JumpIfFalse, line);
                    self.emit(OpCode::Pop, line);
                    self.statement(tree, &branch.then_branch);
                    let line = self.line(branch.then_branch.span(tree));
                    exits.push(self.emit_jump(OpCode::Jump, line));
                    self.patch_body_jump(skip, branch.then_branch.span(tree));
                    self.emit(OpCode::Pop, line);
                }
                if let Some(else_branch) = &node.else_branch {
                    self.statement(tree, else_branch);
                }
                self.patch_exits(&exits, node.span);
            }
            StmtNode::While(node) => {
                let start = self.chunk().code.len();
                self.expr(tree, &node.condition);
                let line = self.line(node.condition.span(tree));
                let exit = self.emit_jump(OpCode::JumpIfFalse, line);
                self.emit(OpCode::Pop, line);
                self.statement(tree, &node.body);
                self.mark(keyword(node.span, "while"));
                self.emit_loop(start, node.body.span(tree));
                self.patch_body_jump(exit, node.body.span(tree));
                let line = self.line(node.body.span(tree));
                self.emit(OpCode::Pop, line);
            }
            StmtNode::For(node) => {
                self.begin_scope();
                if let Some(initializer) = &node.initializer {
                    self.statement(tree, initializer);
                }
                let mut start = self.chunk().code.len();
                let exit = match &node.condition {
                    Some(condition) => {
                        self.expr(tree, condition);
                        let line = self.line(condition.span(tree));
                        let exit = self.emit_jump(OpCode::JumpIfFalse, line);
                        self.emit(OpCode::Pop, line);
                        Some(exit)
                    }
                    None => None,
                };
                if let Some(increment) = &node.increment {
                    let line = self.line(increment.span(tree));
                    let body_jump = self.emit_jump(OpCode::Jump, line);
                    let increment_start = self.chunk().code.len();
                    self.expr(tree, increment);
                    self.emit(OpCode::Pop, line);
                    self.mark(keyword(node.span, "for"));
                    self.emit_loop(start, increment.span(tree));
                    start = increment_start;
                    self.patch_jump(body_jump, increment.span(tree));
                }
                self.statement(tree, &node.body);
                self.mark(keyword(node.span, "for"));
                self.emit_loop(start, node.body.span(tree));
                let line = self.line(node.body.span(tree));
                if let Some(exit) = exit {
                    self.patch_body_jump(exit, node.body.span(tree));
                    self.emit(OpCode::Pop, line);
                }
                self.end_scope(line);
            }
            StmtNode::Return(node) => {
                let line = self.line(node.span);
                match &node.value {
                    Some(value) => {
                        self.expr(tree, value);
                        self.emit(OpCode::Return, line);
                    }
                    None => self.emit_return(line),
                }
            }
            StmtNode::Function(node) => {
                // A local function's slot exists before its body is compiled,
                // so the body can call it recursively.
                let global = match self.resolution.binding(node.id) {
                    Binding::Local(_) => {
                        let captured = self.resolution.is_captured(node.id);
                        self.add_local(captured);
                        None
                    }
                    _ => Some(self.name_constant(node.name.name, node.name.span)),
                };
                self.function(tree, node, FunctionKind::Function);
                if let Some(index) = global {
                    let line = self.line(node.span);
                    self.emit_with(OpCode::DefineGlobal, index, line);
                }
            }
            StmtNode::Class(node) => self.class(tree, node),
        }
    }

    /// Points the exit jumps of an `if` chain's branches at its end. A jump that
    /// cannot reach the end (operands are two bytes) lands on a later branch's
    /// exit jump instead, which carries on: so a chain of ten thousand `else
    /// if` branches compiles, where the book's compiler would give up.
    fn patch_exits(&mut self, exits: &[usize], span: Span) {
        if self.body_recovered(span) {
            return;
        }
        let end = self.chunk().code.len();
        // Opcode offsets of exit jumps already known to lead to the end, in
        // decreasing order (exits are visited last first).
        let mut relays: Vec<usize> = Vec::new();
        // The farthest relay within reach is the first one no further than
        // `MAX_JUMP` past the jump. Each exit is earlier than the one before,
        // so relays skipped as out of reach stay out of reach, and one index
        // moving forward finds them all: linear in the chain's length.
        let mut farthest = 0;
        for &exit in exits.iter().rev() {
            let after = exit + 2;
            let target = match end - after <= MAX_JUMP {
                true => Some(end),
                false => {
                    while relays
                        .get(farthest)
                        .is_some_and(|&relay| relay - after > MAX_JUMP)
                    {
                        farthest += 1;
                    }
                    relays.get(farthest).copied()
                }
            };
            match target {
                Some(target) => self.patch_jump_to(exit, target, span),
                None => self.patch_jump(exit, span),
            }
            relays.push(exit - 1);
        }
    }

    /// Makes the value on top of the stack the variable declared by `id`: a new
    /// global, or the local slot it already occupies.
    fn define(&mut self, name: Ident<'a>, id: NodeId, span: Span) {
        match self.resolution.binding(id) {
            Binding::Local(_) => {
                let captured = self.resolution.is_captured(id);
                self.add_local(captured);
            }
            _ => self.define_global(name, span),
        }
    }

    fn define_global(&mut self, name: Ident<'a>, span: Span) {
        let index = self.name_constant(name.name, name.span);
        let line = self.line(span);
        self.emit_with(OpCode::DefineGlobal, index, line);
    }

    /// Compiles a function body into its own prototype and emits the closure
    /// that captures its upvalues.
    fn function<'t, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        function: &'t Function<'a, A>,
        kind: FunctionKind,
    ) {
        let spare = self.spare_states.pop().unwrap_or_default();
        let mut state = FunctionState::reusing(kind, function.name.name, spare);
        let params = tree.list(&function.params);
        state.proto.arity = params.len().min(255) as u8;
        state.depth = 1;
        self.functions.push(state);
        for param in params {
            let captured = self.resolution.is_captured(param.id);
            self.add_local(captured);
        }
        for stmt in tree.list(&function.body) {
            self.declaration(tree, stmt);
        }
        let close = self.line(function.close_brace());
        self.emit_return(close);
        let Some(state) = self.functions.pop() else {
            return;
        };
        let (mut proto, spare) = state.finish();
        self.spare_states.push(spare);
        let upvalues = self.resolution.upvalues(function.id);
        proto.upvalue_count = upvalues.len() as u8;
        let proto = Constant::Function(std::rc::Rc::new(proto));
        let index = self.constant(proto, function.close_brace());
        self.mark(function.name.span);
        self.emit_with(bumplox_bytecode::OpCode::Closure, index, close);
        for upvalue in upvalues {
            self.chunk().write(u8::from(upvalue.is_local), close);
            self.chunk().write(upvalue.index, close);
        }
    }

    fn class<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, class: &'t Class<'a, A>) {
        let name = self.name_constant(class.name.name, class.name.span);
        let line = self.line(class.name.span);
        self.mark(class.name.span);
        self.emit_with(OpCode::Class, name, line);
        self.define(class.name, class.id, class.name.span);
        let class_binding = self.resolution.binding(class.id);
        if let Some(superclass) = &class.superclass {
            let binding = self.resolution.binding(superclass.id);
            self.emit_get(binding, superclass.name.name, superclass.name.span);
            self.begin_scope();
            let captured = self.resolution.is_captured(superclass.id);
            self.add_local(captured);
            self.emit_get(class_binding, class.name.name, superclass.name.span);
            let line = self.line(superclass.name.span);
            self.mark(superclass.name.span);
            self.emit(OpCode::Inherit, line);
        }
        let load_span = class
            .superclass
            .map_or(class.name.span, |superclass| superclass.name.span);
        self.emit_get(class_binding, class.name.name, load_span);
        for method in tree.list(&class.methods) {
            let kind = match method.name.name {
                "init" => FunctionKind::Initializer,
                _ => FunctionKind::Method,
            };
            let name = self.name_constant(method.name.name, method.name.span);
            self.function(tree, method, kind);
            let line = self.line(method.close_brace());
            self.emit_with(OpCode::Method, name, line);
        }
        let line = self.line(class.span);
        self.emit(OpCode::Pop, line);
        if class.superclass.is_some() {
            self.end_scope(line);
        }
    }
}

/// The span of the keyword that starts a statement spanning `span`.
fn keyword(span: Span, keyword: &str) -> Span {
    Span::new(span.start, span.start + keyword.len() as u32)
}
