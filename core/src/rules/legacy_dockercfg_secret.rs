use crate::keyring::docker_config::ConfigFormat;
use crate::manifest::model::Content;
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Secret of the legacy type `kubernetes.io/dockercfg`.
    ///
    /// ## Why is this bad?
    /// It still works, but it holds the pre-2015 `~/.dockercfg` layout, which current tools no
    /// longer write: it is easy to put `config.json` content in it by mistake (the kubelet then
    /// reads `auths` as a registry name and finds no credentials).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: kubernetes.io/dockercfg
    /// stringData:
    ///   .dockercfg: '{"registry.example.com": {"auth": "dXNlcjpwYXNz"}}'
    /// ```
    ///
    /// ## How to fix
    /// Use `kubernetes.io/dockerconfigjson` with the `auths` layout.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ```
    pub struct LegacyDockercfgSecret {
        code: "IMG309",
        name: "legacy-dockercfg-secret",
        category: Registries,
        severity: Info,
        default: on,
        fix: false,
    }
}

impl Rule for LegacyDockercfgSecret {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        let Content::Secret(secret) = &check.object.content else {
            return;
        };
        let Some(written) = &secret.secret_type else {
            return;
        };
        if ConfigFormat::from_secret_type(&written.value) != Some(ConfigFormat::DockerCfg) {
            return;
        }
        ctx.report(written.span, "legacy Secret type `kubernetes.io/dockercfg`")
            .help("use `kubernetes.io/dockerconfigjson` with the key `.dockerconfigjson` holding `{\"auths\": {...}}`, as `kubectl create secret docker-registry` writes it");
    }
}
