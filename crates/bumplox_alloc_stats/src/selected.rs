//! `SelectedAllocator`: the system allocator or mimalloc, as the environment
//! says when the process makes its first allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::c_char;
use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

use mimalloc::MiMalloc;

/// The environment variable that picks the allocator: `mimalloc`, or anything
/// else (or nothing) for the system's.
pub const ALLOCATOR_VARIABLE: &str = "BUMPLOX_ALLOCATOR";
/// The same name, for C.
const VARIABLE_C: &[u8] = b"BUMPLOX_ALLOCATOR\0";

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
const MIMALLOC: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

extern "C" {
    // The C library's `getenv`: unlike `std::env::var`, it neither allocates
    // nor takes a lock, so it can run inside the allocator.
    fn getenv(name: *const c_char) -> *const c_char;
}

/// The system allocator or mimalloc, fixed for the whole process by
/// [`ALLOCATOR_VARIABLE`] at the first allocation. Because the choice is made
/// before anything is allocated and never changes, every block is freed by the
/// allocator that made it. `bumplox bench` runs itself again with the variable
/// set to measure the `box` strategy on mimalloc; a normal run pays one relaxed
/// atomic load per call.
pub struct SelectedAllocator;

impl SelectedAllocator {
    /// Whether this process allocates with mimalloc.
    pub fn is_mimalloc() -> bool {
        choice() == MIMALLOC
    }
}

fn choice() -> u8 {
    let choice = CHOICE.load(Relaxed);
    if choice != UNDECIDED {
        return choice;
    }
    // The first allocation happens on the main thread before any other
    // thread exists, so this runs once; were it to race, every racer would
    // read the same environment and store the same value.
    // SAFETY: `VARIABLE_C` ends with a NUL; `getenv` returns null or a
    // NUL-terminated string that stays valid while the environment is not
    // modified, and it is read at once.
    let chosen = unsafe {
        let value = getenv(VARIABLE_C.as_ptr().cast());
        match value.is_null() {
            true => SYSTEM,
            false => match std::ffi::CStr::from_ptr(value).to_bytes() {
                b"mimalloc" => MIMALLOC,
                _ => SYSTEM,
            },
        }
    };
    CHOICE.store(chosen, Relaxed);
    chosen
}

// SAFETY: every method forwards to one allocator, the same for the whole
// process (see `choice`), with the caller's arguments unchanged.
unsafe impl GlobalAlloc for SelectedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged under the caller's contract.
        unsafe {
            match choice() {
                MIMALLOC => MiMalloc.alloc(layout),
                _ => System.alloc(layout),
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged under the caller's contract.
        unsafe {
            match choice() {
                MIMALLOC => MiMalloc.alloc_zeroed(layout),
                _ => System.alloc_zeroed(layout),
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from the one chosen.
        unsafe {
            match choice() {
                MIMALLOC => MiMalloc.dealloc(ptr, layout),
                _ => System.dealloc(ptr, layout),
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator, so from the one chosen.
        unsafe {
            match choice() {
                MIMALLOC => MiMalloc.realloc(ptr, layout, new_size),
                _ => System.realloc(ptr, layout, new_size),
            }
        }
    }
}
