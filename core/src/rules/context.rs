//! What a rule sees ([`ImageCheck`], [`ObjectCheck`]) and how it reports ([`Context`]).

use std::cell::OnceCell;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, ObjectRef, bounded_name};
use crate::findings::Findings;
use crate::index::Index;
use crate::keyring::registry::needs_no_pull_secret;
use crate::manifest::model::{Field, ImageUse, Object, PodSpec, TextValue};
use crate::pull_policy::PullPolicy;
use crate::pull_secrets::{PullSecret, PullSecrets, WrittenAt};
use crate::reference::{ImageReference, ReferenceError, parse_normalized};
use crate::rule_meta::{RuleMeta, Severity};
use crate::source::Span;
use crate::suppression::Suppression;

/// The `imagePullPolicy` (or `pullPolicy`) as written.
#[derive(Clone, Copy, Debug)]
pub enum WrittenPolicy<'a> {
    /// Absent, null or empty: the API server fills in the default.
    Unset,
    Valid(PullPolicy, &'a TextValue),
    /// Not one of the three values (`always`, `Latest`, …).
    Invalid(&'a TextValue),
    /// Not a string (reported as IMG002).
    Malformed,
}

/// One image a pod pulls, parsed once for every rule.
#[derive(Debug)]
pub struct ImageCheck<'a> {
    pub usage: ImageUse<'a>,
    /// The pod's namespace (written, else the run's default).
    pub namespace: &'a str,
    /// The image string; `None` when the field is absent or malformed.
    pub image: Option<&'a TextValue>,
    /// The parsed reference; `None` when the field is absent or malformed.
    pub reference: Option<Result<ImageReference<'a>, ReferenceError<'a>>>,
    pub policy: WrittenPolicy<'a>,
    /// The pod's pull secrets, resolved once per pod for all its images and rules.
    pub pull_secrets: &'a PullSecrets<'a>,
    /// `reference.name()` as text, built once for the rules that need it.
    name: OnceCell<String>,
}

impl<'a> ImageCheck<'a> {
    pub fn new(usage: ImageUse<'a>, namespace: &'a str, pull_secrets: &'a PullSecrets<'a>) -> Self {
        let image = usage.image().value();
        let reference = image.map(|image| parse_normalized(&image.value));
        let policy = match usage.pull_policy() {
            Field::Absent => WrittenPolicy::Unset,
            Field::Malformed => WrittenPolicy::Malformed,
            Field::Value(text) => match PullPolicy::from_api_value(&text.value) {
                Some(policy) => WrittenPolicy::Valid(policy, text),
                None => WrittenPolicy::Invalid(text),
            },
        };
        Self {
            usage,
            namespace,
            image,
            reference,
            policy,
            pull_secrets,
            name: OnceCell::new(),
        }
    }

    /// The normalised name of the valid reference (`docker.io/library/nginx`), formatted once
    /// per image however many rules ask.
    pub fn normalized_name(&self) -> Option<&str> {
        let reference = self.valid_reference()?;
        Some(self.name.get_or_init(|| reference.name().to_string()))
    }

    /// The parsed reference, when the image is present and valid.
    pub fn valid_reference(&self) -> Option<&ImageReference<'a>> {
        self.reference.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// The policy in force: the valid written one, else the API server's default for the image.
    pub fn effective_policy(&self) -> PullPolicy {
        match self.policy {
            WrittenPolicy::Valid(policy, _) => policy,
            WrittenPolicy::Unset | WrittenPolicy::Invalid(_) | WrittenPolicy::Malformed => {
                self.valid_reference().map_or(
                    PullPolicy::IfNotPresent,
                    ImageReference::default_pull_policy,
                )
            }
        }
    }

    /// `spec.containers[0].image`
    pub fn image_path(&self) -> String {
        self.field_path(self.usage.image_field())
    }

    /// `spec.containers[0].imagePullPolicy`
    pub fn policy_path(&self) -> String {
        self.field_path(self.usage.policy_field())
    }

    fn field_path(&self, field: &str) -> String {
        let mut path = self.usage.path();
        path.push('.');
        path.push_str(field);
        path
    }

    /// The image and its normalised name, when the reference is valid and its registry needs
    /// credentials: not Docker Hub, not a built-in public registry, not in `trusted`.
    pub fn private_image(
        &self,
        trusted: &[String],
    ) -> Option<(&'a TextValue, &ImageReference<'a>, &str)> {
        let (image, reference) = (self.image?, self.valid_reference()?);
        let name = self.normalized_name()?;
        (!needs_no_pull_secret(name, trusted)).then_some((image, reference, name))
    }

    /// The span of `start..end` inside the image value, falling back to the whole value.
    pub fn image_inner_span(&self, image: &TextValue, start: usize, end: usize) -> Span {
        image.inner_span(start, end).unwrap_or(image.span)
    }
}

/// One object, with what the run knows about it.
#[derive(Debug)]
pub struct ObjectCheck<'a> {
    pub object: &'a Object,
    /// `metadata.namespace`, else the run's default namespace.
    pub namespace: &'a str,
    /// For objects with a pod spec.
    pub workload: Option<Workload<'a>>,
}

/// A pod spec and its pull secrets, resolved once.
#[derive(Debug)]
pub struct Workload<'a> {
    pub pod: &'a PodSpec,
    pub pull_secrets: PullSecrets<'a>,
}

impl<'a> ObjectCheck<'a> {
    /// The pull secret names the kubelet looks up for the object's pods, each with its pod
    /// and list (where IMG301, IMG302 and IMG303 start); none for objects without a pod spec.
    pub fn named_pull_secrets(&self) -> impl Iterator<Item = PodPullSecret<'_, 'a>> {
        self.workload.iter().flat_map(|workload| {
            workload
                .pull_secrets
                .named()
                .map(move |secret| PodPullSecret {
                    pod: workload.pod,
                    secrets: &workload.pull_secrets,
                    secret,
                })
        })
    }
}

/// One named pull secret of a pod, with the list it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct PodPullSecret<'c, 'a> {
    pub pod: &'a PodSpec,
    pub secrets: &'c PullSecrets<'a>,
    pub secret: &'c PullSecret<'a>,
}

/// Where a rule reports. The engine sets the rule, severity, object and container before each
/// hook; a rule only says what is wrong and where.
pub struct Context<'a> {
    /// The name of the file being linted.
    pub(crate) file_name: &'a str,
    pub(crate) rule: &'static RuleMeta,
    pub(crate) severity: Severity,
    /// The object being linted and its namespace; its [`ObjectRef`] is built on its first
    /// finding (most objects have none) and shared by the others.
    pub(crate) object_of: Option<(&'a Object, &'a str)>,
    pub(crate) object: Option<Arc<ObjectRef>>,
    pub(crate) container: Option<&'a str>,
    pub(crate) config: &'a Config,
    pub(crate) index: &'a Index,
    /// What the rules found in this file so far, within the per-file bound.
    pub(crate) findings: Findings,
    /// The object's `imglint.dev/ignore` annotation: findings it names are counted in
    /// `suppressed` as they are reported, never held.
    pub(crate) suppression: Option<Suppression>,
    pub(crate) suppressed: usize,
}

impl<'a> Context<'a> {
    /// Makes the findings reported from now on carry `rule` at `severity`: set before each hook
    /// (`run_on_image` and `run_on_object` in `rule.rs`), and by the engine before the findings
    /// it reports itself (IMG001 to IMG004).
    pub fn reporting_as(&mut self, rule: &'static RuleMeta, severity: Severity) -> &mut Self {
        self.rule = rule;
        self.severity = severity;
        self
    }

    /// Reports a finding at `span`; the returned diagnostic takes help, labels and a fix.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let mut diagnostic = Diagnostic::new(self.rule, self.severity, span, message.into());
        if self.object.is_none()
            && let Some((object, namespace)) = self.object_of
        {
            self.object = Some(Arc::new(ObjectRef {
                api_version: object.api_version.as_deref().map(bounded_name),
                kind: bounded_name(&object.kind),
                namespace: Some(bounded_name(namespace)),
                name: object.name.as_ref().map(|name| bounded_name(&name.value)),
            }));
        }
        diagnostic.object.clone_from(&self.object);
        diagnostic.container = self.container.map(bounded_name);
        if let Some(suppression) = &mut self.suppression
            && suppression.suppresses(self.rule)
        {
            self.suppressed += 1;
            return self.findings.discard(diagnostic);
        }
        self.findings.push(diagnostic)
    }

    pub fn config(&self) -> &'a Config {
        self.config
    }

    pub fn index(&self) -> &'a Index {
        self.index
    }

    /// A label for a place that may be in this file or another one.
    pub fn label_at(
        diagnostic: &mut Diagnostic,
        file_name: &str,
        location: &Location,
        message: impl Into<String>,
    ) {
        if &*location.file == file_name {
            diagnostic.label(location.span, message);
        } else {
            diagnostic.label_elsewhere(location.clone(), message);
        }
    }

    pub fn file_name(&self) -> &'a str {
        self.file_name
    }

    /// Reports a finding about one of a pod's pull secrets: at its entry in the pod, or, when
    /// the ServiceAccount gave it, at the pod's ServiceAccount with a label at that entry.
    pub fn report_pull_secret(
        &mut self,
        at: PodPullSecret<'_, '_>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let file = self.file_name;
        let PodPullSecret {
            pod,
            secrets,
            secret,
        } = at;
        match secret.written {
            WrittenAt::Pod(span) => self.report(span, message),
            WrittenAt::ServiceAccount(location) => {
                let diagnostic = self.report(pod.service_account_span(), message);
                Self::label_at(
                    diagnostic,
                    file,
                    location,
                    format!("from {}", secrets.describe_source()),
                );
                diagnostic
            }
        }
    }
}
