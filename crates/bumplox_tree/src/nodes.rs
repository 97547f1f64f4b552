//! The node types of the Lox tree: statements, expressions and their parts.
//!
//! Every enum variant holds one child reference, so [`Expr`] and [`Stmt`] are a
//! tag and a pointer (16 bytes) under the pointer strategies and a tag and a
//! `u32` (8 bytes) under `flat`; the payload structs carry the spans. The two
//! enums are generated from `node_kinds!`. Identifiers and string contents are
//! slices of the source.

use std::marker::PhantomData;

use bumplox_source::Span;

use crate::alloc::{Alloc, List, Ref};
use crate::tree::Tree;

/// Identifies a node that the resolver annotates: every variable use (`Variable`,
/// `Assign`, `this`, `super`) and every declaration (variables, parameters,
/// functions, classes). The parser numbers them densely from 0, so the resolver's
/// side tables are plain vectors indexed by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A name as written in the source, with where it was written.
///
/// A declaration whose name is missing still gets one, as in the book's
/// compiler, which names it by the token before the gap (`var 1;` declares a
/// variable called `var`): such a name has an empty span, at the gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ident<'a> {
    pub name: &'a str,
    pub span: Span,
}

impl Ident<'_> {
    /// Whether the parser made this name up for a declaration written
    /// without one (see the type's documentation).
    pub fn is_missing(self) -> bool {
        self.span.is_empty()
    }
}

/// A whole file: its top-level declarations, and the store its nodes are
/// looked up in (see [`Program::tree`]).
pub struct Program<'a, A: Alloc<'a>> {
    pub statements: List<'a, A, Stmt<'a, A>>,
    /// How many [`NodeId`]s the parser handed out.
    pub node_count: u32,
    pub store: A::Store,
}

impl<'a, A: Alloc<'a>> Program<'a, A> {
    /// The tree's store, through which passes reach every node.
    pub fn tree(&self) -> Tree<'_, 'a, A> {
        Tree::new(&self.store)
    }

    /// The top-level statements.
    pub fn statements(&self) -> &[Stmt<'a, A>] {
        self.tree().list(&self.statements)
    }
}

macro_rules! declare_enums {
    (
        stmts: [$($sv:ident $s:ident: $S:ident[$($sa:ident)?] {$($sf:ident: $sc:ident),* $(,)?}),* $(,)?],
        exprs: [$($ev:ident $e:ident: $E:ident[$($ea:ident)?] {$($ef:ident: $ec:ident),* $(,)?}),* $(,)?],
        lists: [$($l:ident: $L:ident[$($la:ident)?] [$($lf:ident: $lc:ident),* $(,)?]),* $(,)?]
    ) => {
        /// A statement: a reference to its payload (see `kinds.rs` for the list).
        pub enum Stmt<'a, A: Alloc<'a>> {
            $($sv(Ref<'a, A, $S<'a $(, $sa)?>>),)*
        }

        /// An expression: a reference to its payload (see `kinds.rs` for the
        /// list), or `Error` where an expression failed to parse (a diagnostic
        /// was reported for it).
        pub enum Expr<'a, A: Alloc<'a>> {
            $($ev(Ref<'a, A, $E<'a $(, $ea)?>>),)*
            Error(A::ErrorSpan),
        }

        impl<'a, A: Alloc<'a>> Expr<'a, A> {
            /// Whether this is the placeholder of an expression that failed to
            /// parse, which is no node.
            pub fn is_error(&self) -> bool {
                match self {
                    $(Expr::$ev(_) => false,)*
                    Expr::Error(_) => true,
                }
            }
        }
    };
}
node_kinds!(declare_enums);

impl<'a, A: Alloc<'a>> Expr<'a, A> {
    /// The span of the whole expression.
    pub fn span(&self, tree: Tree<'_, 'a, A>) -> Span {
        tree.expr(self).span(tree)
    }
}

impl<'a, A: Alloc<'a>> Stmt<'a, A> {
    /// The span of the whole statement.
    pub fn span(&self, tree: Tree<'_, 'a, A>) -> Span {
        tree.stmt(self).span()
    }
}

pub struct ExprStmt<'a, A: Alloc<'a>> {
    pub expr: Expr<'a, A>,
    pub span: Span,
}

pub struct PrintStmt<'a, A: Alloc<'a>> {
    pub expr: Expr<'a, A>,
    pub span: Span,
}

pub struct VarDecl<'a, A: Alloc<'a>> {
    pub name: Ident<'a>,
    pub initializer: Option<Expr<'a, A>>,
    pub id: NodeId,
    pub span: Span,
}

pub struct Block<'a, A: Alloc<'a>> {
    pub statements: List<'a, A, Stmt<'a, A>>,
    pub span: Span,
}

/// An `if` with its whole `else if` chain. The chain is a list rather than an
/// `if` nested in each `else`, so that ten thousand `else if` branches are a
/// flat list and not ten thousand levels of nesting for every later pass.
pub struct IfStmt<'a, A: Alloc<'a>> {
    pub branches: List<'a, A, IfBranch<'a, A>>,
    pub else_branch: Option<Stmt<'a, A>>,
    pub span: Span,
}

/// One `if (condition) then_branch` of an [`IfStmt`]; `span` covers its `if`.
pub struct IfBranch<'a, A: Alloc<'a>> {
    pub condition: Expr<'a, A>,
    pub then_branch: Stmt<'a, A>,
    pub keyword: Span,
}

pub struct WhileStmt<'a, A: Alloc<'a>> {
    pub condition: Expr<'a, A>,
    pub body: Stmt<'a, A>,
    pub span: Span,
}

/// A `for` loop, kept as written rather than desugared into `while`, so that
/// dumps show the source's shape and code generation can follow the book's.
pub struct ForStmt<'a, A: Alloc<'a>> {
    pub initializer: Option<Stmt<'a, A>>,
    pub condition: Option<Expr<'a, A>>,
    pub increment: Option<Expr<'a, A>>,
    pub body: Stmt<'a, A>,
    pub span: Span,
}

pub struct ReturnStmt<'a, A: Alloc<'a>> {
    pub value: Option<Expr<'a, A>>,
    pub keyword: Span,
    pub span: Span,
}

/// A function or method declaration.
pub struct Function<'a, A: Alloc<'a>> {
    pub name: Ident<'a>,
    pub params: List<'a, A, Param<'a>>,
    pub body: List<'a, A, Stmt<'a, A>>,
    pub id: NodeId,
    /// Where the `}` that closes the body starts: code generation attributes
    /// the implicit return to its line. An offset rather than a span, since
    /// the brace is one byte; see [`Function::close_brace`].
    pub close_brace_start: u32,
    pub span: Span,
}

impl<'a, A: Alloc<'a>> Function<'a, A> {
    /// The `}` that closes the body.
    pub fn close_brace(&self) -> Span {
        Span::new(self.close_brace_start, self.close_brace_start + 1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    pub name: Ident<'a>,
    pub id: NodeId,
}

pub struct Class<'a, A: Alloc<'a>> {
    pub name: Ident<'a>,
    pub id: NodeId,
    pub superclass: Option<Variable<'a>>,
    pub methods: List<'a, A, Function<'a, A>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LiteralValue<'a> {
    Number(f64),
    /// The string's contents, without the quotes.
    String(&'a str),
    Bool(bool),
    Nil,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Literal<'a> {
    pub value: LiteralValue<'a>,
    pub span: Span,
}

/// A use of a variable by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variable<'a> {
    pub name: Ident<'a>,
    pub id: NodeId,
}

pub struct Assign<'a, A: Alloc<'a>> {
    pub name: Ident<'a>,
    pub value: Expr<'a, A>,
    pub id: NodeId,
}

impl<'a, A: Alloc<'a>> Assign<'a, A> {
    /// From the name to the end of the value. Computed rather than stored:
    /// the value's span is one step away, and an assignment's value nests at
    /// most `MAX_NESTING` assignments deep, so this never recurses far.
    pub fn span(&self, tree: Tree<'_, 'a, A>) -> Span {
        self.name.span.to(self.value.span(tree))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Negate,
    Not,
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Negate => "-",
            UnaryOp::Not => "!",
        }
    }
}

pub struct Unary<'a, A: Alloc<'a>> {
    pub op: UnaryOp,
    pub operand: Expr<'a, A>,
    /// Covers the operator and the operand; the operator is its first byte.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEqual => ">=",
        }
    }
}

pub struct Binary<'a, A: Alloc<'a>> {
    pub op: BinaryOp,
    /// Where the operator starts; its end follows from `op` (see
    /// [`Binary::op_span`]), which saves the four bytes that let the node
    /// fit 48 bytes rather than 56.
    pub op_start: u32,
    pub left: Expr<'a, A>,
    pub right: Expr<'a, A>,
    pub span: Span,
}

impl<'a, A: Alloc<'a>> Binary<'a, A> {
    /// The operator, as written: its text is always `op.symbol()`.
    pub fn op_span(&self) -> Span {
        operator_span(self.op_start, self.op.symbol())
    }
}

fn operator_span(start: u32, symbol: &str) -> Span {
    Span::new(start, start + symbol.len() as u32)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicalOp {
    And,
    Or,
}

impl LogicalOp {
    pub fn symbol(self) -> &'static str {
        match self {
            LogicalOp::And => "and",
            LogicalOp::Or => "or",
        }
    }
}

pub struct Logical<'a, A: Alloc<'a>> {
    pub op: LogicalOp,
    /// Where the keyword starts, as in [`Binary::op_start`].
    pub op_start: u32,
    pub left: Expr<'a, A>,
    pub right: Expr<'a, A>,
    pub span: Span,
}

impl<'a, A: Alloc<'a>> Logical<'a, A> {
    /// The `and` or `or`, as written.
    pub fn op_span(&self) -> Span {
        operator_span(self.op_start, self.op.symbol())
    }
}

pub struct Grouping<'a, A: Alloc<'a>> {
    pub inner: Expr<'a, A>,
    pub span: Span,
}

pub struct Call<'a, A: Alloc<'a>> {
    pub callee: Expr<'a, A>,
    pub args: List<'a, A, Expr<'a, A>>,
    /// The closing `)`: runtime errors of the call are reported on its line.
    pub close_paren: Span,
    pub span: Span,
}

pub struct Get<'a, A: Alloc<'a>> {
    pub object: Expr<'a, A>,
    pub name: Ident<'a>,
    pub span: Span,
}

pub struct Set<'a, A: Alloc<'a>> {
    pub object: Expr<'a, A>,
    pub name: Ident<'a>,
    pub value: Expr<'a, A>,
    pub span: Span,
}

/// `this`. The keyword is kept as a span alone: its text is always `this`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct This<'a> {
    pub keyword: Span,
    pub id: NodeId,
    /// `This` borrows nothing, but `node_kinds!` expects every node to take
    /// the tree's lifetime; the marker takes no space.
    pub source: PhantomData<&'a str>,
}

/// `super.method`. It reads two hidden variables, `this` (the receiver) and
/// `super` (the superclass), so the resolver binds two ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Super<'a> {
    /// The `super` keyword, whose text needs no storing.
    pub keyword: Span,
    pub method: Ident<'a>,
    pub this_id: NodeId,
    pub super_id: NodeId,
    pub span: Span,
}
