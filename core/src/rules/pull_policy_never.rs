use crate::diagnostic::shown;
use crate::pull_policy::PullPolicy;
use crate::rules::context::{Context, ImageCheck, WrittenPolicy};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports `imagePullPolicy: Never`.
    ///
    /// ## Why is this bad?
    /// The kubelet never pulls the image: it must already be on every node that may run the
    /// pod. On a node without it the container fails with `ErrImageNeverPull` ("Container image
    /// … is not present with pull policy of Never"), which typically appears only after a node
    /// is replaced or the pod is rescheduled.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: tool
    /// spec:
    ///   containers:
    ///   - name: tool
    ///     image: registry.example.com/tools/debug:1.4
    ///     imagePullPolicy: Never
    /// ```
    ///
    /// ## How to fix
    /// Use `IfNotPresent` (pulls once per node), or make sure every node has the image, for
    /// example by baking it into the node image, then suppress the finding on that object.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: tool
    /// spec:
    ///   containers:
    ///   - name: tool
    ///     image: registry.example.com/tools/debug:1.4
    ///     imagePullPolicy: IfNotPresent
    /// ```
    pub struct PullPolicyNever {
        code: "IMG203",
        name: "pull-policy-never",
        category: PullPolicy,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for PullPolicyNever {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let WrittenPolicy::Valid(PullPolicy::Never, written) = check.policy else {
            return;
        };
        let field = check.usage.policy_field();
        let image = check.image.map_or_else(
            || "the image".to_owned(),
            |image| format!("`{}`", shown(&image.value)),
        );
        ctx.report(written.span, format!("`{field}: Never`: {image} must already be on every node that may run this pod"))
            .help("on a node without it the container fails with `ErrImageNeverPull`; use `IfNotPresent` unless the image is baked into every node")
            .path(check.policy_path());
    }
}
