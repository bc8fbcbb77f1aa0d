//! A code frame: a miette report built from plain data, so every human-facing diagnostic (lint findings,
//! invalid references, config errors) renders through the same graphical handler.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};

use imglint_core::Span;
use imglint_core::excerpt::Excerpt;
use imglint_core::source::LineIndex;

use super::Style;

/// The text a frame is drawn from: a whole file, or some lines of one that start at line
/// `first_line + 1` (labels into other files carry only the lines around them).
#[derive(Debug)]
pub struct FrameText {
    pub text: Arc<String>,
    /// 0-based line number of the text's first line in its file.
    pub first_line: usize,
    /// The 0-based column in its file of a label starting at this offset of `text`, where
    /// `text` does not tell (its line was cut before the label); the frame's header shows it.
    pub columns: Vec<(usize, usize)>,
}

impl FrameText {
    pub fn whole(text: Arc<String>) -> Self {
        Self {
            text,
            first_line: 0,
            columns: Vec::new(),
        }
    }

    /// Only the lines of `text` that a frame of `labels` shows, long lines cut around them
    /// (`imglint_core::excerpt`), and the labels moved into them. A frame drawn from the whole
    /// text costs the size of everything before it and prints every long line whole (miette
    /// also panics at a column past 65,535); this one costs the lines it shows. `lines` is
    /// `text`'s line index; positions at the very end move onto the last character, where
    /// miette can draw them.
    pub fn excerpt(text: &str, lines: &LineIndex, labels: &mut [LabeledSpan]) -> Self {
        let end = text.len();
        let spans: Vec<Span> = labels
            .iter()
            .map(|label| {
                let mut start = label.offset().min(end.saturating_sub(1));
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut stop = (label.offset() + label.len()).min(end).max(start);
                if label.is_empty() {
                    stop = start;
                }
                while !text.is_char_boundary(stop) {
                    stop += 1;
                }
                Span::new(start, stop)
            })
            .collect();
        let excerpt = Excerpt::new(text, lines, &spans, CONTEXT_LINES);
        let shown = excerpt.text.len();
        let mut columns = Vec::new();
        for (label, &source) in labels.iter_mut().zip(&spans) {
            let span = excerpt.span(source);
            let start = span.start as usize;
            let line_start = lines.line_start(lines.line_of(source.start)) as usize;
            let (from, to) = (line_start.min(source.start as usize), source.start as usize);
            if to - from != start - excerpt.position(from) {
                let before = &text[from..to];
                let column = if before.is_ascii() {
                    before.len()
                } else {
                    before.chars().count()
                };
                columns.push((start, column));
            }
            let moved = SourceSpan::new(start.min(shown.saturating_sub(1)).into(), span.len());
            *label = if label.primary() {
                LabeledSpan::new_primary_with_span(label.label().map(str::to_owned), moved)
            } else {
                LabeledSpan::new_with_span(label.label().map(str::to_owned), moved)
            };
        }
        Self {
            text: Arc::new(excerpt.text),
            first_line: excerpt.first_line,
            columns,
        }
    }
}

/// The lines miette shows before and after a label (its default).
const CONTEXT_LINES: usize = 1;

impl SourceCode for FrameText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // Without context lines, miette asks where a label starts, for the frame's header.
        let column = match self.columns.iter().find(|&&(at, _)| at == span.offset()) {
            Some(&(_, column)) if context_lines_before == 0 => column,
            _ => contents.column(),
        };
        // miette counts lines from the start of the text, and decides from that count whether
        // two labels share a frame: counted from the file's start, frames are drawn as from
        // the whole file.
        Ok(Box::new(MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            column,
            contents.line_count() + self.first_line,
        )))
    }
}

/// One message with a code frame over `source`, labelled spans and help, drawn by miette (the
/// name says what it is for the terminal; `imglint_core::Report` is a run's findings).
#[derive(Debug)]
pub struct Frame {
    pub message: String,
    pub code: Option<String>,
    pub severity: Severity,
    pub source: Option<NamedSource<FrameText>>,
    pub labels: Vec<LabeledSpan>,
    pub help: Option<String>,
    pub url: Option<String>,
    /// Further frames, for labels in other files.
    pub related: Vec<Frame>,
}

impl Frame {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: None,
            severity: Severity::Error,
            source: None,
            labels: Vec::new(),
            help: None,
            url: None,
            related: Vec::new(),
        }
    }

    /// Renders with miette's graphical handler (unicode frames; colour per `style`). The
    /// texts from input in it are escaped by whoever built the report
    /// ([`super::escape::escape`]); no line of the result starts a CI command
    /// ([`super::escape::guard_lines`]).
    pub fn render(&self, style: Style) -> String {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_context_lines(CONTEXT_LINES);
        let mut out = String::new();
        if handler.render_report(&mut out, self).is_err() {
            // Rendering into a String cannot fail on I/O; keep the message at least.
            out = format!("{}\n", self.message);
        }
        super::escape::guard_lines(out)
    }
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Frame {}

impl Diagnostic for Frame {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|url| Box::new(url) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}
