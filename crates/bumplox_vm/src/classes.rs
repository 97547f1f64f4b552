//! Class building and instance fields: the `Class`, `Method` and `Inherit`
//! instructions and field stores, with the accounting of growing tables.

use std::cell::{Cell, RefCell};

use crate::error::Fault;
use crate::heap::Gc;
use crate::object::{Class, Closure, Instance, LoxString, Methods};
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// Pushes a new class without methods.
    pub(crate) fn new_class(&mut self, name: Gc<LoxString>) -> Result<(), Fault> {
        let class = self.alloc(Class {
            name,
            methods: RefCell::new(Methods::default()),
            init: Cell::new(None),
            field_count: Cell::new(0),
        })?;
        self.push(Value::object(class))?;
        Ok(())
    }

    /// Stores field `name` of `instance`. The instance must be on the stack, so
    /// that it survives the collection that its growth may trigger.
    /// `hint` is the instruction's inline cache (see `Fields::set_cached`).
    #[inline]
    pub(crate) fn set_field(
        &mut self,
        instance: Gc<Instance>,
        name: Gc<LoxString>,
        value: Value,
        hint: &Cell<u32>,
    ) -> Result<(), Fault> {
        // The borrow ends before `note_growth`, which may collect and so
        // borrow every table it traces.
        let (grown, count) = {
            let mut fields = instance.fields.borrow_mut();
            (
                fields.set_cached(name, value, hint, &mut self.heap.pools),
                fields.len(),
            )
        };
        match grown {
            0 => Ok(()),
            bytes => {
                let class = instance.class;
                class.field_count.set(class.field_count.get().max(count));
                self.note_growth(bytes)
            }
        }
    }

    /// `class closure` → `class`: adds the closure as method `name`.
    pub(crate) fn define_method(&mut self, name: Gc<LoxString>) -> Result<(), Fault> {
        let class = self.peek(1).and_then(Value::downcast::<Class>);
        let method = self.peek(0).and_then(Value::downcast::<Closure>);
        let (Some(class), Some(method)) = (class, method) else {
            return Err(Fault::InvalidBytecode);
        };
        self.method_epoch = self.method_epoch.wrapping_add(1);
        let grown = class.methods.borrow_mut().insert(name, method);
        if name == self.init_string {
            class.init.set(Some(method));
        }
        self.note_growth(grown)?;
        self.stack.pop();
        Ok(())
    }

    /// `superclass subclass` → `superclass`: copies the superclass's methods
    /// into the subclass, which then overrides them with its own as the
    /// following `Method` instructions add them.
    pub(crate) fn inherit(&mut self) -> Result<(), Fault> {
        let superclass = self.peek(1).ok_or(Fault::InvalidBytecode)?;
        let Some(superclass) = superclass.downcast::<Class>() else {
            return Err(Fault::SuperclassNotClass(superclass));
        };
        let Some(subclass) = self.peek(0).and_then(Value::downcast::<Class>) else {
            return Err(Fault::InvalidBytecode);
        };
        // Copying first keeps the two borrows apart even if both are the same
        // class (which only malformed code could ask for).
        let inherited: Vec<_> = superclass.methods.borrow().iter().collect();
        self.method_epoch = self.method_epoch.wrapping_add(1);
        let grown = {
            let mut methods = subclass.methods.borrow_mut();
            inherited
                .into_iter()
                .map(|(name, method)| methods.insert(name, method))
                .sum()
        };
        subclass
            .init
            .set(subclass.methods.borrow().get(self.init_string));
        self.note_growth(grown)?;
        self.stack.pop();
        Ok(())
    }
}
