//! What `imglint image` (and the wasm `parseImage`) says about one image string.

use serde::Serialize;

use crate::pull_policy::PullPolicy;
use crate::reference::{self, Hint, ReferenceError};

/// One element of `imglint image --format json`: the reference's parts as Kubernetes reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    pub input: String,
    pub valid: bool,
    pub error: Option<ImageError>,
    /// Registry host and port after normalisation (`docker.io` for Docker Hub).
    pub domain: Option<String>,
    /// Repository path after normalisation (`library/nginx`).
    pub path: Option<String>,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The short form users write (`nginx:1.27`).
    pub familiar: Option<String>,
    /// Fully qualified, with `:latest` added when there is neither tag nor digest: what runs.
    pub normalized: Option<String>,
    /// Neither tag nor digest: the runtime pulls `:latest`.
    pub implicit_tag: Option<bool>,
    /// The registry is not written: Docker Hub is implied.
    pub implicit_registry: Option<bool>,
    /// What the API server defaults `imagePullPolicy` to for this image.
    pub default_pull_policy: PullPolicy,
}

/// Why an image string does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageError {
    /// Stable name (`invalid_reference_format`, `repository_name_must_be_lowercase`, …).
    pub kind: &'static str,
    /// Upstream's message.
    pub message: String,
    /// Byte offset of the first offending character.
    pub offset: usize,
    /// imglint's explanation of that character.
    pub hint: String,
}

impl ImageError {
    fn new(error: &ReferenceError<'_>) -> Self {
        Self {
            kind: error.kind().as_str(),
            message: error.to_string(),
            offset: error.offset(),
            hint: error.hint().to_string(),
        }
    }
}

impl ImageInfo {
    pub fn of(input: &str) -> Self {
        match reference::parse_normalized(input) {
            Ok(image) => Self {
                input: input.to_owned(),
                valid: true,
                error: None,
                domain: Some(image.domain().to_owned()),
                path: Some(image.path().into_owned()),
                tag: image.tag().map(str::to_owned),
                digest: image.digest().map(str::to_owned),
                familiar: Some(image.familiar().to_string()),
                normalized: Some(image.normalized().to_string()),
                implicit_tag: Some(image.has_implicit_tag()),
                implicit_registry: Some(image.registry_is_implicit()),
                default_pull_policy: image.default_pull_policy(),
            },
            Err(error) => Self {
                input: input.to_owned(),
                valid: false,
                error: Some(ImageError::new(&error)),
                domain: None,
                path: None,
                tag: None,
                digest: None,
                familiar: None,
                normalized: None,
                implicit_tag: None,
                implicit_registry: None,
                default_pull_policy: PullPolicy::IfNotPresent,
            },
        }
    }
}

/// What happens to an image string that does not parse, by where it is used.
pub fn invalid_image_consequence(error: &ReferenceError<'_>) -> &'static str {
    match error.hint() {
        Hint::Empty => "the API server rejects a container without an image (`Required value`)",
        Hint::Whitespace if error.input().trim() != error.input() => {
            "the API server rejects it in a Pod (`must not have leading or trailing whitespace`); \
             in a pod template it is accepted and the kubelet fails with InvalidImageName"
        }
        _ => {
            "the API server accepts it (it does not check the grammar), then the kubelet cannot \
             pull it and the container waits with reason InvalidImageName"
        }
    }
}

impl Serialize for PullPolicy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid_images() {
        let info = ImageInfo::of("nginx");
        assert_eq!(
            info.normalized.as_deref(),
            Some("docker.io/library/nginx:latest")
        );
        assert_eq!(info.default_pull_policy, PullPolicy::Always);

        let info = ImageInfo::of("Nginx");
        assert!(!info.valid);
        let error = info.error.unwrap();
        assert_eq!(error.kind, "repository_name_must_be_lowercase");
        assert_eq!(error.offset, 0);
    }
}
