//! An instance's fields: values in the order their names were first assigned,
//! found by a position that the inline caches remember.

use std::cell::Cell;
use std::mem;

use crate::heap::{allocation_size, Gc};
use crate::object::LoxString;
use crate::table::{filter_bit, Table};
use crate::value::Value;

/// Up to this many fields a name is found by a scan of the entries; past it a
/// table of positions is built, so that an instance with thousands of fields
/// is not quadratic to fill.
const SCAN_MAX: usize = 8;

/// The fields of one instance.
///
/// Entries are never removed or reordered (Lox cannot delete a field), so a
/// field keeps its position for the life of the instance. Instances of one
/// class assign their fields in the same order almost always (in `init`), so
/// the position a `GetProperty` or `SetProperty` found last time is right
/// again: the cache is that position, and checking it is one compare of the
/// name stored there. A wrong position is only a miss, never a wrong answer,
/// so the cache needs no invalidation.
#[derive(Default)]
pub(crate) struct Fields {
    entries: Vec<(Gc<LoxString>, Value)>,
    /// The union of `filter_bit` of every name: a name whose bit is clear is
    /// certainly absent, which is how `Invoke` skips the fields quickly.
    filter: u64,
    /// Positions by name, once there are more than `SCAN_MAX` entries.
    positions: Option<Box<Table<u32>>>,
}

impl Fields {
    /// Fields with room for `capacity` entries before the first growth.
    pub(crate) fn with_capacity(capacity: usize) -> Fields {
        Fields {
            entries: Vec::with_capacity(capacity),
            filter: 0,
            positions: None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The position of `name`, if the instance has that field.
    #[inline]
    fn position(&self, name: Gc<LoxString>) -> Option<usize> {
        if self.filter & filter_bit(name) == 0 {
            return None;
        }
        match &self.positions {
            Some(positions) => positions.get(name).map(|position| position as usize),
            None => self.entries.iter().position(|&(key, _)| key == name),
        }
    }

    /// The value of field `name`.
    #[inline]
    pub(crate) fn get(&self, name: Gc<LoxString>) -> Option<Value> {
        let position = self.position(name)?;
        self.entries.get(position).map(|&(_, value)| value)
    }

    /// The value of field `name`, trying position `hint` first and leaving the
    /// position found there.
    #[inline(always)]
    pub(crate) fn get_cached(&self, name: Gc<LoxString>, hint: &Cell<u32>) -> Option<Value> {
        if let Some(&(key, value)) = self.entries.get(hint.get() as usize) {
            if key == name {
                return Some(value);
            }
        }
        let position = self.position(name)?;
        hint.set(position as u32);
        self.entries.get(position).map(|&(_, value)| value)
    }

    /// Stores `value` in field `name`, trying position `hint` first and leaving
    /// the position there; returns how many bytes the fields grew by, for the
    /// heap's accounting.
    #[inline]
    pub(crate) fn set_cached(
        &mut self,
        name: Gc<LoxString>,
        value: Value,
        hint: &Cell<u32>,
    ) -> usize {
        if let Some(entry) = self.entries.get_mut(hint.get() as usize) {
            if entry.0 == name {
                entry.1 = value;
                return 0;
            }
        }
        if let Some(position) = self.position(name) {
            hint.set(position as u32);
            if let Some(entry) = self.entries.get_mut(position) {
                entry.1 = value;
            }
            return 0;
        }
        let before = self.heap_bytes();
        let Ok(position) = u32::try_from(self.entries.len()) else {
            // Four billion fields cannot fit under any heap limit; the
            // accounting refuses them long before.
            return 0;
        };
        self.entries.push((name, value));
        self.filter |= filter_bit(name);
        hint.set(position);
        match &mut self.positions {
            Some(positions) => {
                positions.insert(name, position);
            }
            None if self.entries.len() > SCAN_MAX => self.index(),
            None => {}
        }
        self.heap_bytes().saturating_sub(before)
    }

    /// Builds the table of positions.
    #[cold]
    fn index(&mut self) {
        let mut positions = Table::default();
        for (position, &(name, _)) in self.entries.iter().enumerate() {
            positions.insert(name, position as u32);
        }
        self.positions = Some(Box::new(positions));
    }

    /// Every field with its name, in the order they were first assigned.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Gc<LoxString>, Value)> + '_ {
        self.entries.iter().copied()
    }

    /// The bytes the fields own outside the instance, as allocated.
    pub(crate) fn heap_bytes(&self) -> usize {
        let entries =
            allocation_size(self.entries.capacity() * mem::size_of::<(Gc<LoxString>, Value)>());
        let positions = match &self.positions {
            Some(positions) => {
                allocation_size(mem::size_of::<Table<u32>>()) + positions.heap_bytes()
            }
            None => 0,
        };
        entries + positions
    }
}
