use crate::diagnostic::Edit;
use crate::diagnostic::shown;
use crate::manifest::model::ImageSource;
use crate::pull_policy::PullPolicy;
use crate::pull_secrets::WrittenAt;
use crate::rules::context::{Context, ImageCheck, WrittenPolicy};
use crate::rules::rule::{Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Under `tenancy: multi`, reports an image pulled with credentials (the pod has pull
    /// secrets, its own or its ServiceAccount's) whose `imagePullPolicy` is not `Always`, unless
    /// the linted set shows that the cluster closes the gap: a kube-apiserver that runs the
    /// AlwaysPullImages admission plugin, or a KubeletConfiguration that re-verifies
    /// credentials of cached images (`imagePullCredentialsVerificationPolicy` other than
    /// `NeverVerify`, KEP-2535). An ephemeral container is reported even when AlwaysPullImages
    /// runs: the plugin does not see containers added through the `ephemeralcontainers`
    /// subresource.
    ///
    /// ## Why is this bad?
    /// With `IfNotPresent` or `Never` the kubelet reuses the image a node already has without
    /// asking the registry. Once this pod has pulled the private image with its secret, any
    /// other tenant's pod on that node can run it without credentials.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: billing
    ///   namespace: tenant-a
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: billing
    ///     image: registry.example.com/billing:2.3.1
    /// ```
    ///
    /// ## How to fix
    /// Pull with `Always` (the fix sets it, except over `Never`: a preloaded image may come
    /// from a registry the nodes cannot reach), or enable AlwaysPullImages on the API server.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: billing
    ///   namespace: tenant-a
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: billing
    ///     image: registry.example.com/billing:2.3.1
    ///     imagePullPolicy: Always
    /// ```
    pub struct PrivateImageWithoutAlways {
        code: "IMG402",
        name: "private-image-without-always",
        category: Tenancy,
        severity: Warning,
        default: on,
        fix: true,
    }
}

impl Rule for PrivateImageWithoutAlways {
    fn check_image(&self, check: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        let Some(image) = check.image else { return };
        let policy = check.effective_policy();
        if policy == PullPolicy::Always {
            return;
        }
        let index = ctx.index();
        if index
            .kubelets()
            .iter()
            .any(|kubelet| kubelet.verifies_credentials)
        {
            return;
        }
        let ephemeral = check.usage.is_ephemeral();
        let api_server_pulls_always = index
            .api_servers()
            .iter()
            .any(|server| server.always_pull_images);
        if api_server_pulls_always && !ephemeral {
            return;
        }
        let secrets = check.pull_secrets;
        let Some(first) = secrets.named().next() else {
            return;
        };

        let field = check.usage.policy_field();
        let (span, how) = match check.policy {
            WrittenPolicy::Valid(_, written) => (written.span, "is"),
            _ => (image.span, "defaults to"),
        };
        let help = if api_server_pulls_always {
            format!(
                "the AlwaysPullImages plugin does not see ephemeral containers added through the `ephemeralcontainers` subresource: set `{field}: Always`"
            )
        } else {
            format!(
                "the linted set shows no kube-apiserver with AlwaysPullImages and no kubelet that re-verifies credentials: set `{field}: Always`, or enable the plugin"
            )
        };
        let file = ctx.file_name();
        let diagnostic = ctx
            .report(
                span,
                format!(
                    "`{}` is pulled with credentials but `{field}` {how} `{policy}`: other tenants' pods on the node can run it from the cache",
                    shown(&image.value)
                ),
            )
            .help(help)
            .path(check.policy_path());
        if span != image.span {
            diagnostic.label(image.span, "pulled with credentials");
        }
        match first.written {
            WrittenAt::Pod(at) => {
                diagnostic.label(at, format!("pull secret `{}`", first.name));
            }
            WrittenAt::ServiceAccount(location) => {
                Context::label_at(
                    diagnostic,
                    file,
                    location,
                    format!(
                        "pull secret `{}` from {}",
                        first.name,
                        secrets.describe_source()
                    ),
                );
            }
        }
        if let Some(server) = index
            .api_servers()
            .iter()
            .find(|server| !server.always_pull_images)
        {
            Context::label_at(
                diagnostic,
                file,
                &server.location,
                "this kube-apiserver does not run AlwaysPullImages",
            );
        }
        if let Some(edit) = set_always(check, field) {
            diagnostic.fix(format!("set `{field}: Always`"), vec![edit]);
        }
    }
}

/// Replaces the written policy, or adds the key after `image:` in block-style containers.
fn set_always(check: &ImageCheck<'_>, field: &str) -> Option<Edit> {
    let always = PullPolicy::Always.as_str();
    match check.policy {
        // `Never` says the image is preloaded on the nodes, which may not reach the registry
        // at all (air-gapped nodes): turning it into `Always` is not certain to work.
        WrittenPolicy::Valid(PullPolicy::Never, _) => None,
        // Only the characters of the value: an anchor or quotes around it stay.
        WrittenPolicy::Valid(_, written) => Some(Edit {
            span: written.inner_span(0, written.value.len())?,
            replacement: always.to_owned(),
        }),
        WrittenPolicy::Unset => {
            let ImageSource::Container(container) = check.usage.source else {
                return None;
            };
            // Present only when the container has no `imagePullPolicy` key at all.
            let insertion = container.policy_insertion.as_ref()?;
            let at = insertion.offset as usize;
            Some(Edit {
                span: Span::new(at, at),
                replacement: format!("{}{field}: {always}", insertion.prefix),
            })
        }
        WrittenPolicy::Invalid(_) | WrittenPolicy::Malformed => None,
    }
}
