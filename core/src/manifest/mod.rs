//! Manifests: text into documents ([`tree`]), documents into Kubernetes objects ([`model`]).

mod document;
pub(crate) mod json;
pub mod model;
pub mod read;
pub mod scalar;
mod secret_content;
mod stream;
pub mod tree;
mod yaml;

pub use document::{DocumentResult, SyntaxError};
pub use tree::{NodeId, ScalarKind, Tree};

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
