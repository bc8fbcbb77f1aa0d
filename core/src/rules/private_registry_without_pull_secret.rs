use crate::diagnostic::shown;
use crate::keyring::registry::CloudRegistry;
use crate::pull_secrets::Source;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an image from a registry that is neither Docker Hub nor public by design nor
    /// listed in `trusted_registries` when the pod has no pull secrets at all: none of its own,
    /// none from its ServiceAccount. The pull is then anonymous, and imglint cannot know whether
    /// the repository is public, so the message says what it knows: the pull works only if it
    /// is. For GCR / Artifact Registry, ECR and ACR it adds the other way, credentials the nodes
    /// get themselves (a kubelet credential provider).
    ///
    /// `trusted_registries` takes registries and repository prefixes (`gcr.io/acme`), matched
    /// at host and path-segment boundaries as in `allowed_registries` (`gcr.io/acme` does not
    /// cover `gcr.io/acme-evil`). Built in, as public by design and widely used:
    /// - `registry.k8s.io`, the Kubernetes project's registry
    ///   (<https://github.com/kubernetes/registry.k8s.io>), and the frozen names it replaced,
    ///   `k8s.gcr.io` and `gcr.io/google-containers` (IMG107);
    /// - `mcr.microsoft.com` (Microsoft Artifact Registry) and `public.ecr.aws` (Amazon ECR
    ///   Public), public registries by definition;
    /// - `gcr.io/google-samples` and `us-docker.pkg.dev/google-samples`, Google's sample images,
    ///   which the Kubernetes tutorials (`gcr.io/google-samples/cassandra:v13` in
    ///   kubernetes/website's `cassandra-statefulset.yaml`) and GKE's quickstarts
    ///   (`us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0`) pull on any cluster
    ///   without credentials;
    /// - `gcr.io/distroless`, the distroless images published for anyone to build on
    ///   (<https://github.com/GoogleContainerTools/distroless>).
    ///
    /// `quay.io` and `ghcr.io` are not built in: they host private repositories as well as
    /// public ones (Quay's API creates private repositories, GitHub packages can be private),
    /// and nothing in a reference tells them apart; list your public ones in
    /// `trusted_registries`.
    ///
    /// ## Why is this bad?
    /// Without credentials the pull is anonymous. A private repository answers `unauthorized`
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
        // Whether the repository is public cannot be known from the manifest: the message says
        // when the pull works, not that it fails.
        let (message, help) = match CloudRegistry::of_host(registry) {
            Some(cloud) => (
                format!(
                    "`{image_text}` is pulled from {cloud} without a pull secret ({why}); the pull works only if the repository is public or the nodes authenticate with {}",
                    cloud.node_credentials()
                ),
                format!(
                    "add a pull secret for `{registry}`, or list the registry or repository in `trusted_registries` if it is public or the nodes' credential provider covers it"
                ),
            ),
            None => (
                format!(
                    "`{image_text}` is pulled from `{registry}` without credentials ({why}); the pull works only if the repository is public"
                ),
                format!(
                    "add a pull secret for `{registry}`, or list the registry or repository in `trusted_registries` if it is public or the nodes authenticate to it"
                ),
            ),
        };
        ctx.report(image.span, message)
            .help(help)
            .path(check.image_path());
    }
}
