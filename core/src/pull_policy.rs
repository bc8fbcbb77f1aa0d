//! `imagePullPolicy`: its values. The default for an image is
//! [`ImageReference::default_pull_policy`](crate::ImageReference::default_pull_policy), and the
//! policy in force for a container is `ImageCheck::effective_policy` (`rules/context.rs`).

use std::fmt;

/// The values the API server accepts for `imagePullPolicy` (case-sensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub const ALL: [Self; 3] = [Self::Always, Self::IfNotPresent, Self::Never];

    /// The policy spelled exactly `value`; `None` for anything else (`always` included: the API
    /// server rejects it with "Unsupported value").
    pub fn from_api_value(value: &str) -> Option<Self> {
        match value {
            "Always" => Some(Self::Always),
            "IfNotPresent" => Some(Self::IfNotPresent),
            "Never" => Some(Self::Never),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Always => "Always",
            Self::IfNotPresent => "IfNotPresent",
            Self::Never => "Never",
        }
    }
}

impl fmt::Display for PullPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_values_are_case_sensitive() {
        assert_eq!(
            PullPolicy::from_api_value("Always"),
            Some(PullPolicy::Always)
        );
        assert_eq!(PullPolicy::from_api_value("always"), None);
    }
}
