//! The Kubewarden policy, loaded as Kubewarden's policy-evaluator loads it (see
//! `policy_host/mod.rs`), on AdmissionReview fixtures (`admission/`): accepted, rejected,
//! mutated, and bad settings.
//!
//! Needs the built policy (`scripts/build-wasm`; `scripts/test` builds it first and sets
//! `IMGLINT_REQUIRE_WASM`). Without it, and without that variable, the tests say so and pass.

use std::sync::OnceLock;

use imglint_e2e::{Policy, metadata, policy_path, review};
use serde_json::{Value, json};

fn module() -> Option<&'static [u8]> {
    static MODULE: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    MODULE
        .get_or_init(|| {
            let bytes = std::fs::read(policy_path()).ok();
            assert!(
                bytes.is_some() || std::env::var_os("IMGLINT_REQUIRE_WASM").is_none(),
                "{} is missing: run scripts/build-wasm",
                policy_path().display()
            );
            bytes
        })
        .as_deref()
}

fn load(settings: Value) -> Option<Policy> {
    let mutating = metadata()["mutating"] == json!(true);
    module().map(|module| Policy::load(module, settings, mutating).expect("valid settings"))
}

#[test]
fn the_metadata_declares_a_wapc_policy() {
    let metadata = metadata();
    assert_eq!(metadata["executionMode"], "kubewarden-wapc");
    assert_eq!(metadata["mutating"], true);
    assert!(metadata["annotations"]["io.kubewarden.policy.title"].is_string());
    let resources: Vec<&str> = metadata["rules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|rule| rule["resources"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    for resource in [
        "pods",
        "deployments",
        "cronjobs",
        "jobs",
        "statefulsets",
        "daemonsets",
    ] {
        assert!(resources.contains(&resource), "{resource}");
    }
}

#[test]
fn a_pod_with_an_invalid_image_is_rejected() {
    let Some(policy) = load(json!({})) else {
        return;
    };
    let response = policy.validate(&review("pod-invalid-image.json"));
    assert!(!response.allowed);
    assert_eq!(response.code, Some(400));
    let message = response.message.unwrap();
    assert!(
        message.starts_with("imglint rejected Pod `web`: IMG101 "),
        "{message}"
    );
    assert!(message.contains("spec.containers[0].image"), "{message}");
    // The sidecar's findings are below `fail_on`: warnings.
    assert!(
        response.warnings.iter().any(|w| w.starts_with("IMG103 ")),
        "{:?}",
        response.warnings
    );
    assert!(
        response.warnings.iter().any(|w| w.starts_with("IMG202 ")),
        "{:?}",
        response.warnings
    );
}

#[test]
fn a_clean_pod_is_accepted_without_warnings() {
    let Some(policy) = load(json!({"fail_on": "info"})) else {
        return;
    };
    let response = policy.validate(&review("pod-clean.json"));
    assert!(response.allowed, "{response:?}");
    assert!(response.warnings.is_empty(), "{response:?}");
    assert_eq!(response.patch, None);
}

#[test]
fn a_deployment_is_judged_by_its_template_and_fail_on() {
    let Some(lenient) = load(json!({})) else {
        return;
    };
    let response = lenient.validate(&review("deployment-latest.json"));
    assert!(response.allowed);
    assert_eq!(response.warnings.len(), 1, "{response:?}");
    assert!(response.warnings[0].contains("spec.template.spec.containers[0].image"));

    let strict = load(json!({"fail_on": "warning", "rules": {"IMG104": "warning"}})).unwrap();
    let response = strict.validate(&review("deployment-latest.json"));
    assert!(!response.allowed);
    let message = response.message.unwrap();
    assert!(
        message.contains("IMG103 ") && message.contains("IMG104 "),
        "{message}"
    );
}

#[test]
fn always_pull_mutates_every_container_kind_and_image_volume() {
    let Some(policy) = load(json!({"tenancy": "multi", "always_pull": true})) else {
        return;
    };
    let request = review("cronjob-private.json");
    let response = policy.validate(&request);
    assert!(response.allowed, "{response:?}");
    let patch = response.patch.expect("a patch");
    let base = "/spec/jobTemplate/spec/template/spec";
    let mut ops: Vec<(String, String, Value)> = patch
        .as_array()
        .unwrap()
        .iter()
        .map(|op| {
            (
                op["op"].as_str().unwrap().to_owned(),
                op["path"].as_str().unwrap().to_owned(),
                op["value"].clone(),
            )
        })
        .collect();
    ops.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        ops,
        vec![
            (
                "replace".to_owned(),
                format!("{base}/containers/0/imagePullPolicy"),
                json!("Always")
            ),
            (
                "add".to_owned(),
                format!("{base}/initContainers/0/imagePullPolicy"),
                json!("Always")
            ),
            (
                "add".to_owned(),
                format!("{base}/volumes/0/image/pullPolicy"),
                json!("Always")
            ),
        ]
    );
    // Linted as mutated: no IMG402 (private image without Always) is left.
    assert!(
        response.warnings.iter().all(|w| !w.starts_with("IMG402")),
        "{:?}",
        response.warnings
    );

    // Without the mutating mode the same request warns about it.
    let plain = load(json!({"tenancy": "multi"})).unwrap();
    let response = plain.validate(&request);
    assert!(response.patch.is_none());
    assert!(
        response.warnings.iter().any(|w| w.starts_with("IMG402")),
        "{:?}",
        response.warnings
    );
}

#[test]
fn a_mutation_is_refused_when_the_metadata_forbids_it() {
    let Some(module) = module() else { return };
    let policy = Policy::load(module, json!({"always_pull": true}), false).unwrap();
    let response = policy.validate(&review("cronjob-private.json"));
    assert!(!response.allowed);
    assert!(response.message.unwrap().contains("not allow mutations"));
}

#[test]
fn bad_settings_are_refused_with_the_key() {
    let Some(module) = module() else { return };
    for (settings, expected) in [
        (json!({"tenant": "multi"}), "unknown setting `tenant`"),
        (json!({"fail_on": "never"}), "`fail_on` must be one of"),
        (
            json!({"always_pull": "yes"}),
            "`always_pull` must be true or false",
        ),
        (json!({"rules": {"IMG103": "loud"}}), "`IMG103`"),
        (
            json!({"allowed_registries": "ghcr.io"}),
            "`allowed_registries`",
        ),
        (json!({"tenancy": "shared"}), "`tenancy`"),
    ] {
        let error = Policy::load(module, settings.clone(), true)
            .err()
            .unwrap_or_default();
        assert!(error.contains(expected), "{settings}: {error}");
    }
}
