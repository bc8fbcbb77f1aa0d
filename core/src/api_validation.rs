//! What the API server says about container image fields and Secrets
//! (`pkg/apis/core/validation`).
//!
//! The API server does not check the reference grammar: `Nginx` is accepted and fails on the node.
//! It checks only that `image` is set, that a Pod's (not a template's) image has no surrounding
//! whitespace, and that `imagePullPolicy` is one of the three values. Rules quote these messages
//! so a user knows whether `kubectl apply` or the kubelet will be the one to complain.

use crate::keyring::docker_config::{self, Checked, ConfigFormat};
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

/// The API server's warnings for `imagePullSecrets` (`pkg/api/pod/warnings.go`): each repeat
/// of a name after the first, then each empty name. `path` is `spec` for Pods,
/// `spec.template.spec` for templates.
pub fn pull_secret_warnings(path: &str, names: &[&str]) -> Vec<String> {
    let mut warnings = Vec::new();
    if names.len() > 1 {
        // A set, not a scan of the names before each one: a list of n entries costs n.
        let mut seen = std::collections::HashSet::with_capacity(names.len());
        for (index, name) in names.iter().enumerate() {
            if !seen.insert(*name) {
                warnings.push(format!(
                    "{path}.imagePullSecrets[{index}].name: duplicate name {name:?}"
                ));
            }
        }
    }
    for (index, name) in names.iter().enumerate().filter(|(_, name)| name.is_empty()) {
        warnings.push(format!(
            "{path}.imagePullSecrets[{index}].name: invalid empty name {name:?}"
        ));
    }
    warnings
}

/// `core.MaxSecretSize`: the sum of all data values.
pub const MAX_SECRET_SIZE: usize = 1 << 20;

/// `IsConfigMapKey` on a Secret data key, as `ValidateSecret` reports it.
pub fn secret_key_errors(key: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if key.len() > 253 {
        problems.push("must be no more than 253 characters".to_owned());
    }
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        problems.push(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
                .to_owned(),
        );
    }
    if key == "." {
        problems.push("must not be '.'".to_owned());
    } else if key == ".." {
        problems.push("must not be '..'".to_owned());
    } else if key.starts_with("..") {
        problems.push("must not start with '..'".to_owned());
    }
    problems
        .into_iter()
        .map(|problem| format!("data[{key}]: Invalid value: {key:?}: {problem}"))
        .collect()
}

/// One error of `ValidateSecret`, with what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretError {
    /// A data key that is not valid (`data[a*b]: Invalid value: …`): the index of its entry.
    Key { index: usize, message: String },
    /// The values add up to more than [`MAX_SECRET_SIZE`] bytes.
    TooLong { size: usize, message: String },
    /// A registry credential Secret without the key its type needs.
    Required { message: String },
    /// The content under that key is not a JSON object (the index of its entry).
    Invalid { index: usize, message: String },
}

impl SecretError {
    /// The API server's text (`data[.dockercfg]: Required value`).
    pub fn message(&self) -> &str {
        match self {
            Self::Key { message, .. }
            | Self::TooLong { message, .. }
            | Self::Required { message }
            | Self::Invalid { message, .. } => message,
        }
    }
}

/// What `ValidateSecret` says about a Secret, and, for the two registry credential types with
/// their key present, how the API server and then the kubelet read that entry.
#[derive(Debug)]
pub struct SecretValidation {
    pub errors: Vec<SecretError>,
    /// The index of the entry under the type's key, and its reading.
    pub docker_config: Option<(usize, Checked)>,
}

/// `ValidateSecret`: key and size checks for every Secret, then, for the two registry
/// credential types, the required key and "is it a JSON object". `data` holds the decoded
/// values with `stringData` merged in (it wins for the same key), as the API server validates
/// them. `secret_content::analyze` reads every Secret of a manifest through this.
pub fn validate_secret(secret_type: &str, data: &[(&str, &[u8])]) -> SecretValidation {
    let mut errors: Vec<SecretError> = data
        .iter()
        .enumerate()
        .flat_map(|(index, (key, _))| {
            secret_key_errors(key)
                .into_iter()
                .map(move |message| SecretError::Key { index, message })
        })
        .collect();
    let size = data.iter().map(|(_, value)| value.len()).sum::<usize>();
    if size > MAX_SECRET_SIZE {
        errors.push(SecretError::TooLong {
            size,
            message: format!("data: Too long: may not be more than {MAX_SECRET_SIZE} bytes"),
        });
    }
    let mut docker_config = None;
    if let Some(format) = ConfigFormat::from_secret_type(secret_type) {
        let key = format.data_key();
        match data.iter().position(|(k, _)| *k == key) {
            None => errors.push(SecretError::Required {
                message: format!("data[{key}]: Required value"),
            }),
            Some(index) => {
                let checked = docker_config::check(format, data[index].1);
                if let Checked::RejectedByApi(error) = &checked {
                    errors.push(SecretError::Invalid {
                        index,
                        message: format!(
                            "data[{key}]: Invalid value: \"<secret contents redacted>\": {error}"
                        ),
                    });
                }
                docker_config = Some((index, checked));
            }
        }
    }
    SecretValidation {
        errors,
        docker_config,
    }
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
