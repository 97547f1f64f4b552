//! Calls: pushing frames for closures, calling classes, natives and bound
//! methods, and method invocation and binding.

use std::cell::RefCell;

use crate::error::Fault;
use crate::fields::Fields;
use crate::heap::{Gc, ObjRef};
use crate::object::{BoundMethod, Class, Closure, Function, Instance, LoxString, Native};
use crate::value::Value;
use crate::vm::{CallFrame, Vm};

impl Vm {
    /// The stack index of the callee (or receiver) below `argc` arguments.
    fn callee_slot(&self, argc: u8) -> Result<usize, Fault> {
        let below = usize::from(argc) + 1;
        self.stack
            .len()
            .checked_sub(below)
            .ok_or(Fault::InvalidBytecode)
    }

    /// Calls the value below the `argc` arguments on top of the stack. A closure
    /// gets a new frame that the dispatch loop then runs; a native or a class
    /// without `init` completes here.
    #[inline]
    pub(crate) fn call_value(&mut self, argc: u8) -> Result<(), Fault> {
        let slot = self.callee_slot(argc)?;
        let callee = self.stack[slot];
        match callee.as_object() {
            Some(ObjRef::Closure(closure)) => self.call_closure(closure, argc),
            Some(ObjRef::BoundMethod(bound)) => {
                // The receiver takes the callee's slot, where the method's
                // code expects `this`.
                self.stack[slot] = bound.receiver;
                self.call_closure(bound.method, argc)
            }
            Some(ObjRef::Class(class)) => self.call_class(class, slot, argc),
            Some(ObjRef::Native(native)) => self.call_native(native, slot, argc),
            Some(
                ObjRef::String(_) | ObjRef::Function(_) | ObjRef::Upvalue(_) | ObjRef::Instance(_),
            )
            | None => Err(Fault::NotCallable(callee)),
        }
    }

    /// Pushes a frame running `closure` over the callee and the `argc`
    /// arguments on top of the stack.
    #[inline]
    pub(crate) fn call_closure(&mut self, closure: Gc<Closure>, argc: u8) -> Result<(), Fault> {
        let arity = closure.function.arity;
        if argc != arity {
            return Err(Fault::WrongArity {
                expected: arity,
                got: argc,
                callee: closure.function.name,
            });
        }
        if self.frames.len() >= self.max_frames {
            return Err(Fault::StackOverflow);
        }
        self.charge(closure.function.code_len())?;
        let base = self.callee_slot(argc)?;
        self.frames.push(CallFrame {
            closure,
            ip: 0,
            base,
        });
        Ok(())
    }

    /// Calling a class makes an instance, which replaces the class in the
    /// callee slot and becomes `this` for `init`, if the class has one.
    fn call_class(&mut self, class: Gc<Class>, slot: usize, argc: u8) -> Result<(), Fault> {
        // The class stays in its stack slot, rooted, while the instance is
        // allocated.
        let fields = Fields::with_capacity(class.field_count.get(), &mut self.heap.pools);
        let instance = self.alloc(Instance {
            class,
            fields: RefCell::new(fields),
        })?;
        self.stack[slot] = Value::object(instance);
        match class.init.get() {
            Some(init) => self.call_closure(init, argc),
            None if argc == 0 => Ok(()),
            None => Err(Fault::WrongArity {
                expected: 0,
                got: argc,
                callee: Some(class.name),
            }),
        }
    }

    fn call_native(&mut self, native: Gc<Native>, slot: usize, argc: u8) -> Result<(), Fault> {
        if argc != native.arity {
            return Err(Fault::WrongArity {
                expected: native.arity,
                got: argc,
                callee: None,
            });
        }
        let args = self.stack.get(slot + 1..).unwrap_or(&[]);
        let result = (native.function)(args);
        self.stack.truncate(slot);
        self.push(result)?;
        Ok(())
    }

    /// Calls method `name` of the receiver below the `argc` arguments, without
    /// making a bound method first, through the inline cache of constant
    /// `index` of `function` (the running function, whose constant `index` is
    /// `name`). A field of that name wins over a method, as in clox, since a
    /// field shadows methods in `GetProperty` too.
    #[inline]
    pub(crate) fn invoke_cached(
        &mut self,
        function: Gc<Function>,
        index: u8,
        name: Gc<LoxString>,
        argc: u8,
    ) -> Result<(), Fault> {
        let slot = self.callee_slot(argc)?;
        let receiver = self.stack[slot];
        let Some(instance) = receiver.downcast::<Instance>() else {
            return Err(Fault::MethodOnNonInstance(receiver));
        };
        let field = instance.fields.borrow().get(name);
        if let Some(value) = field {
            self.stack[slot] = value;
            return self.call_value(argc);
        }
        let class = instance.class;
        let Some(cache) = function.caches.get(usize::from(index)) else {
            return self.invoke_from_class(class, name, argc);
        };
        if let Some((cached, method)) = cache.entry.get() {
            if cached == class && cache.epoch.get() == self.method_epoch {
                return self.call_closure(method, argc);
            }
        }
        let method = class.methods.borrow().get(name);
        let Some(method) = method else {
            return Err(undefined_property(class, name));
        };
        cache.entry.set(Some((class, method)));
        cache.epoch.set(self.method_epoch);
        self.call_closure(method, argc)
    }

    /// Calls `class`'s method `name` on the receiver below the `argc` arguments.
    pub(crate) fn invoke_from_class(
        &mut self,
        class: Gc<Class>,
        name: Gc<LoxString>,
        argc: u8,
    ) -> Result<(), Fault> {
        let method = class.methods.borrow().get(name);
        match method {
            Some(method) => self.call_closure(method, argc),
            None => Err(undefined_property(class, name)),
        }
    }

    /// Replaces the receiver on top of the stack with its method `name` from
    /// `class`, bound to it.
    pub(crate) fn bind_method(
        &mut self,
        class: Gc<Class>,
        name: Gc<LoxString>,
    ) -> Result<(), Fault> {
        let method = class.methods.borrow().get(name);
        let Some(method) = method else {
            return Err(undefined_property(class, name));
        };
        let receiver = self.stack.last().copied().ok_or(Fault::InvalidBytecode)?;
        // The receiver stays on the stack, and the method is traced through
        // the bound method under construction, so both survive a collection.
        let bound = self.alloc(BoundMethod { receiver, method })?;
        match self.stack.last_mut() {
            Some(top) => *top = Value::object(bound),
            None => return Err(Fault::InvalidBytecode),
        }
        Ok(())
    }
}

fn undefined_property(class: Gc<Class>, name: Gc<LoxString>) -> Fault {
    Fault::UndefinedProperty { name, class }
}
