//! `--fix` for findings that rendering found: the edits go to the source positions the
//! findings were mapped to (a patch's `value: always`, a resource file's pull policy), never to
//! rendered text. Only fixes that [`super::map`] kept are here: those whose value is written in
//! the source exactly as rendered. The file is written through the same checked path as any
//! `--fix` ([`crate::write::FixTarget`]); the findings left are moved past the edits and the
//! file read again for their frames. There is no second render: what the fix changes in
//! other roots' output is seen on the next run.

use std::path::Path;

use imglint_core::diagnostic::{Diagnostic, Edit, LabelTarget};
use imglint_core::report::{FileError, FileReport};
use imglint_core::{FileAnalysis, Span, fix};

use super::kustomization::Kustomization;
use crate::write::FixTarget;

/// Applies the fixes of `report` (the report of the source file at `path`) to that file.
/// Returns the report of the fixed file and how many findings were fixed.
///
/// # Errors
/// The file cannot be read or written back (it changed since, or is a link now).
pub fn fix_source(
    path: &Path,
    report: FileReport,
    keep_text: bool,
) -> Result<(FileReport, usize), FileError> {
    if report.diagnostics.iter().all(|d| d.fix.is_none()) {
        return Ok((report, 0));
    }
    let name = report.name().to_owned();
    let cannot = |what: &str, error: std::io::Error| FileError {
        file: name.clone(),
        message: format!("{what}{error}"),
    };
    let mut target = FixTarget::open(path, false).map_err(|error| cannot("", error))?;
    let bytes = target.read().map_err(|error| cannot("", error))?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok((report, 0));
    };
    let Some(fixed) = fix::apply(text, &report.diagnostics) else {
        return Ok((report, 0));
    };
    if fixed.deferred > 0 {
        // Fixes that conflict: none is applied here rather than guessing which (the core
        // applies them over rounds of re-linting, which a rendered root cannot have here).
        return Ok((report, 0));
    }
    target
        .replace(fixed.text.as_bytes())
        .map_err(|error| cannot("cannot write the fixed file: ", error))?;
    let mut edits: Vec<Edit> = Vec::new();
    let mut left = Vec::new();
    for diagnostic in report.diagnostics {
        match diagnostic.fix {
            Some(fix) => edits.extend(fix.edits),
            None => left.push(diagnostic),
        }
    }
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    edits.dedup();
    for diagnostic in &mut left {
        move_past(diagnostic, &edits);
    }
    let is_kustomization = path
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| super::kustomization::FILE_NAMES.contains(&name));
    let shown = if is_kustomization {
        Kustomization::parse(fixed.text.clone()).masked_text()
    } else {
        fixed.text.clone()
    };
    let keep = keep_text || !shown.is_ascii();
    let mut analysis = FileAnalysis::read_text(name, &shown, true);
    if !keep {
        analysis.forget_text();
    }
    let mut new_report = FileReport::new(analysis, left);
    new_report.suppressed = report.suppressed;
    Ok((new_report, fixed.fixed))
}

/// Moves a finding's spans (and its labels' in the same file) past `edits`, which are sorted
/// and do not overlap it.
fn move_past(diagnostic: &mut Diagnostic, edits: &[Edit]) {
    let moved = |span: Span| {
        let delta: i64 = edits
            .iter()
            .filter(|edit| edit.span.end <= span.start)
            .map(|edit| edit.replacement.len() as i64 - i64::from(edit.span.end - edit.span.start))
            .sum();
        let start = (i64::from(span.start) + delta).max(0) as usize;
        Span::new(start, start + (span.end - span.start) as usize)
    };
    diagnostic.span = moved(diagnostic.span);
    for label in &mut diagnostic.labels {
        if let LabelTarget::Here(span) = &mut label.target {
            *span = moved(*span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_move_past_edits_before_them() {
        let edits = [Edit {
            span: Span::new(2, 4),
            replacement: "xyz".into(),
        }];
        let mut diagnostic = Diagnostic::new(
            imglint_core::rules::RULES[0].meta(),
            imglint_core::Severity::Error,
            Span::new(10, 12),
            "m".into(),
        );
        diagnostic.label(Span::new(0, 1), "before");
        move_past(&mut diagnostic, &edits);
        assert_eq!(diagnostic.span, Span::new(11, 13));
        assert_eq!(
            diagnostic.labels[0].target,
            LabelTarget::Here(Span::new(0, 1))
        );
    }
}
