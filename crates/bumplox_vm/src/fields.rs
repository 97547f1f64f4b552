//! An instance's fields: values in the order their names were first assigned,
//! found by a position that the inline caches remember.

use std::alloc::Layout;
use std::cell::Cell;
use std::mem;
use std::ptr::{self, NonNull};
use std::slice;

use crate::heap::{allocation_size, Gc, Pools};
use crate::object::LoxString;
use crate::table::{filter_bit, Table};
use crate::value::Value;

/// Up to this many fields a name is found by a scan of the entries; past it a
/// table of positions is built, so that an instance with thousands of fields
/// is not quadratic to fill.
const SCAN_MAX: usize = 8;

/// One field: its name and value.
type Entry = (Gc<LoxString>, Value);

/// The fields of one instance.
///
/// Entries are never removed or reordered (Lox cannot delete a field), so a
/// field keeps its position for the life of the instance. Instances of one
/// class assign their fields in the same order almost always (in `init`), so
/// the position a `GetProperty` or `SetProperty` found last time is right
/// again: the cache is that position, and checking it is one compare of the
/// name stored there. A wrong position is only a miss, never a wrong answer,
/// so the cache needs no invalidation.
///
/// The entries live in a block from the heap's pools, like the instance
/// itself, so making and freeing an instance never calls the system
/// allocator. The block is given back by `release`, which the sweep calls
/// when it frees the instance (`ObjRef::free`); fields dropped without it
/// (an instance whose allocation failed) leave their block unused until the
/// heap drops its pages.
pub(crate) struct Fields {
    /// `capacity` entries' worth of memory from the pools, of which the first
    /// `len` are initialized; dangling while `capacity` is 0.
    entries: NonNull<Entry>,
    len: u32,
    capacity: u32,
    /// The union of `filter_bit` of every name: a name whose bit is clear is
    /// certainly absent, which is how `Invoke` skips the fields quickly.
    filter: u64,
    /// Positions by name, once there are more than `SCAN_MAX` entries.
    positions: Option<Box<Table<u32>>>,
}

/// The layout of a block of `capacity` entries.
fn block_layout(capacity: u32) -> Layout {
    match Layout::array::<Entry>(capacity as usize) {
        Ok(layout) => layout,
        // Fewer than 2^32 entries of 16 bytes always fit in a layout.
        Err(_) => unreachable!("a block of u32 entries is a valid layout"),
    }
}

impl Fields {
    /// Fields with room for `capacity` entries before the first growth.
    pub(crate) fn with_capacity(capacity: usize, pools: &mut Pools) -> Fields {
        let capacity = u32::try_from(capacity).unwrap_or(u32::MAX);
        let entries = match capacity {
            0 => NonNull::dangling(),
            _ => pools.allocate(block_layout(capacity)).cast(),
        };
        Fields {
            entries,
            len: 0,
            capacity,
            filter: 0,
            positions: None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// The initialized entries.
    #[inline(always)]
    fn entries(&self) -> &[Entry] {
        // SAFETY: `entries` points to a block of `capacity >= len` entries
        // (or dangles, aligned, with `len` 0), the first `len` initialized,
        // owned by these fields until `release`, after which `len` is 0.
        unsafe { slice::from_raw_parts(self.entries.as_ptr(), self.len as usize) }
    }

    #[inline(always)]
    fn entries_mut(&mut self) -> &mut [Entry] {
        // SAFETY: as in `entries`; `&mut self` makes the access unique.
        unsafe { slice::from_raw_parts_mut(self.entries.as_ptr(), self.len as usize) }
    }

    /// The position of `name`, if the instance has that field.
    #[inline]
    fn position(&self, name: Gc<LoxString>) -> Option<usize> {
        if self.filter & filter_bit(name) == 0 {
            return None;
        }
        match &self.positions {
            Some(positions) => positions.get(name).map(|position| position as usize),
            None => self.entries().iter().position(|&(key, _)| key == name),
        }
    }

    /// The value of field `name`.
    #[inline]
    pub(crate) fn get(&self, name: Gc<LoxString>) -> Option<Value> {
        let position = self.position(name)?;
        self.entries().get(position).map(|&(_, value)| value)
    }

    /// The value of field `name`, trying position `hint` first and leaving the
    /// position found there.
    #[inline(always)]
    pub(crate) fn get_cached(&self, name: Gc<LoxString>, hint: &Cell<u32>) -> Option<Value> {
        if let Some(&(key, value)) = self.entries().get(hint.get() as usize) {
            if key == name {
                return Some(value);
            }
        }
        let position = self.position(name)?;
        hint.set(position as u32);
        self.entries().get(position).map(|&(_, value)| value)
    }

    /// Stores `value` in field `name`, trying position `hint` first and leaving
    /// the position there; returns how many bytes the fields grew by, for the
    /// heap's accounting. A new field's entry may need a larger block from
    /// `pools`.
    #[inline]
    pub(crate) fn set_cached(
        &mut self,
        name: Gc<LoxString>,
        value: Value,
        hint: &Cell<u32>,
        pools: &mut Pools,
    ) -> usize {
        if let Some(entry) = self.entries_mut().get_mut(hint.get() as usize) {
            if entry.0 == name {
                entry.1 = value;
                return 0;
            }
        }
        if let Some(position) = self.position(name) {
            hint.set(position as u32);
            if let Some(entry) = self.entries_mut().get_mut(position) {
                entry.1 = value;
            }
            return 0;
        }
        let before = self.heap_bytes();
        if self.len == self.capacity && !self.grow(pools) {
            // Four billion fields cannot fit under any heap limit; the
            // accounting refuses them long before.
            return 0;
        }
        let position = self.len;
        // SAFETY: `len < capacity` (grown above if needed), so entry `len` is
        // inside the block, and not initialized yet.
        unsafe {
            self.entries
                .as_ptr()
                .add(position as usize)
                .write((name, value))
        };
        self.len += 1;
        self.filter |= filter_bit(name);
        hint.set(position);
        let many = self.len() > SCAN_MAX;
        match &mut self.positions {
            Some(positions) => {
                positions.insert(name, position);
            }
            None if many => self.index(),
            None => {}
        }
        self.heap_bytes().saturating_sub(before)
    }

    /// Moves the entries to a block twice as large (at least 4 entries), or
    /// returns `false` if the capacity cannot grow.
    fn grow(&mut self, pools: &mut Pools) -> bool {
        let Some(capacity) = self.capacity.checked_mul(2).map(|capacity| capacity.max(4)) else {
            return false;
        };
        let block = pools.allocate(block_layout(capacity)).cast::<Entry>();
        // SAFETY: the new block holds `capacity > len` entries and is not
        // the old one; the old one's first `len` entries are initialized.
        unsafe {
            ptr::copy_nonoverlapping(self.entries.as_ptr(), block.as_ptr(), self.len as usize)
        };
        self.release_block(pools);
        self.entries = block;
        self.capacity = capacity;
        true
    }

    /// Gives the block back to `pools`, without touching `len`.
    fn release_block(&mut self, pools: &mut Pools) {
        if self.capacity == 0 {
            return;
        }
        // SAFETY: a non-zero capacity means `entries` came from
        // `pools.allocate(block_layout(capacity))` and was not released yet;
        // the fields forget it right below.
        unsafe { pools.release(self.entries.cast(), block_layout(self.capacity)) };
        self.entries = NonNull::dangling();
        self.capacity = 0;
    }

    /// Gives the entries' block back to `pools` and forgets every field.
    /// The pools must be the ones the block came from.
    pub(crate) fn release(&mut self, pools: &mut Pools) {
        self.release_block(pools);
        self.len = 0;
    }

    /// Builds the table of positions.
    #[cold]
    fn index(&mut self) {
        let mut positions = Table::default();
        for (position, &(name, _)) in self.entries().iter().enumerate() {
            positions.insert(name, position as u32);
        }
        self.positions = Some(Box::new(positions));
    }

    /// Every field with its name, in the order they were first assigned.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Gc<LoxString>, Value)> + '_ {
        self.entries().iter().copied()
    }

    /// The bytes the fields own outside the instance, as allocated.
    pub(crate) fn heap_bytes(&self) -> usize {
        let entries = allocation_size(self.capacity as usize * mem::size_of::<Entry>());
        let positions = match &self.positions {
            Some(positions) => {
                allocation_size(mem::size_of::<Table<u32>>()) + positions.heap_bytes()
            }
            None => 0,
        };
        entries + positions
    }
}
