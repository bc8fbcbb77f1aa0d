use crate::api_validation;
use crate::diagnostic::Edit;
use crate::diagnostic::shown;
use crate::image_info::invalid_image_consequence;
use crate::reference::parse_normalized;
use crate::rules::context::{Context, ImageCheck};
use crate::rules::rule::{Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an image that is missing, empty, or not a valid reference under the grammar
    /// Kubernetes uses (distribution/reference): upper case in the repository, a bad tag, a
    /// malformed or unsupported digest, a name over 255 characters, whitespace. The message
    /// gives upstream's reason and points at the first offending character.
    ///
    /// ## Why is this bad?
    /// The API server only checks that the field is set (and, in a Pod, free of surrounding
    /// whitespace); it accepts `Nginx:1.27` or `nginx:1.0:2.0`. The kubelet then cannot parse
    /// the reference and the container waits forever with reason `InvalidImageName`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: Nginx:1.27
    /// ```
    ///
    /// ## How to fix
    /// Write the reference as `[registry[:port]/]path[:tag][@digest]` with a lower-case path.
    /// A value with surrounding whitespace is fixed automatically.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    pub struct InvalidImageReference {
        code: "IMG101",
        name: "invalid-image-reference",
        category: Images,
        severity: Error,
        default: on,
        fix: true,
    }
}

impl Rule for InvalidImageReference {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let usage = &check.usage;
        let in_pod = usage.pod.is_pod || usage.is_ephemeral();
        let Some(image) = check.image else {
            if !usage.image().is_absent() {
                return; // malformed: IMG002 says why
            }
            let field = usage.image_field();
            let api = api_validation::image_error(&usage.path(), "", in_pod).unwrap_or_default();
            ctx.report(
                Span::empty(usage.span().start as usize),
                format!("{} has no `{field}`", usage.describe()),
            )
            .help(format!("the API server rejects it: `{api}`"))
            .path(check.image_path());
            return;
        };
        let Some(Err(error)) = &check.reference else {
            return;
        };
        if image.value.is_empty() {
            let api = api_validation::image_error(&usage.path(), "", in_pod).unwrap_or_default();
            ctx.report(
                image.span,
                format!(
                    "{} has an empty `{}`",
                    usage.describe(),
                    usage.image_field()
                ),
            )
            .help(format!("the API server rejects it: `{api}`"))
            .path(check.image_path());
            return;
        }
        let offset = error.offset();
        let width = image.value[offset..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        let at = check.image_inner_span(image, offset, offset + width);
        let help = match api_validation::image_error(&usage.path(), &image.value, in_pod) {
            Some(api) => format!("the API server rejects it: `{api}`"),
            None => invalid_image_consequence(error).to_owned(),
        };
        let diagnostic = ctx
            .report(
                image.span,
                format!(
                    "image `{}` is not a valid reference: {error}",
                    shown(&image.value)
                ),
            )
            .label(at, error.hint().to_string())
            .help(help)
            .path(check.image_path());
        // Surrounding whitespace is the one mistake with a certain fix.
        let trimmed = image.value.trim();
        if trimmed != &*image.value
            && parse_normalized(trimmed).is_ok()
            && let Some(inner) = image.inner_span(0, image.value.len())
        {
            let edit = Edit {
                span: inner,
                replacement: trimmed.to_owned(),
            };
            diagnostic.fix("remove the surrounding whitespace", vec![edit]);
        }
    }
}
