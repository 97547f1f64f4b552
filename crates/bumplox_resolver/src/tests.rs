//! Resolver tests through [`check`]: each variable use with its binding, each
//! captured declaration and each closure's upvalues, then the errors.

use std::fmt::Write;

use bumplox_diagnostics::{render, ErrorFormat, RenderOptions};
use bumplox_lexer::{tokenize, TokenKind};
use bumplox_source::SourceFile;
use bumplox_tree::BumpBuilder;

use crate::{resolve, Binding};

/// Lists, for every identifier-like token with a node id, what the resolver
/// decided. Ids are handed out in source order within each kind of node, so
/// the listing walks the tree rather than the tokens.
fn render_resolution(src: &str) -> String {
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(src, &BumpBuilder::new(&bump));
    let (resolution, diagnostics) = resolve(&parse.program, &parse.recovery_spans);
    let mut out = String::new();
    let mut ids = Vec::new();
    collect_ids(&parse.program, &mut ids);
    ids.sort_by_key(|(offset, _, _)| *offset);
    for (offset, name, id) in ids {
        let binding = match resolution.binding(id) {
            Binding::Unresolved => continue,
            Binding::Global => "global".to_string(),
            Binding::Local(slot) => format!("local {slot}"),
            Binding::Upvalue(index) => format!("upvalue {index}"),
        };
        let captured = match resolution.is_captured(id) {
            true => " (captured)",
            false => "",
        };
        let _ = writeln!(out, "{offset:>3} {name}: {binding}{captured}");
    }
    let file = SourceFile::new("test.lox", src).expect("small");
    let options = RenderOptions {
        format: ErrorFormat::Lox,
        color: false,
    };
    out.push_str(&render(&file, &diagnostics, options));
    // Keep the lexer honest about the source being valid.
    assert!(tokenize(src)
        .iter()
        .all(|token| token.kind != TokenKind::UnexpectedCharacter));
    out
}

/// Every node id in the program with its offset and name, found with the
/// generated traversal and the same iterative walk the passes use.
fn collect_ids<'a>(
    program: &bumplox_tree::Program<'a, bumplox_tree::Bump>,
    ids: &mut Vec<(u32, &'a str, bumplox_tree::NodeId)>,
) {
    use bumplox_tree::walk::{walk_expr, ExprVisitor};
    use bumplox_tree::{Bump, Children, Expr, ExprNode, Function, Stmt, StmtNode, Tree};

    struct Ids<'t, 'v, 'a> {
        tree: Tree<'t, 'a, Bump>,
        ids: &'v mut Vec<(u32, &'a str, bumplox_tree::NodeId)>,
    }
    impl<'t, 'a: 't> Ids<'t, '_, 'a> {
        fn params(&mut self, function: &Function<'a, Bump>) {
            for param in self.tree.list(&function.params) {
                self.ids
                    .push((param.name.span.start, param.name.name, param.id));
            }
        }
    }
    impl<'t, 'a: 't> ExprVisitor<'t, 'a, Bump> for Ids<'t, '_, 'a> {
        fn enter(&mut self, tree: Tree<'t, 'a, Bump>, expr: &'t Expr<'a, Bump>) {
            match tree.expr(expr) {
                ExprNode::Variable(node) => {
                    self.ids
                        .push((node.name.span.start, node.name.name, node.id))
                }
                ExprNode::Assign(node) => {
                    self.ids
                        .push((node.name.span.start, node.name.name, node.id))
                }
                ExprNode::This(node) => self.ids.push((node.keyword.start, "this", node.id)),
                ExprNode::Super(node) => {
                    self.ids.push((node.keyword.start, "this", node.this_id));
                    self.ids.push((node.keyword.start, "super", node.super_id));
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
        fn exit(&mut self, _tree: Tree<'t, 'a, Bump>, _expr: &'t Expr<'a, Bump>) {}
    }
    impl<'t, 'a: 't> Children<'t, 'a, Bump> for Ids<'t, '_, 'a> {
        fn expr(&mut self, expr: &'t Expr<'a, Bump>) {
            walk_expr(self.tree, expr, self);
        }
        fn stmt(&mut self, stmt: &'t Stmt<'a, Bump>) {
            match self.tree.stmt(stmt) {
                StmtNode::Var(node) => {
                    self.ids
                        .push((node.name.span.start, node.name.name, node.id))
                }
                StmtNode::Function(node) => {
                    self.ids
                        .push((node.name.span.start, node.name.name, node.id));
                    self.params(node);
                }
                StmtNode::Class(node) => {
                    self.ids
                        .push((node.name.span.start, node.name.name, node.id));
                    if let Some(superclass) = &node.superclass {
                        self.ids.push((
                            superclass.name.span.start,
                            superclass.name.name,
                            superclass.id,
                        ));
                    }
                    for method in self.tree.list(&node.methods) {
                        self.params(method);
                    }
                }
                StmtNode::Expression(_)
                | StmtNode::Print(_)
                | StmtNode::Block(_)
                | StmtNode::If(_)
                | StmtNode::While(_)
                | StmtNode::For(_)
                | StmtNode::Return(_) => {}
            }
            self.tree.stmt_children(stmt, self);
        }
    }
    let mut collector = Ids {
        tree: program.tree(),
        ids,
    };
    for stmt in program.statements() {
        collector.stmt(stmt);
    }
}

macro_rules! check {
    ($src:expr, @$expect:literal) => {
        insta::assert_snapshot!(render_resolution($src), @$expect)
    };
}

#[test]
fn top_level_names_are_globals() {
    check!("var a = 1; print a; fun f() {} f();", @"
     4 a: global
    17 a: global
    24 f: global
    31 f: global
    ");
}

#[test]
fn locals_take_slots_after_the_reserved_one() {
    check!("{ var a = 1; var b = a; { var c = b; } var d; }", @"
     6 a: local 1
    17 b: local 2
    21 a: local 1
    30 c: local 3
    34 b: local 2
    43 d: local 3
    ");
}

#[test]
fn parameters_are_the_first_locals_of_a_function() {
    check!("fun f(a, b) { var c = a + b; return c; }", @"
     4 f: global
     6 a: local 1
     9 b: local 2
    18 c: local 3
    22 a: local 1
    26 b: local 2
    36 c: local 3
    ");
}

#[test]
fn closures_capture_through_every_enclosing_function() {
    check!("fun outer() { var x = 1; fun middle() { fun inner() { return x; } return inner; } return middle; }", @"
     4 outer: global
    18 x: local 1 (captured)
    29 middle: local 2
    44 inner: local 1
    61 x: upvalue 0
    73 inner: local 1
    89 middle: local 2
    ");
}

#[test]
fn an_upvalue_is_captured_once_however_often_it_is_used() {
    check!("fun f() { var a; var b; fun g() { a; b; a; b; } }", @"
     4 f: global
    14 a: local 1 (captured)
    21 b: local 2 (captured)
    28 g: local 3
    34 a: upvalue 0
    37 b: upvalue 1
    40 a: upvalue 0
    43 b: upvalue 1
    ");
}

#[test]
fn this_is_slot_zero_of_a_method_and_super_is_a_hidden_local() {
    check!("class A { m() { return this; } } class B < A { m() { fun f() { return super.m(); } return f; } }", @"
     6 A: global
    23 this: local 0
    39 B: global
    43 A: global (captured)
    57 f: local 1
    70 this: upvalue 0
    70 super: upvalue 1
    90 f: local 1
    ");
}

#[test]
fn an_inner_scope_may_shadow_an_outer_variable() {
    check!("{ var a = 1; { var b = a; var a = 2; print a; } }", @"
     6 a: local 1
    19 b: local 2
    23 a: local 1
    30 a: local 3
    43 a: local 3
    ");
}

#[test]
fn a_shadowing_initializer_cannot_read_the_outer_variable() {
    check!("{ var a = 1; { var a = a; } }", @"
      6 a: local 1
     19 a: local 2
     23 a: local 2
    [line 1] Error at 'a': Can't read local variable in its own initializer.
    ");
}

#[test]
fn duplicate_local_declarations_are_errors() {
    check!("{ var a; var a; } fun f(x, x) {}", @"
      6 a: local 1
     13 a: local 2
     22 f: global
     24 x: local 1
     27 x: local 2
    [line 1] Error at 'a': Already a variable with this name in this scope.
    [line 1] Error at 'x': Already a variable with this name in this scope.
    ");
}

#[test]
fn reading_a_local_in_its_own_initializer_is_an_error() {
    check!("{ var a = a; }", @"
      6 a: local 1
     10 a: local 1
    [line 1] Error at 'a': Can't read local variable in its own initializer.
    ");
}

/// Misplaced `return`, `this` and `super` are reported by the parser (whose
/// recovery they decide, as in the book's compiler); the resolver leaves
/// `this` and `super` outside a method unbound and reports nothing.
#[test]
fn misplaced_return_this_and_super_are_the_parsers() {
    check!("return 1;\nprint this;\nsuper.m();\nclass A { m() { super.m(); } }\nclass B { init() { return 1; } }", @"
     39 A: global
     70 B: global
    ");
}

#[test]
fn only_one_error_per_declaration() {
    check!("{ var a; var a; var a; }\nfun f() { var b; var b; }\nfun g() { var c; var c; }", @"
      6 a: local 1
     13 a: local 2
     20 a: local 3
     29 f: global
     39 b: local 1
     46 b: local 2
     55 g: global
     65 c: local 1
     72 c: local 2
    [line 1] Error at 'a': Already a variable with this name in this scope.
    [line 1] Error at 'a': Already a variable with this name in this scope.
    [line 2] Error at 'b': Already a variable with this name in this scope.
    [line 3] Error at 'c': Already a variable with this name in this scope.
    ");
}

#[test]
fn too_many_locals() {
    let mut src = String::from("fun f() {\n");
    for index in 0..256 {
        let _ = writeln!(src, "  var v{index};");
    }
    src.push('}');
    let rendered = render_resolution(&src);
    let errors: Vec<&str> = rendered
        .lines()
        .filter(|line| line.starts_with('['))
        .collect();
    assert_eq!(
        errors,
        ["[line 257] Error at 'v255': Too many local variables in function."]
    );
}

#[test]
fn too_many_upvalues() {
    // `inner` captures 200 variables of `outer` and then those of `middle`;
    // the 257th distinct one is too many.
    let mut src = String::from("fun outer() {\n");
    for index in 0..200 {
        let _ = writeln!(src, "  var v{index};");
    }
    src.push_str("  fun middle() {\n");
    for index in 0..100 {
        let _ = writeln!(src, "    var w{index};");
    }
    src.push_str("    fun inner() {\n");
    for index in 0..200 {
        let _ = writeln!(src, "      v{index};");
    }
    for index in 0..100 {
        let _ = writeln!(src, "      w{index};");
    }
    src.push_str("    }\n  }\n}\n");
    let rendered = render_resolution(&src);
    let errors: Vec<&str> = rendered
        .lines()
        .filter(|line| line.starts_with('['))
        .collect();
    // Each of the 44 statements naming one variable too many is its own
    // declaration, so each is reported, as the book's compiler does.
    assert_eq!(errors.len(), 44);
    assert_eq!(
        errors[0],
        "[line 560] Error at 'w56': Too many closure variables in function."
    );
    assert_eq!(
        errors[43],
        "[line 603] Error at 'w99': Too many closure variables in function."
    );
}

/// Lists what [`crate::resolve_names`] recorded: each declaration (where,
/// what, how bound, in which class), then each use and the declaration it
/// refers to, by the declaration's offset.
fn render_names(src: &str) -> String {
    let bump = bumpalo::Bump::new();
    let parse = bumplox_parser::parse(src, &BumpBuilder::new(&bump));
    let (_, _, names) = crate::resolve_names(&parse.program, &parse.recovery_spans);
    let text = |span: bumplox_source::Span| &src[span.range()];
    let binding = |binding: Binding| match binding {
        Binding::Unresolved => "-".to_string(),
        Binding::Global => "global".to_string(),
        Binding::Local(slot) => format!("local {slot}"),
        Binding::Upvalue(index) => format!("upvalue {index}"),
    };
    let mut out = String::new();
    for declaration in &names.declarations {
        let container = declaration
            .container
            .and_then(|class| names.declaration(class))
            .map(|class| format!(" in {}", text(class.name)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>3} {} {} ({}){container}",
            declaration.name.start,
            declaration.kind.describe(),
            text(declaration.name),
            binding(declaration.binding),
        );
    }
    for use_ in &names.uses {
        let target = use_
            .declaration
            .and_then(|index| names.declaration(index))
            .map_or("?".to_string(), |declaration| {
                declaration.name.start.to_string()
            });
        let _ = writeln!(
            out,
            "{:>3} use {} ({}) -> {target}",
            use_.span.start,
            text(use_.span),
            binding(use_.binding),
        );
    }
    out
}

macro_rules! check_names {
    ($src:expr, @$expect:literal) => {
        insta::assert_snapshot!(render_names($src), @$expect)
    };
}

#[test]
fn names_lead_uses_to_locals_upvalues_and_globals_declared_anywhere() {
    check_names!("f(); fun f(a) { var b = a; fun g() { return b + c; } } var c;", @"
     9 function f (global)
    11 parameter a (local 1)
    20 variable b (local 2)
    31 function g (local 3)
    59 variable c (global)
     0 use f (global) -> 9
    24 use a (local 1) -> 11
    44 use b (upvalue 0) -> 20
    48 use c (global) -> 59
    ");
}

#[test]
fn names_lead_this_properties_to_methods_and_fields() {
    // `x` is declared where `init` assigns it, though `m` assigns it first;
    // `y` is never assigned, so its use leads nowhere.
    check_names!("class A { m() { this.x = 1; return this.n(); } init() { this.x = 2; this.y; } n() {} }", @"
     6 class A (global)
    10 method m (-) in A
    47 method init (-) in A
    78 method n (-) in A
    61 field x (-) in A
    21 use x (-) -> 61
    40 use n (-) -> 78
    61 use x (-) -> 61
    73 use y (-) -> ?
    ");
}

#[test]
fn names_of_shadowing_and_nested_classes() {
    // The `a` read in its own initializer is an error, bound (as the
    // resolver binds it) to the local being declared.
    check_names!("var a; { var a = a; a; } class O { init() { this.v = 1; class I { init() { this.v = 2; } } } }", @"
     4 variable a (global)
    13 variable a (local 1)
    31 class O (global)
    35 method init (-) in O
    62 class I (local 1)
    66 method init (-) in I
    80 field v (-) in I
    49 field v (-) in O
    17 use a (local 1) -> 13
    20 use a (local 1) -> 13
    49 use v (-) -> 49
    80 use v (-) -> 80
    ");
}
