//! JSON streams into [`Tree`]s with byte spans.
//!
//! kubectl's `YAMLOrJSONDecoder` reads a stream that starts with `{` as a sequence of JSON
//! values decoded by Go's `encoding/json`; this reader follows that grammar and its error
//! messages, keeps every span, borrows strings without escapes, and nests without recursion
//! up to Go's own depth limit.

use std::borrow::Cow;

use super::document::{DocumentResult, SyntaxError};
use super::tree::{NodeId, Scalar, ScalarKind, ScalarStyle, Tree, TreeBuilder};
use crate::source::Span;

use crate::limits::JSON_MAX_DEPTH as MAX_DEPTH;

/// Parses every JSON value of the stream. `base` is the offset of `text` in its file.
pub(crate) fn parse_stream(text: &str, base: usize) -> Vec<DocumentResult<'_>> {
    let mut documents = Vec::new();
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        base,
    };
    loop {
        reader.skip_whitespace();
        if reader.pos >= reader.bytes.len() {
            break;
        }
        match reader.value() {
            Ok(tree) => documents.push(DocumentResult::Document(tree)),
            Err((offset, message)) => {
                documents.push(DocumentResult::Error(SyntaxError::new(
                    base + offset,
                    message,
                    base..base + text.len(),
                )));
                break;
            }
        }
    }
    documents
}

/// Parses exactly one JSON value (what `json.Unmarshal` accepts: anything but whitespace after
/// it is an error). Offsets are relative to `text`.
///
/// # Errors
/// The syntax error, with `encoding/json`'s message.
pub(crate) fn parse_value(text: &str) -> Result<Tree<'_>, SyntaxError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        base: 0,
    };
    let fail = |(offset, message): Failure| SyntaxError::new(offset, message, 0..text.len());
    reader.skip_whitespace();
    let tree = reader.value().map_err(fail)?;
    reader.skip_whitespace();
    if reader.pos < reader.bytes.len() {
        return Err(fail(
            reader.fail::<()>("after top-level value").unwrap_err(),
        ));
    }
    Ok(tree)
}

type Failure = (usize, String);

struct Reader<'src> {
    text: &'src str,
    bytes: &'src [u8],
    pos: usize,
    base: usize,
}

struct Open {
    object: bool,
    start: usize,
    children: usize,
}

impl<'src> Reader<'src> {
    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn fail<T>(&self, context: &str) -> Result<T, Failure> {
        match self.text[self.pos..].chars().next() {
            None => Err((self.pos, "unexpected end of JSON input".to_owned())),
            Some(c) => Err((
                self.pos,
                format!("invalid character {} {context}", quote_char(c)),
            )),
        }
    }

    /// One complete value.
    fn value(&mut self) -> Result<Tree<'src>, Failure> {
        let mut builder = TreeBuilder::default();
        let mut stack: Vec<Open> = Vec::new();
        let mut pending: Vec<NodeId> = Vec::new();
        'value: loop {
            self.skip_whitespace();
            let start = self.pos;
            let mut done = match self.bytes.get(self.pos) {
                Some(b'{' | b'[') => {
                    let object = self.bytes[self.pos] == b'{';
                    if stack.len() >= MAX_DEPTH {
                        return Err((self.pos, "exceeded max depth".to_owned()));
                    }
                    self.pos += 1;
                    stack.push(Open {
                        object,
                        start,
                        children: pending.len(),
                    });
                    self.skip_whitespace();
                    let close = if object { b'}' } else { b']' };
                    if self.bytes.get(self.pos) == Some(&close) {
                        self.pos += 1;
                        close_collection(
                            &mut builder,
                            &mut stack,
                            &mut pending,
                            self.span(start, self.pos),
                        )
                    } else if object {
                        self.key(&mut builder, &mut pending)?;
                        continue 'value;
                    } else {
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let (text, end) = self.string()?;
                    let scalar = Scalar {
                        text,
                        kind: ScalarKind::String,
                        style: ScalarStyle::DoubleQuoted,
                    };
                    builder.scalar(self.span(start, end), scalar)
                }
                Some(b't') => self.literal(&mut builder, "true", ScalarKind::Bool)?,
                Some(b'f') => self.literal(&mut builder, "false", ScalarKind::Bool)?,
                Some(b'n') => self.literal(&mut builder, "null", ScalarKind::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number(&mut builder)?,
                _ => return self.fail("looking for beginning of value"),
            };
            // A value is complete: attach it, closing every collection that ends here.
            loop {
                let Some(open) = stack.last() else {
                    return Ok(builder.finish(done));
                };
                pending.push(done);
                self.skip_whitespace();
                let (separator, close) = if open.object {
                    (b',', b'}')
                } else {
                    (b',', b']')
                };
                match self.bytes.get(self.pos) {
                    Some(&b) if b == separator => {
                        self.pos += 1;
                        if open.object {
                            self.key(&mut builder, &mut pending)?;
                        }
                        continue 'value;
                    }
                    Some(&b) if b == close => {
                        self.pos += 1;
                        let span = self.span(open.start, self.pos);
                        done = close_collection(&mut builder, &mut stack, &mut pending, span);
                    }
                    _ if open.object => return self.fail("after object key:value pair"),
                    _ => return self.fail("after array element"),
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(
        &mut self,
        builder: &mut TreeBuilder<'src>,
        pending: &mut Vec<NodeId>,
    ) -> Result<(), Failure> {
        self.skip_whitespace();
        if self.bytes.get(self.pos) != Some(&b'"') {
            return self.fail("looking for beginning of object key string");
        }
        let start = self.pos;
        let (text, end) = self.string()?;
        let key = Scalar {
            text,
            kind: ScalarKind::String,
            style: ScalarStyle::DoubleQuoted,
        };
        pending.push(builder.scalar(self.span(start, end), key));
        self.skip_whitespace();
        if self.bytes.get(self.pos) != Some(&b':') {
            return self.fail("after object key");
        }
        self.pos += 1;
        Ok(())
    }

    fn literal(
        &mut self,
        builder: &mut TreeBuilder<'src>,
        word: &'static str,
        kind: ScalarKind,
    ) -> Result<NodeId, Failure> {
        let start = self.pos;
        for expected in word.bytes() {
            if self.bytes.get(self.pos) != Some(&expected) {
                let context = format!(
                    "in literal {word} (expecting {})",
                    quote_char(expected as char)
                );
                return self.fail(&context);
            }
            self.pos += 1;
        }
        let scalar = Scalar {
            text: Cow::Borrowed(&self.text[start..self.pos]),
            kind,
            style: ScalarStyle::Plain,
        };
        Ok(builder.scalar(self.span(start, self.pos), scalar))
    }

    fn number(&mut self, builder: &mut TreeBuilder<'src>) -> Result<NodeId, Failure> {
        let start = self.pos;
        let digits = |this: &mut Self| {
            let from = this.pos;
            while matches!(this.bytes.get(this.pos), Some(b'0'..=b'9')) {
                this.pos += 1;
            }
            this.pos - from
        };
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return self.fail("in numeric literal"),
        }
        let mut kind = ScalarKind::Int;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return self.fail("after decimal point in numeric literal");
            }
            kind = ScalarKind::Float;
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return self.fail("in exponent of numeric literal");
            }
            kind = ScalarKind::Float;
        }
        let scalar = Scalar {
            text: Cow::Borrowed(&self.text[start..self.pos]),
            kind,
            style: ScalarStyle::Plain,
        };
        Ok(builder.scalar(self.span(start, self.pos), scalar))
    }

    /// A string literal at `self.pos` (an opening quote): its text and the end offset.
    fn string(&mut self) -> Result<(Cow<'src, str>, usize), Failure> {
        let content = self.pos + 1;
        let mut i = content;
        // Fast path: no escapes, borrow the source.
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok((Cow::Borrowed(&self.text[content..i]), self.pos));
                }
                b'\\' => break,
                0..=0x1f => {
                    self.pos = i;
                    return self.fail("in string literal");
                }
                _ => i += 1,
            }
        }
        let mut out = String::from(&self.text[content..i]);
        loop {
            let Some(&b) = self.bytes.get(i) else {
                self.pos = i;
                return self.fail("in string literal");
            };
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok((Cow::Owned(out), self.pos));
                }
                b'\\' => {
                    i += 1;
                    let escaped = match self.bytes.get(i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, next) = self.unicode_escape(i + 1)?;
                            out.push(c);
                            i = next;
                            continue;
                        }
                        _ => {
                            self.pos = i;
                            return self.fail("in string escape code");
                        }
                    };
                    out.push(escaped);
                    i += 1;
                }
                0..=0x1f => {
                    self.pos = i;
                    return self.fail("in string literal");
                }
                _ => {
                    let c = self.text[i..].chars().next().unwrap_or('\u{fffd}');
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    /// `XXXX` after `\u` at `at`, combining surrogate pairs; lone surrogates become U+FFFD.
    fn unicode_escape(&mut self, at: usize) -> Result<(char, usize), Failure> {
        let hex = |this: &mut Self, at: usize| -> Result<u32, Failure> {
            let mut value = 0;
            for i in at..at + 4 {
                match self_hex(this.bytes.get(i)) {
                    Some(d) => value = value * 16 + d,
                    None => {
                        this.pos = i;
                        return this.fail("in \\u hexadecimal character escape");
                    }
                }
            }
            Ok(value)
        };
        let first = hex(self, at)?;
        let mut next = at + 4;
        if (0xD800..0xDC00).contains(&first)
            && self.bytes.get(next..next + 2) == Some(b"\\u")
            && let Ok(second) = hex(self, next + 2)
            && (0xDC00..0xE000).contains(&second)
        {
            next += 6;
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return Ok((char::from_u32(combined).unwrap_or('\u{fffd}'), next));
        }
        Ok((char::from_u32(first).unwrap_or('\u{fffd}'), next))
    }
}

fn self_hex(b: Option<&u8>) -> Option<u32> {
    b.and_then(|&b| (b as char).to_digit(16))
}

fn close_collection<'src>(
    builder: &mut TreeBuilder<'src>,
    stack: &mut Vec<Open>,
    pending: &mut Vec<NodeId>,
    span: Span,
) -> NodeId {
    let Some(open) = stack.pop() else {
        unreachable!("a collection is open")
    };
    let children = &pending[open.children..];
    let id = if open.object {
        builder.mapping(span, children.chunks_exact(2).map(|p| (p[0], p[1])))
    } else {
        builder.sequence(span, children.iter().copied())
    };
    pending.truncate(open.children);
    id
}

/// How Go's `encoding/json` quotes a character in its messages.
fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".to_owned(),
        '"' => "'\"'".to_owned(),
        c if c.is_control() => format!("'{}'", c.escape_default()),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Tree<'_>, SyntaxError> {
        match parse_stream(text, 0).into_iter().next() {
            Some(DocumentResult::Document(tree)) => Ok(tree),
            Some(DocumentResult::Error(error)) => Err(error),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn objects_with_spans() {
        let text = r#"{"kind": "Pod", "spec": {"containers": [{"image": "nginx", "n": 1.5}]}}"#;
        let tree = one(text).unwrap();
        let spec = tree.get(tree.root(), "spec").unwrap();
        let containers = tree.get(spec, "containers").unwrap();
        let container = tree.items(containers)[0];
        let image = tree.get(container, "image").unwrap();
        assert_eq!(tree.span(image).slice(text), "\"nginx\"");
        assert_eq!(tree.str(image), Some("nginx"));
        let n = tree.get(container, "n").unwrap();
        assert_eq!(tree.scalar(n).unwrap().kind, ScalarKind::Float);
    }

    #[test]
    fn escapes() {
        let tree = one(r#"{"a": "x\"\u00e9\ud83d\ude00\n"}"#).unwrap();
        assert_eq!(
            tree.str(tree.get(tree.root(), "a").unwrap()),
            Some("x\"é😀\n")
        );
    }

    #[test]
    fn go_error_messages() {
        let error = |text| one(text).unwrap_err();
        assert_eq!(
            error("{\"a\" 1}").message,
            "invalid character '1' after object key"
        );
        assert_eq!(
            error("{\"a\": 1,}").message,
            "invalid character '}' looking for beginning of object key string"
        );
        assert_eq!(
            error("{\"a\": [1 2]}").message,
            "invalid character '2' after array element"
        );
        assert_eq!(
            error("{\"a\": tru}").message,
            "invalid character '}' in literal true (expecting 'e')"
        );
        assert_eq!(error("{\"a\": ").message, "unexpected end of JSON input");
        assert_eq!(error("{\"a\": 01}").offset, 7);
    }

    #[test]
    fn streams_of_values_and_deep_nesting() {
        let docs = parse_stream("{\"a\": 1}\n{\"b\": 2}", 0);
        assert_eq!(docs.len(), 2);
        let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(one(&deep).unwrap_err().message, "exceeded max depth");
        let ok = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        assert!(one(&ok).is_ok());
    }
}
