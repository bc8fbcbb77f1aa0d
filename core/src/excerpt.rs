//! The lines a code frame shows, bounded whatever the input.
//!
//! A frame shows the lines around its spans. Drawn from the whole text, a frame costs time in
//! the size of everything before it (so a file with many findings costs its size times their
//! number), and a long line (a megabyte of minified JSON, a huge image string) is printed whole
//! in every frame on it. An [`Excerpt`] is only the lines a frame needs, each line longer than
//! [`MAX_LINE`] characters cut to windows of [`CONTEXT`] characters around the ends of the
//! spans on it, `…` marking what is left out; control characters (escape sequences a terminal
//! would obey) are shown as `?` (C1 controls as `¿`) and a lone `\r` as a line break. Spans map
//! into it with [`Excerpt::span`].

use crate::source::{LineIndex, Span};

pub use crate::limits::{LINE_CONTEXT as CONTEXT, MAX_LINE};

/// What stands for the characters left out of a cut line.
const ELLIPSIS: &str = "…";

/// Some lines of a text, long lines cut (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// 0-based number, in the source text, of the excerpt's first line.
    pub first_line: usize,
    /// Byte offset in the source text where the excerpt starts.
    pub offset: usize,
    /// The pieces of the source kept verbatim, in order: source start, source end, start in
    /// `text`. What lies between two pieces was cut and is one `…` in `text`.
    pieces: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    /// The lines of `text` from `context_lines` before the first span's line to
    /// `context_lines` after the last span's line. `lines` is `text`'s line index.
    pub fn new(text: &str, lines: &LineIndex, spans: &[Span], context_lines: usize) -> Self {
        let clamp = |offset: u32| floor_boundary(text, (offset as usize).min(text.len()));
        let points: Vec<(usize, usize)> = spans
            .iter()
            .map(|span| (clamp(span.start), clamp(span.end.max(span.start))))
            .collect();
        let low = points.iter().map(|&(start, _)| start).min().unwrap_or(0);
        let high = points.iter().map(|&(_, end)| end).max().unwrap_or(0);
        let last_line = lines.line_count().saturating_sub(1);
        let first = lines
            .line_of(crate::source::to_u32(low))
            .saturating_sub(context_lines);
        let last = (lines.line_of(crate::source::to_u32(high)) + context_lines).min(last_line);
        let line_start = |line: usize| (lines.line_start(line) as usize).min(text.len());
        let mut excerpt = Self {
            text: String::new(),
            first_line: first,
            offset: line_start(first),
            pieces: Vec::new(),
        };
        for line in first..=last {
            let start = line_start(line);
            let end = if line < last_line {
                line_start(line + 1)
            } else {
                text.len()
            };
            let content = text[start..end].trim_end_matches(['\n', '\r']);
            let content_end = start + content.len();
            let long = content.len() > MAX_LINE && content.chars().nth(MAX_LINE).is_some();
            if !long {
                excerpt.keep(text, start, end);
                continue;
            }
            // Windows around every span end on this line (a line inside a multi-line span, or
            // a context line, shows its start).
            let mut at: Vec<usize> = points
                .iter()
                .flat_map(|&(s, e)| [s, e])
                .filter(|&p| (start..=content_end).contains(&p))
                .collect();
            if at.is_empty() {
                at.push(start);
            }
            at.sort_unstable();
            let mut windows: Vec<(usize, usize)> = Vec::new();
            for p in at {
                let window = (back(text, start, p), forward(text, p, content_end));
                match windows.last_mut() {
                    Some(last) if window.0 <= last.1 => last.1 = last.1.max(window.1),
                    _ => windows.push(window),
                }
            }
            let mut cursor = start;
            for (from, to) in windows {
                if from > cursor {
                    excerpt.text.push_str(ELLIPSIS);
                }
                excerpt.keep(text, from, to);
                cursor = to;
            }
            if cursor < content_end {
                excerpt.text.push_str(ELLIPSIS);
            }
            excerpt.keep(text, content_end, end);
        }
        excerpt
    }

    /// Copies `text[start..end]` with every character a terminal would obey replaced by one
    /// of the same length in bytes, so offsets inside the piece stay the same: C0 controls
    /// (but tab and line breaks) and DEL become `?`, C1 controls (two bytes) `¿`, and a lone
    /// `\r` (an old Mac line break, which [`LineIndex`] counts) becomes `\n`, so that the
    /// frame shows the lines the line numbers count.
    fn keep(&mut self, text: &str, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let at = self.text.len();
        let piece = &text[start..end];
        // C1 controls are U+0080..=U+009F, UTF-8 `C2 80`..=`C2 9F`.
        if piece
            .bytes()
            .any(|b| (b < b' ' && !matches!(b, b'\t' | b'\n')) || b == 0x7f || b == 0xc2)
        {
            let bytes = text.as_bytes();
            self.text.extend(piece.char_indices().map(|(i, c)| match c {
                '\t' | '\n' => c,
                '\r' if bytes.get(start + i + 1) == Some(&b'\n') => c,
                '\r' => '\n',
                '\u{80}'..='\u{9f}' => '¿',
                c if c.is_ascii_control() => '?',
                c => c,
            }));
        } else {
            self.text.push_str(piece);
        }
        self.pieces.push((start, end, at));
    }

    /// Masks what the sorted, disjoint `spans` of the source cover with `*`, line breaks kept
    /// (the renderers' masking of Secret values, `FileAnalysis::masked_text`, done on the
    /// excerpt: masking the source first would copy all of its long lines). Only the spans
    /// that reach the excerpt are visited, found by binary search: a file of 160,000 Secrets
    /// has a snippet and a redaction per Secret, and visiting them all made it quadratic.
    pub fn mask(&mut self, spans: &[Span]) {
        let (Some(&(first, ..)), Some(&(_, last, _))) = (self.pieces.first(), self.pieces.last())
        else {
            return;
        };
        let from = spans.partition_point(|span| (span.end as usize) <= first);
        let to = from + spans[from..].partition_point(|span| (span.start as usize) < last);
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        for span in &spans[from..to] {
            let (start, end) = (span.start as usize, span.end as usize);
            let (from, to) = (self.position(start.max(first)), self.position(end));
            for byte in &mut bytes[from..to.max(from)] {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b'*';
                }
            }
        }
        // Whole bytes become ASCII, so what was UTF-8 stays UTF-8.
        self.text = String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    }

    /// Where a source offset is in `text`; an offset that was cut out is at its `…`.
    pub fn position(&self, offset: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|&(start, _, _)| start <= offset);
        let Some(&(start, end, at)) = index.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return 0;
        };
        at + offset.min(end) - start
    }

    /// A source span in `text`.
    pub fn span(&self, span: Span) -> Span {
        let start = self.position(span.start as usize);
        Span::new(start, self.position(span.end as usize).max(start))
    }
}

/// The largest character boundary at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `CONTEXT` characters before `p`, not before `floor`.
fn back(text: &str, floor: usize, p: usize) -> usize {
    text[floor..p]
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(floor, |(i, _)| floor + i)
}

/// `CONTEXT` characters after `p`, not after `ceiling`.
fn forward(text: &str, p: usize, ceiling: usize) -> usize {
    text[p..ceiling]
        .char_indices()
        .nth(CONTEXT)
        .map_or(ceiling, |(i, _)| p + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str, spans: &[Span], context: usize) -> Excerpt {
        Excerpt::new(text, &LineIndex::new(text), spans, context)
    }

    #[test]
    fn short_lines_are_copied_as_they_are() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let span = Span::new(10, 14); // `c: 3`
        let cut = excerpt(text, &[span], 1);
        assert_eq!(cut.text, "b: 2\nc: 3\nd: 4\n");
        assert_eq!((cut.first_line, cut.offset), (1, 5));
        assert_eq!(cut.span(span).slice(&cut.text), "c: 3");
        // The last line, without a newline, and a span at the very end.
        let text = "a: 1\nb: 2";
        let cut = excerpt(text, &[Span::empty(text.len())], 1);
        assert_eq!(cut.text, text);
        assert_eq!(cut.position(text.len()), text.len());
    }

    #[test]
    fn long_lines_are_cut_around_the_spans() {
        let value = "a".repeat(1 << 20);
        let text = format!("kind: Pod\nimage: {value}B{value}\nnext: 1\n");
        let at = text.find('B').unwrap();
        let span = Span::new(at, at + 1);
        let cut = excerpt(&text, &[span], 1);
        assert!(cut.text.len() < 400, "{}", cut.text.len());
        assert!(cut.text.starts_with("kind: Pod\n…"), "{}", cut.text);
        assert!(cut.text.ends_with("…\nnext: 1\n"), "{}", cut.text);
        assert_eq!(cut.span(span).slice(&cut.text), "B");
        let line = cut.text.lines().nth(1).unwrap();
        assert_eq!(line.chars().count(), 2 * CONTEXT + 3);

        // A span over the whole value keeps both of its ends; its middle is one `…`.
        let value_span = Span::new(text.find("aaa").unwrap(), text.find("\nnext").unwrap());
        let cut = excerpt(&text, &[value_span], 1);
        let shown = cut.span(value_span).slice(&cut.text);
        assert!(shown.starts_with("aaaa") && shown.ends_with("aaaa"));
        assert_eq!(shown.matches('…').count(), 1, "{shown}");
        assert!(
            cut.text.contains("image: aaaa"),
            "the start of the line is in the window"
        );
    }

    #[test]
    fn windows_fall_on_character_boundaries() {
        let text = format!("x: {}\n", "é".repeat(1000));
        let span = Span::new(3 + 2 * 500, 3 + 2 * 501);
        let cut = excerpt(&text, &[span], 0);
        assert_eq!(cut.span(span).slice(&cut.text), "é");
        // An offset inside a character is taken back to its start.
        let cut = excerpt(&text, &[Span::empty(4)], 0);
        assert!(cut.text.starts_with("x: éé"));
    }

    #[test]
    fn control_characters_are_not_passed_to_the_terminal() {
        let text = "name: a\u{1b}[2Jb\u{0}c\tz\r\n";
        let cut = excerpt(text, &[Span::new(6, 12)], 0);
        assert_eq!(cut.text, "name: a?[2Jb?c\tz\r\n");
        assert_eq!(cut.span(Span::new(6, 12)).slice(&cut.text), "a?[2Jb");

        // Every C0 and C1 control, DEL: one printable character each, offsets kept.
        let controls: String = ('\u{0}'..='\u{1f}')
            .chain('\u{7f}'..='\u{9f}')
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let text = format!("a: \"{controls}é\"\nb: 1\n");
        let value = Span::new(3, text.find('\n').unwrap());
        let cut = excerpt(&text, &[value], 0);
        assert!(
            !cut.text.chars().any(|c| c.is_control() && c != '\n'),
            "{:?}",
            cut.text
        );
        assert_eq!(cut.text.len(), text.find("b:").unwrap());
        let shown = cut.span(value).slice(&cut.text);
        assert_eq!(
            shown.chars().count(),
            controls.chars().count() + 3,
            "{shown}"
        );
        assert!(shown.ends_with("¿¿é\""), "{shown}");
    }

    /// An old Mac file: each lone `\r` is a line break, shown as `\n`, so the frame has the
    /// lines [`LineIndex`] numbers; `\r\n` is left as it is.
    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        let text = "a: 1\rb: 2\rc: 3\rd: 4\r\ne: 5\r";
        let lines = LineIndex::new(text);
        let c = text.find('c').unwrap();
        let cut = Excerpt::new(text, &lines, &[Span::new(c, c + 4)], 1);
        assert_eq!(cut.text, "b: 2\nc: 3\nd: 4\r\n");
        assert_eq!(cut.first_line, 1);
        assert_eq!(cut.span(Span::new(c, c + 4)).slice(&cut.text), "c: 3");
        // The last line, cut: its `\r` is a break too.
        let long = format!("a: 1\rb: {}X\rc: 3", "y".repeat(1000));
        let x = long.find('X').unwrap();
        let cut = excerpt(&long, &[Span::new(x, x + 1)], 1);
        assert!(cut.text.starts_with("a: 1\n…"), "{}", cut.text);
        assert!(cut.text.ends_with("X\nc: 3"), "{}", cut.text);
        assert!(!cut.text.contains('\r'));
    }

    #[test]
    fn masking_covers_the_spans_and_keeps_line_breaks() {
        let value = "q".repeat(1000);
        let text = format!("a: 1\npassword: {value}\nname: x\n");
        let secret = Span::new(15, 15 + value.len());
        let mut cut = excerpt(&text, &[Span::new(text.len() - 2, text.len() - 1)], 1);
        cut.mask(&[Span::new(0, 2), secret]);
        assert!(!cut.text.contains('q'), "{}", cut.text);
        assert!(cut.text.starts_with("password: ***"), "{}", cut.text);
        assert!(cut.text.ends_with("\nname: x\n"), "{}", cut.text);
        // A mask over a cut-out part covers its `…` too, which stays valid UTF-8.
        assert!(!cut.text.contains('…'));
    }

    #[test]
    fn masking_finds_the_reaching_spans_among_many() {
        // One line per value; the excerpt shows lines 500 to 504 (the span's line and two
        // around it), and only the values on those lines are masked.
        let text: String = (0..1000)
            .map(|i| format!("k{i:04}: secret{i:04}\n"))
            .collect();
        let line = |i: usize| i * 18;
        let values: Vec<Span> = (0..1000)
            .map(|i| Span::new(line(i) + 7, line(i) + 17))
            .collect();
        let mut cut = excerpt(&text, &[Span::new(line(502), line(502) + 5)], 2);
        cut.mask(&values);
        assert_eq!(
            cut.text,
            (500..505)
                .map(|i| format!("k{i:04}: **********\n"))
                .collect::<String>()
        );
    }

    #[test]
    fn far_apart_spans_on_one_line_get_their_own_windows() {
        let text = format!(
            "{}X{}Y{}\n",
            "a".repeat(1000),
            "b".repeat(1000),
            "c".repeat(1000)
        );
        let (x, y) = (1000, 2001);
        let cut = excerpt(&text, &[Span::new(x, x + 1), Span::new(y, y + 1)], 0);
        assert_eq!(cut.text.matches('…').count(), 3, "{}", cut.text);
        assert_eq!(cut.span(Span::new(x, x + 1)).slice(&cut.text), "X");
        assert_eq!(cut.span(Span::new(y, y + 1)).slice(&cut.text), "Y");
    }
}
