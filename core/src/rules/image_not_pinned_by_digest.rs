use crate::diagnostic::shown;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image without a digest. Off by default; when selected it reports at warning
    /// severity.
    ///
    /// ## Why is this bad?
    /// Any tag, not only `latest`, can be pushed again to point at another image. Only a digest
    /// names exactly one image, so only a digest makes every node run the same bytes and makes a
    /// deployment reproducible.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.0
    /// ```
    ///
    /// ## How to fix
    /// Append the digest the tag currently points to (`crane digest`, `docker buildx imagetools
    /// inspect`); keeping the tag is allowed and documents the version.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    /// ```
    pub struct ImageNotPinnedByDigest {
        code: "IMG104",
        name: "image-not-pinned-by-digest",
        category: Images,
        severity: Warning,
        default: off,
        fix: false,
    }
}

impl Rule for ImageNotPinnedByDigest {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let (Some(image), Some(reference)) = (check.image, check.valid_reference()) else {
            return;
        };
        if reference.digest().is_some() {
            return;
        }
        ctx.report(image.span, format!("image `{}` is not pinned by digest", shown(&image.value)))
            .help("append `@sha256:…` with the digest the tag points to; a tag can be moved to another image")
            .path(check.image_path());
    }
}
