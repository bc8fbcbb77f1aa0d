//! What a file tells the rest of a run: the objects other files refer to (Secrets,
//! ServiceAccounts). A run reads every file once for these facts, builds the [`Index`] from
//! them, then lints file by file, so memory holds the facts, never all the files.
//!
//! [`Index`]: crate::index::Index

use std::sync::Arc;

use crate::admission::apiserver::ApiServerAdmission;
use crate::diagnostic::{Location, Snippet};
use crate::excerpt::Excerpt;
use crate::file::{FileAnalysis, namespace_of};
use crate::manifest::model::{Content, PullSecretList, TextValue};
pub use crate::prescan::may_have_facts;
use crate::source::Span;

/// A Secret, as pods in other files see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretFact {
    pub namespace: Box<str>,
    pub name: Box<str>,
    /// `type`, when written.
    pub secret_type: Option<Box<str>>,
    /// Its `metadata.name`.
    pub location: Location,
    /// For the two registry credential types with their key present: what the kubelet can use.
    pub docker_config: Option<DockerConfigFact>,
}

impl SecretFact {
    /// The type the API server sees (`Opaque` when unset).
    pub fn type_name(&self) -> &str {
        self.secret_type.as_deref().unwrap_or("Opaque")
    }
}

/// The part of a registry credential Secret that pods in other files need: no credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerConfigFact {
    /// The kubelet can build a keyring from it.
    pub usable: bool,
    /// Registry keys as the kubelet indexes them.
    pub registry_keys: Vec<Box<str>>,
}

/// A kube-apiserver defined in the run, and whether it runs AlwaysPullImages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiServerFact {
    pub always_pull_images: bool,
    /// The flag that decides it (or the command).
    pub location: Location,
}

/// A KubeletConfiguration, and whether it re-verifies credentials of cached images (KEP-2535).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletFact {
    /// An explicit `imagePullCredentialsVerificationPolicy` other than `NeverVerify`, with the
    /// feature gate not turned off.
    pub verifies_credentials: bool,
    pub location: Location,
}

/// A ServiceAccount: the pull secrets it gives to pods created with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceAccountFact {
    pub namespace: Box<str>,
    pub name: Box<str>,
    /// Its `imagePullSecrets` names with where each is written; `None` without the field.
    pub pull_secrets: Option<Vec<(Box<str>, Location)>>,
    pub location: Location,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub secrets: Vec<SecretFact>,
    pub service_accounts: Vec<ServiceAccountFact>,
    pub api_servers: Vec<ApiServerFact>,
    pub kubelets: Vec<KubeletFact>,
}

impl FileFacts {
    /// The facts of one read file; objects without the namespace are in `default_namespace`.
    pub fn collect(file: &FileAnalysis, default_namespace: &str) -> Self {
        let name: Arc<str> = file.name.as_str().into();
        let locate = |span| locate(file, &name, span);
        let mut facts = Self::default();
        for entry in &file.objects {
            let object = &entry.object;
            match &object.content {
                Content::Workload(pod) => {
                    for command in pod
                        .containers
                        .iter()
                        .filter_map(|c| c.kube_apiserver.as_ref())
                    {
                        let admission = ApiServerAdmission::of(command);
                        facts.api_servers.push(ApiServerFact {
                            always_pull_images: admission.always_pull_images(),
                            location: locate(admission.span),
                        });
                    }
                }
                Content::KubeletConfiguration(kubelet) => {
                    let policy = kubelet.verification_policy.as_ref();
                    let gate_off = kubelet
                        .ensure_secret_pulled_images
                        .as_ref()
                        .is_some_and(|gate| !gate.value);
                    let verifies =
                        policy.is_some_and(|p| verifies_credentials(&p.value)) && !gate_off;
                    facts.kubelets.push(KubeletFact {
                        verifies_credentials: verifies,
                        location: locate(policy.map_or(object.kind_span, |p| p.span)),
                    });
                }
                _ => {}
            }
            let Some(object_name) = &object.name else {
                continue;
            };
            let namespace: Box<str> = namespace_of(entry, default_namespace).into();
            match &object.content {
                Content::Secret(secret) => {
                    // Without its key, the Secret gives the kubelet nothing to read.
                    let docker_config = secret
                        .docker_config
                        .as_ref()
                        .filter(|report| report.has_key);
                    facts.secrets.push(SecretFact {
                        namespace,
                        name: object_name.value.clone(),
                        secret_type: secret.secret_type.as_ref().map(|t| t.value.clone()),
                        location: locate(object_name.span),
                        docker_config: docker_config.map(|report| DockerConfigFact {
                            usable: report.usable,
                            registry_keys: report.registry_keys.clone(),
                        }),
                    });
                }
                Content::ServiceAccount(account) => {
                    let pull_secrets = account
                        .image_pull_secrets
                        .as_ref()
                        .map(|list| pull_secret_names(list, &locate));
                    facts.service_accounts.push(ServiceAccountFact {
                        namespace,
                        name: object_name.value.clone(),
                        pull_secrets,
                        location: locate(object_name.span),
                    });
                }
                _ => {}
            }
        }
        facts
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
            && self.service_accounts.is_empty()
            && self.api_servers.is_empty()
            && self.kubelets.is_empty()
    }
}

/// KEP-2535 policies that re-verify credentials for images the kubelet pulled.
pub fn verifies_credentials(policy: &str) -> bool {
    matches!(
        policy,
        "AlwaysVerify" | "NeverVerifyPreloadedImages" | "NeverVerifyAllowlistedImages"
    )
}

fn pull_secret_names(
    list: &PullSecretList,
    locate: &impl Fn(Span) -> Location,
) -> Vec<(Box<str>, Location)> {
    list.entries
        .iter()
        .map(|entry| {
            let span = entry
                .name
                .as_ref()
                .map_or(entry.span, |name: &TextValue| name.span);
            (entry.name().into(), locate(span))
        })
        .collect()
}

/// A span of `file` with its position and the lines around it (Secret values masked). Public
/// for faces that point a label into a file they read themselves (the CLI's Kustomize mapping).
pub fn locate(file: &FileAnalysis, name: &Arc<str>, span: Span) -> Location {
    Location {
        file: Arc::clone(name),
        span,
        start: file.line_column(span.start),
        end: file.line_column(span.end),
        snippet: file.text().map(|text| snippet(file, text, span)),
    }
}

/// Up to two lines before and after the span, Secret values masked, long lines cut around
/// the span: it is copied into every finding that points at it, and a file may have a
/// location on every entry of a megabyte line.
fn snippet(file: &FileAnalysis, text: &str, span: Span) -> Snippet {
    const CONTEXT: usize = 2;
    let mut excerpt = Excerpt::new(text, file.line_index(), &[span], CONTEXT);
    excerpt.mask(&file.redactions);
    Snippet {
        span: excerpt.span(span),
        offset: crate::source::to_u32(excerpt.offset),
        text: excerpt.text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_secrets_and_service_accounts() {
        let text = "kind: Secret\nmetadata: {name: reg, namespace: team}\ntype: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: c2VjcmV0}\n---\nkind: ServiceAccount\nmetadata: {name: default}\nimagePullSecrets: [{name: reg}]\n";
        assert!(may_have_facts(text.as_bytes()));
        let file = FileAnalysis::read_text("a.yaml", text, true);
        let facts = FileFacts::collect(&file, "default");
        assert_eq!(&*facts.secrets[0].namespace, "team");
        assert_eq!(facts.secrets[0].location.start.line, 2);
        let snippet = facts.secrets[0].location.snippet.as_ref().unwrap();
        assert!(
            !snippet.text.contains("c2VjcmV0"),
            "Secret values never travel: {}",
            snippet.text
        );
        let account = &facts.service_accounts[0];
        assert_eq!(&*account.namespace, "default");
        assert_eq!(&*account.pull_secrets.as_ref().unwrap()[0].0, "reg");
    }
}
