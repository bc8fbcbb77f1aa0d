//! Pods and pod templates: where each kind keeps its pod spec, the containers of the three
//! kinds, image volumes, and `imagePullSecrets` lists (a ServiceAccount's too).

use super::reader::{FieldName, Reader};
use crate::manifest::model::{
    Container, ContainerKind, Content, Field, ImageVolume, Insertion, PodSpec, PullSecretList,
    PullSecretRef, TextValue,
};
use crate::manifest::tree::{NodeId, ScalarKind};

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
    /// The pod spec at `path` of a kind known to have one; wrong shapes on the way are errors.
    /// `first` is the object's `path[0]` field, already read (and checked for duplicates)
    /// with the object's other fields.
    pub(super) fn pod_spec_at(
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
    pub(super) fn pod_spec_of_unknown_kind(&mut self, spec: Option<NodeId>) -> Content {
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

    pub(super) fn pod_spec(&mut self, spec: NodeId, path: &'static str, is_pod: bool) -> PodSpec {
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

    pub(super) fn container(
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

    pub(super) fn image_volumes(
        &mut self,
        volumes: Option<NodeId>,
        path: &str,
    ) -> Vec<ImageVolume> {
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

    pub(super) fn pull_secrets(&mut self, node: Option<NodeId>) -> Option<PullSecretList> {
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

    /// Where an `imagePullPolicy` line can go: after the `image:` line of a block mapping.
    pub(super) fn policy_insertion(
        &self,
        container: NodeId,
        image: &Field<TextValue>,
    ) -> Option<Insertion> {
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
