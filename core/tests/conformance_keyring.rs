//! Every case of `conformance/keyring.json`: how the kubelet matches registry
//! credentials to images (`pkg/credentialprovider` keyring_test.go, config_test.go).

mod common;

use std::collections::BTreeMap;

use common::{Mismatches, conformance, docker_registry, opt_str};
use imglint_core::keyring::docker_config::{self, ConfigFormat, Entry};
use imglint_core::keyring::{Keyring, index_key, is_default_registry_match, urls_match};
use serde_json::Value;

/// Go's JSON syntax errors quote the offending character; imglint never repeats a character
/// of a credential document, so those compare without it.
fn same_error(got: &str, expected: &str) -> bool {
    match expected.strip_prefix("invalid character '") {
        Some(rest) => rest
            .split_once("' ")
            .is_some_and(|(_, context)| got == format!("invalid character {context}")),
        None => got == expected,
    }
}

fn entry_json(entry: &Entry) -> Value {
    serde_json::json!({"username": entry.username, "password": entry.password, "email": entry.email})
}

#[test]
fn keyring_matches_upstream_on_every_case() {
    let vectors = conformance("keyring.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(
        cases.len() >= 160,
        "expected at least 160 cases, found {}",
        cases.len()
    );
    let mut mismatches = Mismatches::default();
    for (index, case) in cases.iter().enumerate() {
        let id = format!(
            "#{index} {} {}",
            case["kind"],
            case["upstream"].as_str().unwrap_or("derived")
        );
        match case["kind"].as_str().unwrap() {
            "url_match" => {
                let got = urls_match(
                    case["glob"].as_str().unwrap(),
                    case["target"].as_str().unwrap(),
                );
                mismatches.check(&id, "match", got, case["match"].as_bool().unwrap());
            }
            "default_registry_match" => {
                let got = is_default_registry_match(case["image"].as_str().unwrap());
                mismatches.check(
                    &id,
                    "default registry",
                    got,
                    case["is_default_registry"].as_bool().unwrap(),
                );
            }
            "lookup" => {
                let mut keyring = Keyring::default();
                let mut ignored = Vec::new();
                let labels = case["credential_labels"].as_array().unwrap();
                for (key, label) in case["config_keys"].as_array().unwrap().iter().zip(labels) {
                    let key = key.as_str().unwrap();
                    if let Err(error) = keyring.add(key, label.as_str().unwrap().to_owned()) {
                        ignored.push(format!("{key}: {error}"));
                    }
                }
                let expected_index: Vec<String> = case["index_after_add"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_owned())
                    .collect();
                mismatches.check(&id, "index", keyring.index().to_vec(), expected_index);
                let expected_ignored: Vec<String> = case["ignored_keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_owned())
                    .collect();
                mismatches.check(&id, "ignored keys", ignored, expected_ignored);
                let found = keyring.lookup(case["image"].as_str().unwrap());
                mismatches.check(
                    &id,
                    "found",
                    !found.credentials.is_empty(),
                    case["found"].as_bool().unwrap(),
                );
                let credentials: Vec<String> =
                    found.credentials.iter().map(|c| (*c).clone()).collect();
                let expected: Vec<String> = case["credentials_in_order"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect();
                mismatches.check(&id, "credentials", credentials, expected);
                if let Some(keys) = case["matched_keys"].as_array() {
                    let expected: Vec<&str> = keys.iter().map(|k| k.as_str().unwrap()).collect();
                    if !found.via_default_registry {
                        mismatches.check(&id, "matched keys", found.matched_keys.clone(), expected);
                    }
                }
            }
            "entry_decode" => {
                let got = docker_registry::decode_entry(case["json"].as_str().unwrap());
                compare_decode(
                    &mut mismatches,
                    &id,
                    got.map(|e| entry_json(&e)).map_err(|e| e.message),
                    case,
                    |c| serde_json::json!({"username": c["username"], "password": c["password"], "email": c["email"]}),
                );
            }
            "auth_field_decode" => {
                let got = docker_config::decode_auth(case["auth"].as_str().unwrap()).map(
                    |(user, password)| serde_json::json!({"username": user, "password": password}),
                );
                compare_decode(
                    &mut mismatches,
                    &id,
                    got,
                    case,
                    |c| serde_json::json!({"username": c["username"], "password": c["password"]}),
                );
            }
            "file_decode" => {
                let format = match case["format"].as_str().unwrap() {
                    "dockerconfigjson" => ConfigFormat::DockerConfigJson,
                    _ => ConfigFormat::DockerCfg,
                };
                let got = docker_config::decode(format, case["json"].as_str().unwrap().as_bytes())
                    .map(|config| {
                        let entries: BTreeMap<String, Value> = config
                            .entries
                            .iter()
                            .map(|(k, e)| (k.clone(), entry_json(e)))
                            .collect();
                        serde_json::to_value(entries).unwrap()
                    });
                compare_decode(
                    &mut mismatches,
                    &id,
                    got.map_err(|e| e.message),
                    case,
                    |c| c["entries"].clone(),
                );
            }
            "entry_encode" => {
                let entry = &case["entry"];
                let entry = Entry {
                    username: entry["username"].as_str().unwrap().to_owned(),
                    password: entry["password"].as_str().unwrap().to_owned(),
                    email: entry["email"].as_str().unwrap_or_default().to_owned(),
                };
                mismatches.check(
                    &id,
                    "json",
                    docker_registry::encode_entry(&entry),
                    case["json"].as_str().unwrap().to_owned(),
                );
            }
            other => panic!("unknown case kind {other}"),
        }
    }
    mismatches.assert_none(cases.len());
}

fn compare_decode(
    mismatches: &mut Mismatches,
    id: &str,
    got: Result<Value, String>,
    case: &Value,
    expected_value: impl Fn(&Value) -> Value,
) {
    let fails = case["fails"].as_bool().unwrap();
    match (got, fails) {
        (Ok(value), false) => mismatches.check(id, "value", value, expected_value(case)),
        (Err(error), true) => {
            let expected = opt_str(&case["error"]).unwrap_or_default();
            if !same_error(&error, expected) {
                mismatches.push(format!("{id}: error {error:?}, expected {expected:?}"));
            }
        }
        (got, _) => mismatches.push(format!("{id}: got {got:?}, expected fails={fails}")),
    }
}

/// The rules section's examples: keys normalise as the kubelet's `Add` does.
#[test]
fn key_normalisation_examples() {
    assert_eq!(
        index_key("https://index.docker.io/v1/").unwrap(),
        "index.docker.io"
    );
    assert_eq!(
        index_key("http://foo.example.com/path").unwrap(),
        "foo.example.com/path"
    );
    assert_eq!(
        index_key("registry.example.com:5000").unwrap(),
        "registry.example.com:5000"
    );
}

/// `pkg/credentialprovider/secrets` `Test_MakeDockerKeyring`, the cases about pull secrets
/// (the others are about the node's default keyring, which a manifest cannot show): whether
/// the kubelet finds credentials for `test.registry.io` in a pod's pull secret. In imglint's
/// terms, found means the Secret is usable and IMG305 stays silent; not found means IMG305, or
/// an unusable Secret (IMG304) that the kubelet skips.
#[test]
fn mirrors_test_make_docker_keyring() {
    use imglint_core::config::RuleSelector;
    use imglint_core::{Config, lint_text};

    let cases = [
        (
            "with .dockerconfigjson and auth field",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            r#"{"auths": {"test.registry.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}}"#,
            true,
        ),
        (
            "with .dockerconfig and auth field",
            "kubernetes.io/dockercfg",
            ".dockercfg",
            r#"{"test.registry.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}"#,
            true,
        ),
        (
            "with .dockerconfigjson and username/password fields",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            r#"{"auths": {"test.registry.io": {"username": "user", "password": "password"}}}"#,
            true,
        ),
        (
            "with .dockerconfig and username/password fields",
            "kubernetes.io/dockercfg",
            ".dockercfg",
            r#"{"test.registry.io": {"username": "user", "password": "password"}}"#,
            true,
        ),
        (
            "with .dockerconfigjson but with wrong Secret Type",
            "kubernetes.io/dockercfg",
            ".dockerconfigjson",
            r#"{"auths": {"test.registry.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}}"#,
            false,
        ),
        (
            "with .dockerconfig but with wrong Secret Type",
            "kubernetes.io/dockerconfigjson",
            ".dockercfg",
            r#"{"test.registry.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}"#,
            false,
        ),
        (
            "with not matcing .dockerconfigjson and default keyring",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            r#"{"auths": {"foobar.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}}"#,
            false,
        ),
        (
            "with not matching .dockerconfig and default keyring",
            "kubernetes.io/dockercfg",
            ".dockercfg",
            r#"{"foobar.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}"#,
            false,
        ),
    ];
    let config = Config {
        select: Some(vec![
            RuleSelector::parse("IMG304").unwrap(),
            RuleSelector::parse("IMG305").unwrap(),
        ]),
        ..Config::default()
    };
    for (name, secret_type, key, content, found) in cases {
        let manifest = format!(
            "kind: Secret\nmetadata: {{name: creds}}\ntype: {secret_type}\nstringData:\n  {key}: '{content}'\n---\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  imagePullSecrets: [{{name: creds}}]\n  containers: [{{name: c, image: test.registry.io/app:1.0}}]\n"
        );
        let report = lint_text("case.yaml", &manifest, &config);
        let codes: Vec<&str> = report.diagnostics().map(|(_, d)| d.rule.code).collect();
        assert_eq!(codes.is_empty(), found, "{name}: {codes:?}");
        if !found {
            let expected = if key
                == ConfigFormat::from_secret_type(secret_type)
                    .unwrap()
                    .data_key()
            {
                "IMG305"
            } else {
                "IMG304"
            };
            assert_eq!(codes, [expected], "{name}");
        }
    }
}
