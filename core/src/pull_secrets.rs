//! A pod's pull secrets as the cluster resolves them.
//!
//! The ServiceAccount admission plugin copies the ServiceAccount's `imagePullSecrets` into a
//! pod that lists none, when the pod is created; a pod that lists any (even one with an empty
//! name) keeps exactly its own. The kubelet then reads each name from the pod's namespace.
//! Templates (Deployments, Jobs, …) produce pods that go through the same admission.

use std::cell::OnceCell;

use crate::admission::service_account::{self, Admitted, PodAdmission, ServiceAccount};
use crate::diagnostic::Location;
use crate::facts::{SecretFact, ServiceAccountFact};
use crate::index::Index;
use crate::keyring::Keyring;
use crate::manifest::model::{PodSpec, PullSecretRef};
use crate::source::Span;

/// Where a name is written.
#[derive(Clone, Copy, Debug)]
pub enum WrittenAt<'a> {
    /// In the pod's own `imagePullSecrets` (this file).
    Pod(Span),
    /// In its ServiceAccount's (maybe another file).
    ServiceAccount(&'a Location),
}

/// One pull secret name of a pod and what it resolves to.
#[derive(Clone, Debug)]
pub struct PullSecret<'a> {
    pub name: &'a str,
    pub written: WrittenAt<'a>,
    /// The Secret of that name in the pod's namespace, if the run defines one.
    pub secret: Option<&'a SecretFact>,
}

/// A pod's ServiceAccount as the run knows it.
#[derive(Clone, Copy, Debug)]
enum Account<'a> {
    InRun(&'a ServiceAccountFact),
    /// Not defined in the linted set: its list is unknown.
    NotInRun,
}

impl ServiceAccount for Account<'_> {
    fn references(&self, secret: &str) -> bool {
        match self {
            Self::InRun(account) => account
                .pull_secrets
                .iter()
                .flatten()
                .any(|(name, _)| &**name == secret),
            Self::NotInRun => true,
        }
    }
}

/// An `imagePullSecrets` entry as the admission plugin reads it: its name, empty when unset.
impl AsRef<str> for PullSecretRef {
    fn as_ref(&self) -> &str {
        self.name()
    }
}

/// Where a pod's list comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// The pod lists pull secrets itself.
    Pod,
    /// Copied from its ServiceAccount, which the run defines.
    ServiceAccount(&'a ServiceAccountFact),
    /// The pod lists none and its ServiceAccount (named here) is not in the run.
    UnknownServiceAccount(&'a str),
}

#[derive(Clone, Debug)]
pub struct PullSecrets<'a> {
    pub source: Source<'a>,
    pub secrets: Vec<PullSecret<'a>>,
    /// Built on first use, then shared by every image of the pod.
    keyring: OnceCell<CredentialKeyring>,
}

/// The keyring the kubelet builds from a pod's pull secrets: the registry keys of each usable
/// credential Secret (one the kubelet cannot decode gives none: that is IMG304's finding),
/// labelled with the Secret's index in [`PullSecrets::secrets`] (no borrow, so that caching it
/// keeps `PullSecrets` covariant).
#[derive(Clone, Debug, Default)]
pub struct CredentialKeyring {
    pub keyring: Keyring<usize>,
    /// The Secrets that gave keys, in list order, each name once (a name listed twice is
    /// IMG308's finding), as indexes into [`PullSecrets::secrets`].
    pub visible: Vec<usize>,
}

impl<'a> PullSecrets<'a> {
    /// Resolves the pull secrets of `pod` in `namespace`, as the ServiceAccount admission
    /// plugin does when the pod is created ([`service_account::admit`]). Every ServiceAccount is
    /// taken to exist: one the run does not define may still be in the cluster.
    pub fn of(pod: &'a PodSpec, namespace: &str, index: &'a Index) -> Self {
        let find = |name: &str| index.secrets(namespace, name).first();
        let own = pod
            .image_pull_secrets
            .as_ref()
            .map_or(&[][..], |list| &list.entries[..]);
        let written = pod
            .service_account_name
            .as_ref()
            .map_or("", |name| &*name.value);
        let admission = PodAdmission {
            create: true,
            namespace,
            service_account_name: written,
            pull_secrets: own,
            mirror: false,
            enforce_mountable_secrets: false,
        };
        let lookup = |name: &str| {
            Some(match index.service_accounts(namespace, name).first() {
                Some(account) => Account::InRun(account),
                None => Account::NotInRun,
            })
        };
        // `admit` cannot refuse here: every ServiceAccount is found, and mountable secrets are
        // not enforced (the pod's own list stands then, as for `Own`).
        let (source, secrets) = match service_account::admit(&admission, lookup) {
            Ok(Admitted::Own) | Err(_) => {
                let secrets = own
                    .iter()
                    .map(|entry| {
                        let span = entry.name.as_ref().map_or(entry.span, |name| name.span);
                        PullSecret {
                            name: entry.name(),
                            written: WrittenAt::Pod(span),
                            secret: find(entry.name()),
                        }
                    })
                    .collect();
                (Source::Pod, secrets)
            }
            Ok(Admitted::ServiceAccount(Account::InRun(account))) => {
                let secrets = account
                    .pull_secrets
                    .iter()
                    .flatten()
                    .map(|(name, location)| PullSecret {
                        name,
                        written: WrittenAt::ServiceAccount(location),
                        secret: find(name),
                    })
                    .collect();
                (Source::ServiceAccount(account), secrets)
            }
            Ok(Admitted::ServiceAccount(Account::NotInRun)) => (
                Source::UnknownServiceAccount(service_account::service_account_name(written)),
                Vec::new(),
            ),
        };
        Self {
            source,
            secrets,
            keyring: OnceCell::new(),
        }
    }

    /// Names the kubelet looks up (empty names are skipped).
    pub fn named(&self) -> impl Iterator<Item = &PullSecret<'a>> {
        self.secrets.iter().filter(|secret| !secret.name.is_empty())
    }

    /// The pod's credential keyring, built once for all its images.
    pub fn credential_keyring(&self) -> &CredentialKeyring {
        self.keyring.get_or_init(|| {
            let mut built = CredentialKeyring::default();
            for (at, secret) in self.secrets.iter().enumerate() {
                if secret.name.is_empty() {
                    continue;
                }
                let Some(config) = secret
                    .secret
                    .and_then(|fact| fact.docker_config.as_ref())
                    .filter(|config| config.usable)
                else {
                    continue;
                };
                if built
                    .visible
                    .iter()
                    .any(|&seen| self.secrets[seen].name == secret.name)
                {
                    continue;
                }
                built.visible.push(at);
                for key in &config.registry_keys {
                    built.keyring.add_index_key(key.to_string(), at);
                }
            }
            built
        })
    }

    /// "the pod's `imagePullSecrets`" or "ServiceAccount `builder`".
    pub fn describe_source(&self) -> String {
        match self.source {
            Source::Pod => "its `imagePullSecrets`".to_owned(),
            Source::ServiceAccount(account) => format!("its ServiceAccount `{}`", account.name),
            Source::UnknownServiceAccount(name) => {
                format!("its ServiceAccount `{name}` (not in the linted set)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FileFacts;
    use crate::file::FileAnalysis;
    use crate::manifest::model::Content;

    fn pod_and_index(text: &str) -> (FileAnalysis, Index) {
        let file = FileAnalysis::read_text("f.yaml", text, true);
        let mut index = Index::default();
        index.add(FileFacts::collect(&file, "default"));
        (file, index)
    }

    #[test]
    fn service_account_secrets_only_when_the_pod_has_none() {
        let text = "kind: ServiceAccount\nmetadata: {name: default}\nimagePullSecrets: [{name: from-sa}]\n---\nkind: Secret\nmetadata: {name: from-sa}\ntype: kubernetes.io/dockerconfigjson\n---\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{image: x}]}\n---\nkind: Pod\nmetadata: {name: b}\nspec: {imagePullSecrets: [{name: ''}], containers: [{image: x}]}\n";
        let (file, index) = pod_and_index(text);
        let pods: Vec<&PodSpec> = file
            .objects
            .iter()
            .filter_map(|e| match &e.object.content {
                Content::Workload(pod) => Some(pod),
                _ => None,
            })
            .collect();
        let a = PullSecrets::of(pods[0], "default", &index);
        assert!(matches!(a.source, Source::ServiceAccount(_)));
        assert_eq!(a.secrets[0].name, "from-sa");
        assert!(a.secrets[0].secret.is_some());
        let b = PullSecrets::of(pods[1], "default", &index);
        assert!(
            matches!(b.source, Source::Pod),
            "an empty name still blocks the copy"
        );
        assert_eq!(b.named().count(), 0);
    }
}
