//! `Names`: which declaration each name use refers to, for editors (go to
//! definition, references, rename, hover), recorded by the resolver on request.

use bumplox_source::Span;

use crate::resolution::Binding;

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclarationKind {
    /// `var name`.
    Variable,
    /// A function's parameter.
    Parameter,
    /// `fun name`.
    Function,
    /// `class Name`.
    Class,
    /// A method in a class body.
    Method,
    /// A field of a class's instances, declared by the first `this.name = …`
    /// in the class (in `init` when `init` assigns it).
    Field,
}

impl DeclarationKind {
    /// The kind in words, as an editor shows it.
    pub fn describe(self) -> &'static str {
        match self {
            DeclarationKind::Variable => "variable",
            DeclarationKind::Parameter => "parameter",
            DeclarationKind::Function => "function",
            DeclarationKind::Class => "class",
            DeclarationKind::Method => "method",
            DeclarationKind::Field => "field",
        }
    }
}

/// One declared name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// The name as written in the declaration.
    pub name: Span,
    pub kind: DeclarationKind,
    /// How the declaration binds its name: [`Binding::Global`] at the top
    /// level, a local slot inside a function or block, and
    /// [`Binding::Unresolved`] for methods and fields, which live in a class.
    pub binding: Binding,
    /// For a method or a field, the index of its class's declaration.
    pub container: Option<u32>,
}

/// One use of a name: a variable read or assigned, or `this.name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameUse {
    /// The name as written at the use.
    pub span: Span,
    /// How the use reaches its variable (a global, a local slot, an upvalue);
    /// [`Binding::Unresolved`] for `this.name`, which is looked up at run time.
    pub binding: Binding,
    /// The index in [`Names::declarations`] of what the use refers to, when
    /// the program declares it: a global read by name is matched with the
    /// first top-level declaration of that name, wherever it is.
    pub declaration: Option<u32>,
}

/// Every declaration and every use of a name the resolver saw, in the order
/// it saw them (source order within each list, except that a class's fields
/// are listed after its methods).
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub declarations: Vec<Declaration>,
    pub uses: Vec<NameUse>,
}

impl Names {
    /// The declaration whose name or one of whose uses covers `offset`, with
    /// the span of the name found there. A position just after a name counts
    /// as on it, as editors place the cursor there, unless another name
    /// starts there.
    pub fn at(&self, offset: u32) -> Option<(u32, Span)> {
        self.find(|span| span.start <= offset && offset < span.end)
            .or_else(|| self.find(|span| span.end == offset))
    }

    fn find(&self, covers: impl Fn(Span) -> bool) -> Option<(u32, Span)> {
        let declared = self
            .declarations
            .iter()
            .enumerate()
            .find(|(_, declaration)| covers(declaration.name))
            .map(|(index, declaration)| (index as u32, declaration.name));
        declared.or_else(|| {
            self.uses
                .iter()
                .find(|use_| covers(use_.span))
                .and_then(|use_| Some((use_.declaration?, use_.span)))
        })
    }

    /// The use whose name covers `offset` (or ends there), if any.
    pub fn use_at(&self, offset: u32) -> Option<&NameUse> {
        self.uses
            .iter()
            .find(|use_| use_.span.start <= offset && offset < use_.span.end)
            .or_else(|| self.uses.iter().find(|use_| use_.span.end == offset))
    }

    /// The declaration `index` refers to.
    pub fn declaration(&self, index: u32) -> Option<&Declaration> {
        self.declarations.get(index as usize)
    }

    /// The name spans of declaration `index` and of every use of it, in source order.
    pub fn references(&self, index: u32) -> Vec<Span> {
        let mut spans: Vec<Span> = self
            .uses
            .iter()
            .filter(|use_| use_.declaration == Some(index))
            .map(|use_| use_.span)
            .chain(self.declaration(index).map(|declaration| declaration.name))
            .collect();
        spans.sort_by_key(|span| span.start);
        spans.dedup();
        spans
    }
}
