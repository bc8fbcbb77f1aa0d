//! `validate`: one AdmissionReview request in, a verdict out.
//!
//! The object is linted with the same core and rules as a manifest file (its namespace is the
//! request's). Findings at or above `fail_on` reject it, the others come back as admission
//! warnings. In mutating mode the object first gets `imagePullPolicy: Always` everywhere and
//! is linted as it will be stored. Rules that need other objects of the cluster (the pod's
//! Secrets and ServiceAccount, kube-apiservers, kubelets) see only what the request carries.

use imglint_core::config::Overrides;
use imglint_core::{Diagnostic, lint_text};
use serde::Deserialize;
use serde_json::Value;

use crate::mutate;
use crate::settings::Settings;

/// What the policy answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verdict {
    pub accepted: bool,
    /// Why it was rejected.
    pub message: Option<String>,
    /// The HTTP-like code of a rejection.
    pub code: Option<u16>,
    /// The object as mutated (mutating mode, when something changed).
    pub mutated_object: Option<Value>,
    pub warnings: Vec<String>,
}

/// The parts of the policy-evaluator's payload the policy reads. The object stays a `Value`:
/// a parse error never quotes it (it may be a Secret).
#[derive(Deserialize)]
struct Payload {
    #[serde(default)]
    settings: Value,
    request: Request,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Request {
    namespace: String,
    operation: String,
    object: Value,
}

/// Evaluates a `validate` payload (`{"settings": …, "request": AdmissionRequest}`).
///
/// # Errors
/// A payload that is not a validation request, or settings that `validate_settings` refuses.
pub fn evaluate(payload: &[u8]) -> Result<Verdict, String> {
    let payload: Payload = serde_json::from_slice(payload)
        .map_err(|error| format!("cannot read the validation request: {error}"))?;
    let settings = Settings::from_value(&payload.settings)?;
    let request = payload.request;
    if request.operation == "DELETE" || !request.object.is_object() {
        return Ok(Verdict {
            accepted: true,
            ..Verdict::default()
        });
    }
    let mut object = request.object;
    let mutated = settings.always_pull && mutate::always_pull(&mut object);

    // The request's namespace is the object's, as `--namespace` for a file.
    let config = settings.config.clone().with(&Overrides {
        namespace: Some(request.namespace).filter(|namespace| !namespace.is_empty()),
        ..Overrides::default()
    });
    let text = object.to_string();
    let report = lint_text("request", &text, &config);
    let (blocking, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = report
        .diagnostics()
        .map(|(_, diagnostic)| diagnostic)
        .partition(|diagnostic| diagnostic.severity >= settings.fail_on);

    let warnings = others.iter().map(|d| describe(d)).collect();
    if !blocking.is_empty() {
        let what = match (object["kind"].as_str(), object["metadata"]["name"].as_str()) {
            (Some(kind), Some(name)) => format!("{kind} `{name}`"),
            (Some(kind), None) => kind.to_owned(),
            _ => "the object".to_owned(),
        };
        let findings: Vec<String> = blocking.iter().map(|d| describe(d)).collect();
        return Ok(Verdict {
            accepted: false,
            message: Some(format!("imglint rejected {what}: {}", findings.join("; "))),
            code: Some(400),
            mutated_object: None,
            warnings,
        });
    }
    Ok(Verdict {
        accepted: true,
        message: None,
        code: None,
        mutated_object: mutated.then_some(object),
        warnings,
    })
}

/// `IMG103 image `nginx:latest` uses the mutable tag `latest` (spec.containers[0].image)`.
fn describe(diagnostic: &Diagnostic) -> String {
    match &diagnostic.path {
        Some(path) => format!("{} {} ({path})", diagnostic.rule.code, diagnostic.message),
        None => format!("{} {}", diagnostic.rule.code, diagnostic.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(settings: Value, object: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "settings": settings,
            "request": {"uid": "1", "operation": "CREATE", "namespace": "shop", "object": object}
        }))
        .unwrap()
    }

    fn pod(image: &str, policy: Option<&str>) -> Value {
        let mut container = json!({"name": "web", "image": image});
        if let Some(policy) = policy {
            container["imagePullPolicy"] = policy.into();
        }
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [container]}})
    }

    #[test]
    fn errors_reject_and_warnings_are_returned() {
        let verdict = evaluate(&request(json!({}), pod("Nginx:latest", None))).unwrap();
        assert!(!verdict.accepted);
        assert_eq!(verdict.code, Some(400));
        let message = verdict.message.unwrap();
        assert!(
            message.starts_with("imglint rejected Pod `web`: IMG101 "),
            "{message}"
        );
        assert!(message.contains("(spec.containers[0].image)"), "{message}");

        let verdict = evaluate(&request(json!({}), pod("nginx:latest", None))).unwrap();
        assert!(verdict.accepted);
        assert_eq!(verdict.warnings.len(), 1, "{:?}", verdict.warnings);
        assert!(verdict.warnings[0].starts_with("IMG103 "));

        let verdict = evaluate(&request(
            json!({"fail_on": "warning"}),
            pod("nginx:latest", None),
        ))
        .unwrap();
        assert!(!verdict.accepted);
    }

    #[test]
    fn mutating_mode_sets_always_and_lints_the_result() {
        let settings = json!({"always_pull": true});
        let verdict = evaluate(&request(
            settings.clone(),
            pod("nginx:latest", Some("IfNotPresent")),
        ))
        .unwrap();
        assert!(verdict.accepted);
        let mutated = verdict.mutated_object.unwrap();
        assert_eq!(
            mutated["spec"]["containers"][0]["imagePullPolicy"],
            "Always"
        );
        // IMG202 (IfNotPresent on `latest`) is gone with the mutation.
        assert!(
            verdict.warnings.iter().all(|w| !w.starts_with("IMG202")),
            "{:?}",
            verdict.warnings
        );
        let unchanged = evaluate(&request(settings, pod("nginx:1.27", Some("Always")))).unwrap();
        assert_eq!(unchanged.mutated_object, None);
    }

    #[test]
    fn the_request_namespace_is_the_objects() {
        let settings = json!({"tenancy": "multi"});
        let mut object = pod("registry.example.com/web:1.0", None);
        object["spec"]["imagePullSecrets"] = json!([{"name": "regcred"}]);
        let verdict = evaluate(&request(settings, object)).unwrap();
        assert!(
            verdict.warnings.iter().any(|w| w.starts_with("IMG402 ")),
            "{:?}",
            verdict.warnings
        );
    }

    #[test]
    fn deletes_and_bad_payloads() {
        let delete = serde_json::to_vec(
            &json!({"settings": {}, "request": {"operation": "DELETE", "object": null}}),
        )
        .unwrap();
        assert!(evaluate(&delete).unwrap().accepted);
        assert!(
            evaluate(b"{")
                .unwrap_err()
                .starts_with("cannot read the validation request")
        );
        assert!(
            evaluate(&request(json!({"nope": 1}), pod("a", None)))
                .unwrap_err()
                .starts_with("unknown setting")
        );
    }

    #[test]
    fn secret_values_never_reach_the_answer() {
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "regcred"},
            "type": "kubernetes.io/dockerconfigjson",
            "data": {".dockerconfigjson": "eyJhdXRocyI6IHsicmVnaXN0cnkuZXhhbXBsZS5jb20iOiB7ImF1dGgiOiAiczNjcjN0In19fQ=="}});
        let verdict = evaluate(&request(json!({"fail_on": "info"}), secret)).unwrap();
        let answer = format!("{verdict:?}");
        assert!(!verdict.accepted, "{answer}");
        for leaked in ["eyJhdXRocy", "s3cr3t", "czNjcjN0"] {
            assert!(!answer.contains(leaked), "{answer}");
        }
    }
}
