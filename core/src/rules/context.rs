//! What a rule sees ([`ImageCheck`], [`ObjectCheck`]) and how it reports ([`Context`]).

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::index::Index;
use crate::manifest::model::{Field, ImageUse, Object, TextValue};
use crate::pull_policy::PullPolicy;
use crate::reference::{ImageReference, ReferenceError, parse_normalized};
use crate::rules::RuleMeta;
use crate::source::Span;

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
    /// The image string; `None` when the field is absent or malformed.
    pub image: Option<&'a TextValue>,
    /// The parsed reference; `None` when the field is absent or malformed.
    pub reference: Option<Result<ImageReference<'a>, ReferenceError<'a>>>,
    pub policy: WrittenPolicy<'a>,
}

impl<'a> ImageCheck<'a> {
    pub fn new(usage: ImageUse<'a>) -> Self {
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
            image,
            reference,
            policy,
        }
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
        format!("{}.{}", self.usage.path(), self.usage.image_field())
    }

    /// `spec.containers[0].imagePullPolicy`
    pub fn policy_path(&self) -> String {
        format!("{}.{}", self.usage.path(), self.usage.policy_field())
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
}

/// Where a rule reports. The engine sets the rule, severity, object and container before each
/// hook; a rule only says what is wrong and where.
pub struct Context<'a> {
    pub(crate) rule: &'static RuleMeta,
    pub(crate) severity: Severity,
    pub(crate) object: Option<Arc<ObjectRef>>,
    pub(crate) container: Option<Box<str>>,
    pub(crate) config: &'a Config,
    pub(crate) index: &'a Index,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    /// Reports a finding at `span`; the returned diagnostic takes help, labels and a fix.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let mut diagnostic = Diagnostic::new(self.rule, self.severity, span, message.into());
        diagnostic.object.clone_from(&self.object);
        diagnostic.container.clone_from(&self.container);
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    pub fn config(&self) -> &'a Config {
        self.config
    }

    pub fn index(&self) -> &'a Index {
        self.index
    }
}
