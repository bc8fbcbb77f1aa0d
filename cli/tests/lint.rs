//! `imglint lint` end to end: exit codes, standard input, directories with broken files,
//! determinism, closed pipes, and the real-world corpus.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;

const CLEAN: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n";
const WARNING: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: warn}\nspec:\n  containers:\n  - name: app\n    image: nginx:latest\n";
const ERROR: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers:\n  - name: app\n    image: Nginx:1.0\n";

fn imglint() -> Command {
    let mut command = Command::cargo_bin("imglint").unwrap();
    command.env_remove("NO_COLOR").env("COLUMNS", "100");
    command
}

fn shared() -> PathBuf {
    std::env::var_os("IMGLINT_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    )
}

fn scratch(files: &[(&str, &str)]) -> tempdir::Scratch {
    tempdir::Scratch::new(files)
}

/// A throwaway directory under the target directory (no extra dependency needed).
mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU32, Ordering};

    pub struct Scratch(pub PathBuf);

    impl Scratch {
        pub fn new(files: &[(&str, &str)]) -> Self {
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("lint-e2e-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (name, text) in files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        pub fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = scratch(&[
        ("clean.yaml", CLEAN),
        ("warning.yaml", WARNING),
        ("error.yaml", ERROR),
    ]);
    let code = |args: &[&str], file: &str| {
        imglint()
            .arg("lint")
            .args(args)
            .arg(dir.path(file))
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&[], "clean.yaml"), Some(0));
    assert_eq!(
        code(&[], "warning.yaml"),
        Some(0),
        "warnings pass with the default --fail-on error"
    );
    assert_eq!(code(&["--fail-on", "warning"], "warning.yaml"), Some(1));
    assert_eq!(code(&[], "error.yaml"), Some(1));
    assert_eq!(code(&["--fail-on", "never"], "error.yaml"), Some(0));
    assert_eq!(code(&["--ignore", "IMG1"], "error.yaml"), Some(0));
    assert_eq!(
        code(&["--select", "IMG9"], "clean.yaml"),
        Some(2),
        "an unknown selector is a usage error"
    );
    assert_eq!(code(&["--fail-on", "sometimes"], "clean.yaml"), Some(2));
}

#[test]
fn standard_input_with_dash_and_when_piped() {
    for args in [
        &["lint", "-", "--format", "json"][..],
        &["lint", "--format", "json"][..],
    ] {
        let output = imglint().args(args).write_stdin(WARNING).output().unwrap();
        let report = json(&output);
        assert_eq!(report["diagnostics"][0]["file"], "<stdin>");
        assert_eq!(report["diagnostics"][0]["code"], "IMG103");
        assert_eq!(report["diagnostics"][0]["line"], 7);
    }
}

#[test]
fn a_broken_file_and_a_good_file_are_both_reported() {
    let dir = scratch(&[
        ("manifests/broken.yaml", "kind: Pod\nspec: [\n"),
        ("manifests/good.yaml", WARNING),
        ("manifests/notes.txt", "image: Nginx\n"),
        ("manifests/.hidden.yaml", ERROR),
        ("manifests/ignored/x.yaml", ERROR),
        ("manifests/.gitignore", "ignored/\n"),
    ]);
    let output = imglint()
        .arg("lint")
        .arg(dir.path("manifests"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "IMG001 is an error");
    let report = json(&output);
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("broken.yaml".to_owned(), "IMG001".to_owned()),
            ("good.yaml".to_owned(), "IMG103".to_owned())
        ]
    );
    assert_eq!(
        report["summary"]["files"], 2,
        "hidden, ignored and non-manifest files are skipped"
    );
}

#[test]
fn an_unreadable_path_exits_2_after_linting_the_rest() {
    let dir = scratch(&[("good.yaml", WARNING)]);
    let output = imglint()
        .arg("lint")
        .arg(dir.path("good.yaml"))
        .arg(dir.path("missing.yaml"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(
        report["diagnostics"][0]["code"], "IMG103",
        "the readable file is still linted"
    );
    assert!(
        report["errors"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("missing.yaml")
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let corpus = shared().join("corpus/kubernetes-examples");
    let run = |threads: &str| {
        let output = imglint()
            .arg("lint")
            .arg(&corpus)
            .args(["--format", "json", "-j", threads])
            .output()
            .unwrap();
        output.stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("4"));
    assert_eq!(one, run("2"));
}

#[test]
fn human_output_quiet_and_stats() {
    let dir = scratch(&[("warning.yaml", WARNING)]);
    let output = imglint()
        .arg("lint")
        .arg(dir.path("warning.yaml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("IMG103 image `nginx:latest` uses the mutable tag `latest`"));
    assert!(
        stdout
            .trim_end()
            .ends_with("Found 1 problem (1 warning) in 1 file (1 object, 1 container).")
    );

    let output = imglint()
        .arg("lint")
        .arg(dir.path("warning.yaml"))
        .args(["--quiet", "--stats"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("Found"), "--quiet drops the summary");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 files, 1 documents, 1 objects, 1 containers"),
        "{stderr}"
    );
    assert!(stderr.contains("IMG103  latest-tag"), "{stderr}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let corpus = shared().join("corpus/kubernetes-examples");
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("imglint"))
        .arg("lint")
        .arg(&corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, like `| head -c 16`.
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "{status:?}"
    );
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

/// Every file of the shared corpus (262 real files, some deliberately odd): no crash, broken
/// and non-Kubernetes documents handled, and the counts of a careful reader. PyYAML finds 282
/// objects; imglint also reads a tab-indented JSON file that PyYAML rejects and kubectl accepts.
#[test]
fn the_real_world_corpus() {
    let corpus = shared().join("corpus/kubernetes-examples");
    assert!(corpus.is_dir(), "{} is missing", corpus.display());
    let output = imglint()
        .arg("lint")
        .arg(&corpus)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    let summary = &report["summary"];
    assert_eq!(summary["files"], 262);
    assert_eq!(summary["objects"], 283);
    assert_eq!(summary["documents"], 290);
    let syntax_errors = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "IMG001")
        .count();
    assert_eq!(
        syntax_errors, 5,
        "the `{{{{ }}}}` templates that kubectl refuses too"
    );
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
}
