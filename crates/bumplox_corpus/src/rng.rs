//! A small deterministic random number generator (SplitMix64), so that a seed
//! gives the same corpus on every machine and with every Rust version.

/// SplitMix64: one 64-bit state, an add and a few multiply-xorshift steps per
/// number. Its output passes BigCrush, which is far more than a text generator
/// needs, and it has no dependency. Only integer arithmetic is used anywhere in
/// the generator, so no floating-point library can change a corpus.
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        // Mixing the seed first makes the small seeds people type (0, 1, 2)
        // start from unrelated states.
        let mut rng = Rng {
            state: seed ^ 0x6A09_E667_F3BC_C909,
        };
        rng.next_u64();
        rng
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by Lemire's multiply-shift, whose
    /// bias is far below anything a corpus could show.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        (((self.next_u64() >> 32) * n) >> 32) as usize
    }

    /// A number in `low..=high`.
    pub(crate) fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True `per_mille` times in a thousand.
    pub(crate) fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < per_mille as usize
    }

    /// One of `items`, uniformly; `items` must not be empty.
    pub(crate) fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given weights, or `None` when they are all zero.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
        let total: usize = weights.iter().map(|&weight| weight as usize).sum();
        if total == 0 {
            return None;
        }
        let mut ticket = self.below(total);
        for (index, &weight) in weights.iter().enumerate() {
            if ticket < weight as usize {
                return Some(index);
            }
            ticket -= weight as usize;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn below_stays_in_range_and_weighted_skips_zero_weights() {
        let mut rng = Rng::new(3);
        for n in 1..50 {
            assert!(rng.below(n) < n);
        }
        assert_eq!(rng.below(0), 0);
        for _ in 0..100 {
            assert_eq!(rng.weighted(&[0, 5, 0]), Some(1));
        }
        assert_eq!(rng.weighted(&[0, 0]), None);
    }
}
