//! The mutating mode: what the AlwaysPullImages admission plugin does to a pod, done to any
//! pod-bearing object (its pod template), for clusters that cannot enable the plugin.

use imglint_core::admission::always_pull_images;
use imglint_core::manifest::read::{POD_TEMPLATE_LIKE, pod_spec_path};
use serde_json::Value;

/// The object's pod spec, found by kind, or by shape for kinds imglint does not know.
fn pod_spec(object: &mut Value) -> Option<&mut Value> {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let path: &[&str] = match pod_spec_path(kind) {
        Some((path, _)) => path,
        // Found by shape, as the linter finds them (`read.rs`).
        None => POD_TEMPLATE_LIKE
            .iter()
            .filter_map(|like| pod_spec_path(like).map(|(path, _)| path))
            .find(|path| {
                path.iter()
                    .try_fold(&*object, |value, key| value.get(key))
                    .is_some_and(|spec| spec.get("containers").is_some())
            })?,
    };
    path.iter()
        .try_fold(object, |value, key| value.get_mut(key))
        .filter(|spec| spec.is_object())
}

/// Sets `imagePullPolicy: Always` on every container, init container and ephemeral
/// container, and `pullPolicy: Always` on every image volume, with the mutation of the
/// AlwaysPullImages plugin that the conformance vectors check. Returns whether anything changed.
pub fn always_pull(object: &mut Value) -> bool {
    pod_spec(object).is_some_and(|spec| !always_pull_images::always_pull(spec).is_empty())
}

/// The same mutation for a request to the `pods/ephemeralcontainers` subresource (`kubectl
/// debug`), which the AlwaysPullImages plugin ignores (it skips every subresource), so that a
/// debug container cannot run another tenant's cached image. Only the ephemeral containers
/// change: the subresource may not change anything else of the pod.
pub fn always_pull_ephemeral(pod: &mut Value) -> bool {
    let Some(list) = pod.pointer_mut("/spec/ephemeralContainers") else {
        return false;
    };
    let mut spec = serde_json::json!({ "ephemeralContainers": list.take() });
    let changed = !always_pull_images::always_pull(&mut spec).is_empty();
    *list = spec["ephemeralContainers"].take();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_ephemeral_subresource_changes_only_ephemeral_containers() {
        let mut pod = json!({"kind": "Pod", "spec": {
            "containers": [{"name": "c", "image": "b", "imagePullPolicy": "IfNotPresent"}],
            "ephemeralContainers": [{"name": "debugger", "image": "busybox"}]
        }});
        assert!(always_pull_ephemeral(&mut pod));
        assert_eq!(
            pod["spec"]["ephemeralContainers"][0]["imagePullPolicy"],
            "Always"
        );
        assert_eq!(
            pod["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
        assert!(!always_pull_ephemeral(&mut pod), "nothing left to change");
        assert!(!always_pull_ephemeral(
            &mut json!({"kind": "Pod", "spec": {}})
        ));
    }

    #[test]
    fn every_container_kind_and_image_volume() {
        let mut pod = json!({"kind": "Pod", "spec": {
            "initContainers": [{"name": "i", "image": "a"}],
            "containers": [{"name": "c", "image": "b", "imagePullPolicy": "IfNotPresent"}],
            "ephemeralContainers": [{"name": "e", "image": "c", "imagePullPolicy": "Always"}],
            "volumes": [{"name": "v", "image": {"reference": "d"}}, {"name": "e", "emptyDir": {}}]
        }});
        assert!(always_pull(&mut pod));
        assert_eq!(
            pod["spec"]["initContainers"][0]["imagePullPolicy"],
            "Always"
        );
        assert_eq!(pod["spec"]["containers"][0]["imagePullPolicy"], "Always");
        assert_eq!(pod["spec"]["volumes"][0]["image"]["pullPolicy"], "Always");
        assert_eq!(
            pod["spec"]["volumes"][1],
            json!({"name": "e", "emptyDir": {}})
        );
        assert!(!always_pull(&mut pod), "a second pass changes nothing");
    }

    #[test]
    fn templates_of_workloads_and_custom_kinds() {
        let mut cron = json!({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}}});
        assert!(always_pull(&mut cron));
        assert_eq!(
            cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
            "Always"
        );
        let mut rollout = json!({"kind": "Rollout", "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}});
        assert!(always_pull(&mut rollout));
        let mut config_map = json!({"kind": "ConfigMap", "data": {"spec": "x"}});
        assert!(!always_pull(&mut config_map));
    }
}
