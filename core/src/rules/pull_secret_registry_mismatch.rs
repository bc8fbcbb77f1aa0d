use crate::diagnostic::shown;
use crate::pull_secrets::{CredentialKeyring, PullSecret};
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image that none of the pod's pull secrets has credentials for, under the
    /// kubelet's keyring rules: the scheme is ignored, ports must be equal, `*` matches within
    /// one host label, a key's path is a prefix of the repository, and Docker Hub keys
    /// (`https://index.docker.io/v1/`) serve Docker Hub images. Only pull secrets visible in the
    /// linted set count. Images from Docker Hub, from the registries and repositories that are
    /// public by design (IMG306 lists them: `registry.k8s.io`, `gcr.io/distroless`, …) and from
    /// `trusted_registries` are skipped: a pod that pulls `busybox` next to its private images
    /// is normal.
    ///
    /// ## Why is this bad?
    /// The kubelet offers no credentials for the image and pulls it anonymously; a private
    /// registry answers `unauthorized` and the container waits in `ImagePullBackOff`. A key
    /// written for `registry.example.com` does not cover `registry.example.com:5000`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com:5000/web:1.4.2
    /// ```
    ///
    /// ## How to fix
    /// Add credentials for the image's registry (with its port), or fix the image.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com:5000": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com:5000/web:1.4.2
    /// ```
    pub struct PullSecretRegistryMismatch {
        code: "IMG305",
        name: "pull-secret-registry-mismatch",
        category: Registries,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for PullSecretRegistryMismatch {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let Some((image, reference, name)) = check.private_image(&ctx.config().trusted_registries)
        else {
            return;
        };
        let secrets = check.pull_secrets;
        let CredentialKeyring { keyring, visible } = secrets.credential_keyring();
        let visible: Vec<&PullSecret<'_>> =
            visible.iter().map(|&at| &secrets.secrets[at]).collect();
        if visible.is_empty() || !keyring.lookup(name).credentials.is_empty() {
            return;
        }
        let names = visible
            .iter()
            .map(|s| format!("`{}`", s.name))
            .collect::<Vec<_>>()
            .join(", ");
        let file = ctx.file_name();
        let locations: Vec<_> = visible
            .iter()
            .filter_map(|s| s.secret.map(|fact| fact.location.clone()))
            .collect();
        let diagnostic = ctx.report(
            image.span,
            format!(
                "no credentials for `{}` in pull secret{} {names}",
                shown(name),
                if visible.len() == 1 { "" } else { "s" }
            ),
        );
        let domain = reference.domain();
        let port = if domain.contains(':') {
            " (port included)"
        } else {
            ""
        };
        diagnostic
            .help(format!(
                "the kubelet pulls `{}` without credentials; add credentials for `{domain}`{port} to a pull secret",
                shown(&image.value),
            ))
            .path(check.image_path());
        for location in locations.iter().take(3) {
            Context::label_at(diagnostic, file, location, format!("no key for `{domain}`"));
        }
    }
}
