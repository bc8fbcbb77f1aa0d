//! The pre-commit hook, run by the real `pre-commit` (from PyPI): `pre-commit try-repo` builds
//! the hook from this repository with `cargo install` exactly as users' machines do, then runs
//! it in a scratch git repository on a bad and a good manifest.
//!
//! `scripts/test` installs pre-commit into a virtualenv and sets `IMGLINT_PRE_COMMIT` (and
//! `IMGLINT_REQUIRE_PRE_COMMIT`, so that a missing pre-commit fails there). Run alone without
//! pre-commit, the test says so and passes. `try-repo` sees committed and staged files only: a
//! new, unstaged hook file is invisible to it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BAD: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: web
        image: Nginx:1.27 # upper case: the kubelet cannot pull it
";

const GOOD: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.27
";

fn pre_commit() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("IMGLINT_PRE_COMMIT") {
        return Some(PathBuf::from(path));
    }
    let found = Command::new("pre-commit").arg("--version").output();
    found
        .is_ok_and(|output| output.status.success())
        .then(|| PathBuf::from("pre-commit"))
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// Checks pre-commit's exit code and its verdict line for the hook; returns its output.
fn expect(output: &Output, code: i32, verdict: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("imglint....") && stdout.contains(verdict),
        "{stdout}"
    );
    stdout
}

#[test]
fn the_hook_fails_on_a_bad_manifest_and_passes_on_a_good_one() {
    let Some(pre_commit) = pre_commit() else {
        assert!(
            std::env::var_os("IMGLINT_REQUIRE_PRE_COMMIT").is_none(),
            "pre-commit is required (IMGLINT_REQUIRE_PRE_COMMIT) but not found"
        );
        #[allow(clippy::print_stderr)] // a test telling why it did nothing
        {
            eprintln!("skipped: pre-commit is not installed (scripts/test installs it)");
        }
        return;
    };
    let repo_root = imglint_e2e::repository_root();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let scratch = tmp.join(format!("pre-commit-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("deploy")).unwrap();
    std::fs::write(scratch.join("deploy/bad.yaml"), BAD).unwrap();
    std::fs::write(scratch.join("deploy/good.yaml"), GOOD).unwrap();
    std::fs::write(scratch.join("notes.txt"), "image: Nginx:1.27\n").unwrap();
    std::fs::create_dir_all(scratch.join("chart/templates")).unwrap();
    std::fs::write(
        scratch.join("chart/templates/web.yaml"),
        "image: {{ .Values.image }}\n",
    )
    .unwrap();
    git(&scratch, &["init", "-q"]);
    git(&scratch, &["add", "."]);

    let try_repo = |files: &[&str]| -> Output {
        Command::new(&pre_commit)
            .current_dir(&scratch)
            .args([
                "try-repo",
                repo_root.to_str().unwrap(),
                "imglint",
                "--files",
            ])
            .args(files)
            // Its own cache, and one build of the hook reused between runs.
            .env("PRE_COMMIT_HOME", tmp.join("pre-commit-home"))
            .env("CARGO_TARGET_DIR", tmp.join("pre-commit-build"))
            .env("NO_COLOR", "1")
            // try-repo commits uncommitted changes to a shadow repository.
            .env("GIT_AUTHOR_NAME", "imglint tests")
            .env("GIT_AUTHOR_EMAIL", "tests@imglint.invalid")
            .env("GIT_COMMITTER_NAME", "imglint tests")
            .env("GIT_COMMITTER_EMAIL", "tests@imglint.invalid")
            .output()
            .unwrap()
    };

    let bad = expect(
        &try_repo(&["deploy/bad.yaml", "notes.txt", "chart/templates/web.yaml"]),
        1,
        "Failed",
    );
    assert!(bad.contains("IMG101"), "{bad}");
    assert!(bad.contains("deploy/bad.yaml:9:16"), "{bad}");
    // Neither the text file nor the Helm template is a manifest: the hook never sees them.
    assert!(!bad.contains("notes.txt"), "{bad}");
    assert!(!bad.contains("templates/web.yaml"), "{bad}");
    expect(
        &try_repo(&["deploy/good.yaml", "notes.txt", "chart/templates/web.yaml"]),
        0,
        "Passed",
    );

    let _ = std::fs::remove_dir_all(&scratch);
}
