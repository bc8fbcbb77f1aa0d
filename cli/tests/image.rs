//! `imglint image` end to end: output snapshots, exit codes, and the conformance vectors through
//! the binary.

use assert_cmd::Command;

fn imglint() -> Command {
    let mut command = Command::cargo_bin("imglint").unwrap();
    command.env_remove("NO_COLOR").env("COLUMNS", "100");
    command
}

fn run(args: &[&str]) -> (String, i32) {
    let output = imglint().args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap(),
    )
}

#[test]
fn explains_valid_references() {
    let (stdout, code) = run(&[
        "image",
        "nginx",
        "localhost:5000/team/app",
        "ghcr.io/acme/api:1.2.3@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "docker.io/library/busybox:latest",
        "quay.io/prometheus/node-exporter@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn points_at_the_offending_character() {
    let (stdout, code) = run(&[
        "image",
        "--",
        "Nginx:1.27",
        "registry.example.com:port/app",
        "http://registry.example.com/app",
        "nginx:1.0:2.0",
        "nginx@sha256:abc",
        "nginx@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "nginx@md5:0d17b565c37bcbd895e9d92315a05c1c",
        "-foo",
        " nginx",
        "",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_output() {
    let (stdout, code) = run(&[
        "image",
        "--format",
        "json",
        "nginx",
        "localhost:5000",
        "Nginx",
    ]);
    assert_eq!(code, 1, "one reference is invalid");
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_missing_reference_is_a_usage_error() {
    let output = imglint().arg("image").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("<REF>"));
}

/// Every conformance input through the binary: the JSON agrees with upstream's results.
#[test]
fn json_agrees_with_the_conformance_vectors() {
    // The vectors are at the repository's root (conformance/README.md says where they come from).
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/reference.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{} is missing: {error}", path.display()));
    let vectors: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 587);
    let inputs: Vec<&str> = cases.iter().map(|c| c["input"].as_str().unwrap()).collect();

    let output = imglint()
        .args(["image", "--format", "json", "--"])
        .args(&inputs)
        .output()
        .unwrap();
    let infos: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(infos.len(), cases.len());
    for (info, case) in infos.iter().zip(cases) {
        for field in [
            "input",
            "valid",
            "domain",
            "path",
            "tag",
            "digest",
            "familiar",
            "normalized",
            "default_pull_policy",
        ] {
            assert_eq!(info[field], case[field], "{field} of {:?}", case["input"]);
        }
        assert_eq!(
            info["error"]["message"], case["error"],
            "error of {:?}",
            case["input"]
        );
        assert_eq!(
            info["error"]["kind"], case["error_kind"],
            "error kind of {:?}",
            case["input"]
        );
    }
}
