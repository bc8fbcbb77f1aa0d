//! The ServiceAccount admission plugin's handling of pull secrets
//! (`plugin/pkg/admission/serviceaccount/admission.go`): on CREATE, a pod that lists no
//! `imagePullSecrets` gets its ServiceAccount's, copied in order. A pod that lists any, even
//! one with an empty name, keeps exactly its own: the two lists are never merged.

/// The annotation that marks a mirror (static) pod, which the plugin never mutates.
pub const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The inputs of the plugin for one pod.
#[derive(Clone, Debug)]
pub struct PodAdmission<'a> {
    pub create: bool,
    pub namespace: &'a str,
    /// `spec.serviceAccountName`; empty means `default`.
    pub service_account_name: &'a str,
    pub pull_secrets: &'a [String],
    pub mirror: bool,
    /// With `LimitSecretReferences` or the ServiceAccount annotation
    /// `kubernetes.io/enforce-mountable-secrets: "true"`.
    pub enforce_mountable_secrets: bool,
}

/// The pod's `imagePullSecrets` after admission. `service_account` is the ServiceAccount's
/// list, or `None` if the ServiceAccount does not exist.
///
/// # Errors
/// The plugin's refusal, as the API server reports it.
pub fn admit(
    pod: &PodAdmission<'_>,
    service_account: Option<&[String]>,
) -> Result<Vec<String>, String> {
    if !pod.create || pod.mirror {
        return Ok(pod.pull_secrets.to_vec());
    }
    let name = if pod.service_account_name.is_empty() {
        "default"
    } else {
        pod.service_account_name
    };
    let Some(account) = service_account else {
        return Err(format!(
            "error looking up service account {}/{name}: serviceaccount {name:?} not found",
            pod.namespace
        ));
    };
    if pod.enforce_mountable_secrets {
        for (index, secret) in pod.pull_secrets.iter().enumerate() {
            if !account.contains(secret) {
                return Err(format!(
                    "imagePullSecrets[{index}].name={secret:?} is not allowed because service account {name} does not reference that imagePullSecret"
                ));
            }
        }
    }
    if pod.pull_secrets.is_empty() {
        return Ok(account.to_vec());
    }
    Ok(pod.pull_secrets.to_vec())
}
