//! The AlwaysPullImages admission plugin (`plugin/pkg/admission/alwayspullimages`): on
//! CREATE and UPDATE of pods (no subresource), every container of every kind and every image
//! volume is set to `imagePullPolicy: Always`, and validation refuses anything else.

/// The images of a pod, as the plugin visits them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodImages {
    pub init_containers: Vec<ContainerImage>,
    pub containers: Vec<ContainerImage>,
    pub ephemeral_containers: Vec<ContainerImage>,
    pub image_volumes: Vec<VolumeImage>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerImage {
    pub name: String,
    pub image: String,
    /// `""` when unset.
    pub pull_policy: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeImage {
    pub name: String,
    pub reference: String,
    pub pull_policy: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
}

/// An admission request as the plugin sees it.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub operation: Operation,
    pub resource: &'a str,
    pub subresource: &'a str,
    /// The pod's name, for error messages.
    pub name: &'a str,
    /// The old object on UPDATE.
    pub old_pod: Option<&'a PodImages>,
}

/// What the plugin did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not a request the plugin acts on.
    Ignored,
    Admitted,
}

pub const NOT_A_POD: &str = "Resource was marked with kind Pod but was unable to be converted";

impl PodImages {
    /// `pods.VisitContainersWithPath` order: init containers, containers, ephemeral containers.
    fn containers_with_path(&self) -> impl Iterator<Item = (String, &ContainerImage)> {
        self.init_containers
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("spec.initContainers[{i}]"), c))
            .chain(
                self.containers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (format!("spec.containers[{i}]"), c)),
            )
            .chain(
                self.ephemeral_containers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (format!("spec.ephemeralContainers[{i}]"), c)),
            )
    }

    fn images(&self) -> impl Iterator<Item = &str> {
        self.init_containers
            .iter()
            .chain(&self.containers)
            .chain(&self.ephemeral_containers)
            .map(|c| c.image.as_str())
    }
}

/// Whether the plugin acts on a request (`shouldIgnore` and `isUpdateWithNoNewImages`).
fn applies(request: &Request<'_>, pod: &PodImages) -> bool {
    if request.resource != "pods" || !request.subresource.is_empty() {
        return false;
    }
    if request.operation == Operation::Update
        && let Some(old) = request.old_pod
        && pod
            .images()
            .all(|image| old.images().any(|old| old == image))
    {
        return false;
    }
    true
}

/// The pod the plugin acts on; `None` when it lets the request through untouched.
fn target<P: std::ops::Deref<Target = PodImages>>(
    request: &Request<'_>,
    pod: Option<P>,
) -> Result<Option<P>, String> {
    if request.resource != "pods" || !request.subresource.is_empty() {
        return Ok(None);
    }
    let pod = pod.ok_or_else(|| NOT_A_POD.to_owned())?;
    Ok(applies(request, &pod).then_some(pod))
}

/// `Admit`: forces `Always` on every container and image volume.
///
/// # Errors
/// [`NOT_A_POD`] when the request is for pods but its object is not a Pod (`pod` is `None`).
pub fn admit(request: &Request<'_>, pod: Option<&mut PodImages>) -> Result<Outcome, String> {
    let Some(pod) = target(request, pod)? else {
        return Ok(Outcome::Ignored);
    };
    for container in pod
        .init_containers
        .iter_mut()
        .chain(&mut pod.containers)
        .chain(&mut pod.ephemeral_containers)
    {
        container.pull_policy = "Always".to_owned();
    }
    for volume in &mut pod.image_volumes {
        volume.pull_policy = "Always".to_owned();
    }
    Ok(Outcome::Admitted)
}

/// `Validate`: every container and image volume must have `Always`.
///
/// # Errors
/// The aggregated `Forbidden` errors, as the API server returns them.
pub fn validate(request: &Request<'_>, pod: Option<&PodImages>) -> Result<Outcome, String> {
    let Some(pod) = target(request, pod)? else {
        return Ok(Outcome::Ignored);
    };
    let forbidden = |path: &str, field: &str, value: &str| {
        format!(
            "pods {:?} is forbidden: {path}.{field}: Unsupported value: {value:?}: supported values: \"Always\"",
            request.name
        )
    };
    let mut errors: Vec<String> = pod
        .containers_with_path()
        .filter(|(_, c)| c.pull_policy != "Always")
        .map(|(path, c)| forbidden(&path, "imagePullPolicy", &c.pull_policy))
        .collect();
    errors.extend(
        pod.image_volumes
            .iter()
            .enumerate()
            .filter(|(_, v)| v.pull_policy != "Always")
            .map(|(i, v)| {
                forbidden(
                    &format!("spec.volumes[{i}].image"),
                    "pullPolicy",
                    &v.pull_policy,
                )
            }),
    );
    match errors.len() {
        0 => Ok(Outcome::Admitted),
        1 => Err(errors.remove(0)),
        _ => Err(format!("[{}]", errors.join(", "))),
    }
}
