use crate::config::SecretsCompleteness;
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a pull secret that no Secret of the pod's namespace in the linted set provides.
    /// Runs only when the config says the set is complete (`secrets: complete`), since pull
    /// secrets are often created out of band. A name that exists in another namespace is
    /// IMG302 instead.
    ///
    /// ## Why is this bad?
    /// The kubelet skips a missing Secret with a `FailedToRetrieveImagePullSecret` event ("Unable
    /// to retrieve some image pull secrets") and pulls without it; a private image then fails
    /// with `ErrImagePull` / `ImagePullBackOff`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/shop/api:2.1.0
    /// ```
    ///
    /// ## How to fix
    /// Add the Secret to the set (or fix the name).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    ///   namespace: shop
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/shop/api:2.1.0
    /// ```
    pub struct PullSecretNotFound {
        code: "IMG301",
        name: "pull-secret-not-found",
        category: Registries,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for PullSecretNotFound {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        if ctx.config().secrets != SecretsCompleteness::Complete {
            return;
        }
        for at in check
            .named_pull_secrets()
            .filter(|at| at.secret.secret.is_none())
        {
            let secret = at.secret;
            if !ctx.index().secret_namespaces(secret.name).is_empty() {
                continue; // defined elsewhere: IMG302
            }
            let namespace = check.namespace;
            let message = format!(
                "pull secret `{}` is not in namespace `{namespace}` in the linted set",
                secret.name
            );
            let help = format!(
                "the kubelet skips it (`FailedToRetrieveImagePullSecret`) and pulls without it; create `{namespace}/{}` or fix the name",
                secret.name
            );
            ctx.report_pull_secret(at, message).help(help);
        }
    }
}
