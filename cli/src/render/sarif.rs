//! SARIF 2.1.0 (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html>),
//! for GitHub code scanning and other SARIF viewers.
//!
//! One run; `tool.driver.rules` is the whole catalogue (so a viewer can show the docs of any
//! code), results point at the exact value with `columnKind: unicodeCodePoints` (the columns
//! the JSON report uses), labels become related locations, fixes become SARIF fixes. Written
//! one file at a time like the JSON report, so memory does not grow with the run.

use std::io::{self, Write};

use imglint_core::Severity;
use imglint_core::diagnostic::{Diagnostic, LabelTarget};
use imglint_core::json::JsonStream;
use imglint_core::report::{FileError, FileReport, Summary};
use imglint_core::rules::{RULES, RuleMeta};
use imglint_core::source::LineColumn;
use serde_json::{Value, json};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where people learn about imglint (SARIF's `informationUri`).
const HOMEPAGE: &str = "https://github.com/imglint/imglint";

/// Writes the SARIF log as the run goes.
pub struct SarifWriter<W: Write> {
    stream: JsonStream<W>,
}

impl<W: Write> SarifWriter<W> {
    pub fn new(out: W) -> Self {
        let mut stream = JsonStream::new(out);
        stream.raw("{\n  \"$schema\": ");
        stream.value(&SCHEMA, "");
        stream.raw(",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ");
        stream.value(&tool(), "      ");
        stream.raw(",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
        Self { stream }
    }

    pub fn file(&mut self, file: &FileReport) {
        for diagnostic in &file.diagnostics {
            self.stream.item(&result(file, diagnostic), "        ");
        }
    }

    /// Closes the log with the invocation (unreadable files are its notifications) and the
    /// run's counts.
    ///
    /// # Errors
    /// The first error the underlying writer returned.
    pub fn finish(mut self, summary: &Summary, errors: &[FileError]) -> io::Result<W> {
        self.stream.end_array("      ");
        self.stream.raw(",\n");
        let mut invocation = json!({ "executionSuccessful": errors.is_empty() });
        if !errors.is_empty() {
            invocation["toolExecutionNotifications"] = errors
                .iter()
                .map(|error| {
                    json!({
                        "level": "error",
                        "message": { "text": error.describe() },
                        "locations": [{ "physicalLocation": { "artifactLocation": { "uri": artifact_uri(&error.file) } } }],
                    })
                })
                .collect();
        }
        self.stream.raw("      \"invocations\": ");
        self.stream.value(&json!([invocation]), "      ");
        self.stream.raw(",\n      \"properties\": ");
        self.stream.value(&json!({ "summary": summary }), "      ");
        self.stream.raw("\n    }\n  ]\n}\n");
        self.stream.finish()
    }
}

fn tool() -> Value {
    json!({
        "driver": {
            "name": "imglint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": HOMEPAGE,
            "rules": RULES.iter().map(|rule| descriptor(rule.meta())).collect::<Vec<_>>(),
        }
    })
}

/// A rule as SARIF describes it: its docs are the help, in text and Markdown.
fn descriptor(rule: &RuleMeta) -> Value {
    let documentation = rule.documentation();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": unwrapped(&rule.section("What it does").unwrap_or_default()) },
        "help": { "text": documentation, "markdown": documentation },
        "helpUri": rule.url(),
        "defaultConfiguration": {
            "enabled": rule.enabled_by_default,
            "level": level(rule.severity),
        },
        "properties": {
            "tags": [rule.category.as_str()],
            "fixable": rule.fixable,
        },
    })
}

/// Paragraphs with their line breaks turned into spaces, for viewers that show plain text.
fn unwrapped(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(file: &FileReport, diagnostic: &Diagnostic) -> Value {
    let uri = artifact_uri(file.name());
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": region(file.position(diagnostic.span)),
        }
    });
    if let Some(object) = &diagnostic.object {
        let name = object.name.as_deref().unwrap_or("");
        let qualified = match &object.namespace {
            Some(namespace) => format!("{}/{namespace}/{name}", object.kind),
            None => format!("{}/{name}", object.kind),
        };
        location["logicalLocations"] =
            json!([{ "name": name, "fullyQualifiedName": qualified, "kind": "resource" }]);
    }
    let mut result = json!({
        "ruleId": diagnostic.rule.code,
        "ruleIndex": RULES.iter().position(|rule| rule.meta().code == diagnostic.rule.code),
        "level": level(diagnostic.severity),
        "message": { "text": message(diagnostic) },
        "locations": [location],
    });
    if !diagnostic.labels.is_empty() {
        result["relatedLocations"] = diagnostic
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| {
                let (uri, range) = match &label.target {
                    LabelTarget::Here(span) => (uri.clone(), file.position(*span)),
                    LabelTarget::Elsewhere(location) => {
                        (artifact_uri(&location.file), (location.start, location.end))
                    }
                };
                json!({
                    "id": index + 1,
                    "physicalLocation": { "artifactLocation": { "uri": uri }, "region": region(range) },
                    "message": { "text": label.message },
                })
            })
            .collect();
    }
    if let Some(fix) = &diagnostic.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(file.position(edit.span)),
                    "insertedContent": { "text": edit.replacement },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": fix.description },
            "artifactChanges": [{ "artifactLocation": { "uri": uri }, "replacements": replacements }],
        }]);
    }
    let mut properties = json!({ "rule": diagnostic.rule.name });
    if let Some(help) = &diagnostic.help {
        properties["help"] = json!(help);
    }
    if let Some(object) = &diagnostic.object {
        properties["object"] = json!(&**object);
    }
    if let Some(container) = &diagnostic.container {
        properties["container"] = json!(container);
    }
    if let Some(path) = &diagnostic.path {
        properties["path"] = json!(path);
    }
    if !diagnostic.rendered_by.is_empty() {
        properties["kustomization"] = json!(diagnostic.rendered_by);
    }
    if let Some(template) = &diagnostic.template {
        properties["template"] = json!(template);
    }
    result["properties"] = properties;
    result
}

/// Code scanning shows only the message: the help goes with it.
fn message(diagnostic: &Diagnostic) -> String {
    match &diagnostic.help {
        Some(help) => format!("{}\nhelp: {help}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// SARIF regions end one column after the last character, as the JSON report's `end_column`.
fn region((start, end): (LineColumn, LineColumn)) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

/// A file name as a URI reference: relative paths stay relative (code scanning resolves them
/// against the checkout), absolute ones become `file://` URIs, and everything outside the
/// unreserved characters is percent-encoded (a `:` in a relative path would read as a scheme).
pub fn artifact_uri(name: &str) -> String {
    #[cfg(windows)]
    let name = &name.replace('\\', "/");
    let mut path = name;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    let mut uri = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        uri.push_str("file://");
    }
    let drive = cfg!(windows) && path.as_bytes().get(1) == Some(&b':');
    if drive {
        uri.push_str("file:///");
    }
    for (index, byte) in path.bytes().enumerate() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || (drive && index == 1) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(artifact_uri("deploy/web.yaml"), "deploy/web.yaml");
        assert_eq!(artifact_uri("./././deploy/web.yaml"), "deploy/web.yaml");
        assert_eq!(artifact_uri("../x.yaml"), "../x.yaml");
        assert_eq!(
            artifact_uri("/srv/k8s/a b.yaml"),
            "file:///srv/k8s/a%20b.yaml"
        );
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(artifact_uri("a:b#c?.yaml"), "a%3Ab%23c%3F.yaml");
        assert_eq!(artifact_uri("é.yaml"), "%C3%A9.yaml");
        assert_eq!(artifact_uri("100%.yaml"), "100%25.yaml");
    }

    #[cfg(windows)]
    #[test]
    fn windows_paths_become_file_uris() {
        assert_eq!(artifact_uri(r"C:\k8s\x.yaml"), "file:///C:/k8s/x.yaml");
        assert_eq!(artifact_uri(r"deploy\web.yaml"), "deploy/web.yaml");
    }
}
