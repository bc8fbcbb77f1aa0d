//! Where `imglint lint`'s findings go as they come: one renderer per `--format`, each written
//! file by file and closed with the run's summary and input errors.

use std::io::{self, Write};

use imglint_core::Report;
use imglint_core::json::JsonWriter;
use imglint_core::report::{FileError, FileReport, Summary};

use super::sarif::SarifWriter;
use super::{Style, github, human};
use crate::args::LintFormat;

/// Where findings go as they come.
pub enum Sink<'o, W: Write> {
    Json(JsonWriter<&'o mut W>),
    Sarif(SarifWriter<&'o mut W>),
    Github(&'o mut W),
    Human { out: &'o mut W, style: Style },
}

impl<'o, W: Write> Sink<'o, W> {
    pub fn new(format: LintFormat, out: &'o mut W, style: Style) -> Self {
        match format {
            LintFormat::Json => Self::Json(JsonWriter::new(out)),
            LintFormat::Sarif => Self::Sarif(SarifWriter::new(out)),
            LintFormat::Github => Self::Github(out),
            LintFormat::Human => Self::Human { out, style },
        }
    }

    pub fn file(&mut self, report: &FileReport) -> io::Result<()> {
        match self {
            Self::Json(writer) => {
                writer.file(report);
                Ok(())
            }
            Self::Sarif(writer) => {
                writer.file(report);
                Ok(())
            }
            Self::Github(out) => github::write_file(*out, report),
            Self::Human { out, style } => human::write_file(*out, report, *style),
        }
    }

    pub fn finish(self, summary: &Summary, errors: &[FileError], quiet: bool) -> io::Result<()> {
        match self {
            Self::Json(writer) => writer.try_finish(summary, errors).map(drop),
            Self::Sarif(writer) => writer.finish(summary, errors).map(drop),
            Self::Github(out) => {
                github::write_errors(out, errors)?;
                if !quiet {
                    writeln!(out, "{}", human::summary_line(summary, errors.len()))?;
                }
                Ok(())
            }
            Self::Human { out, .. } if !quiet => {
                writeln!(out, "{}", human::summary_line(summary, errors.len()))
            }
            Self::Human { .. } => Ok(()),
        }
    }
}

/// Writes a whole run held in memory as the streamed run writes it.
///
/// # Errors
/// Those of `out`.
pub fn write_report(
    format: LintFormat,
    out: &mut impl Write,
    style: Style,
    report: &Report,
    quiet: bool,
) -> io::Result<()> {
    let mut sink = Sink::new(format, out, style);
    for file in &report.files {
        sink.file(file)?;
    }
    sink.finish(&report.summary, &report.file_errors, quiet)
}
