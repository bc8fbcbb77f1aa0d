//! Registry credentials as the kubelet reads and matches them (`pkg/credentialprovider`).
//!
//! - [`docker_config`]: `.dockerconfigjson` and legacy `.dockercfg` documents, their entries and
//!   `auth` fields, decoded with Go's rules and messages.
//! - [`Keyring`]: the kubelet's `BasicDockerKeyring`: keys normalised (`https://` added,
//!   `/v1/` and `/v2/` dropped), an index sorted in reverse so the most specific key is tried
//!   first, URL matching (equal ports, equal label counts, `*` within one host label, a plain
//!   string prefix on the path), and the Docker Hub fallback to `index.docker.io` credentials.
//! - [`registry`]: public and cloud registries, and prefix lists.

pub mod docker_config;
pub(crate) mod go;

pub use go::UrlError;
pub mod registry;

use std::collections::HashMap;

/// The key under which Docker Hub credentials are found for default-registry images.
pub const DEFAULT_REGISTRY_HOST: &str = "index.docker.io";

/// The index key of a config key (`keyring.go` `Add`), or the parse error that makes the
/// kubelet ignore it ("Entry %q in dockercfg invalid (%v), ignoring").
pub fn index_key(key: &str) -> Result<String, UrlError> {
    let value = if key.starts_with("https://") || key.starts_with("http://") {
        key.to_owned()
    } else {
        format!("https://{key}")
    };
    let url = go::parse_url(&value)?;
    let path = if url.path.starts_with("/v2/") || url.path.starts_with("/v1/") {
        &url.path[3..]
    } else {
        &url.path
    };
    Ok(if !path.is_empty() && path != "/" {
        format!("{}{path}", url.host)
    } else {
        url.host
    })
}

/// `URLsMatchStr(glob, target)`: whether a key (after normalisation) matches an image
/// repository. Parse and pattern errors mean no match.
pub fn urls_match(glob: &str, target: &str) -> bool {
    match (parse_match_url(glob), parse_match_url(target)) {
        (Some(glob), Some(target)) => urls_match_parsed(&glob, &target),
        _ => false,
    }
}

/// `url.Parse("https://" + s)`, as both sides of `URLsMatchStr` are parsed; `None` on error.
fn parse_match_url(value: &str) -> Option<go::Url> {
    go::parse_url(&format!("https://{value}")).ok()
}

/// `URLsMatch` on both sides parsed by [`parse_match_url`] (a keyring parses its keys once,
/// a lookup its image once).
fn urls_match_parsed(glob: &go::Url, target: &go::Url) -> bool {
    fn split(host: &str) -> (Vec<&str>, &str) {
        match go::split_host_port(host) {
            Some((host, port)) => (host.split('.').collect(), port),
            None => (host.split('.').collect(), ""),
        }
    }
    let (glob_labels, glob_port) = split(&glob.host);
    let (target_labels, target_port) = split(&target.host);
    if glob_port != target_port || glob_labels.len() != target_labels.len() {
        return false;
    }
    for (pattern, label) in glob_labels.iter().zip(&target_labels) {
        if !matches!(go::filepath_match(pattern, label), Ok(true)) {
            return false;
        }
    }
    target.path.starts_with(&glob.path)
}

/// `isDefaultRegistryMatch`: whether an image is on Docker Hub for the fallback to
/// `index.docker.io` credentials.
pub fn is_default_registry_match(image: &str) -> bool {
    let (first, rest) = image
        .split_once('/')
        .map_or((image, None), |(first, rest)| (first, Some(rest)));
    if first.is_empty() {
        return false;
    }
    if rest.is_none() || first == "docker.io" || first == DEFAULT_REGISTRY_HOST {
        return true;
    }
    !first.contains(['.', ':'])
}

/// The kubelet's `BasicDockerKeyring` over credentials of any type.
#[derive(Clone, Debug)]
pub struct Keyring<C> {
    /// Index keys, deduplicated and sorted in reverse.
    index: Vec<String>,
    /// Each key of `index` parsed as `URLsMatch` parses it (`None` if it does not parse, so
    /// it matches nothing), once when added rather than on every lookup.
    parsed: Vec<Option<go::Url>>,
    credentials: HashMap<String, Vec<C>>,
}

impl<C> Default for Keyring<C> {
    fn default() -> Self {
        Self {
            index: Vec::new(),
            parsed: Vec::new(),
            credentials: HashMap::new(),
        }
    }
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub struct Lookup<'k, C> {
    /// Every matching credential, most specific key first.
    pub credentials: Vec<&'k C>,
    /// The keys that matched, in that order.
    pub matched_keys: Vec<&'k str>,
    /// Nothing matched; Docker Hub credentials were offered for a default-registry image.
    pub via_default_registry: bool,
}

impl<C> Keyring<C> {
    /// Adds a credential under a config key. A key the kubelet cannot parse is ignored; the
    /// error is returned.
    ///
    /// # Errors
    /// The URL parse error that makes the kubelet ignore the key.
    pub fn add(&mut self, key: &str, credential: C) -> Result<(), String> {
        self.add_index_key(index_key(key).map_err(|error| error.message)?, credential);
        Ok(())
    }

    /// Adds credentials under a key that is already normalised by [`index_key`] (normalising
    /// twice is not the identity: a second `/v1/` would be stripped).
    pub fn add_index_key(&mut self, key: String, credential: C) {
        self.credentials
            .entry(key.clone())
            .or_default()
            .push(credential);
        if let Err(at) = self.index.binary_search_by(|existing| key.cmp(existing)) {
            self.parsed.insert(at, parse_match_url(&key));
            self.index.insert(at, key);
        }
    }

    /// The normalised keys in lookup order.
    pub fn index(&self) -> &[String] {
        &self.index
    }

    /// `Lookup(image)`, where `image` is the normalised repository (`docker.io/library/nginx`).
    pub fn lookup(&self, image: &str) -> Lookup<'_, C> {
        let mut found = Lookup {
            credentials: Vec::new(),
            matched_keys: Vec::new(),
            via_default_registry: false,
        };
        let target = parse_match_url(image);
        for (key, glob) in self.index.iter().zip(&self.parsed) {
            if let (Some(glob), Some(target)) = (glob, &target)
                && urls_match_parsed(glob, target)
            {
                found.matched_keys.push(key);
                found
                    .credentials
                    .extend(self.credentials.get(key).into_iter().flatten());
            }
        }
        if found.credentials.is_empty()
            && is_default_registry_match(image)
            && let Some(hub) = self.credentials.get(DEFAULT_REGISTRY_HOST)
        {
            found.credentials.extend(hub);
            found.via_default_registry = true;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_key_first() {
        let mut keyring = Keyring::default();
        for (key, label) in [
            ("quay.io", "host"),
            ("quay.io/org", "org"),
            ("https://quay.io/v1/org/app", "app"),
        ] {
            keyring.add(key, label).unwrap();
        }
        assert_eq!(
            keyring.index(),
            ["quay.io/org/app", "quay.io/org", "quay.io"]
        );
        assert_eq!(
            keyring.lookup("quay.io/org/app").credentials,
            [&"app", &"org", &"host"]
        );
    }

    #[test]
    fn docker_hub_fallback() {
        let mut keyring = Keyring::default();
        keyring.add("https://index.docker.io/v1/", "hub").unwrap();
        let found = keyring.lookup("docker.io/library/nginx");
        assert!(found.via_default_registry);
        assert_eq!(found.credentials, [&"hub"]);
        assert!(keyring.lookup("quay.io/org/app").credentials.is_empty());
    }
}
