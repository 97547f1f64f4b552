//! The kinds of heap object: strings, functions, natives, closures, upvalues,
//! classes, instances and bound methods.
//!
//! Objects are immutable once allocated except where Lox needs mutation, and
//! there the state sits in a `Cell` or `RefCell`, because the heap hands out
//! only shared references (see `heap.rs`). No `RefCell` borrow is ever held
//! across an allocation, since an allocation can run the collector, which
//! borrows every table it traces.

use std::cell::{Cell, RefCell};
use std::mem;

use bumplox_bytecode::{Chunk, FunctionKind, LineRun};

use crate::fields::Fields;
use crate::gc::Tracer;
use crate::heap::{allocation_size, Gc, HeapObject, ObjKind, ObjRef};
use crate::table::Table;
use crate::value::Value;

/// An interned string. Two strings with the same text are the same object, so
/// equality is pointer equality.
pub(crate) struct LoxString {
    text: Box<str>,
    /// The index in the VM's global slots of the global variable with this
    /// name, or `NO_GLOBAL`. Keeping it in the (unique, interned) name makes a
    /// global access an index instead of a hash lookup.
    global: Cell<u32>,
}

/// The `LoxString::global` of a name that no global has been defined under.
const NO_GLOBAL: u32 = u32::MAX;

impl LoxString {
    pub(crate) fn new(text: Box<str>) -> LoxString {
        LoxString {
            text,
            global: Cell::new(NO_GLOBAL),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The global slot of the variable with this name, if one was defined.
    #[inline]
    pub(crate) fn global_slot(&self) -> Option<usize> {
        match self.global.get() {
            NO_GLOBAL => None,
            slot => Some(slot as usize),
        }
    }

    pub(crate) fn set_global_slot(&self, slot: u32) {
        self.global.set(slot);
    }
}

impl HeapObject for LoxString {
    const KIND: ObjKind = ObjKind::String;
    const LEAF: bool = true;

    fn trace(&self, _tracer: &mut Tracer<'_>) {}

    fn extra_bytes(&self) -> usize {
        // The interning table's entry is counted with the table
        // (`Interner::heap_bytes`), at its capacity.
        allocation_size(self.text.len())
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::String(gc)
    }
}

/// A function loaded from a [`bumplox_bytecode::FunctionProto`]: its code and
/// line table, with the constant pool turned into values.
pub(crate) struct Function {
    /// The declared name, or `None` for the top-level script.
    pub(crate) name: Option<Gc<LoxString>>,
    pub(crate) kind: FunctionKind,
    pub(crate) arity: u8,
    pub(crate) upvalue_count: u8,
    /// The code, line table and span table. Its constant pool is left empty: the loaded
    /// constants are in `constants`. The code is followed by
    /// `cursor::CODE_PADDING` bytes that are no opcode (see `Cursor`); use
    /// `code_len` for its own length.
    pub(crate) chunk: Chunk,
    pub(crate) constants: Box<[Value]>,
    /// One inline cache per constant, used by the property instructions whose
    /// name is that constant (see [`InlineCache`]).
    pub(crate) caches: Box<[InlineCache]>,
    /// The [`crate::Vm::run`] that loaded it: the spans in its chunk are
    /// offsets into that run's source.
    pub(crate) run_id: u32,
}

impl Function {
    /// The length of the code, without the padding.
    pub(crate) fn code_len(&self) -> usize {
        self.chunk
            .code
            .len()
            .saturating_sub(crate::cursor::CODE_PADDING)
    }
}

impl HeapObject for Function {
    const KIND: ObjKind = ObjKind::Function;
    const LEAF: bool = false;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        if let Some(name) = self.name {
            tracer.object(name);
        }
        for &constant in self.constants.iter() {
            tracer.value(constant);
        }
        for cache in self.caches.iter() {
            if let Some((class, method)) = cache.entry.get() {
                tracer.object(class);
                tracer.object(method);
            }
        }
    }

    fn extra_bytes(&self) -> usize {
        allocation_size(self.chunk.code.capacity())
            + allocation_size(self.chunk.lines.capacity() * mem::size_of::<LineRun>())
            + allocation_size(self.chunk.spans.capacity())
            + allocation_size(mem::size_of_val::<[Value]>(&self.constants))
            + allocation_size(mem::size_of_val::<[InlineCache]>(&self.caches))
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::Function(gc)
    }
}

/// The inline caches of the instructions of one function that name one
/// property (one constant): for `GetProperty` and `SetProperty`, the position
/// among an instance's fields where the name was last found (see
/// [`Fields`], which checks it); for `Invoke`, the class last seen on a
/// receiver and the method that name found in it.
///
/// A method hit is a compare of the receiver's class and of the VM's method epoch,
/// instead of a lookup in the class's method table. What invalidates it:
/// - a receiver of another class misses (and refills the cache);
/// - any change to any class's methods (`Method`, `Inherit`) bumps
///   `Vm::method_epoch`, so every entry filled before it misses. Compiled
///   code only changes a class while declaring it, before any call, so the
///   epoch settles as soon as the program's classes are declared.
/// - a field of the same name shadows the method: `Invoke` looks for the
///   field first, on every call, before it consults the cache.
///
/// The class and the method are traced through the function that owns the
/// cache, so neither is freed (and its address reused by another class)
/// while the entry can still match.
#[derive(Default)]
pub(crate) struct InlineCache {
    pub(crate) entry: Cell<Option<(Gc<Class>, Gc<Closure>)>>,
    pub(crate) epoch: Cell<u32>,
    pub(crate) field: Cell<u32>,
}

/// The Rust function behind a native: it receives the arguments and returns the
/// result.
pub(crate) type NativeFn = fn(&[Value]) -> Value;

/// A function implemented in Rust, such as `clock`.
pub(crate) struct Native {
    pub(crate) arity: u8,
    pub(crate) function: NativeFn,
}

impl HeapObject for Native {
    const KIND: ObjKind = ObjKind::Native;
    const LEAF: bool = true;

    fn trace(&self, _tracer: &mut Tracer<'_>) {}

    fn extra_bytes(&self) -> usize {
        0
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::Native(gc)
    }
}

/// A function together with the variables it captured.
pub(crate) struct Closure {
    pub(crate) function: Gc<Function>,
    pub(crate) upvalues: Box<[Gc<Upvalue>]>,
}

impl HeapObject for Closure {
    const KIND: ObjKind = ObjKind::Closure;
    const LEAF: bool = false;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.object(self.function);
        for &upvalue in self.upvalues.iter() {
            tracer.object(upvalue);
        }
    }

    fn extra_bytes(&self) -> usize {
        allocation_size(mem::size_of_val::<[Gc<Upvalue>]>(&self.upvalues))
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::Closure(gc)
    }
}

/// Where a captured variable lives: still in its stack slot while the function
/// that declared it runs, then in the upvalue itself.
#[derive(Clone, Copy, Debug)]
pub(crate) enum UpvalueState {
    /// The index of the variable's slot in the VM's stack. An index rather than
    /// a pointer, so that the stack may reallocate as it grows.
    Open(usize),
    Closed(Value),
}

/// A variable captured by one or more closures.
pub(crate) struct Upvalue {
    pub(crate) state: Cell<UpvalueState>,
}

impl HeapObject for Upvalue {
    const KIND: ObjKind = ObjKind::Upvalue;
    const LEAF: bool = false;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        // An open upvalue's variable is on the stack, which is a root already.
        match self.state.get() {
            UpvalueState::Open(_) => {}
            UpvalueState::Closed(value) => tracer.value(value),
        }
    }

    fn extra_bytes(&self) -> usize {
        0
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::Upvalue(gc)
    }
}

/// A class's methods by name.
pub(crate) type Methods = Table<Gc<Closure>>;

/// A class: its name and methods (inherited ones copied in by `Inherit`).
pub(crate) struct Class {
    pub(crate) name: Gc<LoxString>,
    pub(crate) methods: RefCell<Methods>,
    /// The method `init`, kept beside the table so that calling the class
    /// needs no lookup. It always equals `methods.get(init)`: `Method` and
    /// `Inherit`, the only instructions that change the table, update it too.
    pub(crate) init: Cell<Option<Gc<Closure>>>,
    /// The most fields an instance of this class has had, which a new
    /// instance reserves room for, so that filling it in `init` does not
    /// reallocate.
    pub(crate) field_count: Cell<usize>,
}

impl HeapObject for Class {
    const KIND: ObjKind = ObjKind::Class;
    const LEAF: bool = false;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.object(self.name);
        if let Some(init) = self.init.get() {
            tracer.object(init);
        }
        for (name, method) in self.methods.borrow().iter() {
            tracer.object(name);
            tracer.object(method);
        }
    }

    fn extra_bytes(&self) -> usize {
        self.methods.borrow().heap_bytes()
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::Class(gc)
    }
}

/// An instance of a class, with its fields.
pub(crate) struct Instance {
    pub(crate) class: Gc<Class>,
    pub(crate) fields: RefCell<Fields>,
}

impl HeapObject for Instance {
    const KIND: ObjKind = ObjKind::Instance;
    const LEAF: bool = false;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.object(self.class);
        for (name, value) in self.fields.borrow().iter() {
            tracer.object(name);
            tracer.value(value);
        }
    }

    fn extra_bytes(&self) -> usize {
        self.fields.borrow().heap_bytes()
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::Instance(gc)
    }
}

/// A method closure bound to the receiver it was looked up on.
pub(crate) struct BoundMethod {
    pub(crate) receiver: Value,
    pub(crate) method: Gc<Closure>,
}

impl HeapObject for BoundMethod {
    const KIND: ObjKind = ObjKind::BoundMethod;
    const LEAF: bool = false;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        tracer.value(self.receiver);
        tracer.object(self.method);
    }

    fn extra_bytes(&self) -> usize {
        0
    }

    fn erase(gc: Gc<Self>) -> ObjRef {
        ObjRef::BoundMethod(gc)
    }
}
