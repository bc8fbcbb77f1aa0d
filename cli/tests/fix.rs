//! `imglint lint --fix` end to end: the files before and after (comments, quoting and order
//! survive), what it says it did, the re-lint, and the cases it must refuse or leave alone.

mod common;

use common::{imglint, scratch};

/// Every kind of fix imglint offers, in one file, with comments everywhere.
const BEFORE: &str = "\
# Shop front end. Owned by team-web.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # public name
  namespace: shop
  annotations:
    imglint.dev/ignore: \"IMG103,IMG999 -- nginx follows upstream\"
spec:
  template:
    spec:
      imagePullSecrets: [{name: regcred}]
      containers:
      - name: web
        image: \"nginx:latest\"          # tracked on purpose
      - name: api
        image: registry.example.com/shop/api:2.1   # bumped by CI
        imagePullPolicy: ifNotPresent  # typo kept by review
      - name: padded
        image: ' registry.example.com/shop/padded:1.0'
      - name: flow
        image: registry.example.com/shop/flow:3.0
        imagePullPolicy: 'never'
      - name: sandbox
        image: 'k8s.gcr.io/pause:3.1'  # frozen registry
---
# kubelet config of the shared nodes
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imagePullCredentialsVerificationPolicy: NeverVerify # too lax
";

fn write_then_fix(extra: &[&str]) -> (common::tempdir::Scratch, std::process::Output) {
    let dir = scratch(&[("deploy/web.yaml", BEFORE)]);
    let output = imglint()
        .current_dir(&dir.0)
        .env("NO_COLOR", "1")
        .args(["lint", "--fix", "--tenancy", "multi", "--select", "ALL"])
        .args(extra)
        .arg("deploy")
        .output()
        .unwrap();
    (dir, output)
}

#[test]
fn fixes_edit_only_their_spans_and_the_relint_is_clean_of_them() {
    let (dir, output) = write_then_fix(&["--format", "json"]);
    let after = std::fs::read_to_string(dir.path("deploy/web.yaml")).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let remaining: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{} {}", d["line"], d["column"], d["code"]))
        .collect();
    insta::assert_snapshot!(format!(
        "----- before -----\n{BEFORE}----- after -----\n{after}----- stderr -----\n{stderr}----- remaining -----\n{}\n",
        remaining.join("\n")
    ));

    // Every comment and the document separator survive, in order.
    let comments = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| line.find('#').map(|at| line[at..].to_owned()))
            .collect()
    };
    assert_eq!(comments(&after), comments(BEFORE));
    // The api container keeps `IfNotPresent`: once the KubeletConfiguration is fixed to
    // re-verify credentials, the re-lint reads it from the fixed text, and IMG402 (which
    // wanted `Always`) no longer applies, as a second run would say.
    assert!(
        stderr.starts_with("Fixed 8 problems in 1 file."),
        "{stderr}"
    );

    // The reported findings are those of the new text: no fixable finding is left, and a
    // second run changes nothing.
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["fix"].is_null()),
        "{report:#}"
    );
    let again = imglint()
        .current_dir(&dir.0)
        .args([
            "lint",
            "--fix",
            "--tenancy",
            "multi",
            "--select",
            "ALL",
            "deploy",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("Fixed 0 problems in 0 files."));
    assert_eq!(
        std::fs::read_to_string(dir.path("deploy/web.yaml")).unwrap(),
        after
    );
}

/// The JSON `fix` field and `--fix` make the same edits.
#[test]
fn the_json_fix_field_carries_the_edits_that_fix_makes() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a # c\n    image: nginx:1.27\n    imagePullPolicy: always # c\n";
    let dir = scratch(&[("pod.yaml", text)]);
    let report = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--format", "json", "pod.yaml"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let edit = &report["diagnostics"][0]["fix"]["edits"][0];
    let line = edit["line"].as_u64().unwrap() as usize;
    let (column, end_column) = (
        edit["column"].as_u64().unwrap() as usize,
        edit["end_column"].as_u64().unwrap() as usize,
    );
    let mut by_json: Vec<String> = text.lines().map(str::to_owned).collect();
    by_json[line - 1].replace_range(
        column - 1..end_column - 1,
        edit["replacement"].as_str().unwrap(),
    );
    let by_json = by_json.join("\n") + "\n";

    imglint()
        .current_dir(&dir.0)
        .args(["lint", "--fix", "pod.yaml"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path("pod.yaml")).unwrap(),
        by_json
    );
}

#[test]
fn fix_refuses_standard_input() {
    let output = imglint()
        .args(["lint", "--fix", "-"])
        .write_stdin("kind: Pod\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot rewrite standard input"));
}

#[test]
fn files_without_fixes_are_not_rewritten() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:latest\n";
    let dir = scratch(&[("pod.yaml", text)]);
    let before = std::fs::metadata(dir.path("pod.yaml"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--fix", "pod.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let after = std::fs::metadata(dir.path("pod.yaml"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 warning"));
}

#[cfg(unix)]
#[test]
fn a_symlink_stays_a_symlink_and_permissions_stay() {
    use std::os::unix::fs::PermissionsExt;
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    imagePullPolicy: never\n";
    let dir = scratch(&[("real/pod.yaml", text)]);
    std::fs::set_permissions(
        dir.path("real/pod.yaml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path("linked")).unwrap();
    std::os::unix::fs::symlink(dir.path("real/pod.yaml"), dir.path("linked/pod.yaml")).unwrap();
    imglint()
        .current_dir(&dir.0)
        .args(["lint", "--fix", "--fail-on", "never", "linked/pod.yaml"])
        .assert()
        .success();
    let link = std::fs::symlink_metadata(dir.path("linked/pod.yaml")).unwrap();
    assert!(link.file_type().is_symlink());
    let real = std::fs::read_to_string(dir.path("real/pod.yaml")).unwrap();
    assert!(real.contains("imagePullPolicy: Never\n"), "{real}");
    let mode = std::fs::metadata(dir.path("real/pod.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path("real")).unwrap().count(), 1);
}

const ANNOTATED: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    imglint.dev/ignore: IGNORE\nspec:\n  containers:\n  - {name: web, image: \"nginx:latest\"}\n";

fn fix_annotation(annotation: &str, extra: &[&str]) -> (String, std::process::Output) {
    let dir = scratch(&[("pod.yaml", &ANNOTATED.replace("IGNORE", annotation))]);
    let output = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--fix", "--format", "json"])
        .args(extra)
        .arg("pod.yaml")
        .output()
        .unwrap();
    let after = std::fs::read_to_string(dir.path("pod.yaml")).unwrap();
    let line = after.lines().nth(5).unwrap().trim().to_owned();
    (line, output)
}

/// Review findings on 934154d: multi-byte separators, flags that turn a rule off, IMG003
/// naming itself.
#[test]
fn unused_suppressions_are_removed_only_when_certain() {
    // A no-break space between selectors: spans are byte-exact, the used IMG103 stays.
    let (line, output) = fix_annotation("IMG9\u{a0}IMG103,IMG8", &[]);
    assert_eq!(line, "imglint.dev/ignore: IMG103", "{output:?}");
    let (line, _) = fix_annotation("IMG9\u{3000}IMG103", &[]);
    assert_eq!(line, "imglint.dev/ignore: IMG103");

    // IMG103 does not run in this invocation: reported, but not removed.
    let (line, output) = fix_annotation("\"IMG103,IMG201 -- pinned\"", &["--ignore", "IMG103"]);
    assert_eq!(line, "imglint.dev/ignore: \"IMG103,IMG201 -- pinned\"");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "IMG003")
    );

    // IMG003 in the annotation suppresses the unused-suppression findings of that object.
    let (line, output) = fix_annotation("IMG103,IMG003,IMG104", &[]);
    assert_eq!(line, "imglint.dev/ignore: IMG103,IMG003,IMG104");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 2);

    // A reason separator with no reason.
    let (line, _) = fix_annotation("\"IMG103 --\"", &[]);
    assert_eq!(line, "imglint.dev/ignore: \"IMG103 --\"");
}

#[test]
fn the_same_file_named_twice_is_fixed_without_error() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    imagePullPolicy: never\n";
    let dir = scratch(&[("a.yaml", text)]);
    let output = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--fix", "--fail-on", "never", "a.yaml", "./a.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        std::fs::read_to_string(dir.path("a.yaml"))
            .unwrap()
            .contains("imagePullPolicy: Never\n")
    );
    assert_eq!(
        std::fs::read_dir(&dir.0).unwrap().count(),
        1,
        "no temporary file left"
    );
}
