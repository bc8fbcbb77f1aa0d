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
                analysis
                    .redactions
                    .extend(unparsed_secret_values(text, valid));
                analysis.syntax_errors.push(SyntaxError {
                    offset: u32::try_from(valid).unwrap_or(u32::MAX),
                    message: format!(
                        "the file is not valid UTF-8 (byte 0x{:02X}); manifests must be UTF-8",
                        bytes[valid]
                    ),
                });
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
                        .extend(unparsed_secret_values(text, error.offset as usize));
                    analysis.syntax_errors.push(error);
                }
            }
        }
        analysis
    }

    fn from_parts(name: String, text: &str, keep_text: bool, documents: u32) -> Self {
        Self {
            name,
            text: (keep_text || !text.is_ascii()).then(|| text.into()),
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

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: u32) -> LineColumn {
        match &self.text {
            Some(text) => self.lines.line_column(text, offset),
            // Without the text the file was ASCII: a column is a byte count.
            None => {
                let line = self.lines.line_of(offset);
                let column = offset - self.lines.line_start(line).min(offset);
                LineColumn {
                    line: u32::try_from(line + 1).unwrap_or(u32::MAX),
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

/// Values of a Secret that could not be parsed, found by text alone: in the document around
/// `offset` (between `---` lines; the whole stream for JSON), if it names the kind `Secret`,
/// everything after the first `:` of each line. A code frame of a syntax error then shows the
/// keys and the structure, never a value.
fn unparsed_secret_values(text: &str, offset: usize) -> Vec<Span> {
    let offset = offset.min(text.len());
    let is_marker = |line: &str| line.starts_with("---") || line.starts_with("...");
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let mut start = 0;
    let mut end = text.len();
    if !json {
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if is_marker(line) {
                if at + line.len() <= offset {
                    start = at + line.len();
                } else if at >= offset {
                    end = at;
                    break;
                }
            }
            at += line.len();
        }
    }
    let document = &text[start..end];
    let names_secret = crate::facts::names_kind(document.as_bytes(), "Secret");
    if !names_secret {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut at = start;
    for line in document.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(colon) = content.find(':') {
            let value_start = at + colon + 1;
            let value_end = at + content.len();
            if value_end > value_start {
                spans.push(Span::new(value_start, value_end));
            }
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
