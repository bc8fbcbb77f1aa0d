//! One input file, read: its documents' objects and errors, and how to find lines in it.

use crate::manifest::model::Object;
use crate::manifest::read::{ShapeError, read_document};
use crate::manifest::{DocumentResult, SyntaxError, parse_documents};
use crate::redaction::{self, SecretTexts};
use crate::source::{LineColumn, LineIndex, Span};

/// An object with the shape errors found while reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectEntry {
    pub object: Object,
    pub shape_errors: Vec<ShapeError>,
}

/// Everything the run keeps of a file once it is read. The document trees are gone; the text
/// is kept only when asked (code frames need it) or when it is not ASCII (columns count
/// characters, so they need it too).
#[derive(Debug)]
pub struct FileAnalysis {
    /// The path as given (`<stdin>` for standard input).
    pub name: String,
    text: Option<Box<str>>,
    /// Whether the text is ASCII, so that a column is a byte count (counting the characters
    /// before every finding of a megabyte line would cost the line's length each time).
    ascii: bool,
    lines: LineIndex,
    /// Documents with content (empty ones are not counted).
    pub documents: u32,
    pub objects: Vec<ObjectEntry>,
    /// Documents that could not be parsed (IMG001).
    pub syntax_errors: Vec<SyntaxError>,
    /// Shape errors outside any object (a `List`'s `items`).
    pub document_errors: Vec<ShapeError>,
    /// What no renderer may show (sorted, disjoint): everything of a document that may be a
    /// Secret but its keys, kind and name ([`crate::redaction`]).
    pub redactions: Vec<Span>,
    /// Texts of masked values that nothing unmasked shows: scrubbed out of every diagnostic.
    secrets: SecretTexts,
}

impl FileAnalysis {
    /// Reads a file's bytes as kubectl reads them: its file reader decodes with
    /// `unicode.BOMOverride(unicode.UTF8.NewDecoder())`, so UTF-16 with a byte-order mark is
    /// transcoded, and bytes that are not UTF-8 become U+FFFD (kubectl accepts such a file and
    /// the API server sees the replacement character). Positions are then in the decoded text.
    pub fn read(name: impl Into<String>, bytes: &[u8], keep_text: bool) -> Self {
        let text = decode_like_kubectl(bytes);
        Self::read_text(name, &text, keep_text)
    }

    /// Reads a file's text.
    pub fn read_text(name: impl Into<String>, text: &str, keep_text: bool) -> Self {
        let mut analysis = Self::from_parts(name.into(), text, keep_text);
        let documents = parse_documents(text);
        let masks = redaction::mask_documents(text, &documents);
        for (document, secret) in documents.into_iter().zip(masks.secret_documents) {
            match document {
                DocumentResult::Document(tree) => {
                    analysis.documents += 1;
                    let read = read_document(&tree, text);
                    analysis.objects.extend(read.objects.into_iter().map(
                        |(object, shape_errors)| ObjectEntry {
                            object,
                            shape_errors,
                        },
                    ));
                    analysis.document_errors.extend(read.errors);
                }
                DocumentResult::Empty => {}
                DocumentResult::Error(mut error) => {
                    analysis.documents += 1;
                    if secret {
                        error.message = redaction::content_free(&error.message);
                    }
                    analysis.syntax_errors.push(error);
                }
            }
        }
        analysis.redactions = masks.redactions;
        analysis.secrets = masks.secrets;
        analysis
    }

    fn from_parts(name: String, text: &str, keep_text: bool) -> Self {
        let ascii = text.is_ascii();
        Self {
            name,
            text: (keep_text || !ascii).then(|| text.into()),
            ascii,
            lines: LineIndex::new(text),
            documents: 0,
            objects: Vec::new(),
            syntax_errors: Vec::new(),
            document_errors: Vec::new(),
            redactions: Vec::new(),
            secrets: SecretTexts::default(),
        }
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
    }

    /// Drops the text where only code frames would need it (a reading kept from the first
    /// pass for a report without frames): as reading with `keep_text` false does, the text of
    /// a file that is not ASCII stays, since its columns count characters.
    pub fn forget_text(&mut self) {
        if self.ascii {
            self.text = None;
        }
    }

    /// The text, when it was kept.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// `text[range]` with every Secret value masked by `*` (line breaks kept): the only text
    /// any renderer may show. `range` must fall on line starts or the text's ends.
    pub fn masked_text(&self, text: &str, range: std::ops::Range<usize>) -> String {
        let (start, end) = (range.start, range.end.min(text.len()));
        let mut bytes = text.as_bytes()[start.min(end)..end].to_vec();
        // Redactions are sorted and disjoint: visit only those that reach the range.
        let first = self
            .redactions
            .partition_point(|redacted| (redacted.end as usize) <= start);
        let reaching = self.redactions[first..]
            .iter()
            .take_while(|redacted| (redacted.start as usize) < end);
        for redacted in reaching {
            let from = (redacted.start as usize).clamp(start, end) - start;
            let to = (redacted.end as usize).clamp(start, end) - start;
            for byte in &mut bytes[from..to.max(from)] {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b'*';
                }
            }
        }
        // Whole bytes become ASCII, so what was UTF-8 stays UTF-8.
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Takes every text of the file's Secrets that no code frame shows out of `diagnostics`
    /// (a value aliased into an image, a key quoted by IMG002): see [`SecretTexts`].
    pub fn scrub(&self, diagnostics: &mut [crate::Diagnostic]) {
        if !self.secrets.is_empty() {
            for diagnostic in diagnostics {
                self.secrets.scrub_diagnostic(diagnostic);
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: u32) -> LineColumn {
        match &self.text {
            Some(text) if !self.ascii => self.lines.line_column(text, offset),
            // An ASCII file (its text is kept only when asked): a column is a byte count.
            _ => {
                let line = self.lines.line_of(offset);
                let column = offset - self.lines.line_start(line).min(offset);
                LineColumn {
                    line: crate::source::to_u32(line + 1),
                    column: column + 1,
                }
            }
        }
    }

    /// Number of containers (all kinds) in the file's pod specs.
    pub fn container_count(&self) -> usize {
        self.objects
            .iter()
            .map(|entry| match &entry.object.content {
                crate::manifest::model::Content::Workload(pod) => pod.containers.len(),
                _ => 0,
            })
            .sum()
    }
}

/// The text kubectl's file reader makes of a file's bytes (see [`FileAnalysis::read`]). A
/// byte-order mark is kept (the YAML and JSON readers skip it), so that a UTF-8 file's offsets
/// stay the file's.
pub fn decode_like_kubectl(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let utf16 = |body: &[u8], big_endian: bool| {
        let units = body.chunks(2).map(|pair| match *pair {
            [a, b] if big_endian => u16::from_be_bytes([a, b]),
            [a, b] => u16::from_le_bytes([a, b]),
            // An odd last byte: x/text's decoder writes U+FFFD for it.
            _ => 0xfffd,
        });
        Cow::Owned(
            char::decode_utf16(units)
                .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect(),
        )
    };
    // The mark stays, as U+FEFF: the readers skip one leading mark, which is the one kubectl's
    // decoder removed (a second one, after it, is then text to both).
    match bytes {
        [0xfe, 0xff, ..] => utf16(bytes, true),
        [0xff, 0xfe, ..] => utf16(bytes, false),
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(crate::source::go_lossy_utf8(bytes)),
        },
    }
}

/// `metadata.namespace`, else the run's default.
pub fn namespace_of<'a>(entry: &'a ObjectEntry, default_namespace: &'a str) -> &'a str {
    entry
        .object
        .namespace
        .as_ref()
        .map_or(default_namespace, |namespace| &namespace.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_unparsed_secrets_are_redacted_by_text() {
        let text = "kind: Pod\nmetadata: {name: p}\n---\nkind: Secret\nstringData:\n  password: HUNTER2\n  x: [\n---\nkind: Pod\nspec: {}\n";
        let file = FileAnalysis::read_text("a.yaml", text, true);
        let hidden: Vec<&str> = file.redactions.iter().map(|s| s.slice(text)).collect();
        assert!(hidden.contains(&" HUNTER2"), "{hidden:?}");
        assert!(hidden.contains(&" Secret"));
        assert!(
            !hidden.iter().any(|h| h.contains("Pod")),
            "other documents keep their text: {hidden:?}"
        );

        let bytes = b"kind: Secret\nstringData:\n  password: HUNTER\xff\n";
        let file = FileAnalysis::read("b.yaml", bytes, true);
        let hidden: Vec<&str> = file
            .redactions
            .iter()
            .map(|s| s.slice(file.text().unwrap()))
            .collect();
        assert!(hidden.iter().any(|h| h.contains("HUNTER")), "{hidden:?}");

        let file = FileAnalysis::read_text("c.yaml", "kind: Pod\nspec: [\n", true);
        assert!(file.redactions.is_empty(), "not a Secret");

        // Review findings: a `---x` line is content, not a marker; block scalar lines have no
        // `:`. Neither may show a value.
        for text in [
            "kind: Secret\nstringData:\n  password: HUNTER2\n---x: 1\n  x: [\n",
            "kind: Secret\nstringData:\n  key: |\n    HUNTER2\n  x: [\n",
        ] {
            let file = FileAnalysis::read_text("d.yaml", text, true);
            let mut masked = text.as_bytes().to_vec();
            for span in &file.redactions {
                masked[span.range()].fill(b'*');
            }
            let masked = String::from_utf8(masked).unwrap();
            assert!(!masked.contains("HUNTER2"), "{masked}");
            assert!(masked.contains("stringData:"), "keys stay: {masked}");
        }
    }

    #[test]
    fn a_broken_document_does_not_hide_the_others() {
        let text =
            "kind: Pod\nspec: {containers: [{image: a}]}\n---\nkind: [\n---\nkind: Pod\nspec: {}\n";
        let file = FileAnalysis::read_text("f.yaml", text, false);
        assert_eq!(file.documents, 3);
        assert_eq!(file.objects.len(), 2);
        assert_eq!(file.syntax_errors.len(), 1);
        assert_eq!(file.line_column(file.syntax_errors[0].offset).line, 5);
    }

    #[test]
    fn bytes_are_decoded_as_kubectl_decodes_them() {
        // kubectl reads invalid UTF-8 as U+FFFD, one per byte, and accepts the file.
        let file = FileAnalysis::read(
            "f.yaml",
            b"kind: Pod\nmetadata: {name: caf\xe9\xe9}\n",
            false,
        );
        assert!(file.syntax_errors.is_empty(), "{:?}", file.syntax_errors);
        let name = file.objects[0].object.name.as_ref().unwrap();
        assert_eq!(&*name.value, "caf\u{fffd}\u{fffd}");
        // UTF-16 with a byte-order mark, either order, is transcoded.
        let text = "\u{feff}kind: Pod\nmetadata: {name: caf\u{e9}}\n";
        for big_endian in [false, true] {
            let bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| {
                    if big_endian {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect();
            let file = FileAnalysis::read("f.yaml", &bytes, false);
            assert!(file.syntax_errors.is_empty(), "{:?}", file.syntax_errors);
            assert_eq!(
                &*file.objects[0].object.name.as_ref().unwrap().value,
                "caf\u{e9}"
            );
        }
        // Without the mark it is UTF-8 full of NUL bytes, which go-yaml refuses.
        let bytes: Vec<u8> = "kind: Pod\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let file = FileAnalysis::read("f.yaml", &bytes, false);
        assert_eq!(file.syntax_errors.len(), 1);
        assert_eq!(
            crate::source::go_lossy_utf8(b"a\xe9\x80b"),
            "a\u{fffd}\u{fffd}b"
        );
    }

    #[test]
    fn columns_count_characters() {
        let file = FileAnalysis::read_text("f.yaml", "a: é\nb: [\n", false);
        assert!(file.text().is_some(), "non-ASCII text is kept for columns");
        let at = file.line_column(file.syntax_errors[0].offset);
        assert_eq!(at.line, 3);
    }
}
