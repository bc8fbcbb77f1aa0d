use crate::manifest::SyntaxError;
use crate::rules::{Context, Rule, RuleMeta, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a YAML or JSON document that cannot be parsed, at the position where the parser
    /// gave up. The other documents of the file, and the other files, are still linted.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` refuses the whole file, so none of its objects reach the cluster, and
    /// nothing else in the document can be checked.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers: [{name: web, image: "nginx:1.27"}
    /// ```
    ///
    /// ## How to fix
    /// Correct the syntax at the reported position (here, the unclosed `[`).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers: [{name: web, image: "nginx:1.27"}]
    /// ```
    pub struct ManifestSyntaxError {
        code: "IMG001",
        name: "manifest-syntax-error",
        category: Input,
        severity: Error,
        default: on,
        fix: false,
    }
}

impl ManifestSyntaxError {
    /// Syntax errors come from the loader, not from a hook.
    pub(crate) fn report(ctx: &mut Context<'_>, error: &SyntaxError) {
        ctx.report(
            Span::empty(error.offset as usize),
            format!("cannot parse this document: {}", error.message),
        )
        .help("kubectl rejects the whole file; the other documents here were still linted");
    }
}

impl Rule for ManifestSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
