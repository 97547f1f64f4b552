//! `Span`: a half-open byte range into one source file.

/// A half-open byte range `start..end` into a source file's text.
///
/// Offsets are `u32` rather than `usize` because tokens and tree nodes carry
/// spans by the million, and 8 bytes instead of 16 per span keeps them small;
/// `SourceFile` refuses inputs whose offsets would not fit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`, as used for the end-of-file token.
    pub const fn empty_at(offset: u32) -> Span {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Whether `at` falls in one of `spans`, which are in source order and do not
/// overlap (an empty span holds the one offset it starts at). Only the last
/// span starting at or before `at` can hold it, so this is a binary search.
pub fn in_sorted_spans(spans: &[Span], at: u32) -> bool {
    let after = spans.partition_point(|span| span.start <= at);
    match after.checked_sub(1).map(|index| spans[index]) {
        Some(span) => at < span.end.max(span.start + 1),
        None => false,
    }
}

#[cfg(test)]
mod sorted_spans_tests {
    use super::{in_sorted_spans, Span};

    #[test]
    fn finds_the_span_holding_an_offset() {
        let spans = [Span::new(2, 5), Span::new(7, 7), Span::new(9, 12)];
        let inside: Vec<u32> = (0..14).filter(|&at| in_sorted_spans(&spans, at)).collect();
        assert_eq!(inside, [2, 3, 4, 7, 9, 10, 11]);
        assert!(!in_sorted_spans(&[], 3));
    }
}
