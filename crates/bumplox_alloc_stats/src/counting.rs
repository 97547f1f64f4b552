//! `CountingAllocator`: counts what passes through a global allocator.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};

/// What was allocated between [`Counter::start`] and [`Counter::stop`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Calls that asked for memory: `alloc`, `alloc_zeroed` and `realloc`.
    pub calls: u64,
    /// Calls that gave memory back (`dealloc`).
    pub frees: u64,
    /// Bytes asked for: the sizes passed to `alloc`, plus what each `realloc`
    /// grew by.
    pub bytes: u64,
    /// The most bytes live at once, counted from zero at `start`: memory
    /// allocated before `start` and freed after it makes the count go down.
    pub peak: u64,
    /// Bytes live at the end, counted the same way (may be negative).
    pub live: i64,
}

/// Switching counting on and off and reading it, for code that is handed a
/// counting allocator without knowing what it wraps.
pub trait Counter {
    /// Zeroes the counts and starts counting.
    fn start(&self);
    /// Stops counting and returns the counts.
    fn stop(&self) -> Snapshot;
}

/// Wraps a global allocator `A` and counts calls and bytes while switched on.
///
/// Switched off (the default) it costs one relaxed atomic load per call, so a
/// binary can keep it installed for normal runs. Switched on it adds a few
/// relaxed atomic additions per call, which is why timed runs keep it off and
/// counts come from separate runs. The counts are process-wide: every thread's
/// allocations are counted.
pub struct CountingAllocator<A> {
    inner: A,
    on: AtomicBool,
    calls: AtomicU64,
    frees: AtomicU64,
    bytes: AtomicU64,
    live: AtomicI64,
    peak: AtomicI64,
}

impl<A> CountingAllocator<A> {
    pub const fn new(inner: A) -> CountingAllocator<A> {
        CountingAllocator {
            inner,
            on: AtomicBool::new(false),
            calls: AtomicU64::new(0),
            frees: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            live: AtomicI64::new(0),
            peak: AtomicI64::new(0),
        }
    }

    fn grew(&self, by: i64) {
        let live = self.live.fetch_add(by, Relaxed) + by;
        self.peak.fetch_max(live, Relaxed);
    }

    fn record_alloc(&self, size: usize) {
        if !self.on.load(Relaxed) {
            return;
        }
        self.calls.fetch_add(1, Relaxed);
        self.bytes.fetch_add(size as u64, Relaxed);
        self.grew(size as i64);
    }
}

impl<A> Counter for CountingAllocator<A> {
    fn start(&self) {
        self.on.store(false, Relaxed);
        self.calls.store(0, Relaxed);
        self.frees.store(0, Relaxed);
        self.bytes.store(0, Relaxed);
        self.live.store(0, Relaxed);
        self.peak.store(0, Relaxed);
        self.on.store(true, Relaxed);
    }

    fn stop(&self) -> Snapshot {
        self.on.store(false, Relaxed);
        Snapshot {
            calls: self.calls.load(Relaxed),
            frees: self.frees.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
            peak: self.peak.load(Relaxed).max(0) as u64,
            live: self.live.load(Relaxed),
        }
    }
}

// SAFETY: every method forwards to `inner` with the caller's arguments
// unchanged and returns its result, so `inner`'s guarantees carry over; the
// counting around the calls touches only atomics and never allocates.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAllocator<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.record_alloc(layout.size());
        // SAFETY: the caller upholds `alloc`'s contract for `layout`.
        unsafe { self.inner.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.record_alloc(layout.size());
        // SAFETY: the caller upholds `alloc_zeroed`'s contract for `layout`.
        unsafe { self.inner.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if self.on.load(Relaxed) {
            self.frees.fetch_add(1, Relaxed);
            self.live.fetch_sub(layout.size() as i64, Relaxed);
        }
        // SAFETY: the caller passes a block this allocator (so `inner`)
        // returned, with the layout it was allocated with.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if self.on.load(Relaxed) {
            self.calls.fetch_add(1, Relaxed);
            let growth = new_size as i64 - layout.size() as i64;
            self.bytes.fetch_add(growth.max(0) as u64, Relaxed);
            self.grew(growth);
        }
        // SAFETY: the caller upholds `realloc`'s contract for `ptr`, `layout`
        // and `new_size`.
        unsafe { self.inner.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout, System};

    use super::{Counter, CountingAllocator};

    #[test]
    fn counts_calls_bytes_and_the_peak_only_while_on() {
        let counting = CountingAllocator::new(System);
        let layout = Layout::from_size_align(100, 8).unwrap();
        // SAFETY: each block is freed once, with the layout it was allocated with.
        unsafe {
            let before = counting.alloc(layout);
            counting.start();
            let a = counting.alloc(layout);
            let b = counting.alloc_zeroed(layout);
            counting.dealloc(a, layout);
            let b = counting.realloc(b, layout, 300);
            counting.dealloc(before, layout);
            let snapshot = counting.stop();
            counting.dealloc(b, Layout::from_size_align(300, 8).unwrap());
            assert_eq!(snapshot.calls, 3);
            assert_eq!(snapshot.frees, 2);
            assert_eq!(snapshot.bytes, 400);
            assert_eq!(snapshot.peak, 300);
            assert_eq!(snapshot.live, 200);
        }
        assert_eq!(counting.stop().calls, 3, "nothing is counted while off");
    }
}
