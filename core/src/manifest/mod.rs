//! Manifests: text into documents ([`tree`]), documents into Kubernetes objects ([`model`]).

pub(crate) mod json;
pub mod model;
pub mod read;
pub mod scalar;
mod secret_content;
mod stream;
pub mod tree;
mod yaml;

pub use tree::{NodeId, ScalarKind, Tree};

use crate::source::Span;

/// A document that could not be parsed: where the parser stopped, and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset in the file.
    pub offset: u32,
    pub message: String,
    /// The document that failed (the whole stream for JSON), so that its Secret values can be
    /// masked without splitting the text again.
    pub document: Span,
}

impl SyntaxError {
    pub(crate) fn new(offset: usize, message: String, document: std::ops::Range<usize>) -> Self {
        Self {
            offset: crate::source::to_u32(offset),
            message,
            document: document.into(),
        }
    }
}

/// One document of a stream.
#[derive(Debug)]
pub enum DocumentResult<'src> {
    Document(Tree<'src>),
    /// Nothing but comments, markers or `null`.
    Empty,
    Error(SyntaxError),
}

/// Parses a file's documents. Like kubectl's `YAMLOrJSONDecoder`, a stream whose first
/// non-space character is `{` is JSON; anything else is YAML.
pub fn parse_documents(text: &str) -> Vec<DocumentResult<'_>> {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = &text[bom..];
    if body.trim_start().starts_with('{') {
        json::parse_stream(body, bom)
    } else {
        yaml::parse_stream(body, bom)
    }
}
