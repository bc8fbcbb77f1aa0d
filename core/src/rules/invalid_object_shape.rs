use crate::manifest::read::ShapeError;
use crate::rules::context::Context;
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a field imglint reads whose value has the wrong shape: `containers` written as a
    /// mapping, an `image` that YAML reads as a number, an `imagePullSecrets` entry that is a
    /// bare string or has no `name`, a key written twice.
    ///
    /// ## Why is this bad?
    /// The API server refuses the object (`cannot unmarshal number into Go struct field
    /// Container.spec.containers.image of type string`), or, for duplicated keys, silently keeps
    /// only the last one. YAML 1.1, which kubectl uses, also reads unquoted `1.10`, `yes` or
    /// `0777` as something other than a string (a date such as `2024-01-01` stays a string:
    /// go-yaml v2 keeps a timestamp's text when decoding it for kubectl).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///   - regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.10
    /// ```
    ///
    /// ## How to fix
    /// Give the field the shape the API expects; quote scalars that must stay strings.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.10
    /// ```
    pub struct InvalidObjectShape {
        code: "IMG002",
        name: "invalid-object-shape",
        category: Input,
        severity: Error,
        default: on,
        fix: false,
    }
}

impl InvalidObjectShape {
    /// Shape errors come from reading the model, not from a hook.
    pub(crate) fn report<'a>(ctx: &mut Context<'a>, error: &'a ShapeError) {
        let outer = std::mem::replace(&mut ctx.container, error.container.as_deref());
        let diagnostic = ctx.report(error.span, error.message.clone());
        if let Some(help) = &error.help {
            diagnostic.help(help.clone());
        }
        ctx.container = outer;
    }
}

impl Rule for InvalidObjectShape {}
