//! Global variables: slots in a vector, found through their interned name.
//!
//! Each name that a global was ever defined under remembers its slot index, so a
//! global access is an index and never a hash lookup. Globals cannot be
//! undefined again, so a slot, once made, always holds a value, and its name is
//! a GC root for as long as the VM lives (which keeps the index valid).

use crate::heap::Gc;
use crate::object::LoxString;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// The value of the global `name`, if it is defined.
    #[inline]
    pub(crate) fn global(&self, name: Gc<LoxString>) -> Option<Value> {
        let slot = name.global_slot()?;
        self.globals.get(slot).map(|&(_, value)| value)
    }

    /// Assigns an existing global, or returns `false` if it is not defined.
    #[inline]
    pub(crate) fn set_global(&mut self, name: Gc<LoxString>, value: Value) -> bool {
        match name
            .global_slot()
            .and_then(|slot| self.globals.get_mut(slot))
        {
            Some(global) => {
                global.1 = value;
                true
            }
            None => false,
        }
    }

    /// Defines (or redefines) the global `name`.
    pub(crate) fn define_global(&mut self, name: Gc<LoxString>, value: Value) {
        if self.set_global(name, value) {
            return;
        }
        // More than four billion distinct global names cannot fit in memory
        // anyway; past that the name simply gets no slot and stays undefined.
        if let Ok(slot) = u32::try_from(self.globals.len()) {
            name.set_global_slot(slot);
            self.globals.push((name, value));
        }
    }
}
