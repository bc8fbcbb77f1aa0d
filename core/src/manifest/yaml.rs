//! YAML streams into [`Tree`]s, one per document, with byte spans in the file.
//!
//! The stream is split at document markers (`---`, `...` at the start of a line, which YAML
//! forbids as content anywhere) and each piece is parsed on its own, so a syntax error costs
//! only its own document. Events come from `saphyr-parser` (see docs/architecture.md for the
//! choice); scalars are resolved with YAML 1.1 rules as kubectl does (`scalar.rs`).

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as YamlStyle, Tag};

use super::scalar::resolve_plain;
use super::tree::{NodeId, Scalar, ScalarKind, ScalarStyle, TreeBuilder};
use super::{DocumentResult, SyntaxError};
use crate::report::MAX_INPUT_BYTES;
use crate::source::Span;

/// Parses every document of a YAML stream. `base` is the offset of `text` in its file.
pub(crate) fn parse_stream(text: &str, base: usize) -> Vec<DocumentResult<'_>> {
    let mut documents = Vec::new();
    for chunk in split_documents(text) {
        parse_chunk(&text[chunk.clone()], base + chunk.start, &mut documents);
    }
    documents
}

/// Byte ranges of the pieces between document markers. A `---` line starts a piece; a `...`
/// line ends one.
fn split_documents(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    while line_start < bytes.len() {
        let line_end = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| line_start + p + 1);
        let line = &bytes[line_start..line_end];
        if is_marker(line, b"---") {
            if line_start > start {
                pieces.push(start..line_start);
            }
            start = line_start;
        } else if is_marker(line, b"...") {
            pieces.push(start..line_end);
            start = line_end;
        }
        line_start = line_end;
    }
    if start < bytes.len() {
        pieces.push(start..bytes.len());
    }
    pieces
}

fn is_marker(line: &[u8], marker: &[u8]) -> bool {
    line.starts_with(marker) && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// Converts saphyr's character indexes into byte offsets of the file.
enum Offsets {
    Ascii {
        base: usize,
    },
    Table {
        base: usize,
        bytes_at_char: Vec<u32>,
    },
}

impl Offsets {
    fn new(chunk: &str, base: usize) -> Self {
        if chunk.is_ascii() {
            return Self::Ascii { base };
        }
        let mut bytes_at_char: Vec<u32> = chunk
            .char_indices()
            .map(|(i, _)| crate::source::to_u32(i))
            .collect();
        bytes_at_char.push(crate::source::to_u32(chunk.len()));
        Self::Table {
            base,
            bytes_at_char,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match self {
            Self::Ascii { base } => base + char_index,
            Self::Table {
                base,
                bytes_at_char,
            } => {
                let last = bytes_at_char.len() - 1;
                base + bytes_at_char[char_index.min(last)] as usize
            }
        }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

/// An open collection while its children are being built.
struct Frame {
    mapping: bool,
    start: usize,
    anchor: usize,
    /// Where this collection's children start in `Builder::pending`.
    children: usize,
}

/// A structural error found while building: where, and go-yaml's message.
struct KeyError {
    offset: usize,
    message: String,
}

/// Builds one document from events, tracking what alias expansion would cost.
struct Builder<'src> {
    /// The piece of the file being parsed, and its offset in the file.
    chunk: &'src str,
    base: usize,
    tree: TreeBuilder<'src>,
    frames: Vec<Frame>,
    pending: Vec<NodeId>,
    anchors: HashMap<usize, NodeId>,
    /// Positions in `pending` that hold an alias, with the size of what it expands to.
    alias_children: Vec<(usize, u64)>,
    /// Per node: how many nodes decoding it visits (aliases expanded), and how many of those
    /// come from alias expansion. Saturating: a bomb only has to be big, not exact.
    decodes: Vec<(u64, u64)>,
    /// Per node: the bytes of scalar text decoding it yields (aliases expanded), saturating.
    text_bytes: Vec<u64>,
    root: Option<NodeId>,
}

impl<'src> Builder<'src> {
    fn new(chunk: &'src str, base: usize) -> Self {
        // Manifests hold about one node per 16 bytes: reserving that much up front saves the
        // vectors' repeated growth (a few percent of a run); past 64k nodes growth is cheap.
        let nodes = (chunk.len() / 16).clamp(16, 1 << 16);
        Self {
            chunk,
            base,
            tree: TreeBuilder::with_capacity(nodes, nodes / 2, nodes / 4),
            frames: Vec::with_capacity(16),
            pending: Vec::with_capacity(64),
            anchors: HashMap::new(),
            alias_children: Vec::new(),
            decodes: Vec::with_capacity(nodes),
            text_bytes: Vec::with_capacity(nodes),
            root: None,
        }
    }

    fn add_child(&mut self, id: NodeId) {
        if self.frames.is_empty() {
            self.root = Some(id);
        } else {
            self.pending.push(id);
        }
    }

    fn record(&mut self, id: NodeId, anchor: usize, decodes: (u64, u64), text_bytes: u64) {
        debug_assert_eq!(id as usize, self.decodes.len());
        self.decodes.push(decodes);
        self.text_bytes.push(text_bytes);
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        self.add_child(id);
    }

    fn scalar(
        &mut self,
        mut span: Span,
        text: Cow<'src, str>,
        style: YamlStyle,
        anchor: usize,
        tag: Option<&Tag>,
    ) {
        match style {
            YamlStyle::DoubleQuoted => span = quoted_span(self.chunk, self.base, span, b'"'),
            YamlStyle::SingleQuoted => span = quoted_span(self.chunk, self.base, span, b'\''),
            _ => {}
        }
        let style = match style {
            YamlStyle::Plain => ScalarStyle::Plain,
            YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            _ => ScalarStyle::Block,
        };
        let kind = match tag.map(core_tag) {
            Some(Some("str" | "binary")) | Some(None) => ScalarKind::String,
            Some(Some(_)) => resolve_plain(&text),
            None if style == ScalarStyle::Plain => resolve_plain(&text),
            None => ScalarKind::String,
        };
        let text_bytes = text.len() as u64;
        let id = self.tree.scalar(span, Scalar { text, kind, style });
        self.record(id, anchor, (1, 0), text_bytes);
    }

    fn alias(&mut self, anchor: usize) -> Result<(), &'static str> {
        let Some(&target) = self.anchors.get(&anchor) else {
            return Err("found an alias to an anchor that is not defined (or contains the alias)");
        };
        // Aliases share the anchored node; only the expansion cost is counted.
        let (size, _) = self.decodes[target as usize];
        self.alias_children.push((self.pending.len(), size));
        self.add_child(target);
        Ok(())
    }

    fn open(&mut self, mapping: bool, span: Span, anchor: usize) {
        self.frames.push(Frame {
            mapping,
            start: span.start as usize,
            anchor,
            children: self.pending.len(),
        });
    }

    fn close(&mut self, end: Span) -> Result<(), KeyError> {
        let Some(frame) = self.frames.pop() else {
            return Err(KeyError {
                offset: end.start as usize,
                message: "unbalanced collection end".to_owned(),
            });
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
        let last_end = children
            .last()
            .map(|&c| self.tree.tree().span(c).end as usize);
        // A flow collection's end event is its bracket (saphyr's span for it can run on over a
        // trailing comment, so only its first character counts); a block collection's is empty
        // and sits at the next token, so a block collection ends with its last child.
        let end = match (!end.is_empty(), last_end) {
            (true, _) => end.start as usize + 1,
            (false, Some(last)) => last,
            (false, None) => end.end as usize,
        };
        let span = Span::new(frame.start, end.max(frame.start));
        let id = if frame.mapping {
            let pairs = || children.chunks_exact(2).map(|p| (p[0], p[1]));
            // go-yaml v2 refuses collections as keys (`invalid map key`), so kubectl does too;
            // unquoted `{{ template }}` placeholders are the usual cause.
            if let Some((key, _)) = pairs().find(|&(key, _)| self.tree.tree().scalar(key).is_none())
            {
                let found = self.tree.tree().node(key).describe();
                return Err(KeyError {
                    offset: self.tree.tree().span(key).start as usize,
                    message: format!(
                        "invalid map key: {found} cannot be a key (quote `{{{{ … }}}}` template placeholders)"
                    ),
                });
            }
            if pairs().any(|(key, _)| self.is_merge_key(key)) {
                let merged = self
                    .merge(&pairs().collect::<Vec<_>>())
                    .map_err(|message| KeyError {
                        offset: frame.start,
                        message,
                    })?;
                self.tree.mapping(span, merged)
            } else {
                self.tree.mapping(span, pairs())
            }
        } else {
            self.tree.sequence(span, children.iter().copied())
        };
        self.pending.truncate(frame.children);
        self.alias_children.truncate(aliased);
        self.record(id, frame.anchor, decodes, text_bytes);
        Ok(())
    }

    fn is_merge_key(&self, key: NodeId) -> bool {
        self.tree
            .tree()
            .scalar(key)
            .is_some_and(|s| s.style == ScalarStyle::Plain && s.text == "<<")
    }

    /// go-yaml v2 merge keys: entries are applied in order, each setting its key (a later one
    /// overrides an earlier one, merged or not); a list of mappings is merged last-to-first.
    fn merge(&self, pairs: &[(NodeId, NodeId)]) -> Result<Vec<(NodeId, NodeId)>, String> {
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
            let sources: Vec<NodeId> = if tree.is_mapping(value) {
                vec![value]
            } else {
                tree.items(value).iter().rev().copied().collect()
            };
            if sources.is_empty() || sources.iter().any(|&s| !tree.is_mapping(s)) {
                return Err("map merge requires map or sequence of maps as the value".to_owned());
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
        const LOW: u64 = 400_000;
        const HIGH: u64 = 4_000_000;
        let allowed = if decodes <= LOW {
            0.99
        } else if decodes >= HIGH {
            0.10
        } else {
            0.99 - 0.89 * ((decodes - LOW) as f64 / (HIGH - LOW) as f64)
        };
        if aliased > 100 && decodes > 1000 && aliased as f64 / decodes as f64 > allowed {
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
}

/// The span of the quoted scalar whose event span is `span` (file offsets). saphyr-parser's
/// spans for quoted scalars start at a preceding anchor or tag and run on over trailing spaces
/// and comments, so the quotes are found here: from the first `quote`, to the first `"` not
/// escaped by `\\` (double quotes) or the first `'` not doubled (single quotes).
fn quoted_span(chunk: &str, base: usize, span: Span, quote: u8) -> Span {
    let bytes = chunk.as_bytes();
    let from = (span.start as usize).saturating_sub(base).min(bytes.len());
    let Some(open) = bytes[from..]
        .iter()
        .position(|&b| b == quote)
        .map(|p| from + p)
    else {
        return span;
    };
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Span::new(base + open, base + i + 1),
            _ => i += 1,
        }
    }
    Span::new(base + open, base + bytes.len())
}

/// The name of a tag from the YAML core schema (`!!str` → `str`); `None` for other tags.
fn core_tag(tag: &Tag) -> Option<&str> {
    if tag.handle == "!!" {
        Some(&tag.suffix)
    } else {
        tag.suffix.strip_prefix("tag:yaml.org,2002:")
    }
}

/// go-yaml's reader refuses a document holding a character outside YAML's printable set
/// (`reader.go`: C0 controls but tab and line breaks, DEL, C1 controls but NEL, U+FFFE and
/// U+FFFF), anywhere, comments included; saphyr-parser lets most of them through (an escape
/// sequence in a value, which would also reach a terminal). The offset of the first one.
fn first_control_character(text: &[u8]) -> Option<usize> {
    text.iter().enumerate().find_map(|(at, &byte)| {
        let refused = match byte {
            b'\t' | b'\n' | b'\r' | b' '..=b'~' => false,
            0..=0x1f | 0x7f => true,
            // U+0080-U+009F but U+0085 (NEL) are C2 80-9F.
            0xc2 => text
                .get(at + 1)
                .is_some_and(|&next| (0x80..=0x9f).contains(&next) && next != 0x85),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xef => {
                text.get(at + 1) == Some(&0xbf) && matches!(text.get(at + 2), Some(0xbe | 0xbf))
            }
            _ => false,
        };
        refused.then_some(at)
    })
}

fn parse_chunk<'src>(chunk: &'src str, base: usize, out: &mut Vec<DocumentResult<'src>>) {
    let offsets = Offsets::new(chunk, base);
    let mut builder: Option<Builder<'src>> = None;
    let error = |offset: usize, message: String| {
        DocumentResult::Error(SyntaxError::new(offset, message, base..base + chunk.len()))
    };
    if let Some(at) = first_control_character(chunk.as_bytes()) {
        out.push(error(
            base + at,
            "control characters are not allowed".to_owned(),
        ));
        return;
    }
    for event in Parser::new_from_str(chunk) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(e) => {
                out.push(error(offsets.byte(e.marker().index()), e.info().to_owned()));
                return;
            }
        };
        let span = offsets.span(span);
        let result: Result<(), KeyError> = match (event, builder.as_mut()) {
            (Event::DocumentStart(_), _) => {
                builder = Some(Builder::new(chunk, base));
                Ok(())
            }
            (Event::DocumentEnd, Some(_)) => {
                let Some(done) = builder.take() else { continue };
                match done.root {
                    None => out.push(DocumentResult::Empty),
                    Some(root) if done.tree.tree().is_null(root) => out.push(DocumentResult::Empty),
                    Some(root) => match done.check_aliasing(root) {
                        Ok(()) => out.push(DocumentResult::Document(done.tree.finish(root))),
                        Err(message) => {
                            let start = done.tree.tree().span(root).start as usize;
                            out.push(error(start, message.to_owned()));
                        }
                    },
                }
                Ok(())
            }
            (Event::Scalar(text, style, anchor, tag), Some(b)) => {
                b.scalar(span, text, style, anchor, tag.as_deref());
                Ok(())
            }
            (Event::SequenceStart(anchor, _), Some(b)) => {
                b.open(false, span, anchor);
                Ok(())
            }
            (Event::MappingStart(anchor, _), Some(b)) => {
                b.open(true, span, anchor);
                Ok(())
            }
            (Event::SequenceEnd | Event::MappingEnd, Some(b)) => b.close(span),
            (Event::Alias(anchor), Some(b)) => b.alias(anchor).map_err(|message| KeyError {
                offset: span.start as usize,
                message: message.to_owned(),
            }),
            _ => Ok(()),
        };
        if let Err(failure) = result {
            out.push(error(failure.offset, failure.message));
            return;
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
        // (`name: y` would be the boolean true in YAML 1.1.)
        let tree =
            only_tree("base: &b {image: nginx, name: a}\nx: *b\ny:\n  <<: *b\n  name: why\n");
        let root = tree.root();
        assert_eq!(tree.get(root, "x"), tree.get(root, "base"));
        let y = tree.get(root, "y").unwrap();
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
            "big: &b {{{}}}\nx: {{<<: *b, k7: override}}\ny: {{<<: [*b, *b]}}\n",
            keys.join(", ")
        );
        let tree = only_tree(&text);
        let x = tree.get(tree.root(), "x").unwrap();
        assert_eq!(tree.entries(x).len(), 100_000);
        assert_eq!(tree.str(tree.get(x, "k7").unwrap()), Some("override"));
        let y = tree.get(tree.root(), "y").unwrap();
        assert_eq!(tree.entries(y).len(), 100_000);
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
