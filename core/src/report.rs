//! Findings, per file and for a run (the `json` module writes them as JSON).

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::file::FileAnalysis;
use crate::findings::{SeverityCounts, output_order};
use crate::limits::MAX_INPUT_BYTES;
use crate::source::{LineColumn, Span};

/// A file that could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

impl FileError {
    /// An input over [`MAX_INPUT_BYTES`], with its size when known (a pipe or a device has
    /// none: reading stops at the limit).
    pub fn too_large(file: impl Into<String>, size: Option<u64>) -> Self {
        let size = size.map_or_else(
            || "more than that".to_owned(),
            |size| format!("{size} bytes"),
        );
        Self {
            file: file.into(),
            message: format!(
                "imglint reads at most {MAX_INPUT_BYTES} bytes ({} MiB) per input, and it is {size}",
                MAX_INPUT_BYTES >> 20
            ),
        }
    }

    /// The sentence every face prints: `cannot read `x`: …`, or the message itself when it
    /// already says what failed (`cannot write the fixed file: …`).
    pub fn describe(&self) -> String {
        if self.message.starts_with("cannot ") {
            format!("`{}`: {}", self.file, self.message)
        } else {
            format!("cannot read `{}`: {}", self.file, self.message)
        }
    }
}

/// One file, linted: what was read and what was found, sorted by position.
#[derive(Debug)]
pub struct FileReport {
    pub analysis: FileAnalysis,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings that an `imglint.dev/ignore` annotation took out.
    pub suppressed: usize,
    /// Findings past the per-file bound ([`crate::findings`]): counted in the summary, not
    /// listed (IMG004 says how many).
    pub omitted: SeverityCounts,
}

impl FileReport {
    /// Sorts by position, then code, so output never depends on the order rules ran in.
    pub fn new(analysis: FileAnalysis, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(output_order);
        Self {
            analysis,
            diagnostics,
            suppressed: 0,
            omitted: SeverityCounts::default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.analysis.name
    }

    /// Start and end of a span of this file.
    pub fn position(&self, span: Span) -> (LineColumn, LineColumn) {
        (
            self.analysis.line_column(span.start),
            self.analysis.line_column(span.end),
        )
    }
}

/// Counts for the summary line and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    pub containers: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings not reported because an object's `imglint.dev/ignore` annotation names them.
    pub suppressed: usize,
}

impl Summary {
    pub fn add(&mut self, file: &FileReport) {
        self.files += 1;
        self.documents += file.analysis.documents as usize;
        self.objects += file.analysis.objects.len();
        self.containers += file.analysis.container_count();
        self.suppressed += file.suppressed;
        let mut counts = file.omitted;
        for diagnostic in &file.diagnostics {
            counts.add(diagnostic.severity);
        }
        self.errors += counts.errors;
        self.warnings += counts.warnings;
        self.infos += counts.infos;
    }

    /// An unreadable file still counts as a file of the run.
    pub fn add_unreadable(&mut self) {
        self.files += 1;
    }

    /// The most severe finding, if any.
    pub const fn max_severity(&self) -> Option<Severity> {
        SeverityCounts {
            errors: self.errors,
            warnings: self.warnings,
            infos: self.infos,
        }
        .max_severity()
    }
}

/// A whole run in memory.
#[derive(Debug)]
pub struct Report {
    /// In name order.
    pub files: Vec<FileReport>,
    pub summary: Summary,
    pub file_errors: Vec<FileError>,
}

impl Report {
    pub fn new(files: Vec<FileReport>, file_errors: Vec<FileError>) -> Self {
        let mut summary = Summary::default();
        for file in &files {
            summary.add(file);
        }
        for _ in &file_errors {
            summary.add_unreadable();
        }
        Self {
            files,
            summary,
            file_errors,
        }
    }

    /// Every diagnostic with its file, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|file| file.diagnostics.iter().map(move |d| (file, d)))
    }
}
