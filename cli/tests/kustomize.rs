//! Kustomize roots rendered with the real engine (`kustomize build`, else `kubectl kustomize`)
//! on the scenarios under `tests/kustomize/`, one directory each, run from that directory.
//!
//! As in `fixtures.rs`, each source line where a finding is expected ends with `# ~ CODE`
//! (in resource files, kustomization files, patch files, inline patches alike): the test fails
//! on a finding without a marker and on a marker without a finding, then snapshots every
//! output format. Tests that need the engine say so and pass when neither program is on PATH
//! (CI has kubectl at /usr/bin/kubectl).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;

use common::{imglint, sarif_validator, sarif_violations};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/kustomize")
        .join(name)
}

/// Whether `kustomize` or `kubectl` is on PATH; says so when the test is skipped
/// (`IMGLINT_REQUIRE_KUBECTL=1` makes that a failure, as in the kubectl agreement test).
fn engine_available() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .any(|dir| dir.join("kubectl").is_file() || dir.join("kustomize").is_file());
    if !found {
        assert!(
            std::env::var_os("IMGLINT_REQUIRE_KUBECTL").is_none(),
            "IMGLINT_REQUIRE_KUBECTL is set but neither kustomize nor kubectl is on PATH"
        );
        #[allow(clippy::print_stderr)] // a test telling why it did nothing
        {
            eprintln!(
                "skipped: neither kustomize nor kubectl is on PATH (CI has /usr/bin/kubectl 1.32)"
            );
        }
    }
    found
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = imglint()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// `(file, line, code)` of every `# ~ CODE` marker under `dir`, files named as the walk of
/// `.` names them.
fn markers(dir: &Path) -> BTreeSet<(String, u64, String)> {
    let mut found = BTreeSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let name = format!("./{}", path.strip_prefix(dir).unwrap().display());
            for (index, line) in text.lines().enumerate() {
                if let Some((_, codes)) = line.split_once("# ~ ") {
                    for code in codes.split_whitespace() {
                        found.insert((name.clone(), index as u64 + 1, code.to_owned()));
                    }
                }
            }
        }
    }
    found
}

/// Runs a scenario in every format: checks its markers, its exit code, that no secret text
/// shows, that the SARIF log is valid, and returns all the output for a snapshot.
fn check(name: &str, code: i32) -> String {
    let dir = scenario(name);
    let json = run(&dir, &["--format", "json", "."]);
    assert_eq!(json.code, code, "{name}: {}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let found: BTreeSet<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(found, markers(&dir), "{name}: findings against markers");
    let mut all = format!("## json\n{}", json.stdout);
    for format in ["human", "github", "sarif"] {
        let output = run(&dir, &["--format", format, "."]);
        assert_eq!(output.code, code, "{name} --format {format}");
        let stdout = if format == "sarif" {
            let log: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
            let violations = sarif_violations(&sarif_validator(), &log);
            assert!(violations.is_empty(), "{violations:#?}");
            // Without `ruleIndex`, a position in the catalogue that any new rule moves.
            let mut results = log["runs"][0]["results"].clone();
            for result in results.as_array_mut().unwrap() {
                result.as_object_mut().unwrap().remove("ruleIndex");
            }
            serde_json::to_string_pretty(&results).unwrap() + "\n"
        } else {
            output.stdout
        };
        all.push_str(&format!(
            "## {format}\n{stdout}## {format} stderr\n{}",
            output.stderr
        ));
    }
    for secret in ["hunter2", "aHVudGVy", "dXNlcjpwYXNzd29yZA"] {
        assert!(!all.contains(secret), "{name}: `{secret}` shows:\n{all}");
    }
    all
}

macro_rules! scenario_test {
    ($test:ident, $name:literal, $code:expr) => {
        #[test]
        fn $test() {
            if !engine_available() {
                return;
            }
            insta::assert_snapshot!($name, check($name, $code));
        }
    };
}

// An overlay pins the base's `image: nginx` by digest: nothing is reported on the base.
scenario_test!(an_overlay_pinning_a_digest_clears_the_base, "digest_pin", 0);
// `newTag: latest`: IMG103 at that entry, labelled at the base's `image:`.
scenario_test!(new_tag_latest_is_reported_at_the_entry, "latest_tag", 0);
// Patches: a strategic-merge file, a JSON 6902 file (with its fix), an inline patch.
scenario_test!(a_patched_image_is_reported_in_the_patch, "patch", 1);
// A component's resource and its `images:` entry.
scenario_test!(components_are_reported_where_written, "components", 0);
// `namespace`/`namePrefix`: the team overlay's pull Secret resolves in `team`; the apps
// overlay's pod is in `apps`, where `regcred` is not (IMG302, at the base's line).
scenario_test!(
    pull_secrets_resolve_in_the_rendered_namespace,
    "namespaces",
    1
);
// One finding for the base that both overlays render, naming both.
scenario_test!(two_overlays_of_one_base_report_once, "two_overlays", 0);
// A kustomization that fails: reported with kustomize's message, exit 2, the rest linted.
scenario_test!(a_broken_kustomization_does_not_stop_the_run, "broken", 2);
// A generated Secret: reported at its generator entry; its literal never shows, not even in
// the message of the kustomization that fails on it.
scenario_test!(secret_generator_values_never_show, "secret_generator", 2);

#[test]
fn both_roots_are_named_for_a_shared_finding() {
    if !engine_available() {
        return;
    }
    let run = run(&scenario("two_overlays"), &["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let roots = &report["diagnostics"][0]["kustomization"];
    assert_eq!(
        roots,
        &serde_json::json!(["./dev/kustomization.yaml", "./prod/kustomization.yaml"])
    );
}

/// A base named on the command line is a root of its own.
#[test]
fn a_named_base_is_linted_as_a_root() {
    if !engine_available() {
        return;
    }
    let run = run(&scenario("latest_tag"), &["--format", "github", "base"]);
    assert_eq!(
        run.stdout,
        "No problems found in 2 files (1 object, 1 container).\n"
    );
    let run2 = self::run(&scenario("two_overlays"), &["--format", "json", "base"]);
    let report: serde_json::Value = serde_json::from_str(&run2.stdout).unwrap();
    assert_eq!(
        report["diagnostics"][0]["kustomization"],
        serde_json::json!(["base/kustomization.yaml"])
    );
}

/// `--kustomize never`, and `kustomize: never` in the config: every file as written.
#[test]
fn never_lints_every_file_as_written() {
    let dir = scenario("latest_tag");
    let flag = run(&dir, &["--format", "github", "--kustomize", "never", "."]);
    assert_eq!(flag.code, 0);
    assert!(!flag.stdout.contains("IMG103"), "{}", flag.stdout);
    assert!(
        flag.stdout
            .ends_with("in 3 files (1 object, 1 container).\n"),
        "{}",
        flag.stdout
    );
    let scratch = common::scratch(&[
        ("config.yaml", "kustomize: never\n"),
        (
            "k/kustomization.yaml",
            "resources: [pod.yaml]\nimages:\n- name: nginx\n  newTag: latest\n",
        ),
        (
            "k/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n",
        ),
    ]);
    let config = run(
        &scratch.0,
        &["--format", "github", "--config", "config.yaml", "k"],
    );
    assert_eq!(
        config.stdout,
        "No problems found in 2 files (1 object, 1 container).\n"
    );
    let bad = run(&scratch.0, &["--kustomize", "sometimes", "k"]);
    assert_eq!(bad.code, 2);
}

/// Without kustomize or kubectl, kustomizations are linted as plain files, and the run says
/// which.
#[test]
fn without_an_engine_kustomizations_are_linted_as_written() {
    let empty = common::scratch(&[]);
    let output = imglint()
        .current_dir(scenario("latest_tag"))
        .env("PATH", &empty.0)
        .args(["lint", "--format", "github", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "imglint: note: neither `kustomize` nor `kubectl` is on PATH: this kustomization is linted as plain files, not as rendered (./overlays/staging/kustomization.yaml); install one, or set `kustomize: never` to silence this\n"
    );
    assert_eq!(output.status.code(), Some(0));
}

/// A root with a remote base is refused without `--kustomize-network`, before kustomize runs.
#[test]
fn remote_bases_need_the_network_flag() {
    let scratch = common::scratch(&[(
        "k/kustomization.yaml",
        "resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1\n",
    )]);
    let fake = common::scratch(&[("kubectl", "#!/bin/sh\necho should not run >&2\nexit 1\n")]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(fake.path("kubectl"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    }
    let output = imglint()
        .current_dir(&scratch.0)
        .env("PATH", &fake.0)
        .args(["lint", "--format", "github", "k"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`k/kustomization.yaml`: cannot render this kustomization: it refers to the remote base `https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1`, and imglint lets kustomize fetch remote bases only with --kustomize-network"),
        "{stderr}"
    );
    assert!(!stderr.contains("should not run"), "{stderr}");
}

/// A root that renders too long is stopped and reported; the rest of the run goes on.
#[cfg(unix)]
#[test]
fn a_root_past_its_timeout_is_stopped() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = common::scratch(&[
        ("k/kustomization.yaml", "resources: []\n"),
        (
            "pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx\n",
        ),
    ]);
    let fake = common::scratch(&[("kustomize", "#!/bin/sh\nexec sleep 30\n")]);
    std::fs::set_permissions(
        fake.path("kustomize"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let output = imglint()
        .current_dir(&scratch.0)
        .env("PATH", format!("{}:/usr/bin:/bin", fake.0.display()))
        .args([
            "lint",
            "--format",
            "github",
            "--kustomize-timeout",
            "1",
            ".",
        ])
        .output()
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`./k/kustomization.yaml`: cannot render this kustomization with kustomize build: kustomize did not finish within 1 s"),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("file=./pod.yaml"), "{stdout}");
}

/// `--fix` edits the source position of a finding in rendered output (the JSON 6902 patch's
/// `value: always`), never rendered text, and the run reports what is left.
#[test]
fn fix_edits_the_source_position() {
    if !engine_available() {
        return;
    }
    let source = scenario("patch");
    let files: Vec<(String, String)> = [
        "base/kustomization.yaml",
        "base/deploy.yaml",
        "overlay/kustomization.yaml",
        "overlay/proxy.yaml",
        "overlay/init.yaml",
    ]
    .iter()
    .map(|name| {
        let text = std::fs::read_to_string(source.join(name)).unwrap();
        (name.to_string(), text)
    })
    .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let scratch = common::scratch(&borrowed);
    let fixed = run(&scratch.0, &["--format", "github", "--fix", "."]);
    assert_eq!(fixed.stderr, "Fixed 1 problem in 1 file.\n");
    assert!(!fixed.stdout.contains("IMG204"), "{}", fixed.stdout);
    assert_eq!(
        std::fs::read_to_string(scratch.path("overlay/init.yaml")).unwrap(),
        "- op: replace\n  path: /spec/template/spec/initContainers/0/imagePullPolicy\n  value: Always # ~ IMG204\n"
    );
    for (name, text) in &files[..4] {
        assert_eq!(&std::fs::read_to_string(scratch.path(name)).unwrap(), text);
    }
    let again = run(&scratch.0, &["--format", "github", "."]);
    assert!(!again.stdout.contains("IMG204"), "{}", again.stdout);
}

/// What the pre-commit hook runs (`--kustomize-search .` and the changed files): a changed
/// base file is linted as the roots that include it render it, a root that includes no
/// changed file is not rendered, a file outside every kustomization is linted as written.
#[test]
fn changed_files_are_linted_as_their_roots_render_them() {
    if !engine_available() {
        return;
    }
    let changed_base = run(
        &scenario("latest_tag"),
        &[
            "--format",
            "github",
            "--kustomize-search",
            ".",
            "base/deploy.yaml",
        ],
    );
    assert!(
        changed_base.stdout.starts_with(
            "::warning file=overlays/staging/kustomization.yaml,line=5,col=11,endLine=5,endColumn=17,title=IMG103::"
        ),
        "{}",
        changed_base.stdout
    );
    let broken = run(
        &scenario("broken"),
        &[
            "--format",
            "github",
            "--kustomize-search",
            ".",
            "plain.yaml",
            "good/pod.yaml",
        ],
    );
    assert_eq!(
        broken.code, 0,
        "the broken root includes no changed file: {}",
        broken.stderr
    );
    let files: Vec<&str> = broken
        .stdout
        .lines()
        .filter_map(|line| line.split(',').next()?.strip_prefix("::warning file="))
        .collect();
    assert_eq!(files, ["good/pod.yaml", "plain.yaml"]);
}

/// `Kustomization` (no extension, which the walk does not yield) makes a directory a
/// kustomization too.
#[test]
fn a_kustomization_file_without_extension_is_found() {
    if !engine_available() {
        return;
    }
    let scratch = common::scratch(&[
        (
            "k/Kustomization",
            "resources: [pod.yaml]\nimages:\n- name: registry.example.com/app\n  newTag: latest\n",
        ),
        (
            "k/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/app:1.0\n",
        ),
    ]);
    let run = run(
        &scratch.0,
        &["--format", "github", "--select", "IMG103", "k"],
    );
    assert!(
        run.stdout.starts_with(
            "::warning file=k/Kustomization,line=4,col=11,endLine=4,endColumn=17,title=IMG103::"
        ),
        "{}",
        run.stdout
    );
}
