use crate::diagnostic::Edit;
use crate::manifest::model::Content;
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Under `tenancy: multi`, reports a KubeletConfiguration that turns off the kubelet's
    /// check that a pod may use an image the node already has (KEP-2535, "Ensure Secret Pulled
    /// Images"): `imagePullCredentialsVerificationPolicy: NeverVerify`, or the
    /// `KubeletEnsureSecretPulledImages` feature gate set to `false`.
    ///
    /// ## Why is this bad?
    /// With the check on, a pod that asks for an image another pod pulled with credentials
    /// must present credentials for it too (or the kubelet pulls again). `NeverVerify` turns
    /// that off: any pod on the node runs any cached image with `IfNotPresent`, whoever pulled
    /// it, which is the leak that AlwaysPullImages exists to close.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// imagePullCredentialsVerificationPolicy: NeverVerify
    /// ```
    ///
    /// ## How to fix
    /// Use `NeverVerifyPreloadedImages` (the default: images already on the node before the
    /// kubelet pulled anything are trusted) or `AlwaysVerify`.
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// imagePullCredentialsVerificationPolicy: NeverVerifyPreloadedImages
    /// ```
    pub struct KubeletSkipsCredentialCheck {
        code: "IMG403",
        name: "kubelet-skips-credential-check",
        category: Tenancy,
        severity: Warning,
        default: on,
        fix: true,
    }
}

const RECOMMENDED: &str = "NeverVerifyPreloadedImages";

impl Rule for KubeletSkipsCredentialCheck {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        let Content::KubeletConfiguration(kubelet) = &check.object.content else {
            return;
        };
        if let Some(policy) = kubelet
            .verification_policy
            .as_ref()
            .filter(|p| &*p.value == "NeverVerify")
        {
            let diagnostic = ctx
                .report(
                    policy.span,
                    "`imagePullCredentialsVerificationPolicy: NeverVerify` lets any pod on the node run an image another pod pulled with credentials",
                )
                .help(format!("use `{RECOMMENDED}` (the default) or `AlwaysVerify`"))
                .path("imagePullCredentialsVerificationPolicy");
            if let Some(span) = policy.inner_span(0, policy.value.len()) {
                let edit = Edit {
                    span,
                    replacement: RECOMMENDED.to_owned(),
                };
                diagnostic.fix(format!("use `{RECOMMENDED}`"), vec![edit]);
            }
        }
        if let Some(gate) = kubelet
            .ensure_secret_pulled_images
            .as_ref()
            .filter(|gate| !gate.value)
        {
            ctx.report(
                gate.span,
                "the `KubeletEnsureSecretPulledImages` feature gate is off: the kubelet runs cached images for any pod without checking its credentials",
            )
            .help("remove the gate or set it to `true` (beta and on by default since Kubernetes 1.35)")
            .path("featureGates.KubeletEnsureSecretPulledImages");
        }
    }
}
