//! What the generator knows about the program it is writing: the functions
//! being written, the variables each can see, and how much of each bytecode
//! limit (constants, locals, upvalues) it has used, counted the way the book's
//! C compiler counts them.

use std::rc::Rc;

/// The most constants a generated function uses. The book's compiler allows
/// 256 per chunk and, unlike bumplox, adds a new constant for every use of a
/// global or property name, so this counts every such use.
pub(crate) const MAX_CONSTANTS: usize = 240;
/// Past this many constants a body declares nothing more, keeping room for the
/// statement under way.
pub(crate) const SOFT_CONSTANTS: usize = 200;
/// Locals per function (the limit is 256, slot 0 included).
pub(crate) const MAX_LOCALS: usize = 200;
/// Upvalues per function (the limit is 256).
pub(crate) const MAX_UPVALUES: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FnKind {
    Script,
    Function,
    Method,
    Initializer,
}

/// How much a function's body should hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Ordinary statements, about this many bytes of them.
    Leaf(usize),
    /// Mostly nested functions and classes, about this many bytes: how a large
    /// file stays within the per-function limits.
    Container(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VarKind {
    Value,
    /// A function, with its arity.
    Function(usize),
    /// A class, with the arity of its initializer.
    Class(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct Var {
    pub(crate) name: Rc<str>,
    pub(crate) kind: VarKind,
    pub(crate) id: u32,
}

/// A variable somewhere in the function stack: `func` indexes
/// [`Model::funcs`] (0 is the script, whose variables are globals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pick {
    pub(crate) func: usize,
    pub(crate) index: usize,
}

pub(crate) struct Func {
    pub(crate) kind: FnKind,
    /// The variables it declared that are still in scope, outermost first.
    pub(crate) vars: Vec<Var>,
    /// `vars.len()` where each open scope began.
    pub(crate) scopes: Vec<usize>,
    pub(crate) constants: usize,
    /// Ids of the variables it captures.
    pub(crate) upvalues: Vec<u32>,
    pub(crate) plan: Plan,
    /// Where its text began in the output.
    pub(crate) start: usize,
    /// Statements open around the current point (if, while, for, block).
    pub(crate) stmt_depth: usize,
    /// How many ordinary (leaf) functions enclose it: closures nest a little.
    pub(crate) closure_depth: usize,
    /// The function that declares `this` (a method) and its id, when inside one.
    pub(crate) this_owner: Option<(usize, u32)>,
    /// The function whose scope holds the hidden `super` local, and its id,
    /// when inside a subclass's method.
    pub(crate) super_owner: Option<(usize, u32)>,
    /// Whether its body has ended with a `return` it was told to write.
    pub(crate) returned: bool,
}

impl Func {
    pub(crate) fn new(kind: FnKind, plan: Plan, start: usize) -> Func {
        Func {
            kind,
            vars: Vec::new(),
            scopes: vec![0],
            constants: 0,
            upvalues: Vec::new(),
            plan,
            start,
            stmt_depth: 0,
            closure_depth: 0,
            this_owner: None,
            super_owner: None,
            returned: false,
        }
    }

    pub(crate) fn in_current_scope(&self, name: &str) -> bool {
        let start = self.scopes.last().copied().unwrap_or(0);
        self.vars[start..].iter().any(|var| &*var.name == name)
    }
}

pub(crate) struct Model {
    pub(crate) funcs: Vec<Func>,
    next_id: u32,
}

impl Model {
    pub(crate) fn new(plan: Plan) -> Model {
        Model {
            funcs: vec![Func::new(FnKind::Script, plan, 0)],
            next_id: 0,
        }
    }

    pub(crate) fn current(&self) -> usize {
        self.funcs.len() - 1
    }

    pub(crate) fn func(&self) -> &Func {
        &self.funcs[self.current()]
    }

    pub(crate) fn func_mut(&mut self) -> &mut Func {
        let current = self.current();
        &mut self.funcs[current]
    }

    pub(crate) fn fresh_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// Whether the script is the function being written: its variables are
    /// globals, and its statements run, so they are kept harmless.
    pub(crate) fn at_top_level(&self) -> bool {
        self.funcs.len() == 1
    }

    pub(crate) fn can_spend(&self, constants: usize) -> bool {
        self.func().constants + constants <= MAX_CONSTANTS
    }

    pub(crate) fn spend(&mut self, constants: usize) {
        self.func_mut().constants += constants;
    }

    pub(crate) fn locals_left(&self) -> bool {
        self.at_top_level() || self.func().vars.len() + 1 < MAX_LOCALS
    }

    /// Declares a variable in the current scope and returns where it is.
    pub(crate) fn declare(&mut self, name: Rc<str>, kind: VarKind) -> Pick {
        let id = self.fresh_id();
        let func = self.current();
        let vars = &mut self.funcs[func].vars;
        vars.push(Var { name, kind, id });
        Pick {
            func,
            index: vars.len() - 1,
        }
    }

    pub(crate) fn var(&self, pick: Pick) -> &Var {
        &self.funcs[pick.func].vars[pick.index]
    }

    pub(crate) fn begin_scope(&mut self) {
        let func = self.func_mut();
        func.scopes.push(func.vars.len());
    }

    pub(crate) fn end_scope(&mut self) {
        let func = self.func_mut();
        if let Some(start) = func.scopes.pop() {
            func.vars.truncate(start);
        }
    }

    /// Whether every function between `owner` and the current one can capture
    /// variable `id` (it already does, or has room for one more upvalue).
    pub(crate) fn can_capture(&self, owner: usize, id: u32) -> bool {
        self.funcs[owner + 1..]
            .iter()
            .all(|func| func.upvalues.len() < MAX_UPVALUES || func.upvalues.contains(&id))
    }

    pub(crate) fn capture(&mut self, owner: usize, id: u32) {
        for func in &mut self.funcs[owner + 1..] {
            if !func.upvalues.contains(&id) {
                func.upvalues.push(id);
            }
        }
    }

    /// Whether reading `pick` from the current function is within the limits:
    /// a global costs a constant, an enclosing function's local an upvalue.
    pub(crate) fn can_read(&self, pick: Pick) -> bool {
        match pick.func {
            0 => self.can_spend(1),
            func if func == self.current() => true,
            func => self.can_capture(func, self.var(pick).id),
        }
    }

    /// Accounts for one read or assignment of `pick`.
    pub(crate) fn read(&mut self, pick: Pick) {
        match pick.func {
            0 => self.spend(1),
            func if func == self.current() => {}
            func => {
                let id = self.var(pick).id;
                self.capture(func, id);
            }
        }
    }
}
