use crate::config::SecretsCompleteness;
use crate::diagnostic::Edit;
use crate::diagnostic::shown;
use crate::keyring::DEFAULT_REGISTRY_HOST;
use crate::manifest::model::ImageSource;
use crate::pull_policy::PullPolicy;
use crate::pull_secrets::{PullSecret, WrittenAt};
use crate::rules::context::{Context, ImageCheck, WrittenPolicy};
use crate::rules::rule::{Rule, declare_rule};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Under `tenancy: multi`, reports an image pulled with credentials whose `imagePullPolicy`
    /// is not `Always`, unless the linted set shows that the cluster closes the gap: a
    /// kube-apiserver that runs the AlwaysPullImages admission plugin, or a
    /// KubeletConfiguration that re-verifies credentials of cached images
    /// (`imagePullCredentialsVerificationPolicy` other than `NeverVerify`, KEP-2535). An
    /// ephemeral container is reported even when AlwaysPullImages runs: the plugin does not see
    /// containers added through the `ephemeralcontainers` subresource.
    ///
    /// An image is pulled with credentials when one of the pod's pull secrets (its own, or its
    /// ServiceAccount's) has a registry key that the kubelet's keyring matches to it, by the
    /// rules IMG305 follows (equal hosts and ports, `*` within one host label, the key's path a
    /// prefix of the repository, Docker Hub keys for Docker Hub images); the finding's label
    /// names that Secret and key. When no key matches, the kubelet pulls the image anonymously
    /// and nothing is reported. A pull secret that the linted set does not hold may have a key
    /// for it: it is reported as such, unless `secrets: complete` says there is no such Secret.
    ///
    /// ## Why is this bad?
    /// With `IfNotPresent` or `Never` the kubelet reuses the image a node already has without
    /// asking the registry. Once this pod has pulled the private image with its secret, any
    /// other tenant's pod on that node can run it without credentials.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    ///   namespace: tenant-a
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
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
    /// kind: Secret
    /// metadata:
    ///   name: regcred
    ///   namespace: tenant-a
    /// type: kubernetes.io/dockerconfigjson
    /// stringData:
    ///   .dockerconfigjson: '{"auths": {"registry.example.com": {"auth": "dXNlcjpwYXNz"}}}'
    /// ---
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
        let Some(credentials) = Credentials::of(check, ctx.config().secrets) else {
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
        let (pulled, label) = match credentials {
            Credentials::Matched { key, .. } => (
                "is pulled with credentials",
                format!("has credentials for `{}`", shown(key)),
            ),
            Credentials::Unknown(_) => (
                "may be pulled with credentials",
                "is not in the linted set: it may hold credentials for this image".to_owned(),
            ),
        };
        let secret = credentials.secret();
        let file = ctx.file_name();
        let diagnostic = ctx
            .report(
                span,
                format!(
                    "`{}` {pulled} but `{field}` {how} `{policy}`: other tenants' pods on the node can run it from the cache",
                    shown(&image.value)
                ),
            )
            .help(help)
            .path(check.policy_path());
        if span != image.span {
            diagnostic.label(image.span, pulled.trim_start_matches("is "));
        }
        match secret.written {
            WrittenAt::Pod(at) => {
                diagnostic.label(at, format!("pull secret `{}` {label}", secret.name));
            }
            WrittenAt::ServiceAccount(location) => {
                Context::label_at(
                    diagnostic,
                    file,
                    location,
                    format!(
                        "pull secret `{}` from {} {label}",
                        secret.name,
                        check.pull_secrets.describe_source()
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

/// The pull secret that gives the image credentials, as the kubelet's keyring finds them.
#[derive(Clone, Copy)]
enum Credentials<'s, 'a> {
    /// A Secret of the linted set with a key that matches the image (the most specific key;
    /// `index.docker.io` when Docker Hub credentials serve a Docker Hub image).
    Matched {
        secret: &'s PullSecret<'a>,
        key: &'s str,
    },
    /// A named Secret that the linted set does not hold, under `secrets: partial`: its keys are
    /// unknown, so it may cover the image.
    Unknown(&'s PullSecret<'a>),
}

impl<'s, 'a> Credentials<'s, 'a> {
    /// What the kubelet would offer for the image: the pod's credential keyring (the one IMG305
    /// reads) looked up with the image's repository, else a Secret it cannot see. `None`: the
    /// image is pulled anonymously, and the cache gives away nothing private.
    fn of(check: &'s ImageCheck<'a>, completeness: SecretsCompleteness) -> Option<Self> {
        let secrets = check.pull_secrets;
        let name = check.normalized_name()?;
        let found = secrets.credential_keyring().keyring.lookup(name);
        if let Some(&&at) = found.credentials.first() {
            let key = found
                .matched_keys
                .first()
                .copied()
                .unwrap_or(DEFAULT_REGISTRY_HOST);
            return Some(Self::Matched {
                secret: &secrets.secrets[at],
                key,
            });
        }
        if completeness == SecretsCompleteness::Complete {
            return None;
        }
        secrets
            .named()
            .find(|secret| secret.secret.is_none())
            .map(Self::Unknown)
    }

    const fn secret(self) -> &'s PullSecret<'a> {
        match self {
            Self::Matched { secret, .. } | Self::Unknown(secret) => secret,
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
