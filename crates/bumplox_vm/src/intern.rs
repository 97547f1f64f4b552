//! The string interning table: one heap string per distinct text.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::mem;

use crate::error::Fault;
use crate::hash::StrSet;
use crate::heap::{allocation_size, Gc};
use crate::object::LoxString;
use crate::vm::Vm;

/// A string in the table, hashed and compared by its text so that the table can
/// be searched with a plain `&str`.
struct Interned(Gc<LoxString>);

impl Borrow<str> for Interned {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl Hash for Interned {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // This must hash exactly as `str` does, since lookups hash a `&str`.
        self.0.as_str().hash(state);
    }
}

impl PartialEq for Interned {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Eq for Interned {}

/// Every live string, by text. The table holds its strings weakly: the collector
/// calls [`Interner::remove_unmarked`] before sweeping, so the table never holds
/// a freed string.
#[derive(Default)]
pub(crate) struct Interner {
    strings: StrSet<Interned>,
}

impl Interner {
    pub(crate) fn get(&self, text: &str) -> Option<Gc<LoxString>> {
        self.strings.get(text).map(|interned| interned.0)
    }

    /// Adds a string whose text is not in the table yet.
    pub(crate) fn insert(&mut self, string: Gc<LoxString>) {
        self.strings.insert(Interned(string));
    }

    /// Drops the strings the collector did not mark, before they are freed.
    pub(crate) fn remove_unmarked(&mut self) {
        self.strings.retain(|interned| interned.0.is_marked());
    }

    /// The bytes the table holds: a pointer and a control byte per bucket,
    /// and a table is at most seven eighths full.
    pub(crate) fn heap_bytes(&self) -> usize {
        let buckets = self.strings.capacity().saturating_mul(8) / 7;
        allocation_size(buckets.saturating_mul(mem::size_of::<Interned>() + 1))
    }
}

impl Vm {
    /// The interned string with `text`, allocating it if it is new.
    pub(crate) fn intern(&mut self, text: &str) -> Result<Gc<LoxString>, Fault> {
        match self.strings.get(text) {
            Some(string) => Ok(string),
            None => self.intern_new(text.into()),
        }
    }

    /// The interned string with `text`, taking ownership of the text so that a
    /// new string (a concatenation) is not copied again.
    pub(crate) fn intern_owned(&mut self, text: String) -> Result<Gc<LoxString>, Fault> {
        match self.strings.get(&text) {
            Some(string) => Ok(string),
            None => self.intern_new(text.into_boxed_str()),
        }
    }

    fn intern_new(&mut self, text: Box<str>) -> Result<Gc<LoxString>, Fault> {
        let string = self.alloc(LoxString::new(text))?;
        self.strings.insert(string);
        self.heap.set_table_bytes(self.strings.heap_bytes());
        Ok(string)
    }
}
