//! The reference parser against an oracle built from upstream's own regular expressions
//! (`common/oracle.rs`). Property-generated references check that imglint's one-pass
//! scanner agrees with that oracle on validity, error message and every part, that normalised
//! forms re-parse to the same reference, that spans slice back to the parts, and that an error
//! offset never points past a viable prefix.

mod common;

use common::oracle::{ORACLE, Parts, go_to_lower, reference_like};
use imglint_core::reference::{self, ImageReference, ReferenceErrorKind, parse_normalized};
use proptest::prelude::*;

fn check_against_oracle(input: &str) -> Result<(), TestCaseError> {
    let oracle = &*ORACLE;
    let ours = parse_normalized(input);
    let expected = oracle.parse_normalized(input);
    match (&ours, &expected) {
        (Ok(reference), Ok(parts)) => {
            prop_assert_eq!(&Parts::of(reference), parts, "parts of {:?}", input);
            check_valid_reference(input, reference)?;
        }
        (Err(error), Err(message)) => {
            prop_assert_eq!(&error.to_string(), message, "error of {:?}", input);
            let offset = error.offset();
            prop_assert!(
                offset <= input.len() && input.is_char_boundary(offset),
                "offset {} in {:?}",
                offset,
                input
            );
            match error.kind() {
                // The offset is the first character no valid reference could have there.
                ReferenceErrorKind::InvalidReferenceFormat => prop_assert!(
                    oracle.is_viable_prefix(&input[..offset]),
                    "{:?}: offset {} ({}) is past a dead prefix",
                    input,
                    offset,
                    error.hint()
                ),
                // The offset is the upper-case character (upstream checks case before grammar).
                ReferenceErrorKind::RepositoryNameMustBeLowercase => {
                    let c = input[offset..].chars().next().unwrap();
                    prop_assert_ne!(
                        go_to_lower(&c.to_string()),
                        c.to_string(),
                        "{:?} at {}",
                        input,
                        offset
                    );
                }
                _ => {}
            }
        }
        _ => prop_assert!(
            false,
            "{:?}: imglint {:?}, upstream {:?}",
            input,
            ours.map(|r| Parts::of(&r)),
            expected
        ),
    }
    // Upstream's non-normalising Parse, too.
    let ours = reference::parse(input)
        .map(|r| Parts::of(&r))
        .map_err(|e| e.to_string());
    prop_assert_eq!(ours, oracle.parse(input), "Parse({:?})", input);
    Ok(())
}

/// Properties of every valid reference: the normalised form re-parses to the same reference,
/// and spans slice back to the parts.
fn check_valid_reference(input: &str, reference: &ImageReference<'_>) -> Result<(), TestCaseError> {
    let normalized = reference.normalized().to_string();
    let reparsed = parse_normalized(&normalized);
    prop_assert!(
        reparsed.is_ok(),
        "{:?} normalises to {:?}, which does not parse",
        input,
        normalized
    );
    let reparsed = reparsed.unwrap();
    prop_assert_eq!(reparsed.domain(), reference.domain());
    prop_assert_eq!(reparsed.path(), reference.path());
    prop_assert_eq!(reparsed.effective_tag(), reference.effective_tag());
    prop_assert_eq!(reparsed.digest(), reference.digest());
    prop_assert_eq!(
        reparsed.normalized().to_string(),
        normalized.clone(),
        "normalising is idempotent"
    );

    prop_assert_eq!(
        reference.path_span().slice(input),
        reference.path_as_written()
    );
    if let Some(span) = reference.tag_span() {
        prop_assert_eq!(Some(span.slice(input)), reference.tag());
    }
    if let Some(span) = reference.digest_span() {
        prop_assert_eq!(Some(span.slice(input)), reference.digest());
    }
    if let Some(span) = reference.domain_span() {
        let written = span.slice(input);
        prop_assert!(
            written == reference.domain() || reference.is_docker_hub(),
            "domain span {:?}",
            written
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(4096)))]

    #[test]
    fn generated_references_agree_with_the_upstream_oracle(input in reference_like()) {
        check_against_oracle(&input)?;
    }
}

/// The oracle itself must reproduce the conformance vectors, or it proves nothing.
#[test]
fn oracle_and_imglint_agree_on_every_conformance_input() {
    let vectors = common::conformance("reference.json");
    for case in vectors["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let expected = case["error"].as_str().map(str::to_owned);
        assert_eq!(
            ORACLE.parse_normalized(input).err(),
            expected,
            "oracle on {input:?}"
        );
        check_against_oracle(input).unwrap_or_else(|e| panic!("{e}"));
    }
}
