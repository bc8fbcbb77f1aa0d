//! `validate`: one AdmissionReview request in, a verdict out.
//!
//! The object is linted with the same core and rules as a manifest file (its namespace is the
//! request's). Findings at or above `fail_on` reject it, the others come back as admission
//! warnings. In mutating mode the object first gets `imagePullPolicy: Always` everywhere and
//! is linted as it will be stored. With `cluster_lookup`, the pod's pull Secrets and its
//! ServiceAccount are read from the cluster (`cluster.rs`) and linted with it; otherwise rules
//! that need other objects of the cluster (Secrets, ServiceAccounts, kube-apiservers, kubelets)
//! see only what the request carries.

use imglint_core::config::{Overrides, SecretsCompleteness};
use imglint_core::{Diagnostic, FileAnalysis, lint_text};
use serde::Deserialize;
use serde_json::Value;

use crate::cluster::{self, Cluster};
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
#[serde(default, rename_all = "camelCase")]
struct Request {
    namespace: String,
    operation: String,
    /// `ephemeralcontainers` for `kubectl debug`'s requests.
    sub_resource: String,
    object: Value,
}

/// Evaluates a `validate` payload (`{"settings": …, "request": AdmissionRequest}`), asking
/// `cluster` for the pod's pull Secrets and ServiceAccount when the settings say
/// `cluster_lookup` (never otherwise).
///
/// # Errors
/// A payload that is not a validation request, or settings that `validate_settings` refuses.
pub fn evaluate(payload: &[u8], cluster: &mut dyn Cluster) -> Result<Verdict, String> {
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
    let mutated = settings.always_pull
        && if request.sub_resource == "ephemeralcontainers" {
            mutate::always_pull_ephemeral(&mut object)
        } else {
            mutate::always_pull(&mut object)
        };

    // The request's namespace is the object's, as `--namespace` for a file.
    let mut config = settings.config.clone().with(&Overrides {
        namespace: Some(request.namespace).filter(|namespace| !namespace.is_empty()),
        ..Overrides::default()
    });
    let mut text = object.to_string();
    // Findings past the request's object are about the objects the cluster gave.
    let request_end = text.len();
    let mut warnings = Vec::new();
    if settings.cluster_lookup {
        let read = FileAnalysis::read_text("request", &text, false);
        let fetched = cluster::fetch(&read, &config.default_namespace, cluster);
        // Every Secret the pod uses was answered for: one that is missing is known to be.
        if fetched.complete {
            config.secrets = SecretsCompleteness::Complete;
        }
        warnings = fetched.warnings;
        // One JSON stream, as kubectl reads one: the rules resolve the pod's references in
        // it, and the Secrets' values are masked out of every finding.
        for fetched in &fetched.objects {
            text.push('\n');
            text.push_str(&fetched.to_string());
        }
    }
    let report = lint_text("request", &text, &config);
    let describe = |diagnostic: &Diagnostic| {
        if diagnostic.span.start as usize >= request_end {
            describe_fetched(diagnostic)
        } else {
            describe(diagnostic)
        }
    };
    let (blocking, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = report
        .diagnostics()
        .map(|(_, diagnostic)| diagnostic)
        .partition(|diagnostic| diagnostic.severity >= settings.fail_on);

    warnings.extend(others.iter().map(|d| describe(d)));
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

/// A finding about an object the cluster gave, named since the request does not hold it:
/// `Secret `shop/regcred`: IMG304 …`.
fn describe_fetched(diagnostic: &Diagnostic) -> String {
    match &diagnostic.object {
        Some(object) => format!(
            "{} `{}/{}`: {}",
            object.kind,
            object.namespace.as_deref().unwrap_or_default(),
            object.name.as_deref().unwrap_or_default(),
            describe(diagnostic)
        ),
        None => describe(diagnostic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::NoCluster;
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
        let verdict = evaluate(
            &request(json!({}), pod("Nginx:latest", None)),
            &mut NoCluster,
        )
        .unwrap();
        assert!(!verdict.accepted);
        assert_eq!(verdict.code, Some(400));
        let message = verdict.message.unwrap();
        assert!(
            message.starts_with("imglint rejected Pod `web`: IMG101 "),
            "{message}"
        );
        assert!(message.contains("(spec.containers[0].image)"), "{message}");

        let verdict = evaluate(
            &request(json!({}), pod("nginx:latest", None)),
            &mut NoCluster,
        )
        .unwrap();
        assert!(verdict.accepted);
        assert_eq!(verdict.warnings.len(), 1, "{:?}", verdict.warnings);
        assert!(verdict.warnings[0].starts_with("IMG103 "));

        let verdict = evaluate(
            &request(json!({"fail_on": "warning"}), pod("nginx:latest", None)),
            &mut NoCluster,
        )
        .unwrap();
        assert!(!verdict.accepted);
    }

    #[test]
    fn mutating_mode_sets_always_and_lints_the_result() {
        let settings = json!({"always_pull": true});
        let verdict = evaluate(
            &request(settings.clone(), pod("nginx:latest", Some("IfNotPresent"))),
            &mut NoCluster,
        )
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
        let unchanged = evaluate(
            &request(settings, pod("nginx:1.27", Some("Always"))),
            &mut NoCluster,
        )
        .unwrap();
        assert_eq!(unchanged.mutated_object, None);
    }

    #[test]
    fn the_request_namespace_is_the_objects() {
        let settings = json!({"tenancy": "multi"});
        let mut object = pod("registry.example.com/web:1.0", None);
        object["spec"]["imagePullSecrets"] = json!([{"name": "regcred"}]);
        let verdict = evaluate(&request(settings, object), &mut NoCluster).unwrap();
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
        assert!(evaluate(&delete, &mut NoCluster).unwrap().accepted);
        assert!(
            evaluate(b"{", &mut NoCluster)
                .unwrap_err()
                .starts_with("cannot read the validation request")
        );
        assert!(
            evaluate(&request(json!({"nope": 1}), pod("a", None)), &mut NoCluster)
                .unwrap_err()
                .starts_with("unknown setting")
        );
    }

    #[test]
    fn secret_values_never_reach_the_answer() {
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "regcred"},
            "type": "kubernetes.io/dockerconfigjson",
            "data": {".dockerconfigjson": "eyJhdXRocyI6IHsicmVnaXN0cnkuZXhhbXBsZS5jb20iOiB7ImF1dGgiOiAiczNjcjN0In19fQ=="}});
        let verdict =
            evaluate(&request(json!({"fail_on": "info"}), secret), &mut NoCluster).unwrap();
        let answer = format!("{verdict:?}");
        assert!(!verdict.accepted, "{answer}");
        for leaked in ["eyJhdXRocy", "s3cr3t", "czNjcjN0"] {
            assert!(!answer.contains(leaked), "{answer}");
        }
    }
}
