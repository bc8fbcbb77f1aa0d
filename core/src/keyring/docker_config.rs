//! Docker config documents as the kubelet decodes them (`pkg/credentialprovider/config.go`):
//! `{"auths": {...}}` for `kubernetes.io/dockerconfigjson`, the bare map for the legacy
//! `kubernetes.io/dockercfg`. JSON is read with `encoding/json`'s rules: struct fields match
//! case-insensitively, the last duplicate wins, `null` is the zero value, unknown fields are
//! ignored, syntax errors come first, then the first type or `auth` error in document order.
//!
//! Values decoded here are credentials: they never leave this module in an error message.

use crate::manifest::json::parse_value;
use crate::manifest::tree::{NodeId, ScalarKind, Tree, Value};

use super::go::base64_decode;

/// Which document a Secret holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    /// `kubernetes.io/dockerconfigjson`, key `.dockerconfigjson`: `{"auths": {...}}`.
    DockerConfigJson,
    /// `kubernetes.io/dockercfg`, key `.dockercfg`: `{"<registry>": {...}}`.
    DockerCfg,
}

impl ConfigFormat {
    pub fn from_secret_type(secret_type: &str) -> Option<Self> {
        match secret_type {
            "kubernetes.io/dockerconfigjson" => Some(Self::DockerConfigJson),
            "kubernetes.io/dockercfg" => Some(Self::DockerCfg),
            _ => None,
        }
    }

    pub const fn secret_type(self) -> &'static str {
        match self {
            Self::DockerConfigJson => "kubernetes.io/dockerconfigjson",
            Self::DockerCfg => "kubernetes.io/dockercfg",
        }
    }

    /// The `data` key the type requires.
    pub const fn data_key(self) -> &'static str {
        match self {
            Self::DockerConfigJson => ".dockerconfigjson",
            Self::DockerCfg => ".dockercfg",
        }
    }
}

/// One registry's credentials.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub username: String,
    pub password: String,
    pub email: String,
}

/// Never printed: an entry is credentials.
impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Entry { <redacted> }")
    }
}

/// A decoded document: its registry keys in document order, with their entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DockerConfig {
    pub entries: Vec<(String, Entry)>,
    /// For `.dockerconfigjson`: whether an `auths` field is present at all.
    pub has_auths: bool,
}

/// Why a document could not be decoded. `message` is safe to print: it never quotes the
/// document (Go's syntax errors quote the offending character; that character is replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    /// A JSON syntax error (as opposed to a type or `auth` error).
    pub syntax: bool,
    /// The registry entry (1-based, in document order) the error is in.
    pub entry: Option<usize>,
}

impl DecodeError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            syntax: false,
            entry: None,
        }
    }
}

/// `decodeDockerConfigFieldAuth`: `auth` is base64 of `user:password`, padded or not.
///
/// # Errors
/// Go's base64 error, or `unable to parse auth field, must be formatted as
/// base64(username:password)`.
pub fn decode_auth(field: &str) -> Result<(String, String), String> {
    let padded = field.trim().ends_with('=');
    let decoded = base64_decode(field.as_bytes(), padded)?;
    let text = String::from_utf8_lossy(&decoded);
    match text.split_once(':') {
        Some((user, password)) => Ok((user.to_owned(), password.to_owned())),
        None => Err(
            "unable to parse auth field, must be formatted as base64(username:password)".to_owned(),
        ),
    }
}

/// A Secret `data` value: padded standard base64, newlines ignored (`encoding/json` for
/// `[]byte`).
///
/// # Errors
/// Go's `illegal base64 data at input byte N`.
pub fn decode_data_value(value: &str) -> Result<Vec<u8>, String> {
    base64_decode(value.as_bytes(), true)
}

/// Parses JSON text as `json.Unmarshal` would check it (one value, nothing after it) and hands
/// the tree to `read`. A syntax error's message has the offending character removed.
fn with_json<T>(
    text: &[u8],
    read: impl FnOnce(&Tree<'_>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let text = String::from_utf8_lossy(text);
    let tree = parse_value(&text).map_err(|error| DecodeError {
        message: redact_syntax(&error.message),
        syntax: true,
        entry: None,
    })?;
    read(&tree)
}

/// `invalid character 'x' after top-level value` → `invalid character after top-level value`.
fn redact_syntax(message: &str) -> String {
    match message.strip_prefix("invalid character ") {
        Some(rest) => {
            // `rest` starts with the quoted character (`'x'`, `'\''`, `' '`): its closing quote
            // comes after the opening quote and at least one character. Searching from the
            // start took the opening quote of `' '` (a space) for the closing one and left
            // `invalid character ' in literal true …` (fuzz_regressions: docker_config).
            let quoted = rest.char_indices().nth(2).map_or(rest.len(), |(i, _)| i);
            match rest[quoted..].find("' ") {
                Some(end) => format!("invalid character {}", &rest[quoted + end + 2..]),
                None => "invalid character".to_owned(),
            }
        }
        None => message.to_owned(),
    }
}

/// The Go kind `encoding/json` names in type errors.
fn go_kind(tree: &Tree<'_>, node: NodeId) -> &'static str {
    match &tree.node(node).value {
        Value::Mapping { .. } => "object",
        Value::Sequence { .. } => "array",
        Value::Scalar(s) => match s.kind {
            ScalarKind::Bool => "bool",
            ScalarKind::Int | ScalarKind::Float => "number",
            _ => "string",
        },
    }
}

fn is_null(tree: &Tree<'_>, node: NodeId) -> bool {
    tree.scalar(node)
        .is_some_and(|s| s.kind == ScalarKind::Null)
}

/// The value of a struct field: exact name first, else a case-insensitive match; the last
/// duplicate wins.
fn field(tree: &Tree<'_>, object: NodeId, name: &str) -> Option<NodeId> {
    let entries = tree.entries(object);
    let exact = entries
        .iter()
        .rev()
        .find(|&&(k, _)| tree.key(k) == Some(name));
    let folded = || {
        entries
            .iter()
            .rev()
            .find(|&&(k, _)| tree.key(k).is_some_and(|k| k.eq_ignore_ascii_case(name)))
    };
    exact.or_else(folded).map(|&(_, v)| v)
}

/// One entry (`DockerConfigEntry.UnmarshalJSON`).
fn entry(tree: &Tree<'_>, node: NodeId) -> Result<Entry, DecodeError> {
    if is_null(tree, node) {
        return Ok(Entry::default());
    }
    if !tree.is_mapping(node) {
        let kind = go_kind(tree, node);
        return Err(DecodeError::new(format!(
            "json: cannot unmarshal {kind} into Go value of type credentialprovider.dockerConfigEntryWithAuth"
        )));
    }
    let mut first_error = None;
    let mut string_field = |name: &str| -> String {
        let Some(value) = field(tree, node, name) else {
            return String::new();
        };
        match tree.scalar(value) {
            Some(s) if s.kind == ScalarKind::String => s.text.to_string(),
            _ if is_null(tree, value) => String::new(),
            _ => {
                let kind = go_kind(tree, value);
                first_error.get_or_insert_with(|| {
                    DecodeError::new(format!(
                        "json: cannot unmarshal {kind} into Go struct field dockerConfigEntryWithAuth.{name} of type string"
                    ))
                });
                String::new()
            }
        }
    };
    let mut entry = Entry {
        username: string_field("username"),
        password: string_field("password"),
        email: string_field("email"),
    };
    let auth = string_field("auth");
    if let Some(error) = first_error {
        return Err(error);
    }
    if !auth.is_empty() {
        let (username, password) = decode_auth(&auth).map_err(DecodeError::new)?;
        entry.username = username;
        entry.password = password;
    }
    Ok(entry)
}

/// A `DockerConfig` map: registry key → entry, in document order.
fn entries(
    tree: &Tree<'_>,
    map: NodeId,
    into: &mut Vec<(String, Entry)>,
) -> Result<(), DecodeError> {
    for (number, &(key, value)) in tree.entries(map).iter().enumerate() {
        let key = tree.key(key).unwrap_or_default().to_owned();
        let entry = entry(tree, value).map_err(|error| DecodeError {
            entry: Some(number + 1),
            ..error
        })?;
        match into.iter_mut().find(|(existing, _)| *existing == key) {
            Some(slot) => slot.1 = entry,
            None => into.push((key, entry)),
        }
    }
    Ok(())
}

/// Decodes a whole document.
///
/// # Errors
/// What makes the kubelet fail to build a keyring from it.
pub fn decode(format: ConfigFormat, text: &[u8]) -> Result<DockerConfig, DecodeError> {
    with_json(text, |tree| decode_tree(format, tree))
}

fn decode_tree(format: ConfigFormat, tree: &Tree<'_>) -> Result<DockerConfig, DecodeError> {
    let root = tree.root();
    let mut config = DockerConfig::default();
    if is_null(tree, root) {
        return Ok(config);
    }
    match format {
        ConfigFormat::DockerCfg => {
            if !tree.is_mapping(root) {
                let kind = go_kind(tree, root);
                return Err(DecodeError::new(format!(
                    "json: cannot unmarshal {kind} into Go value of type credentialprovider.DockerConfig"
                )));
            }
            entries(tree, root, &mut config.entries)?;
        }
        ConfigFormat::DockerConfigJson => {
            if !tree.is_mapping(root) {
                let kind = go_kind(tree, root);
                return Err(DecodeError::new(format!(
                    "json: cannot unmarshal {kind} into Go value of type credentialprovider.DockerConfigJSON"
                )));
            }
            // Fields are decoded in document order; the first error wins.
            let auths = field(tree, root, "auths");
            let headers = field(tree, root, "HttpHeaders");
            let mut fields: Vec<(NodeId, bool)> = auths
                .map(|a| (a, true))
                .into_iter()
                .chain(headers.map(|h| (h, false)))
                .collect();
            fields.sort_by_key(|&(node, _)| tree.span(node).start);
            for (node, is_auths) in fields {
                if is_auths {
                    config.has_auths = true;
                    if is_null(tree, node) {
                        continue;
                    }
                    if !tree.is_mapping(node) {
                        let kind = go_kind(tree, node);
                        return Err(DecodeError::new(format!(
                            "json: cannot unmarshal {kind} into Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig"
                        )));
                    }
                    entries(tree, node, &mut config.entries)?;
                } else if !is_null(tree, node) {
                    if !tree.is_mapping(node) {
                        let kind = go_kind(tree, node);
                        return Err(DecodeError::new(format!(
                            "json: cannot unmarshal {kind} into Go struct field DockerConfigJSON.HttpHeaders of type map[string]string"
                        )));
                    }
                    if let Some(&(_, bad)) = tree
                        .entries(node)
                        .iter()
                        .find(|&&(_, v)| tree.str(v).is_none() && !is_null(tree, v))
                    {
                        let kind = go_kind(tree, bad);
                        return Err(DecodeError::new(format!(
                            "json: cannot unmarshal {kind} into Go struct field DockerConfigJSON.HttpHeaders of type string"
                        )));
                    }
                }
            }
        }
    }
    Ok(config)
}

fn api_check(tree: &Tree<'_>) -> Result<(), DecodeError> {
    let root = tree.root();
    if tree.is_mapping(root) || is_null(tree, root) {
        return Ok(());
    }
    let kind = go_kind(tree, root);
    Err(DecodeError::new(format!(
        "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    )))
}

/// What the API server, then the kubelet, make of a docker config Secret value.
#[derive(Debug)]
pub enum Checked {
    /// The API server refuses the Secret (not a JSON object): its message.
    RejectedByApi(String),
    /// Accepted, but the kubelet cannot build a keyring from it.
    Undecodable(DecodeError),
    Decoded {
        config: DockerConfig,
        /// Keys of the top-level object (tells the legacy layout from an empty one).
        top_level_keys: usize,
    },
}

/// What the API server checks of a docker config Secret value (`ValidateSecret`: a JSON
/// object or `null`, nothing else), then [`decode`], parsing the value once.
pub fn check(format: ConfigFormat, text: &[u8]) -> Checked {
    let text = String::from_utf8_lossy(text);
    let tree = match parse_value(&text) {
        Ok(tree) => tree,
        Err(error) => return Checked::RejectedByApi(redact_syntax(&error.message)),
    };
    if let Err(error) = api_check(&tree) {
        return Checked::RejectedByApi(error.message);
    }
    match decode_tree(format, &tree) {
        Err(error) => Checked::Undecodable(error),
        Ok(config) => Checked::Decoded {
            config,
            top_level_keys: tree.entries(tree.root()).len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_quote_the_document() {
        let error = decode(ConfigFormat::DockerConfigJson, b"{\"auths\": {}} s3cr3t").unwrap_err();
        assert_eq!(error.message, "invalid character after top-level value");
        assert!(error.syntax);
        let entry = Entry {
            username: "u".into(),
            password: "hunter2".into(),
            email: String::new(),
        };
        assert!(!format!("{entry:?}").contains("hunter2"));
    }

    #[test]
    fn auth_overrides_username_and_password() {
        let config = decode(
            ConfigFormat::DockerConfigJson,
            br#"{"Auths": {"quay.io": {"username": "a", "auth": "cGluZzpwb25n"}}}"#,
        )
        .unwrap();
        assert!(config.has_auths);
        assert_eq!(config.entries[0].0, "quay.io");
        assert_eq!(config.entries[0].1.username, "ping");
    }
}
