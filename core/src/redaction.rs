//! What no output may show: the material of Secrets, masked by default.
//!
//! Redaction used to list what to hide (the values of `data` and `stringData`, annotations),
//! so every shape nobody listed leaked: a duplicated `stringData` whose losing copy IMG002
//! framed, a merge key shadowed, an anchor name, a comment, a Secret inside a `List`. Now it
//! lists what may be *shown*. In every document that is, or may be, a Secret
//! ([`may_be_secret`]: `kind: Secret` in any mapping of its tree, however spelled, duplicated,
//! merged away or nested in `items`), everything is masked but
//!
//! - keys that are valid Secret data keys (`[-._a-zA-Z0-9]+`, as every structural key such
//!   as `data`, `stringData`, `metadata` or `items` is), such keys with a prefix (label and
//!   annotation keys: `kubectl.kubernetes.io/last-applied-configuration`) and the merge key
//!   `<<`;
//! - the values of `apiVersion`, `kind` and `type` of an object (the document, or a mapping in
//!   an object's `items`) and of `name` and `namespace` in its `metadata`;
//! - blanks, line breaks and the indicators of structure (`: - ? , [ ] { }`) outside every
//!   scalar.
//!
//! A node shown at one place and masked at another (an alias) is masked. Comments, anchors,
//! tags and alias names are masked. A document that does not parse is masked by its lines
//! (`mask_lines`) when its text names the kind `Secret` (the facts pre-scan,
//! `prescan::names_kind`, also through the NUL bytes of UTF-16 read without its byte-order
//! mark), and so is a piece that kubectl cut out of a Secret at a `---` line inside one of
//! its scalars (`continues`).
//!
//! Messages cannot be masked by position: they quote values. [`SecretTexts`] holds the texts
//! of masked scalars that no unmasked scalar of the file shows, and the engine scrubs them out
//! of every diagnostic ([`SecretTexts::scrub_diagnostic`]: a value shared through an alias and
//! quoted as an image, a key quoted by IMG002); a syntax error in a Secret loses what its
//! message quotes ([`content_free`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, LabelTarget, ObjectRef};
use crate::manifest::DocumentResult;
use crate::manifest::tree::{NodeId, Tree};
use crate::source::Span;

/// What a message shows instead of a Secret's text.
pub const MASK: &str = "***";

/// Hidden texts this long are scrubbed wherever they occur in a message, not only as a whole
/// quoted value (shorter ones occur in ordinary words by chance).
const LONG: usize = 6;

/// How [`LONG`]-byte windows are hashed: they are looked up at every byte of every message of
/// a file with Secrets, where SipHash cost a tenth of the run; foldhash is seeded per process,
/// so an input cannot choose colliding windows.
type Windows = foldhash::fast::RandomState;

/// How much of each end of a long hidden value a message can hold, in bytes (a diagnostic
/// keeps at most 1,000 characters of four bytes).
const EDGE: usize = 4 * crate::diagnostic::MAX_TEXT;

/// Whether a key may be shown in a document that may be a Secret: a valid Secret data key
/// (the API server's `[-._a-zA-Z0-9]+`), one with a prefix (`prefix/name`, as label and
/// annotation keys are: `kubectl.kubernetes.io/last-applied-configuration`), or the merge
/// key. A key that is none of these (`password:hunter2`, which a flow mapping without a space
/// after the colon makes one key) may be a value.
pub fn is_shown_key(key: &str) -> bool {
    let data_key = |key: &str| {
        !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    key == "<<"
        || match key.split_once('/') {
            Some((prefix, name)) => data_key(prefix) && data_key(name),
            None => data_key(key),
        }
}

/// A Secret's key as a message may quote it: [`MASK`] unless it may be shown.
pub fn quoted_key(key: &str) -> &str {
    if is_shown_key(key) { key } else { MASK }
}

/// Whether a parsed document is, or may be, a Secret: a mapping anywhere in its tree has
/// `kind: Secret` (duplicated keys included: every entry counts), or an entry that a merge key
/// or a duplicate dropped from the tree said `kind` or `Secret` (the tree keeps such nodes,
/// but not which key they had).
pub fn may_be_secret(tree: &Tree<'_>) -> bool {
    let count = node_count(tree);
    let is_text = |id: NodeId, text: &str| tree.scalar(id).is_some_and(|s| s.text == text);
    if !(0..count).any(|id| is_text(id, "Secret")) {
        return false;
    }
    let mut child = vec![false; count as usize];
    for id in 0..count {
        for &(key, value) in tree.entries(id) {
            if is_text(key, "kind") && is_text(value, "Secret") {
                return true;
            }
            child[key as usize] = true;
            child[value as usize] = true;
        }
        for &item in tree.items(id) {
            child[item as usize] = true;
        }
    }
    (0..count).any(|id| {
        id != tree.root() && !child[id as usize] && (is_text(id, "Secret") || is_text(id, "kind"))
    })
}

/// Whether the text of a document that does not parse names the kind `Secret`, as the facts
/// pre-scan reads it; text with NUL bytes (UTF-16 without a byte-order mark is UTF-8 full of
/// them) is read without them too.
pub fn names_secret(text: &str) -> bool {
    let bytes = text.as_bytes();
    crate::prescan::names_kind(bytes, "Secret")
        || (memchr::memchr(0, bytes).is_some() && {
            let without: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
            crate::prescan::names_kind(&without, "Secret")
        })
}

/// Nodes are stored in post-order, so the root is the last one.
fn node_count(tree: &Tree<'_>) -> NodeId {
    tree.root() + 1
}

/// The masks of one file.
#[derive(Debug, Default)]
pub(crate) struct Masks {
    /// Sorted, disjoint spans that no renderer may show.
    pub(crate) redactions: Vec<Span>,
    /// Per document (as `parse_documents` returned them): whether it may be a Secret.
    pub(crate) secret_documents: Vec<bool>,
    pub(crate) secrets: SecretTexts,
}

/// Masks every document of a file that is or may be a Secret.
pub(crate) fn mask_documents(text: &str, documents: &[DocumentResult<'_>]) -> Masks {
    // As `parse_documents` decides.
    let json = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_start()
        .starts_with('{');
    let mut runs = Vec::new();
    let mut masked_texts: Vec<(Span, &str)> = Vec::new();
    let mut secret_documents = vec![false; documents.len()];
    // Whether the last document with content may be a Secret.
    let mut previous = false;
    for (index, document) in documents.iter().enumerate() {
        let secret = match document {
            DocumentResult::Empty => continue,
            DocumentResult::Document(tree) => {
                // JSON has no comments: its root is all of it.
                let root = tree.span(tree.root());
                let region = || {
                    if json {
                        root.range()
                    } else {
                        yaml_region(text, root)
                    }
                };
                let secret =
                    may_be_secret(tree) || (previous && !json && continues(text, &region()));
                if secret {
                    mask_tree(text, tree, region(), &mut runs, &mut masked_texts);
                }
                secret
            }
            DocumentResult::Error(error) => {
                let region = error.document.range();
                if previous && !json && continues(text, &region) {
                    mask_lines(text, region, &mut runs);
                    true
                } else {
                    let masks = mask_unparsed(text, error.document);
                    runs.extend(&masks);
                    !masks.is_empty()
                }
            }
        };
        secret_documents[index] = secret;
        previous = secret;
    }
    let redactions = merge_runs(text, runs);
    let secrets = SecretTexts::hidden(documents, &redactions, &masked_texts);
    Masks {
        redactions,
        secret_documents,
        secrets,
    }
}

/// The text of a YAML document around its root: from the line after the last line starting
/// with `---` before it (the root's own line if the root starts on it) to the next such line,
/// so that comments, directives, anchors and whatever follows a `...` are in it.
fn yaml_region(text: &str, root: Span) -> Range<usize> {
    let bytes = text.as_bytes();
    let root_start = (root.start as usize).min(bytes.len());
    let root_end = (root.end as usize).clamp(root_start, bytes.len());
    let line_of = |at: usize| memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |nl| nl + 1);
    let is_separator = |line: usize| bytes[line..].starts_with(b"---");
    let root_line = line_of(root_start);
    let mut line = root_line;
    let start = loop {
        if is_separator(line) {
            if line == root_line {
                break line; // the root starts on the separator's line (`--- {kind: Secret}`)
            }
            break memchr::memchr(b'\n', &bytes[line..]).map_or(bytes.len(), |nl| line + nl + 1);
        }
        if line == 0 {
            // The stream's start; a byte-order mark stays (masked, it would be three `*`).
            break if text.starts_with('\u{feff}') {
                '\u{feff}'.len_utf8()
            } else {
                0
            };
        }
        line = line_of(line - 1);
    };
    let end = memchr::memchr_iter(b'\n', &bytes[root_end..])
        .map(|nl| root_end + nl + 1)
        .find(|&line| is_separator(line))
        .unwrap_or(bytes.len());
    start.min(root_start)..end
}

/// Whether a piece after a Secret may be the rest of it: kubectl cuts a document at every
/// line that starts with `---`, inside a block scalar or a quoted string too, and what it cut
/// off is indented (block scalar lines) or is no object (it names no `kind`).
fn continues(text: &str, region: &Range<usize>) -> bool {
    let piece = text.get(region.clone()).unwrap_or_default();
    let first = piece.lines().find(|line| !line.trim().is_empty());
    first.is_some_and(|line| line.starts_with([' ', '\t'])) || !piece.contains("kind")
}

/// Masks a parsed document but what may be shown (see the module's documentation), and
/// collects the texts of the scalars it masks.
fn mask_tree<'t>(
    text: &str,
    tree: &'t Tree<'_>,
    region: Range<usize>,
    runs: &mut Vec<Span>,
    masked_texts: &mut Vec<(Span, &'t str)>,
) {
    let count = node_count(tree) as usize;
    let shown = shown_scalars(tree, count);
    // Per byte of the region: 0 outside every scalar, 1 in a shown one, 2 in a masked one.
    let mut state = vec![0u8; region.len()];
    let mut mark = |span: Span, value: u8| {
        let from = (span.start as usize).clamp(region.start, region.end) - region.start;
        let to = (span.end as usize).clamp(region.start, region.end) - region.start;
        for byte in &mut state[from..to.max(from)] {
            *byte = (*byte).max(value);
        }
    };
    for (id, &shown) in shown.iter().enumerate() {
        if let Some(scalar) = tree.scalar(id as NodeId) {
            let span = tree.span(id as NodeId);
            if shown {
                mark(span, 1);
            } else {
                mark(span, 2);
                masked_texts.push((span, &scalar.text));
            }
        }
    }
    // Outside scalars, a word (bytes between blanks and scalars) is shown only if it is made
    // of indicators: a comment, an anchor, a tag or an alias is masked whole, `:` in it too.
    let bytes = &text.as_bytes()[region.clone()];
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let mut word_start = 0;
    for at in 0..=bytes.len() {
        if at < bytes.len() && state[at] == 0 && !blank(bytes[at]) {
            continue;
        }
        let word = &bytes[word_start..at];
        if !word.iter().all(|b| b":-?,[]{}".contains(b)) {
            state[word_start..at].fill(2);
        }
        word_start = at + 1;
    }
    let mut run: Option<usize> = None;
    for (at, &state) in state.iter().enumerate() {
        let masked = state == 2;
        match (masked, run) {
            (true, None) => run = Some(at),
            (false, Some(start)) => {
                runs.push(Span::new(region.start + start, region.start + at));
                run = None;
            }
            _ => {}
        }
    }
    if let Some(start) = run {
        runs.push(Span::new(region.start + start, region.end));
    }
}

/// Per node: whether it is a scalar that may be shown. Only positions decide: keys that are
/// valid data keys, and the few fields of objects; a node at any other position (a value, an
/// item, an entry that a merge or a duplicate dropped) is masked wherever else it appears.
fn shown_scalars(tree: &Tree<'_>, count: usize) -> Vec<bool> {
    const OBJECT_FIELDS: [&str; 3] = ["apiVersion", "kind", "type"];
    const METADATA_FIELDS: [&str; 2] = ["name", "namespace"];
    // Objects: the root, and the mappings in an object's `items` (a list, or a mapping).
    let mut object = vec![false; count];
    let mut metadata = vec![false; count];
    let mut stack = vec![tree.root()];
    while let Some(id) = stack.pop() {
        if !tree.is_mapping(id) || std::mem::replace(&mut object[id as usize], true) {
            continue;
        }
        for &(key, value) in tree.entries(id) {
            match tree.key(key) {
                Some("metadata") if tree.is_mapping(value) => metadata[value as usize] = true,
                Some("items") => {
                    stack.extend(tree.items(value));
                    stack.extend(tree.entries(value).iter().map(|&(_, item)| item));
                }
                _ => {}
            }
        }
    }
    let mut allowed = vec![false; count];
    let mut denied = vec![false; count];
    let mut child = vec![false; count];
    for id in 0..count {
        for &(key, value) in tree.entries(id as NodeId) {
            let (key, value) = (key as usize, value as usize);
            child[key] = true;
            child[value] = true;
            let name = tree.key(key as NodeId);
            if name.is_some_and(is_shown_key) {
                allowed[key] = true;
            } else {
                denied[key] = true;
            }
            let shown_value = name.is_some_and(|name| {
                (object[id] && OBJECT_FIELDS.contains(&name))
                    || (metadata[id] && METADATA_FIELDS.contains(&name))
            });
            if shown_value {
                allowed[value] = true;
            } else {
                denied[value] = true;
            }
        }
        for &item in tree.items(id as NodeId) {
            child[item as usize] = true;
            denied[item as usize] = true;
        }
    }
    (0..count)
        .map(|id| child[id] && allowed[id] && !denied[id] && tree.scalar(id as NodeId).is_some())
        .collect()
}

/// The masks of a document that does not parse, by its text alone: none unless it names the
/// kind `Secret` ([`names_secret`]), else its lines ([`mask_lines`]).
pub(crate) fn mask_unparsed(text: &str, document: Span) -> Vec<Span> {
    let mut runs = Vec::new();
    if names_secret(text.get(document.range()).unwrap_or_default()) {
        mask_lines(text, document.range(), &mut runs);
    }
    runs
}

/// Masks a document that does not parse by its lines: what follows the first `:` of a line,
/// the key before it unless it is a valid data key (after indentation, `-`, `?`, brackets and
/// quotes), and a line without `:` whole (block scalar lines, list items, comments). A code
/// frame of the syntax error then shows the keys and the structure, never a value.
fn mask_lines(text: &str, region: Range<usize>, runs: &mut Vec<Span>) {
    let Some(piece) = text.get(region.clone()) else {
        return;
    };
    let mut at = region.start;
    for line in piece.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        match content.find(':') {
            Some(colon) => {
                let key = content[..colon]
                    .trim_start_matches(|c: char| c.is_whitespace() || "-?[{,".contains(c))
                    .trim_end()
                    .trim_matches(['"', '\'']);
                if !is_shown_key(key) && colon > indent {
                    runs.push(Span::new(at + indent, at + colon));
                }
                if content.len() > colon + 1 {
                    runs.push(Span::new(at + colon + 1, at + content.len()));
                }
            }
            None if content.len() > indent => {
                runs.push(Span::new(at + indent, at + content.len()));
            }
            None => {}
        }
        at += line.len();
    }
}

/// Sorted, disjoint spans: overlapping and touching runs are joined, and so are runs on one
/// line with only blanks between them (a masked comment after a masked value is one mask).
fn merge_runs(text: &str, mut runs: Vec<Span>) -> Vec<Span> {
    runs.retain(|span| !span.is_empty());
    runs.sort_unstable();
    let bytes = text.as_bytes();
    let mut merged: Vec<Span> = Vec::with_capacity(runs.len());
    for span in runs {
        if let Some(last) = merged.last_mut() {
            let gap = bytes
                .get(last.end as usize..span.start as usize)
                .unwrap_or_default();
            if span.start <= last.end || gap.iter().all(|&b| b == b' ' || b == b'\t') {
                last.end = last.end.max(span.end);
                continue;
            }
        }
        merged.push(span);
    }
    merged
}

/// Whether `span` overlaps one of the sorted, disjoint `redactions` (what code frames mask).
pub(crate) fn is_masked(redactions: &[Span], span: Span) -> bool {
    let after = redactions.partition_point(|r| r.end <= span.start);
    redactions
        .get(after)
        .is_some_and(|r| r.start < span.end.max(span.start + 1))
}

/// The texts of masked scalars that nothing unmasked shows, to be scrubbed out of messages.
/// They are kept only for that: nothing reads them.
#[derive(Debug, Default)]
pub struct SecretTexts {
    /// Each text, and the forms rules quote it in: `rules::shown` (escaped, cut) and Rust's
    /// (and Go's `%q`) quoting without its quotes, as the API server's messages have it.
    exact: HashSet<Box<str>>,
    /// The forms of at least [`LONG`] bytes by their first bytes, longest first.
    long: HashMap<[u8; LONG], Vec<Box<str>>, Windows>,
    /// Where each hidden text is written (sorted by span), with its index in `texts`.
    spans: Vec<(Span, u32)>,
    texts: Vec<Box<str>>,
}

impl SecretTexts {
    /// Texts of masked scalars but those some scalar of the file shows unmasked (a key of the
    /// same spelling, a name, a value of a document that is no Secret): quoting those tells
    /// nothing that a code frame does not.
    fn hidden(
        documents: &[DocumentResult<'_>],
        redactions: &[Span],
        masked: &[(Span, &str)],
    ) -> Self {
        let candidates: HashSet<&str> = masked
            .iter()
            .map(|&(_, text)| text)
            .filter(|text| !text.is_empty())
            .collect();
        if candidates.is_empty() {
            return Self::default();
        }
        let mut visible = HashSet::new();
        for document in documents {
            let DocumentResult::Document(tree) = document else {
                continue;
            };
            for id in 0..node_count(tree) {
                if let Some(scalar) = tree.scalar(id)
                    && candidates.contains(&*scalar.text)
                    && !is_masked(redactions, tree.span(id))
                {
                    visible.insert(&*scalar.text);
                }
            }
        }
        let mut secrets = Self::default();
        let mut index: HashMap<&str, u32> = HashMap::new();
        for &(span, text) in masked {
            if text.is_empty() || visible.contains(text) {
                continue;
            }
            let next = crate::source::to_u32(secrets.texts.len());
            let at = *index.entry(text).or_insert_with(|| {
                secrets.texts.push(text.into());
                next
            });
            secrets.spans.push((span, at));
        }
        secrets.spans.sort_unstable();
        for text in &secrets.texts {
            for form in forms(text) {
                if let Some(prefix) = form.as_bytes().first_chunk::<LONG>() {
                    secrets
                        .long
                        .entry(*prefix)
                        .or_default()
                        .push(form.as_str().into());
                }
                secrets.exact.insert(form.into());
            }
        }
        for bucket in secrets.long.values_mut() {
            bucket.sort_unstable_by_key(|text| std::cmp::Reverse(text.len()));
            bucket.dedup();
        }
        secrets
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// `text` with every hidden text in it made [`MASK`]: a quoted value (between backticks)
    /// that is one, and any occurrence of one at least `LONG` bytes long.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.scrub_near(text, &HashSet::default())
    }

    /// [`Self::scrub`], and also every run of `text` made of [`LONG`]-byte pieces of the
    /// `near` texts (the pieces of the values a diagnostic points at: a rule may quote part of
    /// one, or all of it cut short).
    fn scrub_near<'a>(&self, text: &'a str, near: &HashSet<[u8; LONG], Windows>) -> Cow<'a, str> {
        if self.is_empty() || text.is_empty() {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        // Which bytes are hidden text.
        let mut hidden = vec![false; bytes.len()];
        // Quoted values first: the pieces between backticks are odd-numbered.
        let mut at = 0;
        for (index, piece) in text.split('`').enumerate() {
            if index % 2 == 1 && self.exact.contains(piece) {
                hidden[at..at + piece.len()].fill(true);
            }
            at += piece.len() + 1;
        }
        for at in 0..bytes.len() {
            let Some(window) = bytes[at..].first_chunk::<LONG>() else {
                break;
            };
            if !near.is_empty() && near.contains(window) {
                hidden[at..at + LONG].fill(true);
            }
            let found = self.long.get(window).and_then(|bucket| {
                bucket
                    .iter()
                    .find(|form| bytes[at..].starts_with(form.as_bytes()))
            });
            if let Some(form) = found {
                hidden[at..at + form.len()].fill(true);
            }
        }
        if !hidden.contains(&true) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut in_mask = false;
        for (at, c) in text.char_indices() {
            // A character is hidden when any of its bytes is.
            if hidden[at..at + c.len_utf8()].contains(&true) {
                if !in_mask {
                    out.push_str(MASK);
                }
                in_mask = true;
            } else {
                out.push(c);
                in_mask = false;
            }
        }
        Cow::Owned(out)
    }

    /// The [`LONG`]-byte pieces of the hidden texts written at `spans` (in every form).
    fn pieces_at(&self, spans: impl IntoIterator<Item = Span>) -> HashSet<[u8; LONG], Windows> {
        let mut pieces = HashSet::default();
        for span in spans {
            let first = self.spans.partition_point(|(s, _)| s.end <= span.start);
            for &(at, text) in &self.spans[first..] {
                if at.start >= span.end.max(span.start + 1) {
                    break;
                }
                for form in forms(&self.texts[text as usize]) {
                    // Messages are cut (`bounded_text` keeps 600 characters and the last 300):
                    // only the ends of a long value can be in one.
                    let bytes = form.as_bytes();
                    let (head, tail) = if bytes.len() > 2 * EDGE {
                        (&bytes[..EDGE], &bytes[bytes.len() - EDGE..])
                    } else {
                        (bytes, &[][..])
                    };
                    let windows = head.windows(LONG).chain(tail.windows(LONG));
                    pieces.extend(windows.map(|w| {
                        let mut piece = [0; LONG];
                        piece.copy_from_slice(w);
                        piece
                    }));
                }
            }
        }
        pieces
    }

    /// Scrubs every text of a diagnostic that may quote the input: message, help, labels,
    /// the object and container names, the path, the fix's description. Where a finding
    /// about an object that is no Secret, or one of its labels, points at a hidden value (an
    /// image aliased from a Secret), any piece of that value goes too. A fix that would write a hidden text is dropped (it
    /// cannot be shown, and JSON and SARIF show fixes).
    pub fn scrub_diagnostic(&self, diagnostic: &mut Diagnostic) {
        if self.is_empty() {
            return;
        }
        // The rules about Secrets quote their keys and verdicts, never their values (see
        // `manifest::secret_content`), and a docker config's value holds words such as
        // `registry` that their messages use: pieces are looked for only in findings about
        // other objects.
        let about_secret = diagnostic
            .object
            .as_ref()
            .is_some_and(|object| &*object.kind == "Secret");
        let near = if about_secret {
            HashSet::default()
        } else {
            let here = diagnostic
                .labels
                .iter()
                .filter_map(|label| match label.target {
                    LabelTarget::Here(span) => Some(span),
                    LabelTarget::Elsewhere(_) => None,
                });
            self.pieces_at(std::iter::once(diagnostic.span).chain(here))
        };
        let scrub = |text: &mut String| {
            if let Cow::Owned(scrubbed) = self.scrub_near(text, &near) {
                *text = scrubbed;
            }
        };
        scrub(&mut diagnostic.message);
        diagnostic.help.as_mut().map(scrub);
        diagnostic.path.as_mut().map(scrub);
        for label in &mut diagnostic.labels {
            scrub(&mut label.message);
        }
        // Names are shown in code frames: only a hidden text as a whole goes.
        let scrub_box = |text: &mut Box<str>| match self.scrub(text) {
            Cow::Owned(scrubbed) => {
                *text = scrubbed.into();
                true
            }
            Cow::Borrowed(_) => false,
        };
        if let Some(container) = &mut diagnostic.container {
            scrub_box(container);
        }
        if let Some(object) = &diagnostic.object {
            let mut copy = ObjectRef::clone(object);
            let mut changed = scrub_box(&mut copy.kind);
            for text in [&mut copy.api_version, &mut copy.namespace, &mut copy.name]
                .into_iter()
                .flatten()
            {
                changed |= scrub_box(text);
            }
            if changed {
                diagnostic.object = Some(Arc::new(copy));
            }
        }
        if let Some(fix) = &mut diagnostic.fix {
            if fix
                .edits
                .iter()
                .any(|edit| matches!(self.scrub_near(&edit.replacement, &near), Cow::Owned(_)))
            {
                diagnostic.fix = None;
            } else {
                scrub(&mut fix.description);
            }
        }
    }
}

/// A hidden text as rules may quote it: as it is, as `rules::shown` writes it (escaped, cut
/// at 100 characters), and escaped as Rust's `{:?}` (and Go's `%q`, which the API server's
/// messages use) writes it, without the quotes.
fn forms(text: &str) -> [String; 3] {
    let debug = format!("{text:?}");
    let debug = debug[1..debug.len() - 1].to_owned();
    [text.to_owned(), crate::diagnostic::shown(text), debug]
}

/// A parser's message without what it quotes of the text, for a document that may be a
/// Secret: go-yaml's `unknown anchor 'x' referenced`, `encoding/json`'s `invalid character 'h'
/// looking for beginning of value` (one character of a password is still one too many), a
/// tag's ``cannot decode !!str `x` as a !!int``. What the grammar expects stays: one
/// punctuation character in single quotes (`did not find expected ',' or ']'`), what
/// `encoding/json` expects (`(expecting 'e')`), the `` `{{ … }}` `` of go-yaml's advice.
pub fn content_free(message: &str) -> String {
    const PLACEHOLDER: &str = "`{{ … }}`";
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    while let Some(found) = message[at..].find(['\'', '`']) {
        let start = at + found;
        let rest = &message[start..];
        let end = if rest.starts_with(PLACEHOLDER) {
            out.push_str(&message[at..start + PLACEHOLDER.len()]);
            at = start + PLACEHOLDER.len();
            continue;
        } else if rest.starts_with("'\\''") {
            // `encoding/json` quotes a quote as `'\''`.
            Some(start + 4)
        } else if rest.starts_with('`') {
            // What a tag could not decode may hold backticks itself: to the last one.
            message
                .rfind('`')
                .filter(|&last| last > start)
                .map(|last| last + 1)
        } else {
            rest[1..].find('\'').map(|close| start + 1 + close + 1)
        };
        let Some(end) = end else {
            // An unpaired quote: nothing after it is kept.
            out.push_str(message[at..start].trim_end_matches(' '));
            return out;
        };
        let before = &message[..start];
        let quoted = &message[start + 1..end - 1];
        let grammar = rest.starts_with('\'')
            && !before.ends_with("invalid character ")
            && quoted.chars().count() == 1
            && (quoted.bytes().all(|b| b.is_ascii_punctuation()) || before.ends_with("expecting "));
        if grammar {
            out.push_str(&message[at..end]);
        } else {
            out.push_str(message[at..start].trim_end_matches(' '));
        }
        at = end;
    }
    out.push_str(&message[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse_documents;

    /// The text with the masks of `mask_documents` applied.
    fn masked(text: &str) -> String {
        let documents = parse_documents(text);
        let masks = mask_documents(text, &documents);
        let mut bytes = text.as_bytes().to_vec();
        for span in &masks.redactions {
            for byte in &mut bytes[span.range()] {
                if !matches!(*byte, b'\n' | b'\r') {
                    *byte = b'*';
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_secret_shows_its_keys_kind_and_name_only() {
        let text = "\
# a comment: hunter2
apiVersion: v1
kind: Secret
metadata:
  name: reg
  namespace: team
  labels: {app: hunter2}
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{\"hunter2\": 1}'
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: !x'y 'hunter2'
  token: !secret hunter2 # hunter2
  key: |
    hunter2
";
        let shown = masked(text);
        assert!(!shown.contains("hunter2"), "{shown}");
        for visible in [
            "apiVersion: v1\n",
            "kind: Secret\n",
            "  name: reg\n  namespace: team\n",
            "  labels: {app: *******}\n",
            "type: kubernetes.io/dockerconfigjson\n",
            "  .dockerconfigjson: ",
            "  token: ",
            "  key: *",
        ] {
            assert!(shown.contains(visible), "`{visible}` in\n{shown}");
        }
        assert!(
            shown.starts_with("********************\n"),
            "comments go: {shown}"
        );
    }

    #[test]
    fn every_shape_that_leaked_is_masked() {
        for text in [
            // Duplicated fields: the losing copy is masked too.
            "kind: Secret\nstringData: {password: hunter2}\nstringData: {other: x}\n",
            "kind: Secret\ndata: {password: aHVudGVyMg==}\ndata: {}\n",
            "kind: Secret\nmetadata: {annotations: {a: hunter2}}\nmetadata: {name: x}\n",
            "kind: Secret\nkind: Secret\nstringData: {password: hunter2}\n",
            "kind: Secret\nitems: [hunter2]\nitems: []\n",
            // Annotations that are not a mapping.
            "kind: Secret\nmetadata: {annotations: hunter2}\n",
            // A shadowed merge.
            "kind: Secret\nstringData:\n  <<: {password: hunter2}\n  password: other\n",
            // No space after the colon: the password is part of the key.
            "kind: Secret\nstringData: {password:hunter2}\n",
            // Nested in Lists, `items` as a mapping.
            "kind: List\nitems:\n- kind: List\n  items:\n  - kind: Secret\n    stringData: {p: hunter2}\n",
            "kind: List\nitems: {a: {kind: Secret, stringData: {p: hunter2}}}\n",
            // A Secret value aliased into a name, a kind, an image.
            "kind: Secret\nstringData: {p: &p hunter2}\nmetadata: {name: *p}\n",
            "kind: List\nitems:\n- {kind: Secret, stringData: {p: &p hunter2}}\n- {kind: Pod, spec: {containers: [{name: a, image: *p}]}}\n",
            // Spelled otherwise.
            "\"kind\": \"Sec\\x72et\"\nstringData: {p: hunter2}\n",
            "kind: !!str Secret\nstringData: {p: hunter2}\n",
            "{\"kind\": \"Secret\", \"stringData\": {\"p\": \"hunter2\"}}",
            // A merge dropped the `kind: Secret` entry.
            "kind: Secret\n<<: {a: b}\nkind: Pod\nstringData: {p: hunter2}\n",
        ] {
            let shown = masked(text);
            assert!(!shown.contains("hunter2"), "{text}\n→\n{shown}");
            assert!(!shown.contains("aHVudGVyMg"), "{text}\n→\n{shown}");
        }
    }

    #[test]
    fn documents_that_are_no_secret_are_left_alone() {
        let text = "kind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: a, image: nginx}]} # c\n---\nkind: ConfigMap\ndata: {Secret: x, kind: Secrets}\n";
        assert_eq!(masked(text), text);
        let documents = parse_documents(text);
        assert!(mask_documents(text, &documents).secrets.is_empty());
    }

    #[test]
    fn pieces_cut_out_of_a_secret_are_masked() {
        // kubectl cuts at `---` inside a block scalar; the rest is a document of its own.
        let text = "kind: Secret\nstringData:\n  key: |\n    line1\n---\n    hunter2\n    x: [\n---\nkind: Pod\nmetadata: {name: web}\n";
        let shown = masked(text);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.ends_with("kind: Pod\nmetadata: {name: web}\n"),
            "{shown}"
        );
        let text = "kind: Secret\nstringData:\n  key: \"a\n---\nhunter2\"\n";
        assert!(!masked(text).contains("hunter2"), "{}", masked(text));
    }

    #[test]
    fn unparsed_secrets_are_masked_by_lines() {
        let text = "kind: Secret\nstringData:\n  password:hunter2, x: [\n  \"pass word\": hunter2\n  # hunter2\n";
        let shown = masked(text);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("stringData:"), "{shown}");
        assert!(!shown.contains("pass word"), "{shown}");
        // UTF-16 without its byte-order mark: NUL bytes between the letters.
        let utf16: String = "kind: Secret\nstringData: {p: hunter2\n"
            .chars()
            .flat_map(|c| [c, '\0'])
            .collect();
        let documents = parse_documents(&utf16);
        let masks = mask_documents(&utf16, &documents);
        assert_eq!(masks.secret_documents, [true]);
    }

    #[test]
    fn messages_lose_hidden_texts() {
        let text = "kind: List\nitems:\n- {kind: Secret, metadata: {name: reg}, stringData: {p: &p hunter2-long, q: abc, reg: x}}\n- {kind: Pod, metadata: {name: abc}, spec: {containers: [{name: a, image: *p}]}}\n";
        let documents = parse_documents(text);
        let secrets = mask_documents(text, &documents).secrets;
        assert_eq!(
            secrets.scrub("image `hunter2-long` in `docker.io/library/hunter2-long:latest`"),
            "image `***` in `docker.io/library/***:latest`"
        );
        // `abc` is also the Pod's name, and `reg` the Secret's: shown, so not scrubbed.
        assert_eq!(secrets.scrub("`abc` and `reg`"), "`abc` and `reg`");
        assert_eq!(secrets.scrub("`x` but x"), "`***` but x");
    }

    #[test]
    fn quoted_text_leaves_parser_messages() {
        for (message, free) in [
            (
                "invalid character 'h' looking for beginning of value",
                "invalid character looking for beginning of value",
            ),
            (
                "invalid character '\\'' after object key",
                "invalid character after object key",
            ),
            (
                "invalid character '}' in literal true (expecting 'e')",
                "invalid character in literal true (expecting 'e')",
            ),
            (
                "unknown anchor 'a1' referenced",
                "unknown anchor referenced",
            ),
            (
                "anchor 'x' value contains itself",
                "anchor value contains itself",
            ),
            (
                "cannot decode !!str `hun`ter2` as a !!int",
                "cannot decode !!str as a !!int",
            ),
            (
                "while parsing a flow sequence, did not find expected ',' or ']'",
                "while parsing a flow sequence, did not find expected ',' or ']'",
            ),
            (
                "invalid map key: a mapping cannot be a key (quote `{{ … }}` template placeholders)",
                "invalid map key: a mapping cannot be a key (quote `{{ … }}` template placeholders)",
            ),
            ("found a ' and nothing else", "found a"),
            ("did not find expected key", "did not find expected key"),
        ] {
            assert_eq!(content_free(message), free, "{message}");
        }
    }
}
