//! Code for expressions, emitted from the events of the iterative tree walk so
//! that a million-term chain compiles without deep recursion.

use bumplox_bytecode::{Constant, OpCode};
use bumplox_source::Span;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{Alloc, BinaryOp, Expr, ExprNode, LiteralValue, LogicalOp, Tree, UnaryOp};

use crate::emit::{CallKind, Generator};

impl<'a> Generator<'_, 'a> {
    pub(crate) fn expr<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        walk_expr(tree, expr, self);
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Generator<'_, 'a> {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        let invoke_callee = std::mem::replace(&mut self.invoke_callee, false);
        match tree.expr(expr) {
            ExprNode::Literal(node) => {
                let line = self.line(node.span);
                match node.value {
                    LiteralValue::Number(value) => {
                        self.emit_constant(Constant::Number(value), node.span)
                    }
                    LiteralValue::String(text) => {
                        self.emit_constant(Constant::String(text.into()), node.span)
                    }
                    LiteralValue::Bool(true) => self.emit(OpCode::True, line),
                    LiteralValue::Bool(false) => self.emit(OpCode::False, line),
                    LiteralValue::Nil => self.emit(OpCode::Nil, line),
                }
            }
            ExprNode::Variable(node) => {
                let binding = self.resolution.binding(node.id);
                self.emit_get(binding, node.name.name, node.name.span);
            }
            ExprNode::This(node) => {
                let binding = self.resolution.binding(node.id);
                self.emit_get(binding, "this", node.keyword);
            }
            ExprNode::Super(node) => {
                let this = self.resolution.binding(node.this_id);
                self.emit_get(this, "this", node.keyword);
                if invoke_callee {
                    // The superclass is loaded after the arguments, by the call.
                    return;
                }
                let superclass = self.resolution.binding(node.super_id);
                self.emit_get(superclass, "super", node.keyword);
                let name = self.name_constant(node.method.name, node.method.span);
                let line = self.line(node.span);
                self.mark(node.method.span);
                self.emit_with(OpCode::GetSuper, name, line);
            }
            ExprNode::Call(node) => {
                let kind = match tree.expr(&node.callee) {
                    ExprNode::Get(_) => CallKind::Invoke,
                    ExprNode::Super(_) => CallKind::SuperInvoke,
                    ExprNode::Literal(_)
                    | ExprNode::Variable(_)
                    | ExprNode::Assign(_)
                    | ExprNode::Unary(_)
                    | ExprNode::Binary(_)
                    | ExprNode::Logical(_)
                    | ExprNode::Grouping(_)
                    | ExprNode::Call(_)
                    | ExprNode::Set(_)
                    | ExprNode::This(_)
                    | ExprNode::Error(_) => CallKind::Plain,
                };
                self.calls.push(kind);
                self.invoke_callee = kind != CallKind::Plain;
            }
            ExprNode::Get(_) => self.gets.push(invoke_callee),
            ExprNode::Assign(_)
            | ExprNode::Unary(_)
            | ExprNode::Binary(_)
            | ExprNode::Logical(_)
            | ExprNode::Grouping(_)
            | ExprNode::Set(_)
            | ExprNode::Error(_) => {}
        }
    }

    fn between(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>, index: usize) {
        let ExprNode::Logical(node) = tree.expr(expr) else {
            return;
        };
        debug_assert_eq!(index, 1);
        let line = self.line(node.op_span());
        match node.op {
            LogicalOp::And => {
                let end = self.emit_jump(OpCode::JumpIfFalse, line);
                self.emit(OpCode::Pop, line);
                self.logical_jumps.push(end);
            }
            LogicalOp::Or => {
                let else_jump = self.emit_jump(OpCode::JumpIfFalse, line);
                let end = self.emit_jump(OpCode::Jump, line);
                self.patch_jump(else_jump, node.op_span());
                self.emit(OpCode::Pop, line);
                self.logical_jumps.push(end);
            }
        }
    }

    fn exit(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        match tree.expr(expr) {
            ExprNode::Assign(node) => {
                let binding = self.resolution.binding(node.id);
                self.emit_set(binding, node.name.name, node.name.span, node.span(tree));
            }
            ExprNode::Unary(node) => {
                let line = self.line(node.span);
                let op = match node.op {
                    UnaryOp::Negate => OpCode::Negate,
                    UnaryOp::Not => OpCode::Not,
                };
                // The operator is the node's first byte.
                self.mark(Span::new(node.span.start, node.span.start + 1));
                self.emit(op, line);
            }
            ExprNode::Binary(node) => {
                let line = self.line(node.span);
                let (op, negate) = match node.op {
                    BinaryOp::Add => (OpCode::Add, false),
                    BinaryOp::Subtract => (OpCode::Subtract, false),
                    BinaryOp::Multiply => (OpCode::Multiply, false),
                    BinaryOp::Divide => (OpCode::Divide, false),
                    BinaryOp::Equal => (OpCode::Equal, false),
                    BinaryOp::NotEqual => (OpCode::Equal, true),
                    BinaryOp::Less => (OpCode::Less, false),
                    BinaryOp::LessEqual => (OpCode::Greater, true),
                    BinaryOp::Greater => (OpCode::Greater, false),
                    BinaryOp::GreaterEqual => (OpCode::Less, true),
                };
                self.mark(node.op_span());
                self.emit(op, line);
                if negate {
                    self.emit(OpCode::Not, line);
                }
            }
            ExprNode::Logical(node) => {
                if let Some(end) = self.logical_jumps.pop() {
                    self.patch_jump(end, node.span);
                }
            }
            ExprNode::Get(node) => {
                let invoke_callee = self.gets.pop().unwrap_or(false);
                if invoke_callee {
                    // The call emits `Invoke` with this name after the arguments.
                    return;
                }
                let name = self.name_constant(node.name.name, node.name.span);
                let line = self.line(node.span);
                self.mark(node.name.span);
                self.emit_with(OpCode::GetProperty, name, line);
            }
            ExprNode::Set(node) => {
                let name = self.name_constant(node.name.name, node.name.span);
                let line = self.line(node.span);
                self.mark(node.name.span);
                self.emit_with(OpCode::SetProperty, name, line);
            }
            ExprNode::Call(node) => {
                let kind = self.calls.pop().unwrap_or(CallKind::Plain);
                let argc = tree.list(&node.args).len().min(255) as u8;
                let line = self.line(node.span);
                match (kind, tree.expr(&node.callee)) {
                    (CallKind::Invoke, ExprNode::Get(get)) => {
                        let name = self.name_constant(get.name.name, get.name.span);
                        // A fused call fails on the method's name or on the
                        // call, so its span covers both: `name(args)`.
                        self.mark(Span::new(get.name.span.start, node.span.end));
                        self.emit_with(OpCode::Invoke, name, line);
                        self.chunk().write(argc, line);
                    }
                    (CallKind::SuperInvoke, ExprNode::Super(access)) => {
                        let superclass = self.resolution.binding(access.super_id);
                        self.emit_get(superclass, "super", access.keyword);
                        let name = self.name_constant(access.method.name, access.method.span);
                        self.mark(Span::new(access.method.span.start, node.span.end));
                        self.emit_with(OpCode::SuperInvoke, name, line);
                        self.chunk().write(argc, line);
                    }
                    // Any other callee is called as a value.
                    (CallKind::Plain | CallKind::Invoke | CallKind::SuperInvoke, _) => {
                        self.mark(node.span);
                        self.emit_with(OpCode::Call, argc, line);
                    }
                }
            }
            ExprNode::Literal(_)
            | ExprNode::Variable(_)
            | ExprNode::This(_)
            | ExprNode::Super(_)
            | ExprNode::Grouping(_)
            | ExprNode::Error(_) => {}
        }
    }
}
