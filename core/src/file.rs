//! One input file, read: its documents' objects and errors, and how to find lines in it.

use crate::manifest::model::Object;
use crate::manifest::read::{ShapeError, read_document};
use crate::manifest::{DocumentResult, SyntaxError, parse_documents};
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
    /// Spans of Secret values: no renderer may show them.
    pub redactions: Vec<Span>,
}

impl FileAnalysis {
    /// Reads a file's bytes. Text that is not UTF-8 is a syntax error at the first bad byte
    /// (the valid part before it is still read).
    pub fn read(name: impl Into<String>, bytes: &[u8], keep_text: bool) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::read_text(name, text, keep_text),
            Err(error) => {
                let valid = error.valid_up_to();
                // The prefix is valid UTF-8 by construction.
                let text = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
                let mut analysis = Self::from_parts(name.into(), text, true, 1);
                let error = SyntaxError::new(
                    valid,
                    format!(
                        "the file is not valid UTF-8 (byte 0x{:02X}); manifests must be UTF-8",
                        bytes[valid]
                    ),
                    0..valid,
                );
                analysis
                    .redactions
                    .extend(unparsed_secret_values(text, error.document));
                analysis.syntax_errors.push(error);
                analysis
            }
        }
    }

    /// Reads a file's text.
    pub fn read_text(name: impl Into<String>, text: &str, keep_text: bool) -> Self {
        let mut analysis = Self::from_parts(name.into(), text, keep_text, 0);
        for document in parse_documents(text) {
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
                    analysis.redactions.extend(read.redactions);
                }
                DocumentResult::Empty => {}
                DocumentResult::Error(error) => {
                    analysis.documents += 1;
                    analysis
                        .redactions
                        .extend(unparsed_secret_values(text, error.document));
                    analysis.syntax_errors.push(error);
                }
            }
        }
        analysis
    }

    fn from_parts(name: String, text: &str, keep_text: bool, documents: u32) -> Self {
        let ascii = text.is_ascii();
        Self {
            name,
            text: (keep_text || !ascii).then(|| text.into()),
            ascii,
            lines: LineIndex::new(text),
            documents,
            objects: Vec::new(),
            syntax_errors: Vec::new(),
            document_errors: Vec::new(),
            redactions: Vec::new(),
        }
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
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
        for redacted in &self.redactions {
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

/// Values of a Secret document that could not be parsed, found by text alone: if the document
/// names the kind `Secret`, everything after the first `:` of each line, and lines without a
/// `:` whole (block scalars, list items). A code frame of a syntax error then shows the keys
/// and the structure, never a value.
fn unparsed_secret_values(text: &str, document: Span) -> Vec<Span> {
    let Some(document_text) = text.get(document.range()) else {
        return Vec::new();
    };
    if !crate::facts::names_kind(document_text.as_bytes(), "Secret") {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut at = document.start as usize;
    for line in document_text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let value_start = match content.find(':') {
            Some(colon) => colon + 1,
            None => content.len() - content.trim_start().len(),
        };
        if content.len() > value_start {
            spans.push(Span::new(at + value_start, at + content.len()));
        }
        at += line.len();
    }
    spans
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
        assert!(hidden.contains(&" HUNTER"), "{hidden:?}");

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
    fn invalid_utf8_is_a_positioned_error() {
        let file = FileAnalysis::read("f.yaml", b"kind: Pod\nname: \xff\n", false);
        assert_eq!(file.syntax_errors.len(), 1);
        let at = file.line_column(file.syntax_errors[0].offset);
        assert_eq!((at.line, at.column), (2, 7));
    }

    #[test]
    fn columns_count_characters() {
        let file = FileAnalysis::read_text("f.yaml", "a: é\nb: [\n", false);
        assert!(file.text().is_some(), "non-ASCII text is kept for columns");
        let at = file.line_column(file.syntax_errors[0].offset);
        assert_eq!(at.line, 3);
    }
}
