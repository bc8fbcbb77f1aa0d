//! Turning core results into text. The core decides what to say; this decides how it looks.

pub mod escape;
pub mod frame;
pub mod github;
pub mod human;
pub mod markdown;
pub mod sarif;
pub mod sink;

use std::io::IsTerminal;

/// How human output is styled.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour only on a terminal, and never when `NO_COLOR` is set (<https://no-color.org>).
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Self {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    /// The same for messages written to standard error.
    pub fn detect_stderr() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Self {
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }
}
