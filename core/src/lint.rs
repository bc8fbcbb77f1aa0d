//! The engine: which rules run on which part of the model.
//!
//! A run has two passes. First the facts of every input ([`facts_of`]: the objects other inputs
//! refer to) go into the run's [`RunFacts`]; then each input is linted on its own with those
//! facts ([`Linter::lint_input`]), which only reads shared state, so inputs can be linted in
//! parallel and dropped as soon as their findings are written. [`lint`] does both passes over
//! texts in memory (the wasm module, the policy and tests); the CLI streams them over files
//! (`cli/src/pipeline.rs`), with the same two calls.

use std::collections::HashMap;

use crate::config::{Config, RuleSettings};
use crate::diagnostic::Severity;
use crate::facts::{FileFacts, may_have_facts};
use crate::file::FileAnalysis;
use crate::findings::Findings;
use crate::index::{Index, namespace_of};
use crate::manifest::model::Content;
use crate::pull_secrets::PullSecrets;
use crate::report::{FileError, FileReport, Report};
use crate::rules::invalid_object_shape::InvalidObjectShape;
use crate::rules::manifest_syntax_error::ManifestSyntaxError;
use crate::rules::too_many_findings::TooManyFindings;
use crate::rules::unused_suppression::UnusedSuppression;
use crate::rules::{Context, ImageCheck, ObjectCheck, RULES, Rule, Workload};
use crate::suppression::Suppression;

/// The facts of one input, as the first pass reads them: bytes that cannot hold any (a byte
/// search, [`may_have_facts`]) are not parsed.
pub fn facts_of(name: &str, bytes: &[u8], config: &Config) -> FileFacts {
    read_for_facts(name, bytes, config).0
}

/// [`facts_of`], and the reading of the input when it was parsed for them: the second pass
/// can lint that ([`Linter::lint`]) instead of parsing the input again.
pub fn read_for_facts(
    name: &str,
    bytes: &[u8],
    config: &Config,
) -> (FileFacts, Option<FileAnalysis>) {
    if !may_have_facts(bytes) {
        return (FileFacts::default(), None);
    }
    let analysis = FileAnalysis::read(name, bytes, true);
    let facts = FileFacts::collect(&analysis, &config.default_namespace);
    (facts, Some(analysis))
}

/// What the inputs of a run tell each other: each input's facts, and the index over them all.
#[derive(Debug, Default)]
pub struct RunFacts {
    /// The facts of each input that has any, by name: when `--fix` changes an input, its
    /// re-lint sees the facts of its new text ([`Linter::relint`]).
    inputs: HashMap<Box<str>, FileFacts>,
    index: Index,
}

impl RunFacts {
    /// Adds an input's facts, in any order (the index orders them by file and position).
    pub fn add(&mut self, name: &str, facts: FileFacts) {
        if facts.is_empty() {
            return;
        }
        let kept = self.inputs.entry(name.into()).or_default();
        kept.secrets.extend(facts.secrets.iter().cloned());
        kept.service_accounts
            .extend(facts.service_accounts.iter().cloned());
        kept.api_servers.extend(facts.api_servers.iter().cloned());
        kept.kubelets.extend(facts.kubelets.iter().cloned());
        self.index.add(facts);
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The run's index with the facts of input `name` replaced by `facts` (those of a new text
    /// of it), or `None` when that changes nothing.
    fn index_with(&self, name: &str, facts: &FileFacts) -> Option<Index> {
        let before = self.inputs.get(name);
        if before.map_or(facts.is_empty(), |before| before == facts) {
            return None;
        }
        let mut index = Index::default();
        for (input, kept) in &self.inputs {
            if &**input != name {
                index.add(kept.clone());
            }
        }
        index.add(facts.clone());
        Some(index)
    }
}

/// The rules of a run, with the facts they may consult.
pub struct Linter<'a> {
    config: &'a Config,
    facts: &'a RunFacts,
    settings: RuleSettings,
    /// The rules with hooks, and their severities (the engine runs IMG001-IMG004 itself).
    enabled: Vec<(&'static dyn Rule, Severity)>,
}

impl<'a> Linter<'a> {
    pub fn new(config: &'a Config, facts: &'a RunFacts) -> Self {
        let settings = config.rule_settings();
        let enabled = settings
            .enabled()
            .map(|(i, severity)| (RULES[i], severity))
            .collect();
        Self {
            config,
            facts,
            settings,
            enabled,
        }
    }

    /// Every finding in one input, sorted by position (the second pass).
    pub fn lint_input(&self, name: &str, bytes: &[u8], keep_text: bool) -> FileReport {
        self.lint(FileAnalysis::read(name, bytes, keep_text))
    }

    /// Every finding in one read file, sorted by position.
    pub fn lint(&self, analysis: FileAnalysis) -> FileReport {
        self.lint_with(analysis, &self.facts.index)
    }

    /// Lints a new text of one of the run's inputs (a round of `--fix`): its own facts are
    /// those of the new text, so what other objects of it say, and where, is current.
    pub fn relint(&self, analysis: FileAnalysis) -> FileReport {
        let facts = FileFacts::collect(&analysis, &self.config.default_namespace);
        match self.facts.index_with(&analysis.name, &facts) {
            Some(index) => self.lint_with(analysis, &index),
            None => self.lint(analysis),
        }
    }

    fn lint_with(&self, analysis: FileAnalysis, index: &Index) -> FileReport {
        let mut ctx = Context {
            file_name: &analysis.name,
            rule: &ManifestSyntaxError::META,
            severity: Severity::Error,
            object_of: None,
            object: None,
            container: None,
            config: self.config,
            index,
            findings: Findings::with_limit(self.config.max_findings_per_file),
            suppression: None,
            suppressed: 0,
        };
        if let Some(severity) = self.settings.level_of(ManifestSyntaxError::META.code) {
            ctx.reporting_as(&ManifestSyntaxError::META, severity);
            for error in &analysis.syntax_errors {
                ManifestSyntaxError::report(&mut ctx, error);
            }
        }
        let shape_severity = self.settings.level_of(InvalidObjectShape::META.code);
        if let Some(severity) = shape_severity {
            ctx.reporting_as(&InvalidObjectShape::META, severity);
            for error in &analysis.document_errors {
                InvalidObjectShape::report(&mut ctx, error);
            }
        }
        for entry in &analysis.objects {
            let object = &entry.object;
            ctx.suppression = object.ignore_annotation.as_ref().map(Suppression::parse);
            let namespace = namespace_of(entry, &self.config.default_namespace);
            ctx.object_of = Some((object, namespace));
            ctx.object = None;
            if let Some(severity) = shape_severity {
                ctx.reporting_as(&InvalidObjectShape::META, severity);
                for error in &entry.shape_errors {
                    InvalidObjectShape::report(&mut ctx, error);
                }
            }
            let check = ObjectCheck {
                object,
                namespace,
                workload: match &object.content {
                    Content::Workload(pod) => Some(Workload {
                        pod,
                        pull_secrets: PullSecrets::of(pod, namespace, index),
                    }),
                    _ => None,
                },
            };
            if let Some(workload) = &check.workload {
                for usage in workload.pod.images() {
                    let check = ImageCheck::new(usage, namespace, &workload.pull_secrets);
                    ctx.container = usage.name();
                    for &(rule, severity) in &self.enabled {
                        rule.run_on_image(severity, &check, &mut ctx);
                    }
                }
                ctx.container = None;
            }
            for &(rule, severity) in &self.enabled {
                rule.run_on_object(severity, &check, &mut ctx);
            }
            // IMG003 reads which selectors were used; the annotation still applies to its
            // findings (`IMG003` or a prefix of it in the annotation takes them out too).
            if let Some(severity) = self.settings.level_of(UnusedSuppression::META.code)
                && let Some(suppression) = ctx.suppression.clone()
            {
                ctx.reporting_as(&UnusedSuppression::META, severity);
                let masked = crate::redaction::is_masked(&analysis.redactions, suppression.span);
                UnusedSuppression::report(&mut ctx, &suppression, masked, |rule| {
                    self.settings.level_of(rule.code).is_some()
                });
            }
            ctx.suppression = None;
            ctx.object_of = None;
            ctx.object = None;
        }
        let (mut diagnostics, omitted) = std::mem::take(&mut ctx.findings).finish();
        if omitted.total() > 0
            && let Some(severity) = self.settings.level_of(TooManyFindings::META.code)
        {
            ctx.reporting_as(&TooManyFindings::META, severity);
            TooManyFindings::report(&mut ctx, diagnostics.len(), &omitted);
            diagnostics.extend(std::mem::take(&mut ctx.findings).finish().0);
        }
        let suppressed = ctx.suppressed;
        analysis.scrub(&mut diagnostics);
        let mut report = FileReport::new(analysis, diagnostics);
        report.suppressed = suppressed;
        report.omitted = omitted;
        report
    }
}

/// Lints files that have been read (both passes, one file after the other), in name order
/// (paths compared component by component, as the CLI walks them).
pub fn lint(mut files: Vec<FileAnalysis>, config: &Config, errors: Vec<FileError>) -> Report {
    files.sort_by(|a, b| std::path::Path::new(&a.name).cmp(std::path::Path::new(&b.name)));
    let mut facts = RunFacts::default();
    for file in &files {
        facts.add(
            &file.name,
            FileFacts::collect(file, &config.default_namespace),
        );
    }
    let linter = Linter::new(config, &facts);
    Report::new(
        files.into_iter().map(|file| linter.lint(file)).collect(),
        errors,
    )
}

/// Lints one text (the browser and admission faces lint a single input). A text over
/// [`MAX_INPUT_BYTES`](crate::limits::MAX_INPUT_BYTES) is not read: the report has no file and
/// the refusal in its errors, as the CLI reports such a file.
pub fn lint_text(name: &str, text: &str, config: &Config) -> Report {
    if text.len() > crate::limits::MAX_INPUT_BYTES {
        let size = u64::try_from(text.len()).ok();
        return Report::new(Vec::new(), vec![FileError::too_large(name, size)]);
    }
    lint(
        vec![FileAnalysis::read_text(name, text, true)],
        config,
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IMG003 on a Secret quotes none of its annotation's selectors: the code frame masks the
    /// annotation, so the message and the fix say `***` (on other objects they are quoted).
    #[test]
    fn unused_selectors_of_a_secret_are_not_quoted() {
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    imglint.dev/ignore: \"IMG103,hunter2 -- why\"\nstringData:\n  password: hunter2\n";
        let report = lint_text("secret.yaml", secret, &Config::default());
        let found: Vec<(&str, &str, Option<&str>)> = report
            .diagnostics()
            .map(|(_, d)| {
                let fix = d.fix.as_ref().map(|fix| fix.description.as_str());
                (d.rule.code, d.message.as_str(), fix)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "IMG003",
                    "`***` in `imglint.dev/ignore` suppresses nothing on this object",
                    Some("remove `***`")
                ),
                (
                    "IMG003",
                    "`***` in `imglint.dev/ignore` is not a rule code",
                    Some("remove `***`")
                ),
            ]
        );
        let pod = secret.replace("kind: Secret", "kind: Pod").replace(
            "stringData:\n  password: hunter2\n",
            "spec: {containers: []}\n",
        );
        let report = lint_text("pod.yaml", &pod, &Config::default());
        let messages: Vec<&str> = report
            .diagnostics()
            .map(|(_, d)| d.message.as_str())
            .collect();
        assert!(
            messages
                .contains(&"`IMG103` in `imglint.dev/ignore` suppresses nothing on this object"),
            "{messages:?}"
        );
    }
}
