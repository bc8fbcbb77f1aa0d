//! What the reader reports instead of a field with the wrong shape. A leaf: the reader and
//! `secret_content` (which checks Secret values as they are read) both produce it.

use crate::source::Span;

/// A known field with the wrong shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// The container (or volume) it is in, if any.
    pub container: Option<Box<str>>,
}
