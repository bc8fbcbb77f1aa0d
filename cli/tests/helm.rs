//! `helm template … | imglint lint -`: each finding names the template of its document (the
//! `# Source:` comment), in every format; lines are those of the rendered stream.

mod common;

use common::{imglint, sarif_validator, sarif_violations};

#[test]
fn findings_in_helm_output_name_their_template() {
    let rendered = include_str!("helm/web.yaml");
    let mut all = String::new();
    for format in ["human", "json", "github", "sarif"] {
        let output = imglint()
            .args(["lint", "--format", format, "-"])
            .write_stdin(rendered)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{format}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let shown = if format == "sarif" {
            let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert!(sarif_violations(&sarif_validator(), &log).is_empty());
            let mut results = log["runs"][0]["results"].clone();
            for result in results.as_array_mut().unwrap() {
                result.as_object_mut().unwrap().remove("ruleIndex");
            }
            serde_json::to_string_pretty(&results).unwrap() + "\n"
        } else {
            stdout
        };
        all.push_str(&format!("## {format}\n{shown}"));
    }
    // Two findings in the Deployment and one in the test Pod, named once per format.
    for (template, findings) in [
        ("web/templates/deployment.yaml", 2),
        ("web/templates/tests/test-connection.yaml", 1),
    ] {
        assert_eq!(
            all.matches(template).count(),
            4 * findings,
            "{template}:\n{all}"
        );
    }
    assert!(!all.contains("serviceaccount.yaml"));
    insta::assert_snapshot!(all);
}

/// A file is not Helm output: findings in it name no template, even with a `# Source:` line.
#[test]
fn files_name_no_template() {
    let scratch = common::scratch(&[("web.yaml", include_str!("helm/web.yaml"))]);
    let output = imglint()
        .args(["lint", "--format", "json"])
        .arg(scratch.path("web.yaml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("\"template\""), "{stdout}");
}
