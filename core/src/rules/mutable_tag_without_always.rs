use crate::diagnostic::shown;
use crate::pull_policy::PullPolicy;
use crate::reference::DEFAULT_TAG;
use crate::rules::context::{Context, ImageCheck, WrittenPolicy};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports `imagePullPolicy: IfNotPresent` or `Never` on an image that has no digest and
    /// whose tag is `latest` or missing.
    ///
    /// ## Why is this bad?
    /// The tag moves, but a node that already has an image under that name never asks the
    /// registry again: each node keeps running whatever it pulled first, so replicas differ and
    /// a push never reaches the nodes that had the old image.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: worker
    ///         image: registry.example.com/team/worker:latest
    ///         imagePullPolicy: IfNotPresent
    /// ```
    ///
    /// ## How to fix
    /// Pin a version tag or a digest, or use `imagePullPolicy: Always`.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: worker
    ///         image: registry.example.com/team/worker:2024.05.1
    ///         imagePullPolicy: IfNotPresent
    /// ```
    pub struct MutableTagWithoutAlways {
        code: "IMG202",
        name: "mutable-tag-without-always",
        category: PullPolicy,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for MutableTagWithoutAlways {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let WrittenPolicy::Valid(policy @ (PullPolicy::IfNotPresent | PullPolicy::Never), written) =
            check.policy
        else {
            return;
        };
        let (Some(image), Some(reference)) = (check.image, check.valid_reference()) else {
            return;
        };
        if reference.digest().is_some() || reference.effective_tag() != Some(DEFAULT_TAG) {
            return;
        }
        let field = check.usage.policy_field();
        let tag = if reference.tag().is_some() {
            "the tag `latest`"
        } else {
            "no tag"
        };
        ctx.report(
            written.span,
            format!("`{field}: {policy}` with `{}`, which has {tag}: each node keeps running whatever it pulled first", shown(&image.value)),
        )
        .label(image.span, "mutable: no digest")
        .help(format!("pin a version tag or a digest, or use `{field}: Always`"))
        .path(check.policy_path());
    }
}
