//! Loading the repository's test inputs: the conformance vectors (`conformance/`) and the
//! corpus of real manifests (`corpus/`), both at the repository's root.

#![allow(dead_code)]

pub mod docker_registry;
pub mod oracle;

use std::path::PathBuf;

/// The repository's root (core's parent), found from this crate's own manifest directory.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real manifests of `corpus/` (kubernetes/examples, see its README).
pub fn corpus_dir() -> PathBuf {
    repo_root().join("corpus")
}

/// A conformance file parsed as JSON. Panics (fails the test) when it is missing or has no
/// cases, so a broken checkout can never pass with zero cases.
pub fn conformance(file: &str) -> serde_json::Value {
    let path = repo_root().join("conformance").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "conformance vectors {} are missing: {error}",
            path.display()
        )
    });
    let value: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
    let cases = value["cases"].as_array().map_or(0, Vec::len);
    assert!(cases > 0, "{} has no cases", path.display());
    value
}

/// Collects mismatches so that one run reports every failing case, then fails.
#[derive(Default)]
pub struct Mismatches(Vec<String>);

impl Mismatches {
    pub fn check<T: PartialEq + std::fmt::Debug>(
        &mut self,
        case: &str,
        what: &str,
        got: T,
        expected: T,
    ) {
        if got != expected {
            self.0.push(format!(
                "{case}: {what}: got {got:?}, expected {expected:?}"
            ));
        }
    }

    pub fn push(&mut self, message: String) {
        self.0.push(message);
    }

    pub fn assert_none(self, checked: usize) {
        assert!(
            self.0.is_empty(),
            "{} mismatches in {checked} cases:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// Generated cases per property test: `default`, or `PROPTEST_CASES` for long runs.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

/// `value` as an optional string (JSON null is `None`).
pub fn opt_str(value: &serde_json::Value) -> Option<&str> {
    value.as_str()
}

/// The `imagePullPolicy` in force for one container as the linter's rules see it
/// (`ImageCheck::effective_policy`): a Pod holding that container is read as the linter reads a
/// file, and the engine's `ImageCheck` is built for it. `written` is the policy as written
/// (`None`: no field).
pub fn effective_policy(
    container_kind: &str,
    image: &str,
    written: Option<&str>,
) -> imglint_core::PullPolicy {
    use imglint_core::FileAnalysis;
    use imglint_core::index::Index;
    use imglint_core::manifest::model::Content;
    use imglint_core::pull_secrets::PullSecrets;
    use imglint_core::rules::ImageCheck;

    let mut container = serde_json::json!({"name": "c", "image": image});
    if let Some(policy) = written {
        container["imagePullPolicy"] = policy.into();
    }
    let mut spec = serde_json::Map::new();
    spec.insert(container_kind.to_owned(), vec![container].into());
    let pod = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec});
    let file = FileAnalysis::read_text("vector.json", &pod.to_string(), false);
    let pod = file
        .objects
        .iter()
        .find_map(|entry| match &entry.object.content {
            Content::Workload(pod) => Some(pod),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{container_kind} {image:?}: no pod was read"));
    let index = Index::default();
    let secrets = PullSecrets::of(pod, "default", &index);
    let usage = pod
        .images()
        .next()
        .unwrap_or_else(|| panic!("{container_kind} {image:?}: no image was read"));
    ImageCheck::new(usage, "default", &secrets).effective_policy()
}
