use crate::diagnostic::shown;
use crate::reference::DEFAULT_TAG;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image with both a tag and a digest (`nginx:1.27@sha256:…`).
    ///
    /// ## Why is this bad?
    /// It is not wrong, but it is easy to misread: the runtime pulls the digest and ignores the
    /// tag, so the tag can claim a version the image is not. And because Kubernetes defaults the
    /// pull policy from the tag, `:latest@sha256:…` still defaults to `Always`.
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
    ///     image: nginx:latest@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    /// ```
    ///
    /// ## How to fix
    /// Keep only the digest, or keep the tag as documentation knowing that it is only a label.
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
    pub struct TagAndDigest {
        code: "IMG105",
        name: "tag-and-digest",
        category: Images,
        severity: Info,
        default: on,
        fix: false,
    }
}

impl Rule for TagAndDigest {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let (Some(image), Some(reference)) = (check.image, check.valid_reference()) else {
            return;
        };
        let (Some(tag), Some(tag_span), Some(_)) =
            (reference.tag(), reference.tag_span(), reference.digest())
        else {
            return;
        };
        let latest = if tag == DEFAULT_TAG {
            ", and the `latest` tag still makes the default pull policy `Always`"
        } else {
            ""
        };
        ctx.report(
            image.span,
            format!(
                "image `{}` has both a tag and a digest: the digest decides what runs{latest}",
                shown(&image.value)
            ),
        )
        .label(
            check.image_inner_span(image, tag_span.range().start, tag_span.range().end),
            "ignored when pulling",
        )
        .help("keep only the digest, or keep the tag knowing that it is only a label")
        .path(check.image_path());
    }
}
