//! Tables from interned names to values: class methods, and the positions of
//! the fields of an instance that has many.
//!
//! A table is open addressing with linear probing over a power-of-two array, as
//! in clox, keyed by the name's address: names are interned, so equal names are
//! the same object, and hashing the address needs no load from the string. A
//! 64-bit filter of the keys present answers most misses without probing,
//! which matters because a method call first looks for a field of that name.

use std::mem;

use crate::heap::{allocation_size, Gc};
use crate::object::LoxString;

/// The fewest slots a table allocates once it holds anything.
const MIN_CAPACITY: usize = 8;

/// A map from interned names to `V`. Entries are never removed: Lox has no way
/// to delete a field or a method, so probing needs no tombstones.
pub(crate) struct Table<V> {
    /// Empty, or a power of two of slots, at most three quarters full.
    slots: Vec<Option<(Gc<LoxString>, V)>>,
    len: usize,
    /// `64 - log2(slots.len())`: the shift that turns a hash into a slot.
    shift: u32,
    /// The union of `filter_bit` of every key: a key whose bit is clear is
    /// certainly absent.
    filter: u64,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            slots: Vec::new(),
            len: 0,
            shift: 64,
            filter: 0,
        }
    }
}

/// Mixes a key's address into 64 bits whose top bits pick its slot
/// (Fibonacci hashing).
#[inline(always)]
fn hash(key: Gc<LoxString>) -> u64 {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
    (key.as_ptr().addr() as u64 >> 4).wrapping_mul(MULTIPLIER)
}

/// The bit that stands for `key` in a table's filter: six more bits of the hash.
#[inline(always)]
pub(crate) fn filter_bit(key: Gc<LoxString>) -> u64 {
    1 << (hash(key) >> 20 & 63)
}

impl<V: Copy> Table<V> {
    /// The value stored under `key`.
    #[inline]
    pub(crate) fn get(&self, key: Gc<LoxString>) -> Option<V> {
        if self.filter & filter_bit(key) == 0 {
            return None;
        }
        match self.slots.get(self.find(key)?) {
            Some(Some((_, value))) => Some(*value),
            Some(None) | None => None,
        }
    }

    /// The slot holding `key`, or the empty slot where it would go; `None`
    /// only for a table without slots.
    #[inline(always)]
    fn find(&self, key: Gc<LoxString>) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        // The shift is below 64 whenever there are slots.
        let mut index = usize::try_from(hash(key).checked_shr(self.shift)?).ok()? & mask;
        // The table is never full, so the probe meets the key or an empty
        // slot; bounding it by the capacity keeps that a fact, not a hope.
        for _ in 0..self.slots.len() {
            match self.slots.get(index) {
                Some(Some((name, _))) if *name != key => index = (index + 1) & mask,
                Some(_) => return Some(index),
                None => return None,
            }
        }
        None
    }

    /// Stores `value` under `key`, replacing any previous value, and returns how
    /// many bytes the table grew by, for the heap's accounting.
    pub(crate) fn insert(&mut self, key: Gc<LoxString>, value: V) -> usize {
        let before = self.heap_bytes();
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let Some(slot) = self.find(key).and_then(|index| self.slots.get_mut(index)) else {
            return 0;
        };
        if slot.is_none() {
            self.len += 1;
            self.filter |= filter_bit(key);
        }
        *slot = Some((key, value));
        self.heap_bytes().saturating_sub(before)
    }

    /// Doubles the slots (or makes the first ones) and puts every entry back.
    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(MIN_CAPACITY);
        let old = mem::replace(&mut self.slots, vec![None; capacity]);
        self.shift = 64 - capacity.trailing_zeros();
        for (key, value) in old.into_iter().flatten() {
            if let Some(slot) = self.find(key).and_then(|index| self.slots.get_mut(index)) {
                *slot = Some((key, value));
            }
        }
    }

    /// Every entry, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Gc<LoxString>, V)> + '_ {
        self.slots.iter().flatten().copied()
    }

    /// The bytes the table owns outside the object that holds it, as
    /// allocated.
    pub(crate) fn heap_bytes(&self) -> usize {
        allocation_size(self.slots.capacity() * mem::size_of::<Option<(Gc<LoxString>, V)>>())
    }
}

#[cfg(test)]
mod tests {
    use super::Table;
    use crate::{Vm, VmOptions};

    #[test]
    fn stores_and_replaces_values_while_growing() {
        let mut vm = Vm::new(VmOptions::default());
        let names: Vec<_> = (0..100)
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
        let mut found: Vec<usize> = table.iter().map(|(_, value)| value - 100).collect();
        found.sort_unstable();
        assert_eq!(found, (0..100).collect::<Vec<_>>());
    }
}
