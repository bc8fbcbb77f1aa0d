//! `lint`: any bytes through the manifest reader, the whole engine and `--fix`, as the CLI runs
//! them (every rule selected, a multi-tenant cluster, complete secrets, registry lists).
//!
//! Invariants: no panic; parsed trees are acyclic with spans inside the text; every span the
//! report holds (diagnostics, labels, fix edits, redactions) lies within the text on character
//! boundaries; the JSON report is JSON; the facts pre-scan never rejects a file that has facts
//! (the CLI's first pass would miss its Secrets); no `CANARY` text of a Secret value reaches the
//! report; no value of a document that may be a Secret (`kind: Secret` in any mapping of its
//! tree), outside the keys and the fields of objects that may be shown, is left unmasked or
//! reaches a text of the report that can quote the input (a message, a name, a fix) unless
//! the masked text shows it elsewhere; no line of the report starts
//! with `::` (a workflow command, which only the github format writes); fixes apply, and never
//! turn a file that parses into one that does not.

use std::collections::HashSet;
use std::sync::LazyLock;

use imglint_core::config::{RuleSelector, SecretsCompleteness, Tenancy};
use imglint_core::diagnostic::LabelTarget;
use imglint_core::facts::{FileFacts, may_have_facts};
use imglint_core::fix::fix_text;
use imglint_core::manifest::{DocumentResult, NodeId, Tree, parse_documents};
use imglint_core::source::Span;
use imglint_core::{Config, FileAnalysis, FileReport, Linter, Report, RunFacts};

use super::assert_span;

const FILE: &str = "fuzz.yaml";

/// The examples' settings (`examples/.imglint.yaml`) with `--select ALL`.
pub static CONFIG: LazyLock<Config> = LazyLock::new(|| Config {
    tenancy: Tenancy::Multi,
    secrets: SecretsCompleteness::Complete,
    allowed_registries: ["registry.example.com", "ghcr.io/acme", "docker.io/library"]
        .map(str::to_owned)
        .to_vec(),
    trusted_registries: vec!["ghcr.io/acme".to_owned()],
    select: Some(RuleSelector::parse_selection(["ALL"]).expect("ALL selects every rule")),
    ..Config::default()
});

pub fn check(data: &[u8]) {
    let config = &*CONFIG;
    // What the CLI reads, as `FileAnalysis::read` made text of the bytes (it keeps the text it
    // read when asked): every span of the report is in it.
    let utf8 = std::str::from_utf8(data).is_ok();
    let analysis = FileAnalysis::read(FILE, data, true);
    let read_text = analysis.text().unwrap_or_default().to_owned();
    let text = read_text.as_str();
    check_trees(text);
    for error in &analysis.syntax_errors {
        let offset = error.offset as usize;
        assert!(
            offset <= text.len() && text.is_char_boundary(offset),
            "syntax error offset {offset}"
        );
        assert_span(text, error.document, "syntax error document");
    }
    for span in &analysis.redactions {
        assert!(
            span.start <= span.end && span.end as usize <= text.len(),
            "redaction {span:?} outside the text"
        );
    }
    let masked = analysis.masked_text(text, 0..text.len());
    assert_eq!(masked.len(), text.len(), "masking keeps the length");

    // The CLI's first pass skips files the pre-scan rejects: that must lose no facts.
    let facts = FileFacts::collect(&analysis, &config.default_namespace);
    if !may_have_facts(data) {
        assert!(
            facts.is_empty(),
            "may_have_facts rejects a file with facts: {facts:?}"
        );
    }
    let registry_keys: Vec<String> = facts
        .secrets
        .iter()
        .filter_map(|secret| secret.docker_config.as_ref())
        .flat_map(|docker| docker.registry_keys.iter().map(ToString::to_string))
        .collect();
    let canaries = canaries(text, &analysis, &masked, &registry_keys);
    let secrets = secret_values(text, &masked);
    let mut run = RunFacts::default();
    run.add(FILE, facts);
    let linter = Linter::new(config, &run);

    let report = linter.lint(analysis);
    check_report(text, &report, true);
    let had_syntax_errors = !report.analysis.syntax_errors.is_empty();
    let objects = report.analysis.objects.len();
    let shown = quoted_texts(&report);
    let json = Report::new(vec![report], Vec::new()).to_json();
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report is JSON");
    for canary in &canaries {
        assert!(
            !json.contains(canary.as_str()),
            "the report shows the Secret value {canary:?}"
        );
    }
    for secret in &secrets {
        assert!(
            !shown.contains(secret.as_str()),
            "the report shows the Secret value {secret:?}\n{json}"
        );
    }
    // A line that starts with `::` (GitHub's runner trims blanks first) is a workflow
    // command; only `--format github` writes them, each on one line of its own.
    for line in json.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "a line of the JSON report is a workflow command: {line}"
        );
    }

    // `--fix` (the CLI fixes UTF-8 files only).
    if utf8 {
        let fixed = fix_text(&linter, FILE, text, true);
        let new_text = fixed.text.as_deref().unwrap_or(text);
        // Labels in other files still point into the text as it was read (the index's facts).
        check_report(new_text, &fixed.report, false);
        if fixed.text.is_some() {
            assert!(fixed.fixed > 0, "the text changed but nothing was fixed");
        }
        if !had_syntax_errors {
            let errors: Vec<_> = fixed.report.analysis.syntax_errors.iter().collect();
            assert!(
                errors.is_empty(),
                "fixing made the file unparsable: {errors:?}\nnew text: {new_text:?}"
            );
            assert_eq!(
                fixed.report.analysis.objects.len(),
                objects,
                "fixing changed the number of objects\nnew text: {new_text:?}"
            );
        }
    }
}

/// Every span of a file's report lies within its text, on character boundaries. `as_read`:
/// the text is the one the index's facts come from, not a fixed one. After `--fix` the labels
/// that rules take from the index for objects of the same file (a kube-apiserver, a
/// ServiceAccount's pull secret) still have the positions of the text as read: a known bug
/// (fuzz/regressions/lint/stale-label-after-fix.yaml, found by this target), so labels are only
/// checked as read.
fn check_report(text: &str, report: &FileReport, as_read: bool) {
    for diagnostic in &report.diagnostics {
        let code = diagnostic.rule.code;
        assert_span(text, diagnostic.span, code);
        assert!(!diagnostic.message.is_empty(), "{code}: empty message");
        let (start, end) = report.position(diagnostic.span);
        assert!(start <= end, "{code}: start {start:?} after end {end:?}");
        for label in &diagnostic.labels {
            match &label.target {
                LabelTarget::Here(span) if as_read => assert_span(text, *span, code),
                LabelTarget::Here(_) => {}
                LabelTarget::Elsewhere(location) => {
                    assert!(location.start <= location.end, "{code}: label location");
                    if as_read && &*location.file == FILE {
                        assert_span(text, location.span, code);
                    }
                }
            }
        }
        if let Some(fix) = &diagnostic.fix {
            assert!(!fix.edits.is_empty(), "{code}: a fix without edits");
            for edit in &fix.edits {
                assert_span(text, edit.span, code);
            }
        }
    }
}

/// Each document's tree: nodes in post-order (so no alias cycles), spans inside the text.
fn check_trees(text: &str) {
    for document in parse_documents(text) {
        match document {
            DocumentResult::Document(tree) => {
                let mut seen = HashSet::new();
                walk(text, &tree, tree.root(), &mut seen);
            }
            DocumentResult::Empty => {}
            DocumentResult::Error(error) => {
                let offset = error.offset as usize;
                assert!(offset <= text.len() && text.is_char_boundary(offset));
            }
        }
    }
}

fn walk(text: &str, tree: &Tree<'_>, node: NodeId, seen: &mut HashSet<NodeId>) {
    if !seen.insert(node) {
        return;
    }
    assert_span(text, tree.span(node), "tree node");
    let children = tree
        .entries(node)
        .iter()
        .flat_map(|&(key, value)| [key, value])
        .chain(tree.items(node).iter().copied());
    for child in children.collect::<Vec<_>>() {
        assert!(child < node, "node {child} is not before its parent {node}");
        walk(text, tree, child, seen);
    }
}

/// Every text of a report that can quote the input: messages, help, labels, fixes, object
/// and container names, paths (not codes, rule names or the JSON around them, which a value
/// such as `IMG306` or `message` may equal).
fn quoted_texts(report: &FileReport) -> String {
    let mut texts = String::new();
    for diagnostic in &report.diagnostics {
        let mut push = |text: &str| {
            texts.push_str(text);
            texts.push('\n');
        };
        push(&diagnostic.message);
        diagnostic.help.as_deref().map(&mut push);
        diagnostic.path.as_deref().map(&mut push);
        diagnostic.container.as_deref().map(&mut push);
        for label in &diagnostic.labels {
            push(&label.message);
        }
        if let Some(fix) = &diagnostic.fix {
            push(&fix.description);
            for edit in &fix.edits {
                push(&edit.replacement);
            }
        }
        if let Some(object) = &diagnostic.object {
            push(&object.kind);
            for text in [&object.api_version, &object.namespace, &object.name]
                .into_iter()
                .flatten()
            {
                push(text);
            }
        }
    }
    texts
}

/// The values of every document that may be a Secret (`kind: Secret` in any mapping of its
/// tree, duplicated entries included), at least six bytes long, but keys (that are data,
/// label or annotation keys: `[-._a-zA-Z0-9]+`, with a `prefix/`) and the values of
/// `apiVersion`, `kind`, `type`, `name` and `namespace` anywhere (a looser list than the one
/// imglint shows, so this asks less of it): each must be masked where it is written (checked
/// here), and must not reach the report unless the masked text shows it somewhere else (a
/// document that is no Secret may hold the same text; those are left out).
fn secret_values(text: &str, masked: &str) -> Vec<String> {
    const SHOWN_FIELDS: [&str; 5] = ["apiVersion", "kind", "type", "name", "namespace"];
    let mut values = Vec::new();
    for document in parse_documents(text) {
        let DocumentResult::Document(tree) = document else {
            continue;
        };
        // Post-order: the root is the last node; the nodes before it include those a merge
        // key or a duplicate dropped.
        let count = tree.root() as usize + 1;
        let is = |id: NodeId, text: &str| tree.scalar(id).is_some_and(|s| s.text == text);
        let pairs = || (0..count as NodeId).flat_map(|id| tree.entries(id).iter().copied());
        if !pairs().any(|(key, value)| is(key, "kind") && is(value, "Secret")) {
            continue;
        }
        // Where each node appears: a key that may be shown (a valid data key), a field that
        // may be shown, or anywhere else (a value, an item, a key that is no data key, or
        // nowhere: dropped by a merge or a duplicate).
        let mut shown = vec![false; count];
        let mut elsewhere = vec![false; count];
        let mut child = vec![false; count];
        let data_key = |key: &str| {
            let name = |key: &str| {
                !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
            };
            key == "<<" || key.split('/').count() <= 2 && key.split('/').all(name)
        };
        for (key, value) in pairs() {
            let (k, v) = (key as usize, value as usize);
            child[k] = true;
            child[v] = true;
            let name = tree.key(key);
            if name.is_some_and(data_key) {
                shown[k] = true;
            } else {
                elsewhere[k] = true;
            }
            if name.is_some_and(|name| SHOWN_FIELDS.contains(&name)) {
                shown[v] = true;
            } else {
                elsewhere[v] = true;
            }
        }
        for id in 0..count as NodeId {
            for &item in tree.items(id) {
                child[item as usize] = true;
                elsewhere[item as usize] = true;
            }
        }
        for id in 0..count {
            let Some(scalar) = tree.scalar(id as NodeId) else {
                continue;
            };
            let must_mask = elsewhere[id] || !child[id] || !shown[id];
            if !must_mask || scalar.text.len() < 6 {
                continue;
            }
            let span: Span = tree.span(id as NodeId);
            let written = masked.get(span.range()).unwrap_or_default();
            assert!(
                written.bytes().all(|b| matches!(b, b'*' | b'\n' | b'\r')),
                "a value of a Secret is not masked: {:?} shows {written:?}",
                scalar.text
            );
            if !masked.contains(&*scalar.text) {
                values.push(scalar.text.to_string());
            }
        }
    }
    values
}

/// `CANARY…` words inside Secret values (redacted spans) that appear nowhere else in the text
/// and are not registry keys (which are names, not secrets, and may be printed): the report
/// must not contain them.
fn canaries(
    text: &str,
    analysis: &FileAnalysis,
    masked: &str,
    registry_keys: &[String],
) -> Vec<String> {
    const MARK: &str = "CANARY";
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for span in &analysis.redactions {
        let (start, end) = (span.start as usize, (span.end as usize).min(text.len()));
        let Some(value) = bytes.get(start..end) else {
            continue;
        };
        let mut from = 0;
        while let Some(at) = find(&value[from..], MARK.as_bytes()) {
            let mut s = from + at;
            let mut e = s + MARK.len();
            while s > 0 && word(value[s - 1]) {
                s -= 1;
            }
            while e < value.len() && word(value[e]) {
                e += 1;
            }
            from = e;
            let canary = String::from_utf8_lossy(&value[s..e]).into_owned();
            // A Secret's `imglint.dev/ignore` is masked with its other annotations, yet IMG003
            // quotes its selectors: imglint's own directive, not secret (see the fuzz report).
            let directive = analysis.objects.iter().any(|entry| {
                (entry.object.ignore_annotation.as_ref())
                    .is_some_and(|annotation| annotation.value.contains(&canary))
            });
            if !masked.contains(&canary)
                && !directive
                && !registry_keys.iter().any(|k| k.contains(&canary))
            {
                found.push(canary);
            }
        }
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
