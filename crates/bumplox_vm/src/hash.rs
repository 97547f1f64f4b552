//! Fast hashers for the VM's tables: keys are interned-string pointers or short
//! strings, so neither needs SipHash's protection against crafted keys.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` keyed by object pointers.
pub(crate) type PtrMap<K, V> = HashMap<K, V, BuildHasherDefault<PtrHasher>>;

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

/// Hashes one pointer-sized word: object addresses are unique, so a good mix of
/// the address is all a key needs.
#[derive(Default)]
pub(crate) struct PtrHasher {
    hash: u64,
}

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.hash
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.hash = fold_multiply(self.hash ^ value);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
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

    use super::{PtrHasher, StrHasher};

    #[test]
    fn aligned_addresses_spread_over_low_bits() {
        let build = BuildHasherDefault::<PtrHasher>::default();
        let buckets: std::collections::HashSet<u64> = (0..64usize)
            .map(|index| build.hash_one(0x1000 + index * 64) & 63)
            .collect();
        assert!(buckets.len() > 32, "only {} of 64 buckets used", buckets.len());
    }

    #[test]
    fn equal_strings_hash_equally() {
        let build = BuildHasherDefault::<StrHasher>::default();
        assert_eq!(build.hash_one("init"), build.hash_one(String::from("init")));
        assert_ne!(build.hash_one("init"), build.hash_one("tini"));
    }
}
