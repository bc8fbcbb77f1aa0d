//! The AlwaysPullImages admission plugin (`plugin/pkg/admission/alwayspullimages`): every
//! container of every kind and every image volume of a pod gets `imagePullPolicy: Always`
//! (`Admit`), and validation refuses a pod where one does not have it (`Validate`).
//!
//! [`always_pull`] is that mutation on a pod spec as JSON. The Kubewarden policy's mutating
//! mode calls it on the pod spec of any pod-bearing object (`wasm/policy/src/mutate.rs`), and
//! the conformance vectors of both `Admit` and `Validate` run through it
//! (`core/tests/conformance_admission.rs`, which also holds the request filter: the plugin acts
//! on pod CREATE and UPDATE without a subresource, an UPDATE only when it brings new images).

use serde_json::{Map, Value};

const ALWAYS: &str = "Always";

/// One pull policy that was not `Always`, as `Validate` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyChange {
    /// The holder's path: `spec.initContainers[0]`, `spec.volumes[2].image`.
    pub path: String,
    /// `imagePullPolicy` or `pullPolicy`.
    pub field: &'static str,
    /// The value it had (`""` when unset or not a string).
    pub was: String,
}

/// Sets `imagePullPolicy: Always` on every container (in `pods.VisitContainersWithPath` order:
/// init containers, containers, ephemeral containers) and `pullPolicy: Always` on every image
/// volume of a pod spec. Returns what it changed, in that order; holders that are not JSON
/// objects are left alone.
pub fn always_pull(spec: &mut Value) -> Vec<PolicyChange> {
    let mut changes = Vec::new();
    let mut set = |holder: &mut Value, field: &'static str, path: &dyn Fn() -> String| {
        let Some(holder): Option<&mut Map<String, Value>> = holder.as_object_mut() else {
            return;
        };
        let was = holder.get(field).and_then(Value::as_str);
        if was == Some(ALWAYS) {
            return;
        }
        changes.push(PolicyChange {
            path: path(),
            field,
            was: was.unwrap_or_default().to_owned(),
        });
        holder.insert(field.to_owned(), ALWAYS.into());
    };
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        if let Some(containers) = spec.get_mut(list).and_then(Value::as_array_mut) {
            for (index, container) in containers.iter_mut().enumerate() {
                set(container, "imagePullPolicy", &|| {
                    format!("spec.{list}[{index}]")
                });
            }
        }
    }
    if let Some(volumes) = spec.get_mut("volumes").and_then(Value::as_array_mut) {
        for (index, volume) in volumes.iter_mut().enumerate() {
            if let Some(image) = volume.get_mut("image") {
                set(image, "pullPolicy", &|| {
                    format!("spec.volumes[{index}].image")
                });
            }
        }
    }
    changes
}
