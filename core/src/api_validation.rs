//! What the API server says about container image fields (`pkg/apis/core/validation`).
//!
//! The API server does not check the reference grammar: `Nginx` is accepted and fails on the node.
//! It checks only that `image` is set, that a Pod's (not a template's) image has no surrounding
//! whitespace, and that `imagePullPolicy` is one of the three values. Rules quote these messages
//! so a user knows whether `kubectl apply` or the kubelet will be the one to complain.

use crate::pull_policy::PullPolicy;

/// `validateContainerCommon` and `validateContainerOnlyForPod` on `<path>.image`. `in_pod` is
/// true for Pods and ephemeral containers, false for pod templates (which skip the whitespace
/// check).
pub fn image_error(path: &str, image: &str, in_pod: bool) -> Option<String> {
    if image.is_empty() {
        return Some(format!("{path}.image: Required value"));
    }
    if in_pod && image.trim() != image {
        return Some(format!(
            "{path}.image: Invalid value: {image:?}: must not have leading or trailing whitespace"
        ));
    }
    None
}

/// `validatePullPolicy` on `<path>.imagePullPolicy` (after defaulting, so empty means the field
/// was explicitly emptied where defaulting does not run).
pub fn pull_policy_error(path: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        return Some(format!("{path}.imagePullPolicy: Required value"));
    }
    if PullPolicy::from_api_value(value).is_none() {
        return Some(format!(
            "{path}.imagePullPolicy: Unsupported value: {value:?}: supported values: \"Always\", \"IfNotPresent\", \"Never\""
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_values() {
        assert_eq!(pull_policy_error("spec.containers[0]", "Always"), None);
        assert_eq!(
            pull_policy_error("spec.containers[0]", "always").unwrap(),
            "spec.containers[0].imagePullPolicy: Unsupported value: \"always\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
        );
    }

    #[test]
    fn templates_skip_the_whitespace_check() {
        assert!(image_error("spec.containers[0]", " nginx", true).is_some());
        assert_eq!(
            image_error("spec.template.spec.containers[0]", " nginx", false),
            None
        );
    }
}
