//! What a file holds as far as imglint's rules are concerned, computed twice: from imglint's
//! reader (`FileAnalysis`) and from the objects kubectl decoded (`kubectl annotate --local -o
//! json`). Two views that are equal mean that imglint read the file as kubectl does.
//!
//! Values are compared as the API sees them: a string is a string, anything else (a number, a
//! boolean, a mapping) is `Malformed`, and null is `Absent`. Secret values are never part of a
//! view: only their keys.

use std::collections::BTreeSet;
use std::fmt;

use imglint_core::FileAnalysis;
use imglint_core::manifest::model::{Container, ContainerKind, Content, Field, Object, PodSpec};
use serde_json::Value;

/// A field as the API server reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Absent,
    Malformed,
    Value(String),
}

impl Text {
    fn of_field(field: &Field<imglint_core::manifest::model::TextValue>) -> Self {
        match field {
            Field::Absent => Self::Absent,
            Field::Malformed => Self::Malformed,
            Field::Value(value) => Self::Value(value.value.to_string()).empty_as_absent(),
        }
    }

    fn of_json(value: Option<&Value>) -> Self {
        match value {
            None | Some(Value::Null) => Self::Absent,
            Some(Value::String(text)) => Self::Value(text.clone()).empty_as_absent(),
            Some(_) => Self::Malformed,
        }
    }

    /// Missing, null and empty are one value to the API server (a Go string's zero value).
    fn empty_as_absent(self) -> Self {
        match self {
            Self::Value(text) if text.is_empty() => Self::Absent,
            other => other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerView {
    pub field: &'static str,
    pub index: usize,
    pub name: Option<String>,
    pub image: Text,
    pub pull_policy: Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub path: String,
    pub containers: Vec<ContainerView>,
    /// `volumes[i].image`'s `reference` and `pullPolicy`, of image volumes.
    pub image_volumes: Vec<(usize, Text, Text)>,
    pub pull_secrets: Option<Vec<String>>,
    pub service_account: Option<String>,
}

/// A Secret as the API server stores it: its type and its keys (`stringData` is merged into
/// `data`, so a key is a key whichever of the two holds it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretView {
    pub secret_type: Option<String>,
    pub keys: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectView {
    pub api_version: Option<String>,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub pod: Option<PodView>,
    pub secret: Option<SecretView>,
    pub service_account_pull_secrets: Option<Vec<String>>,
}

impl fmt::Display for ObjectView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}/{}",
            self.kind,
            self.namespace.as_deref().unwrap_or("-"),
            self.name.as_deref().unwrap_or("-")
        )
    }
}

/// imglint's view of one object.
pub fn of_object(object: &Object) -> ObjectView {
    let mut view = ObjectView {
        api_version: object.api_version.as_deref().map(str::to_owned),
        kind: object.kind.to_string(),
        namespace: object.namespace.as_ref().map(|ns| ns.value.to_string()),
        name: object
            .name
            .as_ref()
            .map(|name| name.value.to_string())
            .filter(|name| !name.is_empty()),
        pod: None,
        secret: None,
        service_account_pull_secrets: None,
    };
    match &object.content {
        Content::Workload(pod) => view.pod = Some(of_pod(pod)),
        Content::Secret(secret) => {
            let keys = secret.data.iter().chain(&secret.string_data);
            view.secret = Some(SecretView {
                secret_type: secret.secret_type.as_ref().map(|t| t.value.to_string()),
                keys: keys.map(|e| e.key.value.to_string()).collect(),
            });
        }
        Content::ServiceAccount(account) => {
            view.service_account_pull_secrets = account
                .image_pull_secrets
                .as_ref()
                .map(|list| list.entries.iter().map(|e| e.name().to_owned()).collect());
        }
        Content::KubeletConfiguration(_) | Content::Other => {}
    }
    view
}

fn of_pod(pod: &PodSpec) -> PodView {
    let container = |c: &Container| ContainerView {
        field: c.kind.field(),
        index: c.index as usize,
        name: c.name.as_ref().map(|n| n.value.to_string()),
        image: Text::of_field(&c.image),
        pull_policy: Text::of_field(&c.pull_policy),
    };
    let mut containers: Vec<ContainerView> = pod.containers.iter().map(container).collect();
    containers.sort_by_key(|c| (field_order(c.field), c.index));
    PodView {
        path: pod.path.to_owned(),
        containers,
        image_volumes: pod
            .image_volumes
            .iter()
            .map(|v| {
                let policy = Text::of_field(&v.pull_policy);
                (v.index as usize, Text::of_field(&v.reference), policy)
            })
            .collect(),
        pull_secrets: pod
            .image_pull_secrets
            .as_ref()
            .map(|list| list.entries.iter().map(|e| e.name().to_owned()).collect()),
        service_account: pod
            .service_account_name
            .as_ref()
            .map(|n| n.value.to_string()),
    }
}

fn field_order(field: &str) -> usize {
    [
        ContainerKind::InitContainer,
        ContainerKind::Container,
        ContainerKind::EphemeralContainer,
    ]
    .iter()
    .position(|k| k.field() == field)
    .unwrap_or(3)
}

/// What imglint made of a file: the objects of the documents before the first one it could
/// not parse (kubectl stops there), and that document's line within itself, if any.
pub struct ImglintFile {
    pub objects: Vec<ObjectView>,
    pub refused: Option<String>,
}

pub fn of_imglint(analysis: &FileAnalysis) -> ImglintFile {
    let first_error = analysis.syntax_errors.iter().min_by_key(|e| e.offset);
    let objects = analysis
        .objects
        .iter()
        // Objects of earlier documents (YAML) or earlier values of the stream (JSON, whose
        // error spans the whole stream) end before the error.
        .filter(|entry| first_error.is_none_or(|e| entry.object.span.end <= e.offset))
        .map(|entry| of_object(&entry.object))
        .collect();
    ImglintFile {
        objects,
        refused: first_error.map(|e| e.message.clone()),
    }
}

/// kubectl's view of one decoded object, read the way imglint reads it: the pod spec at the
/// path imglint uses for the kind (or, for unknown kinds, any standard pod template that has
/// containers), Secrets and ServiceAccounts by their kind.
pub fn of_kubectl(object: &Value, imglint_path: Option<&str>) -> ObjectView {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let metadata = object.get("metadata");
    let kind = text(object.get("kind")).unwrap_or_default();
    let mut view = ObjectView {
        api_version: text(object.get("apiVersion")),
        kind: kind.clone(),
        namespace: text(metadata.and_then(|m| m.get("namespace"))).filter(|ns| !ns.is_empty()),
        name: text(metadata.and_then(|m| m.get("name"))).filter(|name| !name.is_empty()),
        pod: None,
        secret: None,
        service_account_pull_secrets: None,
    };
    match kind.as_str() {
        "Secret" => {
            let keys = ["data", "stringData"]
                .iter()
                .filter_map(|field| object.get(field).and_then(Value::as_object))
                // A value that is not a string is refused by the API server (IMG002); its key
                // is not one the Secret can have.
                .flat_map(|map| {
                    map.iter()
                        .filter(|(_, value)| value.is_string() || value.is_null())
                        .map(|(key, _)| key.clone())
                })
                .collect();
            view.secret = Some(SecretView {
                secret_type: text(object.get("type")),
                keys,
            });
        }
        "ServiceAccount" => view.service_account_pull_secrets = pull_secrets(object),
        "KubeletConfiguration" => {}
        _ => {
            let path = imglint_path.or_else(|| known_path(&kind));
            let pod = match path {
                Some(path) => at_path(object, path)
                    .filter(|p| p.is_object())
                    .map(|p| (path, p)),
                None => None,
            };
            view.pod = pod.map(|(path, pod)| of_kubectl_pod(path, pod));
        }
    }
    view
}

fn known_path(kind: &str) -> Option<&'static str> {
    imglint_core::manifest::read::pod_spec_path(kind).map(|(_, name)| name)
}

fn at_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |node, key| node.get(key))
}

fn pull_secrets(holder: &Value) -> Option<Vec<String>> {
    let list = holder.get("imagePullSecrets")?.as_array()?;
    Some(
        list.iter()
            .filter(|entry| entry.is_object())
            .map(|entry| {
                entry
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect(),
    )
}

fn of_kubectl_pod(path: &str, pod: &Value) -> PodView {
    let mut containers = Vec::new();
    for kind in [
        ContainerKind::InitContainer,
        ContainerKind::Container,
        ContainerKind::EphemeralContainer,
    ] {
        let Some(list) = pod.get(kind.field()).and_then(Value::as_array) else {
            continue;
        };
        for (index, item) in list.iter().enumerate() {
            if !item.is_object() {
                continue;
            }
            containers.push(ContainerView {
                field: kind.field(),
                index,
                name: item.get("name").and_then(Value::as_str).map(str::to_owned),
                image: Text::of_json(item.get("image")),
                pull_policy: Text::of_json(item.get("imagePullPolicy")),
            });
        }
    }
    let image_volumes = pod
        .get("volumes")
        .and_then(Value::as_array)
        .map(|volumes| {
            volumes
                .iter()
                .enumerate()
                .filter_map(|(index, volume)| {
                    let image = volume.get("image")?;
                    image.is_object().then(|| {
                        let policy = Text::of_json(image.get("pullPolicy"));
                        (index, Text::of_json(image.get("reference")), policy)
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let name = |key: &str| {
        pod.get(key)
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
    };
    PodView {
        path: path.to_owned(),
        containers,
        image_volumes,
        pull_secrets: pull_secrets(pod),
        service_account: name("serviceAccountName").or_else(|| name("serviceAccount")),
    }
}
