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

/// A chart directory is rendered with `helm template` when `helm` is on PATH (a stand-in
/// script here: the project's machines have no helm). Its files are not linted on their own
/// (`templates/` is not YAML until rendered); the findings are in the rendered stream, each
/// naming its template. Without helm, or with `--kustomize never`, the chart is linted as
/// written, and without helm a note says so.
#[cfg(unix)]
#[test]
fn a_chart_directory_is_rendered_with_helm_template() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = common::scratch(&[
        (
            "web/Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        ),
        ("web/values.yaml", "image: nginx\n"),
        (
            "web/templates/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n  - name: web\n    image: {{ .Values.image }}\n",
        ),
    ]);
    let rendered = "---\n# Source: web/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
    let bin = common::scratch(&[(
        "helm",
        &format!(
            "#!/bin/sh\n[ \"$1 $2 $3\" = \"template web web\" ] || exit 3\ncat <<'EOF'\n{rendered}EOF\n"
        ),
    )]);
    std::fs::set_permissions(bin.path("helm"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let lint = |path: &str, extra: &[&str]| {
        let output = imglint()
            .current_dir(&scratch.0)
            .env("PATH", path)
            .args(["lint", "--format", "github"])
            .args(extra)
            .arg("web")
            .output()
            .unwrap();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    // The script needs `cat`: the system's directories after it.
    let with_helm = format!("{}:/usr/bin:/bin", bin.0.display());
    let (stdout, stderr) = lint(&with_helm, &[]);
    assert_eq!(stderr, "");
    assert!(
        stdout.starts_with("::warning file=web (helm template),line=10,col=12,endLine=10,endColumn=17,title=IMG102::"),
        "{stdout}"
    );
    assert!(
        stdout.contains("from the Helm template web/templates/pod.yaml"),
        "{stdout}"
    );
    assert!(!stdout.contains("IMG001"), "{stdout}");
    assert!(
        stdout.ends_with("in 1 file (1 object, 1 container).\n"),
        "{stdout}"
    );

    let (plain, _) = lint(&with_helm, &["--kustomize", "never"]);
    assert!(plain.contains("file=web/templates/pod.yaml"), "{plain}");
    let empty = common::scratch(&[]);
    let (without, note) = lint(&empty.0.display().to_string(), &[]);
    assert!(without.contains("file=web/templates/pod.yaml"), "{without}");
    assert_eq!(
        note,
        "imglint: note: `helm` is not on PATH: Helm charts are linted as plain files, not as rendered (web); pipe `helm template` into `imglint lint -` instead\n"
    );
}
