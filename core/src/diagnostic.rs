//! The one diagnostic type. The core decides what is said and where; every face (miette for
//! humans, JSON, SARIF, GitHub annotations, the browser) only renders it.

use std::fmt;

use std::sync::Arc;

use serde::Serialize;

use crate::rules::RuleMeta;
use crate::source::{LineColumn, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "info" => Some(Self::Info),
            "warning" => Some(Self::Warning),
            "error" => Some(Self::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// Some lines of a file: `text` starts at byte `offset` of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: Box<str>,
    pub offset: u32,
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
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, severity: Severity, span: Span, message: String) -> Self {
        Self {
            rule,
            severity,
            message,
            help: None,
            span,
            labels: Vec::new(),
            fix: None,
            object: None,
            container: None,
            path: None,
        }
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// A label in the same file.
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            target: LabelTarget::Here(span),
            message: message.into(),
        });
        self
    }

    /// A label in another file.
    pub fn label_elsewhere(&mut self, location: Location, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            target: LabelTarget::Elsewhere(location),
            message: message.into(),
        });
        self
    }

    pub fn fix(&mut self, description: impl Into<String>, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Fix {
            description: description.into(),
            edits,
        });
        self
    }

    pub fn path(&mut self, path: impl Into<String>) -> &mut Self {
        self.path = Some(path.into());
        self
    }
}
