//! Reading Kubernetes objects out of a document tree.
//!
//! Only the fields rules use are read. A known field with the wrong shape (a mapping where a
//! list belongs, a number where a string belongs, a duplicated key) becomes a [`ShapeError`]
//! (reported as IMG002) and is otherwise skipped, so one bad field never hides the rest.
//!
//! `read_document` reads what every object has (`kind`, `metadata`, `List` items) and hands the
//! rest to the reader of its kind: `pods.rs` (workloads and pod templates), `secrets.rs`
//! (Secrets and ServiceAccounts), `control_plane.rs` (kube-apiserver, KubeletConfiguration),
//! all through `reader.rs`'s typed field access.

mod control_plane;
mod pods;
mod reader;
mod secrets;
pub(super) mod shape;

pub use pods::{POD_TEMPLATE_LIKE, pod_spec_path};
use reader::Reader;
pub use shape::ShapeError;

use super::model::{Content, Object, Spanned, TextValue};
use super::tree::{NodeId, Tree};
use crate::limits::MAX_LIST_DEPTH;

/// The objects of one document, and shape errors that belong to no object.
#[derive(Debug, Default)]
pub struct DocumentObjects {
    pub objects: Vec<(Object, Vec<ShapeError>)>,
    pub errors: Vec<ShapeError>,
}

/// The annotation that suppresses findings on an object.
pub const IGNORE_ANNOTATION: &str = "imglint.dev/ignore";

/// What the reader takes from `metadata`.
#[derive(Default)]
struct Metadata {
    name: Option<Spanned<Box<str>>>,
    namespace: Option<Spanned<Box<str>>>,
    ignore_annotation: Option<TextValue>,
}

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

impl<'t> Reader<'t, '_> {
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
            "ServiceAccount" => Content::ServiceAccount(self.service_account(pull_secrets)),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::model::{ContainerKind, Field, PodSpec};
    use crate::manifest::{DocumentResult, parse_documents};

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
