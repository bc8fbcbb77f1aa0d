use crate::manifest::model::Content;
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a registry credential Secret (`kubernetes.io/dockerconfigjson` or
    /// `kubernetes.io/dockercfg`, referenced or not) whose content the kubelet cannot use: it
    /// lacks its key, its `data` is not valid base64, its content is not a docker config
    /// (`{"auths": {...}}` for `dockerconfigjson`, the bare map for `dockercfg`), or an `auth`
    /// is not base64 of `user:password`. `stringData` counts. Messages follow the API server's and kubelet's
    /// wording, and never quote the Secret's content.
    ///
    /// ## Why is this bad?
    /// The API server rejects a missing key or content that is not a JSON object, but it checks
    /// nothing else: a Secret with the legacy layout, no `auths`, or a broken `auth` is accepted
    /// and fails later on the node, where the kubelet cannot build credentials from it and every
    /// pull that uses it fails.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"registry.example.com": {"auth": "dXNlcjpwYXNz"}}'
    /// ```
    ///
    /// ## How to fix
    /// Put the registries under `auths`; `kubectl create secret docker-registry` writes a valid
    /// Secret.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ```
    pub struct InvalidDockerConfigSecret {
        code: "IMG304",
        name: "invalid-docker-config-secret",
        category: Registries,
        severity: Error,
        default: on,
        fix: false,
    }
}

impl Rule for InvalidDockerConfigSecret {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        let Content::Secret(secret) = &check.object.content else {
            return;
        };
        let Some(report) = &secret.docker_config else {
            return;
        };
        for problem in &report.problems {
            ctx.report(problem.span, problem.message.clone())
                .help(problem.help.clone());
        }
    }
}
