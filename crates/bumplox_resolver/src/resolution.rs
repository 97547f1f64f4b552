//! `Resolution`: the resolver's side tables, indexed by the tree's node ids.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use bumplox_tree::NodeId;

/// How a variable use reaches its variable, or where a declaration puts it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Binding {
    /// Not resolved: the node was never visited (its code will not run).
    #[default]
    Unresolved,
    /// A global, looked up by name at run time.
    Global,
    /// A slot in the current function's stack window.
    Local(u8),
    /// An upvalue of the current closure.
    Upvalue(u8),
}

/// One upvalue a closure captures when it is created: a local slot of the
/// enclosing function, or one of the enclosing closure's own upvalues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upvalue {
    pub index: u8,
    pub is_local: bool,
}

/// Everything the resolver learned, kept beside the tree rather than in it, so
/// that the tree stays immutable and shared by every strategy.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    bindings: Vec<Binding>,
    captured: Vec<bool>,
    upvalues: HashMap<NodeId, Box<[Upvalue]>, BuildHasherDefault<IdHasher>>,
}

/// Hashes a [`NodeId`] with one multiplication. Ids are dense small integers
/// made by the parser, not input an attacker chooses freely, so the default
/// hasher's protection against crafted collisions buys nothing here, while
/// its cost showed in profiles of `bumplox check` (one insert per closure).
/// The multiplier spreads the bits to the top, where the table looks first.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0 ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Resolution {
    pub(crate) fn new(node_count: u32) -> Resolution {
        Resolution {
            bindings: vec![Binding::Unresolved; node_count as usize],
            captured: vec![false; node_count as usize],
            upvalues: HashMap::default(),
        }
    }

    pub(crate) fn bind(&mut self, id: NodeId, binding: Binding) {
        if let Some(slot) = self.bindings.get_mut(id.index()) {
            *slot = binding;
        }
    }

    pub(crate) fn mark_captured(&mut self, id: NodeId) {
        if let Some(flag) = self.captured.get_mut(id.index()) {
            *flag = true;
        }
    }

    pub(crate) fn set_upvalues(&mut self, function: NodeId, upvalues: Vec<Upvalue>) {
        if !upvalues.is_empty() {
            self.upvalues.insert(function, upvalues.into_boxed_slice());
        }
    }

    /// How the use or declaration `id` is bound.
    pub fn binding(&self, id: NodeId) -> Binding {
        self.bindings.get(id.index()).copied().unwrap_or_default()
    }

    /// Whether the local declared by `id` is captured by a closure, so leaving
    /// its scope must close an upvalue rather than just pop it. For the hidden
    /// `super` local of a class, `id` is the id of the superclass's name.
    pub fn is_captured(&self, id: NodeId) -> bool {
        self.captured.get(id.index()).copied().unwrap_or(false)
    }

    /// The upvalues a closure over function `id` captures, in index order.
    pub fn upvalues(&self, function: NodeId) -> &[Upvalue] {
        self.upvalues
            .get(&function)
            .map_or(&[], |upvalues| upvalues)
    }
}
