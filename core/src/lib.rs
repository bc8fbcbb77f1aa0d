//! imglint's core: container image references and Kubernetes manifests in, diagnostics out.
//!
//! No I/O and no printing happen here, so the same code runs in the CLI, in browsers and in
//! admission controllers (it builds for `wasm32-unknown-unknown` and `wasm32-wasip1`).

pub mod api_validation;
pub mod image_info;
pub mod pull_policy;
pub mod reference;
pub mod source;

pub use image_info::ImageInfo;
pub use pull_policy::PullPolicy;
pub use reference::{ImageReference, ReferenceError, ReferenceErrorKind, parse_normalized};
pub use source::Span;
