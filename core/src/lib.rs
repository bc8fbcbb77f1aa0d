//! imglint's core: container image references and Kubernetes manifests in, diagnostics out.
//!
//! No I/O and no printing happen here, so the same code runs in the CLI, in browsers and in
//! admission controllers (it builds for `wasm32-unknown-unknown` and `wasm32-wasip1`).
//!
//! ```
//! use imglint_core::{Config, lint_text};
//!
//! let report = lint_text("pod.yaml", "kind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n", &Config::default());
//! let (_, first) = report.diagnostics().next().unwrap();
//! assert_eq!(first.rule.code, "IMG103");
//! ```

pub mod admission;
pub mod api_validation;
pub mod config;
pub mod diagnostic;
pub mod excerpt;
pub mod facts;
pub mod file;
pub mod findings;
pub mod fix;
pub mod image_info;
pub mod index;
pub mod json;
pub mod keyring;
pub mod limits;
pub mod lint;
pub mod manifest;
pub mod prescan;
pub mod pull_policy;
pub mod pull_secrets;
pub mod redaction;
pub mod reference;
pub mod report;
pub mod rule_meta;
pub mod rules;
pub mod source;
pub mod suppression;

pub use config::Config;
pub use diagnostic::{Diagnostic, Severity};
pub use file::FileAnalysis;
pub use image_info::ImageInfo;
pub use lint::{Linter, RunFacts, facts_of, lint, lint_text, read_for_facts};
pub use pull_policy::PullPolicy;
pub use reference::{ImageReference, ReferenceError, ReferenceErrorKind, parse_normalized};
pub use report::{FileReport, Report};
pub use source::Span;
