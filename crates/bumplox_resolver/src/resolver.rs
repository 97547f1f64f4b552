//! The resolver pass: scopes, slots, upvalues and the static errors.

use std::collections::HashMap;

use bumplox_diagnostics::Diagnostic;
use bumplox_source::Span;
use bumplox_tree::walk::{walk_expr, ExprVisitor};
use bumplox_tree::{
    Alloc, Class, Expr, ExprNode, Function, Ident, NodeId, Program, Stmt, StmtNode, Tree,
};

use crate::names::{Declaration, DeclarationKind, NameUse, Names};
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
    let resolver = run(program, recovery_spans, None);
    (resolver.resolution, resolver.diagnostics)
}

/// Like [`resolve`], also recording which declaration each name use refers
/// to ([`Names`]), which an editor needs and a compiler does not.
pub fn resolve_names<'a, A: Alloc<'a>>(
    program: &Program<'a, A>,
    recovery_spans: &[Span],
) -> (Resolution, Vec<Diagnostic>, Names) {
    let mut resolver = run(program, recovery_spans, Some(Recorder::default()));
    let names = match resolver.recorder.take() {
        Some(recorder) => recorder.finish(),
        None => Names::default(),
    };
    (resolver.resolution, resolver.diagnostics, names)
}

fn run<'s, 'a, A: Alloc<'a>>(
    program: &Program<'a, A>,
    recovery_spans: &'s [Span],
    recorder: Option<Recorder<'a>>,
) -> Resolver<'s, 'a> {
    let mut resolver = Resolver {
        resolution: Resolution::new(program.node_count),
        diagnostics: Vec::new(),
        functions: vec![FunctionScope::new(FunctionKind::Script, Vec::new())],
        spare_locals: Vec::new(),
        classes: Vec::new(),
        panic_mode: false,
        recovery_spans,
        recorder,
    };
    let tree = program.tree();
    for stmt in program.statements() {
        resolver.declaration(tree, stmt);
    }
    resolver
}

/// What [`resolve_names`] keeps while the resolver walks.
#[derive(Default)]
struct Recorder<'a> {
    names: Names,
    /// The first top-level declaration of each global name: a global is
    /// looked up by name when it runs, so a use may come before it.
    globals: HashMap<&'a str, u32>,
    /// Uses of globals, matched with `globals` once the whole file is seen.
    global_uses: Vec<(usize, &'a str)>,
}

impl<'a> Recorder<'a> {
    fn declare(
        &mut self,
        name: Ident<'a>,
        kind: DeclarationKind,
        binding: Binding,
        container: Option<u32>,
    ) -> u32 {
        let index = self.names.declarations.len() as u32;
        self.names.declarations.push(Declaration {
            name: name.span,
            kind,
            binding,
            container,
        });
        if binding == Binding::Global {
            self.globals.entry(name.name).or_insert(index);
        }
        index
    }

    fn finish(mut self) -> Names {
        for (use_index, name) in self.global_uses {
            self.names.uses[use_index].declaration = self.globals.get(name).copied();
        }
        self.names
    }
}

/// A `this.name` in a class's methods, resolved when the class ends.
struct Property<'a> {
    name: &'a str,
    use_index: usize,
    /// Whether it assigns (`this.name = …`) and whether it is in `init`.
    is_set: bool,
    in_init: bool,
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
    /// Its index in the recorded [`Names`], when names are recorded.
    declaration: Option<u32>,
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
            declaration: None,
        });
        FunctionScope {
            locals,
            upvalues: Vec::new(),
            depth: 0,
        }
    }
}

struct ClassScope<'a> {
    has_superclass: bool,
    /// What [`resolve_names`] records: the class's declaration, its methods,
    /// the `this.name` uses in them, and whether the method being resolved
    /// is `init`.
    declaration: Option<u32>,
    methods: Vec<(&'a str, u32)>,
    properties: Vec<Property<'a>>,
    in_init: bool,
}

struct Resolver<'s, 'a> {
    resolution: Resolution,
    diagnostics: Vec<Diagnostic>,
    functions: Vec<FunctionScope<'a>>,
    /// The locals vectors of finished functions, for the next ones to reuse:
    /// a program declares a function every few lines, and allocating and
    /// freeing a vector for each showed up in profiles of `bumplox check`.
    spare_locals: Vec<Vec<Local<'a>>>,
    classes: Vec<ClassScope<'a>>,
    /// Like the book's compiler, report one error per declaration: after an
    /// error the rest of the declaration is mostly echoes of it.
    panic_mode: bool,
    recovery_spans: &'s [Span],
    /// Set when names are recorded for an editor ([`resolve_names`]).
    recorder: Option<Recorder<'a>>,
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
                self.declare_named(node.name, node.id, DeclarationKind::Variable);
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
                self.declare_named(node.name, node.id, DeclarationKind::Function);
                self.define();
                self.function_body(tree, node, FunctionKind::Function);
            }
            StmtNode::Class(node) => self.class(tree, node),
        }
    }

    fn class<'t, A: Alloc<'a>>(&mut self, tree: Tree<'t, 'a, A>, class: &'t Class<'a, A>) {
        let declaration = self.declare_named(class.name, class.id, DeclarationKind::Class);
        self.define();
        self.classes.push(ClassScope {
            has_superclass: false,
            declaration,
            methods: Vec::new(),
            properties: Vec::new(),
            in_init: false,
        });
        if let Some(superclass) = &class.superclass {
            // Inheriting from itself is reported by the parser, whose recovery
            // from it must match the book's.
            let binding = self.variable(superclass.name, superclass.id);
            self.record_use(superclass.name, binding);
            self.begin_scope();
            let hidden = Ident {
                name: "super",
                span: superclass.name.span,
            };
            self.add_local(hidden, Some(superclass.id), false, None);
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
            if let (Some(recorder), Some(scope)) = (&mut self.recorder, self.classes.last_mut()) {
                let index = recorder.declare(
                    method.name,
                    DeclarationKind::Method,
                    Binding::Unresolved,
                    scope.declaration,
                );
                scope.methods.push((method.name.name, index));
                scope.in_init = kind == FunctionKind::Initializer;
            }
            self.function_body(tree, method, kind);
        }
        let Some(scope) = self.classes.pop() else {
            return;
        };
        if scope.has_superclass {
            self.end_scope();
        }
        if let Some(recorder) = &mut self.recorder {
            record_properties(recorder, scope);
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
            self.declare_named(param.name, param.id, DeclarationKind::Parameter);
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

    /// Declares a variable in the current scope (see [`Resolver::declare`]),
    /// recording it as a `kind` when names are recorded; returns its index in
    /// the recorded names.
    fn declare_named(&mut self, name: Ident<'a>, id: NodeId, kind: DeclarationKind) -> Option<u32> {
        let declaration = match &mut self.recorder {
            Some(recorder) => {
                let binding = match self.functions.last().is_some_and(|scope| scope.depth == 0) {
                    true => Binding::Global,
                    false => Binding::Unresolved,
                };
                Some(recorder.declare(name, kind, binding, None))
            }
            None => None,
        };
        self.declare(name, id, declaration);
        if let (Some(recorder), Some(index)) = (&mut self.recorder, declaration) {
            recorder.names.declarations[index as usize].binding = self.resolution.binding(id);
        }
        declaration
    }

    /// Records a use of a variable, bound as `binding`, when names are
    /// recorded: its declaration is the local the resolver found (the
    /// innermost of that name in the enclosing functions), or for a global
    /// the top-level declaration of that name.
    fn record_use(&mut self, name: Ident<'a>, binding: Binding) {
        let Some(recorder) = &mut self.recorder else {
            return;
        };
        let declaration = match binding {
            Binding::Local(_) | Binding::Upvalue(_) => self
                .functions
                .iter()
                .rev()
                .find_map(|scope| {
                    scope
                        .locals
                        .iter()
                        .rev()
                        .find(|local| local.name == name.name)
                })
                .and_then(|local| local.declaration),
            Binding::Global | Binding::Unresolved => None,
        };
        if binding == Binding::Global {
            recorder
                .global_uses
                .push((recorder.names.uses.len(), name.name));
        }
        recorder.names.uses.push(NameUse {
            span: name.span,
            binding,
            declaration,
        });
    }

    /// Records `this.name` when names are recorded; it is matched with a
    /// method or field when its class ends.
    fn record_property(&mut self, name: Ident<'a>, is_set: bool) {
        let (Some(recorder), Some(scope)) = (&mut self.recorder, self.classes.last_mut()) else {
            return;
        };
        scope.properties.push(Property {
            name: name.name,
            use_index: recorder.names.uses.len(),
            is_set,
            in_init: scope.in_init,
        });
        recorder.names.uses.push(NameUse {
            span: name.span,
            binding: Binding::Unresolved,
            declaration: None,
        });
    }

    /// Declares a variable in the current scope; at the top level variables are
    /// globals and need no declaring. `declaration` is its index in the
    /// recorded names, if they are recorded.
    fn declare(&mut self, name: Ident<'a>, id: NodeId, declaration: Option<u32>) {
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
                self.add_local(name, Some(id), true, declaration);
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
        self.add_local(name, Some(id), true, declaration);
    }

    /// Adds a local to the current scope. `id` is the declaration it binds and
    /// whose "captured" flag a closure sets; the hidden `super` local has no
    /// declaration of its own and borrows the superclass name's id for the flag
    /// only (`bind` false), since that id's binding is the superclass lookup.
    fn add_local(
        &mut self,
        name: Ident<'a>,
        id: Option<NodeId>,
        bind: bool,
        declaration: Option<u32>,
    ) {
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
            declaration,
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

    fn variable(&mut self, name: Ident<'a>, id: NodeId) -> Binding {
        let innermost = self.functions.len() - 1;
        let binding = match self.resolve_local(innermost, name) {
            Some(slot) => Binding::Local(slot),
            None => match self.resolve_upvalue(innermost, name) {
                Some(index) => Binding::Upvalue(index),
                None => Binding::Global,
            },
        };
        self.resolution.bind(id, binding);
        binding
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
            ExprNode::Variable(node) => {
                let binding = self.variable(node.name, node.id);
                self.record_use(node.name, binding);
            }
            ExprNode::Assign(node) => {
                let binding = self.variable(node.name, node.id);
                self.record_use(node.name, binding);
            }
            ExprNode::Get(node) => {
                if matches!(tree.expr(&node.object), ExprNode::This(_)) {
                    self.record_property(node.name, false);
                }
            }
            ExprNode::Set(node) => {
                if matches!(tree.expr(&node.object), ExprNode::This(_)) {
                    self.record_property(node.name, true);
                }
            }
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
            | ExprNode::Error(_) => {}
        }
    }

    fn exit(&mut self, _tree: Tree<'t, 'a, A>, _expr: &'t Expr<'a, A>) {}
}

/// Matches a finished class's `this.name` uses with its methods, or else with
/// the field the class declares by assigning it: the first assignment in
/// `init` if there is one, else the first assignment anywhere in the class.
/// A name the class never assigns nor declares as a method stays unmatched.
fn record_properties<'a>(recorder: &mut Recorder<'a>, scope: ClassScope<'a>) {
    let mut fields: HashMap<&'a str, Option<u32>> = HashMap::new();
    for property in &scope.properties {
        if fields.contains_key(property.name) {
            continue;
        }
        let method = scope
            .methods
            .iter()
            .rev()
            .find(|(name, _)| *name == property.name)
            .map(|(_, index)| *index);
        let declaration = method.or_else(|| {
            let setters = || {
                scope
                    .properties
                    .iter()
                    .filter(|candidate| candidate.name == property.name && candidate.is_set)
            };
            let first = setters()
                .find(|candidate| candidate.in_init)
                .or_else(|| setters().next())?;
            let span = recorder.names.uses[first.use_index].span;
            Some(recorder.declare(
                Ident {
                    name: first.name,
                    span,
                },
                DeclarationKind::Field,
                Binding::Unresolved,
                scope.declaration,
            ))
        });
        fields.insert(property.name, declaration);
    }
    for property in &scope.properties {
        recorder.names.uses[property.use_index].declaration =
            fields.get(property.name).copied().flatten();
    }
}
