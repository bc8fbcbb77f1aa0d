//! The ServiceAccount admission plugin's handling of pull secrets
//! (`plugin/pkg/admission/serviceaccount/admission.go`): on CREATE, a pod that lists no
//! `imagePullSecrets` gets its ServiceAccount's, copied in order. A pod that lists any, even
//! one with an empty name, keeps exactly its own: the two lists are never merged.
//!
//! The linter resolves every pod's pull secrets through [`admit`] (`PullSecrets::of`), and the
//! conformance vectors run through it too.

/// The inputs of the plugin for one pod. `N` is whatever holds an `imagePullSecrets` entry.
#[derive(Clone, Debug)]
pub struct PodAdmission<'a, N> {
    pub create: bool,
    pub namespace: &'a str,
    /// `spec.serviceAccountName`; empty means `default`.
    pub service_account_name: &'a str,
    pub pull_secrets: &'a [N],
    /// A mirror (static) pod (annotation `kubernetes.io/config.mirror`), which the plugin
    /// never mutates.
    pub mirror: bool,
    /// With `LimitSecretReferences` or the ServiceAccount annotation
    /// `kubernetes.io/enforce-mountable-secrets: "true"`.
    pub enforce_mountable_secrets: bool,
}

/// A ServiceAccount as the plugin reads it.
pub trait ServiceAccount {
    /// Whether its `imagePullSecrets` name `secret`.
    fn references(&self, secret: &str) -> bool;
}

/// Whose `imagePullSecrets` the pod has after admission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admitted<A> {
    /// Its own list (it lists some, or the plugin does not act on the request).
    Own,
    /// Its ServiceAccount's, copied in.
    ServiceAccount(A),
}

/// The ServiceAccount a pod runs as: `spec.serviceAccountName`, `default` when empty.
pub fn service_account_name(written: &str) -> &str {
    if written.is_empty() {
        "default"
    } else {
        written
    }
}

/// Whose `imagePullSecrets` the pod ends up with. `lookup` finds the pod's ServiceAccount by
/// name in its namespace (`None`: it does not exist).
///
/// # Errors
/// The plugin's refusal, as the API server reports it.
pub fn admit<N: AsRef<str>, A: ServiceAccount>(
    pod: &PodAdmission<'_, N>,
    lookup: impl FnOnce(&str) -> Option<A>,
) -> Result<Admitted<A>, String> {
    if !pod.create || pod.mirror {
        return Ok(Admitted::Own);
    }
    let name = service_account_name(pod.service_account_name);
    let Some(account) = lookup(name) else {
        return Err(format!(
            "error looking up service account {}/{name}: serviceaccount {name:?} not found",
            pod.namespace
        ));
    };
    if pod.enforce_mountable_secrets {
        for (index, secret) in pod.pull_secrets.iter().enumerate() {
            let secret = secret.as_ref();
            if !account.references(secret) {
                return Err(format!(
                    "imagePullSecrets[{index}].name={secret:?} is not allowed because service account {name} does not reference that imagePullSecret"
                ));
            }
        }
    }
    if pod.pull_secrets.is_empty() {
        return Ok(Admitted::ServiceAccount(account));
    }
    Ok(Admitted::Own)
}
