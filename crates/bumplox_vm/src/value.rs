//! Lox values: `nil`, booleans, numbers and pointers to heap objects, NaN-boxed
//! into one word as in clox.
//!
//! A number is stored as its own bits. Every other value hides in the space of
//! quiet NaNs that arithmetic never produces: `nil`, `false` and `true` are
//! three small payloads, and an object is its address with the sign bit and the
//! quiet-NaN bits set. The word is kept as a raw pointer rather than an integer
//! so that an object's pointer keeps its provenance through the boxing.

use std::fmt;
use std::io::{self, Write};
use std::ptr::{self, NonNull};

use bumplox_bytecode::FunctionKind;

use crate::heap::{Gc, Header, HeapObject, ObjRef};
use crate::object::Function;
use bumplox_bytecode::format_number;

// The boxing packs a double and a pointer into one pointer-sized word.
const _: () = assert!(usize::BITS == 64);

const SIGN_BIT: usize = 1 << 63;
/// The exponent and the two top mantissa bits: a quiet NaN with the bit that
/// hardware never sets in the NaNs it makes.
const QUIET_NAN: usize = 0x7ffc_0000_0000_0000;
/// The bits that mark an object pointer. An address must have none of them set
/// to be boxed, which `Heap::insert` checks.
pub(crate) const OBJECT_TAG: usize = SIGN_BIT | QUIET_NAN;
const NIL: usize = QUIET_NAN | 1;
const FALSE: usize = QUIET_NAN | 2;
const TRUE: usize = QUIET_NAN | 3;
/// What a NaN that would look like a boxed value becomes, with its sign kept.
const CANONICAL_NAN: usize = 0x7ff8_0000_0000_0000;

/// A Lox value in one word.
#[derive(Clone, Copy)]
pub(crate) struct Value(*const u8);

/// A value taken apart, for code that handles several kinds at once.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Unpacked {
    Nil,
    Bool(bool),
    Number(f64),
    Object(ObjRef),
}

impl Value {
    pub(crate) const NIL: Value = Value(ptr::without_provenance(NIL));

    pub(crate) fn bool(value: bool) -> Value {
        Value(ptr::without_provenance(FALSE | usize::from(value)))
    }

    /// Boxes a number. The only doubles whose bits could pass for another kind
    /// of value are NaNs with a particular payload, which arithmetic never
    /// makes; should one arrive (from a constant, say), it is replaced by the
    /// ordinary NaN of the same sign, so no number is ever read as a pointer.
    #[inline(always)]
    pub(crate) fn number(number: f64) -> Value {
        let bits = number.to_bits() as usize;
        let bits = match bits & QUIET_NAN == QUIET_NAN {
            true => (bits & SIGN_BIT) | CANONICAL_NAN,
            false => bits,
        };
        Value(ptr::without_provenance(bits))
    }

    /// Boxes a pointer to an object.
    #[inline(always)]
    pub(crate) fn object<T: HeapObject>(object: Gc<T>) -> Value {
        let pointer = object.as_ptr().cast::<u8>();
        Value(pointer.map_addr(|address| address | OBJECT_TAG))
    }

    fn bits(self) -> usize {
        self.0.addr()
    }

    #[inline(always)]
    pub(crate) fn as_number(self) -> Option<f64> {
        match self.bits() & QUIET_NAN != QUIET_NAN {
            true => Some(f64::from_bits(self.bits() as u64)),
            false => None,
        }
    }

    /// `nil` and `false` are falsey; every other value is truthy.
    #[inline(always)]
    pub(crate) fn is_falsey(self) -> bool {
        self.bits() == NIL || self.bits() == FALSE
    }

    /// The header of the object this value points to, if it is one.
    #[inline(always)]
    fn header(self) -> Option<NonNull<Header>> {
        if self.bits() & OBJECT_TAG != OBJECT_TAG {
            return None;
        }
        let address = self.0.map_addr(|address| address & !OBJECT_TAG);
        NonNull::new(address.cast::<Header>().cast_mut())
    }

    /// The object this value points to, if it is one of type `T`.
    #[inline(always)]
    pub(crate) fn downcast<T: HeapObject>(self) -> Option<Gc<T>> {
        let header = self.header()?;
        // SAFETY: a boxed object pointer is made only by `Value::object` from
        // a live `Gc`, and values that Rust code reads are reachable from the
        // roots (or were allocated since the last collection), so the object
        // is still allocated; every object begins with its header (`GcBox` is
        // `repr(C)`), and the pointer carries the object's provenance.
        let kind = unsafe { header.as_ref() }.kind;
        match kind == T::KIND {
            // SAFETY: the header says the object is a `T`, so the allocation
            // it starts is a `GcBox<T>`.
            true => Some(unsafe { Gc::from_header(header) }),
            false => None,
        }
    }

    /// The object this value points to, whatever its type.
    pub(crate) fn as_object(self) -> Option<ObjRef> {
        let header = self.header()?;
        // SAFETY: as in `downcast`: the object is live and starts with its
        // header, which records its type.
        Some(unsafe { ObjRef::from_header(header) })
    }

    /// The value taken apart by kind.
    pub(crate) fn unpack(self) -> Unpacked {
        if let Some(number) = self.as_number() {
            return Unpacked::Number(number);
        }
        match self.bits() {
            NIL => Unpacked::Nil,
            FALSE => Unpacked::Bool(false),
            TRUE => Unpacked::Bool(true),
            _ => match self.as_object() {
                Some(object) => Unpacked::Object(object),
                None => Unpacked::Nil,
            },
        }
    }

    /// Lox's `==`: numbers by value (so `nan != nan`), everything else by
    /// identity, which for interned strings is equality of text.
    #[inline(always)]
    pub(crate) fn equals(self, other: Value) -> bool {
        match (self.as_number(), other.as_number()) {
            (Some(a), Some(b)) => a == b,
            _ => self.bits() == other.bits(),
        }
    }

    /// Writes the value as `print` shows it.
    pub(crate) fn write_to(self, out: &mut dyn Write) -> io::Result<()> {
        let object = match self.unpack() {
            Unpacked::Nil => return out.write_all(b"nil"),
            Unpacked::Bool(true) => return out.write_all(b"true"),
            Unpacked::Bool(false) => return out.write_all(b"false"),
            Unpacked::Number(number) => return out.write_all(format_number(number).as_bytes()),
            Unpacked::Object(object) => object,
        };
        match object {
            ObjRef::String(string) => out.write_all(string.as_str().as_bytes()),
            ObjRef::Function(function) => write_function(&function, out),
            ObjRef::Native(_) => out.write_all(b"<native fn>"),
            ObjRef::Closure(closure) => write_function(&closure.function, out),
            ObjRef::Class(class) => out.write_all(class.name.as_str().as_bytes()),
            ObjRef::Instance(instance) => {
                let name = instance.class.name;
                write!(out, "{} instance", name.as_str())
            }
            ObjRef::BoundMethod(bound) => write_function(&bound.method.function, out),
            // Upvalues are never values; printing one would be a VM bug.
            ObjRef::Upvalue(_) => out.write_all(b"<upvalue>"),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.unpack().fmt(f)
    }
}

fn write_function(function: &Function, out: &mut dyn Write) -> io::Result<()> {
    match (function.kind, function.name) {
        (FunctionKind::Script, _) | (_, None) => out.write_all(b"<script>"),
        (_, Some(name)) => write!(out, "<fn {}>", name.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Unpacked, Value};

    #[test]
    fn numbers_round_trip_and_stray_nans_stay_numbers() {
        for number in [0.0, -0.0, 1.5, f64::INFINITY, f64::NEG_INFINITY, f64::MAX] {
            let value = Value::number(number);
            assert_eq!(value.as_number().map(f64::to_bits), Some(number.to_bits()));
        }
        // A NaN with every payload bit set has the bits of a boxed object.
        for bits in [u64::MAX, 0x7fff_ffff_ffff_ffff, 0x7ffc_0000_0000_0001] {
            let value = Value::number(f64::from_bits(bits));
            let number = value.as_number();
            assert!(matches!(number, Some(number) if number.is_nan()));
            assert_eq!(number.map(f64::is_sign_negative), Some(bits >> 63 == 1));
            assert!(value.as_object().is_none());
        }
    }

    #[test]
    fn singletons_unpack_to_themselves() {
        assert!(matches!(Value::NIL.unpack(), Unpacked::Nil));
        assert!(matches!(Value::bool(true).unpack(), Unpacked::Bool(true)));
        assert!(matches!(Value::bool(false).unpack(), Unpacked::Bool(false)));
        assert!(Value::NIL.is_falsey() && Value::bool(false).is_falsey());
        assert!(!Value::bool(true).is_falsey() && !Value::number(0.0).is_falsey());
        assert!(Value::NIL.equals(Value::NIL));
        assert!(!Value::NIL.equals(Value::bool(false)));
        assert!(!Value::number(f64::NAN).equals(Value::number(f64::NAN)));
    }
}
