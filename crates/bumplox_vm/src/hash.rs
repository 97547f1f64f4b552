//! A fast hasher for the interning table: its keys are the short strings of a
//! program, which need no SipHash protection against crafted keys.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashSet` of string-like keys.
pub(crate) type StrSet<K> = HashSet<K, BuildHasherDefault<StrHasher>>;

/// The multiplier of the folded multiply, from the golden ratio.
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

/// Multiplies to 128 bits and folds the halves together, so that every input bit
/// reaches both the low bits (which pick the bucket) and the high bits (which the
/// table keeps as a tag).
fn fold_multiply(value: u64) -> u64 {
    let product = u128::from(value) * u128::from(MULTIPLIER);
    (product as u64) ^ ((product >> 64) as u64)
}

/// FNV-1a over the bytes, with a final mix so that the high bits are as good as
/// the low ones.
pub(crate) struct StrHasher {
    hash: u64,
}

impl Default for StrHasher {
    fn default() -> Self {
        StrHasher {
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }
}

impl Hasher for StrHasher {
    fn finish(&self) -> u64 {
        fold_multiply(self.hash)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.hash = (self.hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};

    use super::StrHasher;

    #[test]
    fn equal_strings_hash_equally() {
        let build = BuildHasherDefault::<StrHasher>::default();
        assert_eq!(build.hash_one("init"), build.hash_one(String::from("init")));
        assert_ne!(build.hash_one("init"), build.hash_one("tini"));
    }
}
