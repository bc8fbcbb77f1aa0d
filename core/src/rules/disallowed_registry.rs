use crate::diagnostic::shown;
use crate::keyring::registry::is_under_prefix;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// When `allowed_registries` is set, reports an image whose registry or repository is not
    /// under one of its entries. Matching is on the normalised reference, at host and
    /// path-segment boundaries: `ghcr.io/acme` allows `ghcr.io/acme/app`, never
    /// `ghcr.io/acme-evil/app` or `ghcr.io.evil.com/acme/app`; `nginx` is
    /// `docker.io/library/nginx`; hosts compare case-insensitively.
    ///
    /// ## Why is this bad?
    /// An image from an unexpected registry bypasses scanning, signing and provenance
    /// controls. Plain string prefixes (as in Gatekeeper's `k8sallowedrepos` or Trivy's
    /// KSV-0125) let `ghcr.io/acme-evil` pass for `ghcr.io/acme`; this rule does not.
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
    ///     image: registry.example.com.evil.io/web:1.4.2
    /// ```
    ///
    /// ## How to fix
    /// Use an image from an allowed registry (here `allowed_registries: [registry.example.com]`).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub struct DisallowedRegistry {
        code: "IMG307",
        name: "disallowed-registry",
        category: Registries,
        severity: Error,
        default: on,
        fix: false,
    }
}

impl Rule for DisallowedRegistry {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let allowed = &ctx.config().allowed_registries;
        if allowed.is_empty() {
            return;
        }
        let (Some(image), Some(name)) = (check.image, check.normalized_name()) else {
            return;
        };
        if allowed.iter().any(|prefix| is_under_prefix(name, prefix)) {
            return;
        }
        let list = allowed
            .iter()
            .map(|a| format!("`{}`", shown(a)))
            .collect::<Vec<_>>()
            .join(", ");
        // The normalised name explains why `nginx` is not under `registry.example.com`.
        let written = shown(&image.value);
        let normalized = if image.value.starts_with(name) {
            String::new()
        } else {
            format!(" (`{}`)", shown(name))
        };
        ctx.report(
            image.span,
            format!("image `{written}`{normalized} is not from an allowed registry"),
        )
        .help(format!("`allowed_registries` allows {list}"))
        .path(check.image_path());
    }
}
