use crate::diagnostic::Edit;
use crate::rule_meta::RuleMeta;
use crate::rules::context::Context;
use crate::rules::rule::{Rule, declare_rule};
use crate::source::Span;
use crate::suppression::{Selector, Suppression};

declare_rule! {
    /// ## What it does
    /// Reports an entry of an object's `imglint.dev/ignore` annotation that suppresses nothing:
    /// a code or prefix that matched no finding of the object, one that names only rules that
    /// do not run in this configuration, or text that is not a rule code. An annotation that
    /// lists no code at all is reported too.
    ///
    /// ## Why is this bad?
    /// A stale suppression silently hides the next real finding of that rule on the object, and
    /// a mistyped code hides nothing while looking as if it did.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     imglint.dev/ignore: "IMG103 -- pinned by the release job"
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.0
    /// ```
    ///
    /// ## How to fix
    /// Remove the entry (the fix does when other entries remain), or the annotation.
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
    pub struct UnusedSuppression {
        code: "IMG003",
        name: "unused-suppression",
        category: Input,
        severity: Info,
        default: on,
        fix: true,
    }
}

impl UnusedSuppression {
    /// Reported by the engine after every rule has run on the object, from the selectors'
    /// use then. `runs` says whether a rule runs in this configuration; `masked`, that the
    /// annotation is in a document that may be a Secret, whose code frame masks it: the
    /// findings then quote [`MASK`](crate::redaction::MASK) instead of the selectors.
    pub(crate) fn report(
        ctx: &mut Context<'_>,
        suppression: &Suppression,
        masked: bool,
        runs: impl Fn(&RuleMeta) -> bool,
    ) {
        if suppression.selectors.is_empty() {
            ctx.report(suppression.span, "`imglint.dev/ignore` lists no rule code")
                .help("list codes or prefixes, such as `IMG103,IMG2 -- why`");
            return;
        }
        for (index, selector) in suppression.selectors.iter().enumerate() {
            if selector.used
                || selector
                    .selector
                    .as_ref()
                    .is_some_and(|s| s.matches(&Self::META))
            {
                // A selector that can take out IMG003 itself is judged by what it suppresses
                // among these findings (the engine applies the annotation to them too).
                continue;
            }
            let text: &str = if masked {
                crate::redaction::MASK
            } else {
                &selector.text
            };
            // Removal is certain only when the selector is useless whatever the flags: a rule
            // this run turns off may run in the next one.
            let (message, help, removable) = match &selector.selector {
                None => (
                    format!("`{text}` in `imglint.dev/ignore` is not a rule code"),
                    "codes look like `IMG103`; prefixes such as `IMG1` select a family".to_owned(),
                    true,
                ),
                Some(rule_selector)
                    if !crate::rules::RULES
                        .iter()
                        .any(|rule| rule_selector.matches(rule.meta()) && runs(rule.meta())) =>
                {
                    (
                        format!(
                            "`{text}` in `imglint.dev/ignore` names no rule that runs in this configuration"
                        ),
                        "remove it, or enable the rule where the annotation should apply"
                            .to_owned(),
                        false,
                    )
                }
                Some(_) => (
                    format!("`{text}` in `imglint.dev/ignore` suppresses nothing on this object"),
                    "remove it: a stale suppression hides the next real finding".to_owned(),
                    true,
                ),
            };
            let diagnostic = ctx.report(selector.span, message);
            diagnostic.help(help);
            if removable && let Some(edit) = removal(&suppression.selectors, index) {
                diagnostic.fix(format!("remove `{text}`"), vec![edit]);
            }
        }
    }
}

/// Removes one selector and the separator that joins it to a neighbour, when the others
/// remain and the text is verbatim (spans then differ from the annotation's).
fn removal(selectors: &[Selector], index: usize) -> Option<Edit> {
    let this = &selectors[index];
    let verbatim = |s: &Selector| s.span.len() == s.text.len();
    if selectors.len() < 2 || !selectors.iter().all(verbatim) {
        return None;
    }
    let span = match (
        selectors.get(index + 1),
        index.checked_sub(1).map(|i| &selectors[i]),
    ) {
        (Some(next), _) => Span::new(this.span.start as usize, next.span.start as usize),
        (None, Some(previous)) => Span::new(previous.span.end as usize, this.span.end as usize),
        (None, None) => return None,
    };
    Some(Edit {
        span,
        replacement: String::new(),
    })
}

impl Rule for UnusedSuppression {}
