//! Registries by what they are: public ones that need no credentials, the cloud registries
//! whose credentials a kubelet credential provider supplies from the node, and registry or
//! repository prefixes as users write them in config.

use std::fmt;

/// Registries that serve public images without credentials (besides Docker Hub).
pub const PUBLIC_REGISTRIES: [&str; 3] = ["registry.k8s.io", "mcr.microsoft.com", "public.ecr.aws"];

/// Docker Hub, a public registry, or one of `trusted` (public or node-authenticated registries
/// from the config): images from there need no pull secret. `name` is a normalised repository
/// name (`docker.io/library/nginx`).
pub fn needs_no_pull_secret(name: &str, trusted: &[String]) -> bool {
    is_under_prefix(name, "docker.io")
        || PUBLIC_REGISTRIES
            .iter()
            .any(|registry| is_under_prefix(name, registry))
        || trusted.iter().any(|prefix| is_under_prefix(name, prefix))
}

/// A cloud registry with a kubelet credential provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloudRegistry {
    /// Google Container Registry and Artifact Registry (`gcr.io`, `*.gcr.io`, `*-docker.pkg.dev`).
    Google,
    /// Amazon ECR (`ACCOUNT.dkr.ecr.REGION.amazonaws.com`, FIPS, China and isolated regions).
    Amazon,
    /// Azure Container Registry (`*.azurecr.io` and sovereign clouds).
    Azure,
}

impl CloudRegistry {
    /// Recognises a registry host (the domain of a normalised reference, port removed).
    pub fn of_host(host: &str) -> Option<Self> {
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        if host == "gcr.io" || host.ends_with(".gcr.io") || host == "container.cloud.google.com" {
            return Some(Self::Google);
        }
        if let Some(region) = host.strip_suffix("-docker.pkg.dev")
            && !region.is_empty()
            && !region.contains('.')
        {
            return Some(Self::Google);
        }
        if is_ecr_private_host(&host) {
            return Some(Self::Amazon);
        }
        for suffix in [".azurecr.io", ".azurecr.cn", ".azurecr.de", ".azurecr.us"] {
            if let Some(name) = host.strip_suffix(suffix)
                && !name.is_empty()
                && !name.contains('.')
            {
                return Some(Self::Azure);
            }
        }
        None
    }

    /// The node-level alternative to pull secrets.
    pub const fn node_credentials(self) -> &'static str {
        match self {
            Self::Google => "the node's service account through a kubelet credential provider",
            Self::Amazon => {
                "the node's IAM role through a kubelet credential provider (`ecr-credential-provider`)"
            }
            Self::Azure => {
                "the node's managed identity through a kubelet credential provider (`acr-credential-provider`)"
            }
        }
    }
}

impl fmt::Display for CloudRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Google => "Google Artifact Registry / GCR",
            Self::Amazon => "Amazon ECR",
            Self::Azure => "Azure Container Registry",
        })
    }
}

/// The private ECR host pattern of the kubelet's ECR credential provider:
/// `^(\d{12})\.dkr[\.\-]ecr(\-fips)?\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\.(amazonaws\.com(\.cn)?|on\.(aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$`
fn is_ecr_private_host(host: &str) -> bool {
    let Some((account, rest)) = host.split_once('.') else {
        return false;
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Some(rest) = rest
        .strip_prefix("dkr.ecr")
        .or_else(|| rest.strip_prefix("dkr-ecr"))
    else {
        return false;
    };
    let rest = rest.strip_prefix("-fips").unwrap_or(rest);
    let Some(rest) = rest.strip_prefix('.') else {
        return false;
    };
    let Some((region, domain)) = rest.split_once('.') else {
        return false;
    };
    let region_ok = region
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let domain_ok = matches!(
        domain,
        "amazonaws.com"
            | "amazonaws.com.cn"
            | "on.aws"
            | "on.amazonwebservices.com.cn"
            | "sc2s.sgov.gov"
            | "c2s.ic.gov"
            | "cloud.adc-e.uk"
            | "csp.hci.ic.gov"
    );
    region_ok && domain_ok
}

/// Whether a normalised repository name (`docker.io/library/nginx`, `ghcr.io/acme/app`) is
/// under a registry or repository prefix as users write them (`ghcr.io/acme`,
/// `registry.example.com:5000`, `docker.io`). Matching is at host and path-segment boundaries,
/// with hosts compared case-insensitively: `ghcr.io/acme` covers `ghcr.io/acme/app`, never
/// `ghcr.io/acme-evil/app` or `ghcr.io.evil.com/acme/app`. `index.docker.io` means `docker.io`.
pub fn is_under_prefix(name: &str, prefix: &str) -> bool {
    let prefix = prefix.trim().trim_end_matches('/');
    let prefix = prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"))
        .unwrap_or(prefix);
    let (prefix_host, prefix_path) = prefix.split_once('/').map_or((prefix, ""), |(h, p)| (h, p));
    let prefix_host = if prefix_host.eq_ignore_ascii_case("index.docker.io") {
        "docker.io"
    } else {
        prefix_host
    };
    let (host, path) = name.split_once('/').map_or((name, ""), |(h, p)| (h, p));
    if prefix_host.is_empty() || !host.eq_ignore_ascii_case(prefix_host) {
        return false;
    }
    prefix_path.is_empty()
        || path == prefix_path
        || path
            .strip_prefix(prefix_path)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_registries_and_look_alikes() {
        assert_eq!(
            CloudRegistry::of_host("gcr.io"),
            Some(CloudRegistry::Google)
        );
        assert_eq!(
            CloudRegistry::of_host("eu.gcr.io"),
            Some(CloudRegistry::Google)
        );
        assert_eq!(
            CloudRegistry::of_host("europe-west1-docker.pkg.dev"),
            Some(CloudRegistry::Google)
        );
        assert_eq!(
            CloudRegistry::of_host("123456789012.dkr.ecr.us-east-1.amazonaws.com"),
            Some(CloudRegistry::Amazon)
        );
        assert_eq!(
            CloudRegistry::of_host("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com"),
            Some(CloudRegistry::Amazon)
        );
        assert_eq!(
            CloudRegistry::of_host("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"),
            Some(CloudRegistry::Amazon)
        );
        assert_eq!(
            CloudRegistry::of_host("acme.azurecr.io"),
            Some(CloudRegistry::Azure)
        );
        for look_alike in [
            "azurecr.io",
            "acme.azurecr.io.evil.com",
            "evil-azurecr.io",
            "a.b.azurecr.io",
            "12345.dkr.ecr.us-east-1.amazonaws.com",
            "gcr.io.evil.com",
            "notgcr.io",
        ] {
            assert_eq!(CloudRegistry::of_host(look_alike), None, "{look_alike}");
        }
    }

    #[test]
    fn prefixes_match_at_boundaries() {
        assert!(is_under_prefix("ghcr.io/acme/app", "ghcr.io/acme"));
        assert!(is_under_prefix("ghcr.io/acme", "ghcr.io/acme/"));
        assert!(!is_under_prefix("ghcr.io/acme-evil/app", "ghcr.io/acme"));
        assert!(!is_under_prefix(
            "ghcr.io.evil.com/acme/app",
            "ghcr.io/acme"
        ));
        assert!(is_under_prefix("docker.io/library/nginx", "docker.io"));
        assert!(is_under_prefix(
            "docker.io/library/nginx",
            "index.docker.io/library"
        ));
        assert!(is_under_prefix("GHCR.io/acme/app", "ghcr.io"));
        assert!(!is_under_prefix(
            "registry.example.com:5000/app",
            "registry.example.com"
        ));
    }
}
