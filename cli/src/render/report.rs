//! A miette report built from plain data, so every human-facing diagnostic (lint findings,
//! invalid references, config errors) renders through the same graphical handler.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};

use super::Style;

/// The text a frame is drawn from: a whole file, or some lines of one that start at line
/// `first_line + 1` (labels into other files carry only the lines around them).
#[derive(Debug)]
pub struct FrameText {
    pub text: Arc<String>,
    /// 0-based line number of the text's first line in its file.
    pub first_line: usize,
}

impl FrameText {
    pub fn whole(text: Arc<String>) -> Self {
        Self {
            text,
            first_line: 0,
        }
    }
}

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
        Ok(Box::new(MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// One report: a message with a code frame over `source`, labelled spans and help.
#[derive(Debug)]
pub struct Report {
    pub message: String,
    pub code: Option<String>,
    pub severity: Severity,
    pub source: Option<NamedSource<FrameText>>,
    pub labels: Vec<LabeledSpan>,
    pub help: Option<String>,
    pub url: Option<String>,
    /// Further frames, for labels in other files.
    pub related: Vec<Report>,
}

impl Report {
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

    /// Renders with miette's graphical handler (unicode frames; colour per `style`).
    pub fn render(&self, style: Style) -> String {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        if handler.render_report(&mut out, self).is_err() {
            // Rendering into a String cannot fail on I/O; keep the message at least.
            out = format!("{}\n", self.message);
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
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
