use crate::diagnostic::shown;
use crate::reference::DEFAULT_TAG;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image whose tag is `latest` and that has no digest.
    ///
    /// ## Why is this bad?
    /// `latest` is an ordinary tag that moves with every push. What runs depends on when each
    /// node pulled, and the API server defaults `imagePullPolicy` to `Always` for it, so every
    /// container start depends on the registry being reachable.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:latest
    /// ```
    ///
    /// ## How to fix
    /// Pin a version tag or a digest.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27.0
    /// ```
    pub struct LatestTag {
        code: "IMG103",
        name: "latest-tag",
        category: Images,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for LatestTag {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let (Some(image), Some(reference)) = (check.image, check.valid_reference()) else {
            return;
        };
        if reference.tag() != Some(DEFAULT_TAG) || reference.digest().is_some() {
            return;
        }
        let diagnostic = ctx
            .report(
                image.span,
                format!(
                    "image `{}` uses the mutable tag `latest`",
                    shown(&image.value)
                ),
            )
            .help("pin a version tag or a digest")
            .path(check.image_path());
        if let Some(tag) = reference.tag_span() {
            diagnostic.label(
                check.image_inner_span(image, tag.range().start, tag.range().end),
                "moves with every push",
            );
        }
    }
}
