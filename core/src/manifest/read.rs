//! Reading Kubernetes objects out of a document tree.
//!
//! Only the fields rules use are read. A known field with the wrong shape (a mapping where a
//! list belongs, a number where a string belongs, a duplicated key) becomes a [`ShapeError`]
//! (reported as IMG002) and is otherwise skipped, so one bad field never hides the rest.

use super::model::{
    Container, ContainerKind, Content, Field, ImageVolume, Insertion, KubeletConfiguration, Object,
    PodSpec, PullSecretList, PullSecretRef, Secret, SecretEntry, ServiceAccount, Spanned,
    TextValue,
};
use super::secret_content::{self, RawValue};
use super::tree::{NodeId, ScalarKind, ScalarStyle, Tree, Value};
use crate::admission::plugins::Flag;
use crate::source::Span;

/// A known field with the wrong shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// The container (or volume) it is in, if any.
    pub container: Option<Box<str>>,
}

/// The objects of one document, and shape errors that belong to no object.
#[derive(Debug, Default)]
pub struct DocumentObjects {
    pub objects: Vec<(Object, Vec<ShapeError>)>,
    pub errors: Vec<ShapeError>,
}

/// The annotation that suppresses findings on an object.
pub const IGNORE_ANNOTATION: &str = "imglint.dev/ignore";

/// A field's name in messages, built only when a message needs it.
#[derive(Clone, Copy)]
enum FieldName<'a> {
    Key(&'a str),
    /// `parent.key`
    Child(&'a str, &'a str),
    /// `parent.key[index]`
    Item(&'a str, &'a str, usize),
}

impl std::fmt::Display for FieldName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Self::Key(key) => f.write_str(key),
            Self::Child(parent, key) => write!(f, "{parent}.{key}"),
            Self::Item("", key, index) => write!(f, "{key}[{index}]"),
            Self::Item(parent, key, index) => write!(f, "{parent}.{key}[{index}]"),
        }
    }
}

impl<'a> From<&'a str> for FieldName<'a> {
    fn from(key: &'a str) -> Self {
        Self::Key(key)
    }
}

/// What the reader takes from `metadata`.
#[derive(Default)]
struct Metadata {
    name: Option<Spanned<Box<str>>>,
    namespace: Option<Spanned<Box<str>>>,
    ignore_annotation: Option<TextValue>,
}

/// How deep `List`s may nest.
const MAX_LIST_DEPTH: usize = 8;

/// Reads every object of `tree`; `file` is the whole file the tree's spans point into.
pub fn read_document(tree: &Tree<'_>, file: &str) -> DocumentObjects {
    let mut out = DocumentObjects::default();
    let mut reader = Reader {
        tree,
        file,
        errors: Vec::new(),
        container: None,
    };
    reader.object(tree.root(), 0, &mut out);
    out.errors.append(&mut reader.errors);
    out
}

struct Reader<'t, 'src> {
    tree: &'t Tree<'src>,
    file: &'t str,
    errors: Vec<ShapeError>,
    /// The container being read, for the context of its errors.
    container: Option<Box<str>>,
}

/// Kinds imglint does not know (CRDs such as Argo Rollouts) count as workloads when they carry
/// a pod template where one of these kinds has it.
pub const POD_TEMPLATE_LIKE: [&str; 2] = ["Deployment", "CronJob"];

/// The pod spec's place in each kind that has one: its keys and its path as text.
pub fn pod_spec_path(kind: &str) -> Option<(&'static [&'static str], &'static str)> {
    const TEMPLATE: &[&str] = &["spec", "template", "spec"];
    Some(match kind {
        "Pod" => (&["spec"], "spec"),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => (TEMPLATE, "spec.template.spec"),
        "CronJob" => (
            &["spec", "jobTemplate", "spec", "template", "spec"],
            "spec.jobTemplate.spec.template.spec",
        ),
        "PodTemplate" => (&["template", "spec"], "template.spec"),
        _ => return None,
    })
}

impl<'t> Reader<'t, '_> {
    fn error(&mut self, span: Span, message: String, help: Option<String>) {
        let container = self.container.clone();
        self.errors.push(ShapeError {
            span,
            message,
            help,
            container,
        });
    }

    /// The values of `names` in `map` (later duplicates win, as in `encoding/json`); a
    /// duplicated known key is a shape error, since kubectl's strict field validation refuses it.
    fn fields<const N: usize>(&mut self, map: NodeId, names: [&str; N]) -> [Option<NodeId>; N] {
        let mut found = [None; N];
        for &(key, value) in self.tree.entries(map) {
            let Some(text) = self.tree.key(key) else {
                continue;
            };
            if let Some(i) = names.iter().position(|&name| name == text) {
                if found[i].is_some() {
                    self.error(
                        self.tree.span(key),
                        format!("duplicate key `{text}`"),
                        Some("kubectl's strict field validation rejects it; otherwise the last one silently wins".to_owned()),
                    );
                }
                found[i] = Some(value);
            }
        }
        found
    }

    /// A field that must be a mapping; null counts as absent.
    fn mapping<'n>(
        &mut self,
        node: Option<NodeId>,
        field: impl Into<FieldName<'n>>,
    ) -> Option<NodeId> {
        let node = node?;
        if self.tree.is_mapping(node) {
            return Some(node);
        }
        if !self.tree.is_null(node) {
            let found = self.tree.node(node).describe();
            let field = field.into();
            self.error(
                self.tree.span(node),
                format!("`{field}` must be a mapping, found {found}"),
                None,
            );
        }
        None
    }

    /// A field that must be a list; null counts as empty.
    fn list<'n>(
        &mut self,
        node: Option<NodeId>,
        field: impl Into<FieldName<'n>>,
    ) -> Option<NodeId> {
        let node = node?;
        match self.tree.node(node).value {
            Value::Sequence { .. } => Some(node),
            _ if self.tree.is_null(node) => None,
            _ => {
                let found = self.tree.node(node).describe();
                let field = field.into();
                self.error(
                    self.tree.span(node),
                    format!("`{field}` must be a list, found {found}"),
                    None,
                );
                None
            }
        }
    }

    /// A field that must be a string. Null reads as the empty string, as in the API.
    fn text(&mut self, node: Option<NodeId>, field: &str) -> Option<TextValue> {
        let node = node?;
        let span = self.tree.span(node);
        let Some(scalar) = self.tree.scalar(node) else {
            let found = self.tree.node(node).describe();
            self.error(
                span,
                format!("`{field}` must be a string, found {found}"),
                None,
            );
            return None;
        };
        match scalar.kind {
            ScalarKind::String => {}
            ScalarKind::Null => {
                return Some(TextValue {
                    value: "".into(),
                    span,
                    verbatim_at: None,
                });
            }
            kind => {
                let text = &scalar.text;
                self.error(
                    span,
                    format!(
                        "`{field}` must be a string, but YAML reads `{text}` as {}",
                        kind.describe()
                    ),
                    Some(if field.ends_with(']') {
                        format!("quote it: `\"{text}\"`")
                    } else {
                        format!("quote it: `{field}: \"{text}\"`")
                    }),
                );
                return None;
            }
        }
        let inner = match scalar.style {
            ScalarStyle::Plain => Some(span),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if span.len() >= 2 => {
                Some(Span {
                    start: span.start + 1,
                    end: span.end - 1,
                })
            }
            _ => None,
        };
        let verbatim_at = inner
            .filter(|inner| self.file.get(inner.range()) == Some(&*scalar.text))
            .map(|inner| inner.start);
        Some(TextValue {
            value: scalar.text.as_ref().into(),
            span,
            verbatim_at,
        })
    }

    /// A string field, remembering whether it was absent or malformed.
    fn field(&mut self, node: Option<NodeId>, field: &str) -> Field<TextValue> {
        match node {
            None => Field::Absent,
            Some(node) => self
                .text(Some(node), field)
                .map_or(Field::Malformed, Field::Value),
        }
    }

    /// A pull policy: null and empty mean the same as absent (the default applies).
    fn policy_field(&mut self, node: Option<NodeId>, field: &str) -> Field<TextValue> {
        match self.field(node, field) {
            Field::Value(policy) if policy.value.is_empty() => Field::Absent,
            other => other,
        }
    }

    fn object(&mut self, root: NodeId, depth: usize, out: &mut DocumentObjects) {
        if !self.tree.is_mapping(root) {
            return; // not a Kubernetes object
        }
        let [
            api_version,
            kind,
            metadata,
            spec,
            template,
            items,
            data,
            string_data,
            secret_type,
            pull_secrets,
        ] = self.fields(
            root,
            [
                "apiVersion",
                "kind",
                "metadata",
                "spec",
                "template",
                "items",
                "data",
                "stringData",
                "type",
                "imagePullSecrets",
            ],
        );
        let Some(kind_node) = kind else { return };
        let Some(kind) = self.text(Some(kind_node), "kind") else {
            return;
        };
        if kind.value.is_empty() {
            return;
        }
        if &*kind.value == "List" || kind.value.ends_with("List") {
            if depth < MAX_LIST_DEPTH
                && let Some(items) = self.list(items, "items")
            {
                for &item in self.tree.items(items) {
                    self.object(item, depth + 1, out);
                }
            }
            return;
        }
        let outer_errors = std::mem::take(&mut self.errors);
        let api_version = self.text(api_version, "apiVersion").map(|v| v.value);
        let Metadata {
            name,
            namespace,
            ignore_annotation,
        } = self.metadata(metadata);
        let content = match &*kind.value {
            // Its values are masked in every output by `crate::redaction`, which masks the
            // whole document but keys and names.
            "Secret" => Content::Secret(self.secret(secret_type, data, string_data, kind.span)),
            "KubeletConfiguration" => {
                Content::KubeletConfiguration(self.kubelet_configuration(root))
            }
            "ServiceAccount" => Content::ServiceAccount(ServiceAccount {
                image_pull_secrets: self.pull_secrets(pull_secrets),
            }),
            kind_name => match pod_spec_path(kind_name) {
                Some((path, name)) => {
                    let first = if path[0] == "template" {
                        template
                    } else {
                        spec
                    };
                    self.pod_spec_at(first, path, name, kind_name == "Pod")
                }
                None => self.pod_spec_of_unknown_kind(spec),
            },
        };
        let object = Object {
            api_version,
            kind: kind.value,
            name,
            namespace,
            span: self.tree.span(root),
            kind_span: kind.span,
            ignore_annotation,
            content,
        };
        let errors = std::mem::replace(&mut self.errors, outer_errors);
        out.objects.push((object, errors));
    }

    fn metadata(&mut self, metadata: Option<NodeId>) -> Metadata {
        let Some(metadata) = self.mapping(metadata, "metadata") else {
            return Metadata::default();
        };
        let [name, namespace, annotations] =
            self.fields(metadata, ["name", "namespace", "annotations"]);
        let spanned = |v: TextValue| Spanned {
            value: v.value,
            span: v.span,
        };
        let name = self.text(name, "metadata.name").map(spanned);
        let namespace = self
            .text(namespace, "metadata.namespace")
            .map(spanned)
            .filter(|ns| !ns.value.is_empty());
        let ignore_annotation = self
            .mapping(annotations, "metadata.annotations")
            .and_then(|annotations| self.fields(annotations, [IGNORE_ANNOTATION])[0])
            .and_then(|node| self.text(Some(node), IGNORE_ANNOTATION));
        Metadata {
            name,
            namespace,
            ignore_annotation,
        }
    }

    /// The pod spec at `path` of a kind known to have one; wrong shapes on the way are errors.
    /// `first` is the object's `path[0]` field, already read (and checked for duplicates)
    /// with the object's other fields.
    fn pod_spec_at(
        &mut self,
        first: Option<NodeId>,
        path: &[&str],
        name: &'static str,
        is_pod: bool,
    ) -> Content {
        let Some(mut node) = self.mapping(first, path[0]) else {
            return Content::Other;
        };
        // `name` is `path` joined with dots: the walked part is a prefix of it.
        let mut walked = path[0].len();
        for segment in &path[1..] {
            walked += segment.len() + 1;
            let child = self.fields(node, [*segment])[0];
            match self.mapping(child, &name[..walked]) {
                Some(next) => node = next,
                None => return Content::Other,
            }
        }
        Content::Workload(self.pod_spec(node, name, is_pod))
    }

    /// Unknown kinds (CRDs such as Argo Rollouts) count when they carry a pod template where
    /// a Deployment or a CronJob has it; their shapes are not reported.
    fn pod_spec_of_unknown_kind(&mut self, spec: Option<NodeId>) -> Content {
        let Some(spec) = spec.filter(|&s| self.tree.is_mapping(s)) else {
            return Content::Other;
        };
        for like in POD_TEMPLATE_LIKE {
            let Some((path, name)) = pod_spec_path(like) else {
                continue;
            };
            let found = path[1..].iter().try_fold(spec, |node, segment| {
                self.tree
                    .get(node, segment)
                    .filter(|&next| self.tree.is_mapping(next))
            });
            if let Some(pod) = found.filter(|&pod| self.tree.get(pod, "containers").is_some()) {
                return Content::Workload(self.pod_spec(pod, name, false));
            }
        }
        Content::Other
    }

    fn pod_spec(&mut self, spec: NodeId, path: &'static str, is_pod: bool) -> PodSpec {
        let [
            init,
            containers,
            ephemeral,
            volumes,
            pull_secrets,
            sa_name,
            sa_deprecated,
        ] = self.fields(
            spec,
            [
                "initContainers",
                "containers",
                "ephemeralContainers",
                "volumes",
                "imagePullSecrets",
                "serviceAccountName",
                "serviceAccount",
            ],
        );
        let mut all = Vec::new();
        for (kind, node) in [
            (ContainerKind::InitContainer, init),
            (ContainerKind::Container, containers),
            (ContainerKind::EphemeralContainer, ephemeral),
        ] {
            if let Some(list) = self.list(node, FieldName::Child(path, kind.field())) {
                for (index, &item) in self.tree.items(list).iter().enumerate() {
                    if let Some(container) = self.container(item, kind, index, path) {
                        all.push(container);
                    }
                }
            }
        }
        let image_volumes = self.image_volumes(volumes, path);
        let image_pull_secrets = self.pull_secrets(pull_secrets);
        // The v1 conversion fills serviceAccountName from the deprecated field when it is empty.
        let service_account_name = self
            .text(sa_name, "serviceAccountName")
            .filter(|name| !name.value.is_empty())
            .or_else(|| {
                self.text(sa_deprecated, "serviceAccount")
                    .filter(|name| !name.value.is_empty())
            });
        PodSpec {
            path,
            is_pod,
            containers: all,
            image_volumes,
            image_pull_secrets,
            service_account_name,
            first_key: self
                .tree
                .entries(spec)
                .first()
                .map_or(self.tree.span(spec), |&(key, _)| self.tree.span(key)),
            span: self.tree.span(spec),
        }
    }

    fn container(
        &mut self,
        item: NodeId,
        kind: ContainerKind,
        index: usize,
        path: &str,
    ) -> Option<Container> {
        let field = FieldName::Item(path, kind.field(), index);
        let Some(map) = self.mapping(Some(item), field) else {
            if self.tree.is_null(item) {
                self.error(
                    self.tree.span(item),
                    format!("`{field}` must be a mapping, found null"),
                    None,
                );
            }
            return None;
        };
        let [name, image, policy, command, args] =
            self.fields(map, ["name", "image", "imagePullPolicy", "command", "args"]);
        let name = self.text(name, "name");
        self.container = name.as_ref().map(|n| n.value.clone());
        let image = self.field(image, "image");
        let pull_policy = self.policy_field(policy, "imagePullPolicy");
        let kube_apiserver = self.kube_apiserver_command(command, args, &image);
        // Only where the key is absent: a null or empty value is unset but has a key.
        let policy_insertion = if policy.is_none() {
            self.policy_insertion(map, &image)
        } else {
            None
        };
        self.container = None;
        Some(Container {
            kind,
            index: crate::source::to_u32(index),
            name,
            image,
            pull_policy,
            kube_apiserver,
            policy_insertion,
            span: self.tree.span(map),
        })
    }

    fn image_volumes(&mut self, volumes: Option<NodeId>, path: &str) -> Vec<ImageVolume> {
        let Some(list) = self.list(volumes, FieldName::Child(path, "volumes")) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (index, &item) in self.tree.items(list).iter().enumerate() {
            let Some(volume) = self.mapping(Some(item), FieldName::Item(path, "volumes", index))
            else {
                continue;
            };
            let [name, image] = self.fields(volume, ["name", "image"]);
            let Some(image) = self.mapping(image, "image") else {
                continue;
            };
            let name = self.text(name, "name");
            self.container = name.as_ref().map(|n| n.value.clone());
            let [reference, policy] = self.fields(image, ["reference", "pullPolicy"]);
            let reference = self.field(reference, "reference");
            let pull_policy = self.policy_field(policy, "pullPolicy");
            self.container = None;
            found.push(ImageVolume {
                index: crate::source::to_u32(index),
                name,
                reference,
                pull_policy,
                span: self.tree.span(image),
            });
        }
        found
    }

    fn pull_secrets(&mut self, node: Option<NodeId>) -> Option<PullSecretList> {
        let list = self.list(node, "imagePullSecrets")?;
        let mut entries = Vec::new();
        for (index, &item) in self.tree.items(list).iter().enumerate() {
            let span = self.tree.span(item);
            if let Some(text) = self
                .tree
                .scalar(item)
                .filter(|s| s.kind != ScalarKind::Null)
            {
                let name = text.text.clone();
                self.error(
                    span,
                    format!(
                        "`imagePullSecrets[{index}]` must be an object with a `name`, found {}",
                        self.tree.node(item).describe()
                    ),
                    Some(format!("write `- name: {name}`")),
                );
                continue;
            }
            let Some(entry) =
                self.mapping(Some(item), FieldName::Item("", "imagePullSecrets", index))
            else {
                continue;
            };
            let [name] = self.fields(entry, ["name"]);
            if name.is_none() {
                self.error(
                    span,
                    format!("`imagePullSecrets[{index}]` has no `name`"),
                    Some(
                        "the API server reads it as the empty name, which names no Secret"
                            .to_owned(),
                    ),
                );
            }
            let name = self.text(name, "name");
            entries.push(PullSecretRef { name, span });
        }
        Some(PullSecretList {
            entries,
            span: self.tree.span(list),
        })
    }

    fn secret(
        &mut self,
        secret_type: Option<NodeId>,
        data: Option<NodeId>,
        string_data: Option<NodeId>,
        kind_span: Span,
    ) -> Secret {
        let secret_type = self.text(secret_type, "type");
        let values = |this: &mut Self,
                      node: Option<NodeId>,
                      field: &str|
         -> (Vec<SecretEntry>, Vec<RawValue<'t>>) {
            let Some(map) = this.mapping(node, field) else {
                return (Vec::new(), Vec::new());
            };
            let mut entries = Vec::new();
            let mut raw = Vec::new();
            let tree = this.tree;
            for &(key, value) in tree.entries(map) {
                let value_span = tree.span(value);
                let Some(key_text) = tree.key(key) else {
                    continue;
                };
                let text = match tree.scalar(value) {
                    // JSON null decodes to no bytes (`"a": null` is an empty value).
                    Some(s) if s.kind == ScalarKind::Null => "",
                    Some(s) if s.kind == ScalarKind::String => &*s.text,
                    _ => {
                        // The value is never quoted back: it may be secret material; nor is
                        // a key that is not a valid data key (`password:hunter2`).
                        let found = tree.node(value).describe();
                        let key = crate::redaction::quoted_key(key_text);
                        this.error(
                            value_span,
                            format!("`{field}.{key}` must be a string, found {found}"),
                            None,
                        );
                        continue;
                    }
                };
                let key_span = tree.span(key);
                entries.push(SecretEntry {
                    key: Spanned {
                        value: key_text.into(),
                        span: key_span,
                    },
                    value_span,
                });
                raw.push(RawValue {
                    key: key_text,
                    key_span,
                    text,
                    span: value_span,
                });
            }
            (entries, raw)
        };
        let (data, raw_data) = values(self, data, "data");
        let (string_data, raw_string_data) = values(self, string_data, "stringData");
        let docker_config = secret_content::analyze(
            secret_type.as_ref(),
            kind_span,
            &raw_data,
            &raw_string_data,
            &mut self.errors,
        );
        Secret {
            secret_type,
            data,
            string_data,
            docker_config,
        }
    }

    fn kubelet_configuration(&mut self, root: NodeId) -> KubeletConfiguration {
        let [policy, gates] = self.fields(
            root,
            ["imagePullCredentialsVerificationPolicy", "featureGates"],
        );
        let verification_policy = self
            .text(policy, "imagePullCredentialsVerificationPolicy")
            .filter(|p| !p.value.is_empty());
        let ensure_secret_pulled_images = self
            .mapping(gates, "featureGates")
            .and_then(|gates| self.fields(gates, ["KubeletEnsureSecretPulledImages"])[0])
            .and_then(|gate| match self.tree.scalar(gate) {
                Some(s) if s.kind == ScalarKind::Bool => {
                    let on = matches!(&*s.text, "true" | "True" | "TRUE" | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON");
                    Some(Spanned { value: on, span: self.tree.span(gate) })
                }
                _ => {
                    let found = self.tree.node(gate).describe();
                    self.error(self.tree.span(gate), format!("`featureGates.KubeletEnsureSecretPulledImages` must be a boolean, found {found}"), None);
                    None
                }
            });
        KubeletConfiguration {
            verification_policy,
            ensure_secret_pulled_images,
        }
    }

    /// `command` then `args` of a container that runs kube-apiserver (its first word names it,
    /// its image is kube-apiserver's, or it sets admission plugin flags); `None` otherwise. A
    /// shell command (`sh -c "kube-apiserver --flag=…"`) is split into words.
    fn kube_apiserver_command(
        &mut self,
        command: Option<NodeId>,
        args: Option<NodeId>,
        image: &Field<TextValue>,
    ) -> Option<Vec<TextValue>> {
        let mut words = Vec::new();
        for (node, field) in [(command, "command"), (args, "args")] {
            let Some(list) = self.list(node, field) else {
                continue;
            };
            for (index, &item) in self.tree.items(list).iter().enumerate() {
                // The item's name is only built for an error message.
                let word = if self.tree.str(item).is_some() {
                    self.text(Some(item), field)
                } else {
                    self.text(Some(item), &format!("{field}[{index}]"))
                };
                let Some(word) = word else {
                    continue;
                };
                if word.value.contains(char::is_whitespace) && word.value.contains("kube-apiserver")
                {
                    words.extend(split_words(&word));
                } else {
                    words.push(word);
                }
            }
        }
        let runs_it = words
            .iter()
            .any(|w| w.value.rsplit('/').next() == Some("kube-apiserver"))
            || words.iter().any(|w| Flag::of_argument(&w.value).is_some())
            || image.value().is_some_and(|image| {
                // The last path component, without tag or digest (`reg:5000/kube-apiserver:v1`).
                let last = image.value.rsplit('/').next().unwrap_or_default();
                last.split(['@', ':']).next() == Some("kube-apiserver")
            });
        runs_it.then_some(words)
    }

    /// Where an `imagePullPolicy` line can go: after the `image:` line of a block mapping.
    fn policy_insertion(&self, container: NodeId, image: &Field<TextValue>) -> Option<Insertion> {
        let image = image.value()?;
        let file = self.file.as_bytes();
        if file.get(self.tree.span(container).start as usize) == Some(&b'{') {
            return None; // flow mapping
        }
        let start = image.span.start as usize;
        let line_start = file[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = file[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(file.len(), |i| start + i);
        if (image.span.end as usize) > line_end {
            return None; // the value spans lines
        }
        // The key's column: skip the indentation and a `- ` that opens the list item.
        let line = &file[line_start..start];
        let mut column = line.iter().take_while(|&&b| b == b' ').count();
        if line.get(column) == Some(&b'-') {
            column += 1 + line[column + 1..]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
        }
        let key_is_image = line
            .get(column..)
            .is_some_and(|rest| rest.starts_with(b"image"));
        if !key_is_image {
            return None;
        }
        let (line_end, newline) = match line_end.checked_sub(1).map(|i| file[i]) {
            Some(b'\r') => (line_end - 1, "\r\n"),
            _ => (line_end, "\n"),
        };
        Some(Insertion {
            offset: crate::source::to_u32(line_end),
            prefix: format!("{newline}{}", " ".repeat(column)).into(),
        })
    }
}

/// Splits a shell command (`sh -c "…"`) into words as a POSIX shell does: blanks and the
/// control operators `;`, `&`, `|` separate words; single quotes keep everything, double quotes
/// keep everything but `\\` escapes of `$`, `` ` ``, `"`, `\\` and newline; a backslash outside
/// quotes keeps the next character. A word keeps its span; it is verbatim (offsets map into
/// the file) only when it has no quotes or escapes and the value itself is verbatim.
fn split_words(value: &TextValue) -> Vec<TextValue> {
    let text = &*value.value;
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, first)) = chars.peek() {
        if first.is_whitespace() || matches!(first, ';' | '&' | '|') {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut plain = true;
        let mut end = start;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() || matches!(c, ';' | '&' | '|') {
                break;
            }
            chars.next();
            end = at + c.len_utf8();
            match c {
                '\'' => {
                    plain = false;
                    for (at, c) in chars.by_ref() {
                        end = at + c.len_utf8();
                        if c == '\'' {
                            break;
                        }
                        word.push(c);
                    }
                }
                '"' => {
                    plain = false;
                    while let Some((at, c)) = chars.next() {
                        end = at + c.len_utf8();
                        match c {
                            '"' => break,
                            '\\' => match chars.peek() {
                                Some(&(at, next @ ('$' | '`' | '"' | '\\' | '\n'))) => {
                                    chars.next();
                                    end = at + next.len_utf8();
                                    if next != '\n' {
                                        word.push(next);
                                    }
                                }
                                _ => word.push('\\'),
                            },
                            c => word.push(c),
                        }
                    }
                }
                '\\' => {
                    plain = false;
                    if let Some((at, next)) = chars.next() {
                        end = at + next.len_utf8();
                        if next != '\n' {
                            word.push(next);
                        }
                    }
                }
                c => word.push(c),
            }
        }
        let verbatim = plain.then(|| value.inner_span(start, end)).flatten();
        words.push(TextValue {
            value: word.into(),
            span: verbatim
                .or_else(|| value.inner_span(start, end))
                .unwrap_or(value.span),
            verbatim_at: verbatim.map(|span| span.start),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{DocumentResult, parse_documents};

    #[test]
    fn shell_words_follow_posix_quoting() {
        let value = TextValue {
            value: r#"exec kube-apiserver --a="x,y" --b='p q' c\ d;--e=1 "" --f=\"z\""#.into(),
            span: Span::new(10, 80),
            verbatim_at: Some(10),
        };
        let words = split_words(&value);
        let texts: Vec<&str> = words.iter().map(|w| &*w.value).collect();
        assert_eq!(
            texts,
            [
                "exec",
                "kube-apiserver",
                "--a=x,y",
                "--b=p q",
                "c d",
                "--e=1",
                "",
                "--f=\"z\""
            ]
        );
        assert_eq!(words[1].verbatim_at, Some(15));
        assert_eq!(words[1].span, Span::new(15, 29));
        assert_eq!(words[2].verbatim_at, None, "quoted: offsets do not map");
        assert_eq!(words[2].span, Span::new(30, 39));
    }

    fn read(text: &str) -> Vec<DocumentObjects> {
        parse_documents(text)
            .iter()
            .filter_map(|doc| match doc {
                DocumentResult::Document(tree) => Some(read_document(tree, text)),
                _ => None,
            })
            .collect()
    }

    fn workload(objects: &DocumentObjects) -> &PodSpec {
        match &objects.objects[0].0.content {
            Content::Workload(pod) => pod,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deployment_containers_with_exact_spans() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: busybox\n      containers:\n      - name: web\n        image: \"nginx:1.27\"\n        imagePullPolicy: Always\n";
        let docs = read(text);
        let pod = workload(&docs[0]);
        assert_eq!(pod.path, "spec.template.spec");
        assert_eq!(pod.containers.len(), 2);
        let web = pod
            .containers
            .iter()
            .find(|c| c.kind == ContainerKind::Container)
            .unwrap();
        let image = web.image.value().unwrap();
        assert_eq!(&*image.value, "nginx:1.27");
        assert_eq!(image.span.slice(text), "\"nginx:1.27\"");
        assert_eq!(image.inner_span(0, 5).unwrap().slice(text), "nginx");
        assert!(docs[0].objects[0].1.is_empty());
        let object = &docs[0].objects[0].0;
        assert_eq!(object.namespace.as_ref().unwrap().value.as_ref(), "prod");
    }

    #[test]
    fn shapes_are_reported_not_fatal() {
        let text = "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: 1.10\n  - name: b\n    image: nginx\n    image: redis\n  imagePullSecrets: [regcred, {}]\n";
        let docs = read(text);
        let errors: Vec<&str> = docs[0].objects[0]
            .1
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            errors,
            [
                "`image` must be a string, but YAML reads `1.10` as a number",
                "duplicate key `image`",
                "`imagePullSecrets[0]` must be an object with a `name`, found a string",
                "`imagePullSecrets[1]` has no `name`",
            ]
        );
        let pod = workload(&docs[0]);
        assert_eq!(pod.containers.len(), 2);
        assert_eq!(&*pod.containers[1].image.value().unwrap().value, "redis");
        assert_eq!(pod.containers[0].image, Field::Malformed);
    }

    #[test]
    fn lists_cronjobs_and_unknown_kinds() {
        let text = "kind: List\nitems:\n- kind: CronJob\n  spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}]}}}}}\n- kind: Rollout\n  apiVersion: argoproj.io/v1alpha1\n  spec: {template: {spec: {containers: [{image: y}]}}}\n- kind: ConfigMap\n- {not: an object}\n";
        let docs = read(text);
        let objects = &docs[0].objects;
        assert_eq!(objects.len(), 3);
        assert!(
            matches!(&objects[0].0.content, Content::Workload(p) if p.path == "spec.jobTemplate.spec.template.spec")
        );
        assert!(
            matches!(&objects[1].0.content, Content::Workload(p) if p.path == "spec.template.spec")
        );
        assert!(matches!(objects[2].0.content, Content::Other));
    }

    #[test]
    fn secrets_record_keys_and_never_quote_invalid_ones() {
        let text = "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6e319\nstringData: {token: s3cr3t, password:hunter2: [], \"a b\": x}\n";
        let docs = read(text);
        let Content::Secret(secret) = &docs[0].objects[0].0.content else {
            panic!()
        };
        assert_eq!(&*secret.data[0].key.value, ".dockerconfigjson");
        let errors: Vec<&str> = docs[0].objects[0]
            .1
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .all(|e| !e.contains("hunter2") && !e.contains("a b")),
            "{errors:?}"
        );
        assert!(
            errors[0].starts_with("`stringData.***` must be a string"),
            "{errors:?}"
        );
    }

    #[test]
    fn kube_apiserver_is_recognised_by_its_image_behind_a_registry_port() {
        for (image, runs) in [
            ("registry.k8s.io/kube-apiserver:v1.31.0", true),
            ("reg.example.com:5000/kube-apiserver:v1.31.0", true),
            ("reg.example.com:5000/kube-apiserver@sha256:abc", true),
            ("reg.example.com:5000/kube-apiserver-proxy:v1", false),
        ] {
            let text =
                format!("kind: Pod\nspec:\n  containers:\n  - name: a\n    image: {image}\n");
            let docs = read(&text);
            let Content::Workload(pod) = &docs[0].objects[0].0.content else {
                panic!()
            };
            assert_eq!(pod.containers[0].kube_apiserver.is_some(), runs, "{image}");
        }
    }

    #[test]
    fn a_duplicated_spec_or_template_is_reported_once() {
        for text in [
            "kind: Deployment\nspec: {template: {spec: {containers: []}}}\nspec: {template: {spec: {containers: []}}}\n",
            "kind: PodTemplate\ntemplate: {spec: {containers: []}}\ntemplate: {spec: {containers: []}}\n",
        ] {
            let docs = read(text);
            let errors: Vec<&str> = docs[0]
                .errors
                .iter()
                .chain(&docs[0].objects[0].1)
                .map(|e| e.message.as_str())
                .collect();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].starts_with("duplicate key"), "{errors:?}");
        }
    }

    #[test]
    fn non_objects_are_skipped_silently() {
        assert!(read("- a\n- b\n")[0].objects.is_empty());
        assert!(read("name: no kind here\n")[0].objects.is_empty());
    }
}
