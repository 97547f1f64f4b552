//! The collector's marking side: the roots, the gray stack, and the allocation
//! entry point that decides when to collect.
//!
//! Collection is mark-sweep, as in clox: mark everything reachable from the roots
//! with an explicit gray stack (so deep object graphs cannot overflow the native
//! stack), drop unmarked strings from the weak interning table, then sweep.
//!
//! What a collection relies on, everywhere in the VM:
//! - a `Gc` that Rust code will dereference again is reachable from the roots
//!   traced in `collect_with` (or is the object under construction) whenever
//!   an allocation can run the collector; holders keep such objects on the
//!   stack;
//! - no `RefCell` borrow of an object's table is held across an allocation,
//!   since tracing borrows every table;
//! - everything an object points to is traced by its `HeapObject::trace`,
//!   including what a function's inline caches hold (`Function::trace`), so
//!   a cached class cannot be freed and its address reused while a cache can
//!   still match it;
//! - a box is freed only by `Heap::sweep`, into the pool of its own size
//!   class (`heap.rs`), and only when unmarked.

use crate::error::Fault;
use crate::heap::{Gc, HeapObject, ObjRef};
use crate::value::Value;
use crate::vm::Vm;

/// Marks objects and queues those with outgoing pointers for a visit.
pub(crate) struct Tracer<'a> {
    gray: &'a mut Vec<ObjRef>,
}

impl Tracer<'_> {
    /// Marks `gc`, queueing it for a visit if it was not marked yet.
    pub(crate) fn object<T: HeapObject>(&mut self, gc: Gc<T>) {
        if gc.mark() && !T::LEAF {
            self.gray.push(T::erase(gc));
        }
    }

    /// Marks the object `value` points to, if any.
    pub(crate) fn value(&mut self, value: Value) {
        match value.as_object() {
            None => {}
            Some(ObjRef::String(gc)) => self.object(gc),
            Some(ObjRef::Function(gc)) => self.object(gc),
            Some(ObjRef::Native(gc)) => self.object(gc),
            Some(ObjRef::Closure(gc)) => self.object(gc),
            Some(ObjRef::Upvalue(gc)) => self.object(gc),
            Some(ObjRef::Class(gc)) => self.object(gc),
            Some(ObjRef::Instance(gc)) => self.object(gc),
            Some(ObjRef::BoundMethod(gc)) => self.object(gc),
        }
    }

    /// Visits queued objects until none is left, marking what they point to.
    fn drain(&mut self) {
        while let Some(object) = self.gray.pop() {
            object.trace(self);
        }
    }
}

impl Vm {
    /// Moves `value` to the heap, collecting first if it is time to.
    ///
    /// `value` itself is traced as a root during that collection, so the objects
    /// it points to may be held only by it. Any other object the caller still
    /// needs must be reachable from the roots (typically by staying on the
    /// stack), as in clox.
    pub(crate) fn alloc<T: HeapObject>(&mut self, value: T) -> Result<Gc<T>, Fault> {
        let size = value.heap_size();
        if self.heap.wants_collection(size) {
            self.collect_with(|tracer| value.trace(tracer));
        }
        if !self.heap.has_room(size) {
            return Err(Fault::OutOfMemory);
        }
        self.heap.insert(value, size).ok_or(Fault::OutOfMemory)
    }

    /// Fails with `Out of memory.` unless `bytes` more fit under the heap limit,
    /// collecting first if needed. Used before building a large payload (a
    /// concatenated string) so that it is never built only to be refused.
    pub(crate) fn reserve(&mut self, bytes: usize) -> Result<(), Fault> {
        if self.heap.has_room(bytes) {
            return Ok(());
        }
        self.collect_garbage();
        match self.heap.has_room(bytes) {
            true => Ok(()),
            false => Err(Fault::OutOfMemory),
        }
    }

    /// Accounts for an object that grew by `bytes` (a table that reallocated),
    /// failing with `Out of memory.` if that crosses the heap limit even after a
    /// collection. The grown object must be reachable from the roots.
    pub(crate) fn note_growth(&mut self, bytes: usize) -> Result<(), Fault> {
        self.heap.grow(bytes);
        if self.heap.has_room(0) {
            return Ok(());
        }
        self.collect_garbage();
        match self.heap.has_room(0) {
            true => Ok(()),
            false => Err(Fault::OutOfMemory),
        }
    }

    /// Runs a full collection.
    pub(crate) fn collect_garbage(&mut self) {
        self.collect_with(|_| {});
    }

    /// Runs a full collection, with `trace_pending` marking what the caller holds
    /// outside the roots (an object under construction).
    fn collect_with(&mut self, trace_pending: impl FnOnce(&mut Tracer<'_>)) {
        let mut tracer = Tracer {
            gray: &mut self.heap.gray,
        };
        for &value in &self.stack {
            tracer.value(value);
        }
        for frame in &self.frames {
            tracer.object(frame.closure);
        }
        for &upvalue in &self.open_upvalues {
            tracer.object(upvalue);
        }
        for &(name, value) in &self.globals {
            tracer.object(name);
            tracer.value(value);
        }
        tracer.object(self.init_string);
        trace_pending(&mut tracer);
        tracer.drain();
        // The interning table holds its strings weakly: a string only it
        // references is garbage, and must leave the table before it is freed.
        self.strings.remove_unmarked();
        self.heap.sweep();
    }
}
