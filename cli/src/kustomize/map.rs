//! Findings in rendered output, reported where they are written: each finding (and each of
//! its labels) is placed by [`super::source`], findings that several roots produce at the
//! same place are merged into one naming every root, and every file gets one report.
//!
//! A fix is kept only when its edits fall inside the value and the value is written in the
//! source exactly as rendered; other fixes are dropped, never applied to rendered text.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use imglint_core::FileAnalysis;
use imglint_core::Span;
use imglint_core::diagnostic::{Diagnostic, Edit, Label, LabelTarget};
use imglint_core::manifest::parse_documents;
use imglint_core::report::FileReport;

use super::origin::Stripped;
use super::roots::Discovery;
use super::source::{SourceSpan, Sources, map_span, shift};

/// A root's rendered output, ready to map back.
#[derive(Debug)]
pub struct RenderedRoot {
    /// The root's kustomization file, canonical, and as the run names it.
    pub kustomization: PathBuf,
    pub kustomization_name: String,
    /// The name its rendered text is linted under (never shown when mapping succeeds).
    pub input_name: String,
    pub stripped: Stripped,
}

/// A finding at a place: file, span, code and message (what makes two roots' findings one).
type FindingKey = (PathBuf, u32, u32, &'static str, String);

/// Maps the reports of rendered roots to the files they were written in, merging a finding
/// that several roots produce at the same place into one naming every root. `files` are the
/// files the roots include (each gets a report, findings or not). Returns the reports, with
/// the names the run gives files.
pub fn map_reports(
    discovery: &Discovery,
    rendered: &[RenderedRoot],
    reports: Vec<FileReport>,
    files: &[PathBuf],
    keep_text: bool,
) -> Vec<(PathBuf, FileReport)> {
    let mut sources = Sources::default();
    let mut found: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    let mut suppressed: BTreeMap<PathBuf, usize> = BTreeMap::new();
    // Labels in files other than their finding's: (finding's file, index, label index) → place.
    let mut pending_labels: Vec<(PathBuf, usize, usize, SourceSpan)> = Vec::new();
    let mut seen: HashMap<FindingKey, (PathBuf, usize)> = HashMap::new();
    for report in reports {
        let Some(root) = rendered
            .iter()
            .find(|root| root.input_name == report.analysis.name)
        else {
            continue;
        };
        *suppressed.entry(root.kustomization.clone()).or_default() += report.suppressed;
        let documents = parse_documents(&root.stripped.text);
        for mut diagnostic in report.diagnostics {
            let code = diagnostic.rule.code;
            let mapped = map_span(
                discovery,
                root,
                &documents,
                diagnostic.span,
                code,
                &mut sources,
            );
            // Two roots report one finding when they find the same thing at the same place
            // (the same message: a base's image both overlays leave alone).
            let key = (
                mapped.at.file.clone(),
                mapped.at.span.start,
                mapped.at.span.end,
                diagnostic.rule.code,
                diagnostic.message.clone(),
            );
            if let Some((file, index)) = seen.get(&key) {
                let existing = &mut found.get_mut(file).expect("recorded")[*index];
                let name: Box<str> = root.kustomization_name.as_str().into();
                if !existing.rendered_by.contains(&name) {
                    existing.rendered_by.push(name);
                    existing.rendered_by.sort();
                }
                continue;
            }
            let file = mapped.at.file.clone();
            diagnostic.fix =
                diagnostic
                    .fix
                    .take()
                    .filter(|_| mapped.verbatim)
                    .and_then(|mut fix| {
                        let from = diagnostic.span;
                        let inside = fix
                            .edits
                            .iter()
                            .all(|edit| edit.span.start >= from.start && edit.span.end <= from.end);
                        inside.then(|| {
                            fix.edits = fix
                                .edits
                                .iter()
                                .map(|edit| Edit {
                                    span: shift(edit.span, from, mapped.at.span),
                                    replacement: edit.replacement.clone(),
                                })
                                .collect();
                            fix
                        })
                    });
            let mut labels = Vec::new();
            let mut elsewhere = Vec::new();
            if let Some((at, message)) = mapped.label {
                elsewhere.push((labels.len(), at));
                labels.push(Label {
                    target: LabelTarget::Here(Span::empty(0)),
                    message,
                });
            }
            for label in diagnostic.labels.drain(..) {
                let target = match &label.target {
                    LabelTarget::Here(span) => {
                        Some(map_span(discovery, root, &documents, *span, code, &mut sources).at)
                    }
                    LabelTarget::Elsewhere(location) => rendered
                        .iter()
                        .find(|other| *other.input_name == *location.file)
                        .map(|other| {
                            let documents = parse_documents(&other.stripped.text);
                            map_span(
                                discovery,
                                other,
                                &documents,
                                location.span,
                                code,
                                &mut sources,
                            )
                            .at
                        }),
                };
                match target {
                    Some(at) => {
                        elsewhere.push((labels.len(), at));
                        labels.push(Label {
                            target: LabelTarget::Here(Span::empty(0)),
                            message: label.message,
                        });
                    }
                    None => labels.push(label),
                }
            }
            let index = found.get(&file).map_or(0, Vec::len);
            for (at, place) in elsewhere {
                pending_labels.push((file.clone(), index, at, place));
            }
            diagnostic.labels = labels;
            diagnostic.span = mapped.at.span;
            diagnostic.rendered_by = vec![root.kustomization_name.as_str().into()];
            seen.insert(key, (file.clone(), index));
            found.entry(file).or_default().push(diagnostic);
        }
    }
    // Every included file, and every file a finding or label points at, is read once.
    let mut analyses: BTreeMap<PathBuf, FileAnalysis> = BTreeMap::new();
    let wanted = files
        .iter()
        .cloned()
        .chain(found.keys().cloned())
        .chain(pending_labels.iter().map(|(_, _, _, at)| at.file.clone()));
    for file in wanted {
        if analyses.contains_key(&file) {
            continue;
        }
        let text = sources.text(&file, discovery).unwrap_or_default();
        let keep = keep_text || !text.is_ascii();
        let mut analysis = FileAnalysis::read_text(discovery.names.of(&file), &text, true);
        if !keep {
            analysis.forget_text();
        }
        analyses.insert(file, analysis);
    }
    for (file, index, at, place) in pending_labels {
        let Some(diagnostic) = found.get_mut(&file).and_then(|list| list.get_mut(index)) else {
            continue;
        };
        diagnostic.labels[at].target = if place.file == file {
            LabelTarget::Here(place.span)
        } else if let Some(analysis) = analyses.get(&place.file) {
            let name: Arc<str> = analysis.name.as_str().into();
            LabelTarget::Elsewhere(imglint_core::facts::locate(analysis, &name, place.span))
        } else {
            continue;
        };
    }
    analyses
        .into_iter()
        .map(|(file, analysis)| {
            let diagnostics = found.remove(&file).unwrap_or_default();
            let mut report = FileReport::new(analysis, diagnostics);
            report.suppressed = suppressed.remove(&file).unwrap_or_default();
            (file, report)
        })
        .collect()
}
