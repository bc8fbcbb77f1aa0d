use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a pull secret that the linted set defines only in other namespaces than the
    /// pod's.
    ///
    /// ## Why is this bad?
    /// `imagePullSecrets` entries have no namespace: the kubelet always reads the Secret from the
    /// pod's own namespace. A Secret in `build` cannot serve a pod in `web`; the pull goes out
    /// without it and a private image fails with `ImagePullBackOff`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    ///   namespace: build
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## How to fix
    /// Create the Secret in the pod's namespace too.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    ///   namespace: web
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub struct PullSecretInOtherNamespace {
        code: "IMG302",
        name: "pull-secret-in-other-namespace",
        category: Registries,
        severity: Error,
        default: on,
        fix: false,
    }
}

impl Rule for PullSecretInOtherNamespace {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        for at in check
            .named_pull_secrets()
            .filter(|at| at.secret.secret.is_none())
        {
            let secret = at.secret;
            let namespaces = ctx.index().secret_namespaces(secret.name);
            let Some(&elsewhere) = namespaces.first() else {
                continue;
            };
            let namespace = check.namespace;
            let listed = namespaces
                .iter()
                .map(|ns| format!("`{ns}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let message = format!(
                "pull secret `{}` exists only in namespace {listed}, not in the pod's namespace `{namespace}`",
                secret.name
            );
            let file = ctx.file_name();
            let other = ctx
                .index()
                .secrets(elsewhere, secret.name)
                .first()
                .map(|fact| fact.location.clone());
            let diagnostic = ctx.report_pull_secret(at, message);
            diagnostic.help(format!(
                "pods can only use Secrets of their own namespace: the kubelet reads `{namespace}/{}`; create it there",
                secret.name
            ));
            if let Some(location) = other {
                Context::label_at(
                    diagnostic,
                    file,
                    &location,
                    format!("this Secret is in namespace `{elsewhere}`"),
                );
            }
        }
    }
}
