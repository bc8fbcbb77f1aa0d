//! An oracle for the reference grammar built from upstream's own regular expressions.
//!
//! `regexp.go` (distribution/reference v0.6.0) is transcribed expression by expression and
//! compiled with the `regex` crate (same RE2 semantics as Go's `regexp`, leftmost-first
//! submatches); `Parse`, `ParseNormalizedNamed` and go-digest's `Validate` are transcribed on
//! top of it line by line. It is slow and allocates, and that is fine: it is the judge.

use std::sync::LazyLock;

use imglint_core::reference::ImageReference;
use proptest::prelude::*;
use regex::Regex;
use regex_automata::dfa::{Automaton, dense};
use regex_automata::{Anchored, Input};

// regexp.go, transcribed. `\w` is written out: Go's is ASCII-only, the regex crate's is Unicode.
const ALPHANUMERIC: &str = "[a-z0-9]+";
const SEPARATOR: &str = "(?:[._]|__|[-]+)";
const DOMAIN_NAME_COMPONENT: &str = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const OPTIONAL_PORT: &str = "(?::[0-9]+)?";
const TAG: &str = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const DIGEST: &str = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}";
const IPV6_ADDRESS: &str = r"\[(?:[a-fA-F0-9:]+)\]";

fn domain_and_port() -> String {
    let domain_name = format!(r"{DOMAIN_NAME_COMPONENT}(?:\.{DOMAIN_NAME_COMPONENT})*");
    let host = format!("(?:{domain_name}|{IPV6_ADDRESS})");
    format!("{host}{OPTIONAL_PORT}")
}

fn remote_name() -> String {
    let path_component = format!("{ALPHANUMERIC}(?:{SEPARATOR}{ALPHANUMERIC})*");
    format!("{path_component}(?:/{path_component})*")
}

/// `referencePat` without anchors.
fn reference_pattern() -> String {
    let name = format!("(?:{}/)?{}", domain_and_port(), remote_name());
    format!("({name})(?::({TAG}))?(?:@({DIGEST}))?")
}

pub struct Oracle {
    reference: Regex,
    name: Regex,
    identifier: Regex,
    go_digest: Regex,
    viable: dense::DFA<Vec<u32>>,
}

pub static ORACLE: LazyLock<Oracle> = LazyLock::new(|| Oracle {
    reference: Regex::new(&format!("^{}$", reference_pattern())).unwrap(),
    name: Regex::new(&format!(
        "^(?:({})/)?({})$",
        domain_and_port(),
        remote_name()
    ))
    .unwrap(),
    identifier: Regex::new("^[a-f0-9]{64}$").unwrap(),
    go_digest: Regex::new("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$").unwrap(),
    viable: dense::DFA::new(&reference_pattern()).unwrap(),
});

#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Parts {
    pub domain: String,
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Parts {
    pub fn of(reference: &ImageReference<'_>) -> Self {
        Self {
            domain: reference.domain().to_owned(),
            path: reference.path().into_owned(),
            tag: reference.tag().map(str::to_owned),
            digest: reference.digest().map(str::to_owned),
        }
    }
}

pub fn go_to_lower(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\u{130}' {
                'i'
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        })
        .collect()
}

impl Oracle {
    /// go-digest v1.0.0 `Digest.Validate` with sha256, sha384 and sha512 registered.
    pub fn validate_digest(&self, digest: &str) -> Result<(), String> {
        let Some(i) = digest.find(':').filter(|&i| i > 0 && i + 1 != digest.len()) else {
            return Err("invalid checksum digest format".into());
        };
        let (algorithm, encoded) = (&digest[..i], &digest[i + 1..]);
        let size = match algorithm {
            "sha256" => 32,
            "sha384" => 48,
            "sha512" => 64,
            _ if self.go_digest.is_match(digest) => {
                return Err("unsupported digest algorithm".into());
            }
            _ => return Err("invalid checksum digest format".into()),
        };
        if encoded.len() != size * 2 {
            return Err("invalid checksum digest length".into());
        }
        if !encoded
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err("invalid checksum digest format".into());
        }
        Ok(())
    }

    /// reference.go `Parse`.
    pub fn parse(&self, s: &str) -> Result<Parts, String> {
        if s.is_empty() {
            return Err("repository name must have at least one component".into());
        }
        let Some(matches) = self.reference.captures(s) else {
            let lower = go_to_lower(s);
            if lower != s && self.reference.is_match(&lower) {
                return Err("repository name must be lowercase".into());
            }
            return Err("invalid reference format".into());
        };
        let name = &matches[1];
        let name_match = self
            .name
            .captures(name)
            .expect("a matched name matches the name regexp");
        let domain = name_match.get(1).map_or("", |m| m.as_str()).to_owned();
        let path = name_match[2].to_owned();
        if path.len() > 255 {
            return Err("repository name must not be more than 255 characters".into());
        }
        let digest = matches.get(3).map(|m| m.as_str().to_owned());
        if let Some(digest) = &digest {
            self.validate_digest(digest)?;
        }
        Ok(Parts {
            domain,
            path,
            tag: matches.get(2).map(|m| m.as_str().to_owned()),
            digest,
        })
    }

    /// normalize.go `ParseNormalizedNamed` with `splitDockerDomain`.
    pub fn parse_normalized(&self, s: &str) -> Result<Parts, String> {
        if self.identifier.is_match(s) {
            return Err(format!(
                "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
            ));
        }
        let (domain, remainder) = match s.split_once('/') {
            None => ("docker.io".to_owned(), format!("library/{s}")),
            Some((first, rest)) => {
                let (mut domain, mut remainder) = if first == "localhost" {
                    (first.to_owned(), rest.to_owned())
                } else if first == "index.docker.io" {
                    ("docker.io".to_owned(), rest.to_owned())
                } else if first.contains(['.', ':']) || go_to_lower(first) != first {
                    (first.to_owned(), rest.to_owned())
                } else {
                    ("docker.io".to_owned(), s.to_owned())
                };
                if domain == "index.docker.io" {
                    domain = "docker.io".to_owned();
                }
                if domain == "docker.io" && !remainder.contains('/') {
                    remainder = format!("library/{remainder}");
                }
                (domain, remainder)
            }
        };
        let remote = remainder.split(':').next().unwrap_or_default();
        if go_to_lower(remote) != remote {
            return Err(format!(
                "invalid reference format: repository name ({remote}) must be lowercase"
            ));
        }
        self.parse(&format!("{domain}/{remainder}"))
    }

    /// Whether some continuation of `prefix` matches the reference grammar.
    pub fn is_viable_prefix(&self, prefix: &str) -> bool {
        let input = Input::new(prefix).anchored(Anchored::Yes);
        let mut state = self.viable.start_state_forward(&input).unwrap();
        for &byte in prefix.as_bytes() {
            state = self.viable.next_state(state, byte);
            if self.viable.is_dead_state(state) {
                return false;
            }
        }
        true
    }
}

/// Strings shaped like references, with every kind of near miss.
pub fn reference_like() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        "[a-z0-9]{1,6}",
        "[a-zA-Z0-9][a-zA-Z0-9-]{0,4}[a-zA-Z0-9]",
        "[a-z0-9_-]{1,5}",
        Just("localhost".to_owned()),
        Just("docker".to_owned()),
        Just("io".to_owned()),
        Just("index".to_owned()),
    ];
    let host = prop_oneof![
        4 => prop::collection::vec(label.clone(), 1..4).prop_map(|labels| labels.join(".")),
        1 => Just("docker.io".to_owned()),
        1 => Just("index.docker.io".to_owned()),
        1 => "\\[[0-9a-fA-F:%]{1,12}\\]",
        1 => "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
    ];
    let port = prop_oneof![3 => Just(String::new()), 2 => ":[0-9]{1,5}", 1 => ":[a-z0-9]{0,3}"];
    let domain = prop_oneof![2 => Just(String::new()), 3 => (host, port).prop_map(|(h, p)| format!("{h}{p}/"))];
    let component = prop_oneof![
        6 => "[a-z0-9]{1,8}",
        3 => "[a-z0-9]{1,4}([._-]|__|--)[a-z0-9]{1,4}",
        2 => "[a-z0-9._A-Z-]{0,6}",
        1 => "[a-f0-9]{64}",
    ];
    let path = prop::collection::vec(component, 1..4).prop_map(|c| c.join("/"));
    let tag = prop_oneof![
        3 => Just(String::new()),
        3 => ":[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}",
        1 => ":[A-Za-z0-9_.:+~ -]{0,6}",
        1 => Just(":latest".to_owned()),
        1 => "[a-z]{120,130}".prop_map(|t| format!(":{t}")),
    ];
    let algorithm = prop_oneof![
        Just("sha256"),
        Just("sha384"),
        Just("sha512"),
        Just("md5"),
        Just("SHA256"),
        Just("sha256+b64"),
        Just("blake3"),
        Just(""),
    ];
    let hex = prop_oneof![
        3 => "[a-f0-9]{64}",
        1 => "[a-f0-9]{96}",
        1 => "[a-f0-9]{128}",
        2 => "[a-fA-F0-9]{28,70}",
        1 => "[a-z0-9@:]{0,40}",
    ];
    let digest = prop_oneof![
        3 => Just(String::new()),
        2 => (algorithm, hex).prop_map(|(a, h)| format!("@{a}:{h}")),
    ];
    let long_path = "[a-z]{240,260}";
    prop_oneof![
        20 => (domain, path, tag, digest).prop_map(|(d, p, t, g)| format!("{d}{p}{t}{g}")),
        2 => long_path.prop_map(|p| p),
        3 => "[a-zA-Z0-9./:@_ -]{0,24}",
        1 => "[a-zé\u{212A}\u{130}K/:@.]{0,10}",
    ]
}
