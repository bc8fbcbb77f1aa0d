//! YAML streams into [`Tree`]s, one per document, with byte spans in the file.
//!
//! The stream is split as kubectl splits it ([`super::stream`]: at lines starting with
//! `---`) and each piece is parsed on its own, so a syntax error costs only its own document.
//! Scalars are decoded as go-yaml v2 decodes them for kubectl (`scalar.rs`: YAML 1.1 words,
//! explicit tags, JSON's spelling of keys).
//!
//! The scanner ([`scanner`], [`scalars`]) and the parser ([`parser`]) are imglint's own and
//! follow the algorithm of go-yaml v2, the YAML reader kubectl decodes manifests with
//! (`sigs.k8s.io/yaml` vendors it as `goyaml.v2`), which is a Go port of libyaml: both are
//! MIT-licensed, (c) 2006-2010 Kirill Simonov and (c) 2011-2019 Canonical Ltd. Following it step
//! by step is what makes imglint accept exactly the documents kubectl accepts, refuse the
//! others with go-yaml's message (`did not find expected key`), and point where go-yaml points.
//! The comments name the Go function each part mirrors.
//!
//! Like go-yaml's decoder (`yaml.Unmarshal`), a piece is read up to the end of its first
//! document: what follows it is never scanned.

#[cfg(test)]
mod cases;
mod chars;
mod parser;
mod scalars;
mod scanner;
mod tags;
mod token;

use std::borrow::Cow;
use std::collections::HashMap;

use parser::{EventKind, Parser, Properties};
use token::ScalarStyle as YamlStyle;

use super::scalar::{ScalarTag, decode, json_key};
use super::stream::{Piece, split_documents};
use super::tree::{NodeId, Scalar, ScalarKind, ScalarStyle, Tree, TreeBuilder, Value};
use crate::limits::{ALIAS_RATIO_HIGH_DECODES, ALIAS_RATIO_LOW_DECODES, MAX_INPUT_BYTES};
use crate::manifest::document::{DocumentResult, SyntaxError};
use crate::source::Span;

/// Parses every document of a YAML stream. `base` is the offset of `text` in its file.
pub(crate) fn parse_stream(text: &str, base: usize) -> Vec<DocumentResult<'_>> {
    let mut reader = PieceReader::new();
    split_documents(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Document(range) => reader.read(&text[range.clone()], base + range.start),
            Piece::BadSeparator(at) => {
                let line_end = memchr::memchr(b'\n', &text.as_bytes()[at..])
                    .map_or(text.len(), |end| at + end);
                DocumentResult::Error(SyntaxError::new(
                    base + at,
                    "invalid document separator: only white space or a comment may follow `---` on its line".to_owned(),
                    base + at - 3..base + line_end,
                ))
            }
        })
        .collect()
}

/// An open collection while its children are being built.
struct Frame<'src> {
    mapping: bool,
    /// `[ ]` and `{ }` span their brackets; other collections span their children.
    bracketed: bool,
    start: usize,
    anchor: Option<&'src str>,
    /// Identifies the frame in `Builder::anchors` while it is open.
    serial: u32,
    /// Where this collection's children start in `Builder::pending`.
    children: usize,
    /// Where the first child starts and the last one ends, in the text (an alias's own span,
    /// not its target's).
    first_start: Option<usize>,
    last_end: usize,
}

/// What an anchor names: a node, or a collection still open (an alias to it would contain
/// itself).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchored {
    Node(NodeId),
    Open(u32),
}

/// An error go-yaml's decoder finds once the document is parsed (`invalid map key`, a merge
/// of a scalar, an alias inside its own anchor): where its walk meets it, where it points, and
/// its message. A syntax error anywhere in the document comes first.
struct DecodeError {
    walk: usize,
    offset: usize,
    message: String,
}

impl DecodeError {
    /// Keeps in `first` the error go-yaml's walk (`decoder.unmarshal`, in document order)
    /// meets first; `walk` is where it meets this one.
    fn keep_first(first: &mut Option<Self>, walk: usize, offset: usize, message: String) {
        if first.as_ref().is_none_or(|known| walk < known.walk) {
            *first = Some(Self {
                walk,
                offset,
                message,
            });
        }
    }
}

/// Builds one document from events, tracking what alias expansion would cost.
struct Builder<'src> {
    /// The piece of the file being parsed.
    chunk: &'src str,
    tree: TreeBuilder<'src>,
    frames: Vec<Frame<'src>>,
    frames_opened: u32,
    pending: Vec<NodeId>,
    anchors: HashMap<&'src str, Anchored>,
    /// Positions in `pending` that hold an alias, with the size of what it expands to.
    alias_children: Vec<(usize, u64)>,
    /// Per node: how many nodes decoding it visits (aliases expanded), and how many of those
    /// come from alias expansion. Saturating: a bomb only has to be big, not exact.
    decodes: Vec<(u64, u64)>,
    /// Per node: the bytes of scalar text decoding it yields (aliases expanded), saturating.
    text_bytes: Vec<u64>,
    root: Option<NodeId>,
    /// The decode error go-yaml's walk meets first, if any.
    decode_error: Option<DecodeError>,
    /// Nodes decoded so far in document order, and how many of them alias expansion added:
    /// go-yaml's `decodeCount` and `aliasCount` as its walk would have them here.
    walked: (u64, u64),
}

impl<'src> Builder<'src> {
    fn new() -> Self {
        Self {
            chunk: "",
            tree: TreeBuilder::default(),
            frames: Vec::with_capacity(16),
            frames_opened: 0,
            pending: Vec::with_capacity(64),
            anchors: HashMap::new(),
            alias_children: Vec::new(),
            decodes: Vec::new(),
            text_bytes: Vec::new(),
            root: None,
            decode_error: None,
            walked: (0, 0),
        }
    }

    /// Starts a document of `chunk`, keeping the buffers of the previous one but its tree.
    fn reset(&mut self, chunk: &'src str) {
        // Manifests hold about one node per 16 bytes: reserving that much up front saves the
        // vectors' repeated growth (a few percent of a run); past 64k nodes growth is cheap.
        let nodes = (chunk.len() / 16).clamp(16, 1 << 16);
        self.chunk = chunk;
        self.tree = TreeBuilder::with_capacity(nodes, nodes / 2, nodes / 4);
        self.frames.clear();
        self.frames_opened = 0;
        self.pending.clear();
        self.anchors.clear();
        self.alias_children.clear();
        self.decodes.clear();
        self.decodes.reserve(nodes);
        self.text_bytes.clear();
        self.text_bytes.reserve(nodes);
        self.root = None;
        self.decode_error = None;
        self.walked = (0, 0);
    }

    /// A child of the innermost open collection (or the root), written at `span`.
    fn add_child(&mut self, id: NodeId, span: Span) {
        match self.frames.last_mut() {
            None => self.root = Some(id),
            Some(frame) => {
                frame.first_start.get_or_insert(span.start as usize);
                frame.last_end = span.end as usize;
                self.pending.push(id);
            }
        }
    }

    fn record(&mut self, id: NodeId, decodes: (u64, u64), text_bytes: u64) {
        debug_assert_eq!(id as usize, self.decodes.len());
        self.decodes.push(decodes);
        self.text_bytes.push(text_bytes);
    }

    fn scalar(
        &mut self,
        span: Span,
        text: Cow<'src, str>,
        style: YamlStyle,
        properties: Properties<'src>,
    ) {
        let style = match style {
            YamlStyle::Plain => ScalarStyle::Plain,
            YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            YamlStyle::Literal | YamlStyle::Folded => ScalarStyle::Block,
        };
        let (kind, text) = self.decode_scalar(span, text, style, properties.tag());
        let text_bytes = text.len() as u64;
        self.walked.0 += 1;
        let id = self.tree.scalar(span, Scalar { text, kind, style });
        self.record(id, (1, 0), text_bytes);
        if let Some(name) = properties.anchor() {
            self.anchors.insert(name, Anchored::Node(id));
        }
        self.add_child(id, span);
    }

    /// What kubectl's JSON holds for a scalar (`scalar::decode`): its kind and, where decoding
    /// changes it, its text (`!!binary`, a key such as `yes` that JSON spells `true`). What
    /// go-yaml's decoder or the JSON conversion after it refuse (a tag that does not fit the
    /// value, a null key, `.inf`) is kept as the document's decode error.
    fn decode_scalar(
        &mut self,
        span: Span,
        text: Cow<'src, str>,
        style: ScalarStyle,
        tag: Option<&str>,
    ) -> (ScalarKind, Cow<'src, str>) {
        let tag = match (tag, style) {
            (Some(tag), _) => ScalarTag::Explicit(tag),
            (None, ScalarStyle::Plain) => ScalarTag::Plain,
            (None, _) => ScalarTag::Quoted,
        };
        let at = span.start as usize;
        let decoded = match decode(tag, &text) {
            Ok(decoded) => decoded,
            Err(message) => {
                DecodeError::keep_first(&mut self.decode_error, at, at, message);
                return (ScalarKind::String, text);
            }
        };
        let text = match decoded.text.clone() {
            Some(decoded) => Cow::Owned(decoded),
            None => text,
        };
        // A key is a scalar at an even position of an open mapping.
        let is_key = self.frames.last().is_some_and(|frame| {
            frame.mapping && (self.pending.len() - frame.children).is_multiple_of(2)
        });
        if is_key {
            return match json_key(&decoded, &text) {
                Ok(Some(spelled)) => (ScalarKind::String, Cow::Owned(spelled)),
                Ok(None) => (decoded.kind, text),
                Err(message) => {
                    DecodeError::keep_first(&mut self.decode_error, at, at, message);
                    (decoded.kind, text)
                }
            };
        }
        if decoded.non_finite {
            // `encoding/json` refuses the number when kubectl turns the document into JSON.
            let value = match text.trim_start_matches(['+', '.']).as_bytes().first() {
                Some(b'n' | b'N') => "NaN",
                _ if text.starts_with('-') => "-Inf",
                _ => "+Inf",
            };
            let message = format!(
                "json: unsupported value: {value} (JSON has no infinity or NaN: quote the value)"
            );
            DecodeError::keep_first(&mut self.decode_error, at, at, message);
        }
        (decoded.kind, text)
    }

    /// go-yaml's messages: `parser.alias` for an anchor not (yet) defined, a syntax error;
    /// `decoder.alias` for an alias inside the collection it names (go-yaml defines an anchor
    /// where its node starts), an error of the decoder.
    fn alias(&mut self, name: &str, span: Span) -> Result<(), String> {
        let target = match self.anchors.get(name) {
            None => return Err(format!("unknown anchor '{name}' referenced")),
            Some(Anchored::Open(_)) => {
                let at = span.start as usize;
                DecodeError::keep_first(
                    &mut self.decode_error,
                    at,
                    at,
                    format!("anchor '{name}' value contains itself"),
                );
                // A stand-in, so that the collection stays whole until the document ends.
                let text = Cow::Borrowed("");
                let (kind, style) = (ScalarKind::Null, ScalarStyle::Plain);
                let id = self.tree.scalar(span, Scalar { text, kind, style });
                self.record(id, (1, 0), 0);
                self.add_child(id, span);
                return Ok(());
            }
            Some(&Anchored::Node(target)) => target,
        };
        // Aliases share the anchored node; only the expansion cost is counted.
        let (size, _) = self.decodes[target as usize];
        // go-yaml checks its ratio at every node it decodes; within an expansion the ratio
        // only grows, so checking at the end of each one sees what go-yaml sees, and stops
        // before any merge copies what a bomb expands to (a chain of merges of merges would
        // otherwise take gigabytes before the document is refused).
        self.walked.0 = self.walked.0.saturating_add(1).saturating_add(size);
        self.walked.1 = self.walked.1.saturating_add(size);
        if excessive_aliasing(self.walked.0, self.walked.1) {
            return Err("document contains excessive aliasing".to_owned());
        }
        self.alias_children.push((self.pending.len(), size));
        self.add_child(target, span);
        Ok(())
    }

    fn open(&mut self, mapping: bool, bracketed: bool, start: usize, anchor: Option<&'src str>) {
        self.frames_opened += 1;
        self.walked.0 += 1;
        let serial = self.frames_opened;
        if let Some(name) = anchor {
            self.anchors.insert(name, Anchored::Open(serial));
        }
        self.frames.push(Frame {
            mapping,
            bracketed,
            start,
            anchor,
            serial,
            children: self.pending.len(),
            first_start: None,
            last_end: start,
        });
    }

    /// Closes the innermost collection; `end` is its end event (the bracket, if it has one).
    fn close(&mut self, end: Span) {
        let Some(frame) = self.frames.pop() else {
            debug_assert!(false, "the parser balances collections");
            return;
        };
        let children = &self.pending[frame.children..];
        let aliased = self
            .alias_children
            .partition_point(|&(at, _)| at < frame.children);
        let mut decodes = (1u64, 0u64);
        let mut aliases = self.alias_children[aliased..].iter().peekable();
        for (position, &child) in children.iter().enumerate() {
            match aliases.next_if(|&&(at, _)| at == frame.children + position) {
                Some(&(_, size)) => {
                    decodes.0 = decodes.0.saturating_add(1).saturating_add(size);
                    decodes.1 = decodes.1.saturating_add(size);
                }
                None => {
                    let (size, alias) = self.decodes[child as usize];
                    decodes.0 = decodes.0.saturating_add(size);
                    decodes.1 = decodes.1.saturating_add(alias);
                }
            }
        }
        // An alias child is its target's id, so this counts what aliases expand to.
        let text_bytes = children.iter().fold(0u64, |sum, &c| {
            sum.saturating_add(self.text_bytes[c as usize])
        });
        let span = if frame.bracketed {
            Span::new(frame.start, (end.end as usize).max(frame.start))
        } else {
            let start = frame.first_start.unwrap_or(frame.start);
            Span::new(start, frame.last_end.max(start))
        };
        let id = if frame.mapping {
            let pairs = || children.chunks_exact(2).map(|p| (p[0], p[1]));
            // go-yaml v2 refuses collections as keys (`invalid map key`), so kubectl does too;
            // unquoted `{{ template }}` placeholders are the usual cause. Its walk meets this
            // once it has decoded the key.
            let tree = self.tree.tree();
            let invalid_key = pairs()
                .find(|&(key, _)| tree.scalar(key).is_none())
                .map(|(key, _)| (tree.node(key).describe(), tree.span(key)));
            if let Some((found, key_span)) = invalid_key {
                DecodeError::keep_first(
                    &mut self.decode_error,
                    key_span.end as usize,
                    key_span.start as usize,
                    format!(
                        "invalid map key: {found} cannot be a key (quote `{{{{ … }}}}` template placeholders)"
                    ),
                );
            }
            let merged = pairs()
                .any(|(key, _)| self.is_merge_key(key))
                .then(|| self.merge(&pairs().collect::<Vec<_>>()));
            match merged {
                Some(Ok(merged)) => self.tree.mapping(span, merged),
                Some(Err(value)) => {
                    let walk = self.tree.tree().span(value).start as usize;
                    let message = "map merge requires map or sequence of maps as the value";
                    DecodeError::keep_first(
                        &mut self.decode_error,
                        walk,
                        span.start as usize,
                        message.to_owned(),
                    );
                    self.tree.mapping(span, pairs())
                }
                None => self.tree.mapping(span, pairs()),
            }
        } else {
            self.tree.sequence(span, children.iter().copied())
        };
        self.pending.truncate(frame.children);
        self.alias_children.truncate(aliased);
        self.record(id, decodes, text_bytes);
        if let Some(name) = frame.anchor {
            // Unless a node inside took the name over, as go-yaml's later definition wins.
            if self.anchors.get(name) == Some(&Anchored::Open(frame.serial)) {
                self.anchors.insert(name, Anchored::Node(id));
            }
        }
        self.add_child(id, span);
    }

    fn is_merge_key(&self, key: NodeId) -> bool {
        self.tree
            .tree()
            .scalar(key)
            .is_some_and(|s| s.style == ScalarStyle::Plain && s.text == "<<")
    }

    /// go-yaml v2 merge keys: entries are applied in order, each setting its key (a later one
    /// overrides an earlier one, merged or not); a list of mappings is merged last-to-first
    /// (an empty list merges nothing). A value that is neither is the error.
    fn merge(&self, pairs: &[(NodeId, NodeId)]) -> Result<Vec<(NodeId, NodeId)>, NodeId> {
        let tree = self.tree.tree();
        let mut merged: Vec<(NodeId, NodeId)> = Vec::with_capacity(pairs.len());
        // Where each key is in `merged`: merging a mapping of n keys costs n, not n² (a merge
        // of a large anchored mapping would otherwise take minutes).
        let mut at: HashMap<&str, usize> = HashMap::with_capacity(pairs.len());
        let mut set = |key: NodeId, value: NodeId| match tree.key(key) {
            Some(text) => match at.entry(text) {
                std::collections::hash_map::Entry::Occupied(entry) => {
                    merged[*entry.get()] = (key, value);
                }
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(merged.len());
                    merged.push((key, value));
                }
            },
            None => merged.push((key, value)),
        };
        for &(key, value) in pairs {
            if !self.is_merge_key(key) {
                set(key, value);
                continue;
            }
            let sources: Vec<NodeId> = match tree.node(value).value {
                Value::Mapping { .. } => vec![value],
                Value::Sequence { .. } => tree.items(value).iter().rev().copied().collect(),
                Value::Scalar(_) => return Err(value),
            };
            if sources.iter().any(|&s| !tree.is_mapping(s)) {
                return Err(value);
            }
            for source in sources {
                for &(k, v) in tree.entries(source) {
                    set(k, v);
                }
            }
        }
        Ok(merged)
    }

    /// go-yaml v2's guard against alias bombs (`decode.go`, `allowedAliasRatio`): Kubernetes
    /// refuses a document where too much of the decoding comes from alias expansion. go-yaml
    /// counts nodes, so a few aliases of one huge scalar pass its ratio; imglint also refuses a
    /// document whose aliases add more than [`MAX_INPUT_BYTES`] of text (copied into the model,
    /// a megabyte image aliased ten thousand times would take ten gigabytes).
    fn check_aliasing(&self, root: NodeId) -> Result<(), &'static str> {
        let (decodes, aliased) = self.decodes[root as usize];
        if excessive_aliasing(decodes, aliased) {
            return Err("document contains excessive aliasing");
        }
        const _: () = assert!(MAX_INPUT_BYTES == 16 << 20, "the message says 16 MiB");
        let own = self.chunk.len() as u64;
        if self.text_bytes[root as usize] > own.saturating_add(MAX_INPUT_BYTES as u64) {
            return Err(
                "document contains excessive aliasing: its aliases expand to more than 16 MiB of text",
            );
        }
        Ok(())
    }

    /// The document, once its end event came: `None` when it holds nothing (or `null`).
    fn finish(&mut self) -> Result<Option<Tree<'src>>, (usize, String)> {
        if let Some(error) = self.decode_error.take() {
            return Err((error.offset, error.message));
        }
        let Some(root) = self.root else {
            return Ok(None);
        };
        if self.tree.tree().is_null(root) {
            return Ok(None);
        }
        match self.check_aliasing(root) {
            Ok(()) => Ok(Some(std::mem::take(&mut self.tree).finish(root))),
            Err(message) => {
                let start = self.tree.tree().span(root).start as usize;
                Err((start, message.to_owned()))
            }
        }
    }
}

/// go-yaml's reader refuses a document holding a character outside YAML's printable set
/// (`yaml_parser_update_buffer`: C0 controls but tab and line breaks, DEL, C1 controls but
/// NEL, U+FFFE and U+FFFF), anywhere, comments included. The offset of the first one.
fn first_control_character(text: &[u8]) -> Option<usize> {
    /// Bytes that are, or may start, a refused character.
    const SUSPECT: [bool; 256] = {
        let mut table = [false; 256];
        let mut byte = 0;
        while byte < 0x20 {
            table[byte] = !matches!(byte as u8, b'\t' | b'\n' | b'\r');
            byte += 1;
        }
        table[0x7f] = true;
        table[0xc2] = true;
        table[0xef] = true;
        table
    };
    let refused = |at: usize| match text[at] {
        // U+0080-U+009F but U+0085 (NEL) are C2 80-9F.
        0xc2 => text
            .get(at + 1)
            .is_some_and(|&next| (0x80..=0x9f).contains(&next) && next != 0x85),
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
        0xef => text.get(at + 1) == Some(&0xbf) && matches!(text.get(at + 2), Some(0xbe | 0xbf)),
        byte => SUSPECT[byte as usize],
    };
    // Most text is printable ASCII and line feeds: that is checked 32 bytes at a time (a
    // loop the compiler vectorises), the rest byte by byte.
    let printable = |chunk: &[u8; 32]| {
        chunk.iter().fold(true, |all, &b| {
            all & ((b.wrapping_sub(0x20) < 0x5f) | (b == b'\n'))
        })
    };
    let first_in = |range: std::ops::Range<usize>| {
        range
            .into_iter()
            .find(|&at| SUSPECT[text[at] as usize] && refused(at))
    };
    let chunks = text.chunks_exact(32);
    let rest = text.len() - chunks.remainder().len();
    for (index, chunk) in chunks.enumerate() {
        let start = index * 32;
        let all_printable = <&[u8; 32]>::try_from(chunk).is_ok_and(printable);
        if !all_printable && let Some(at) = first_in(start..start + 32) {
            return Some(at);
        }
    }
    first_in(rest..text.len())
}

/// Reads pieces of a stream one after the other, reusing its buffers from piece to piece (a
/// stream of many small documents allocates them once).
/// go-yaml v2's guard (`decode.go`, `allowedAliasRatio`): after 1,000 decoded nodes of which
/// more than 100 came from aliases, at most 99% may come from aliases below 400,000 nodes,
/// falling linearly to 10% at 4,000,000.
fn excessive_aliasing(decodes: u64, aliased: u64) -> bool {
    const LOW: u64 = ALIAS_RATIO_LOW_DECODES;
    const HIGH: u64 = ALIAS_RATIO_HIGH_DECODES;
    let allowed = if decodes <= LOW {
        0.99
    } else if decodes >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decodes - LOW) as f64 / (HIGH - LOW) as f64)
    };
    aliased > 100 && decodes > 1000 && aliased as f64 / decodes as f64 > allowed
}

struct PieceReader<'src> {
    parser: Parser<'src>,
    builder: Builder<'src>,
}

impl<'src> PieceReader<'src> {
    fn new() -> Self {
        Self {
            parser: Parser::new(""),
            builder: Builder::new(),
        }
    }

    /// Reads the document of a piece that starts at `base` in its file.
    fn read(&mut self, chunk: &'src str, base: usize) -> DocumentResult<'src> {
        let error = |offset: usize, message: String| {
            DocumentResult::Error(SyntaxError::new(offset, message, base..base + chunk.len()))
        };
        if let Some(at) = first_control_character(chunk.as_bytes()) {
            return error(base + at, "control characters are not allowed".to_owned());
        }
        match self.first_document(chunk, base) {
            Ok(Some(tree)) => DocumentResult::Document(tree),
            Ok(None) => DocumentResult::Empty,
            Err((offset, message)) => error(offset, message),
        }
    }

    /// Reads the first document of a piece, as go-yaml's decoder does (`parser.parse`): the
    /// stream start, the document's events, its end; then it stops. An error is its file
    /// offset and message.
    fn first_document(
        &mut self,
        chunk: &'src str,
        base: usize,
    ) -> Result<Option<Tree<'src>>, (usize, String)> {
        let Self { parser, builder } = self;
        parser.reset(chunk);
        let mut next = || {
            parser
                .next()
                .map_err(|problem| (base + problem.offset, problem.message()))
        };
        loop {
            match next()?.kind {
                EventKind::StreamStart => {}
                EventKind::DocumentStart => break,
                _ => return Ok(None),
            }
        }
        builder.reset(chunk);
        loop {
            let event = next()?;
            let span = Span::new(base + event.start, base + event.end);
            match event.kind {
                EventKind::Scalar {
                    value,
                    style,
                    properties,
                } => builder.scalar(span, value, style, properties),
                EventKind::Alias(name) => builder
                    .alias(name, span)
                    .map_err(|message| (span.start as usize, message))?,
                EventKind::SequenceStart {
                    properties,
                    bracketed,
                } => builder.open(false, bracketed, span.start as usize, properties.anchor()),
                EventKind::MappingStart {
                    properties,
                    bracketed,
                } => builder.open(true, bracketed, span.start as usize, properties.anchor()),
                EventKind::SequenceEnd | EventKind::MappingEnd => builder.close(span),
                EventKind::DocumentEnd | EventKind::StreamEnd => return builder.finish(),
                EventKind::StreamStart | EventKind::DocumentStart => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::tree::{Tree, Value};

    fn documents(text: &str) -> Vec<DocumentResult<'_>> {
        parse_stream(text, 0)
    }

    fn only_tree(text: &str) -> Tree<'_> {
        match documents(text).into_iter().next() {
            Some(DocumentResult::Document(tree)) => tree,
            other => panic!("expected a document, got {other:?}"),
        }
    }

    #[test]
    fn splits_at_markers_and_survives_broken_documents() {
        let text = "a: 1\n---\nb: [\n---\nc: 3\n...\n# after\n---\n";
        let docs = documents(text);
        assert!(matches!(docs[0], DocumentResult::Document(_)));
        assert!(matches!(docs[1], DocumentResult::Error(_)));
        assert!(matches!(docs[2], DocumentResult::Document(_)));
        assert!(
            docs[3..].iter().all(|d| matches!(d, DocumentResult::Empty)),
            "{docs:?}"
        );
    }

    #[test]
    fn marker_inside_a_line_is_content() {
        let tree = only_tree("a: ---x\nb: '---'\n");
        let root = tree.root();
        assert_eq!(tree.str(tree.get(root, "a").unwrap()), Some("---x"));
    }

    #[test]
    fn spans_are_bytes_of_the_value() {
        let text = "name: é\nimage: \"nginx:1\"\n";
        let tree = only_tree(text);
        let image = tree.get(tree.root(), "image").unwrap();
        assert_eq!(tree.span(image).slice(text), "\"nginx:1\"");
        let name = tree.get(tree.root(), "name").unwrap();
        assert_eq!(tree.span(name).slice(text), "é");
    }

    #[test]
    fn quoted_scalars_end_at_their_quote() {
        let text = "a: \"x\\\"y\" # comment\nb: 'it''s'   \nc: \"\" # c\nd: &anchor \"v\"\ne: [1, 2] # c\nf: {} # c\n";
        let tree = only_tree(text);
        let value = |key| tree.span(tree.get(tree.root(), key).unwrap()).slice(text);
        assert_eq!(value("a"), "\"x\\\"y\"");
        assert_eq!(value("b"), "'it''s'");
        assert_eq!(value("c"), "\"\"");
        assert_eq!(value("d"), "\"v\"");
        assert_eq!(value("e"), "[1, 2]");
        assert_eq!(value("f"), "{}");
    }

    #[test]
    fn scalars_resolve_like_kubectl() {
        let tree = only_tree("a: 1.10\nb: '1.10'\nc:\nd: yes\ne: !!str 12\n");
        let kind = |key| {
            tree.scalar(tree.get(tree.root(), key).unwrap())
                .unwrap()
                .kind
        };
        assert_eq!(kind("a"), ScalarKind::Float);
        assert_eq!(kind("b"), ScalarKind::String);
        assert_eq!(kind("c"), ScalarKind::Null);
        assert_eq!(kind("d"), ScalarKind::Bool);
        assert_eq!(kind("e"), ScalarKind::String);
    }

    #[test]
    fn aliases_share_and_merge_keys_merge() {
        // (A key `y:` would be the key `true`: YAML 1.1 reads `y` as a boolean.)
        let tree =
            only_tree("base: &b {image: nginx, name: a}\nx: *b\nz:\n  <<: *b\n  name: why\n");
        let root = tree.root();
        assert_eq!(tree.get(root, "x"), tree.get(root, "base"));
        let y = tree.get(root, "z").unwrap();
        assert_eq!(tree.str(tree.get(y, "image").unwrap()), Some("nginx"));
        assert_eq!(tree.str(tree.get(y, "name").unwrap()), Some("why"));
        assert_eq!(tree.entries(y).len(), 2);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..8 {
            let prev = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let docs = documents(&text);
        match &docs[0] {
            DocumentResult::Error(error) => {
                assert_eq!(error.message, "document contains excessive aliasing");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn merging_a_large_mapping_costs_its_size() {
        // 100,000 keys merged twice: quadratic merging took minutes here.
        let keys: Vec<String> = (0..100_000).map(|i| format!("k{i}: v")).collect();
        let text = format!(
            "big: &b {{{}}}\nx: {{<<: *b, k7: override}}\nz: {{<<: [*b, *b]}}\n",
            keys.join(", ")
        );
        let tree = only_tree(&text);
        let x = tree.get(tree.root(), "x").unwrap();
        assert_eq!(tree.entries(x).len(), 100_000);
        assert_eq!(tree.str(tree.get(x, "k7").unwrap()), Some("override"));
        let y = tree.get(tree.root(), "z").unwrap();
        assert_eq!(tree.entries(y).len(), 100_000);
    }

    #[test]
    fn merge_bombs_are_refused_before_the_merging() {
        // Issue 14: a chain of merges of merges (quadratic: it aborted the process after an
        // 8 GiB allocation), and one large mapping merged by many (54 s and 1.6 GB). go-yaml's
        // running alias ratio refuses both; imglint counts as it goes and stops at the alias.
        let mut chain = String::from("a0: &a0 {k0: v}\n");
        for level in 1..40_000 {
            chain.push_str(&format!(
                "a{level}: &a{level} {{<<: *a{}, k{level}: v}}\n",
                level - 1
            ));
        }
        let keys: Vec<String> = (0..100_000).map(|i| format!("k{i}: v")).collect();
        let mut fan = format!("big: &b {{{}}}\n", keys.join(", "));
        for i in 0..2_000 {
            fan.push_str(&format!("m{i}: {{<<: *b}}\n"));
        }
        for text in [chain, fan] {
            match &documents(&text)[0] {
                DocumentResult::Error(error) => {
                    assert_eq!(error.message, "document contains excessive aliasing");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn aliases_of_huge_scalars_are_refused() {
        // Few nodes, so go-yaml's ratio lets it through; 40 MiB of text once expanded.
        let value = "a".repeat(1 << 20);
        let mut text = format!("image: &i {value}\nlist:\n");
        text.push_str(&"- *i\n".repeat(40));
        match &documents(&text)[0] {
            DocumentResult::Error(error) => {
                assert!(
                    error
                        .message
                        .starts_with("document contains excessive aliasing"),
                    "{}",
                    error.message
                );
                assert_eq!(error.offset, 0);
            }
            other => panic!("{other:?}"),
        }
        // A few aliases of it are fine.
        let mut text = format!("image: &i {value}\nlist:\n");
        text.push_str(&"- *i\n".repeat(8));
        assert!(matches!(documents(&text)[0], DocumentResult::Document(_)));
    }

    #[test]
    fn control_characters_are_refused_like_go_yaml() {
        for (text, at) in [
            ("name: a\u{1b}[2Jb\n", 7),
            ("# \u{7}\nname: a\n", 2),
            ("name: \"\u{0}\"\n", 7),
            ("name: é\u{85}x\u{9b}\n", 11),
            ("name: \u{fffe}\n", 6),
        ] {
            match &documents(text)[0] {
                DocumentResult::Error(error) => {
                    assert_eq!(
                        error.message, "control characters are not allowed",
                        "{text:?}"
                    );
                    assert_eq!(error.offset as usize, at, "{text:?}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        // Tabs, line breaks and NEL are printable; the next document is read.
        let docs = documents("a: \"\t\"\r\nb: x\u{85}\n---\nc: \u{1}\n---\nd: 1\n");
        assert!(matches!(docs[0], DocumentResult::Document(_)), "{docs:?}");
        assert!(matches!(docs[1], DocumentResult::Error(_)));
        assert!(matches!(docs[2], DocumentResult::Document(_)));
    }

    #[test]
    fn collections_as_keys_are_refused_like_go_yaml() {
        let docs = documents("metadata:\n  name: {{uid}}\n");
        match &docs[0] {
            DocumentResult::Error(error) => {
                assert!(
                    error
                        .message
                        .starts_with("invalid map key: a mapping cannot be a key"),
                    "{}",
                    error.message
                );
                assert_eq!(error.offset, 19, "the inner `{{uid}}` is the key");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn collections_span_their_content() {
        let text = "spec:\n  containers:\n  - name: a\n    image: b\n";
        let tree = only_tree(text);
        let spec = tree.get(tree.root(), "spec").unwrap();
        let containers = tree.get(spec, "containers").unwrap();
        assert!(matches!(
            tree.node(containers).value,
            Value::Sequence { .. }
        ));
        // A block sequence starts at its first item's content.
        assert_eq!(tree.span(containers).slice(text), "name: a\n    image: b");
    }
}
