//! `--format sarif` and `--format github` end to end: what CI systems read. Each fixture's
//! output in both formats is snapshotted in `fixtures.rs`; here are the whole SARIF log (its
//! rule catalogue included), unreadable files and exit codes.

mod common;

use common::{imglint, sarif_validator, sarif_violations, scratch};

const PODS: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  imagePullSecrets: [{name: regcred}]
  containers:
  - name: web
    image: nginx:latest
  - name: sidecar
    image: registry.example.com/shop/sidecar:1.0
    imagePullPolicy: always
---
apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: shop}
type: kubernetes.io/dockercfg
data:
  .dockercfg: e30=
";

#[test]
fn the_whole_sarif_log_is_valid_and_stable() {
    let dir = scratch(&[("deploy/web app.yaml", PODS)]);
    let output = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--format", "sarif", "--tenancy", "multi", "deploy"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        sarif_violations(&sarif_validator(), &log),
        Vec::<String>::new()
    );
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), imglint_core::rules::RULES.len());
    for (index, rule) in rules.iter().enumerate() {
        let meta = imglint_core::rules::RULES[index].meta();
        assert_eq!(rule["id"], meta.code);
        assert_eq!(rule["helpUri"], meta.url());
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## How to fix")
        );
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "deploy/web%20app.yaml"
        );
    }
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let mut log = log;
    for field in ["version", "semanticVersion"] {
        log["runs"][0]["tool"]["driver"][field] = "[version]".into();
    }
    insta::assert_json_snapshot!(log);
}

#[test]
fn an_unreadable_file_is_a_sarif_notification_and_exit_2() {
    let dir = scratch(&[("ok.yaml", PODS)]);
    let output = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--format", "sarif", "ok.yaml", "missing.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        sarif_violations(&sarif_validator(), &log),
        Vec::<String>::new()
    );
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing.yaml"
    );
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn standard_input_has_a_valid_uri() {
    let output = imglint()
        .args(["lint", "--format", "sarif", "-"])
        .write_stdin(PODS)
        .output()
        .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        sarif_violations(&sarif_validator(), &log),
        Vec::<String>::new()
    );
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Cstdin%3E"
    );
}

#[test]
fn github_annotations() {
    let dir = scratch(&[("deploy/web,app.yaml", PODS)]);
    let run = |extra: &[&str]| {
        imglint()
            .current_dir(&dir.0)
            .args(["lint", "--format", "github", "--tenancy", "multi"])
            .args(extra)
            .arg("deploy")
            .output()
            .unwrap()
    };
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!(stdout);
    // Every line is a workflow command but the summary.
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[..lines.len() - 1]
            .iter()
            .all(|line| line.starts_with("::"))
    );
    assert!(stdout.contains(
        "file=deploy/web%2Capp.yaml,line=10,col=12,endLine=10,endColumn=24,title=IMG103::"
    ));

    let quiet = run(&["--quiet", "--fail-on", "never"]);
    assert_eq!(quiet.status.code(), Some(0));
    let quiet = String::from_utf8(quiet.stdout).unwrap();
    assert!(quiet.lines().all(|line| line.starts_with("::")), "{quiet}");

    let missing = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--format", "github", "missing.yaml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8(missing.stdout)
            .unwrap()
            .starts_with("::error file=missing.yaml,title=imglint::cannot read `missing.yaml`: ")
    );
}
