//! What each fuzz target checks, as plain functions that panic on a violated invariant.
//!
//! The fuzz targets (`fuzz/fuzz_targets/*.rs`, nightly, libFuzzer) call these, and so does
//! `core/tests/fuzz_regressions.rs` (stable, `cargo test`), which includes this directory with
//! `#[path]` and runs every seed and every saved regression input through the same checks.
//! So the checks compile with the dependencies both crates have: `imglint-core`, `oci-spec`,
//! `regex`, `regex-automata`, `proptest` (the oracle's generators) and `serde_json`.

pub mod config_file;
pub mod docker_config;
pub mod lint;
pub mod reference;

/// Upstream's reference grammar as regular expressions, the judge of `reference` (shared with
/// core's property tests; its generators are unused here).
#[allow(dead_code)]
#[path = "../../../core/tests/common/oracle.rs"]
pub mod oracle;

use imglint_core::source::Span;

/// Input as text: `None` when it is not UTF-8 (the targets that only ever see text skip it).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Panics unless `span` lies within `text` with both ends on character boundaries.
#[track_caller]
pub fn assert_span(text: &str, span: Span, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: span {start}..{end} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {start}..{end} not on character boundaries"
    );
}
