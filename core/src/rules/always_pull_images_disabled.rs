use crate::admission::apiserver::{ApiServerAdmission, Verdict};
use crate::admission::plugins::ALWAYS_PULL_IMAGES;
use crate::diagnostic::Edit;
use crate::manifest::model::Content;
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Under `tenancy: multi`, reports a kube-apiserver whose flags do not run the
    /// AlwaysPullImages admission plugin: no plugin flag (the defaults do not include it),
    /// `--enable-admission-plugins` without it, `--disable-admission-plugins` with it, or the
    /// legacy `--admission-control` without it. kube-apiserver is found in static Pods and in
    /// any container whose command or args run it; `--flag=value` and `--flag value` are both
    /// read, and repeated flags add up as they do for kube-apiserver. Flags that stop
    /// kube-apiserver from starting (an unknown plugin, a plugin both enabled and disabled,
    /// `--admission-control` next to the newer flags) are reported too.
    ///
    /// ## Why is this bad?
    /// A node keeps every image it pulled. With `imagePullPolicy: IfNotPresent` or `Never`, a
    /// pod of any tenant scheduled there runs that image without the registry ever being
    /// asked whether the tenant may read it: one tenant's pull secret opens the private image
    /// to all. AlwaysPullImages sets every new pod's policy to `Always`, so each pod's own
    /// credentials are checked. (It does not cover ephemeral containers added later through
    /// the `ephemeralcontainers` subresource.)
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///   - name: kube-apiserver
    ///     image: registry.k8s.io/kube-apiserver:v1.34.1
    ///     imagePullPolicy: IfNotPresent
    ///     command:
    ///     - kube-apiserver
    ///     - --enable-admission-plugins=NodeRestriction
    /// ```
    ///
    /// ## How to fix
    /// Add `AlwaysPullImages` to `--enable-admission-plugins` (the fix appends it) and remove
    /// it from `--disable-admission-plugins`.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///   - name: kube-apiserver
    ///     image: registry.k8s.io/kube-apiserver:v1.34.1
    ///     imagePullPolicy: IfNotPresent
    ///     command:
    ///     - kube-apiserver
    ///     - --enable-admission-plugins=NodeRestriction,AlwaysPullImages
    /// ```
    pub struct AlwaysPullImagesDisabled {
        code: "IMG401",
        name: "always-pull-images-disabled",
        category: Tenancy,
        severity: Error,
        default: on,
        fix: true,
    }
}

impl Rule for AlwaysPullImagesDisabled {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        let Content::Workload(pod) = &check.object.content else {
            return;
        };
        for container in &pod.containers {
            let Some(command) = &container.kube_apiserver else {
                continue;
            };
            let admission = ApiServerAdmission::of(command);
            let (message, help) = match &admission.verdict {
                Verdict::Enabled => continue,
                Verdict::Defaults => (
                    "kube-apiserver runs the default admission plugins, which do not include `AlwaysPullImages`".to_owned(),
                    "add `--enable-admission-plugins=AlwaysPullImages` (with the other plugins you enable)".to_owned(),
                ),
                Verdict::NotEnabled => (
                    "`--enable-admission-plugins` does not list `AlwaysPullImages`".to_owned(),
                    "add `AlwaysPullImages` to the list".to_owned(),
                ),
                Verdict::Disabled => (
                    "`--disable-admission-plugins` turns off `AlwaysPullImages`".to_owned(),
                    "remove `AlwaysPullImages` from `--disable-admission-plugins` and add it to `--enable-admission-plugins`".to_owned(),
                ),
                Verdict::NotInLegacyList => (
                    "`--admission-control` lists every plugin that runs, and `AlwaysPullImages` is not among them".to_owned(),
                    "add `AlwaysPullImages` to the list, or move to `--enable-admission-plugins` (`--admission-control` is deprecated)".to_owned(),
                ),
                Verdict::Refused(errors) => (
                    format!("kube-apiserver refuses its admission flags and does not start: {}", errors.join("; ")),
                    "fix the flags so that kube-apiserver starts with `AlwaysPullImages` enabled".to_owned(),
                ),
            };
            let diagnostic = ctx
                .report(admission.span, message)
                .help(format!("{help}; without it, an image one tenant pulled with its credentials runs for any tenant on that node"))
                .path(format!("{}.{}[{}]", pod.path, container.kind.field(), container.index));
            if let Some(first) = command.first().filter(|first| first.span != admission.span) {
                diagnostic.label(first.span, "kube-apiserver");
            }
            if let Some(append) = admission.append {
                let edit = Edit {
                    span: append.span,
                    replacement: append.replacement,
                };
                diagnostic.fix(format!("enable `{ALWAYS_PULL_IMAGES}`"), vec![edit]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, RuleSelector, Tenancy};
    use crate::fix::fix_text;
    use crate::lint::{Linter, RunFacts};

    /// The fix as `--fix` applies it, on a static kube-apiserver Pod whose command is
    /// `COMMAND`: the fixed text, and what a second lint of it finds.
    fn fixed(command: &str) -> (String, Vec<&'static str>) {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: kube-apiserver, namespace: kube-system}}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.32.0\n    command{command}\n"
        );
        let config = Config {
            tenancy: Tenancy::Multi,
            select: Some(vec![RuleSelector::parse("IMG401").unwrap()]),
            ..Config::default()
        };
        let facts = RunFacts::default();
        let linter = Linter::new(&config, &facts);
        let result = fix_text(&linter, "pod.yaml", &text, true);
        let fixed = result.text.expect("a fix applies");
        let still: Vec<&str> = result
            .report
            .diagnostics
            .iter()
            .map(|d| d.rule.code)
            .collect();
        let command = fixed[fixed.find("    command").unwrap() + "    command".len()..].to_owned();
        (command, still)
    }

    /// A comma ends a plain word in a flow list: appending `,AlwaysPullImages` there made it a
    /// list item of its own (the fix never took, and `--fix` added it ten times).
    #[test]
    fn the_fix_reads_as_one_flag_in_flow_and_block_lists() {
        for (command, expected) in [
            (
                ": [kube-apiserver, --enable-admission-plugins=NodeRestriction]",
                ": [kube-apiserver, \"--enable-admission-plugins=NodeRestriction,AlwaysPullImages\"]\n",
            ),
            (
                ":\n    - kube-apiserver\n    - --enable-admission-plugins=NodeRestriction",
                ":\n    - kube-apiserver\n    - \"--enable-admission-plugins=NodeRestriction,AlwaysPullImages\"\n",
            ),
            (
                ":\n    - kube-apiserver\n    - --enable-admission-plugins=NodeRestriction,PodSecurity",
                ":\n    - kube-apiserver\n    - --enable-admission-plugins=NodeRestriction,PodSecurity,AlwaysPullImages\n",
            ),
            (
                ": [kube-apiserver, '--enable-admission-plugins=NodeRestriction']",
                ": [kube-apiserver, '--enable-admission-plugins=NodeRestriction,AlwaysPullImages']\n",
            ),
            (
                ": [kube-apiserver, --enable-admission-plugins, NodeRestriction]",
                ": [kube-apiserver, --enable-admission-plugins, \"NodeRestriction,AlwaysPullImages\"]\n",
            ),
        ] {
            let (fixed, still) = fixed(command);
            assert_eq!(fixed, expected, "{command}");
            assert_eq!(still, Vec::<&str>::new(), "{command}: {fixed}");
        }
    }
}
