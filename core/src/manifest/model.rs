//! The Kubernetes objects imglint reads, with the span of every value it may report.
//!
//! The model is owned and compact: it keeps only the fields rules look at, so the documents'
//! trees can be dropped as soon as a file is read while objects from every file of a run stay
//! available for cross-file checks (a Pod in one file, its pull Secret in another).

use crate::source::Span;

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A field the reader looked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Field<T> {
    /// Not written (or, where the API treats them alike, null or empty).
    #[default]
    Absent,
    /// Written with the wrong shape (reported as IMG002; other rules leave it alone).
    Malformed,
    Value(T),
}

impl<T> Field<T> {
    pub const fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    pub const fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }
}

/// A string value as written in a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextValue {
    pub value: Box<str>,
    /// The whole value in the file, quotes included.
    pub span: Span,
    /// Where `value` starts verbatim in the file, when it does (plain or simply quoted on one
    /// line): offsets inside the value map to the file by adding this. `None` for escaped or
    /// multi-line scalars, whose characters do not line up with the source.
    pub verbatim_at: Option<u32>,
}

impl TextValue {
    /// The span in the file of `range` (byte offsets within `value`), if the value is verbatim.
    pub fn inner_span(&self, start: usize, end: usize) -> Option<Span> {
        self.verbatim_at
            .map(|at| Span::new(at as usize + start, at as usize + end))
    }
}

/// One Kubernetes object (one document, or one item of a `List`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub api_version: Option<Box<str>>,
    pub kind: Box<str>,
    pub name: Option<Spanned<Box<str>>>,
    /// `metadata.namespace` as written; the effective namespace also depends on the run.
    pub namespace: Option<Spanned<Box<str>>>,
    /// The whole object.
    pub span: Span,
    /// Span of the `kind` value, where object-level findings point when nothing is closer.
    pub kind_span: Span,
    /// `metadata.annotations["imglint.dev/ignore"]`.
    pub ignore_annotation: Option<TextValue>,
    pub content: Content,
}

/// What imglint knows how to read in an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Anything with a pod spec: Pod, the workload kinds, PodTemplate, and unknown kinds with a
    /// standard pod template (Argo Rollouts, Knative Services, …).
    Workload(PodSpec),
    Secret(Secret),
    ServiceAccount(ServiceAccount),
    KubeletConfiguration(KubeletConfiguration),
    Other,
}

/// A pod spec and the path to it in its object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSpec {
    /// `spec`, `spec.template.spec`, `template.spec` or `spec.jobTemplate.spec.template.spec`.
    pub path: &'static str,
    /// A Pod itself rather than a template: the API server validates a few things only there.
    pub is_pod: bool,
    pub containers: Vec<Container>,
    pub image_volumes: Vec<ImageVolume>,
    /// `imagePullSecrets`, when the field is present.
    pub image_pull_secrets: Option<PullSecretList>,
    /// `serviceAccountName` (or the deprecated `serviceAccount` when that is all there is).
    pub service_account_name: Option<TextValue>,
    /// The first key of the spec, where findings about the spec as a whole point.
    pub first_key: Span,
    pub span: Span,
}

/// The three lists of containers in a pod spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContainerKind {
    InitContainer,
    Container,
    EphemeralContainer,
}

impl ContainerKind {
    /// The pod spec field that holds this kind.
    pub const fn field(self) -> &'static str {
        match self {
            Self::InitContainer => "initContainers",
            Self::Container => "containers",
            Self::EphemeralContainer => "ephemeralContainers",
        }
    }

    /// How messages name it.
    pub const fn noun(self) -> &'static str {
        match self {
            Self::InitContainer => "init container",
            Self::Container => "container",
            Self::EphemeralContainer => "ephemeral container",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub kind: ContainerKind,
    /// Position in its list.
    pub index: u32,
    pub name: Option<TextValue>,
    /// `image`; a null value reads as the empty string, as in the API.
    pub image: Field<TextValue>,
    /// `imagePullPolicy`; absent, null and empty all get the default.
    pub pull_policy: Field<TextValue>,
    /// The command line (`command` then `args`) when the container runs kube-apiserver.
    pub kube_apiserver: Option<Vec<TextValue>>,
    /// Where a `imagePullPolicy` line can be added (block-style containers only).
    pub policy_insertion: Option<Insertion>,
    pub span: Span,
}

/// A place to insert a sibling key: `text` goes at `offset` (the end of the image line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub offset: u32,
    /// The line break and indentation that put a new key beside `image:`.
    pub prefix: Box<str>,
}

/// A volume with an `image` source (KEP-4639): an OCI image mounted read-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageVolume {
    pub index: u32,
    pub name: Option<TextValue>,
    /// `image.reference`.
    pub reference: Field<TextValue>,
    /// `image.pullPolicy`, defaulted like a container's.
    pub pull_policy: Field<TextValue>,
    /// The `image` mapping.
    pub span: Span,
}

/// `imagePullSecrets` (of a pod spec or a ServiceAccount).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullSecretList {
    pub entries: Vec<PullSecretRef>,
    /// The list itself.
    pub span: Span,
}

/// One `imagePullSecrets` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullSecretRef {
    /// `name`; `None` when the entry has no `name` (the API reads that as the empty name).
    pub name: Option<TextValue>,
    /// The entry.
    pub span: Span,
}

impl PullSecretRef {
    /// The name the API server sees: missing and null are the empty name.
    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |name| &name.value)
    }
}

/// A Secret: its type and the keys of `data` and `stringData` (never their values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    /// `type`; absent means Opaque.
    pub secret_type: Option<TextValue>,
    pub data: Vec<SecretEntry>,
    pub string_data: Vec<SecretEntry>,
    /// For the two registry credential types: what the API server and the kubelet make of it.
    pub docker_config: Option<DockerConfigReport>,
}

impl Secret {
    /// The type the API server sees (`Opaque` when unset).
    pub fn type_name(&self) -> &str {
        self.secret_type.as_ref().map_or("Opaque", |t| &t.value)
    }
}

/// What was found reading a registry credential Secret's content. Holds no credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerConfigReport {
    pub format: crate::keyring::docker_config::ConfigFormat,
    /// Why the API server refuses it, or the kubelet cannot use it (IMG304).
    pub problems: Vec<SecretProblem>,
    /// The registry keys as the kubelet indexes them (`index.docker.io`, `quay.io/org`).
    pub registry_keys: Vec<Box<str>>,
    /// The key the type requires is present.
    pub has_key: bool,
    /// The kubelet can build a keyring from it (a decode error fails every pull that uses it).
    pub usable: bool,
}

/// One problem with a registry credential Secret, worded without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretProblem {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// A kubelet's configuration file (`kubelet.config.k8s.io`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletConfiguration {
    /// `imagePullCredentialsVerificationPolicy` (KEP-2535).
    pub verification_policy: Option<TextValue>,
    /// `featureGates.KubeletEnsureSecretPulledImages`, when written.
    pub ensure_secret_pulled_images: Option<Spanned<bool>>,
}

/// A key of a Secret's `data` or `stringData`, with where its value is. Rules that inspect a
/// value (docker config checks) receive a summary computed while reading, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretEntry {
    pub key: Spanned<Box<str>>,
    /// The value's span in the file: always redacted from code frames.
    pub value_span: Span,
}

/// A ServiceAccount: the pull secrets it gives to pods created with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceAccount {
    pub image_pull_secrets: Option<PullSecretList>,
}

/// Where an image comes from in a pod spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageSource<'m> {
    Container(&'m Container),
    Volume(&'m ImageVolume),
}

/// One image a pod pulls: a container's `image` or an image volume's `reference`, with its
/// pull policy. Rules about images see every source through this.
#[derive(Clone, Copy, Debug)]
pub struct ImageUse<'m> {
    pub source: ImageSource<'m>,
    pub pod: &'m PodSpec,
}

impl<'m> ImageUse<'m> {
    /// The image field (`image`, or a volume's `reference`).
    pub fn image(&self) -> &'m Field<TextValue> {
        match self.source {
            ImageSource::Container(container) => &container.image,
            ImageSource::Volume(volume) => &volume.reference,
        }
    }

    /// The pull policy field.
    pub fn pull_policy(&self) -> &'m Field<TextValue> {
        match self.source {
            ImageSource::Container(container) => &container.pull_policy,
            ImageSource::Volume(volume) => &volume.pull_policy,
        }
    }

    /// The container or volume name.
    pub fn name(&self) -> Option<&'m str> {
        let name = match self.source {
            ImageSource::Container(container) => container.name.as_ref(),
            ImageSource::Volume(volume) => volume.name.as_ref(),
        };
        name.map(|name| &*name.value)
    }

    /// The container or volume mapping.
    pub fn span(&self) -> Span {
        match self.source {
            ImageSource::Container(container) => container.span,
            ImageSource::Volume(volume) => volume.span,
        }
    }

    /// "container `web`", "init container `setup`", "image volume `models`".
    pub fn describe(&self) -> String {
        let (noun, name) = match self.source {
            ImageSource::Container(c) => (c.kind.noun(), self.name()),
            ImageSource::Volume(_) => ("image volume", self.name()),
        };
        match name {
            Some(name) => format!("{noun} `{name}`"),
            None => noun.to_owned(),
        }
    }

    /// The JSON path of the entry: `spec.template.spec.containers[0]`.
    pub fn path(&self) -> String {
        match self.source {
            ImageSource::Container(c) => {
                format!("{}.{}[{}]", self.pod.path, c.kind.field(), c.index)
            }
            ImageSource::Volume(v) => format!("{}.volumes[{}].image", self.pod.path, v.index),
        }
    }

    /// The field holding the image: `image` or `reference`.
    pub const fn image_field(&self) -> &'static str {
        match self.source {
            ImageSource::Container(_) => "image",
            ImageSource::Volume(_) => "reference",
        }
    }

    /// The field holding the policy: `imagePullPolicy` or `pullPolicy`.
    pub const fn policy_field(&self) -> &'static str {
        match self.source {
            ImageSource::Container(_) => "imagePullPolicy",
            ImageSource::Volume(_) => "pullPolicy",
        }
    }

    pub const fn is_ephemeral(&self) -> bool {
        matches!(self.source, ImageSource::Container(c) if matches!(c.kind, ContainerKind::EphemeralContainer))
    }
}

impl PodSpec {
    /// Where a finding about the pod's ServiceAccount points: `serviceAccountName` when it is
    /// written, else the start of the spec (the ServiceAccount is then `default`).
    pub fn service_account_span(&self) -> Span {
        self.service_account_name
            .as_ref()
            .map_or(self.first_key, |name| name.span)
    }

    /// Every image the pod pulls, in the order the kubelet starts them: init containers,
    /// containers, ephemeral containers, then image volumes.
    pub fn images(&self) -> impl Iterator<Item = ImageUse<'_>> {
        let mut containers: Vec<&Container> = self.containers.iter().collect();
        containers.sort_by_key(|c| (c.kind, c.index));
        containers
            .into_iter()
            .map(ImageSource::Container)
            .chain(self.image_volumes.iter().map(ImageSource::Volume))
            .map(move |source| ImageUse { source, pod: self })
    }
}
