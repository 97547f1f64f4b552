//! The virtual machine's state and its public entry points.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bumplox_bytecode::{FunctionKind, FunctionProto};

use crate::error::{Fault, RuntimeError, TraceFrame};
use crate::heap::{Gc, Heap, HeapObject, HeapStats};
use crate::intern::Interner;
use crate::natives;
use crate::object::{Closure, Function, LoxString, Upvalue};
use crate::value::Value;

/// How a [`Vm`] runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmOptions {
    /// Collect garbage at every allocation, to flush out objects that are not
    /// rooted while they are still in use.
    pub gc_stress: bool,
    /// The most bytes the heap may hold; allocating past it is the runtime error
    /// `Out of memory.`.
    pub max_heap_bytes: usize,
    /// The deepest the call stack may go; calling past it is the runtime error
    /// `Stack overflow.`.
    pub max_frames: usize,
    /// An upper bound on the bytes of bytecode one [`Vm::run`] may execute;
    /// past it the run stops with `Instruction limit exceeded.`. Code runs
    /// straight through until it loops back or calls, so the VM charges the
    /// script's length when it starts, a function's length when it is
    /// called and a loop body's length when the loop jumps back: the total
    /// charged is at least what ran, at no cost per instruction. String
    /// concatenation is charged for the length it copies, too. This bounds
    /// the time any program takes (the fuzzer needs every input to end).
    /// `None` means no limit.
    pub max_instructions: Option<u64>,
}

impl Default for VmOptions {
    fn default() -> Self {
        VmOptions {
            gc_stress: false,
            max_heap_bytes: 4 * 1024 * 1024 * 1024,
            max_frames: 1024,
            max_instructions: None,
        }
    }
}

/// One active call: the closure running, where it is in its code, and where its
/// slots start on the stack (slot 0 holds the callee or the receiver).
pub(crate) struct CallFrame {
    pub(crate) closure: Gc<Closure>,
    /// The offset of the next byte to execute. The dispatch loop keeps the
    /// current frame's copy in a local and writes it back here before anything
    /// that reads it: a call, or building an error trace.
    pub(crate) ip: usize,
    pub(crate) base: usize,
}

/// A Lox virtual machine: a value stack, call frames, globals and a
/// garbage-collected heap. Globals persist from one [`Vm::run`] to the next.
pub struct Vm {
    pub(crate) heap: Heap,
    pub(crate) stack: Vec<Value>,
    pub(crate) frames: Vec<CallFrame>,
    /// Upvalues still pointing into the stack, sorted by slot, so that a capture
    /// finds an existing one and a return closes those above its base.
    pub(crate) open_upvalues: Vec<Gc<Upvalue>>,
    /// Every global variable with its name; see `globals.rs`.
    pub(crate) globals: Vec<(Gc<LoxString>, Value)>,
    pub(crate) strings: Interner,
    /// The interned name `init`, looked up whenever a class is called.
    pub(crate) init_string: Gc<LoxString>,
    /// Counts the changes to any class's method table; an inline cache filled
    /// under another epoch is stale (see [`crate::object::MethodCache`]).
    pub(crate) method_epoch: u32,
    pub(crate) max_frames: usize,
    pub(crate) max_instructions: Option<u64>,
    /// What is left of this run's instruction budget; `u64::MAX` without a limit.
    pub(crate) instructions_left: u64,
    /// Set from outside (the REPL's Ctrl-C handler) to stop the running
    /// program at its next loop jump or call, where the budget is charged.
    pub(crate) interrupt: Option<Arc<AtomicBool>>,
    /// Counts the calls of [`Vm::run`], so that a function knows which run
    /// loaded it and an error reports spans only into the running source.
    pub(crate) run_id: u32,
}

/// The stack slots reserved for each frame the VM allows: a function's locals
/// and temporaries fit in this many, except in code nesting expressions
/// hundreds deep.
const SLOTS_PER_FRAME: usize = 256;

/// The most slots the stack may have, whatever `max_frames` says (16 Mi
/// values, 256 MiB), so that a huge frame limit does not reserve absurd memory.
const MAX_STACK: usize = 1 << 24;

impl Vm {
    pub fn new(options: VmOptions) -> Vm {
        natives::start_clock();
        // The VM's own objects (the `init` name, the natives) are allocated
        // before the heap limit applies, so that creating a VM cannot fail.
        let mut heap = Heap::new(options.gc_stress, usize::MAX);
        let init = LoxString::new("init".into());
        let size = init.heap_size();
        // Inserting directly skips the collector, which could not run yet:
        // `init_string` is not rooted until the VM exists.
        let Some(init_string) = heap.insert(init, size) else {
            // An allocator that hands out addresses above 2^50 cannot back
            // this VM at all (values could not point to objects).
            panic!("the allocator returned an address too high for NaN boxing");
        };
        let mut strings = Interner::default();
        strings.insert(init_string);
        let mut vm = Vm {
            heap,
            stack: Vec::with_capacity(
                options
                    .max_frames
                    .saturating_mul(SLOTS_PER_FRAME)
                    .clamp(SLOTS_PER_FRAME, MAX_STACK),
            ),
            frames: Vec::with_capacity(options.max_frames.min(1024)),
            open_upvalues: Vec::new(),
            globals: Vec::new(),
            strings,
            init_string,
            method_epoch: 0,
            max_frames: options.max_frames,
            max_instructions: options.max_instructions,
            instructions_left: u64::MAX,
            interrupt: None,
            run_id: 0,
        };
        for native in natives::NATIVES {
            // With no heap limit yet, the only failure is running out of real
            // memory, which aborts before returning; a failure here would only
            // leave the native undefined.
            let _defined = vm.define_native(native.name, native.arity, native.function);
        }
        vm.reset();
        vm.heap.set_max_bytes(options.max_heap_bytes);
        vm
    }

    /// Runs a compiled top-level script, writing what it prints to `out`.
    ///
    /// After an error the VM is ready for another script: its stack and frames
    /// are reset and its globals kept, as the REPL needs.
    pub fn run(&mut self, script: &FunctionProto, out: &mut dyn Write) -> Result<(), RuntimeError> {
        self.start_run();
        self.run_one(script.clone(), out)
    }

    /// Runs the scripts compiled from consecutive pieces of one source file,
    /// one after the other, as one program: one instruction budget, one run
    /// (so a runtime error's trace keeps the spans of functions any piece
    /// declared), and the first runtime error ends it. Each script's code and
    /// tables move into the heap's function objects as it is loaded, so the
    /// program's bytecode is held once and never copied.
    pub fn run_pieces(
        &mut self,
        scripts: Vec<FunctionProto>,
        out: &mut dyn Write,
    ) -> Result<(), RuntimeError> {
        self.start_run();
        for script in scripts {
            self.run_one(script, out)?;
        }
        Ok(())
    }

    /// Readies the VM for a new run.
    fn start_run(&mut self) {
        self.reset();
        self.run_id = self.run_id.wrapping_add(1);
        self.instructions_left = self.max_instructions.unwrap_or(u64::MAX);
        if let Some(flag) = &self.interrupt {
            flag.store(false, Ordering::Relaxed);
        }
    }

    /// Loads and runs one script in the current run.
    fn run_one(&mut self, script: FunctionProto, out: &mut dyn Write) -> Result<(), RuntimeError> {
        if let Err(fault) = self.charge(script.chunk.code.len()) {
            return Err(self.runtime_error(fault));
        }
        match self.load(script) {
            Ok(()) => {}
            Err(fault) => return Err(self.runtime_error(fault)),
        }
        self.execute(out)
    }

    /// Stops any run once `flag` is set: the run ends with the runtime error
    /// `Interrupted.` at its next loop jump or call (straight-line code always
    /// ends soon), and the flag is cleared when the next run starts. The flag
    /// is polled where the instruction budget is charged, so a program that
    /// never sets it pays one load per loop iteration or call.
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    /// Takes `bytes` of code about to run from the instruction budget, and
    /// stops the run if it was interrupted.
    #[inline]
    pub(crate) fn charge(&mut self, bytes: usize) -> Result<(), Fault> {
        if let Some(flag) = &self.interrupt {
            if flag.load(Ordering::Relaxed) {
                return Err(Fault::Interrupted);
            }
        }
        match self.instructions_left.checked_sub(bytes as u64) {
            Some(left) => {
                self.instructions_left = left;
                Ok(())
            }
            None => Err(Fault::InstructionLimit),
        }
    }

    /// Pushes `value`, or fails with `Stack overflow.` when the stack is full.
    ///
    /// The stack never grows past the capacity it was created with: a push
    /// then never reallocates, which keeps the hot path free of calls (and of
    /// the register spills around them), and a program nesting expressions
    /// deeper than its frames allow gets the same error as deep recursion.
    #[inline(always)]
    pub(crate) fn push(&mut self, value: Value) -> Result<(), Fault> {
        if self.stack.len() >= self.stack.capacity() {
            return Err(Fault::StackOverflow);
        }
        self.stack.push(value);
        Ok(())
    }

    /// The value `distance` slots below the top of the stack.
    #[inline(always)]
    pub(crate) fn peek(&self, distance: usize) -> Option<Value> {
        let index = self.stack.len().checked_sub(distance + 1)?;
        self.stack.get(index).copied()
    }

    /// The heap's current counters.
    pub fn heap_stats(&self) -> HeapStats {
        self.heap.stats()
    }

    /// Builds the error for `fault` with a trace of the active frames, then
    /// resets the stack and frames. The caller must have stored the current
    /// frame's instruction pointer into it.
    #[cold]
    #[inline(never)]
    pub(crate) fn runtime_error(&mut self, fault: Fault) -> RuntimeError {
        let mut trace: Vec<TraceFrame> = Vec::with_capacity(self.frames.len());
        // The frame before, by function and `ip`: a deep recursion repeats one
        // frame a thousand times, and finding a span decodes its function's
        // span table, so an equal frame reuses the one before.
        let mut previous: Option<(Gc<Function>, usize)> = None;
        for frame in self.frames.iter().rev() {
            let function = frame.closure.function;
            if let (Some(last), Some(before)) = (trace.last(), previous) {
                if before == (function, frame.ip) {
                    trace.push(last.clone());
                    continue;
                }
            }
            previous = Some((function, frame.ip));
            // `ip` is past the instruction that was executing; any byte of
            // it carries its line and span, so the one just before `ip` does.
            let executing = frame.ip.saturating_sub(1);
            let line = function.chunk.line_at(executing);
            let span = match function.run_id == self.run_id {
                true => function.chunk.span_at(executing),
                false => None,
            };
            let name = match (function.kind, function.name) {
                (FunctionKind::Script, _) | (_, None) => None,
                (_, Some(name)) => Some(name.as_str().to_owned()),
            };
            trace.push(TraceFrame {
                line,
                function: name,
                span,
            });
        }
        // The label describes values the fault holds, which the stack keeps
        // alive until the reset.
        let error = RuntimeError {
            message: fault.to_string(),
            label: fault.label(),
            trace,
        };
        self.reset();
        error
    }

    /// Empties the stack, the frames and the open upvalues; globals stay.
    pub(crate) fn reset(&mut self) {
        self.stack.clear();
        self.frames.clear();
        self.open_upvalues.clear();
    }
}
