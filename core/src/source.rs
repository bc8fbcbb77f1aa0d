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

/// An offset as stored in spans; inputs of 4 GiB or more never reach one.
pub(crate) fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// A 1-based line and column; the column counts Unicode scalar values, as the JSON output says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    pub line: u32,
    pub column: u32,
}

/// Byte offsets of line starts, to turn offsets into lines and columns when rendering.
///
/// A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files), as YAML (and so go-yaml,
/// which kubectl reads with) breaks lines: a position is on the line where kubectl and the
/// code frames put it.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| to_u32(i + 1)),
        );
        Self { line_starts }
    }

    /// Number of lines (a trailing newline starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts.get(line).copied().unwrap_or(u32::MAX)
    }

    /// Line and column of `offset` in `text` (the text this index was built from).
    pub fn line_column(&self, text: &str, offset: u32) -> LineColumn {
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let before = text.get(start..end).unwrap_or_default();
        let column = if before.is_ascii() {
            before.len()
        } else {
            before.chars().count()
        };
        LineColumn {
            line: to_u32(line + 1),
            column: to_u32(column + 1),
        }
    }
}

/// UTF-8 with every byte that does not start a valid sequence replaced by U+FFFD, as Go does
/// (`utf8.DecodeRune` reports such a byte as `RuneError` of width 1: kubectl's file reader and
/// `encoding/json` both replace byte by byte), so one bad byte is one character.
pub fn go_lossy_utf8(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + 16);
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                // The prefix is valid by construction.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                text.push(char::REPLACEMENT_CHARACTER);
                bytes = &rest[1..];
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\nbé: x\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(
            index.line_column(text, 0),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 3),
            LineColumn { line: 1, column: 4 }
        );
        // "bé: x": `x` is byte 10 of the text, the 5th character of line 2.
        assert_eq!(
            index.line_column(text, 10),
            LineColumn { line: 2, column: 5 }
        );
        assert_eq!(
            index.line_column(text, 12),
            LineColumn { line: 3, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 13),
            LineColumn { line: 4, column: 1 }
        );
    }

    /// `\r\n` is one line break and a lone `\r` is one too, as in YAML and go-yaml.
    #[test]
    fn every_line_break_counts_once() {
        let at = |text: &str, offset: usize| {
            let index = LineIndex::new(text);
            let position = index.line_column(text, to_u32(offset));
            (index.line_count(), position.line, position.column)
        };
        let lf = "a: 1\nb: 2\nc: 3\n";
        let crlf = "a: 1\r\nb: 2\r\nc: 3\r\n";
        let cr = "a: 1\rb: 2\rc: 3\r";
        let mixed = "a: 1\rb: 2\r\nc: 3\n";
        for text in [lf, crlf, cr, mixed] {
            let c = text.find('c').unwrap();
            assert_eq!(at(text, c + 3), (4, 3, 4), "{text:?}");
            let b = text.find('b').unwrap();
            assert_eq!(at(text, b), (4, 2, 1), "{text:?}");
        }
        // The `\n` of a `\r\n` is at the end of its line, not the start of the next.
        assert_eq!(at(crlf, 5), (4, 1, 6));
        // Blank lines: `\r\r` is two breaks, `\n\r` too.
        assert_eq!(at("a\r\rb", 3), (3, 3, 1));
        assert_eq!(at("a\n\rb", 3), (3, 3, 1));
        assert_eq!(at("\r", 1), (2, 2, 1));
    }
}
