use crate::diagnostic::Edit;
use crate::diagnostic::shown;
use crate::reference::{DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX};
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image that names no registry and so relies on the implicit `docker.io` (and,
    /// for single-component names, the implicit `library/` namespace). Off by default; when
    /// selected it reports at warning severity, with a fix that writes the fully qualified name.
    ///
    /// ## Why is this bad?
    /// What a short name means depends on the runtime's configuration: CRI-O and Podman can be
    /// set to search other registries first (short-name aliasing) or to refuse short names
    /// outright, and a registry mirror may resolve it elsewhere. A fully qualified name means
    /// the same thing on every node.
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
    /// Write the registry (and `library/` for official images); `--fix` does it.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: docker.io/library/nginx:1.27.0
    /// ```
    pub struct ShortImageName {
        code: "IMG106",
        name: "short-image-name",
        category: Images,
        severity: Warning,
        default: off,
        fix: true,
    }
}

impl Rule for ShortImageName {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let (Some(image), Some(reference)) = (check.image, check.valid_reference()) else {
            return;
        };
        if !reference.registry_is_implicit() {
            return;
        }
        let prefix = if reference.has_implied_library_prefix() {
            format!("{DEFAULT_DOMAIN}/{OFFICIAL_REPO_PREFIX}")
        } else {
            format!("{DEFAULT_DOMAIN}/")
        };
        let implied = if reference.has_implied_library_prefix() {
            "the implicit registry `docker.io` and namespace `library/`"
        } else {
            "the implicit registry `docker.io`"
        };
        let qualified = format!("{prefix}{}", image.value);
        let diagnostic = ctx
            .report(
                image.span,
                format!("image `{}` relies on {implied}", shown(&image.value)),
            )
            .help(format!(
                "write the fully qualified name `{}`",
                shown(&qualified)
            ))
            .path(check.image_path());
        if let Some(start) = image.inner_span(0, 0) {
            let edit = Edit {
                span: start,
                replacement: prefix,
            };
            diagnostic.fix(format!("qualify as `{}`", shown(&qualified)), vec![edit]);
        }
    }
}
