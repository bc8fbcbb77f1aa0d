use crate::api_validation;
use crate::diagnostic::Edit;
use crate::diagnostic::shown;
use crate::pull_policy::PullPolicy;
use crate::rules::context::{Context, ImageCheck, WrittenPolicy};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an `imagePullPolicy` (or image volume `pullPolicy`) that is not exactly `Always`,
    /// `IfNotPresent` or `Never`. Case matters. A value that differs only in case or
    /// surrounding space is fixed automatically.
    ///
    /// ## Why is this bad?
    /// The API server rejects the object: `Unsupported value: "always": supported values:
    /// "Always", "IfNotPresent", "Never"`.
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
    ///     imagePullPolicy: always
    /// ```
    ///
    /// ## How to fix
    /// Use one of the three values, spelled exactly.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.0
    ///     imagePullPolicy: Always
    /// ```
    pub struct InvalidPullPolicy {
        code: "IMG204",
        name: "invalid-pull-policy",
        category: PullPolicy,
        severity: Error,
        default: on,
        fix: true,
    }
}

impl Rule for InvalidPullPolicy {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let WrittenPolicy::Invalid(written) = check.policy else {
            return;
        };
        let field = check.usage.policy_field();
        let api = api_validation::pull_policy_error(&check.usage.path(), &written.value)
            .unwrap_or_default();
        let diagnostic = ctx
            .report(
                written.span,
                format!(
                    "`{field}: {}` is not one of `Always`, `IfNotPresent`, `Never`",
                    shown(&written.value)
                ),
            )
            .help(format!("the API server rejects it: `{api}`"))
            .path(check.policy_path());
        let intended = PullPolicy::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(written.value.trim()));
        if let (Some(intended), Some(inner)) =
            (intended, written.inner_span(0, written.value.len()))
        {
            let edit = Edit {
                span: inner,
                replacement: intended.as_str().to_owned(),
            };
            diagnostic.fix(format!("replace with `{intended}`"), vec![edit]);
        }
    }
}
