//! Helm: `helm template … | imglint lint -` and chart directories.
//!
//! `helm template` writes `# Source: chart/templates/x.yaml` before each document it renders.
//! A finding in standard input names that template ([`name_templates`]; JSON `template`,
//! SARIF `properties.template`, a line in human and GitHub output); its lines stay those of
//! the rendered stream, which is what was linted. A chart directory (it holds `Chart.yaml`) is
//! rendered with `helm template` when `helm` is on PATH ([`Charts`]): its files are left out
//! of the plain lint (`templates/` is not YAML until rendered) and its findings are reported
//! in the rendered stream, named `<chart> (helm template)`, each with its template. The
//! project's machines have no helm: the tests run a stand-in script.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use imglint_core::FileAnalysis;
use imglint_core::report::{FileError, FileReport};

use crate::pipeline::{Expansion, Linted};
use crate::walk::Input;

/// The Helm part of a run: charts found, rendered with `helm template`.
#[derive(Debug, Default)]
pub struct Charts {
    /// The run's PATH, where `helm` is looked for.
    pub path: Option<OsString>,
    pub timeout: Duration,
    /// Keep the rendered text in reports (code frames).
    pub keep_text: bool,
    /// Off with `--kustomize never` (which means: lint every file as written).
    pub enabled: bool,
    left_out: HashSet<PathBuf>,
    /// Rendered texts by input name, with the chart's `Chart.yaml`.
    rendered: HashMap<String, (PathBuf, String)>,
    /// Charts that could not be rendered (exit 2).
    pub errors: Vec<FileError>,
    /// What the run tells on standard error (no helm found).
    pub notes: Vec<String>,
}

impl Charts {
    /// `path` is the run's PATH; `enabled` is false under `--kustomize never`.
    pub fn new(path: Option<OsString>, timeout: Duration, keep_text: bool, enabled: bool) -> Self {
        Self {
            path,
            timeout,
            keep_text,
            enabled,
            ..Self::default()
        }
    }
}

impl Expansion for Charts {
    fn expand(&mut self, found: &[Input]) -> Vec<(String, String)> {
        if !self.enabled {
            return Vec::new();
        }
        let charts: Vec<PathBuf> = found
            .iter()
            .filter_map(|input| match input {
                Input::File(path) if path.file_name().is_some_and(|n| n == "Chart.yaml") => {
                    path.parent().map(Path::to_path_buf)
                }
                _ => None,
            })
            .collect();
        if charts.is_empty() {
            return Vec::new();
        }
        let Some(helm) = find_helm(self.path.clone()) else {
            let names: Vec<String> = charts.iter().map(|dir| dir.display().to_string()).collect();
            self.notes.push(format!(
                "`helm` is not on PATH: Helm charts are linted as plain files, not as rendered ({}); pipe `helm template` into `imglint lint -` instead",
                names.join(", ")
            ));
            return Vec::new();
        };
        let mut texts = Vec::new();
        for dir in charts {
            self.left_out
                .extend(found.iter().filter_map(|input| match input {
                    Input::File(path) if path.starts_with(&dir) => Some(path.clone()),
                    _ => None,
                }));
            let chart_file = dir.join("Chart.yaml");
            match crate::kustomize::render::run(template_command(&helm, &dir), self.timeout) {
                Ok(text) => {
                    let name = format!("{} (helm template)", dir.display());
                    texts.push((name.clone(), text.clone()));
                    self.rendered.insert(name, (chart_file, text));
                }
                Err(message) => self.errors.push(FileError {
                    file: chart_file.display().to_string(),
                    message: format!("cannot render this chart with helm template: {message}"),
                }),
            }
        }
        texts
    }

    fn leaves_out(&self, input: &Input) -> bool {
        matches!(input, Input::File(path) if self.left_out.contains(path))
    }

    fn renders(&self, name: &str) -> bool {
        self.rendered.contains_key(name)
    }

    /// The rendered stream's own report, read again for its code frames, each finding naming
    /// its template; fixes are dropped (they would edit rendered text, which is no file).
    fn map(&mut self, reports: Vec<FileReport>) -> Vec<(Input, Result<Linted, FileError>)> {
        reports
            .into_iter()
            .filter_map(|report| {
                let (chart_file, text) = self.rendered.get(report.name())?;
                let analysis = FileAnalysis::read_text(report.name(), text, self.keep_text);
                let mut diagnostics = report.diagnostics;
                for diagnostic in &mut diagnostics {
                    diagnostic.fix = None;
                }
                let mut mapped = FileReport::new(analysis, diagnostics);
                mapped.suppressed = report.suppressed;
                name_templates(&mut mapped, text);
                let linted = Linted {
                    report: mapped,
                    bytes: text.len(),
                    fixed: 0,
                };
                Some((Input::File(chart_file.clone()), Ok(linted)))
            })
            .collect()
    }
}

/// Where each document of a rendered stream starts and the template its `# Source:` comment
/// names, in stream order.
pub fn templates(text: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let mut document_start = 0usize;
    let mut named = false;
    let mut at = 0usize;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            document_start = at + line.len();
            named = false;
        } else if let Some(name) = trimmed.strip_prefix("# Source: ")
            && !named
        {
            found.push((
                u32::try_from(document_start).unwrap_or(u32::MAX),
                name.trim().to_owned(),
            ));
            named = true;
        }
        at += line.len();
    }
    found
}

/// Names, on each finding of a rendered stream, the template its document came from.
pub fn name_templates(report: &mut FileReport, text: &str) {
    let templates = templates(text);
    if templates.is_empty() {
        return;
    }
    for diagnostic in &mut report.diagnostics {
        let at = diagnostic.span.start;
        let index = templates.partition_point(|(start, _)| *start <= at);
        if let Some((_, name)) = index.checked_sub(1).map(|i| &templates[i]) {
            diagnostic.template = Some(name.as_str().into());
        }
    }
}

/// The directory of a chart (it holds `Chart.yaml`).
pub fn is_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file()
}

/// `helm` on `path` (a PATH value).
pub fn find_helm(path: Option<OsString>) -> Option<PathBuf> {
    std::env::split_paths(&path?)
        .map(|dir| dir.join("helm"))
        .find(|candidate| candidate.is_file())
}

/// `helm template` for a chart directory: its default values, no network (`--dependency-update`
/// is not passed: dependencies must be vendored in `charts/`), the release named after the
/// directory so that names in the output are stable.
pub fn template_command(helm: &Path, chart: &Path) -> Command {
    let release = chart.file_name().map_or_else(
        || "release".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut command = Command::new(helm);
    command
        .arg("template")
        .arg(release)
        .arg(chart)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDERED: &str = "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n---\n# Source: web/templates/pod.yaml\n# Source: not/this.yaml\nkind: Pod\n";

    #[test]
    fn each_document_is_named_by_its_first_source_comment() {
        let found = templates(RENDERED);
        assert_eq!(
            found,
            [
                (4, "web/templates/deployment.yaml".to_owned()),
                (
                    RENDERED.find("# Source: web/templates/pod").unwrap() as u32,
                    "web/templates/pod.yaml".to_owned()
                )
            ]
        );
        assert!(templates("kind: Pod\n").is_empty());
    }

    #[test]
    fn a_chart_is_rendered_with_helm_template() {
        let command = template_command(Path::new("/usr/local/bin/helm"), Path::new("charts/web"));
        assert_eq!(command.get_program(), "/usr/local/bin/helm");
        let args: Vec<_> = command.get_args().collect();
        assert_eq!(args, ["template", "web", "charts/web"]);
    }
}
