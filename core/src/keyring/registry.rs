//! Registries by what they are: public ones that need no credentials, the cloud registries
//! whose credentials a kubelet credential provider supplies from the node, registries that
//! moved, and registry or repository prefixes as users write them in config.

use std::fmt;

/// Registries and repositories whose images are public by design (besides Docker Hub): anyone
/// pulls them without credentials, so no pull secret is missing. Each is chosen with its source
/// (IMG306's documentation lists them); a host that also serves private repositories, such as
/// `quay.io` or `ghcr.io`, is not here, since nothing in a reference tells them apart.
pub const PUBLIC_REGISTRIES: [&str; 6] = [
    // The Kubernetes project's registry (kubernetes/registry.k8s.io README).
    "registry.k8s.io",
    // Microsoft's public artifact registry.
    "mcr.microsoft.com",
    // Amazon ECR Public.
    "public.ecr.aws",
    // Google's sample images, pulled anonymously by the Kubernetes and GKE tutorials
    // (kubernetes/website `cassandra-statefulset.yaml`: `gcr.io/google-samples/cassandra:v13`;
    // GKE's hello-app: `us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0`).
    "gcr.io/google-samples",
    "us-docker.pkg.dev/google-samples",
    // The distroless base images (GoogleContainerTools/distroless README).
    "gcr.io/distroless",
];

/// Registries the Kubernetes project froze, each with the registry that serves every image it
/// held. `k8s.gcr.io` was a vanity name of `gcr.io/google-containers` (kubernetes/k8s.io
/// `k8s.gcr.io/Vanity-Domain-Flip.md`), whose images were all copied into the registry behind
/// `k8s.gcr.io`, under the same paths, before the name was flipped to it (`legacy-backfill`:
/// "the totality of images in gcr.io/google-containers"); since 20 March 2023 `k8s.gcr.io`
/// redirects to `registry.k8s.io`, and since 3 April 2023 it receives no new image
/// (kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement,
/// kubernetes.io/blog/2023/03/10/image-registry-redirect). `google_containers` is GCR's old
/// alias of `google-containers` (kubernetes/kubernetes#48956). Their images are public.
pub const DEPRECATED_REGISTRIES: [(&str, &str); 3] = [
    ("k8s.gcr.io", "registry.k8s.io"),
    ("gcr.io/google-containers", "registry.k8s.io"),
    ("gcr.io/google_containers", "registry.k8s.io"),
];

/// Docker Hub, a public registry (or a frozen one of [`DEPRECATED_REGISTRIES`]), or one of
/// `trusted` (public or node-authenticated registries from the config): images from there need
/// no pull secret. `name` is a normalised repository name (`docker.io/library/nginx`).
pub fn needs_no_pull_secret(name: &str, trusted: &[String]) -> bool {
    is_under_prefix(name, "docker.io")
        || PUBLIC_REGISTRIES
            .iter()
            .chain(DEPRECATED_REGISTRIES.iter().map(|(old, _)| old))
            .any(|registry| is_under_prefix(name, registry))
        || trusted.iter().any(|prefix| is_under_prefix(name, prefix))
}

/// An image under a deprecated registry or repository, and its name where that moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved<'t> {
    /// The deprecated prefix, as written in the table or the config.
    pub old: &'t str,
    /// The prefix that replaces it, as written.
    pub new: &'t str,
    /// The image's repository under the new prefix (`registry.k8s.io/pause`).
    pub name: String,
}

/// Where an image moved, if its normalised repository name is under a deprecated prefix:
/// `configured` (the config's `deprecated_registries`) and then [`DEPRECATED_REGISTRIES`],
/// the most specific prefix winning (the config's on a tie). Prefixes match as in
/// [`is_under_prefix`].
pub fn moved_image<'t>(name: &str, configured: &'t [(String, String)]) -> Option<Moved<'t>> {
    let configured = configured
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()));
    let mut found: Option<(usize, Moved<'t>)> = None;
    for (old, new) in configured.chain(DEPRECATED_REGISTRIES) {
        let Some(rest) = strip_registry_prefix(name, old) else {
            continue;
        };
        let (_, old_path) = prefix_parts(old);
        let specificity = if old_path.is_empty() {
            0
        } else {
            1 + old_path.matches('/').count()
        };
        if found.as_ref().is_some_and(|(best, _)| *best >= specificity) {
            continue;
        }
        let (new_host, new_path) = prefix_parts(new);
        let name = [new_host, new_path, rest]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        found = Some((specificity, Moved { old, new, name }));
    }
    found.map(|(_, moved)| moved)
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
    strip_registry_prefix(name, prefix).is_some()
}

/// The path of `name` below `prefix` when it is under it ([`is_under_prefix`]): `app` for
/// `ghcr.io/acme/app` under `ghcr.io/acme`, `""` for the prefix itself.
pub fn strip_registry_prefix<'n>(name: &'n str, prefix: &str) -> Option<&'n str> {
    let (prefix_host, prefix_path) = prefix_parts(prefix);
    let prefix_host = if prefix_host.eq_ignore_ascii_case("index.docker.io") {
        "docker.io"
    } else {
        prefix_host
    };
    let (host, path) = name.split_once('/').map_or((name, ""), |(h, p)| (h, p));
    if prefix_host.is_empty() || !host.eq_ignore_ascii_case(prefix_host) {
        return None;
    }
    if prefix_path.is_empty() {
        return Some(path);
    }
    if path == prefix_path {
        return Some("");
    }
    path.strip_prefix(prefix_path)?.strip_prefix('/')
}

/// A prefix as users write it, split into host and path ([`bare_prefix`]).
fn prefix_parts(prefix: &str) -> (&str, &str) {
    let prefix = bare_prefix(prefix);
    prefix.split_once('/').unwrap_or((prefix, ""))
}

/// A prefix as users write it without what does not count: surrounding blanks, an `https://`
/// or `http://` scheme, trailing slashes (`ghcr.io/acme` for ` https://ghcr.io/acme/`).
pub fn bare_prefix(prefix: &str) -> &str {
    let prefix = prefix.trim();
    prefix
        .strip_prefix("https://")
        .or_else(|| prefix.strip_prefix("http://"))
        .unwrap_or(prefix)
        .trim_end_matches('/')
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
        assert_eq!(
            strip_registry_prefix("ghcr.io/acme/team/app", "https://ghcr.io/acme/"),
            Some("team/app")
        );
        assert_eq!(
            strip_registry_prefix("ghcr.io/acme", "ghcr.io/acme"),
            Some("")
        );
        assert_eq!(
            strip_registry_prefix("ghcr.io/acme-evil/app", "ghcr.io/acme"),
            None
        );
    }

    #[test]
    fn moved_images_keep_their_path_under_the_new_prefix() {
        let moved = moved_image("k8s.gcr.io/pause", &[]).unwrap();
        assert_eq!((moved.old, moved.new), ("k8s.gcr.io", "registry.k8s.io"));
        assert_eq!(moved.name, "registry.k8s.io/pause");
        assert_eq!(
            moved_image("gcr.io/google_containers/pause-amd64", &[])
                .unwrap()
                .name,
            "registry.k8s.io/pause-amd64"
        );
        for unmoved in [
            "gcr.io/google-containers-evil/pause",
            "k8s.gcr.io.example.com/pause",
            "registry.k8s.io/pause",
            "gcr.io/google-samples/hello-app",
        ] {
            assert_eq!(moved_image(unmoved, &[]), None, "{unmoved}");
        }
    }

    #[test]
    fn the_most_specific_deprecated_prefix_wins() {
        let configured = vec![
            (
                "k8s.gcr.io/ingress-nginx".to_owned(),
                "registry.example.com/mirror/".to_owned(),
            ),
            (
                "ghcr.io/acme".to_owned(),
                "https://registry.example.com".to_owned(),
            ),
            ("k8s.gcr.io".to_owned(), "mirror.example.com/k8s".to_owned()),
        ];
        let name = |image| moved_image(image, &configured).map(|moved| moved.name);
        assert_eq!(
            name("k8s.gcr.io/ingress-nginx/controller").as_deref(),
            Some("registry.example.com/mirror/controller")
        );
        assert_eq!(
            name("k8s.gcr.io/pause").as_deref(),
            Some("mirror.example.com/k8s/pause"),
            "the config wins over the table on a tie"
        );
        assert_eq!(
            name("ghcr.io/acme/app").as_deref(),
            Some("registry.example.com/app")
        );
        assert_eq!(name("ghcr.io/acme-evil/app"), None);
    }

    #[test]
    fn frozen_and_public_registries_need_no_pull_secret() {
        for public in [
            "k8s.gcr.io/pause",
            "gcr.io/google-samples/cassandra",
            "gcr.io/distroless/static-debian12",
            "registry.k8s.io/pause",
        ] {
            assert!(needs_no_pull_secret(public, &[]), "{public}");
        }
        let trusted = ["gcr.io/acme-public".to_owned()];
        assert!(needs_no_pull_secret("gcr.io/acme-public/app", &trusted));
        assert!(!needs_no_pull_secret(
            "gcr.io/acme-public-evil/app",
            &trusted
        ));
        for private in [
            "gcr.io/google-samples-evil/app",
            "gcr.io/acme/app",
            "quay.io/acme/app",
        ] {
            assert!(!needs_no_pull_secret(private, &[]), "{private}");
        }
    }
}
