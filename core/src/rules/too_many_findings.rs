use crate::findings::SeverityCounts;
use crate::rules::context::Context;
use crate::rules::rule::{Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports that a file has more findings than imglint shows for one file (10,000): the
    /// first 10,000 in file order are shown, the others are counted in the summary (and decide
    /// the exit code) but not listed. It is reported once, at the start of the file, and says
    /// how many findings of each severity were left out.
    ///
    /// ## Why is this bad?
    /// A file with that many findings is almost always generated, and often hostile: 16 MiB of
    /// `containers: [{},{},…]` holds 5.6 million containers without an image. Listing every
    /// finding would take gigabytes of memory and output and bury the CI log; the file needs
    /// fixing at its source (the generator or the template), not line by line.
    ///
    /// ## Example
    /// With the limit lowered to 2 for the example: three containers, three findings.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - {name: a, image: nginx:latest}
    ///   - {name: b, image: nginx:latest}
    ///   - {name: c, image: nginx:latest}
    /// ```
    ///
    /// ## How to fix
    /// Fix what generates the file (here, pin the image once in the template), or lint the
    /// file in smaller pieces.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - {name: a, image: nginx:1.27.0}
    ///   - {name: b, image: nginx:1.27.0}
    ///   - {name: c, image: nginx:1.27.0}
    /// ```
    pub struct TooManyFindings {
        code: "IMG004",
        name: "too-many-findings",
        category: Input,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl TooManyFindings {
    /// Findings past the limit are counted by the engine ([`crate::findings::Findings`]); this
    /// says how many at the start of the file.
    pub(crate) fn report(ctx: &mut Context<'_>, shown: usize, omitted: &SeverityCounts) {
        let mut parts = Vec::new();
        for (count, noun) in [
            (omitted.errors, "error"),
            (omitted.warnings, "warning"),
            (omitted.infos, "info"),
        ] {
            match count {
                0 => {}
                1 => parts.push(format!("1 {noun}")),
                n => parts.push(format!("{n} {noun}s")),
            }
        }
        let total = omitted.total();
        let (noun, verb) = if total == 1 {
            ("finding", "is")
        } else {
            ("findings", "are")
        };
        ctx.report(
            Span::empty(0),
            format!(
                "{total} more {noun} in this file {verb} not shown ({}): imglint shows at most {shown} per file",
                parts.join(", ")
            ),
        )
        .help(
            "the summary and the exit code count them all; fix what generates this file, or lint it in pieces",
        );
    }
}

impl Rule for TooManyFindings {}
