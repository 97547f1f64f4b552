//! Tables from interned names to values: instance fields and class methods.
//!
//! Most Lox classes have a handful of fields and methods, so a table is a plain
//! vector searched by pointer comparison, which beats hashing at that size and
//! costs a single allocation. Past a few entries the table also builds a hash
//! index, so that a class with dozens of methods stays fast.

use std::mem;

use crate::hash::PtrMap;
use crate::heap::Gc;
use crate::object::LoxString;

/// How many entries a table searches linearly before it builds an index.
const LINEAR_LIMIT: usize = 8;

/// A map from interned names to `V`, in insertion order. Entries are never
/// removed: Lox has no way to delete a field or a method.
pub(crate) struct Table<V> {
    entries: Vec<(Gc<LoxString>, V)>,
    /// Each key's position in `entries`, once there are more than
    /// `LINEAR_LIMIT` of them.
    index: Option<PtrMap<Gc<LoxString>, u32>>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            entries: Vec::new(),
            index: None,
        }
    }
}

impl<V: Copy> Table<V> {
    /// The value stored under `key`.
    #[inline]
    pub(crate) fn get(&self, key: Gc<LoxString>) -> Option<V> {
        match &self.index {
            None => self
                .entries
                .iter()
                .find(|(name, _)| *name == key)
                .map(|&(_, value)| value),
            Some(index) => {
                let position = *index.get(&key)?;
                self.entries.get(position as usize).map(|&(_, value)| value)
            }
        }
    }

    /// Stores `value` under `key`, replacing any previous value, and returns how
    /// many bytes the table grew by, for the heap's accounting.
    pub(crate) fn insert(&mut self, key: Gc<LoxString>, value: V) -> usize {
        let existing = match &self.index {
            None => self.entries.iter().position(|&(name, _)| name == key),
            Some(index) => index.get(&key).map(|&position| position as usize),
        };
        if let Some(entry) = existing.and_then(|position| self.entries.get_mut(position)) {
            entry.1 = value;
            return 0;
        }
        let before = self.heap_bytes();
        let position = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.entries.push((key, value));
        match &mut self.index {
            Some(index) => {
                index.insert(key, position);
            }
            None if self.entries.len() > LINEAR_LIMIT => {
                let index = self
                    .entries
                    .iter()
                    .zip(0..)
                    .map(|(&(name, _), position)| (name, position))
                    .collect();
                self.index = Some(index);
            }
            None => {}
        }
        self.heap_bytes().saturating_sub(before)
    }

    /// Every entry, in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Gc<LoxString>, V)> + '_ {
        self.entries.iter().copied()
    }

    /// The bytes the table owns outside the object that holds it.
    pub(crate) fn heap_bytes(&self) -> usize {
        let entries = self.entries.capacity() * mem::size_of::<(Gc<LoxString>, V)>();
        let index = match &self.index {
            Some(index) => index.capacity() * (mem::size_of::<(Gc<LoxString>, u32)>() + 1),
            None => 0,
        };
        entries + index
    }
}

#[cfg(test)]
mod tests {
    use super::{Table, LINEAR_LIMIT};
    use crate::{Vm, VmOptions};

    #[test]
    fn stores_and_replaces_values_below_and_above_the_index_limit() {
        let mut vm = Vm::new(VmOptions::default());
        let names: Vec<_> = (0..3 * LINEAR_LIMIT)
            .map(|index| vm.intern(&format!("name{index}")))
            .collect::<Result<_, _>>()
            .expect("interning a few names fits in the heap");
        let mut table = Table::default();
        for (value, &name) in names.iter().enumerate() {
            assert_eq!(table.get(name), None);
            table.insert(name, value);
            assert_eq!(table.get(name), Some(value));
        }
        for (value, &name) in names.iter().enumerate() {
            assert_eq!(table.get(name), Some(value));
            assert_eq!(table.insert(name, value + 100), 0);
            assert_eq!(table.get(name), Some(value + 100));
        }
        let order: Vec<_> = table.iter().map(|(name, _)| name).collect();
        assert_eq!(order, names);
    }
}
