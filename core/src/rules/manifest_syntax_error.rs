use crate::manifest::SyntaxError;
use crate::rules::context::Context;
use crate::rules::rule::{Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a YAML or JSON document that cannot be parsed, at the position where the parser
    /// gave up. The other documents of the file, and the other files, are still linted.
    ///
    /// ## Why is this bad?
    /// kubectl reads a file document by document and stops at the first one it cannot parse:
    /// `kubectl apply` applies the documents before it, then fails, so neither this document
    /// nor any after it in the same file reaches the cluster. Nothing else in the document can
    /// be checked either. imglint reports this only where kubectl's own reader (go-yaml v2 for
    /// YAML, `encoding/json` for JSON) refuses the text, as the differential test against
    /// kubectl checks.
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
        .help("kubectl stops reading the file here: this document and the ones after it are not applied (imglint still linted the others)");
    }
}

impl Rule for ManifestSyntaxError {}
