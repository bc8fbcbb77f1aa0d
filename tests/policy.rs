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

/// The context-aware cases of `cluster/` (`cases.json`: each request with its recorded
/// session, settings and expected verdict; `scripts/kwctl-sessions` replays the same files in
/// the real kwctl). The host answers from the session exactly as kwctl replays it, so a call
/// out of order, one too many or one missing fails here as it would there.
#[test]
fn cluster_lookups_replay_the_recorded_sessions() {
    let Some(module) = module() else { return };
    let dir = imglint_e2e::repository_root().join("tests/cluster");
    let read = |path: std::path::PathBuf| std::fs::read_to_string(path).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&read(dir.join("cases.json"))).unwrap();
    assert!(cases.len() >= 10);
    for case in &cases {
        let name = case["case"].as_str().unwrap();
        let session = read(dir.join(format!("sessions/{name}.yml")));
        let review: Value =
            serde_json::from_str(&read(dir.join(format!("requests/{name}.json")))).unwrap();
        let policy = imglint_e2e::Session::from_yaml(&session);
        let recorded_secrets = secret_material(&session);
        let policy = Policy::replaying(module, case["settings"].clone(), true, policy).unwrap();
        let response = policy.validate(&review["request"]);
        let session = policy.session();
        assert!(
            session.mismatches.is_empty(),
            "{name}: {:?}",
            session.mismatches
        );
        assert_eq!(session.leftover(), 0, "{name}: recorded calls never made");
        if case["settings"]["cluster_lookup"] != json!(true) {
            assert!(session.calls.is_empty(), "{name}: {:?}", session.calls);
        }
        assert_eq!(
            response.allowed,
            case["allowed"] == json!(true),
            "{name}: {response:?}"
        );
        let answer = format!("{:?} {:?}", response.message, response.warnings);
        for expected in case["contains"].as_array().unwrap() {
            assert!(
                answer.contains(expected.as_str().unwrap()),
                "{name}: no {expected} in {answer}"
            );
        }
        for unexpected in case["absent"].as_array().unwrap() {
            assert!(
                !answer.contains(unexpected.as_str().unwrap()),
                "{name}: {unexpected} in {answer}"
            );
        }
        let whole = format!("{response:?}");
        for material in &recorded_secrets {
            assert!(
                !whole.contains(material.as_str()),
                "{name}: Secret material `{material}` in {whole}"
            );
        }
    }
}

/// Every value of the Secrets a session answers with, raw, decoded, and the `auth`, user and
/// password inside a docker config, down to 6 characters.
fn secret_material(session: &str) -> Vec<String> {
    use base64::Engine as _;
    let decode = |text: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    };
    let recorded: Vec<Value> = serde_yaml_ng::from_str(session).unwrap();
    let mut material = Vec::new();
    for exchange in &recorded {
        let payload = exchange["response"]["payload"].as_str().unwrap_or_default();
        let Ok(object) = serde_json::from_str::<Value>(payload) else {
            material.push(payload.to_owned());
            continue;
        };
        if object["kind"] != "Secret" {
            continue;
        }
        for value in object["data"]
            .as_object()
            .into_iter()
            .flat_map(|d| d.values())
        {
            let value = value.as_str().unwrap();
            material.push(value.to_owned());
            let Some(decoded) = decode(value) else {
                continue;
            };
            material.push(decoded.clone());
            let Ok(config) = serde_json::from_str::<Value>(&decoded) else {
                continue;
            };
            for entry in config["auths"]
                .as_object()
                .into_iter()
                .flat_map(|a| a.values())
            {
                let auth = entry["auth"].as_str().unwrap_or_default();
                material.push(auth.to_owned());
                if let Some((user, password)) =
                    decode(auth).as_deref().and_then(|a| a.split_once(':'))
                {
                    material.extend([user.to_owned(), password.to_owned()]);
                }
            }
        }
    }
    material.retain(|text| text.len() >= 6);
    assert!(!material.is_empty() || !session.contains("Secret\""));
    material
}

#[test]
fn the_metadata_declares_the_context_aware_resources_and_debug_containers() {
    let metadata = metadata();
    assert_eq!(metadata["contextAware"], true);
    let resources: Vec<(&str, &str)> = metadata["contextAwareResources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["apiVersion"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(resources, [("v1", "Secret"), ("v1", "ServiceAccount")]);
    assert_eq!(
        metadata["hostCapabilities"],
        json!(["kubernetes/get_resource"])
    );
    let ephemeral = metadata["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| {
            rule["resources"]
                .as_array()
                .unwrap()
                .contains(&json!("pods/ephemeralcontainers"))
        })
        .expect("a rule for kubectl debug's subresource");
    assert_eq!(ephemeral["operations"], json!(["UPDATE"]));
}

/// `kubectl debug` adds a container through the `pods/ephemeralcontainers` subresource, which
/// the AlwaysPullImages plugin skips: the mutating mode covers it, and changes nothing else.
#[test]
fn always_pull_covers_debug_containers_and_only_them() {
    let Some(policy) = load(json!({"always_pull": true})) else {
        return;
    };
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api", "namespace": "shop"},
        "spec": {"containers": [{"name": "api", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"}],
            "ephemeralContainers": [{"name": "debugger", "image": "busybox:1.36", "targetContainerName": "api"}]}});
    let request = json!({"uid": "d1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"}, "subResource": "ephemeralcontainers",
        "namespace": "shop", "operation": "UPDATE", "object": pod});
    let response = policy.validate(&request);
    assert!(response.allowed, "{response:?}");
    assert_eq!(
        response.patch,
        Some(
            json!([{"op": "add", "path": "/spec/ephemeralContainers/0/imagePullPolicy", "value": "Always"}])
        )
    );
}
