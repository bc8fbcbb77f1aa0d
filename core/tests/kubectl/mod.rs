//! The differential harness: imglint's reader against kubectl's on the same files.
//!
//! kubectl decodes a file document by document and stops at the first document it cannot
//! decode: the objects before it are used (`kubectl apply` applies them), that document and
//! the ones after it are not. imglint reports IMG001 for that document and goes on. So a file
//! agrees when kubectl refuses it exactly when imglint finds a syntax error, and kubectl's
//! objects are imglint's objects of the documents before its first error, field for field.

pub mod generate;
pub mod view;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use imglint_core::FileAnalysis;
use serde_json::Value;

/// The kubectl to run: `$IMGLINT_KUBECTL`, else `kubectl` on PATH; `None` when there is none.
pub fn kubectl() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("IMGLINT_KUBECTL") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("kubectl"))
        .find(|candidate| candidate.is_file())
}

/// What kubectl said about one file.
pub struct KubectlVerdict {
    pub objects: Vec<Value>,
    /// The error it printed, when it refused the file.
    pub error: Option<String>,
}

/// Runs `kubectl annotate --local -f FILE … -o json`, which decodes the file exactly as
/// `kubectl apply` does (the same resource builder, offline) and prints every object it read.
pub fn run_kubectl(kubectl: &Path, file: &Path) -> KubectlVerdict {
    let output = Command::new(kubectl)
        .args(["annotate", "--local", "-o", "json", "-f"])
        .arg(file)
        .arg("imglint.dev/harness=1")
        // No cluster is contacted with --local; an empty config keeps it from looking.
        .env("KUBECONFIG", "/dev/null")
        .output()
        .expect("kubectl runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let objects = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect();
    let error = (!output.status.success())
        .then(|| String::from_utf8_lossy(&output.stderr).trim().to_owned());
    KubectlVerdict { objects, error }
}

/// Why kubectl refused a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    /// YAML or JSON that does not parse: what IMG001 reports.
    Syntax,
    /// A document that is not a Kubernetes object (no `kind`, no `apiVersion`, a scalar):
    /// imglint skips such documents, they are not manifests.
    NotAnObject,
    Other,
}

pub fn classify(error: &str) -> Refusal {
    let not_object = [
        "Object 'Kind' is missing",
        "Object 'apiVersion' is missing",
        "Object 'kind' is missing",
        "unable to decode",
        "cannot unmarshal",
        "json: cannot unmarshal",
        "is not a list",
    ];
    if not_object.iter().any(|needle| error.contains(needle)) {
        Refusal::NotAnObject
    } else if error.contains("error converting YAML to JSON")
        || error.contains("yaml: ")
        || error.contains("invalid character")
        || error.contains("unexpected end of JSON input")
        || error.contains("json: ")
        || error.contains("invalid Yaml document separator")
    {
        Refusal::Syntax
    } else {
        Refusal::Other
    }
}

/// One input's comparison.
pub struct Outcome {
    pub name: String,
    pub documents: u32,
    pub containers: usize,
    pub kubectl_refused: Option<Refusal>,
    pub disagreement: Option<String>,
}

pub fn compare(name: &str, bytes: &[u8], verdict: &KubectlVerdict) -> Outcome {
    let analysis = FileAnalysis::read(name, bytes, false);
    let imglint = view::of_imglint(&analysis);
    let refusal = verdict.error.as_deref().map(classify);
    let mut outcome = Outcome {
        name: name.to_owned(),
        documents: analysis.documents,
        containers: analysis.container_count(),
        kubectl_refused: refusal,
        disagreement: None,
    };
    let syntax_refused = refusal == Some(Refusal::Syntax);
    let mut problems = Vec::new();
    match (syntax_refused, &imglint.refused) {
        (true, None) => problems.push(format!(
            "kubectl refuses ({}), imglint reads it",
            verdict.error.as_deref().unwrap_or_default()
        )),
        (false, Some(message)) => problems.push(format!(
            "imglint refuses ({message}), kubectl {}",
            match &verdict.error {
                Some(error) => format!("refuses for another reason ({error})"),
                None => "reads it".to_owned(),
            }
        )),
        _ => {}
    }
    if refusal == Some(Refusal::Other) {
        problems.push(format!(
            "kubectl refuses for a reason the harness does not know: {}",
            verdict.error.as_deref().unwrap_or_default()
        ));
    }
    // kubectl's objects must be imglint's, in order. When kubectl stopped at a document that
    // is not an object, imglint (which skips it) has read more: compare the common prefix.
    let kubectl_views: Vec<view::ObjectView> = verdict
        .objects
        .iter()
        .map(|object| {
            // The path imglint read the pod spec at, from imglint's object of the same kind
            // and name (kubectl may have skipped objects before it).
            let kind = object.get("kind").and_then(Value::as_str);
            let name = object.pointer("/metadata/name").and_then(Value::as_str);
            let path = imglint
                .objects
                .iter()
                .find(|o| o.kind.as_str() == kind.unwrap_or_default() && o.name.as_deref() == name)
                .and_then(|o| o.pod.as_ref())
                .map(|p| p.path.as_str());
            view::of_kubectl(object, path)
        })
        .collect();
    // A document kubectl cannot decode into an object (a `metadata.name` that is a boolean,
    // no `kind`) is reported and skipped, and kubectl goes on with the next one; imglint keeps
    // such objects (and reports their shape). So kubectl's objects must be imglint's with at
    // most one left out per such error, in order.
    let skipped = verdict.error.as_deref().map_or(0, |e| {
        e.lines()
            .filter(|l| classify(l) == Refusal::NotAnObject)
            .count()
    });
    let mut left_out = 0;
    let mut rest = imglint.objects.iter();
    'kubectl: for k in &kubectl_views {
        for i in rest.by_ref() {
            if i == k {
                continue 'kubectl;
            }
            left_out += 1;
        }
        problems.push(format!(
            "kubectl read {k:?}, which imglint did not (in that order); imglint read {:?}",
            imglint.objects
        ));
        break;
    }
    left_out += rest.count();
    if problems.is_empty() && left_out > skipped {
        let names = |views: &[view::ObjectView]| {
            views
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let differing: Vec<String> = kubectl_views
            .iter()
            .zip(&imglint.objects)
            .filter(|(k, i)| k != i)
            .map(|(k, i)| format!("\n  kubectl {k:?}\n  imglint {i:?}"))
            .collect();
        problems.push(format!(
            "kubectl read {} objects [{}], imglint {} [{}]{}",
            kubectl_views.len(),
            names(&kubectl_views),
            imglint.objects.len(),
            names(&imglint.objects),
            differing.concat()
        ));
    }
    if !problems.is_empty() {
        outcome.disagreement = Some(problems.join("\n"));
    }
    outcome
}

/// Runs kubectl on every input (in parallel, each in its own file) and compares.
pub fn run_all(kubectl: &Path, inputs: &[(String, Vec<u8>)], dir: &Path) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::with_capacity(inputs.len()));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some((name, bytes)) = inputs.get(index) else {
                        break;
                    };
                    let extension = if name.contains("json") {
                        "json"
                    } else {
                        "yaml"
                    };
                    let path = dir.join(format!("{index:05}.{extension}"));
                    std::fs::File::create(&path)
                        .and_then(|mut file| file.write_all(bytes))
                        .expect("the input is written");
                    let verdict = run_kubectl(kubectl, &path);
                    let outcome = compare(name, bytes, &verdict);
                    outcomes.lock().unwrap().push((index, outcome));
                }
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap();
    outcomes.sort_by_key(|(index, _)| *index);
    outcomes.into_iter().map(|(_, outcome)| outcome).collect()
}
