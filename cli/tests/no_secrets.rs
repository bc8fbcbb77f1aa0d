//! No secret material in any output: every fixture, linted in every output format with every
//! rule on, must not print any Secret value — raw, base64-decoded, or the credentials inside a
//! docker config (`auth`, its decoded `user:password` and password, `password`, tokens), nor
//! any text marked `CANARY` in the fixtures (values in documents that do not parse, in
//! annotations).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use clap::ValueEnum;
use imglint_cli::args::LintFormat;
use imglint_core::manifest::tree::Value;
use imglint_core::manifest::{DocumentResult, NodeId, Tree, parse_documents};

/// Shorter strings occur in ordinary text by chance (`""`, `{}`, `ci`).
const MIN_LEN: usize = 6;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures")
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in std::fs::read_dir(fixtures()).unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Standard base64, padding optional (an independent decoder, not the one under test).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|&b| b == byte)?;
        bits = (bits << 6) | u32::try_from(value).ok()?;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// Every string leaf of a JSON document (keys are registry names, not secrets).
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => {
            out.push(text.clone());
            if let Some((_, password)) = text.split_once(':') {
                out.push(password.to_owned());
            }
            if let Some(decoded) = base64_decode(text).and_then(|b| String::from_utf8(b).ok()) {
                if let Some((_, password)) = decoded.split_once(':') {
                    out.push(password.to_owned());
                }
                out.push(decoded);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// The values of every Secret in a document, in every form they could leak in.
fn secret_values(tree: &Tree<'_>, node: NodeId, out: &mut Vec<String>) {
    match tree.node(node).value {
        Value::Mapping { .. } => {
            if tree.get(node, "kind").and_then(|k| tree.str(k)) == Some("Secret") {
                for (field, encoded) in [("data", true), ("stringData", false)] {
                    let Some(values) = tree.get(node, field) else {
                        continue;
                    };
                    for &(_, value) in tree.entries(values) {
                        let Some(raw) = tree.scalar(value).map(|s| s.text.to_string()) else {
                            continue;
                        };
                        let content = if encoded {
                            base64_decode(raw.trim()).and_then(|b| String::from_utf8(b).ok())
                        } else {
                            Some(raw.clone())
                        };
                        out.push(raw);
                        if let Some(content) = content {
                            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&content) {
                                json_strings(&json, out);
                            }
                            out.extend(content.lines().map(str::to_owned));
                            out.push(content);
                        }
                    }
                }
            }
            for &(_, value) in tree.entries(node) {
                secret_values(tree, value, out);
            }
        }
        Value::Sequence { .. } => {
            for &item in tree.items(node) {
                secret_values(tree, item, out);
            }
        }
        Value::Scalar(_) => {}
    }
}

fn secrets() -> Vec<String> {
    let mut secrets = Vec::new();
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        for document in parse_documents(&text) {
            if let DocumentResult::Document(tree) = document {
                secret_values(&tree, tree.root(), &mut secrets);
            }
        }
    }
    secrets.retain(|s| s.trim().len() >= MIN_LEN);
    secrets.sort();
    secrets.dedup();
    secrets
}

/// Runs `imglint lint` over every fixture; stdout and stderr together.
fn lint_output(format: &str, extra: &[&str]) -> String {
    let output = Command::cargo_bin("imglint")
        .unwrap()
        .env("COLUMNS", "200")
        .current_dir(fixtures())
        .args(["lint", "--fail-on", "never", "--format", format])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    assert!(output.status.success(), "{format}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[test]
fn no_secret_value_in_any_output() {
    let secrets = secrets();
    // The fixtures do hold secrets in every form, so the search below means something.
    for expected in [
        "ci-bot:Pa55w0rd-fixture",
        "Pa55w0rd-fixture",
        "Y2ktYm90OlBhNTV3MHJkLWZpeHR1cmU=",
        "s3cr3t-pa55",
        "eyJhbGciOi-token",
        "ci-bot:hunter2-plain",
        "hunter2-plain",
        "sp-password",
    ] {
        assert!(
            secrets.iter().any(|s| s == expected),
            "`{expected}` not found among the fixtures' secrets"
        );
    }
    let config = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-secrets.imglint.yaml");
    std::fs::write(
        &config,
        "tenancy: multi\nsecrets: complete\nallowed_registries: [registry.example.com]\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let runs: [&[&str]; 2] = [&[], &["--select", "ALL", "--config", config]];
    let mut checked = 0;
    for format in LintFormat::value_variants() {
        let format = format.to_possible_value().unwrap();
        for extra in runs {
            let output = lint_output(format.get_name(), extra);
            assert!(
                output.contains("IMG304"),
                "{}: the Secret rules did not run",
                format.get_name()
            );
            // Fixture values that the extraction cannot reach (in documents that do not
            // parse) carry this marker.
            assert!(
                !output.contains("CANARY"),
                "{} output {extra:?} contains a canary value",
                format.get_name()
            );
            for secret in &secrets {
                assert!(
                    !output.contains(secret.as_str()),
                    "{} output {extra:?} contains the secret value `{secret}`",
                    format.get_name()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} runs");
}

/// The other half of the promise: masking a document that does not parse only where it may be
/// a Secret. Shell commands continued with `\` are common in manifests; a broken document with
/// them stays readable, while a broken document whose escaped line break spells `Secret` is
/// masked (issue 13, item 5: `facts::may_spell_by_escapes`).
#[test]
fn broken_documents_are_masked_only_when_they_may_be_secrets() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken-documents");
    std::fs::create_dir_all(&dir).unwrap();
    let ordinary = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: build\nspec:\n  containers:\n  - name: build\n    image: registry.example.com/builder:1.4\n    command: [\"sh\", \"-c\", \"make all \\\n      && make install-readable\"]\n    args: [unclosed\n";
    let secret = "apiVersion: v1\nkind: \"Sec\\\n  ret\"\nmetadata:\n  name: creds\nstringData:\n  password: CANARY-joined-by-escape\nbroken: [\n";
    std::fs::write(dir.join("ordinary.yaml"), ordinary).unwrap();
    std::fs::write(dir.join("secret.yaml"), secret).unwrap();
    let output = Command::cargo_bin("imglint")
        .unwrap()
        .env("COLUMNS", "200")
        .env("NO_COLOR", "1")
        .current_dir(&dir)
        .args(["lint", "--fail-on", "never", "ordinary.yaml", "secret.yaml"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(shown.matches("IMG001").count(), 2, "{shown}");
    // The frame of the ordinary document shows its text.
    assert!(shown.contains("args: [unclosed"), "{shown}");
    assert!(shown.contains("make install-readable"), "{shown}");
    // The one that may be a Secret shows none of its values.
    assert!(!shown.contains("CANARY"), "{shown}");
    assert!(!shown.contains("broken: ["), "{shown}");
}
