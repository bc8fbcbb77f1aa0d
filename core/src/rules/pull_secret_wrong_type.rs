use crate::keyring::docker_config::ConfigFormat;
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a pull secret whose Secret is not of type `kubernetes.io/dockerconfigjson` or
    /// `kubernetes.io/dockercfg` (an `Opaque` Secret holding a `.dockerconfigjson` key, for
    /// example).
    ///
    /// ## Why is this bad?
    /// The kubelet only builds credentials from Secrets of those two types; it silently ignores
    /// any other, whatever its keys hold, so the pull goes out without credentials.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: Opaque
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
    ///
    /// ## How to fix
    /// Use the registry credential type (`kubectl create secret docker-registry` does).
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
    pub struct PullSecretWrongType {
        code: "IMG303",
        name: "pull-secret-wrong-type",
        category: Registries,
        severity: Error,
        default: on,
        fix: false,
    }
}

impl Rule for PullSecretWrongType {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        for at in check.named_pull_secrets() {
            let secret = at.secret;
            let Some(fact) = secret.secret else { continue };
            if ConfigFormat::from_secret_type(fact.type_name()).is_some() {
                continue;
            }
            let file = ctx.file_name();
            let diagnostic = ctx.report_pull_secret(
                at,
                format!(
                    "pull secret `{}` is of type `{}`, which the kubelet ignores",
                    secret.name,
                    fact.type_name()
                ),
            );
            diagnostic.help(
                "the kubelet only uses `kubernetes.io/dockerconfigjson` (key `.dockerconfigjson`) and `kubernetes.io/dockercfg` (key `.dockercfg`) Secrets",
            );
            Context::label_at(
                diagnostic,
                file,
                &fact.location,
                format!("`{}` Secret", fact.type_name()),
            );
        }
    }
}
