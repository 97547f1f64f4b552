//! The one list of node kinds, from which the tree's enums, the builders, the
//! store accessors, the views and the traversal are all generated.
//!
//! `node_kinds!(callback)` calls `callback!` with three sections:
//!
//! - `stmts` and `exprs`: one entry per variant of [`crate::Stmt`] and
//!   [`crate::Expr`]: `Variant builder_method: Payload[A] { field: category, … }`,
//!   where `[A]` says that the payload takes the strategy parameter and the
//!   braces list the payload's children in evaluation order;
//! - `lists`: the element types that lists hold, with the children of an
//!   element that is not also a statement or expression payload (`[…]`).
//!
//! A child's category says how to reach it: `expr`, `opt_expr`, `stmt`,
//! `opt_stmt`, a list of statements (`stmts`) or expressions (`exprs`), a list
//! of elements with children of their own (`items`), or a list of leaves
//! (`leaves`). Adding a node kind is one entry here plus its payload struct in
//! `nodes.rs`; every pass that matches on the views then fails to compile until
//! it handles the new kind.

macro_rules! node_kinds {
    ($callback:ident) => {
        $callback! {
            stmts: [
                Expression expr_stmt: ExprStmt[A] { expr: expr },
                Print print_stmt: PrintStmt[A] { expr: expr },
                Var var_decl: VarDecl[A] { initializer: opt_expr },
                Block block: Block[A] { statements: stmts },
                If if_stmt: IfStmt[A] { branches: items, else_branch: opt_stmt },
                While while_stmt: WhileStmt[A] { condition: expr, body: stmt },
                For for_stmt: ForStmt[A] {
                    initializer: opt_stmt,
                    condition: opt_expr,
                    increment: opt_expr,
                    body: stmt,
                },
                Return return_stmt: ReturnStmt[A] { value: opt_expr },
                Function function: Function[A] { params: leaves, body: stmts },
                Class class: Class[A] { methods: items },
            ],
            exprs: [
                Literal literal: Literal[] {},
                Variable variable: Variable[] {},
                Assign assign: Assign[A] { value: expr },
                Unary unary: Unary[A] { operand: expr },
                Binary binary: Binary[A] { left: expr, right: expr },
                Logical logical: Logical[A] { left: expr, right: expr },
                Grouping grouping: Grouping[A] { inner: expr },
                Call call: Call[A] { callee: expr, args: exprs },
                Get get: Get[A] { object: expr },
                Set set: Set[A] { object: expr, value: expr },
                This this: This[] {},
                Super super_: Super[] {},
            ],
            lists: [
                stmts: Stmt[A] [],
                exprs: Expr[A] [],
                params: Param[] [],
                branches: IfBranch[A] [condition: expr, then_branch: stmt],
                // A method's children are a `Function` statement's, listed above.
                methods: Function[A] [],
            ]
        }
    };
}
