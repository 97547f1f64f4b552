//! Iterative teardown of a `Box`-built tree, so that freeing it never recurses.

use crate::alloc::Boxed;
use crate::nodes::*;

/// Frees every node of `program` with an explicit work list. Each node is moved
/// out of its box, its children are pushed on the list, and what remains of it
/// has no children left to drop, so the compiler's drop glue never recurses
/// more than one level.
pub(crate) fn dismantle(program: &mut Program<'_, Boxed>) {
    let mut work = Work::default();
    work.stmts.extend(std::mem::take(&mut program.statements));
    loop {
        if let Some(stmt) = work.stmts.pop() {
            work.stmt(stmt);
            continue;
        }
        match work.exprs.pop() {
            Some(expr) => work.expr(expr),
            None => return,
        }
    }
}

#[derive(Default)]
struct Work<'a> {
    stmts: Vec<Stmt<'a, Boxed>>,
    exprs: Vec<Expr<'a, Boxed>>,
}

impl<'a> Work<'a> {
    fn stmt(&mut self, stmt: Stmt<'a, Boxed>) {
        match stmt {
            Stmt::Expression(node) => self.exprs.push(node.expr),
            Stmt::Print(node) => self.exprs.push(node.expr),
            Stmt::Var(node) => self.exprs.extend(node.initializer),
            Stmt::Block(node) => self.stmts.extend(node.statements),
            Stmt::If(node) => {
                let IfStmt {
                    branches,
                    else_branch,
                    ..
                } = *node;
                for branch in branches {
                    self.exprs.push(branch.condition);
                    self.stmts.push(branch.then_branch);
                }
                self.stmts.extend(else_branch);
            }
            Stmt::While(node) => {
                let WhileStmt {
                    condition, body, ..
                } = *node;
                self.exprs.push(condition);
                self.stmts.push(body);
            }
            Stmt::For(node) => {
                let ForStmt {
                    initializer,
                    condition,
                    increment,
                    body,
                    ..
                } = *node;
                self.stmts.extend(initializer);
                self.exprs.extend(condition);
                self.exprs.extend(increment);
                self.stmts.push(body);
            }
            Stmt::Return(node) => self.exprs.extend(node.value),
            Stmt::Function(node) => self.stmts.extend(node.body),
            Stmt::Class(node) => {
                for method in node.methods {
                    self.stmts.extend(method.body);
                }
            }
        }
    }

    fn expr(&mut self, expr: Expr<'a, Boxed>) {
        match expr {
            Expr::Literal(_)
            | Expr::Variable(_)
            | Expr::This(_)
            | Expr::Super(_)
            | Expr::Error(_) => {}
            Expr::Assign(node) => self.exprs.push(node.value),
            Expr::Unary(node) => self.exprs.push(node.operand),
            Expr::Binary(node) => {
                let Binary { left, right, .. } = *node;
                self.exprs.push(left);
                self.exprs.push(right);
            }
            Expr::Logical(node) => {
                let Logical { left, right, .. } = *node;
                self.exprs.push(left);
                self.exprs.push(right);
            }
            Expr::Grouping(node) => self.exprs.push(node.inner),
            Expr::Call(node) => {
                let Call { callee, args, .. } = *node;
                self.exprs.push(callee);
                self.exprs.extend(args);
            }
            Expr::Get(node) => self.exprs.push(node.object),
            Expr::Set(node) => {
                let Set { object, value, .. } = *node;
                self.exprs.push(object);
                self.exprs.push(value);
            }
        }
    }
}
