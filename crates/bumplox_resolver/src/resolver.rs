//! The resolver pass: scopes, slots, upvalues and the static errors.

use bumplox_diagnostics::Diagnostic;
use bumplox_source::Span;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{
    Alloc, Class, Expr, ExprNode, Function, Ident, NodeId, Program, Stmt, StmtNode, Tree,
};

use crate::resolution::{Binding, Resolution, Upvalue};

/// The most local slots a function can use, its reserved slot 0 included: slot
/// operands are one byte.
const MAX_LOCALS: usize = 256;
/// The most upvalues a closure can capture: upvalue operands are one byte.
const MAX_UPVALUES: usize = 256;

/// Resolves a parsed program. Diagnostics whose position falls in one of
/// `recovery_spans` (stretches the parser skipped while recovering from a
/// syntax error) are dropped, as the book's one-pass compiler reports nothing
/// there either.
pub fn resolve<'a, A: Alloc<'a>>(
    program: &Program<'a, A>,
    recovery_spans: &[Span],
) -> (Resolution, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        resolution: Resolution::new(program.node_count),
        diagnostics: Vec::new(),
        functions: vec![FunctionScope::new(FunctionKind::Script, Vec::new())],
        spare_locals: Vec::new(),
        classes: Vec::new(),
        panic_mode: false,
        recovery_spans,
    };
    let tree = program.tree();
    for stmt in program.statements() {
        resolver.declaration(tree, stmt);
    }
    (resolver.resolution, resolver.diagnostics)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FunctionKind {
    Script,
    Function,
    Method,
    Initializer,
}

/// A local variable as the book's compiler tracks it.
struct Local<'a> {
    name: &'a str,
    /// Where it was declared, for "first declared here" labels.
    span: Span,
    /// The scope depth it was declared at, or `None` while its initializer is
    /// being resolved (reading it then is an error).
    depth: Option<u32>,
    /// The node whose "captured" flag this local's capture sets.
    id: Option<NodeId>,
}

struct FunctionScope<'a> {
    locals: Vec<Local<'a>>,
    upvalues: Vec<Upvalue>,
    depth: u32,
}

impl<'a> FunctionScope<'a> {
    /// A scope for a new function, its locals kept in `locals` (emptied
    /// first), so that a finished function's vector can serve the next one.
    fn new(kind: FunctionKind, mut locals: Vec<Local<'a>>) -> FunctionScope<'a> {
        // Slot 0 holds the function being called, or the receiver in a method,
        // which is how `this` is found.
        let slot_zero = match kind {
            FunctionKind::Method | FunctionKind::Initializer => "this",
            FunctionKind::Script | FunctionKind::Function => "",
        };
        locals.clear();
        locals.push(Local {
            name: slot_zero,
            span: Span::default(),
            depth: Some(0),
            id: None,
        });
        FunctionScope {
            locals,
            upvalues: Vec::new(),
            depth: 0,
        }
    }
}

struct ClassScope {
    has_superclass: bool,
}

struct Resolver<'s, 'a> {
    resolution: Resolution,
    diagnostics: Vec<Diagnostic>,
    functions: Vec<FunctionScope<'a>>,
    /// The locals vectors of finished functions, for the next ones to reuse:
    /// a program declares a function every few lines, and allocating and
    /// freeing a vector for each showed up in profiles of `bumplox check`.
    spare_locals: Vec<Vec<Local<'a>>>,
    classes: Vec<ClassScope>,
    /// Like the book's compiler, report one error per declaration: after an
    /// error the rest of the declaration is mostly echoes of it.
    panic_mode: bool,
    recovery_spans: &'s [Span],
}

impl<'a> Resolver<'_, 'a> {
    fn error(&mut self, diagnostic: Diagnostic) {
        if self.panic_mode {
            return;
        }
        if bumplox_source::in_sorted_spans(self.recovery_spans, diagnostic.span.start) {
            return;
        }
        self.panic_mode = true;
        self.diagnostics.push(diagnostic);
    }

    fn function(&mut self) -> &mut FunctionScope<'a> {
        // The script's scope is pushed first and never popped.
        let last = self.functions.len() - 1;
        &mut self.functions[last]
    }

    // ---- Declarations and statements ----------------------------------------

    /// A statement in a declaration position (top level or a block), after
    /// which the book's compiler recovers from any error.
    fn declaration<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, stmt: &'t Stmt<'a, A>) {
        self.statement(tree, stmt);
        self.panic_mode = false;
    }

    fn statement<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, stmt: &'t Stmt<'a, A>) {
        match tree.stmt(stmt) {
            StmtNode::Expression(node) => self.expr(tree, &node.expr),
            StmtNode::Print(node) => self.expr(tree, &node.expr),
            StmtNode::Var(node) => {
                self.declare(node.name, node.id);
                if let Some(initializer) = &node.initializer {
                    self.expr(tree, initializer);
                }
                self.define();
            }
            StmtNode::Block(node) => {
                self.begin_scope();
                for stmt in tree.list(&node.statements) {
                    self.declaration(tree, stmt);
                }
                self.end_scope();
            }
            StmtNode::If(node) => {
                for branch in tree.list(&node.branches) {
                    self.expr(tree, &branch.condition);
                    self.statement(tree, &branch.then_branch);
                }
                if let Some(else_branch) = &node.else_branch {
                    self.statement(tree, else_branch);
                }
            }
            StmtNode::While(node) => {
                self.expr(tree, &node.condition);
                self.statement(tree, &node.body);
            }
            StmtNode::For(node) => {
                self.begin_scope();
                if let Some(initializer) = &node.initializer {
                    self.statement(tree, initializer);
                }
                if let Some(condition) = &node.condition {
                    self.expr(tree, condition);
                }
                if let Some(increment) = &node.increment {
                    self.expr(tree, increment);
                }
                self.statement(tree, &node.body);
                self.end_scope();
            }
            // `return` at the top level or with a value in an initializer is
            // reported by the parser, whose recovery it decides.
            StmtNode::Return(node) => {
                if let Some(value) = &node.value {
                    self.expr(tree, value);
                }
            }
            StmtNode::Function(node) => {
                self.declare(node.name, node.id);
                self.define();
                self.function_body(tree, node, FunctionKind::Function);
            }
            StmtNode::Class(node) => self.class(tree, node),
        }
    }

    fn class<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, class: &'t Class<'a, A>) {
        self.declare(class.name, class.id);
        self.define();
        self.classes.push(ClassScope {
            has_superclass: false,
        });
        if let Some(superclass) = &class.superclass {
            // Inheriting from itself is reported by the parser, whose recovery
            // from it must match the book's.
            self.variable(superclass.name, superclass.id);
            self.begin_scope();
            let hidden = Ident {
                name: "super",
                span: superclass.name.span,
            };
            self.add_local(hidden, Some(superclass.id), false);
            self.define();
            if let Some(scope) = self.classes.last_mut() {
                scope.has_superclass = true;
            }
        }
        for method in tree.list(&class.methods) {
            let kind = match method.name.name {
                "init" => FunctionKind::Initializer,
                _ => FunctionKind::Method,
            };
            self.function_body(tree, method, kind);
        }
        let scope = self.classes.pop();
        if scope.is_some_and(|scope| scope.has_superclass) {
            self.end_scope();
        }
    }

    fn function_body<'t, A: Alloc<'a>>(
        &mut self,
        tree: Tree<'t, 'a, A>,
        function: &'t Function<'a, A>,
        kind: FunctionKind,
    ) {
        let locals = self.spare_locals.pop().unwrap_or_default();
        self.functions.push(FunctionScope::new(kind, locals));
        self.begin_scope();
        for param in tree.list(&function.params) {
            self.declare(param.name, param.id);
            self.define();
        }
        for stmt in tree.list(&function.body) {
            self.declaration(tree, stmt);
        }
        // The function's outermost scope is never ended: returning from the
        // function discards its whole stack window at once.
        if let Some(scope) = self.functions.pop() {
            self.spare_locals.push(scope.locals);
            self.resolution.set_upvalues(function.id, scope.upvalues);
        }
    }

    // ---- Scopes --------------------------------------------------------------

    fn begin_scope(&mut self) {
        self.function().depth += 1;
    }

    fn end_scope(&mut self) {
        let scope = self.function();
        scope.depth -= 1;
        let depth = scope.depth;
        while scope
            .locals
            .last()
            .is_some_and(|local| local.depth.is_none_or(|d| d > depth))
        {
            scope.locals.pop();
        }
    }

    /// Declares a variable in the current scope; at the top level variables are
    /// globals and need no declaring.
    fn declare(&mut self, name: Ident<'a>, id: NodeId) {
        let scope = self.function();
        if scope.depth == 0 {
            self.resolution.bind(id, Binding::Global);
            return;
        }
        // A declaration whose name was missing has an empty span and is named
        // by the token before it, as the book's compiler names it (see the
        // parser's `declared_name`). The book declares it while in panic mode
        // from the missing name, so it reports nothing about it: not a
        // duplicate, not one local too many. It still takes a slot when there
        // is one.
        if name.is_missing() {
            if scope.locals.len() < MAX_LOCALS {
                self.add_local(name, Some(id), true);
            }
            return;
        }
        let depth = scope.depth;
        let earlier = scope
            .locals
            .iter()
            .rev()
            .take_while(|local| local.depth.is_none_or(|d| d >= depth))
            .find(|local| local.name == name.name)
            .map(|local| local.span);
        if let Some(earlier) = earlier {
            self.error(
                Diagnostic::error(
                    "Already a variable with this name in this scope.",
                    name.span,
                )
                .with_primary_label(format!("`{}` is declared again here", name.name))
                .with_label(earlier, "first declared here")
                .with_help(
                    "give it another name, or assign to the existing variable without `var`",
                ),
            );
        }
        self.add_local(name, Some(id), true);
    }

    /// Adds a local to the current scope. `id` is the declaration it binds and
    /// whose "captured" flag a closure sets; the hidden `super` local has no
    /// declaration of its own and borrows the superclass name's id for the flag
    /// only (`bind` false), since that id's binding is the superclass lookup.
    fn add_local(&mut self, name: Ident<'a>, id: Option<NodeId>, bind: bool) {
        let scope = self.function();
        if scope.locals.len() == MAX_LOCALS {
            self.error(
                Diagnostic::error("Too many local variables in function.", name.span)
                    .with_note(format!("a function can have at most {MAX_LOCALS} local variables in scope at once, counting its parameters and one reserved slot")),
            );
            return;
        }
        let slot = scope.locals.len() as u8;
        scope.locals.push(Local {
            name: name.name,
            span: name.span,
            depth: None,
            id,
        });
        if let (Some(id), true) = (id, bind) {
            self.resolution.bind(id, Binding::Local(slot));
        }
    }

    /// Marks the newest local as initialized, once its initializer (if any) has
    /// been resolved; globals need nothing.
    fn define(&mut self) {
        let scope = self.function();
        if scope.depth == 0 {
            return;
        }
        let depth = scope.depth;
        if let Some(local) = scope.locals.last_mut() {
            local.depth = Some(depth);
        }
    }

    // ---- Variable uses -------------------------------------------------------

    fn expr<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        walk_expr(tree, expr, self);
    }

    fn variable(&mut self, name: Ident<'a>, id: NodeId) {
        let innermost = self.functions.len() - 1;
        let binding = match self.resolve_local(innermost, name) {
            Some(slot) => Binding::Local(slot),
            None => match self.resolve_upvalue(innermost, name) {
                Some(index) => Binding::Upvalue(index),
                None => Binding::Global,
            },
        };
        self.resolution.bind(id, binding);
    }

    /// A use of one of the hidden locals `this` and `super`, written as the
    /// keyword at `keyword`; the tree keeps only the keyword's span.
    fn hidden_variable(&mut self, name: &'static str, keyword: Span, id: NodeId) {
        self.variable(
            Ident {
                name,
                span: keyword,
            },
            id,
        );
    }

    fn resolve_local(&mut self, function: usize, name: Ident<'a>) -> Option<u8> {
        let locals = &self.functions[function].locals;
        let (slot, local) = locals
            .iter()
            .enumerate()
            .rev()
            .find(|(_, local)| local.name == name.name)?;
        if local.depth.is_none() {
            self.error(
                Diagnostic::error(
                    "Can't read local variable in its own initializer.",
                    name.span,
                )
                .with_primary_label(format!("`{}` is still being declared here", name.name)),
            );
        }
        Some(slot as u8)
    }

    fn resolve_upvalue(&mut self, function: usize, name: Ident<'a>) -> Option<u8> {
        let enclosing = function.checked_sub(1)?;
        if let Some(slot) = self.resolve_local(enclosing, name) {
            if let Some(id) = self.functions[enclosing].locals[slot as usize].id {
                self.resolution.mark_captured(id);
            }
            return Some(self.add_upvalue(function, slot, true, name));
        }
        let index = self.resolve_upvalue(enclosing, name)?;
        Some(self.add_upvalue(function, index, false, name))
    }

    fn add_upvalue(&mut self, function: usize, index: u8, is_local: bool, name: Ident<'a>) -> u8 {
        let upvalue = Upvalue { index, is_local };
        let upvalues = &mut self.functions[function].upvalues;
        if let Some(existing) = upvalues.iter().position(|candidate| *candidate == upvalue) {
            return existing as u8;
        }
        if upvalues.len() == MAX_UPVALUES {
            self.error(
                Diagnostic::error("Too many closure variables in function.", name.span).with_note(
                    format!("a closure can capture at most {MAX_UPVALUES} variables"),
                ),
            );
            return 0;
        }
        upvalues.push(upvalue);
        (upvalues.len() - 1) as u8
    }
}

impl<'t, 'a: 't, A: Alloc<'a>> ExprVisitor<'t, 'a, A> for Resolver<'_, 'a> {
    fn enter(&mut self, tree: Tree<'t, 'a, A>, expr: &'t Expr<'a, A>) {
        match tree.expr(expr) {
            ExprNode::Variable(node) => self.variable(node.name, node.id),
            ExprNode::Assign(node) => self.variable(node.name, node.id),
            // `this` and `super` outside a class (or `super` in a class with
            // no superclass) are reported by the parser; here they are left
            // unbound, as the program will not run.
            ExprNode::This(node) => {
                if self.classes.is_empty() {
                    return;
                }
                self.hidden_variable("this", node.keyword, node.id);
            }
            ExprNode::Super(node) => {
                if !self
                    .classes
                    .last()
                    .is_some_and(|class| class.has_superclass)
                {
                    return;
                }
                self.hidden_variable("this", node.keyword, node.this_id);
                self.hidden_variable("super", node.keyword, node.super_id);
            }
            ExprNode::Literal(_)
            | ExprNode::Unary(_)
            | ExprNode::Binary(_)
            | ExprNode::Logical(_)
            | ExprNode::Grouping(_)
            | ExprNode::Call(_)
            | ExprNode::Get(_)
            | ExprNode::Set(_)
            | ExprNode::Error(_) => {}
        }
    }

    fn exit(&mut self, _tree: Tree<'t, 'a, A>, _expr: &'t Expr<'a, A>) {}
}
