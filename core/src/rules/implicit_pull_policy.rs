use crate::diagnostic::shown;
use crate::pull_policy::PullPolicy;
use crate::rules::context::{Context, ImageCheck, WrittenPolicy};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a container (or image volume) without `imagePullPolicy`, and says what
    /// Kubernetes will default it to. Off by default; when selected it reports at info severity.
    ///
    /// ## Why is this bad?
    /// The default depends on the image string: `Always` when the tag is `latest` or missing
    /// (even with a digest), `IfNotPresent` otherwise. Changing a tag silently changes the pull
    /// behaviour; writing the policy makes it a reviewed decision.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.0
    /// ```
    ///
    /// ## How to fix
    /// Write the policy you want.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.0
    ///     imagePullPolicy: IfNotPresent
    /// ```
    pub struct ImplicitPullPolicy {
        code: "IMG201",
        name: "implicit-pull-policy",
        category: PullPolicy,
        severity: Info,
        default: off,
        fix: false,
    }
}

impl Rule for ImplicitPullPolicy {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        // Written, or the image itself is missing or malformed (IMG101, IMG002).
        let (WrittenPolicy::Unset, Some(image)) = (&check.policy, check.image) else {
            return;
        };
        let field = check.usage.policy_field();
        let policy = check.effective_policy();
        let (span, why) = match check.valid_reference() {
            Some(reference) => {
                let why = match (policy, reference.tag()) {
                    (PullPolicy::Always, None) => "it has no tag",
                    (PullPolicy::Always, Some(_)) => "its tag is `latest`",
                    (_, None) => "it is pinned by digest only",
                    _ => "its tag is not `latest`",
                };
                (
                    image.span,
                    format!("for `{}`, because {why}", shown(&image.value)),
                )
            }
            None => (image.span, "because the image does not parse".to_owned()),
        };
        ctx.report(
            span,
            format!("`{field}` is not set; Kubernetes defaults it to `{policy}` {why}")
                .trim_end()
                .to_owned(),
        )
        .help(format!(
            "write `{field}: {policy}` (or the policy you want) so that a new tag cannot change it"
        ))
        .path(check.policy_path());
    }
}
