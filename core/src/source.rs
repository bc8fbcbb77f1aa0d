//! Positions in source text: byte spans inside, line and column only when rendering.

use std::fmt;
use std::ops::Range;

/// A half-open byte range `start..end` in some text.
///
/// Offsets are `u32`: imglint refuses inputs of 4 GiB or more long before they reach a span.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// # Panics
    /// In debug builds, if `start > end`.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end}");
        Self {
            start: to_u32(start),
            end: to_u32(end),
        }
    }

    /// An empty span at `offset`.
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    pub const fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub const fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// This span moved `by` bytes to the right: a span inside a value becomes a span in the file.
    pub fn shifted(self, by: usize) -> Self {
        Self::new(self.start as usize + by, self.end as usize + by)
    }

    /// The text this span covers in `text`.
    ///
    /// # Panics
    /// If the span is not on character boundaries of `text`.
    pub fn slice(self, text: &str) -> &str {
        &text[self.range()]
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Self::new(range.start, range.end)
    }
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}
