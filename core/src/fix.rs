//! Applying fixes to a file's text: every face that offers `--fix` or quick fixes uses this.
//!
//! A fix is all-or-nothing: it applies when none of its edits conflicts with an edit already
//! accepted, else it waits for the next round (the caller re-lints the new text and applies
//! again, as ruff does). Two diagnostics may carry the very same edit, e.g. a container shared
//! through a YAML alias reported twice: the edit is made once and both count as fixed.

use crate::diagnostic::{Diagnostic, Edit};
use crate::file::FileAnalysis;
use crate::lint::Linter;
use crate::report::FileReport;

/// Rounds of fix-and-re-lint before giving up on fixes that keep conflicting. Each round
/// applies at least one fix, and no fix creates the finding of another, so a handful suffice.
const MAX_ROUNDS: usize = 10;

/// A file after `--fix`: its new text (when anything changed) and the findings that remain.
#[derive(Debug)]
pub struct FixedFile {
    /// The fixed text; `None` when no fix applied.
    pub text: Option<String>,
    /// Findings fixed, over all rounds.
    pub fixed: usize,
    /// The report of the final text.
    pub report: FileReport,
}

/// Lints `text`, applies every fix, and re-lints until no fix applies (at most `MAX_ROUNDS`).
/// `text` is the input `name` of the linter's run: each re-lint sees the facts of the fixed
/// text, not those the run read (a fix may change what another object of the file says).
pub fn fix_text(linter: &Linter<'_>, name: &str, text: &str, keep_text: bool) -> FixedFile {
    let mut report = linter.lint(FileAnalysis::read_text(name, text, keep_text));
    let mut current: Option<String> = None;
    let mut fixed = 0;
    for _ in 0..MAX_ROUNDS {
        let now = current.as_deref().unwrap_or(text);
        let Some(round) = apply(now, &report.diagnostics) else {
            break;
        };
        if round.text == now {
            break;
        }
        fixed += round.fixed;
        report = linter.relint(FileAnalysis::read_text(name, &round.text, keep_text));
        current = Some(round.text);
    }
    FixedFile {
        text: current,
        fixed,
        report,
    }
}

/// The text after one round of fixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Diagnostics whose fix was applied (two that share their edits both count).
    pub fixed: usize,
    /// Diagnostics whose fix conflicted with another and was left for the next round.
    pub deferred: usize,
}

/// Applies the fixes of `diagnostics` to `text`, the text their spans point into.
///
/// Returns `None` when no fix applies. Fixes are taken in position order; a fix is skipped if
/// one of its edits overlaps an accepted edit, or inserts at the same place as a different
/// accepted insertion (their order would be a guess).
pub fn apply(text: &str, diagnostics: &[Diagnostic]) -> Option<Fixed> {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic.fix.as_ref())
        .map(|fix| fix.edits.as_slice())
        .filter(|edits| !edits.is_empty() && edits.iter().all(|edit| in_bounds(text, edit)))
        .collect();
    fixes.sort_by_key(|edits| {
        edits
            .iter()
            .map(|edit| (edit.span.start, edit.span.end))
            .min()
    });

    let mut accepted: Vec<&Edit> = Vec::new();
    let (mut fixed, mut deferred) = (0, 0);
    for edits in fixes {
        if edits.iter().all(|edit| accepted.contains(&edit)) {
            fixed += 1;
        } else if edits.iter().all(|edit| {
            accepted
                .iter()
                .all(|other| other == &edit || !conflict(edit, other))
        }) && !self_conflicting(edits)
        {
            for edit in edits {
                if !accepted.contains(&edit) {
                    accepted.push(edit);
                }
            }
            fixed += 1;
        } else {
            deferred += 1;
        }
    }
    if accepted.is_empty() {
        return None;
    }

    // Insertions sort before replacements that start at the same place: they go in front.
    accepted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut result = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in accepted {
        let range = edit.span.range();
        result.push_str(&text[copied..range.start]);
        result.push_str(&edit.replacement);
        copied = range.end;
    }
    result.push_str(&text[copied..]);
    Some(Fixed {
        text: result,
        fixed,
        deferred,
    })
}

/// Whether two different edits cannot both be made.
fn conflict(a: &Edit, b: &Edit) -> bool {
    let overlap = a.span.start < b.span.end && b.span.start < a.span.end;
    let same_insertion_point = a.span.is_empty() && b.span.is_empty() && a.span == b.span;
    overlap || same_insertion_point
}

fn self_conflicting(edits: &[Edit]) -> bool {
    edits
        .iter()
        .enumerate()
        .any(|(i, a)| edits[i + 1..].iter().any(|b| a != b && conflict(a, b)))
}

/// A span that does not fit the text would be a bug upstream of here; never panic on it.
fn in_bounds(text: &str, edit: &Edit) -> bool {
    let range = edit.span.range();
    range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RULES;
    use crate::source::Span;
    use crate::{Config, Severity, lint_text};

    fn with_fix(edits: &[(usize, usize, &str)]) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(
            RULES[0].meta(),
            Severity::Error,
            Span::empty(0),
            "test".into(),
        );
        diagnostic.fix(
            "test",
            edits
                .iter()
                .map(|&(start, end, replacement)| Edit {
                    span: Span::new(start, end),
                    replacement: replacement.into(),
                })
                .collect(),
        );
        diagnostic
    }

    #[test]
    fn edits_apply_in_position_order_whatever_the_diagnostic_order() {
        let fixed = apply(
            "abcdef",
            &[with_fix(&[(4, 5, "E")]), with_fix(&[(0, 1, "A")])],
        )
        .unwrap();
        assert_eq!((fixed.text.as_str(), fixed.fixed), ("AbcdEf", 2));
    }

    #[test]
    fn identical_edits_are_made_once_and_both_count() {
        let fixed = apply(
            "image: x\n",
            &[with_fix(&[(8, 8, "\nA")]), with_fix(&[(8, 8, "\nA")])],
        )
        .unwrap();
        assert_eq!(fixed.text, "image: x\nA\n");
        assert_eq!((fixed.fixed, fixed.deferred), (2, 0));
    }

    #[test]
    fn overlapping_and_ambiguous_fixes_wait_for_the_next_round() {
        let fixed = apply(
            "abcdef",
            &[
                with_fix(&[(1, 3, "X")]),
                with_fix(&[(2, 4, "Y")]),
                with_fix(&[(5, 5, "1")]),
                with_fix(&[(5, 5, "2")]),
            ],
        )
        .unwrap();
        assert_eq!(fixed.text, "aXde1f");
        assert_eq!((fixed.fixed, fixed.deferred), (2, 2));
    }

    #[test]
    fn adjacent_edits_and_an_insertion_before_a_replacement_both_apply() {
        let fixed = apply(
            "abcdef",
            &[
                with_fix(&[(1, 2, "")]),
                with_fix(&[(2, 3, "")]),
                with_fix(&[(4, 4, ">")]),
                with_fix(&[(4, 5, "E")]),
            ],
        )
        .unwrap();
        assert_eq!(fixed.text, "ad>Ef");
        assert_eq!(fixed.fixed, 4);
    }

    #[test]
    fn a_fix_is_all_or_nothing() {
        let fixed = apply(
            "abcdef",
            &[
                with_fix(&[(0, 2, "X")]),
                with_fix(&[(4, 5, "E"), (1, 3, "Y")]),
            ],
        )
        .unwrap();
        assert_eq!(fixed.text, "Xcdef");
        assert_eq!((fixed.fixed, fixed.deferred), (1, 1));
    }

    #[test]
    fn out_of_bounds_and_split_characters_are_ignored() {
        assert_eq!(apply("é", &[with_fix(&[(1, 2, "e")])]), None);
        assert_eq!(apply("ab", &[with_fix(&[(1, 9, "e")])]), None);
        assert_eq!(apply("ab", &[]), None);
    }

    #[test]
    fn a_container_shared_through_an_alias_gets_one_pull_policy() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: t}
spec:
  imagePullSecrets: [{name: s}]
  containers:
  - &c
    name: web
    image: registry.example.com/web:1.0 # comment
  initContainers:
  - *c
";
        let config = Config {
            tenancy: crate::config::Tenancy::Multi,
            ..Config::default()
        };
        let report = lint_text("pod.yaml", text, &config);
        let diagnostics = &report.files[0].diagnostics;
        let fixes = diagnostics.iter().filter(|d| d.fix.is_some()).count();
        assert_eq!(fixes, 2, "{diagnostics:#?}");
        let fixed = apply(text, diagnostics).unwrap();
        assert_eq!(fixed.fixed, 2);
        assert_eq!(fixed.text.matches("imagePullPolicy: Always").count(), 1);
        assert!(fixed.text.contains("# comment"));
        let again = lint_text("pod.yaml", &fixed.text, &config);
        assert!(again.files[0].diagnostics.iter().all(|d| d.fix.is_none()));
    }

    #[test]
    fn fix_text_rounds_until_nothing_is_left_to_fix() {
        // Two unused selectors of one annotation: their removals touch, and both go in one
        // round or two; either way the annotation ends up with only the used code.
        let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    imglint.dev/ignore: \"IMG9,IMG103,IMG8,IMG7\"
spec:
  containers:
  - name: web
    image: nginx:latest
    imagePullPolicy: always # keep me
";
        let config = Config::default();
        let facts = crate::lint::RunFacts::default();
        let linter = Linter::new(&config, &facts);
        let result = fix_text(&linter, "pod.yaml", text, true);
        let fixed = result.text.expect("fixed");
        assert!(fixed.contains("imglint.dev/ignore: \"IMG103\""), "{fixed}");
        assert!(
            fixed.contains("imagePullPolicy: Always # keep me"),
            "{fixed}"
        );
        assert_eq!(result.fixed, 4);
        assert!(result.report.diagnostics.iter().all(|d| d.fix.is_none()));
        assert!(
            result
                .report
                .diagnostics
                .iter()
                .all(|d| d.rule.code != "IMG003" && d.rule.code != "IMG204")
        );
    }

    /// IMG401's fix turns AlwaysPullImages on in the kube-apiserver of the file; the re-lint
    /// reads that flag from the fixed text, so IMG402 (which asks for the plugin) is gone.
    #[test]
    fn a_fix_to_a_fact_of_the_file_is_seen_by_the_relint() {
        let text = "\
kind: Pod
metadata:
  name: api
spec:
  imagePullSecrets: [{name: reg}]
  containers:
  - name: api
    image: registry.example.com/api:1.0
    imagePullPolicy: Never
    command:
    - kube-apiserver
    - --enable-admission-plugins=NodeRestriction
";
        let config = Config {
            tenancy: crate::config::Tenancy::Multi,
            ..Config::default()
        };
        let codes = |report: &FileReport| -> Vec<&str> {
            report.diagnostics.iter().map(|d| d.rule.code).collect()
        };
        let mut facts = crate::lint::RunFacts::default();
        facts.add(
            "pod.yaml",
            crate::lint::facts_of("pod.yaml", text.as_bytes(), &config),
        );
        let linter = Linter::new(&config, &facts);
        let before = linter.lint(FileAnalysis::read_text("pod.yaml", text, true));
        assert!(codes(&before).contains(&"IMG401"), "{:?}", codes(&before));
        assert!(codes(&before).contains(&"IMG402"), "{:?}", codes(&before));
        let result = fix_text(&linter, "pod.yaml", text, true);
        let fixed = result.text.expect("fixed");
        assert!(
            // A plain word without a comma is quoted whole (it could be in a flow list).
            fixed.contains("- \"--enable-admission-plugins=NodeRestriction,AlwaysPullImages\"\n"),
            "{fixed}"
        );
        assert_eq!(codes(&result.report), ["IMG203"]);
    }
}
