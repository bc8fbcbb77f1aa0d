//! Helpers shared by the end-to-end tests.
#![allow(dead_code)] // each test crate uses a part

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn imglint() -> Command {
    let mut command = Command::cargo_bin("imglint").unwrap();
    command.env_remove("NO_COLOR").env("COLUMNS", "100");
    command
}

/// The repository's root (the CLI's parent), where `conformance/` and `corpus/` live.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The corpus of real manifests (kubernetes/examples, see `corpus/README.md`).
pub fn corpus() -> PathBuf {
    repo_root().join("corpus/kubernetes-examples")
}

pub fn scratch(files: &[(&str, &str)]) -> tempdir::Scratch {
    tempdir::Scratch::new(files)
}

/// A throwaway directory under the target directory (no extra dependency needed).
pub mod tempdir {
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

/// The official SARIF 2.1.0 schema (see `tests/schemas/README.md`), formats checked.
pub fn sarif_validator() -> jsonschema::Validator {
    // The schema's `language` pattern has a stray `]` (`…-[a-zA-Z]{2}]?$`) that strict regex
    // syntax rejects, so the schema fails its own meta-schema. It is corrected here, in memory,
    // to what its description says (RFC 5646 `en` or `en-US`); imglint writes no `language`.
    let text = include_str!("../schemas/sarif-schema-2.1.0.json").replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Schema violations of a SARIF log, one line each.
pub fn sarif_violations(validator: &jsonschema::Validator, log: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}
