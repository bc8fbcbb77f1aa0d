//! Scanning the scalar styles: block (`|`, `>`), quoted (`'`, `"`) and plain, by go-yaml v2's
//! algorithm (`yaml_parser_scan_block_scalar`, `yaml_parser_scan_flow_scalar`,
//! `yaml_parser_scan_plain_scalar`).
//!
//! Quoted and plain scalars ignore indentation inside their text, except that a plain scalar
//! ends at a line indented no deeper than its collection (and a tab may not indent its
//! continuation lines): a quoted scalar continued on a line at any indentation is one scalar.

use std::borrow::Cow;

use super::chars::{self, is_blank};
use super::scanner::{Breaks, Scanner};
use super::token::{Problem, ScalarStyle, Token, TokenKind};

/// A scalar's value while it is scanned: a stretch of the text for as long as it is one (a
/// plain or quoted scalar on one line without escapes), else owned.
struct Value<'src> {
    text: &'src str,
    stretch: Option<(usize, usize)>,
    owned: Option<String>,
}

impl<'src> Value<'src> {
    fn new(text: &'src str) -> Self {
        Self {
            text,
            stretch: None,
            owned: None,
        }
    }

    /// Appends the text's bytes `from..to`.
    fn push_text(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        match (&mut self.owned, &mut self.stretch) {
            (Some(owned), _) => owned.push_str(&self.text[from..to]),
            (None, None) => self.stretch = Some((from, to)),
            (None, Some((_, end))) if *end == from => *end = to,
            (None, Some(_)) => {
                let text = self.text;
                self.owned().push_str(&text[from..to]);
            }
        }
    }

    /// Appends text that is not the source's (an escape, a folded line break).
    fn push_str(&mut self, text: &str) {
        if !text.is_empty() {
            self.owned().push_str(text);
        }
    }

    /// Appends `breaks` folded and empties them: a single break becomes a space, more keep all
    /// but the first (the join of quoted and plain scalars' lines).
    fn push_folded(&mut self, breaks: &mut Breaks) {
        if breaks.leading.starts_with('\n') {
            if breaks.trailing.is_empty() {
                self.push_str(" ");
            } else {
                self.push_str(&breaks.trailing);
            }
        } else {
            self.push_str(&breaks.leading);
            self.push_str(&breaks.trailing);
        }
        breaks.clear();
    }

    fn owned(&mut self) -> &mut String {
        let (text, stretch) = (self.text, self.stretch);
        self.owned.get_or_insert_with(|| {
            let mut owned = String::with_capacity(64);
            if let Some((from, to)) = stretch {
                owned.push_str(&text[from..to]);
            }
            owned
        })
    }

    fn finish(self) -> Cow<'src, str> {
        match (self.owned, self.stretch) {
            (Some(owned), _) => Cow::Owned(owned),
            (None, Some((from, to))) => Cow::Borrowed(&self.text[from..to]),
            (None, None) => Cow::Borrowed(""),
        }
    }
}

impl<'src> Scanner<'src> {
    /// Skips characters for as long as none of them is in `stop` (bytes that may end a run:
    /// C2 and E2 only when they start a line break).
    pub(super) fn skip_run(&mut self, stop: &[bool; 256]) {
        let bytes = self.bytes;
        let mut at = self.pos;
        while let Some(&byte) = bytes.get(at) {
            if stop[byte as usize]
                && !(matches!(byte, 0xc2 | 0xe2) && chars::break_len(bytes, at) == 0)
            {
                break;
            }
            at += 1;
        }
        self.pos = at;
    }

    /// `|` or `>`, its indicators, then its lines (`yaml_parser_scan_block_scalar`). The
    /// token spans the indicator to the end of the last line of content.
    pub(super) fn scan_block_scalar(&mut self, literal: bool) -> Result<Token<'src>, Problem> {
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        let token = self.block_scalar(literal, &mut breaks);
        self.breaks = breaks;
        token
    }

    fn block_scalar(&mut self, literal: bool, breaks: &mut Breaks) -> Result<Token<'src>, Problem> {
        const CONTEXT: &str = "while scanning a block scalar";
        let start = self.pos;
        self.pos += 1;
        // Chomping: -1 strips the final line break, 0 keeps it, 1 keeps trailing empty lines.
        let mut chomping = 0;
        let mut increment = 0;
        let chomp = |byte| match byte {
            b'+' => Some(1),
            b'-' => Some(-1),
            _ => None,
        };
        if let Some(chomp) = chomp(self.at(0)) {
            chomping = chomp;
            self.pos += 1;
            if self.at(0).is_ascii_digit() {
                if self.at(0) == b'0' {
                    return Err(self.error(CONTEXT, "found an indentation indicator equal to 0"));
                }
                increment = usize::from(self.at(0) - b'0');
                self.pos += 1;
            }
        } else if self.at(0).is_ascii_digit() {
            if self.at(0) == b'0' {
                return Err(self.error(CONTEXT, "found an indentation indicator equal to 0"));
            }
            increment = usize::from(self.at(0) - b'0');
            self.pos += 1;
            if let Some(chomp) = chomp(self.at(0)) {
                chomping = chomp;
                self.pos += 1;
            }
        }
        let header_end = self.pos;
        self.finish_line(CONTEXT)?;

        let mut indent = match (increment, self.indent) {
            (0, _) => 0,
            (increment, parent) if parent >= 0 => parent as usize + increment,
            (increment, _) => increment,
        };
        let mut value = String::new();
        let Breaks {
            leading: leading_break,
            trailing: trailing_breaks,
        } = breaks;
        self.scan_block_scalar_breaks(&mut indent, trailing_breaks)?;
        let mut end = header_end;
        let mut leading_blank = false;
        while self.column() == indent && self.at(0) != 0 {
            // A line of content.
            let trailing_blank = is_blank(self.at(0));
            if !literal && !leading_blank && !trailing_blank && leading_break.starts_with('\n') {
                // Folded: lines join with a space, unless empty lines separate them.
                if trailing_breaks.is_empty() {
                    value.push(' ');
                }
            } else {
                value.push_str(leading_break);
            }
            leading_break.clear();
            value.push_str(trailing_breaks);
            trailing_breaks.clear();
            leading_blank = is_blank(self.at(0));
            let from = self.pos;
            self.skip_to_break();
            value.push_str(&self.text[from..self.pos]);
            end = self.pos;
            self.read_line(leading_break);
            self.scan_block_scalar_breaks(&mut indent, trailing_breaks)?;
        }
        if chomping != -1 {
            value.push_str(leading_break);
        }
        if chomping == 1 {
            value.push_str(trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar {
                value: Cow::Owned(value),
                style,
            },
            start,
            end,
        })
    }

    /// Indentation and empty lines before a line of a block scalar; the first non-empty line
    /// sets the indentation when no indicator did (`yaml_parser_scan_block_scalar_breaks`).
    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut String,
    ) -> Result<(), Problem> {
        let mut max_indent = 0;
        loop {
            let mut column = self.column();
            while (*indent == 0 || column < *indent) && self.at(0) == b' ' {
                self.pos += 1;
                column += 1;
            }
            max_indent = max_indent.max(column);
            if (*indent == 0 || column < *indent) && self.at(0) == b'\t' {
                return Err(self.error(
                    "while scanning a block scalar",
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !self.is_break(0) {
                break;
            }
            self.read_line(breaks);
        }
        if *indent == 0 {
            let below = usize::try_from(self.indent + 1).unwrap_or(0);
            *indent = max_indent.max(below).max(1);
        }
        Ok(())
    }

    /// A single- or double-quoted scalar (`yaml_parser_scan_flow_scalar`): lines fold, at any
    /// indentation; only a document marker at the start of a line, or the end, stops it.
    pub(super) fn scan_quoted_scalar(&mut self, single: bool) -> Result<Token<'src>, Problem> {
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        let token = self.quoted_scalar(single, &mut breaks);
        self.breaks = breaks;
        token
    }

    fn quoted_scalar(&mut self, single: bool, breaks: &mut Breaks) -> Result<Token<'src>, Problem> {
        const CONTEXT: &str = "while scanning a quoted scalar";
        let start = self.pos;
        self.pos += 1;
        let (quote, stop) = if single {
            (b'\'', &chars::SINGLE_QUOTED_STOP)
        } else {
            (b'"', &chars::DOUBLE_QUOTED_STOP)
        };
        let mut value = Value::new(self.text);
        loop {
            if self.at_document_indicator() {
                return Err(self.error(CONTEXT, "found unexpected document indicator"));
            }
            if self.at(0) == 0 {
                return Err(self.error(CONTEXT, "found unexpected end of stream"));
            }
            // Characters up to a blank, a line break, or the closing quote.
            let mut leading_blanks = false;
            while !self.is_blankz(0) {
                match self.at(0) {
                    b'\'' if single && self.at(1) == b'\'' => {
                        value.push_str("'");
                        self.pos += 2;
                    }
                    byte if byte == quote => break,
                    b'\\' if !single && self.is_break(1) => {
                        // An escaped line break: the lines join without a space.
                        self.pos += 1;
                        self.skip_line();
                        leading_blanks = true;
                        break;
                    }
                    b'\\' if !single => self.scan_escape(&mut value)?,
                    _ => {
                        let from = self.pos;
                        self.skip();
                        self.skip_run(stop);
                        value.push_text(from, self.pos);
                    }
                }
            }
            if self.at(0) == quote {
                break;
            }
            // Blanks and line breaks.
            let blanks_start = self.pos;
            let mut blanks_end = self.pos;
            loop {
                if is_blank(self.at(0)) {
                    self.pos += 1;
                    if !leading_blanks {
                        blanks_end = self.pos;
                    }
                } else if self.is_break(0) {
                    if leading_blanks {
                        self.read_line(&mut breaks.trailing);
                    } else {
                        blanks_end = blanks_start;
                        self.read_line(&mut breaks.leading);
                        leading_blanks = true;
                    }
                } else {
                    break;
                }
            }
            if leading_blanks {
                value.push_folded(breaks);
            } else {
                value.push_text(blanks_start, blanks_end);
            }
        }
        self.pos += 1;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(Token {
            kind: TokenKind::Scalar {
                value: value.finish(),
                style,
            },
            start,
            end: self.pos,
        })
    }

    /// A `\` escape in a double-quoted scalar. YAML 1.1's set: no `\/`.
    fn scan_escape(&mut self, value: &mut Value<'_>) -> Result<(), Problem> {
        const CONTEXT: &str = "while parsing a quoted scalar";
        let simple = match self.at(1) {
            b'0' => "\0",
            b'a' => "\x07",
            b'b' => "\x08",
            b't' | b'\t' => "\t",
            b'n' => "\n",
            b'v' => "\x0b",
            b'f' => "\x0c",
            b'r' => "\r",
            b'e' => "\x1b",
            b' ' => " ",
            b'"' => "\"",
            b'\'' => "'",
            b'\\' => "\\",
            b'N' => "\u{85}",
            b'_' => "\u{a0}",
            b'L' => "\u{2028}",
            b'P' => "\u{2029}",
            b'x' | b'u' | b'U' => "",
            _ => return Err(self.error(CONTEXT, "found unknown escape character")),
        };
        let digits = match self.at(1) {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => 0,
        };
        self.pos += 2;
        if digits == 0 {
            value.push_str(simple);
            return Ok(());
        }
        let mut code = 0u32;
        for k in 0..digits {
            match chars::hex_value(self.at(k)) {
                Some(digit) => code = code << 4 | digit,
                None => {
                    return Err(self.error(CONTEXT, "did not find expected hexdecimal number"));
                }
            }
        }
        let Some(character) = char::from_u32(code) else {
            return Err(self.error(CONTEXT, "found invalid Unicode character escape code"));
        };
        value.push_str(character.encode_utf8(&mut [0; 4]));
        self.pos += digits;
        Ok(())
    }

    /// A plain scalar (`yaml_parser_scan_plain_scalar`): it ends before `: `, a comment, a
    /// document marker, (in flow) `,?[]{}`, or a line indented no deeper than its collection.
    pub(super) fn scan_plain_scalar(&mut self) -> Result<Token<'src>, Problem> {
        let mut breaks = std::mem::take(&mut self.breaks);
        breaks.clear();
        let token = self.plain_scalar(&mut breaks);
        self.breaks = breaks;
        token
    }

    fn plain_scalar(&mut self, breaks: &mut Breaks) -> Result<Token<'src>, Problem> {
        let indent = self.indent + 1;
        let flow = self.flow_level > 0;
        let stop = if flow {
            &chars::PLAIN_FLOW_STOP
        } else {
            &chars::PLAIN_BLOCK_STOP
        };
        let start = self.pos;
        let mut end = self.pos;
        let mut value = Value::new(self.text);
        let mut leading_blanks = false;
        // Blanks between words on one line, kept only if another word follows.
        let mut blanks = (0, 0);
        loop {
            if self.at_document_indicator() || self.at(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let byte = self.at(0);
                if (byte == b':' && self.is_blankz(1))
                    || (flow && matches!(byte, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                if leading_blanks {
                    value.push_folded(breaks);
                    leading_blanks = false;
                } else if blanks.0 != blanks.1 {
                    value.push_text(blanks.0, blanks.1);
                    blanks = (0, 0);
                }
                // This character, then any that cannot end the scalar.
                let from = self.pos;
                self.skip();
                loop {
                    self.skip_run(stop);
                    // go-yaml v2 ends a plain scalar at `:` only before a blank, in flow too.
                    if self.at(0) == b':' && !self.is_blankz(1) {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                value.push_text(from, self.pos);
                end = self.pos;
            }
            if !(is_blank(self.at(0)) || self.is_break(0)) {
                break;
            }
            loop {
                let byte = self.at(0);
                if is_blank(byte) {
                    if leading_blanks && byte == b'\t' && (self.column() as isize) < indent {
                        return Err(self.error(
                            "while scanning a plain scalar",
                            "found a tab character that violates indentation",
                        ));
                    }
                    // Spaces come in runs (indentation): one step for the run.
                    let run = if byte == b' ' {
                        self.bytes[self.pos..]
                            .iter()
                            .take_while(|&&b| b == b' ')
                            .count()
                    } else {
                        1
                    };
                    if !leading_blanks {
                        if blanks.0 == blanks.1 {
                            blanks.0 = self.pos;
                        }
                        blanks.1 = self.pos + run;
                    }
                    self.advance_ascii(self.pos + run);
                } else if self.is_break(0) {
                    if leading_blanks {
                        self.read_line(&mut breaks.trailing);
                    } else {
                        blanks = (0, 0);
                        self.read_line(&mut breaks.leading);
                        leading_blanks = true;
                    }
                } else {
                    break;
                }
            }
            if !flow && (self.column() as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token {
            kind: TokenKind::Scalar {
                value: value.finish(),
                style: ScalarStyle::Plain,
            },
            start,
            end,
        })
    }
}
