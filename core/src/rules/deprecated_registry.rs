use crate::diagnostic::{Edit, shown};
use crate::keyring::registry::moved_image;
use crate::reference::parse_normalized;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image from a frozen or deprecated registry (`k8s.gcr.io`,
    /// `gcr.io/google-containers`, or a prefix listed in `deprecated_registries`), with a fix
    /// that pulls the same image from the registry that replaced it. The built-in ones, and
    /// `gcr.io/google_containers` (GCR's old spelling), move to `registry.k8s.io`; the fix keeps
    /// the repository path, tag and digest (`k8s.gcr.io/pause:3.1` →
    /// `registry.k8s.io/pause:3.1`). Prefixes match at host and path-segment boundaries, as in
    /// `allowed_registries` (`gcr.io/google-containers` does not cover
    /// `gcr.io/google-containers-mirror`); the most specific one wins, the config's on a tie.
    ///
    /// ## Why is this bad?
    /// The Kubernetes project froze `k8s.gcr.io` on 3 April 2023: no image is pushed to it
    /// since, not even Kubernetes patch releases, and since 20 March 2023 its pulls are
    /// redirected to `registry.k8s.io`, a stopgap until the old name is phased out
    /// (<https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/>,
    /// <https://kubernetes.io/blog/2023/03/10/image-registry-redirect/>, KEP-3720). Nodes or
    /// proxies that allow only the old name already fail to pull. Every image is still there
    /// under the new name: `k8s.gcr.io` was a vanity name of `gcr.io/google-containers`, whose
    /// images were all copied, under the same paths, into the registry the name was then
    /// flipped to (kubernetes/k8s.io `k8s.gcr.io/Vanity-Domain-Flip.md`; its `legacy-backfill`
    /// manifests hold "the totality of images in gcr.io/google-containers"), and that registry
    /// is what `registry.k8s.io` serves, the redirect included. `gcr.io/google_containers` is
    /// GCR's alias of `gcr.io/google-containers` (kubernetes/kubernetes#48956);
    /// kubernetes-sigs/community-images flags both spellings and `k8s.gcr.io` as outdated, and
    /// Kyverno's `restrict-deprecated-registry` policy rejects `k8s.gcr.io`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: sandbox
    /// spec:
    ///   containers:
    ///   - name: pause
    ///     image: k8s.gcr.io/pause:3.1
    /// ```
    ///
    /// ## How to fix
    /// Pull the same image from the registry that replaced the old one (the fix does it).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: sandbox
    /// spec:
    ///   containers:
    ///   - name: pause
    ///     image: registry.k8s.io/pause:3.1
    /// ```
    /// Other registries that moved can be added in the config, each mapped to its replacement
    /// (which must not be deprecated itself):
    /// ```text
    /// deprecated_registries:
    ///   registry.old.example.com: registry.example.com
    ///   ghcr.io/acme-legacy: ghcr.io/acme
    /// ```
    pub struct DeprecatedRegistry {
        code: "IMG107",
        name: "deprecated-registry",
        category: Images,
        severity: Warning,
        default: on,
        fix: true,
    }
}

impl Rule for DeprecatedRegistry {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let (Some(image), Some(reference), Some(name)) = (
            check.image,
            check.valid_reference(),
            check.normalized_name(),
        ) else {
            return;
        };
        let Some(moved) = moved_image(name, &ctx.config().deprecated_registries) else {
            return;
        };
        // The name as written ends where its path does; the tag and digest follow unchanged.
        let name_end = reference.path_span().end as usize;
        let replacement = format!("{}{}", moved.name, &image.value[name_end..]);
        // Certain only when the new reference is valid and moves no further (the config refuses
        // replacements under a deprecated prefix; this guards what reaches the rule otherwise).
        let deprecated = &ctx.config().deprecated_registries;
        let settled = parse_normalized(&replacement)
            .is_ok_and(|new| moved_image(&new.name().to_string(), deprecated).is_none());
        let edit = image
            .inner_span(0, name_end)
            .filter(|_| settled)
            .map(|span| Edit {
                span,
                replacement: moved.name.clone(),
            });
        let diagnostic = ctx
            .report(
                image.span,
                format!(
                    "image `{}` comes from the deprecated registry `{}`",
                    shown(&image.value),
                    shown(moved.old)
                ),
            )
            .help(format!(
                "pull it from `{}`: `{}`",
                shown(moved.new),
                shown(&replacement)
            ))
            .path(check.image_path());
        if let Some(edit) = edit {
            diagnostic.fix(format!("pull `{}`", shown(&replacement)), vec![edit]);
        }
    }
}
