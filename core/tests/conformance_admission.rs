//! Every case of `conformance/admission.json` (the AlwaysPullImages plugin, how
//! kube-apiserver flags choose admission plugins) and of `conformance/secrets.json`
//! (Secret validation, pull secret warnings, ServiceAccount admission, what `kubectl create
//! secret docker-registry` writes).

mod common;

use common::{Mismatches, conformance, docker_registry, opt_str};
use imglint_core::admission::always_pull_images;
use imglint_core::admission::plugins::AdmissionFlags;
use imglint_core::admission::service_account::{self, Admitted, PodAdmission, ServiceAccount};
use imglint_core::api_validation;
use imglint_core::keyring::docker_config::{self, ConfigFormat, Entry};
use serde_json::{Value, json};

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// A vector's pod (`containers`, … with `imagePullPolicy` `""` for unset; `imageVolumes`) as
/// the pod spec JSON the API server holds; `None` for a request whose object is not a pod.
fn pod_spec(value: &Value) -> Option<Value> {
    if value.is_null() {
        return None;
    }
    let with_policy = |mut holder: Value, field: &str, policy: &Value| {
        if let Some(policy) = policy.as_str().filter(|p| !p.is_empty()) {
            holder[field] = policy.into();
        }
        holder
    };
    let mut spec = serde_json::Map::new();
    for kind in ["initContainers", "containers", "ephemeralContainers"] {
        let containers: Vec<Value> = value[kind]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let container = json!({"name": c["name"], "image": c["image"]});
                with_policy(container, "imagePullPolicy", &c["imagePullPolicy"])
            })
            .collect();
        spec.insert(kind.to_owned(), containers.into());
    }
    let volumes: Vec<Value> = value["imageVolumes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let image = with_policy(
                json!({"reference": v["reference"]}),
                "pullPolicy",
                &v["pullPolicy"],
            );
            json!({"name": v["name"], "image": image})
        })
        .collect();
    spec.insert("volumes".to_owned(), volumes.into());
    Some(Value::Object(spec))
}

/// The images of a pod spec's containers, for `isUpdateWithNoNewImages`.
fn container_images(spec: &Value) -> Vec<&str> {
    ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|kind| spec[kind].as_array().into_iter().flatten())
        .map(|c| c["image"].as_str().unwrap_or_default())
        .collect()
}

/// The plugin's request filter (`shouldIgnore`, `isUpdateWithNoNewImages`): whether it acts
/// on the pod, or the error when a pods request carries no pod. Not product code: nothing in
/// imglint sees admission requests; the policy mutates every object it is sent.
fn plugin_acts(case: &Value, pod: Option<&Value>, old: Option<&Value>) -> Result<bool, String> {
    if case["resource"] != "pods" || case["subresource"] != "" {
        return Ok(false);
    }
    let pod = pod.ok_or_else(|| {
        "Resource was marked with kind Pod but was unable to be converted".to_owned()
    })?;
    if case["operation"] == "UPDATE"
        && let Some(old) = old
    {
        let old_images = container_images(old);
        if container_images(pod)
            .iter()
            .all(|image| old_images.contains(image))
        {
            return Ok(false);
        }
    }
    Ok(true)
}

#[test]
fn admission_matches_upstream_on_every_case() {
    let vectors = conformance("admission.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(
        cases.len() >= 25,
        "expected at least 25 cases, found {}",
        cases.len()
    );
    let mut mismatches = Mismatches::default();
    for (index, case) in cases.iter().enumerate() {
        let id = format!(
            "#{index} {}",
            case["name"]
                .as_str()
                .or(case["note"].as_str())
                .unwrap_or_default()
        );
        match case["kind"].as_str().unwrap() {
            "kube_apiserver_admission_flags" => {
                let args = strings(&case["args"]);
                let flags =
                    AdmissionFlags::from_arguments(args.iter().map(String::as_str)).unwrap();
                let errors = flags.errors();
                mismatches.check(
                    &id,
                    "valid",
                    errors.is_empty(),
                    case["valid"].as_bool().unwrap(),
                );
                mismatches.check(&id, "errors", errors, strings(&case["errors"]));
                let enabled: Option<Vec<String>> = flags
                    .enabled_plugins()
                    .map(|p| p.iter().map(|s| (*s).to_owned()).collect());
                let expected = case["enabled_plugins"]
                    .as_array()
                    .map(|_| strings(&case["enabled_plugins"]));
                mismatches.check(&id, "enabled", enabled, expected);
                mismatches.check(
                    &id,
                    "AlwaysPullImages",
                    flags.always_pull_images(),
                    case["always_pull_images_enabled"].as_bool().unwrap(),
                );
            }
            "always_pull_images_admission" => {
                // Both phases run through `always_pull`, the mutation the policy makes:
                // `Admit` applies it, `Validate` refuses what it would change.
                let old = pod_spec(&case["old_pod"]);
                let mut spec = pod_spec(&case["pod"]);
                let result = plugin_acts(case, spec.as_ref(), old.as_ref()).and_then(|acts| {
                    let Some(spec) = spec.as_mut().filter(|_| acts) else {
                        return Ok(false);
                    };
                    if case["phase"] == "mutate" {
                        always_pull_images::always_pull(spec);
                        return Ok(true);
                    }
                    let forbidden: Vec<String> = always_pull_images::always_pull(&mut spec.clone())
                        .iter()
                        .map(|change| {
                            format!(
                                "pods \"123\" is forbidden: {}.{}: Unsupported value: {:?}: supported values: \"Always\"",
                                change.path, change.field, change.was
                            )
                        })
                        .collect();
                    match forbidden.as_slice() {
                        [] => Ok(true),
                        [one] => Err(one.clone()),
                        _ => Err(format!("[{}]", forbidden.join(", "))),
                    }
                });
                mismatches.check(
                    &id,
                    "ignored",
                    result == Ok(false),
                    case["ignored"].as_bool().unwrap(),
                );
                mismatches.check(
                    &id,
                    "error",
                    result.clone().err(),
                    opt_str(&case["error"]).map(str::to_owned),
                );
                if let Some(expected) = pod_spec(&case["expected_pod"]) {
                    mismatches.check(&id, "pod", spec, Some(expected));
                }
            }
            other => panic!("unknown case kind {other}"),
        }
    }
    mismatches.assert_none(cases.len());
}

#[test]
fn secrets_match_upstream_on_every_case() {
    let vectors = conformance("secrets.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(
        cases.len() >= 55,
        "expected at least 55 cases, found {}",
        cases.len()
    );
    let mut mismatches = Mismatches::default();
    // `kubectl create secret docker-registry` flag validation has no imglint counterpart.
    let mut not_applicable = 0;
    for (index, case) in cases.iter().enumerate() {
        let id = format!("#{index} {}", case["name"].as_str().unwrap_or_default());
        match case["kind"].as_str().unwrap() {
            "secret_validation" => {
                let data: Vec<(String, Vec<u8>)> = case["data"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().as_bytes().to_vec()))
                    .collect();
                let data: Vec<(&str, &[u8])> = data
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_slice()))
                    .collect();
                let errors = secret_errors(case["type"].as_str().unwrap(), &data);
                mismatches.check(
                    &id,
                    "valid",
                    errors.is_empty(),
                    case["valid"].as_bool().unwrap(),
                );
                let expected = strings(&case["errors"]);
                // The API server quotes one character of the content in JSON syntax errors;
                // imglint never repeats secret content, so that character is left out.
                let expected: Vec<String> = expected
                    .iter()
                    .map(|e| without_quoted_character(e))
                    .collect();
                mismatches.check(&id, "errors", errors, expected);
            }
            "generic_secret_validation" => {
                let keys = strings(&case["data_keys"]);
                let total = case["total_bytes"].as_u64().unwrap_or(0) as usize;
                let filler = vec![b'x'; total];
                let data: Vec<(&str, &[u8])> = keys
                    .iter()
                    .map(|k| (k.as_str(), filler.as_slice()))
                    .collect();
                let errors = secret_errors("Opaque", &data);
                mismatches.check(&id, "errors", errors, strings(&case["errors"]));
            }
            "pod_image_pull_secrets_warnings" => {
                let names = strings(&case["image_pull_secrets"]);
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let path = if case["object"] == "Pod" {
                    "spec"
                } else {
                    "spec.template.spec"
                };
                mismatches.check(
                    &id,
                    "warnings",
                    api_validation::pull_secret_warnings(path, &names),
                    strings(&case["warnings"]),
                );
            }
            "service_account_pull_secret_merge" => {
                let pod_secrets = strings(&case["pod_image_pull_secrets"]);
                let account = case["service_account_image_pull_secrets"]
                    .as_array()
                    .map(|_| strings(&case["service_account_image_pull_secrets"]));
                let admission = PodAdmission {
                    create: case["operation"] == "create",
                    namespace: "ns",
                    service_account_name: case["pod_service_account_name"]
                        .as_str()
                        .unwrap_or_default(),
                    pull_secrets: &pod_secrets,
                    mirror: case["pod_annotations"]
                        .get("kubernetes.io/config.mirror")
                        .is_some(),
                    enforce_mountable_secrets: case["enforce_mountable_secrets"].as_bool().unwrap(),
                };
                // The function `PullSecrets::of` resolves every pod's pull secrets with.
                let result = service_account::admit(&admission, |_| account.as_deref().map(Listed))
                    .map(|admitted| match admitted {
                        Admitted::Own => pod_secrets.clone(),
                        Admitted::ServiceAccount(Listed(list)) => list.to_vec(),
                    });
                let expected = case["result_image_pull_secrets"]
                    .as_array()
                    .map(|_| strings(&case["result_image_pull_secrets"]));
                mismatches.check(&id, "result", result.clone().ok(), expected);
                mismatches.check(
                    &id,
                    "error",
                    result.err(),
                    opt_str(&case["error"]).map(str::to_owned),
                );
            }
            "kubectl_create_secret_docker_registry" => {
                // What kubectl writes decodes as the kubelet reads it, and encodes byte for byte.
                let Some(secret) = case["secret"].as_object() else {
                    not_applicable += 1;
                    continue;
                };
                let content = secret["data_decoded"][".dockerconfigjson"]
                    .as_str()
                    .unwrap();
                let options = &case["options"];
                if content.starts_with('<') {
                    not_applicable += 1; // `--from-file`: kubectl copies the file verbatim
                    continue;
                }
                mismatches.check(
                    &id,
                    "type",
                    secret["type"].as_str(),
                    Some(ConfigFormat::DockerConfigJson.secret_type()),
                );
                let config =
                    docker_config::decode(ConfigFormat::DockerConfigJson, content.as_bytes())
                        .map_err(|e| e.message);
                let entry = Entry {
                    username: options["docker-username"].as_str().unwrap().to_owned(),
                    password: options["docker-password"].as_str().unwrap().to_owned(),
                    email: options["docker-email"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                };
                let server = options["docker-server"].as_str().unwrap().to_owned();
                mismatches.check(
                    &id,
                    "decoded",
                    config.map(|c| c.entries),
                    Ok(vec![(server.clone(), entry.clone())]),
                );
                let encoded = format!(
                    "{{\"auths\":{{{}:{}}}}}",
                    serde_json::to_string(&server).unwrap(),
                    docker_registry::encode_entry(&entry)
                );
                mismatches.check(&id, "encoded", encoded, content.to_owned());
            }
            other => panic!("unknown case kind {other}"),
        }
    }
    assert!(
        not_applicable <= 4,
        "{not_applicable} kubectl cases skipped"
    );
    mismatches.assert_none(cases.len());
}

/// `ValidateSecret`'s messages, from the function every Secret of a manifest is checked with
/// (`secret_content::analyze` calls it with `stringData` merged into the decoded `data`).
fn secret_errors(secret_type: &str, data: &[(&str, &[u8])]) -> Vec<String> {
    api_validation::validate_secret(secret_type, data)
        .errors
        .iter()
        .map(|error| error.message().to_owned())
        .collect()
}

/// A ServiceAccount of the vectors: its `imagePullSecrets` names.
struct Listed<'a>(&'a [String]);

impl ServiceAccount for Listed<'_> {
    fn references(&self, secret: &str) -> bool {
        self.0.iter().any(|name| name == secret)
    }
}

fn without_quoted_character(error: &str) -> String {
    match error.find("invalid character '") {
        Some(at) => {
            let rest = &error[at + "invalid character '".len()..];
            match rest.find("' ") {
                Some(end) => format!("{}invalid character {}", &error[..at], &rest[end + 2..]),
                None => error.to_owned(),
            }
        }
        None => error.to_owned(),
    }
}
