//! What reading a document gives: its tree, nothing, or a syntax error. A leaf that the
//! YAML and JSON readers and their dispatcher (`manifest/mod.rs`) share.

use super::tree::Tree;
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
