//! Findings for people: a miette code frame per finding, then one summary line.

use std::io::{self, Write};
use std::sync::Arc;

use imglint_core::diagnostic::{Diagnostic, LabelTarget, Location};
use imglint_core::report::{FileReport, Summary};
use imglint_core::{Severity, Span};
use miette::{LabeledSpan, NamedSource, SourceSpan};

use super::Style;
use super::escape::escape;
use super::frame::{Frame, FrameText};

/// Writes one file's findings.
pub fn write_file(out: &mut impl Write, file: &FileReport, style: Style) -> io::Result<()> {
    if file.diagnostics.is_empty() {
        return Ok(());
    }
    let source = frame_source(file);
    for diagnostic in &file.diagnostics {
        out.write_all(frame(file, &source, diagnostic).render(style).as_bytes())?;
    }
    Ok(())
}

/// The text a frame shows, Secret values masked (an empty file gets one space so that a frame
/// has something to point at).
fn frame_source(file: &FileReport) -> Arc<String> {
    let full = file.analysis.text().unwrap_or_default();
    let mut text = file.analysis.masked_text(full, 0..full.len());
    if text.is_empty() {
        text.push(' ');
    }
    Arc::new(text)
}

fn frame(file: &FileReport, source: &Arc<String>, diagnostic: &Diagnostic) -> Frame {
    let here = |span: Span| to_miette(span, source.len());
    // A label inside the primary span says more than underlining the whole value: it becomes
    // the primary label, so the two underlines never overlap.
    let inner = diagnostic.labels.iter().position(|label| {
        matches!(label.target, LabelTarget::Here(span) if span.start >= diagnostic.span.start && span.end <= diagnostic.span.end)
    });
    let mut labels = Vec::new();
    if inner.is_none() {
        labels.push(LabeledSpan::new_primary_with_span(
            None,
            here(diagnostic.span),
        ));
    }
    let mut related = Vec::new();
    for (index, label) in diagnostic.labels.iter().enumerate() {
        match &label.target {
            LabelTarget::Here(span) if Some(index) == inner => {
                labels.push(LabeledSpan::new_primary_with_span(
                    Some(escape(&label.message).into_owned()),
                    here(*span),
                ));
            }
            LabelTarget::Here(span) => labels.push(LabeledSpan::new_with_span(
                Some(escape(&label.message).into_owned()),
                here(*span),
            )),
            LabelTarget::Elsewhere(location) => related.push(elsewhere(location, &label.message)),
        }
    }
    let mut help = diagnostic
        .help
        .as_deref()
        .map(|help| escape(help).into_owned());
    if let Some(fix) = &diagnostic.fix {
        let line = format!("fix available: {}", escape(&fix.description));
        help = Some(match help {
            Some(help) => format!("{help}\n{line}"),
            None => line,
        });
    }
    if !diagnostic.rendered_by.is_empty() {
        let roots: Vec<String> = diagnostic
            .rendered_by
            .iter()
            .map(|root| format!("`{}`", escape(root)))
            .collect();
        let line = format!("rendered by {}", roots.join(", "));
        help = Some(match help {
            Some(help) => format!("{help}\n{line}"),
            None => line,
        });
    }
    if let Some(template) = &diagnostic.template {
        let line = format!("from the Helm template `{}`", escape(template));
        help = Some(match help {
            Some(help) => format!("{help}\n{line}"),
            None => line,
        });
    }
    let text = FrameText::excerpt(source, file.analysis.line_index(), &mut labels);
    Frame {
        message: format!("{} {}", diagnostic.rule.code, escape(&diagnostic.message)),
        severity: match diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        source: Some(NamedSource::new(escape(file.name()), text)),
        labels,
        help,
        related,
        ..Frame::error(String::new())
    }
}

/// A label in another file, drawn from the lines that came with it.
fn elsewhere(location: &Location, message: &str) -> Frame {
    let (file, message) = (escape(&location.file), escape(message));
    let Some(snippet) = &location.snippet else {
        let at = format!("{file}:{}:{}", location.start.line, location.start.column);
        return Frame {
            message: format!("{message} ({at})"),
            severity: miette::Severity::Advice,
            ..Frame::error(String::new())
        };
    };
    // miette numbers the snippet's lines from its first line in the file (the snippet shows
    // every line break as `\n` or `\r\n`: `imglint_core::excerpt`).
    let in_snippet = snippet.span.start as usize;
    let lines_before_span = snippet.text[..in_snippet.min(snippet.text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count();
    let first_line = (location.start.line as usize).saturating_sub(1 + lines_before_span);
    let text = Arc::new(snippet.text.to_string());
    let span = snippet.span;
    Frame {
        message: message.into_owned(),
        severity: miette::Severity::Advice,
        source: Some(NamedSource::new(
            file,
            FrameText {
                text: Arc::clone(&text),
                first_line,
                // The snippet's line may have been cut before the span.
                columns: vec![(
                    span.start as usize,
                    (location.start.column as usize).saturating_sub(1),
                )],
            },
        )),
        labels: vec![LabeledSpan::new_primary_with_span(
            None,
            to_miette(span, text.len()),
        )],
        ..Frame::error(String::new())
    }
}

/// A miette span. A position at the very end of the text (an unexpected end of file) moves
/// onto the last character, where miette can draw it.
fn to_miette(span: Span, text_len: usize) -> SourceSpan {
    let start = (span.start as usize).min(text_len.saturating_sub(1));
    let len = span.len().min(text_len - start.min(text_len));
    SourceSpan::new(start.into(), len)
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `Found 3 problems (1 error, 2 warnings) in 2 files (3 objects, 4 containers).`
///
/// `input_errors` inputs of the summary could not be read (or fixed and written): they are
/// counted apart (`; 1 input error`), and a run that linted no file says so rather than that
/// it found no problems.
pub fn summary_line(s: &Summary, input_errors: usize) -> String {
    let linted = s.files.saturating_sub(input_errors);
    let errors = plural(input_errors, "input error", "input errors");
    if linted == 0 && input_errors > 0 {
        return format!("No files linted ({errors}).");
    }
    let scope = format!(
        "{} ({}, {})",
        plural(linted, "file", "files"),
        plural(s.objects, "object", "objects"),
        plural(s.containers, "container", "containers")
    );
    let mut suppressed = if s.suppressed > 0 {
        format!("; {} suppressed", s.suppressed)
    } else {
        String::new()
    };
    if input_errors > 0 {
        suppressed.push_str(&format!("; {errors}"));
    }
    let total = s.errors + s.warnings + s.infos;
    if total == 0 {
        return format!("No problems found in {scope}{suppressed}.");
    }
    let parts: Vec<String> = [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|&(n, ..)| n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    format!(
        "Found {} ({}) in {scope}{suppressed}.",
        plural(total, "problem", "problems"),
        parts.join(", ")
    )
}
