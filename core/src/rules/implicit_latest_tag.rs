use crate::diagnostic::shown;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image with neither a tag nor a digest. A registry port is not a tag:
    /// `localhost:5000/app` has none.
    ///
    /// ## Why is this bad?
    /// The runtime pulls `:latest`, whatever image that tag names today, and the API server
    /// defaults `imagePullPolicy` to `Always` for it. Two replicas started a minute apart can
    /// run different code, and a rollback does not roll anything back.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   containers:
    ///   - name: redis
    ///     image: redis
    /// ```
    ///
    /// ## How to fix
    /// Pin a version tag, or better a digest.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   containers:
    ///   - name: redis
    ///     image: redis:7.2.4
    /// ```
    pub struct ImplicitLatestTag {
        code: "IMG102",
        name: "implicit-latest-tag",
        category: Images,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for ImplicitLatestTag {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let (Some(image), Some(reference)) = (check.image, check.valid_reference()) else {
            return;
        };
        if !reference.has_implicit_tag() {
            return;
        }
        let port = match reference.domain().rsplit_once(':') {
            Some((_, port)) if !reference.domain().ends_with(']') => {
                format!(" (`:{port}` is the registry's port)")
            }
            _ => String::new(),
        };
        ctx.report(
            image.span,
            format!(
                "image `{}` has no tag or digest{port}, so the runtime pulls `{}`",
                shown(&image.value),
                reference.normalized()
            ),
        )
        .help("pin a version tag or a digest; without one the default pull policy is `Always`")
        .path(check.image_path());
    }
}
