//! imglint against `oci-spec`'s `distribution::Reference`, the Rust ecosystem's existing parser,
//! on every conformance input and on property-generated references.
//!
//! Where the two disagree, upstream decides: on conformance inputs the vectors do, on generated
//! inputs the regex oracle of `common/oracle.rs` does, and imglint must be the one that agrees.
//! Every disagreement must also fall into a category that `docs/conformance.md` lists (by its
//! `oci-spec:` id) with the upstream case that shows who is right. A new kind of disagreement
//! fails the test until it is understood and documented.

mod common;
// The fuzz targets' checks: their `classify` is the one list of understood disagreements. (They
// bring `common/oracle.rs` in again, as their judge; only this file's copy is used here.)
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "../../fuzz/src/checks/mod.rs"]
mod checks;

use std::collections::BTreeMap;
use std::sync::Mutex;

use checks::reference::{
    Verdict, classify, imglint_verdict as imglint, oci_spec_verdict as oci_spec,
};
use common::oracle::{ORACLE, reference_like};
use proptest::prelude::*;

/// Disagreement categories seen in this test binary, with one example each.
static SEEN: Mutex<BTreeMap<&'static str, String>> = Mutex::new(BTreeMap::new());

fn compare(input: &str, upstream: &Verdict) -> Result<(), String> {
    let (ours, theirs) = (imglint(input), oci_spec(input));
    if &ours != upstream {
        return Err(format!(
            "{input:?}: imglint {ours:?} but upstream {upstream:?}"
        ));
    }
    if ours == theirs {
        return Ok(());
    }
    let Some(category) = classify(input, &ours, &theirs) else {
        return Err(format!(
            "unexplained disagreement on {input:?}: imglint {ours:?}, oci-spec {theirs:?}"
        ));
    };
    let documented = documented_categories();
    if !documented.contains(&format!("oci-spec:{category}")) {
        return Err(format!(
            "category `oci-spec:{category}` ({input:?}) is not in docs/conformance.md"
        ));
    }
    SEEN.lock()
        .unwrap()
        .entry(category)
        .or_insert_with(|| input.to_owned());
    Ok(())
}

fn documented_categories() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/conformance.md");
    std::fs::read_to_string(path).expect("docs/conformance.md lists the oci-spec disagreements")
}

#[test]
fn disagreements_on_conformance_inputs_are_upstream_cases_oci_spec_gets_wrong() {
    let vectors = common::conformance("reference.json");
    let mut failures = Vec::new();
    for case in vectors["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let upstream = imglint(input); // equal to the vectors: conformance_reference.rs checks that
        if let Err(failure) = compare(input, &upstream) {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let seen = SEEN.lock().unwrap();
    // These conformance inputs show oci-spec deviating; if one disappears, oci-spec changed.
    for category in [
        "ipv6-registry",
        "hex-identifier",
        "uppercase-host",
        "uppercase-digest-hex",
        "unicode-tag",
    ] {
        assert!(
            seen.contains_key(category),
            "no conformance input shows `{category}` any more"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(2048)))]

    #[test]
    fn disagreements_on_generated_references_are_documented(input in reference_like()) {
        let upstream = ORACLE.parse_normalized(&input).map(|p| {
            let implicit = p.tag.is_none() && p.digest.is_none();
            let tag = if implicit { Some("latest".to_owned()) } else { p.tag };
            (p.domain, p.path, tag, p.digest)
        });
        compare(&input, &upstream).map_err(TestCaseError::fail)?;
    }
}
