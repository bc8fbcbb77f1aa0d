//! The one diagnostic type. The core decides what is said and where; every face (miette for
//! humans, JSON, SARIF, GitHub annotations, the browser) only renders it.

use std::sync::Arc;

use serde::Serialize;

/// The bounds of a finding's texts and names ([`bounded_text`], [`bounded_name`]).
pub use crate::limits::{MAX_NAME, MAX_TEXT};
use crate::rule_meta::RuleMeta;
pub use crate::rule_meta::Severity;
use crate::source::{LineColumn, Span};

/// A place in another file, resolved while that file was read (files are not kept in memory
/// for the whole run, so the position and a few lines around it travel with the label).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub span: Span,
    pub start: LineColumn,
    pub end: LineColumn,
    /// The lines around the span, with Secret values masked, for code frames.
    pub snippet: Option<Snippet>,
}

/// Some lines of a file: `text` starts at byte `offset` of the file, its lines longer than
/// [`crate::excerpt::MAX_LINE`] characters cut around the span (see [`crate::excerpt`]), and
/// `span` is where the label's span is in `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: Box<str>,
    pub offset: u32,
    pub span: Span,
}

/// Where a label points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelTarget {
    /// In the diagnostic's own file.
    Here(Span),
    Elsewhere(Location),
}

/// A secondary place that explains a finding (the Secret, the ServiceAccount, the flag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub target: LabelTarget,
    pub message: String,
}

/// One replacement in the diagnostic's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A change that certainly fixes the finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

/// The object a finding is about, as the JSON output names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: Option<Box<str>>,
    pub kind: Box<str>,
    /// The effective namespace (written, else the run's default); `None` for findings that
    /// are not in an object.
    pub namespace: Option<Box<str>>,
    pub name: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// What is wrong: lower case, no trailing period, values in backticks.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The exact value that is wrong (in the file whose report holds this diagnostic).
    pub span: Span,
    pub labels: Vec<Label>,
    pub fix: Option<Fix>,
    pub object: Option<Arc<ObjectRef>>,
    /// The container (or image volume) name, for findings about one.
    pub container: Option<Box<str>>,
    /// JSON path of the value in its object (`spec.template.spec.containers[0].image`).
    pub path: Option<String>,
    /// The Kustomize roots (their kustomization files) whose rendered output produced this
    /// finding, when the CLI linted rendered output and mapped the finding back to where it is
    /// written; empty for a finding in a file linted as written.
    pub rendered_by: Vec<Box<str>>,
    /// The Helm template the finding's document was rendered from, as the `# Source:` comment
    /// `helm template` writes before each document names it (lines stay the stream's).
    pub template: Option<Box<str>>,
}

/// `text`, cut to [`MAX_TEXT`] characters.
pub fn bounded_text(text: String) -> String {
    const HEAD: usize = 600;
    const TAIL: usize = 300;
    if text.len() <= MAX_TEXT || text.chars().nth(MAX_TEXT).is_none() {
        return text;
    }
    let head = text.char_indices().nth(HEAD).map_or(text.len(), |(i, _)| i);
    let tail = text
        .char_indices()
        .rev()
        .nth(TAIL - 1)
        .map_or(head, |(i, _)| i.max(head));
    format!("{}…{}", &text[..head], &text[tail..])
}

/// `name`, cut to [`MAX_NAME`] characters.
pub fn bounded_name(name: &str) -> Box<str> {
    match name.char_indices().nth(MAX_NAME) {
        Some((cut, _)) => format!("{}…", &name[..cut]).into(),
        None => name.into(),
    }
}

/// A value as messages quote it: escaped, and cut short when very long (a value may be a
/// megabyte of text).
pub fn shown(value: &str) -> String {
    const MAX: usize = crate::limits::MAX_SHOWN;
    // Almost every value is short printable ASCII that `escape_debug` leaves alone: copy it
    // instead of escaping it character by character (the same text, a tenth of the work).
    if value.len() <= MAX
        && value
            .bytes()
            .all(|b| b == b' ' || (b.is_ascii_graphic() && !matches!(b, b'\\' | b'\'' | b'"')))
    {
        return value.to_owned();
    }
    let escaped: String = value.escape_debug().collect();
    match escaped.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &escaped[..cut]),
        None => escaped,
    }
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, severity: Severity, span: Span, message: String) -> Self {
        Self {
            rule,
            severity,
            message: bounded_text(message),
            help: None,
            span,
            labels: Vec::new(),
            fix: None,
            object: None,
            container: None,
            path: None,
            rendered_by: Vec::new(),
            template: None,
        }
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(bounded_text(help.into()));
        self
    }

    /// A label in the same file.
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            target: LabelTarget::Here(span),
            message: bounded_text(message.into()),
        });
        self
    }

    /// A label in another file.
    pub fn label_elsewhere(&mut self, location: Location, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            target: LabelTarget::Elsewhere(location),
            message: bounded_text(message.into()),
        });
        self
    }

    pub fn fix(&mut self, description: impl Into<String>, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Fix {
            description: bounded_text(description.into()),
            edits,
        });
        self
    }

    pub fn path(&mut self, path: impl Into<String>) -> &mut Self {
        self.path = Some(bounded_text(path.into()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_fast_path_is_escape_debug() {
        let slow = |value: &str| {
            let escaped: String = value.escape_debug().collect();
            match escaped.char_indices().nth(100) {
                Some((cut, _)) => format!("{}…", &escaped[..cut]),
                None => escaped,
            }
        };
        for byte in 0..=0x7f_u8 {
            let one = char::from(byte).to_string();
            assert_eq!(shown(&one), slow(&one), "{byte:#x}");
            let around = format!("nginx:1.{one}27");
            assert_eq!(shown(&around), slow(&around), "{byte:#x}");
        }
        for value in [
            "a".repeat(100),
            "a".repeat(101),
            "é".repeat(60),
            "x y".into(),
        ] {
            assert_eq!(shown(&value), slow(&value));
        }
    }

    #[test]
    fn long_texts_and_names_are_cut() {
        let short = "image `nginx` is not pinned".to_owned();
        assert_eq!(bounded_text(short.clone()), short);
        let exact = "é".repeat(MAX_TEXT);
        assert_eq!(
            bounded_text(exact.clone()),
            exact,
            "the limit counts characters"
        );

        let value = "a".repeat(1 << 20);
        let cut = bounded_text(format!("pull secret `{value}` is listed more than once"));
        assert!(cut.chars().count() <= MAX_TEXT, "{}", cut.len());
        assert!(cut.starts_with("pull secret `aaa"));
        assert!(
            cut.ends_with("aaa` is listed more than once"),
            "the end is kept"
        );
        assert_eq!(cut.matches('…').count(), 1);

        assert_eq!(&*bounded_name("web"), "web");
        assert_eq!(&*bounded_name(&"n".repeat(MAX_NAME)), "n".repeat(MAX_NAME));
        let name = bounded_name(&"é".repeat(1 << 16));
        assert_eq!(name.chars().count(), MAX_NAME + 1);
        assert!(name.ends_with('…'));
    }
}
