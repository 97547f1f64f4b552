//! Name resolution and the static checks of Lox: every variable use is bound to
//! a global, a local slot or an upvalue, and every static error the language
//! defines is reported with the book's message.
//!
//! The resolver mirrors the scoping of the book's bytecode compiler exactly
//! (slot 0 reserved in every function, `this` in slot 0 of methods, a hidden
//! `super` local around a subclass's methods), so that the slots and upvalue
//! indexes it computes are the ones the code generator emits. It does not
//! generate code, and it does not check limits that belong to code generation
//! (constants per chunk, jump distances).

mod names;
mod resolution;
mod resolver;
#[cfg(test)]
mod tests;

pub use names::{Declaration, DeclarationKind, NameUse, Names};
pub use resolution::{Binding, Resolution, Upvalue};
pub use resolver::{resolve, resolve_names};
