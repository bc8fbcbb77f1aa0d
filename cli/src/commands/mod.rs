//! One module per subcommand. Each returns the process outcome; `main` turns it into an exit code.

pub mod completions;
pub mod image;
pub mod lint;
pub mod rules;

/// How a command ended, in terms of the documented exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// 0: nothing to report at or above the threshold.
    Clean,
    /// 1: findings (or invalid references) at or above the threshold.
    Findings,
    /// 2: usage, configuration or I/O error.
    Error,
}
