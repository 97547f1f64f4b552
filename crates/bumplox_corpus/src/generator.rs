//! The generator: a walk over the rules of `grammar/lox.ebnf` that makes every
//! choice the grammar offers (which alternative, whether an optional part is
//! there, how many times a repetition runs) through a policy that knows what
//! each choice point means, so that the result is not only well formed but
//! also passes name resolution and stays within the bytecode limits.

use std::rc::Rc;

use crate::ebnf::{Grammar, Node, NodeId, RuleId};
use crate::layout::Layout;
use crate::model::{FnKind, Model, Pick, Plan, VarKind, SOFT_CONSTANTS};
use crate::rng::Rng;
use crate::words;

/// Bodies planned larger than this are containers of nested declarations.
const LEAF_MAX: usize = 2500;
/// Children of a container share its plan once their share passes this;
/// below it they are ordinary functions of ordinary sizes.
const SHARED_CHILD: usize = 1500;
/// A container aims at about this many children: few enough that the
/// constants they cost (one for a function, three and two a method for a
/// class, one more for globals) leave room for more children when some come
/// out short, so a container fills its plan.
const FANOUT: usize = 24;
/// A container stops when less than this is left of its plan.
const MIN_CHILD: usize = 120;
/// Statements nest at most this deep inside one function.
const MAX_STMT_DEPTH: usize = 4;
/// Ordinary functions nest at most this deep (closures in closures).
const MAX_CLOSURE_DEPTH: usize = 2;

/// The rules of the syntactic grammar, as the policy knows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Program,
    Declaration,
    ClassDecl,
    FunDecl,
    VarDecl,
    Statement,
    ExprStmt,
    ForStmt,
    IfStmt,
    PrintStmt,
    ReturnStmt,
    WhileStmt,
    Block,
    Expression,
    Assignment,
    LogicOr,
    LogicAnd,
    Equality,
    Comparison,
    Term,
    Factor,
    Unary,
    Call,
    Primary,
    Function,
    Parameters,
    Arguments,
}

fn kind_of(rule: &str) -> Option<Kind> {
    Some(match rule {
        "program" => Kind::Program,
        "declaration" => Kind::Declaration,
        "class_decl" => Kind::ClassDecl,
        "fun_decl" => Kind::FunDecl,
        "var_decl" => Kind::VarDecl,
        "statement" => Kind::Statement,
        "expr_stmt" => Kind::ExprStmt,
        "for_stmt" => Kind::ForStmt,
        "if_stmt" => Kind::IfStmt,
        "print_stmt" => Kind::PrintStmt,
        "return_stmt" => Kind::ReturnStmt,
        "while_stmt" => Kind::WhileStmt,
        "block" => Kind::Block,
        "expression" => Kind::Expression,
        "assignment" => Kind::Assignment,
        "logic_or" => Kind::LogicOr,
        "logic_and" => Kind::LogicAnd,
        "equality" => Kind::Equality,
        "comparison" => Kind::Comparison,
        "term" => Kind::Term,
        "factor" => Kind::Factor,
        "unary" => Kind::Unary,
        "call" => Kind::Call,
        "primary" => Kind::Primary,
        "function" => Kind::Function,
        "parameters" => Kind::Parameters,
        "arguments" => Kind::Arguments,
        _ => return None,
    })
}

/// The first terminal or rule of each branch of an alternative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    ClassDecl,
    FunDecl,
    VarDecl,
    Statement,
    ExprStmt,
    ForStmt,
    IfStmt,
    PrintStmt,
    ReturnStmt,
    WhileStmt,
    Block,
    Semicolon,
    Call,
    LogicOr,
    Bang,
    Minus,
    Plus,
    Slash,
    Star,
    BangEqual,
    EqualEqual,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    LeftParen,
    Dot,
    True,
    False,
    Nil,
    This,
    Number,
    String,
    Identifier,
    Super,
}

fn label_of(text: &str) -> Option<Label> {
    Some(match text {
        "class_decl" => Label::ClassDecl,
        "fun_decl" => Label::FunDecl,
        "var_decl" => Label::VarDecl,
        "statement" => Label::Statement,
        "expr_stmt" => Label::ExprStmt,
        "for_stmt" => Label::ForStmt,
        "if_stmt" => Label::IfStmt,
        "print_stmt" => Label::PrintStmt,
        "return_stmt" => Label::ReturnStmt,
        "while_stmt" => Label::WhileStmt,
        "block" => Label::Block,
        ";" => Label::Semicolon,
        "call" => Label::Call,
        "logic_or" => Label::LogicOr,
        "!" => Label::Bang,
        "-" => Label::Minus,
        "+" => Label::Plus,
        "/" => Label::Slash,
        "*" => Label::Star,
        "!=" => Label::BangEqual,
        "==" => Label::EqualEqual,
        ">" => Label::Greater,
        ">=" => Label::GreaterEqual,
        "<" => Label::Less,
        "<=" => Label::LessEqual,
        "(" => Label::LeftParen,
        "." => Label::Dot,
        "true" => Label::True,
        "false" => Label::False,
        "nil" => Label::Nil,
        "this" => Label::This,
        "NUMBER" => Label::Number,
        "STRING" => Label::String,
        "IDENTIFIER" => Label::Identifier,
        "super" => Label::Super,
        _ => return None,
    })
}

/// A choice point of the grammar, named by what it decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Site {
    ProgramBody,
    DeclarationKind,
    Superclass,
    Methods,
    VarInitializer,
    StatementKind,
    ForInitializer,
    ForCondition,
    ForIncrement,
    Else,
    ReturnValue,
    BlockBody,
    AssignOrNot,
    SetTarget,
    MoreOperands(Kind),
    Operator,
    UnaryOrCall,
    UnaryOperator,
    CallSuffixes,
    SuffixKind,
    HasArguments,
    HasParameters,
    MoreParameters,
    MoreArguments,
    Primary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Alt,
    Opt,
    Rep,
}

/// Which choice point the `ordinal`th alternative, option or repetition of
/// `rule` is (counted separately for each of the three, in reading order).
fn site_of(rule: Kind, choice: Choice, ordinal: usize) -> Option<Site> {
    use Choice::{Alt, Opt, Rep};
    Some(match (rule, choice, ordinal) {
        (Kind::Program, Rep, 0) => Site::ProgramBody,
        (Kind::Declaration, Alt, 0) => Site::DeclarationKind,
        (Kind::ClassDecl, Opt, 0) => Site::Superclass,
        (Kind::ClassDecl, Rep, 0) => Site::Methods,
        (Kind::VarDecl, Opt, 0) => Site::VarInitializer,
        (Kind::Statement, Alt, 0) => Site::StatementKind,
        (Kind::ForStmt, Alt, 0) => Site::ForInitializer,
        (Kind::ForStmt, Opt, 0) => Site::ForCondition,
        (Kind::ForStmt, Opt, 1) => Site::ForIncrement,
        (Kind::IfStmt, Opt, 0) => Site::Else,
        (Kind::ReturnStmt, Opt, 0) => Site::ReturnValue,
        (Kind::Block, Rep, 0) => Site::BlockBody,
        (Kind::Assignment, Alt, 0) => Site::AssignOrNot,
        (Kind::Assignment, Opt, 0) => Site::SetTarget,
        (
            Kind::LogicOr
            | Kind::LogicAnd
            | Kind::Equality
            | Kind::Comparison
            | Kind::Term
            | Kind::Factor,
            Rep,
            0,
        ) => Site::MoreOperands(rule),
        (Kind::Equality | Kind::Comparison | Kind::Term | Kind::Factor, Alt, 0) => Site::Operator,
        (Kind::Unary, Alt, 0) => Site::UnaryOrCall,
        (Kind::Unary, Alt, 1) => Site::UnaryOperator,
        (Kind::Call, Rep, 0) => Site::CallSuffixes,
        (Kind::Call, Alt, 0) => Site::SuffixKind,
        (Kind::Call, Opt, 0) => Site::HasArguments,
        (Kind::Primary, Alt, 0) => Site::Primary,
        (Kind::Function, Opt, 0) => Site::HasParameters,
        (Kind::Parameters, Rep, 0) => Site::MoreParameters,
        (Kind::Arguments, Rep, 0) => Site::MoreArguments,
        _ => return None,
    })
}

/// What each `IDENTIFIER` of the syntactic grammar names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameSite {
    ClassName,
    SuperclassName,
    VarName,
    AssignTarget,
    PropertyName,
    VariableRead,
    SuperMethod,
    FunctionName,
    ParameterName,
}

fn name_site_of(rule: Kind, ordinal: usize) -> Option<NameSite> {
    Some(match (rule, ordinal) {
        (Kind::ClassDecl, 0) => NameSite::ClassName,
        (Kind::ClassDecl, 1) => NameSite::SuperclassName,
        (Kind::VarDecl, 0) => NameSite::VarName,
        (Kind::Assignment, 0) => NameSite::AssignTarget,
        (Kind::Call, 0) => NameSite::PropertyName,
        (Kind::Primary, 0) => NameSite::VariableRead,
        (Kind::Primary, 1) => NameSite::SuperMethod,
        (Kind::Function, 0) => NameSite::FunctionName,
        (Kind::Parameters, 0 | 1) => NameSite::ParameterName,
        _ => return None,
    })
}

/// The grammar with every choice point and name use identified, or the first
/// one the policy does not know: a grammar change must come with a policy
/// change, or generation would stop following the grammar silently.
pub(crate) struct Annotated {
    pub(crate) grammar: Grammar,
    kinds: Vec<Option<Kind>>,
    sites: Vec<Option<Site>>,
    names: Vec<Option<NameSite>>,
    labels: Vec<Vec<Label>>,
    number: RuleId,
    string: RuleId,
    identifier: RuleId,
}

impl Annotated {
    pub(crate) fn new(grammar: Grammar) -> Result<Annotated, String> {
        let count = grammar.nodes.len();
        let mut annotated = Annotated {
            kinds: Vec::new(),
            sites: vec![None; count],
            names: vec![None; count],
            labels: vec![Vec::new(); count],
            number: token_rule(&grammar, "NUMBER")?,
            string: token_rule(&grammar, "STRING")?,
            identifier: token_rule(&grammar, "IDENTIFIER")?,
            grammar,
        };
        for rule in &annotated.grammar.rules {
            match (rule.is_lexical(), kind_of(&rule.name)) {
                (true, _) => annotated.kinds.push(None),
                (false, Some(kind)) => annotated.kinds.push(Some(kind)),
                (false, None) => {
                    return Err(format!("the generator does not know rule {}", rule.name))
                }
            }
        }
        for rule_id in 0..annotated.grammar.rules.len() {
            let Some(kind) = annotated.kinds[rule_id] else {
                continue;
            };
            let mut counts = [0; 3];
            let mut names = 0;
            let body = annotated.grammar.rules[rule_id].body;
            annotated.annotate(body, kind, &mut counts, &mut names)?;
        }
        Ok(annotated)
    }

    fn annotate(
        &mut self,
        node: NodeId,
        rule: Kind,
        counts: &mut [usize; 3],
        names: &mut usize,
    ) -> Result<(), String> {
        let choice = match &self.grammar.nodes[node] {
            Node::Alt(_) => Some(Choice::Alt),
            Node::Opt(_) => Some(Choice::Opt),
            Node::Rep(_) => Some(Choice::Rep),
            Node::Rule(used) if *used == self.identifier => {
                self.names[node] = name_site_of(rule, *names);
                if self.names[node].is_none() {
                    return Err(format!(
                        "the generator does not know IDENTIFIER {names} of {rule:?}"
                    ));
                }
                *names += 1;
                None
            }
            Node::Range(..) | Node::Special(_) => {
                return Err(format!("{rule:?} uses a character-level item"))
            }
            _ => None,
        };
        if let Some(choice) = choice {
            let ordinal = &mut counts[choice as usize];
            self.sites[node] = site_of(rule, choice, *ordinal);
            if self.sites[node].is_none() {
                return Err(format!(
                    "the generator does not know {choice:?} {ordinal} of {rule:?}"
                ));
            }
            *ordinal += 1;
        }
        if let Node::Alt(branches) = &self.grammar.nodes[node] {
            let mut labels = Vec::new();
            for &branch in branches {
                let text = self.grammar.label(branch);
                match label_of(&text) {
                    Some(label) => labels.push(label),
                    None => {
                        return Err(format!(
                            "the generator does not know branch {text:?} of {rule:?}"
                        ))
                    }
                }
            }
            self.labels[node] = labels;
        }
        for child in self.grammar.children(node) {
            self.annotate(child, rule, counts, names)?;
        }
        Ok(())
    }
}

fn token_rule(grammar: &Grammar, name: &str) -> Result<RuleId, String> {
    grammar
        .rule_named(name)
        .ok_or_else(|| format!("the grammar has no rule {name}"))
}

/// What the primary of a call chain turned out to be, which decides what may
/// follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Callee {
    Literal,
    Group,
    Value,
    Function(usize),
    Class(usize),
    This,
    Super,
}

/// The state of one rule being expanded.
struct Frame {
    kind: Kind,
    /// `var_decl`: the name it declares when it ends.
    name: Option<Rc<str>>,
    /// A variable picked before its `IDENTIFIER` is written.
    pick: Option<Pick>,
    /// `assignment`: the target is a property (`call "." IDENTIFIER`).
    set_target: bool,
    /// `call`: what its primary was, and how many suffixes followed it.
    callee: Callee,
    suffixes: usize,
    /// `call`: the next suffix (`(` or `.`), decided with whether there is one.
    next_suffix: Label,
    /// `call`: after a `.name`, whether a call of the method follows.
    method_call: bool,
    /// `call`: the number of arguments the pending call takes, when known.
    arity: Option<usize>,
    /// Items left: declarations (`block`), methods (`class_decl`), parameters
    /// (`parameters`), arguments (`arguments`).
    left: usize,
    /// `class_decl`: the plan of each method, the class variable and the
    /// superclass's hidden `super` variable.
    method_plan: Plan,
    init_first: bool,
    class_var: Option<Pick>,
    super_id: Option<u32>,
    /// `function`: its kind and arity, decided with its name.
    fn_kind: FnKind,
    fn_arity: usize,
}

impl Frame {
    fn new(kind: Kind) -> Frame {
        Frame {
            kind,
            name: None,
            pick: None,
            set_target: false,
            callee: Callee::Literal,
            suffixes: 0,
            next_suffix: Label::Dot,
            method_call: false,
            arity: None,
            left: 0,
            method_plan: Plan::Leaf(0),
            init_first: false,
            class_var: None,
            super_id: None,
            fn_kind: FnKind::Function,
            fn_arity: 0,
        }
    }
}

/// How often each part of the grammar was used.
#[derive(Clone, Debug)]
pub struct Coverage {
    grammar: Grammar,
    node_hits: Vec<u64>,
    rule_hits: Vec<u64>,
}

impl Coverage {
    /// The syntactic rules never used, the branches of alternatives never
    /// taken, and the optional or repeated parts never present, each described
    /// as `rule: item`. The lexical rules that are whole tokens (`NUMBER`,
    /// `STRING`, `IDENTIFIER`) count as rules; those that describe characters
    /// inside tokens do not.
    pub fn missing(&self) -> Vec<String> {
        let owners = self.grammar.owners();
        let mut missing = Vec::new();
        for (id, rule) in self.grammar.rules.iter().enumerate() {
            let token = matches!(rule.name.as_str(), "NUMBER" | "STRING" | "IDENTIFIER");
            if (!rule.is_lexical() || token) && self.rule_hits[id] == 0 {
                missing.push(format!("rule {}", rule.name));
            }
        }
        for (node, kind) in self.grammar.nodes.iter().enumerate() {
            let owner = &self.grammar.rules[owners[node]];
            if owner.is_lexical() {
                continue;
            }
            let parts: Vec<NodeId> = match kind {
                Node::Alt(branches) => branches.clone(),
                Node::Opt(inner) | Node::Rep(inner) => vec![*inner],
                _ => Vec::new(),
            };
            for part in parts {
                if self.node_hits[part] == 0 {
                    missing.push(format!("{}: {}", owner.name, self.grammar.label(part)));
                }
            }
        }
        missing
    }

    /// How many times the rule named `name` was used.
    pub fn rule_uses(&self, name: &str) -> u64 {
        match self.grammar.rule_named(name) {
            Some(rule) => self.rule_hits[rule],
            None => 0,
        }
    }
}

pub(crate) struct Generator<'g> {
    g: &'g Annotated,
    rng: Rng,
    pub(crate) layout: Layout,
    model: Model,
    frames: Vec<Frame>,
    node_hits: Vec<u64>,
    rule_hits: Vec<u64>,
    /// Primaries left in the current top-level expression.
    budget: i32,
    expr_depth: usize,
    /// The next `declaration` or `statement` must take this branch.
    forced_decl: Option<Label>,
    forced_stmt: Option<Label>,
    /// The plan of the next function or class, set by a container.
    pending_plan: Option<Plan>,
    /// The current expression statement is a call (`f(x);`), not arithmetic.
    statement_call: bool,
}

impl<'g> Generator<'g> {
    pub(crate) fn new(
        g: &'g Annotated,
        seed: u64,
        target: usize,
        capacity: usize,
    ) -> Generator<'g> {
        Generator {
            g,
            rng: Rng::new(seed),
            layout: Layout::with_capacity(capacity),
            model: Model::new(Plan::Container(target)),
            frames: Vec::new(),
            node_hits: vec![0; g.grammar.nodes.len()],
            rule_hits: vec![0; g.grammar.rules.len()],
            budget: 0,
            expr_depth: 0,
            forced_decl: None,
            forced_stmt: None,
            pending_plan: None,
            statement_call: false,
        }
    }

    /// The text written, and how much of the grammar it used.
    pub(crate) fn finish(self) -> (String, Coverage) {
        let coverage = Coverage {
            grammar: self.g.grammar.clone(),
            node_hits: self.node_hits,
            rule_hits: self.rule_hits,
        };
        (self.layout.finish(), coverage)
    }

    /// Writes a whole program from the start rule.
    pub(crate) fn program(&mut self) {
        self.model.funcs[0].start = self.layout.len();
        self.rule(0);
    }

    // ---- The walk ---------------------------------------------------------

    fn expand(&mut self, node: NodeId) {
        let g = self.g;
        match &g.grammar.nodes[node] {
            Node::Terminal(text) => self.terminal(text),
            Node::Rule(rule) if *rule == g.identifier => {
                self.rule_hits[*rule] += 1;
                self.identifier(g.names[node].unwrap_or(NameSite::VariableRead));
            }
            Node::Rule(rule) => self.rule(*rule),
            Node::Seq(items) => {
                for &item in items {
                    self.expand(item);
                }
            }
            Node::Alt(branches) => {
                let branch = branches[self.choose(node)];
                self.node_hits[branch] += 1;
                self.expand(branch);
            }
            Node::Opt(inner) => {
                if self.optional(node) {
                    self.node_hits[*inner] += 1;
                    self.expand(*inner);
                }
            }
            Node::Rep(inner) => {
                let mut iteration = 0;
                while self.more(node, iteration) {
                    self.node_hits[*inner] += 1;
                    self.expand(*inner);
                    iteration += 1;
                }
            }
            Node::Range(..) | Node::Special(_) => {}
        }
    }

    fn rule(&mut self, rule: RuleId) {
        self.rule_hits[rule] += 1;
        let g = self.g;
        if rule == g.number {
            self.number();
            return;
        }
        if rule == g.string {
            self.string();
            return;
        }
        let Some(kind) = g.kinds[rule] else {
            return;
        };
        self.frames.push(Frame::new(kind));
        self.enter(kind);
        self.expand(g.grammar.rules[rule].body);
        self.exit(kind);
        self.frames.pop();
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn parent_kind(&self) -> Option<Kind> {
        let len = self.frames.len();
        match len {
            0 | 1 => None,
            _ => Some(self.frames[len - 2].kind),
        }
    }

    /// The nearest enclosing frame of `kind`.
    fn nearest(&mut self, kind: Kind) -> Option<&mut Frame> {
        self.frames
            .iter_mut()
            .rev()
            .find(|frame| frame.kind == kind)
    }

    fn enter(&mut self, kind: Kind) {
        match kind {
            Kind::Block if self.parent_kind() != Some(Kind::Function) => {
                self.model.func_mut().stmt_depth += 1;
                self.model.begin_scope();
            }
            Kind::ForStmt => {
                self.model.func_mut().stmt_depth += 1;
                self.model.begin_scope();
            }
            Kind::IfStmt | Kind::WhileStmt => self.model.func_mut().stmt_depth += 1,
            Kind::Expression => {
                self.expr_depth += 1;
                if self.expr_depth == 1 {
                    self.budget = self.draw_budget();
                    self.statement_call = false;
                }
            }
            Kind::Arguments => {
                let known = self.frames.iter().rev().nth(1).and_then(|call| call.arity);
                let left = match known {
                    Some(arity) => arity.saturating_sub(1),
                    None if self.budget <= 0 => 0,
                    None => usize::from(self.rng.chance(450)) + usize::from(self.rng.chance(200)),
                };
                self.top().left = left;
            }
            Kind::Parameters => {
                let arity = self.nearest(Kind::Function).map_or(1, |f| f.fn_arity);
                self.top().left = arity.saturating_sub(1);
            }
            _ => {}
        }
    }

    fn exit(&mut self, kind: Kind) {
        match kind {
            Kind::Block if self.parent_kind() != Some(Kind::Function) => {
                self.model.end_scope();
                self.model.func_mut().stmt_depth -= 1;
            }
            Kind::ForStmt => {
                self.model.end_scope();
                self.model.func_mut().stmt_depth -= 1;
            }
            Kind::IfStmt | Kind::WhileStmt => self.model.func_mut().stmt_depth -= 1,
            Kind::Expression => self.expr_depth -= 1,
            Kind::VarDecl => {
                if let Some(name) = self.top().name.take() {
                    if self.model.at_top_level() {
                        self.model.spend(1);
                    }
                    self.model.declare(name, VarKind::Value);
                }
            }
            Kind::Function => {
                self.model.funcs.pop();
            }
            Kind::ClassDecl if self.top().super_id.is_some() => self.model.end_scope(),
            Kind::Declaration | Kind::Statement
                if self.model.func().stmt_depth == 0 && self.rng.chance(20) =>
            {
                let text = words::sentence(&mut self.rng);
                self.layout.trailing_comment(&text);
            }
            _ => {}
        }
    }

    fn draw_budget(&mut self) -> i32 {
        if self.model.at_top_level() {
            return 1;
        }
        let for_header = self.frames.iter().rev().nth(1).map(|f| f.kind) == Some(Kind::ForStmt);
        if for_header {
            return self.rng.range(1, 3) as i32;
        }
        let mut budget = self.rng.range(1, 4);
        if self.rng.chance(250) {
            budget += self.rng.range(1, 6);
        }
        budget as i32
    }

    // ---- Tokens -------------------------------------------------------------

    fn terminal(&mut self, text: &str) {
        let prefix = self.top().kind == Kind::Unary;
        match text {
            "this" => {
                if let Some((owner, id)) = self.model.func().this_owner {
                    self.model.capture(owner, id);
                }
            }
            "super" => {
                if let Some((owner, id)) = self.model.func().super_owner {
                    self.model.capture(owner, id);
                }
                if let Some((owner, id)) = self.model.func().this_owner {
                    self.model.capture(owner, id);
                }
            }
            _ => {}
        }
        self.layout.token(text, prefix);
    }

    fn number(&mut self) {
        self.model.spend(1);
        let mut text = String::with_capacity(8);
        let value = match self.rng.below(20) {
            0..=10 => self.rng.below(11),
            11..=18 => self.rng.below(100),
            _ => self.rng.below(10_000),
        };
        text.push_str(&value.to_string());
        if self.rng.chance(150) {
            text.push('.');
            text.push_str(&self.rng.range(1, 99).to_string());
        }
        self.layout.token(&text, false);
    }

    fn string(&mut self) {
        self.model.spend(1);
        let mut text = String::with_capacity(24);
        text.push('"');
        let count = match self.rng.below(10) {
            0 => 0,
            1..=6 => self.rng.range(1, 3),
            _ => self.rng.range(3, 7),
        };
        words::prose(&mut self.rng, count, &mut text);
        if count > 0 && self.rng.chance(200) {
            text.push(*self.rng.pick(&[':', '!', '.', '?']));
        }
        text.push('"');
        self.layout.token(&text, false);
    }

    fn fresh_name(&mut self, make: fn(&mut Rng, &mut String)) -> Rc<str> {
        let mut name = String::with_capacity(16);
        make(&mut self.rng, &mut name);
        let base = name.len();
        let mut suffix = 1;
        while words::is_keyword(&name) || self.model.func().in_current_scope(&name) {
            name.truncate(base);
            suffix += 1;
            name.push_str(&suffix.to_string());
        }
        Rc::from(name)
    }

    fn identifier(&mut self, site: NameSite) {
        let text: Rc<str> = match site {
            NameSite::ClassName => self.class_name(),
            NameSite::SuperclassName | NameSite::VariableRead => match self.top().pick.take() {
                Some(pick) => self.read(pick),
                None => Rc::from("nil_"),
            },
            NameSite::VarName => {
                let name = self.fresh_name(value_name);
                self.top().name = Some(name.clone());
                name
            }
            NameSite::AssignTarget => match (self.top().set_target, self.top().pick.take()) {
                (false, Some(pick)) => self.read(pick),
                _ => {
                    self.model.spend(1);
                    Rc::from(words::pick(&mut self.rng, words::NOUNS))
                }
            },
            NameSite::PropertyName => {
                self.model.spend(1);
                let mut name = String::new();
                match self.top().method_call {
                    true => method_name(&mut self.rng, &mut name),
                    false => name.push_str(words::pick(&mut self.rng, words::NOUNS)),
                }
                Rc::from(name)
            }
            NameSite::SuperMethod => {
                self.model.spend(1);
                let mut name = String::new();
                method_name(&mut self.rng, &mut name);
                Rc::from(name)
            }
            NameSite::FunctionName => self.function_name(),
            NameSite::ParameterName => {
                let name = self.fresh_name(value_name);
                self.model.declare(name.clone(), VarKind::Value);
                name
            }
        };
        self.layout.token(&text, false);
    }

    /// Accounts for a read of `pick` and returns its name.
    fn read(&mut self, pick: Pick) -> Rc<str> {
        self.model.read(pick);
        self.model.var(pick).name.clone()
    }

    fn class_name(&mut self) -> Rc<str> {
        let name = self.fresh_name(|rng, out| {
            out.push_str(words::pick(rng, words::TYPES));
            if rng.chance(300) {
                out.push_str(words::pick(rng, words::TYPES));
            }
        });
        self.model.spend(3);
        let plan = self.pending_plan.take();
        let constants_left =
            crate::model::MAX_CONSTANTS.saturating_sub(self.model.func().constants + 8) / 2;
        let (methods, method_plan) = match plan {
            Some(Plan::Container(target) | Plan::Leaf(target)) => {
                let methods = (target / 700).clamp(1, self.rng.range(2, 5));
                (methods, plan_for(target / methods))
            }
            None => (self.rng.range(1, 3), Plan::Leaf(self.rng.range(60, 500))),
        };
        let methods = methods.min(constants_left).max(1);
        let init_first = self.rng.chance(450);
        let pick = self.model.declare(name.clone(), VarKind::Class(0));
        let frame = self.top();
        frame.left = methods;
        frame.method_plan = method_plan;
        frame.init_first = init_first;
        frame.class_var = Some(pick);
        name
    }

    fn function_name(&mut self) -> Rc<str> {
        let start = self.layout.len();
        let in_class = self.parent_kind() == Some(Kind::ClassDecl);
        let arity = *self.rng.pick(&[0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4]);
        let (name, kind, plan) = match in_class {
            true => {
                let class = self.frames.len() - 2;
                let first = self.frames[class].init_first;
                self.frames[class].init_first = false;
                let plan = self.frames[class].method_plan;
                let class_var = self.frames[class].class_var;
                self.model.spend(2);
                match first {
                    true => {
                        if let Some(pick) = class_var {
                            self.model.funcs[pick.func].vars[pick.index].kind =
                                VarKind::Class(arity);
                        }
                        (Rc::from("init"), FnKind::Initializer, plan)
                    }
                    false => {
                        let mut name = String::new();
                        method_name(&mut self.rng, &mut name);
                        (Rc::from(name), FnKind::Method, plan)
                    }
                }
            }
            false => {
                let name = self.fresh_name(method_name);
                self.model.spend(1 + usize::from(self.model.at_top_level()));
                self.model.declare(name.clone(), VarKind::Function(arity));
                let plan = match self.pending_plan.take() {
                    Some(plan) => plan,
                    None => Plan::Leaf(self.rng.range(60, 450)),
                };
                (name, FnKind::Function, plan)
            }
        };
        let frame = self.top();
        frame.fn_kind = kind;
        frame.fn_arity = arity;
        // The new function starts at its name; what it can see of `this` and
        // `super` comes from where it is declared.
        let outer = self.model.current();
        let (this_owner, super_owner, closure_depth) = {
            let func = self.model.func();
            (func.this_owner, func.super_owner, func.closure_depth)
        };
        let mut func = crate::model::Func::new(kind, plan, start);
        match kind {
            FnKind::Method | FnKind::Initializer => {
                func.this_owner = Some((self.model.funcs.len(), self.model.fresh_id()));
                let class = self.frames.len() - 2;
                func.super_owner = self.frames[class].super_id.map(|id| (outer, id));
            }
            _ => {
                func.this_owner = this_owner;
                func.super_owner = super_owner;
            }
        }
        func.closure_depth = closure_depth + usize::from(matches!(plan, Plan::Leaf(_)));
        self.model.funcs.push(func);
        name
    }

    // ---- Choices ------------------------------------------------------------

    fn choose(&mut self, node: NodeId) -> usize {
        let g = self.g;
        let labels = &g.labels[node];
        let site = g.sites[node];
        let mut weights = [0u32; 16];
        let forced = match site {
            Some(Site::DeclarationKind) => self.forced_decl.take(),
            Some(Site::StatementKind) => self.forced_stmt.take(),
            _ => None,
        };
        if site == Some(Site::Primary) {
            self.prepare_primary();
        }
        if site == Some(Site::AssignOrNot) {
            self.prepare_assignment();
        }
        for (index, &label) in labels.iter().enumerate().take(weights.len()) {
            weights[index] = match forced {
                Some(forced) => u32::from(forced == label),
                None => self.weight(site, label),
            };
        }
        let index = self
            .rng
            .weighted(&weights[..labels.len().min(weights.len())])
            .unwrap_or(0);
        let label = labels[index];
        self.chosen(site, label);
        index
    }

    fn weight(&mut self, site: Option<Site>, label: Label) -> u32 {
        let top_level = self.model.at_top_level();
        match site {
            Some(Site::DeclarationKind) => self.declaration_weight(label),
            Some(Site::StatementKind) => self.statement_weight(label),
            Some(Site::ForInitializer) => match label {
                Label::VarDecl => 75,
                Label::ExprStmt => 10,
                _ => 15,
            },
            Some(Site::AssignOrNot) => self.assignment_weight(label),
            Some(Site::Operator) => match label {
                Label::Plus | Label::Star | Label::EqualEqual => 60,
                Label::Minus | Label::Slash | Label::BangEqual => 40,
                _ => 25,
            },
            Some(Site::UnaryOrCall) => match label {
                Label::Call => 100,
                _ if top_level || self.unary_chain() >= 2 => 0,
                _ => 7,
            },
            Some(Site::UnaryOperator) => match label {
                Label::Bang => 40,
                _ => 60,
            },
            Some(Site::SuffixKind) => u32::from(self.top().next_suffix == label),
            Some(Site::Primary) => self.primary_weight(label),
            _ => 1,
        }
    }

    fn chosen(&mut self, site: Option<Site>, label: Label) {
        match (site, label) {
            (Some(Site::Primary), _) => {
                self.budget -= 1;
                let callee = match label {
                    Label::Identifier => match self.top().pick.map(|p| self.model.var(p).kind) {
                        Some(VarKind::Function(arity)) => Callee::Function(arity),
                        Some(VarKind::Class(arity)) => Callee::Class(arity),
                        _ => Callee::Value,
                    },
                    Label::This => Callee::This,
                    Label::Super => Callee::Super,
                    Label::LeftParen => Callee::Group,
                    _ => Callee::Literal,
                };
                if label != Label::Identifier {
                    self.top().pick = None;
                }
                if let Some(call) = self.frames.iter_mut().rev().nth(1) {
                    call.callee = callee;
                }
            }
            (Some(Site::AssignOrNot), Label::LogicOr) => {
                self.top().pick = None;
                if self.expr_depth == 1 && self.parent_expr_stmt() {
                    self.statement_call = true;
                }
            }
            _ => {}
        }
    }

    fn parent_expr_stmt(&self) -> bool {
        let len = self.frames.len();
        len >= 3 && self.frames[len - 3].kind == Kind::ExprStmt
    }

    fn unary_chain(&self) -> usize {
        self.frames
            .iter()
            .rev()
            .take_while(|frame| frame.kind == Kind::Unary)
            .count()
    }

    fn declaration_weight(&mut self, label: Label) -> u32 {
        let func = self.model.func();
        let locals = self.model.locals_left();
        let declare_ok = locals && func.stmt_depth < MAX_STMT_DEPTH;
        match label {
            Label::ClassDecl if declare_ok && func.closure_depth < MAX_CLOSURE_DEPTH => {
                u32::from(self.model.can_spend(12)) * 3
            }
            Label::FunDecl if declare_ok && func.closure_depth < MAX_CLOSURE_DEPTH => {
                u32::from(self.model.can_spend(4)) * 30
            }
            Label::VarDecl if locals => 260,
            Label::Statement => 700,
            _ => 0,
        }
    }

    fn statement_weight(&mut self, label: Label) -> u32 {
        let func = self.model.func();
        let nested_ok = func.stmt_depth < MAX_STMT_DEPTH && !self.model.at_top_level();
        // The body of an if, while or for is a statement, usually a block.
        let body = matches!(
            self.parent_kind(),
            Some(Kind::IfStmt | Kind::WhileStmt | Kind::ForStmt)
        );
        match label {
            Label::ExprStmt => 400,
            Label::PrintStmt => 120,
            Label::IfStmt if nested_ok => 130,
            Label::WhileStmt if nested_ok => 40,
            Label::ForStmt if nested_ok => 55,
            // A return mid-body sits in a branch or a loop; the one that ends
            // a body is written by `more_in_body`.
            Label::ReturnStmt if func.kind != FnKind::Script && func.stmt_depth > 0 => 60,
            Label::Block if nested_ok && body => 2000,
            Label::Block if nested_ok => 15,
            _ => 0,
        }
    }

    fn assignment_weight(&mut self, label: Label) -> u32 {
        match label {
            Label::LogicOr => 100,
            _ => {
                // At top level only a plain global is ever assigned, so that
                // the script's own statements run cleanly.
                let possible = self.top().pick.is_some()
                    || (!self.model.at_top_level() && self.model.can_spend(3));
                let top = self.expr_depth == 1
                    && self.frames.iter().rev().nth(1).map(|f| f.kind) == Some(Kind::Expression);
                match (possible, top, self.parent_expr_stmt()) {
                    (false, _, _) => 0,
                    (true, true, true) => 110,
                    (true, true, false) => 2,
                    (true, false, _) => 1,
                }
            }
        }
    }

    /// Picks the variable an assignment would store into, before deciding
    /// whether there is one.
    fn prepare_assignment(&mut self) {
        let pick = self.pick_var(|kind| kind == VarKind::Value);
        self.top().pick = pick;
    }

    /// Picks the variable a primary would read, before deciding its branch,
    /// so that `IDENTIFIER` is only chosen when one exists within the limits.
    fn prepare_primary(&mut self) {
        let pick = match self.statement_call {
            true => self
                .pick_var(|kind| matches!(kind, VarKind::Function(_)))
                .or_else(|| self.pick_var(|_| true)),
            false => self.pick_var(|_| true),
        };
        self.top().pick = pick;
    }

    fn primary_weight(&mut self, label: Label) -> u32 {
        let top_level = self.model.at_top_level();
        let has_pick = self.top().pick.is_some();
        let spend = self.model.can_spend(1);
        let func = self.model.func();
        // The object of a property assignment is a name or `this`.
        let set_object =
            self.frames.len() >= 3 && self.frames[self.frames.len() - 3].kind == Kind::Assignment;
        if self.statement_call || set_object {
            return match label {
                Label::Identifier if has_pick => 100,
                Label::This if func.this_owner.is_some() => 30,
                Label::Nil => 1,
                _ => 0,
            };
        }
        match label {
            Label::True | Label::False => 30,
            Label::Nil => 15,
            Label::Number if spend => 200,
            Label::String if spend => 80,
            Label::Identifier if has_pick => 500,
            Label::This if func.this_owner.is_some() && !top_level => {
                let (owner, id) = func.this_owner.unwrap_or((0, 0));
                u32::from(self.model.can_capture(owner, id)) * 60
            }
            Label::LeftParen if !top_level && self.budget >= 2 && self.expr_depth < 3 => 25,
            Label::Super if spend && !top_level => match (func.super_owner, func.this_owner) {
                (Some((owner, id)), Some((this_owner, this_id))) => {
                    let ok = self.model.can_capture(owner, id)
                        && self.model.can_capture(this_owner, this_id);
                    u32::from(ok) * 60
                }
                _ => 0,
            },
            _ => 0,
        }
    }

    /// A variable visible from here that `accept`s its kind and whose read
    /// stays within the limits: mostly the current function's, sometimes an
    /// enclosing function's (a closure) or a global.
    fn pick_var(&mut self, accept: fn(VarKind) -> bool) -> Option<Pick> {
        let current = self.model.current();
        for _ in 0..4 {
            let func = match (current, self.rng.below(100)) {
                (0, _) => 0,
                (_, 0..=71) => current,
                (1, _) => 0,
                (_, 72..=86) => self.rng.range(1, current - 1),
                _ => 0,
            };
            let vars = &self.model.funcs[func].vars;
            if vars.is_empty() {
                continue;
            }
            let pick = Pick {
                func,
                index: self.rng.below(vars.len()),
            };
            let kind = self.model.var(pick).kind;
            // At top level only plain values are read, so that the script's
            // own statements never call anything and always run cleanly.
            let safe = current != 0 || kind == VarKind::Value;
            if safe && accept(kind) && self.model.can_read(pick) && !self.being_declared(pick) {
                return Some(pick);
            }
        }
        None
    }

    /// Whether `pick` has the name of a local whose declaration is under way
    /// (`var a = … a …`): the name would mean the new local, which cannot be
    /// read in its own initializer, and a class cannot inherit from a class
    /// of its own name.
    fn being_declared(&self, pick: Pick) -> bool {
        let name = &self.model.var(pick).name;
        let top_level = self.model.at_top_level();
        self.frames.iter().any(|frame| match frame.kind {
            Kind::VarDecl => !top_level && frame.name.as_ref() == Some(name),
            Kind::ClassDecl => frame
                .class_var
                .is_some_and(|class| self.model.var(class).name == *name),
            _ => false,
        })
    }

    fn optional(&mut self, node: NodeId) -> bool {
        let top_level = self.model.at_top_level();
        match self.g.sites[node] {
            Some(Site::Superclass) => {
                let class = self.top().class_var;
                let pick = self.pick_var(|kind| matches!(kind, VarKind::Class(_)));
                let pick = pick.filter(|&pick| Some(pick) != class);
                let take = pick.is_some() && self.rng.chance(450);
                if take {
                    self.top().pick = pick;
                    // The hidden `super` local opens a scope around the
                    // methods; it ends with the class declaration.
                    let id = self.model.fresh_id();
                    self.model.begin_scope();
                    self.top().super_id = Some(id);
                }
                take
            }
            Some(Site::VarInitializer) => top_level || self.rng.chance(850),
            Some(Site::ForCondition) => self.rng.chance(900),
            Some(Site::ForIncrement) => self.rng.chance(850),
            Some(Site::Else) => self.rng.chance(350),
            Some(Site::ReturnValue) => {
                self.model.func().kind != FnKind::Initializer && self.rng.chance(850)
            }
            Some(Site::SetTarget) => {
                let has_var = self.top().pick.is_some();
                let in_method = self.model.func().this_owner.is_some();
                let set = match (has_var, in_method) {
                    (false, _) => true,
                    (true, true) => self.rng.chance(550),
                    (true, false) => self.rng.chance(150),
                };
                let set = set && self.model.can_spend(2) && !top_level;
                self.top().set_target = set;
                set
            }
            Some(Site::HasArguments) => match self.top().arity {
                Some(arity) => arity > 0,
                None => self.budget > 0 && self.rng.chance(550),
            },
            Some(Site::HasParameters) => self.nearest(Kind::Function).map_or(0, |f| f.fn_arity) > 0,
            _ => false,
        }
    }

    fn more(&mut self, node: NodeId, iteration: usize) -> bool {
        // People rarely chain comparisons or equalities: `a < b < c`.
        if iteration > 0
            && matches!(
                self.g.sites[node],
                Some(Site::MoreOperands(Kind::Comparison | Kind::Equality))
            )
        {
            return false;
        }
        match self.g.sites[node] {
            Some(Site::ProgramBody) => self.more_in_body(),
            Some(Site::BlockBody) => match self.parent_kind() {
                Some(Kind::Function) => self.more_in_body(),
                _ => self.more_in_block(iteration),
            },
            Some(Site::Methods) => {
                let frame = self.top();
                match frame.left {
                    0 => false,
                    _ => {
                        frame.left -= 1;
                        true
                    }
                }
            }
            Some(Site::MoreOperands(level)) => self.more_operands(level),
            Some(Site::CallSuffixes) => self.more_suffixes(),
            Some(Site::MoreParameters | Site::MoreArguments) => {
                let frame = self.top();
                match frame.left {
                    0 => false,
                    _ => {
                        frame.left -= 1;
                        true
                    }
                }
            }
            _ => false,
        }
    }

    fn more_in_block(&mut self, iteration: usize) -> bool {
        if iteration == 0 {
            let depth = self.model.func().stmt_depth;
            let most = 5usize.saturating_sub(depth).max(1);
            let left = match self.rng.chance(30) {
                true => 0,
                false => self.rng.range(1, most),
            };
            self.top().left = left;
        }
        let frame = self.top();
        if frame.left == 0 {
            return false;
        }
        frame.left -= 1;
        let go = self.model.func().constants < SOFT_CONSTANTS;
        if go {
            self.decoration();
        }
        go
    }

    /// A comment or an empty line now and then before a declaration.
    fn decoration(&mut self) {
        match self.rng.below(1000) {
            0..=54 => {
                let text = words::sentence(&mut self.rng);
                self.layout.comment(&text);
            }
            55..=89 => self.layout.blank_line(),
            _ => {}
        }
    }

    /// Whether a function body (or the program) gets another declaration,
    /// and which, following its plan.
    fn more_in_body(&mut self) -> bool {
        let func = self.model.func();
        let produced = self.layout.len() - func.start;
        let limits_ok = func.constants < SOFT_CONSTANTS && self.model.locals_left();
        let (kind, returned) = (func.kind, func.returned);
        match func.plan {
            Plan::Leaf(target) if produced < target && limits_ok => {
                self.decoration();
                true
            }
            Plan::Container(target) if produced + MIN_CHILD < target && limits_ok => {
                self.container_child(target, target - produced);
                true
            }
            _ => {
                let wants = match func.plan {
                    Plan::Leaf(_) => 550,
                    Plan::Container(_) => 350,
                };
                let may_return = matches!(kind, FnKind::Function | FnKind::Method);
                if returned || !may_return || !self.rng.chance(wants) {
                    return false;
                }
                self.model.func_mut().returned = true;
                self.forced_decl = Some(Label::Statement);
                self.forced_stmt = Some(Label::ReturnStmt);
                true
            }
        }
    }

    /// Plans the next child of a container: a function or a class with a
    /// share of what is left, or now and then a variable or a statement.
    fn container_child(&mut self, target: usize, remaining: usize) {
        let top_level = self.model.at_top_level();
        let class_ok = self.model.can_spend(12);
        let weights = [
            700,
            if class_ok { 220 } else { 0 },
            50,
            u32::from(top_level) * 30,
        ];
        let choice = self.rng.weighted(&weights).unwrap_or(0);
        let per_child = target / FANOUT;
        let size = match per_child > SHARED_CHILD {
            true => per_child * self.rng.range(70, 130) / 100,
            false => leaf_size(&mut self.rng),
        };
        let size = size.min(remaining);
        match choice {
            0 | 1 => {
                self.layout.blank_line();
                if self.rng.chance(550) {
                    let text = words::sentence(&mut self.rng);
                    self.layout.comment(&text);
                }
                self.pending_plan = Some(plan_for(size));
                self.forced_decl = Some(match choice {
                    0 => Label::FunDecl,
                    _ => Label::ClassDecl,
                });
            }
            2 => self.forced_decl = Some(Label::VarDecl),
            _ => {
                self.forced_decl = Some(Label::Statement);
                self.forced_stmt = Some(Label::PrintStmt);
            }
        }
    }

    fn more_operands(&mut self, level: Kind) -> bool {
        if self.budget <= 0 || self.model.at_top_level() {
            return false;
        }
        if self.statement_call && self.expr_depth == 1 {
            return false;
        }
        let per_mille = match level {
            Kind::LogicOr => 40,
            Kind::LogicAnd => 50,
            Kind::Equality => 90,
            Kind::Comparison => 130,
            Kind::Term => 260,
            _ => 120,
        };
        let per_mille = per_mille / (self.expr_depth as u32).max(1);
        self.rng.chance(per_mille)
    }

    fn more_suffixes(&mut self) -> bool {
        let top_level = self.model.at_top_level();
        let statement_call = self.statement_call && self.expr_depth == 1;
        let set_object = self.parent_kind() == Some(Kind::Assignment);
        let spend = self.model.can_spend(1);
        let roll = self.rng.below(1000) as u32;
        let method_roll = self.rng.chance(450);
        let budget = self.budget;
        let frame = self.top();
        if top_level || frame.suffixes >= 4 {
            return false;
        }
        // The object of a property assignment is a name or `this`, now and
        // then followed by one `.name`: `this.a = 1`, `point.origin.x = 0`.
        if set_object {
            let more = frame.suffixes == 0
                && spend
                && matches!(frame.callee, Callee::Value | Callee::This)
                && roll < 250;
            if more {
                frame.next_suffix = Label::Dot;
                frame.method_call = false;
                frame.arity = None;
                frame.suffixes += 1;
            }
            return more;
        }
        let method_pending =
            frame.suffixes > 0 && frame.next_suffix == Label::Dot && frame.method_call;
        // Calls whose arguments the budget cannot pay for are not started, so
        // that arguments, which may be calls themselves, always run out.
        let call = match (frame.callee, frame.suffixes) {
            _ if method_pending => 1000,
            _ if budget <= 0 => 0,
            (Callee::Literal, _) => 0,
            (Callee::Function(_) | Callee::Class(_), 0) if statement_call => 1000,
            (Callee::Function(_), 0) => 900,
            (Callee::Class(_), 0) => 650,
            (Callee::This, 0) => 0,
            (Callee::Super, 0) => 850,
            (Callee::Value, 0) if statement_call => 0,
            _ => 30,
        };
        let dot = match (spend, frame.callee, frame.suffixes) {
            (false, _, _) => 0,
            (_, Callee::Literal | Callee::Group | Callee::Super, _) => 0,
            (_, Callee::This, 0) => 950,
            (_, Callee::Value, 0) if statement_call => 1000,
            (_, Callee::Value, 0) => 330,
            (_, Callee::Class(_), 1) => 150,
            _ => 80,
        };
        let next = match roll {
            roll if roll < call => Label::LeftParen,
            roll if roll < call + dot => Label::Dot,
            _ => return false,
        };
        frame.arity = match (next, frame.callee, frame.suffixes) {
            (Label::LeftParen, Callee::Function(arity) | Callee::Class(arity), 0) => Some(arity),
            _ => None,
        };
        frame.method_call = next == Label::Dot && (statement_call || method_roll);
        frame.next_suffix = next;
        frame.suffixes += 1;
        true
    }
}

fn value_name(rng: &mut Rng, out: &mut String) {
    out.push_str(words::pick(rng, words::NOUNS));
    if rng.chance(300) {
        words::push_capitalized(out, words::pick(rng, words::NOUNS));
    }
}

fn method_name(rng: &mut Rng, out: &mut String) {
    out.push_str(words::pick(rng, words::VERBS));
    if rng.chance(650) {
        words::push_capitalized(out, words::pick(rng, words::NOUNS));
    }
}

/// The size of an ordinary function body: mostly a few hundred bytes, now and
/// then a couple of kilobytes.
fn leaf_size(rng: &mut Rng) -> usize {
    let mut size = 60 + rng.below(500) + rng.below(500);
    if rng.chance(150) {
        size += rng.below(2000);
    }
    size
}

fn plan_for(size: usize) -> Plan {
    match size > LEAF_MAX {
        true => Plan::Container(size),
        false => Plan::Leaf(size),
    }
}
