use crate::diagnostic::shown;
use crate::keyring::registry::CloudRegistry;
use crate::pull_secrets::Source;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image from a registry that is neither Docker Hub nor listed as public or
    /// node-authenticated (`trusted_registries`; `registry.k8s.io`, `mcr.microsoft.com` and
    /// `public.ecr.aws` are built in) when the pod has no pull secrets at all: none of its own,
    /// none from its ServiceAccount. For GCR / Artifact Registry, ECR and ACR the message
    /// points to node-level credentials instead.
    ///
    /// ## Why is this bad?
    /// Without credentials the pull is anonymous. A private registry answers `unauthorized`
    /// and the pod waits in `ImagePullBackOff`, unless the nodes authenticate on their own (a
    /// kubelet credential provider, a node-wide docker config).
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
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## How to fix
    /// Add a pull secret (to the pod or its ServiceAccount), or list the registry in
    /// `trusted_registries` when nodes authenticate to it themselves.
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
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub struct PrivateRegistryWithoutPullSecret {
        code: "IMG306",
        name: "private-registry-without-pull-secret",
        category: Registries,
        severity: Info,
        default: on,
        fix: false,
    }
}

impl Rule for PrivateRegistryWithoutPullSecret {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let Some((image, reference, _)) = check.private_image(&ctx.config().trusted_registries)
        else {
            return;
        };
        let secrets = check.pull_secrets;
        if secrets.named().next().is_some() {
            return;
        }
        let why = match secrets.source {
            Source::Pod => "the pod's `imagePullSecrets` has only empty names, which the kubelet skips and which keep its ServiceAccount's pull secrets out".to_owned(),
            Source::UnknownServiceAccount(account) => format!(
                "the pod has no pull secrets and its ServiceAccount `{account}` is not in the linted set"
            ),
            _ => "neither the pod nor its ServiceAccount has pull secrets".to_owned(),
        };
        let registry = reference.domain();
        let image_text = shown(&image.value);
        let (message, help) = match CloudRegistry::of_host(registry) {
            Some(cloud) => (
                format!(
                    "`{image_text}` is pulled from {cloud} without a pull secret ({why}); only node-level credentials can pull it: {}",
                    cloud.node_credentials()
                ),
                format!(
                    "add a pull secret for `{registry}`, or list it in `trusted_registries` if the nodes' credential provider covers it"
                ),
            ),
            None => (
                format!("`{image_text}` is pulled from `{registry}` without credentials: {why}"),
                format!(
                    "add a pull secret for `{registry}`, or list it in `trusted_registries` if it is public or the nodes authenticate to it"
                ),
            ),
        };
        ctx.report(image.span, message)
            .help(help)
            .path(check.image_path());
    }
}
