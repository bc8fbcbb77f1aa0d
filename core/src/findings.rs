//! The findings of one file as the rules report them, kept within a bound.
//!
//! One hostile file can hold millions of findings (16 MiB of `containers: [{},{},…]` is 5.6
//! million containers without an image), and each one costs memory while the file is linted
//! and output after it. A file keeps at most [`MAX_FINDINGS_PER_FILE`] of them, the first ones
//! in output order, whatever order the rules found them in; the rest are only counted, and
//! the engine reports how many with `IMG004` (rules/too_many_findings.rs).
//!
//! Memory stays bounded while findings arrive: when twice the bound are held, the held ones
//! are sorted and cut back to the bound, so a file costs O(n log k) time for n findings, and
//! the ones kept are exactly the first k that sorting all n would give.

use std::cmp::Ordering;

use crate::diagnostic::{Diagnostic, Severity};

/// The most findings a file shows by default (`max_findings_per_file` in the config file).
/// Far more than a person reads, and few enough that a file's findings take a few megabytes.
pub const MAX_FINDINGS_PER_FILE: usize = 10_000;

/// The most `max_findings_per_file` may be: a file then holds at most twice as many findings
/// while it is linted (about 100 MB).
pub const MAX_FINDINGS_LIMIT: usize = 100_000;

/// The order of findings in every output: by position, then code, so output never depends on
/// the order rules ran in.
pub fn output_order(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    (a.span.start, a.rule.code, a.span.end, &a.message).cmp(&(
        b.span.start,
        b.rule.code,
        b.span.end,
        &b.message,
    ))
}

/// How many findings of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub const fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// The most severe of them, if any.
    pub const fn max_severity(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.infos > 0 {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

/// A file's findings while it is linted.
#[derive(Debug)]
pub struct Findings {
    kept: Vec<Diagnostic>,
    limit: usize,
    omitted: SeverityCounts,
    /// Once the bound is reached, where the last kept finding starts: a finding that starts
    /// after it cannot be kept, and is counted at once (rules report mostly in file order, so
    /// past the bound most findings cost no sorting).
    past: Option<u32>,
    /// Where a finding that is not kept (suppressed, or cut) takes its help and labels.
    discarded: Option<Diagnostic>,
}

impl Default for Findings {
    fn default() -> Self {
        Self::with_limit(MAX_FINDINGS_PER_FILE)
    }
}

impl Findings {
    pub fn with_limit(limit: usize) -> Self {
        Self {
            kept: Vec::new(),
            limit: limit.max(1),
            omitted: SeverityCounts::default(),
            past: None,
            discarded: None,
        }
    }

    /// Adds a finding; the caller may still add help, labels and a fix to what is returned.
    pub fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        if self.past.is_some_and(|start| diagnostic.span.start > start) {
            self.omitted.add(diagnostic.severity);
            return self.discarded.insert(diagnostic);
        }
        if self.kept.len() >= 2 * self.limit {
            self.cut();
        }
        self.kept.push(diagnostic);
        let last = self.kept.len() - 1;
        &mut self.kept[last]
    }

    /// A finding that is not kept (an `imglint.dev/ignore` annotation took it out): the caller
    /// still gets a diagnostic to fill in, which is dropped.
    pub fn discard(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.discarded.insert(diagnostic)
    }

    /// The kept findings in output order, and the counts of those that were not kept.
    pub fn finish(mut self) -> (Vec<Diagnostic>, SeverityCounts) {
        self.kept.sort_by(output_order);
        self.truncate();
        (self.kept, self.omitted)
    }

    fn cut(&mut self) {
        self.kept.sort_by(output_order);
        self.truncate();
        self.past = self.kept.last().map(|last| last.span.start);
    }

    fn truncate(&mut self) {
        if self.kept.len() > self.limit {
            for diagnostic in self.kept.drain(self.limit..) {
                self.omitted.add(diagnostic.severity);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn finding(start: usize, severity: Severity) -> Diagnostic {
        let meta = &crate::rules::manifest_syntax_error::ManifestSyntaxError::META;
        Diagnostic::new(meta, severity, Span::new(start, start + 1), "m".into())
    }

    #[test]
    fn keeps_the_first_by_position_whatever_order_they_come_in() {
        let mut findings = Findings::with_limit(3);
        // 0..20 in a scrambled order, then 20 more: cut several times on the way.
        for start in (0..20).rev().chain(20..40) {
            let severity = if start % 2 == 0 {
                Severity::Error
            } else {
                Severity::Warning
            };
            findings.push(finding(start, severity)).help = Some("h".into());
            assert!(findings.kept.len() <= 6);
        }
        let (kept, omitted) = findings.finish();
        let starts: Vec<u32> = kept.iter().map(|d| d.span.start).collect();
        assert_eq!(starts, [0, 1, 2]);
        assert!(kept.iter().all(|d| d.help.as_deref() == Some("h")));
        assert_eq!(
            omitted,
            SeverityCounts {
                errors: 18,
                warnings: 19,
                infos: 0
            }
        );
        assert_eq!(omitted.max_severity(), Some(Severity::Error));
    }

    #[test]
    fn under_the_bound_nothing_is_omitted() {
        let mut findings = Findings::with_limit(10);
        findings.push(finding(5, Severity::Info));
        findings.push(finding(1, Severity::Info));
        findings.discard(finding(0, Severity::Error)).help = Some("dropped".into());
        let (kept, omitted) = findings.finish();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].span.start, 1);
        assert_eq!(omitted.total(), 0);
        assert_eq!(omitted.max_severity(), None);
    }
}
