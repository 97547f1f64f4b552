//! Lox values: `nil`, booleans, numbers and pointers to heap objects.

use std::io::{self, Write};

use bumplox_bytecode::FunctionKind;

use crate::heap::Gc;
use crate::number::format_number;
use crate::object::{BoundMethod, Class, Closure, Function, Instance, LoxString, Native};

/// A Lox value. Each kind of object has its own variant, so that a type check is
/// a look at the tag and needs no load from the heap.
///
/// The word-sized tag puts every payload at offset 8, so that a value is two
/// aligned words. With Rust's default layout the tag is one byte and a `bool`
/// payload sits at offset 1, which makes the compiler copy values as overlapping
/// unaligned pieces and stalls store forwarding on every push and pop.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub(crate) enum Value {
    Nil,
    Bool(bool),
    Number(f64),
    String(Gc<LoxString>),
    Function(Gc<Function>),
    Native(Gc<Native>),
    Closure(Gc<Closure>),
    Class(Gc<Class>),
    Instance(Gc<Instance>),
    BoundMethod(Gc<BoundMethod>),
}

impl Value {
    /// `nil` and `false` are falsey; every other value is truthy.
    pub(crate) fn is_falsey(self) -> bool {
        matches!(self, Value::Nil | Value::Bool(false))
    }

    /// Lox's `==`: numbers by value (so `nan != nan`), objects by identity, which
    /// for interned strings is equality of text.
    pub(crate) fn equals(self, other: Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Function(a), Value::Function(b)) => a == b,
            (Value::Native(a), Value::Native(b)) => a == b,
            (Value::Closure(a), Value::Closure(b)) => a == b,
            (Value::Class(a), Value::Class(b)) => a == b,
            (Value::Instance(a), Value::Instance(b)) => a == b,
            (Value::BoundMethod(a), Value::BoundMethod(b)) => a == b,
            _ => false,
        }
    }

    /// Writes the value as `print` shows it.
    pub(crate) fn write_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Value::Nil => out.write_all(b"nil"),
            Value::Bool(true) => out.write_all(b"true"),
            Value::Bool(false) => out.write_all(b"false"),
            Value::Number(number) => out.write_all(format_number(number).as_bytes()),
            Value::String(string) => out.write_all(string.as_str().as_bytes()),
            Value::Function(function) => write_function(&function, out),
            Value::Native(_) => out.write_all(b"<native fn>"),
            Value::Closure(closure) => write_function(&closure.function, out),
            Value::Class(class) => out.write_all(class.name.as_str().as_bytes()),
            Value::Instance(instance) => {
                let name = instance.class.name;
                write!(out, "{} instance", name.as_str())
            }
            Value::BoundMethod(bound) => write_function(&bound.method.function, out),
        }
    }
}

fn write_function(function: &Function, out: &mut dyn Write) -> io::Result<()> {
    match (function.kind, function.name) {
        (FunctionKind::Script, _) | (_, None) => out.write_all(b"<script>"),
        (_, Some(name)) => write!(out, "<fn {}>", name.as_str()),
    }
}
