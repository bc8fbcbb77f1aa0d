//! Helm: `helm template … | imglint lint -` and chart directories.
//!
//! `helm template` writes `# Source: chart/templates/x.yaml` before each document it renders.
//! A finding in standard input names that template ([`name_templates`]; JSON `template`,
//! SARIF `properties.template`, a line in human and GitHub output); its lines stay those of
//! the rendered stream, which is what was linted. Rendering a chart directory needs `helm`,
//! which the project's machines do not have: [`template_command`] is the invocation, tested
//! as a command line only.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use imglint_core::report::FileReport;

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
