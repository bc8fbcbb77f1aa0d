//! `imagePullPolicy`: its values and how Kubernetes defaults it.

use std::fmt;

use crate::reference;

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

    /// What the API server sets when `imagePullPolicy` is empty (`SetDefaults_Container` in
    /// `pkg/apis/core/v1/defaults.go`): `Always` if `ParseImageName` yields the tag `latest`
    /// (an explicit `:latest`, even with a digest, or neither tag nor digest), otherwise
    /// `IfNotPresent`, also for images that do not parse.
    pub fn default_for_image(image: &str) -> Self {
        reference::parse_normalized(image).map_or(Self::IfNotPresent, |reference| {
            reference.default_pull_policy()
        })
    }
}

/// The policy in force for a container: the one written, else the API server's default.
pub fn effective(written: Option<PullPolicy>, image: &str) -> PullPolicy {
    written.unwrap_or_else(|| PullPolicy::default_for_image(image))
}

impl fmt::Display for PullPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The image string the kubelet hands to the container runtime (`applyDefaultImageTag` in
/// `pkg/kubelet/images/image_manager.go`): the original string, with `:latest` appended when
/// there is no digest and the string does not already end in `:<tag>`. Not normalised: `nginx`
/// becomes `nginx:latest`.
///
/// # Errors
/// The kubelet's `InvalidImageName` message when the image does not parse.
pub fn kubelet_image(image: &str) -> Result<String, String> {
    let reference = reference::parse_normalized(image).map_err(|error| {
        format!("Failed to apply default image tag {image:?}: couldn't parse image name {image:?}: {error}")
    })?;
    match reference.effective_tag() {
        Some(tag) if reference.digest().is_none() && !ends_with_tag(image, tag) => {
            Ok(format!("{image}:{tag}"))
        }
        _ => Ok(image.to_owned()),
    }
}

fn ends_with_tag(image: &str, tag: &str) -> bool {
    image
        .strip_suffix(tag)
        .is_some_and(|rest| rest.ends_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_parse_image_name() {
        assert_eq!(PullPolicy::default_for_image("nginx"), PullPolicy::Always);
        assert_eq!(
            PullPolicy::default_for_image("nginx:latest"),
            PullPolicy::Always
        );
        assert_eq!(
            PullPolicy::default_for_image("nginx:LATEST"),
            PullPolicy::IfNotPresent
        );
        assert_eq!(
            PullPolicy::default_for_image("Nginx"),
            PullPolicy::IfNotPresent
        );
        assert_eq!(PullPolicy::default_for_image(""), PullPolicy::IfNotPresent);
    }

    #[test]
    fn api_values_are_case_sensitive() {
        assert_eq!(
            PullPolicy::from_api_value("Always"),
            Some(PullPolicy::Always)
        );
        assert_eq!(PullPolicy::from_api_value("always"), None);
    }

    #[test]
    fn kubelet_appends_latest_to_the_original_string() {
        assert_eq!(kubelet_image("nginx").unwrap(), "nginx:latest");
        assert_eq!(
            kubelet_image("localhost:5000/foo").unwrap(),
            "localhost:5000/foo:latest"
        );
        assert_eq!(kubelet_image("nginx:1.27").unwrap(), "nginx:1.27");
        assert!(
            kubelet_image("Nginx")
                .unwrap_err()
                .contains("must be lowercase")
        );
    }
}
