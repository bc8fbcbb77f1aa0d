//! The JSON every face writes the same way: the documented report (`imglint lint --format
//! json`, the wasm module's `lint`), streamed one file at a time, and the stream the CLI's
//! SARIF log is written through.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, LabelTarget, ObjectRef, Severity};
use crate::report::{FileError, FileReport, Report, Summary};
use crate::source::LineColumn;

/// JSON text with what a terminal or a CI log would act on written as `\u` escapes, which
/// a JSON reader turns back into the same strings: DEL and the C1 controls (U+0080 to
/// U+009F, which serde leaves raw; C0 controls it already escapes), and the second `#` of a
/// `##` before a letter or `[`, which would open a log command anywhere on a line (GitHub's
/// `##[error]`, Azure Pipelines' `##vso[`, TeamCity's `##teamcity[`). These characters occur
/// only inside strings, never in the JSON around them, so replacing them changes no value.
pub fn log_safe_json(json: &str) -> std::borrow::Cow<'_, str> {
    let bytes = json.as_bytes();
    let acts = |at: usize| match bytes[at] {
        0x7f => true,
        0xc2 => bytes.get(at + 1).is_some_and(|b| (0x80..=0x9f).contains(b)),
        b'#' => {
            bytes.get(at + 1) == Some(&b'#')
                && bytes
                    .get(at + 2)
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'[')
        }
        _ => false,
    };
    let Some(first) = memchr::memchr3_iter(0x7f, 0xc2, b'#', bytes).find(|&at| acts(at)) else {
        return json.into();
    };
    let mut out = String::with_capacity(json.len() + 16);
    out.push_str(&json[..first]);
    let mut chars = json[first..].chars().peekable();
    // Whether the last character written is a `#` as it is (not escaped).
    let mut after_hash = false;
    while let Some(c) = chars.next() {
        let opens = chars
            .peek()
            .is_some_and(|&next| next.is_ascii_alphabetic() || next == '[');
        after_hash = match c {
            '\u{7f}' | '\u{80}'..='\u{9f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
                false
            }
            '#' if after_hash && opens => {
                out.push_str("\\u0023");
                false
            }
            c => {
                out.push(c);
                c == '#'
            }
        };
    }
    out.into()
}

/// Pretty-printed JSON written piece by piece: the writers of whole reports (JSON here, SARIF
/// in the CLI) stream their arrays through it. The first write error is kept and returned by
/// [`JsonStream::finish`]; later writes are skipped.
pub struct JsonStream<W: Write> {
    out: W,
    error: Option<io::Error>,
    /// Items written to the array that is open ([`item`](Self::item)).
    items: usize,
}

impl<W: Write> JsonStream<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            error: None,
            items: 0,
        }
    }

    /// Writes the next item of the open array (its `[` already written) on a line of its own,
    /// at `indent`.
    pub fn item(&mut self, value: &impl Serialize, indent: &str) {
        self.raw(if self.items == 0 { "\n" } else { ",\n" });
        self.raw(indent);
        self.items += 1;
        self.value(value, indent);
    }

    /// Closes the open array: `]` right after the `[` when it is empty, else on a line of its
    /// own at `indent`, as pretty-printing puts it.
    pub fn end_array(&mut self, indent: &str) {
        if self.items > 0 {
            self.raw("\n");
            self.raw(indent);
        }
        self.raw("]");
        self.items = 0;
    }

    /// Writes raw text (the punctuation and indentation between values).
    pub fn raw(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(error) = self.out.write_all(text.as_bytes())
        {
            self.error = Some(error);
        }
    }

    /// Serialises `value` pretty-printed, its continuation lines indented by `indent`.
    pub fn value(&mut self, value: &impl Serialize, indent: &str) {
        // Serialising plain data cannot fail.
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        self.raw(&log_safe_json(&text).replace('\n', &format!("\n{indent}")));
    }

    /// The writer, or the first error it returned.
    ///
    /// # Errors
    /// The first error the underlying writer returned.
    pub fn finish(self) -> io::Result<W> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.out),
        }
    }
}

/// Writes the JSON report one file at a time, so a run never holds all its findings. The
/// bytes are those of pretty-printing the whole report at once.
pub struct JsonWriter<W: Write> {
    stream: JsonStream<W>,
}

impl<W: Write> JsonWriter<W> {
    pub fn new(out: W) -> Self {
        let mut stream = JsonStream::new(out);
        stream.raw("{\n  \"version\": 1,\n  \"diagnostics\": [");
        Self { stream }
    }

    pub fn file(&mut self, file: &FileReport) {
        for diagnostic in &file.diagnostics {
            self.stream
                .item(&JsonDiagnostic::new(file, diagnostic), "    ");
        }
    }

    /// Closes the report. Returns the writer, or the first write error.
    ///
    /// # Errors
    /// The first error the underlying writer returned.
    pub fn try_finish(mut self, summary: &Summary, errors: &[FileError]) -> io::Result<W> {
        self.stream.end_array("  ");
        self.stream.raw(",\n  \"summary\": ");
        self.stream.value(summary, "  ");
        self.stream.raw(",\n  \"errors\": ");
        self.stream.value(&errors, "  ");
        self.stream.raw("\n}\n");
        self.stream.finish()
    }
}

impl Report {
    /// The documented JSON report (`imglint lint --format json`) of a run held in memory.
    pub fn to_json(&self) -> String {
        let mut writer = JsonWriter::new(Vec::new());
        for file in &self.files {
            writer.file(file);
        }
        let bytes = writer
            .try_finish(&self.summary, &self.file_errors)
            .unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[derive(Serialize)]
struct JsonRange {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl JsonRange {
    fn new((start, end): (LineColumn, LineColumn)) -> Self {
        Self {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    #[serde(flatten)]
    range: JsonRange,
    object: Option<&'a ObjectRef>,
    container: Option<&'a str>,
    path: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
    /// The Kustomize roots that rendered what was found (an optional field, absent for files
    /// linted as written, so reports without Kustomize keep their bytes).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    kustomization: &'a [Box<str>],
    /// The Helm template named by the document's `# Source:` comment (optional, absent when
    /// there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(file: &'a FileReport, d: &'a Diagnostic) -> Self {
        Self {
            code: d.rule.code,
            rule: d.rule.name,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            file: file.name(),
            range: JsonRange::new(file.position(d.span)),
            object: d.object.as_deref(),
            container: d.container.as_deref(),
            path: d.path.as_deref(),
            labels: d
                .labels
                .iter()
                .map(|label| match &label.target {
                    LabelTarget::Here(span) => JsonLabel {
                        file: file.name(),
                        range: JsonRange::new(file.position(*span)),
                        message: &label.message,
                    },
                    LabelTarget::Elsewhere(location) => JsonLabel {
                        file: &location.file,
                        range: JsonRange::new((location.start, location.end)),
                        message: &label.message,
                    },
                })
                .collect(),
            fix: d.fix.as_ref().map(|fix| JsonFix {
                description: &fix.description,
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| JsonEdit {
                        range: JsonRange::new(file.position(edit.span)),
                        replacement: &edit.replacement,
                    })
                    .collect(),
            }),
            kustomization: &d.rendered_by,
            template: d.template.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    #[serde(flatten)]
    range: JsonRange,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    description: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    range: JsonRange,
    replacement: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, lint_text};

    /// Streaming one diagnostic at a time gives exactly what serde pretty-prints at once.
    #[test]
    fn streamed_json_is_the_pretty_printed_report() {
        #[derive(Serialize)]
        struct Whole<'a> {
            version: u32,
            diagnostics: Vec<JsonDiagnostic<'a>>,
            summary: Summary,
            errors: &'a [FileError],
        }
        for text in [
            "kind: Pod\nspec: {containers: [{name: a, image: nginx}, {name: b, image: 'x:latest'}]}\n",
            "kind: Pod\n",
        ] {
            let report = lint_text("pod.yaml", text, &Config::default());
            let whole = Whole {
                version: 1,
                diagnostics: report
                    .diagnostics()
                    .map(|(file, d)| JsonDiagnostic::new(file, d))
                    .collect(),
                summary: report.summary,
                errors: &report.file_errors,
            };
            assert_eq!(
                report.to_json(),
                log_safe_json(&serde_json::to_string_pretty(&whole).unwrap()) + "\n"
            );
        }
    }

    /// What a terminal or a CI log would act on is escaped, and reads back as the same string.
    #[test]
    fn json_strings_are_safe_in_logs_and_read_back_unchanged() {
        let controls: String = ('\u{0}'..='\u{9f}').filter(|c| c.is_control()).collect();
        for value in [
            controls.clone(),
            format!("a{controls}é¿\u{a0}b"),
            "##[error]x ##vso[task] ###[ ## a #[ ##".to_owned(),
            "\\##[\\".to_owned(),
            "plain".to_owned(),
        ] {
            let json = serde_json::to_string_pretty(&[&value]).unwrap();
            let safe = log_safe_json(&json);
            assert!(!safe.chars().any(|c| c.is_control() && c != '\n'), "{safe}");
            assert!(!safe.contains("##["), "{safe}");
            assert!(!safe.contains("##v"), "{safe}");
            let back: Vec<String> = serde_json::from_str(&safe).unwrap();
            assert_eq!(back, [value]);
        }
        assert!(matches!(
            log_safe_json("{\"a\": \"## b\"}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
