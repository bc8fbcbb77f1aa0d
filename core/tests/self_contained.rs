//! The repository stands on its own: no tracked file refers to the team's shared folder beside
//! the checkout (a fresh clone has none), and what the tests read instead is tracked.
//!
//! Runs on `git ls-files` (the working tree's content of every tracked file), so it needs a git
//! checkout: outside one (a crate tarball) it says so and passes; in one, git must work.
//! `scripts/test` runs it again in a fresh clone, where it checks the committed state.

use std::path::Path;
use std::process::Command;

/// Ways a file could reach the shared folder: the sibling directory by a relative path (from
/// the repository's root or, one level more, from a crate), the variable that used to point at
/// it, and its absolute path on the team's machines. Built in pieces so that this file does not
/// match itself.
const NEEDLES: [&str; 3] = [
    concat!("..", "/shared"),
    concat!("IMGLINT_", "SHARED_DIR"),
    concat!("/work", "/shared"),
];

/// The copies the tests read (conformance/README.md, corpus/README.md).
const VECTORS: [&str; 5] = [
    "conformance/reference.json",
    "conformance/pull_policy.json",
    "conformance/keyring.json",
    "conformance/secrets.json",
    "conformance/admission.json",
];

#[test]
fn no_tracked_file_refers_to_the_shared_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if !root.join(".git").exists() {
        #[allow(clippy::print_stderr)] // a test telling why it did nothing
        {
            eprintln!("skipped: {} is not a git checkout", root.display());
        }
        return;
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["ls-files", "-z"])
        .output()
        .expect("git runs (the repository is a git checkout)");
    assert!(
        output.status.success(),
        "git ls-files: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listing = String::from_utf8(output.stdout).expect("tracked paths are UTF-8");
    let tracked: Vec<&str> = listing.split('\0').filter(|p| !p.is_empty()).collect();

    // Not vacuous: the listing is this repository's, and the copies are part of it.
    for path in [
        "Cargo.toml",
        "core/src/lib.rs",
        "core/tests/self_contained.rs",
    ]
    .into_iter()
    .chain(VECTORS)
    {
        assert!(tracked.contains(&path), "{path} is not tracked");
    }
    let corpus = tracked
        .iter()
        .filter(|p| p.starts_with("corpus/kubernetes-examples/"))
        .count();
    assert!(corpus >= 262, "only {corpus} corpus files are tracked");

    let mut read = 0;
    let mut bytes = 0;
    let mut found = Vec::new();
    for path in &tracked {
        let Ok(content) = std::fs::read(root.join(path)) else {
            continue; // deleted in the working tree, not yet in the index
        };
        read += 1;
        bytes += content.len();
        let text = String::from_utf8_lossy(&content);
        for (number, line) in text.lines().enumerate() {
            if NEEDLES.iter().any(|needle| line.contains(needle)) {
                found.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        read >= 500 && read * 10 >= tracked.len() * 9,
        "read only {read} of {} tracked files",
        tracked.len()
    );
    assert!(bytes >= 2_000_000, "read only {bytes} bytes");
    assert!(
        found.is_empty(),
        "tracked files refer to the shared folder outside the repository (a fresh clone has \
         none; read the copies in conformance/, corpus/ and docs/spec/ instead):\n{}",
        found.join("\n")
    );
}
