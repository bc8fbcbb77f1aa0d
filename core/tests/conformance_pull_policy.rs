//! Every case of `conformance/pull_policy.json`: `imagePullPolicy` defaulting
//! (`SetDefaults_Container`), through the policy the rules see (`ImageCheck::effective_policy`
//! on a Pod read as the linter reads it); `ParseImageName`; and the API server's validation of
//! the image field. The kubelet's `applyDefaultImageTag` string has no counterpart in imglint
//! (no rule names the string the runtime receives), so those two fields are not compared.

mod common;

use common::{Mismatches, conformance, effective_policy, opt_str};
use imglint_core::{api_validation, parse_normalized};

#[test]
fn pull_policy_defaulting_matches_upstream_on_every_case() {
    let vectors = conformance("pull_policy.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(
        cases.len() >= 68,
        "expected at least 68 cases, found {}",
        cases.len()
    );

    let mut mismatches = Mismatches::default();
    for (index, case) in cases.iter().enumerate() {
        let image = case["image"].as_str().unwrap();
        let kind = case["container_kind"].as_str().unwrap();
        let id = format!("#{index} {kind} {image:?}");

        let policy = effective_policy(kind, image, opt_str(&case["explicit_policy"]));
        mismatches.check(
            &id,
            "policy",
            policy.as_str(),
            case["expected_policy"].as_str().unwrap(),
        );

        let parsed = &case["parse_image_name"];
        match parse_normalized(image) {
            Ok(reference) => {
                let repo = reference.name().to_string();
                mismatches.check(&id, "repo", Some(repo.as_str()), opt_str(&parsed["repo"]));
                mismatches.check(
                    &id,
                    "tag",
                    reference.effective_tag(),
                    opt_str(&parsed["tag"]),
                );
                mismatches.check(
                    &id,
                    "digest",
                    reference.digest(),
                    opt_str(&parsed["digest"]),
                );
            }
            Err(error) => {
                let message = format!("couldn't parse image name {image:?}: {error}");
                mismatches.check(
                    &id,
                    "parse error",
                    Some(message.as_str()),
                    opt_str(&parsed["error"]),
                );
            }
        }

        if let Some(expected) = case["pod_validation_errors"].as_array() {
            let path = format!("spec.{kind}[0]");
            let got: Vec<String> = api_validation::image_error(&path, image, true)
                .into_iter()
                .collect();
            let expected: Vec<String> = expected
                .iter()
                .map(|e| e.as_str().unwrap().to_owned())
                .collect();
            mismatches.check(&id, "pod validation", got, expected);
        }
    }
    mismatches.assert_none(cases.len());
}
