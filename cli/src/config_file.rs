//! Finding and reading `.imglint.yaml`: `--config FILE`, else the nearest one from the current
//! directory upwards (as ruff finds `ruff.toml`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use imglint_core::Config;
use imglint_core::config::file::ConfigError;
use miette::{LabeledSpan, NamedSource};

use crate::render::Style;
use crate::render::report::{FrameText, Report};

pub const FILE_NAME: &str = ".imglint.yaml";

/// Why the config could not be used.
#[derive(Debug)]
pub enum ConfigFailure {
    /// The file cannot be read, or a flag is wrong.
    Message(String),
    /// The file holds mistakes, each at its position.
    Invalid {
        path: PathBuf,
        text: String,
        errors: Vec<ConfigError>,
    },
}

impl ConfigFailure {
    /// Every mistake as a miette report, or the message.
    pub fn render(&self, style: Style) -> String {
        match self {
            Self::Message(message) => format!("imglint: error: {message}\n"),
            Self::Invalid { path, text, errors } => {
                let source = Arc::new(text.clone());
                let name = path.display().to_string();
                errors
                    .iter()
                    .map(|error| {
                        let label = LabeledSpan::new_primary_with_span(None, error.span.range());
                        Report {
                            message: format!("invalid config: {}", error.message),
                            help: error.help.clone(),
                            source: Some(NamedSource::new(
                                &name,
                                FrameText::whole(Arc::clone(&source)),
                            )),
                            labels: vec![label],
                            ..Report::error("")
                        }
                        .render(style)
                    })
                    .collect()
            }
        }
    }
}

impl From<String> for ConfigFailure {
    fn from(message: String) -> Self {
        Self::Message(message)
    }
}

/// The nearest `.imglint.yaml` in `start` or a parent directory.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// The config of a run: the explicit file, else the discovered one, else the defaults.
///
/// # Errors
/// An unreadable or invalid file.
pub fn load(
    explicit: Option<&Path>,
    start: &Path,
) -> Result<(Config, Option<PathBuf>), ConfigFailure> {
    let Some(path) = explicit.map(Path::to_path_buf).or_else(|| discover(start)) else {
        return Ok((Config::default(), None));
    };
    let text = std::fs::read_to_string(&path).map_err(|error| {
        ConfigFailure::Message(format!(
            "cannot read config file {}: {error}",
            path.display()
        ))
    })?;
    match Config::from_yaml(&text) {
        Ok(config) => Ok((config, Some(path))),
        Err(errors) => Err(ConfigFailure::Invalid { path, text, errors }),
    }
}
