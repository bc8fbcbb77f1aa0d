//! imglint reads manifests exactly as kubectl does: the differential harness (see
//! `kubectl/mod.rs`) run over generated inputs and every real manifest the repository holds.
//!
//! By default a fixed sample of a few hundred inputs runs (CI); `IMGLINT_KUBECTL_FULL=1` runs
//! all of them (`scripts/kubectl-agreement`). Without kubectl the test says so and passes, as
//! the fuzz smoke does without nightly; `IMGLINT_REQUIRE_KUBECTL=1` makes that a failure.

// The figures and the skip notice are for whoever runs the test: stderr is its report.
#![allow(clippy::print_stderr)]

mod kubectl;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kubectl::Refusal;

/// Real manifests: the rule fixtures, the examples, the corpus, and the fuzz seeds and
/// regressions of the `lint` target (which are mostly hostile).
fn real_inputs() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "core/tests/fixtures",
        "cli/tests/fixtures",
        "examples",
        "web/examples",
        "corpus",
        "fuzz/seeds/lint",
        "fuzz/regressions/lint",
    ] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            Some((name, bytes))
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let manifest = [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e));
            let seed = path.components().any(|c| c.as_os_str() == "fuzz");
            if (manifest || seed) && !name.ends_with(".snap") {
                out.push(path);
            }
        }
    }
}

#[test]
fn imglint_reads_manifests_as_kubectl_does() {
    let Some(kubectl) = kubectl::kubectl() else {
        assert!(
            std::env::var_os("IMGLINT_REQUIRE_KUBECTL").is_none(),
            "IMGLINT_REQUIRE_KUBECTL is set but kubectl is not on PATH"
        );
        eprintln!("kubectl is not on PATH: the kubectl agreement test is skipped");
        return;
    };
    let full = std::env::var_os("IMGLINT_KUBECTL_FULL").is_some();
    let generated: Vec<(String, Vec<u8>)> = kubectl::generate::all()
        .into_iter()
        .map(|input| (input.name, input.bytes))
        .collect();
    let real = real_inputs();
    assert!(
        generated.len() >= 5_000,
        "{} generated inputs",
        generated.len()
    );
    assert!(
        real.len() >= 300,
        "{} real inputs: are the fixtures there?",
        real.len()
    );
    let sample = |list: Vec<(String, Vec<u8>)>, every: usize| -> Vec<(String, Vec<u8>)> {
        if full {
            list
        } else {
            list.into_iter().step_by(every).collect()
        }
    };
    let mut inputs = sample(generated, 29);
    inputs.extend(sample(real, 9));
    // `IMGLINT_KUBECTL_ONLY=NAME` runs the inputs whose name contains NAME (all of them).
    if let Some(only) = std::env::var_os("IMGLINT_KUBECTL_ONLY") {
        let only = only.to_string_lossy().into_owned();
        inputs = kubectl::generate::all()
            .into_iter()
            .map(|input| (input.name, input.bytes))
            .chain(real_inputs())
            .filter(|(name, _)| name.contains(&only))
            .collect();
    }

    let dir = std::env::temp_dir().join(format!("imglint-kubectl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let started = std::time::Instant::now();
    let outcomes = kubectl::run_all(&kubectl, &inputs, &dir);
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);

    let count = |refusal: Option<Refusal>| {
        outcomes
            .iter()
            .filter(|o| o.kubectl_refused == refusal)
            .count()
    };
    let disagreements: Vec<_> = outcomes
        .iter()
        .filter(|o| o.disagreement.is_some())
        .collect();
    let mut summary = String::new();
    writeln!(
        summary,
        "kubectl agreement: {} inputs, {} documents, {} containers; kubectl read {} files, refused {} for syntax and {} for not being objects; {} disagreements ({:.1} s)",
        outcomes.len(),
        outcomes.iter().map(|o| u64::from(o.documents)).sum::<u64>(),
        outcomes.iter().map(|o| o.containers).sum::<usize>(),
        count(None),
        count(Some(Refusal::Syntax)),
        count(Some(Refusal::NotAnObject)),
        disagreements.len(),
        elapsed.as_secs_f64(),
    )
    .unwrap();
    eprint!("{summary}");
    if let Some(path) = std::env::var_os("IMGLINT_KUBECTL_REPORT") {
        let mut report = summary.clone();
        for outcome in &disagreements {
            let _ = writeln!(
                report,
                "\n## {}\n{}",
                outcome.name,
                outcome.disagreement.as_deref().unwrap_or_default()
            );
        }
        std::fs::write(path, report).unwrap();
    }
    let mut shown = String::new();
    for outcome in disagreements.iter().take(40) {
        let _ = writeln!(
            shown,
            "\n## {}\n{}",
            outcome.name,
            outcome.disagreement.as_deref().unwrap_or_default()
        );
    }
    assert!(disagreements.is_empty(), "{summary}{shown}");
}
