//! Finding and reading `.imglint.yaml`: `--config FILE`, else the nearest one from the current
//! directory upwards (as ruff finds `ruff.toml`).

use std::path::{Path, PathBuf};

use imglint_core::config::file::ConfigError;
use imglint_core::source::LineIndex;
use imglint_core::{Config, FileAnalysis};
use miette::{LabeledSpan, NamedSource};

use crate::render::Style;
use crate::render::escape::escape;
use crate::render::frame::{Frame, FrameText};

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
            Self::Message(message) => format!("imglint: error: {}\n", escape(message)),
            Self::Invalid { path, text, errors } => {
                let lines = LineIndex::new(text);
                let name = escape(&path.display().to_string()).into_owned();
                // A manifest named as the config file is masked as manifests are: a Secret
                // shows its keys and names only.
                let text =
                    &FileAnalysis::read_text(&name, text, false).masked_text(text, 0..text.len());
                errors
                    .iter()
                    .map(|error| {
                        let mut labels =
                            vec![LabeledSpan::new_primary_with_span(None, error.span.range())];
                        let frame = FrameText::excerpt(text, &lines, &mut labels);
                        Frame {
                            message: format!("invalid config: {}", escape(&error.message)),
                            help: error.help.as_deref().map(|help| escape(help).into_owned()),
                            source: Some(NamedSource::new(&name, frame)),
                            labels,
                            ..Frame::error("")
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
    let cannot_read = |error: &dyn std::fmt::Display| {
        ConfigFailure::Message(format!(
            "cannot read config file {}: {error}",
            path.display()
        ))
    };
    // Read as inputs are: at most `MAX_INPUT_BYTES`, never a FIFO (it would block).
    let bytes = crate::walk::read_file(&path).map_err(|error| cannot_read(&error))?;
    let text =
        String::from_utf8(bytes).map_err(|_| cannot_read(&"stream did not contain valid UTF-8"))?;
    match Config::from_yaml(&text) {
        Ok(config) => Ok((config, Some(path))),
        Err(errors) => Err(ConfigFailure::Invalid { path, text, errors }),
    }
}
