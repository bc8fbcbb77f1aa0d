//! Cluster lookups (`cluster_lookup: true`, docs/spec/cli.md "Cluster lookups"): the pod's
//! pull Secrets, and its ServiceAccount when the pod lists none, read from the cluster through
//! Kubewarden's `kubernetes/get_resource` host capability.
//!
//! The API server admits a pod whatever its pull secrets say: a Secret that does not exist,
//! has the wrong type or holds no credentials for the image's registry only shows up when the
//! kubelet pulls (ImagePullBackOff). The fetched objects join the request's object in one
//! stream, so the same rules as the CLI's (IMG301 to IMG308, IMG402) judge them with the
//! same redaction of Secret values.
//!
//! The order of the calls is part of the contract: a session recorded by `kwctl` replays only
//! if the policy asks the same questions in the same order.

use std::collections::HashSet;

use imglint_core::FileAnalysis;
use imglint_core::manifest::model::{Content, PodSpec};
use serde_json::{Value, json};

/// One `get_resource` question: a v1 object of the request's namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRequest {
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
}

impl ResourceRequest {
    /// The host capability's payload (the SDK's `GetResourceRequest`): cached answers are
    /// fine, as for every admission policy (the host caches for 5 s).
    pub fn payload(&self) -> Vec<u8> {
        json!({
            "api_version": "v1",
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "disable_cache": false,
        })
        .to_string()
        .into_bytes()
    }

    /// `Secret `shop/regcred``: how warnings name the object.
    pub fn describe(&self) -> String {
        format!("{} `{}/{}`", self.kind, self.namespace, self.name)
    }

    /// Reads the host's answer: the object, or why it is not one. Nothing of the payload is
    /// ever quoted (it may be a Secret).
    pub fn answer(&self, payload: &[u8]) -> Answer {
        match serde_json::from_slice::<Value>(payload) {
            Ok(object) if object["kind"] == self.kind && object["apiVersion"] == "v1" => {
                Answer::Found(object)
            }
            Ok(_) => Answer::Failed(format!("the answer is not a v1 {}", self.kind)),
            Err(_) => Answer::Failed("the answer is not JSON".to_owned()),
        }
    }

    /// Reads a host error: the text Kubewarden's policy-evaluator gives a missing object
    /// (`Cannot find v1/Secret named 'NAME' inside of namespace 'Some("NS")'`, wrapped in its
    /// own prefixes) means not found; anything else is a failure to ask.
    pub fn error(&self, message: &str) -> Answer {
        let missing = format!(
            "Cannot find v1/{} named '{}' inside of namespace '{:?}'",
            self.kind,
            self.name,
            Some(&self.namespace)
        );
        if message.contains(&missing) {
            Answer::NotFound
        } else {
            Answer::Failed(message.to_owned())
        }
    }
}

/// What the cluster said.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Found(Value),
    NotFound,
    /// The host could not answer (no access granted, API server down, a malformed answer):
    /// the object's state is unknown.
    Failed(String),
}

/// Where the answers come from: the host capability in the policy module, a table in tests.
pub trait Cluster {
    fn get_resource(&mut self, request: &ResourceRequest) -> Answer;
}

/// The objects the cluster gave, and what could not be learned.
#[derive(Debug, Default)]
pub struct Fetched {
    pub objects: Vec<Value>,
    /// One admission warning per failed lookup, naming the object.
    pub warnings: Vec<String>,
    /// Every Secret the pod would use was answered for (found or not found): a missing one is
    /// then known to be missing (IMG301).
    pub complete: bool,
}

/// Asks the cluster for what the pod spec of `request` (the request's object, read by the
/// core) refers to, in the contract's order:
/// 1. the pod lists `imagePullSecrets`: each distinct name, in list order;
/// 2. it lists none: its ServiceAccount (`serviceAccountName`, else `default`), then each
///    distinct pull secret of that ServiceAccount.
///
/// Empty names are not asked for (IMG308 reports them).
pub fn fetch(request: &FileAnalysis, namespace: &str, cluster: &mut dyn Cluster) -> Fetched {
    let mut fetched = Fetched {
        complete: true,
        ..Fetched::default()
    };
    let Some(pod) = request
        .objects
        .iter()
        .find_map(|entry| match &entry.object.content {
            Content::Workload(pod) => Some(pod),
            _ => None,
        })
    else {
        return fetched;
    };
    let ask = |fetched: &mut Fetched, cluster: &mut dyn Cluster, kind, name: &str| {
        let request = ResourceRequest {
            kind,
            name: name.to_owned(),
            namespace: namespace.to_owned(),
        };
        match cluster.get_resource(&request) {
            Answer::Found(object) => Some(object),
            Answer::NotFound => None,
            Answer::Failed(why) => {
                fetched.complete = false;
                fetched.warnings.push(format!(
                    "imglint could not read {} from the cluster ({}): the rules that need it did not run for it",
                    request.describe(),
                    first_line(&why)
                ));
                None
            }
        }
    };
    let mut names = own_pull_secrets(pod);
    if names.is_empty() {
        let account = pod
            .service_account_name
            .as_ref()
            .map_or("default", |name| &*name.value);
        match ask(&mut fetched, cluster, "ServiceAccount", account) {
            Some(account) => {
                names = account_pull_secrets(&account);
                fetched.objects.push(account);
            }
            // Its pull secrets are unknown, so none is looked up; the rules treat the
            // ServiceAccount as one outside the linted set, as the CLI does.
            None => return fetched,
        }
    }
    let mut seen = HashSet::new();
    for name in names {
        if name.is_empty() || !seen.insert(name.clone()) {
            continue;
        }
        if let Some(secret) = ask(&mut fetched, cluster, "Secret", &name) {
            fetched.objects.push(secret);
        }
    }
    fetched
}

/// The first line of a host error, bounded: kwctl's errors carry the host's stack backtrace
/// after a blank line, which an admission warning has no use for.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim();
    imglint_core::diagnostic::bounded_text(line.to_owned())
}

fn own_pull_secrets(pod: &PodSpec) -> Vec<String> {
    pod.image_pull_secrets
        .as_ref()
        .map(|list| {
            list.entries
                .iter()
                .map(|entry| entry.name().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The ServiceAccount's `imagePullSecrets[].name`, as the cluster stores it.
fn account_pull_secrets(account: &Value) -> Vec<String> {
    account["imagePullSecrets"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|entry| entry["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A cluster that is never asked: `cluster_lookup: false`.
pub struct NoCluster;

impl Cluster for NoCluster {
    fn get_resource(&mut self, _: &ResourceRequest) -> Answer {
        Answer::Failed("cluster lookups are off".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers from a table and records the questions.
    #[derive(Default)]
    struct Table {
        objects: Vec<Value>,
        failing: Vec<&'static str>,
        asked: Vec<String>,
    }

    impl Cluster for Table {
        fn get_resource(&mut self, request: &ResourceRequest) -> Answer {
            self.asked
                .push(format!("{}/{}", request.kind, request.name));
            if self.failing.contains(&request.name.as_str()) {
                // As kwctl hands it over: the host's backtrace after a blank line.
                return Answer::Failed(
                    "Host error: connection refused\n\nStack backtrace:\n   0: anyhow::error"
                        .to_owned(),
                );
            }
            self.objects
                .iter()
                .find(|object| {
                    object["kind"] == request.kind
                        && object["metadata"]["name"] == request.name.as_str()
                        && object["metadata"]["namespace"] == request.namespace.as_str()
                })
                .cloned()
                .map_or(Answer::NotFound, Answer::Found)
        }
    }

    fn read(object: &Value) -> FileAnalysis {
        FileAnalysis::read_text("request", &object.to_string(), false)
    }

    fn account(name: &str, secrets: &[&str]) -> Value {
        let secrets: Vec<Value> = secrets.iter().map(|name| json!({"name": name})).collect();
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": name, "namespace": "shop"}, "imagePullSecrets": secrets})
    }

    #[test]
    fn own_secrets_are_asked_once_each_in_list_order() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"imagePullSecrets": [{"name": "b"}, {"name": "a"}, {"name": "b"}, {"name": ""}],
                "containers": [{"name": "c", "image": "r.example/x:1"}]}});
        let mut table = Table::default();
        let fetched = fetch(&read(&pod), "shop", &mut table);
        assert_eq!(table.asked, ["Secret/b", "Secret/a"]);
        assert!(fetched.complete && fetched.objects.is_empty());
    }

    #[test]
    fn without_own_secrets_the_service_account_is_asked_first() {
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"template": {"spec": {"serviceAccountName": "builder",
                "containers": [{"name": "c", "image": "r.example/x:1"}]}}}});
        let mut table = Table {
            objects: vec![account("builder", &["reg", "reg", "other"])],
            ..Table::default()
        };
        let fetched = fetch(&read(&deployment), "shop", &mut table);
        assert_eq!(
            table.asked,
            ["ServiceAccount/builder", "Secret/reg", "Secret/other"]
        );
        assert_eq!(fetched.objects.len(), 1);

        // No serviceAccountName: `default`; a missing account ends the lookups.
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "r.example/x:1"}]}});
        let mut table = Table::default();
        let fetched = fetch(&read(&pod), "shop", &mut table);
        assert_eq!(table.asked, ["ServiceAccount/default"]);
        assert!(fetched.complete);
    }

    /// Every pod-bearing kind of the metadata's rules, and the Pod of `kubectl debug`'s
    /// `pods/ephemeralcontainers` requests: the pod spec is found where the core finds it.
    #[test]
    fn every_pod_bearing_kind_asks_for_its_template_s_secrets() {
        let spec = json!({"imagePullSecrets": [{"name": "regcred"}],
            "containers": [{"name": "c", "image": "r.example/x:1"}]});
        let template = json!({"template": {"spec": spec.clone()}});
        let objects = [
            ("v1", "Pod", json!({"spec": spec})),
            ("v1", "PodTemplate", template.clone()),
            (
                "v1",
                "ReplicationController",
                json!({"spec": template.clone()}),
            ),
            ("apps/v1", "Deployment", json!({"spec": template.clone()})),
            ("apps/v1", "ReplicaSet", json!({"spec": template.clone()})),
            ("apps/v1", "StatefulSet", json!({"spec": template.clone()})),
            ("apps/v1", "DaemonSet", json!({"spec": template.clone()})),
            ("batch/v1", "Job", json!({"spec": template.clone()})),
            (
                "batch/v1",
                "CronJob",
                json!({"spec": {"jobTemplate": {"spec": template}}}),
            ),
        ];
        for (api_version, kind, mut object) in objects {
            object["apiVersion"] = api_version.into();
            object["kind"] = kind.into();
            object["metadata"] = json!({"name": "x"});
            let mut table = Table::default();
            fetch(&read(&object), "shop", &mut table);
            assert_eq!(table.asked, ["Secret/regcred"], "{kind}");
        }
    }

    #[test]
    fn a_failed_lookup_is_a_warning_and_makes_the_set_incomplete() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"imagePullSecrets": [{"name": "down"}], "containers": [{"name": "c", "image": "x"}]}});
        let mut table = Table {
            failing: vec!["down"],
            ..Table::default()
        };
        let fetched = fetch(&read(&pod), "shop", &mut table);
        assert!(!fetched.complete);
        assert_eq!(
            fetched.warnings,
            [
                "imglint could not read Secret `shop/down` from the cluster (Host error: connection refused): the rules that need it did not run for it"
            ]
        );
    }

    #[test]
    fn objects_without_a_pod_spec_ask_nothing() {
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}});
        let mut table = Table::default();
        fetch(&read(&secret), "shop", &mut table);
        assert!(table.asked.is_empty());
    }

    #[test]
    fn host_errors_and_answers_are_read() {
        let request = ResourceRequest {
            kind: "Secret",
            name: "regcred".to_owned(),
            namespace: "shop".to_owned(),
        };
        let missing = "Callback evaluation failure: Cannot find v1/Secret named 'regcred' inside of namespace 'Some(\"shop\")'";
        assert_eq!(request.error(missing), Answer::NotFound);
        // Another object's absence is not this one's.
        let other = missing.replace("regcred", "other");
        assert!(matches!(request.error(&other), Answer::Failed(_)));
        assert!(matches!(
            request.error("Policy has not been granted access to Kubernetes v1/Secret resources."),
            Answer::Failed(_)
        ));
        assert!(matches!(
            request.answer(b"{\"kind\": \"Secret\", \"apiVersion\": \"v1\"}"),
            Answer::Found(_)
        ));
        assert_eq!(
            request.answer(b"{\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\", \"data\": {\"k\": \"hunter2\"}}"),
            Answer::Failed("the answer is not a v1 Secret".to_owned())
        );
        assert_eq!(
            request.answer(b"hunter2"),
            Answer::Failed("the answer is not JSON".to_owned())
        );
        assert_eq!(
            String::from_utf8(request.payload()).unwrap(),
            r#"{"api_version":"v1","disable_cache":false,"kind":"Secret","name":"regcred","namespace":"shop"}"#
        );
    }
}
