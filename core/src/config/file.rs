//! `.imglint.yaml`: the config file, read with positions so that every mistake in it is
//! reported where it is written.

use crate::config::{Config, KustomizeMode, RuleLevel, RuleSelector, SecretsCompleteness, Tenancy};
use crate::diagnostic::bounded_text;
use crate::keyring::registry::{DEPRECATED_REGISTRIES, bare_prefix, is_under_prefix};
use crate::manifest::tree::{ScalarKind, Value};
use crate::manifest::{DocumentResult, NodeId, Tree, parse_documents};
use crate::redaction;
use crate::reference::parse_normalized;
use crate::source::Span;

/// The keys of the config file, in the order the spec lists them.
pub const KEYS: [&str; 9] = [
    "tenancy",
    "default_namespace",
    "secrets",
    "allowed_registries",
    "trusted_registries",
    "deprecated_registries",
    "rules",
    "max_findings_per_file",
    "kustomize",
];

/// A mistake in the config file, at its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl ConfigError {
    /// Messages are cut as a diagnostic's are ([`bounded_text`]): they quote what is written.
    fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: bounded_text(message.into()),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(bounded_text(help.into()));
        self
    }
}

impl Config {
    /// Reads a config file on top of the defaults. An empty file is the defaults.
    ///
    /// # Errors
    /// Every unknown key and bad value, in file order.
    pub fn from_yaml(text: &str) -> Result<Self, Vec<ConfigError>> {
        let mut config = Self::default();
        config.apply_yaml(text)?;
        Ok(config)
    }

    /// Reads a config file over this config: keys it sets replace the current values.
    ///
    /// # Errors
    /// Every unknown key and bad value, in file order.
    pub fn apply_yaml(&mut self, text: &str) -> Result<(), Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut documents = parse_documents(text)
            .into_iter()
            .filter(|d| !matches!(d, DocumentResult::Empty));
        match documents.next() {
            None => {}
            Some(DocumentResult::Error(error)) => {
                let at = error.offset as usize;
                // A Secret named as the config file: what the parser quotes may be its value.
                let piece = text.get(error.document.range()).unwrap_or_default();
                let message = if redaction::names_secret(piece) {
                    redaction::content_free(&error.message)
                } else {
                    error.message
                };
                errors.push(ConfigError::new(Span::new(at, at), message));
            }
            // Its keys and values would be quoted as unknown keys and bad values: one error
            // that quotes nothing (the CLI masks its code frame as it masks manifests).
            Some(DocumentResult::Document(tree)) if redaction::may_be_secret(&tree) => {
                let at = tree.span(tree.root()).start as usize;
                errors.push(
                    ConfigError::new(
                        Span::new(at, at),
                        "the config file holds a Kubernetes Secret, not imglint settings",
                    )
                    .help(format!(
                        "lint manifests by naming them as inputs; the settings are {}",
                        quoted_list(&KEYS)
                    )),
                );
            }
            Some(DocumentResult::Document(tree)) => ConfigReader {
                tree: &tree,
                errors: &mut errors,
            }
            .read(self),
            Some(DocumentResult::Empty) => unreachable!("filtered"),
        }
        if let Some(extra) = documents.next() {
            let at = match extra {
                DocumentResult::Document(tree) => tree.span(tree.root()).start as usize,
                DocumentResult::Error(error) => error.offset as usize,
                DocumentResult::Empty => 0,
            };
            errors.push(ConfigError::new(
                Span::new(at, at),
                "the config file must hold one YAML document",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

struct ConfigReader<'t, 'src> {
    tree: &'t Tree<'src>,
    errors: &'t mut Vec<ConfigError>,
}

impl<'t> ConfigReader<'t, '_> {
    fn read(&mut self, config: &mut Config) {
        let root = self.tree.root();
        if !self.tree.is_mapping(root) {
            if !self.tree.is_null(root) {
                let found = self.tree.node(root).describe();
                self.error(
                    root,
                    format!("the config file must be a mapping of settings, found {found}"),
                );
            }
            return;
        }
        let mut seen = std::collections::HashSet::new();
        for &(key, value) in self.tree.entries(root) {
            let Some(name) = self.tree.key(key) else {
                self.error(key, "config keys must be plain names");
                continue;
            };
            if !seen.insert(name) {
                self.error(key, format!("`{name}` is set twice"));
                continue;
            }
            match name {
                "tenancy" => {
                    if let Some(tenancy) = self.choice(value, name, &Tenancy::NAMES) {
                        config.tenancy = tenancy;
                    }
                }
                "default_namespace" => {
                    if let Some(namespace) = self.namespace(value) {
                        config.default_namespace = namespace;
                    }
                }
                "secrets" => {
                    let choices = [
                        ("partial", SecretsCompleteness::Partial),
                        ("complete", SecretsCompleteness::Complete),
                    ];
                    if let Some(secrets) = self.choice(value, name, &choices) {
                        config.secrets = secrets;
                    }
                }
                "allowed_registries" => {
                    if let Some(registries) = self.registries(value, name) {
                        config.allowed_registries = registries;
                    }
                }
                "trusted_registries" => {
                    if let Some(registries) = self.registries(value, name) {
                        config.trusted_registries = registries;
                    }
                }
                "deprecated_registries" => {
                    if let Some(moves) = self.deprecated_registries(value) {
                        config.deprecated_registries = moves;
                    }
                }
                "rules" => {
                    if let Some(rules) = self.rules(value) {
                        config.rules = rules;
                    }
                }
                "max_findings_per_file" => {
                    if let Some(limit) = self.findings_limit(value) {
                        config.max_findings_per_file = limit;
                    }
                }
                "kustomize" => {
                    if let Some(mode) = self.choice(value, name, &KustomizeMode::NAMES) {
                        config.kustomize = mode;
                    }
                }
                _ => {
                    let mut error =
                        ConfigError::new(self.tree.span(key), format!("unknown key `{name}`"));
                    error = match closest(name, &KEYS) {
                        Some(known) => error.help(format!("did you mean `{known}`?")),
                        None => error.help(format!("the keys are {}", quoted_list(&KEYS))),
                    };
                    self.errors.push(error);
                }
            }
        }
    }

    fn error(&mut self, node: NodeId, message: impl Into<String>) {
        self.errors
            .push(ConfigError::new(self.tree.span(node), message));
    }

    /// A string scalar, or an error naming what was found.
    fn string(&mut self, node: NodeId, what: &str) -> Option<String> {
        match self.tree.str(node) {
            Some(text) => Some(text.to_owned()),
            None => {
                let found = self.tree.node(node).describe();
                self.error(node, format!("{what} must be a string, found {found}"));
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, node: NodeId, key: &str, choices: &[(&str, T)]) -> Option<T> {
        let text = self.string(node, &format!("`{key}`"))?;
        if let Some(&(_, value)) = choices.iter().find(|(name, _)| *name == text) {
            return Some(value);
        }
        let names: Vec<&str> = choices.iter().map(|&(name, _)| name).collect();
        let error = ConfigError::new(
            self.tree.span(node),
            format!(
                "`{key}` must be one of {}, found `{text}`",
                quoted_list(&names)
            ),
        );
        self.errors.push(error);
        None
    }

    /// How many findings a file shows: a whole number from 1 to
    /// [`MAX_FINDINGS_LIMIT`](crate::findings::MAX_FINDINGS_LIMIT), so that no config makes a
    /// hostile file cost unbounded memory.
    fn findings_limit(&mut self, node: NodeId) -> Option<usize> {
        use crate::findings::MAX_FINDINGS_LIMIT;
        let number = self
            .tree
            .scalar(node)
            .filter(|scalar| scalar.kind == ScalarKind::Int)
            .and_then(|scalar| scalar.text.parse::<usize>().ok());
        match number {
            Some(limit @ 1..=MAX_FINDINGS_LIMIT) => Some(limit),
            _ => {
                let error = ConfigError::new(
                    self.tree.span(node),
                    format!(
                        "`max_findings_per_file` must be a whole number from 1 to {MAX_FINDINGS_LIMIT}"
                    ),
                )
                .help("findings past it are counted in the summary and IMG004 says how many");
                self.errors.push(error);
                None
            }
        }
    }

    /// A namespace name: a DNS-1123 label, as the API server requires.
    fn namespace(&mut self, node: NodeId) -> Option<String> {
        let name = self.string(node, "`default_namespace`")?;
        let valid = !name.is_empty()
            && name.len() <= 63
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !name.starts_with('-')
            && !name.ends_with('-');
        if valid {
            Some(name)
        } else {
            let error = ConfigError::new(self.tree.span(node), format!("`{name}` is not a valid namespace name"))
                .help("namespace names are at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit");
            self.errors.push(error);
            None
        }
    }

    /// A list of registry hosts or repository prefixes (`registry.example.com:5000`,
    /// `ghcr.io/acme`); null is the empty list.
    fn registries(&mut self, node: NodeId, key: &str) -> Option<Vec<String>> {
        if self.tree.is_null(node) {
            return Some(Vec::new());
        }
        if !matches!(self.tree.node(node).value, Value::Sequence { .. }) {
            let found = self.tree.node(node).describe();
            self.error(
                node,
                format!("`{key}` must be a list of registries, found {found}"),
            );
            return None;
        }
        let mut registries = Vec::new();
        let mut ok = true;
        for &item in self.tree.items(node) {
            match self.registry_prefix(item, key, &format!("each entry of `{key}`")) {
                Some(text) => registries.push(text),
                None => ok = false,
            }
        }
        ok.then_some(registries)
    }

    /// A registry or repository prefix (`registry_prefix_error`), or the error at `node`.
    /// `what` names the value in the error when it is no string.
    fn registry_prefix(&mut self, node: NodeId, key: &str, what: &str) -> Option<String> {
        let text = self.string(node, what)?;
        match registry_prefix_error(&text) {
            None => Some(text),
            Some((message, help)) => {
                // Named, for readers without the position (policy settings, JS objects).
                let message = format!("in `{key}`: {message}");
                self.errors
                    .push(ConfigError::new(self.tree.span(node), message).help(help));
                None
            }
        }
    }

    /// `deprecated_registries`: a mapping of deprecated registry or repository prefixes to the
    /// prefixes that replace them; null is the empty mapping. A replacement must not itself be
    /// deprecated (here or built in), or `--fix` would move an image on and on.
    fn deprecated_registries(&mut self, node: NodeId) -> Option<Vec<(String, String)>> {
        const KEY: &str = "deprecated_registries";
        let entries =
            self.mapping_entries(node, KEY, "deprecated registries to their replacements")?;
        let mut moves: Vec<(String, String)> = Vec::new();
        let mut new_at = Vec::new();
        let mut ok = true;
        for &(key, value) in entries {
            let old = self.registry_prefix(key, KEY, &format!("each key of `{KEY}`"));
            let what = match &old {
                Some(old) => format!("the replacement of `{old}`"),
                None => format!("each value of `{KEY}`"),
            };
            let new = self.registry_prefix(value, KEY, &what);
            let (Some(old), Some(new)) = (old, new) else {
                ok = false;
                continue;
            };
            if moves.iter().any(|(seen, _)| same_prefix(seen, &old)) {
                self.error(key, format!("in `{KEY}`: `{old}` is listed twice"));
                ok = false;
                continue;
            }
            moves.push((old, new));
            new_at.push(value);
        }
        for ((_, new), &value) in moves.iter().zip(&new_at) {
            let bare = bare_prefix(new);
            let deprecated = moves
                .iter()
                .map(|(old, _)| old.as_str())
                .chain(DEPRECATED_REGISTRIES.iter().map(|&(old, _)| old))
                .find(|old| is_under_prefix(bare, old));
            if let Some(old) = deprecated {
                let error = ConfigError::new(
                    self.tree.span(value),
                    format!("in `{KEY}`: the replacement `{new}` is itself under the deprecated `{old}`"),
                )
                .help("map each deprecated prefix to where its images are now, outside every deprecated prefix");
                self.errors.push(error);
                ok = false;
            }
        }
        ok.then_some(moves)
    }

    /// The entries of a mapping setting: null is the empty mapping, anything else but a
    /// mapping an error (`` `KEY` must map WHAT, found a list ``).
    fn mapping_entries(
        &mut self,
        node: NodeId,
        key: &str,
        what: &str,
    ) -> Option<&'t [(NodeId, NodeId)]> {
        let tree = self.tree;
        if tree.is_null(node) {
            return Some(&[]);
        }
        if !tree.is_mapping(node) {
            let found = tree.node(node).describe();
            self.error(node, format!("`{key}` must map {what}, found {found}"));
            return None;
        }
        Some(tree.entries(node))
    }

    fn rules(&mut self, node: NodeId) -> Option<Vec<(RuleSelector, RuleLevel)>> {
        let entries = self.mapping_entries(node, "rules", "rule codes or prefixes to levels")?;
        let mut rules = Vec::new();
        let mut ok = true;
        for &(key, value) in entries {
            let code = self.tree.key(key).unwrap_or_default();
            let selector = match RuleSelector::parse(code) {
                Ok(selector) => Some(selector),
                Err(message) => {
                    self.error(key, message);
                    None
                }
            };
            // `off` and `on` are YAML 1.1 booleans; levels are read from the text as written.
            let level = match self.tree.scalar(value) {
                Some(scalar) if scalar.kind != ScalarKind::Null => {
                    RuleLevel::from_name(&scalar.text)
                }
                _ => None,
            };
            if level.is_none() {
                let found = match self.tree.scalar(value) {
                    Some(scalar) if scalar.kind != ScalarKind::Null => format!("`{}`", scalar.text),
                    _ => self.tree.node(value).describe().to_owned(),
                };
                let error = ConfigError::new(
                    self.tree.span(value),
                    format!(
                        "the level of `{code}` must be one of `error`, `warning`, `info`, `off`, found {found}"
                    ),
                );
                self.errors.push(error);
            }
            match (selector, level) {
                (Some(selector), Some(level)) => rules.push((selector, level)),
                _ => ok = false,
            }
        }
        ok.then_some(rules)
    }
}

/// Why a registry prefix would never match what users mean, if it would not.
fn registry_prefix_error(prefix: &str) -> Option<(String, String)> {
    let written = prefix.trim();
    let bare = bare_prefix(written);
    let host = bare.split('/').next().unwrap_or_default();
    if bare.is_empty() {
        return Some((
            "an empty registry matches nothing".to_owned(),
            "write a registry host such as `registry.example.com`".to_owned(),
        ));
    }
    // A registry host is what docker takes as one: it holds `.` or `:`, or is `localhost`.
    // Parsing `PREFIX/x` as an image then checks every part against the reference grammar.
    let probe = format!("{bare}/x");
    match parse_normalized(&probe) {
        Err(error) => Some((
            format!("`{written}` is not a registry or repository prefix: {}", error.message()),
            "write a registry host, optionally with a port and repository path: `registry.example.com:5000/team`".to_owned(),
        )),
        Ok(reference) => {
            let domain = reference.domain();
            let same_host = domain.eq_ignore_ascii_case(host) || (domain == "docker.io" && host.eq_ignore_ascii_case("index.docker.io"));
            if same_host {
                None
            } else {
                let official = if bare.contains('/') { "" } else { "library/" };
                Some((
                    format!("`{written}` does not start with a registry host, so it would match nothing"),
                    format!("images without a registry are Docker Hub's: write `docker.io/{official}{bare}`"),
                ))
            }
        }
    }
}

/// Two prefixes that name the same registry or repository (hosts compare case-insensitively).
fn same_prefix(a: &str, b: &str) -> bool {
    is_under_prefix(bare_prefix(a), b) && is_under_prefix(bare_prefix(b), a)
}

fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// The known name closest to a misspelt one, if it is close enough to be a typo.
pub(crate) fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|&candidate| (edit_distance(name, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= (candidate.len() / 3).max(1))
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn errors(text: &str) -> Vec<(String, String)> {
        Config::from_yaml(text)
            .expect_err("an error")
            .into_iter()
            .map(|e| (text[e.span.range()].to_owned(), e.message))
            .collect()
    }

    #[test]
    fn max_findings_per_file_is_a_bounded_whole_number() {
        let config = Config::from_yaml("max_findings_per_file: 50\n").unwrap();
        assert_eq!(config.max_findings_per_file, 50);
        assert_eq!(
            Config::default().max_findings_per_file,
            crate::findings::MAX_FINDINGS_PER_FILE
        );
        for bad in ["0", "100001", "-1", "1.5", "'10'", "many", "[]"] {
            let found = errors(&format!("max_findings_per_file: {bad}\n"));
            assert_eq!(
                found[0].1, "`max_findings_per_file` must be a whole number from 1 to 100000",
                "{bad}"
            );
        }
    }

    #[test]
    fn reads_every_key() {
        let config = Config::from_yaml(
            "tenancy: multi\ndefault_namespace: web\nsecrets: complete\nallowed_registries: [registry.example.com, ghcr.io/acme]\ntrusted_registries:\n- 123456789012.dkr.ecr.us-east-1.amazonaws.com\nrules:\n  IMG3: off\n  IMG104: warning\n",
        )
        .unwrap();
        assert_eq!(config.tenancy, Tenancy::Multi);
        assert_eq!(config.default_namespace, "web");
        assert_eq!(config.secrets, SecretsCompleteness::Complete);
        assert_eq!(
            config.allowed_registries,
            ["registry.example.com", "ghcr.io/acme"]
        );
        assert_eq!(config.trusted_registries.len(), 1);
        let settings = config.rule_settings();
        assert_eq!(settings.level_of("IMG301"), None);
        assert_eq!(settings.level_of("IMG104"), Some(Severity::Warning));
    }

    #[test]
    fn empty_and_null_are_the_defaults() {
        assert_eq!(Config::from_yaml("").unwrap(), Config::default());
        assert_eq!(Config::from_yaml("# nothing\n").unwrap(), Config::default());
        assert_eq!(
            Config::from_yaml("allowed_registries:\nrules:\n").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn kustomize_is_auto_or_never() {
        assert_eq!(Config::default().kustomize, KustomizeMode::Auto);
        let config = Config::from_yaml("kustomize: never\n").unwrap();
        assert_eq!(config.kustomize, KustomizeMode::Never);
        assert_eq!(
            errors("kustomize: sometimes\n")[0].1,
            "`kustomize` must be one of `auto` or `never`, found `sometimes`"
        );
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let errors = Config::from_yaml("tennancy: multi\nfoo: 1\n").unwrap_err();
        assert_eq!(errors[0].message, "unknown key `tennancy`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `tenancy`?"));
        assert_eq!(errors[0].span, Span::new(0, 8));
        assert!(
            errors[1]
                .help
                .as_deref()
                .unwrap()
                .starts_with("the keys are `tenancy`")
        );
    }

    #[test]
    fn bad_values_point_at_the_value() {
        assert_eq!(
            errors("tenancy: shared\n"),
            [(
                "shared".to_owned(),
                "`tenancy` must be one of `single` or `multi`, found `shared`".to_owned()
            )]
        );
        assert_eq!(
            errors("secrets: true\n")[0].1,
            "`secrets` must be a string, found a boolean"
        );
        assert_eq!(
            errors("default_namespace: Web\n")[0].1,
            "`Web` is not a valid namespace name"
        );
        assert_eq!(errors("rules:\n  IMG9: off\n")[0].0, "IMG9");
        assert_eq!(errors("rules:\n  IMG103: loud\n")[0], ("loud".to_owned(), "the level of `IMG103` must be one of `error`, `warning`, `info`, `off`, found `loud`".to_owned()));
        assert_eq!(
            errors("rules:\n  IMG103:\n")[0].1,
            "the level of `IMG103` must be one of `error`, `warning`, `info`, `off`, found null"
        );
        assert_eq!(
            errors("tenancy: multi\ntenancy: single\n")[0].1,
            "`tenancy` is set twice"
        );
        assert_eq!(
            errors("- a\n")[0].1,
            "the config file must be a mapping of settings, found a list"
        );
        assert_eq!(errors("a: [\n")[0].0, "");
        assert_eq!(
            errors("tenancy: multi\n---\ntenancy: single\n")[0].1,
            "the config file must hold one YAML document"
        );
    }

    #[test]
    fn registry_prefixes_must_start_with_a_host() {
        assert_eq!(
            errors("allowed_registries: [nginx]\n")[0].1,
            "in `allowed_registries`: `nginx` does not start with a registry host, so it would match nothing"
        );
        assert!(
            errors("allowed_registries: [library/nginx]\n")[0]
                .1
                .contains("does not start with a registry host")
        );
        assert!(
            errors("trusted_registries: [Registry.example.com/Team]\n")[0]
                .1
                .contains("is not a registry or repository prefix")
        );
        assert_eq!(
            errors("allowed_registries: ['']\n")[0].1,
            "in `allowed_registries`: an empty registry matches nothing"
        );
        assert_eq!(
            errors("allowed_registries: registry.example.com\n")[0].1,
            "`allowed_registries` must be a list of registries, found a string"
        );
        for ok in [
            "localhost:5000",
            "index.docker.io",
            "docker.io/library",
            "https://ghcr.io/acme/",
            "[::1]:5000/x",
            "Registry.Example.com",
        ] {
            assert!(
                Config::from_yaml(&format!("allowed_registries: ['{ok}']\n")).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn deprecated_registries_map_prefixes_to_replacements() {
        let config = Config::from_yaml(
            "deprecated_registries:\n  ghcr.io/acme-old: ghcr.io/acme\n  'https://quay.io/legacy/': registry.example.com:5000/legacy\n",
        )
        .unwrap();
        assert_eq!(
            config.deprecated_registries,
            [
                ("ghcr.io/acme-old".to_owned(), "ghcr.io/acme".to_owned()),
                (
                    "https://quay.io/legacy/".to_owned(),
                    "registry.example.com:5000/legacy".to_owned()
                ),
            ]
        );
        assert_eq!(
            Config::from_yaml("deprecated_registries:\n").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn deprecated_registries_errors_point_at_the_entry() {
        assert_eq!(
            errors("deprecated_registries: [k8s.gcr.io]\n"),
            [(
                "[k8s.gcr.io]".to_owned(),
                "`deprecated_registries` must map deprecated registries to their replacements, found a list".to_owned()
            )]
        );
        assert_eq!(
            errors("deprecated_registries:\n  nginx: registry.example.com\n"),
            [(
                "nginx".to_owned(),
                "in `deprecated_registries`: `nginx` does not start with a registry host, so it would match nothing".to_owned()
            )]
        );
        assert_eq!(
            errors("deprecated_registries:\n  ghcr.io/old: 5\n"),
            [(
                "5".to_owned(),
                "the replacement of `ghcr.io/old` must be a string, found a number".to_owned()
            )]
        );
        assert_eq!(
            errors("deprecated_registries:\n  ghcr.io/old: ''\n")[0].1,
            "in `deprecated_registries`: an empty registry matches nothing"
        );
        assert_eq!(
            errors("deprecated_registries:\n  ghcr.io/acme: ghcr.io/acme/mirror\n"),
            [(
                "ghcr.io/acme/mirror".to_owned(),
                "in `deprecated_registries`: the replacement `ghcr.io/acme/mirror` is itself under the deprecated `ghcr.io/acme`".to_owned()
            )]
        );
        assert_eq!(
            errors("deprecated_registries:\n  ghcr.io/old: k8s.gcr.io/mirror\n")[0].1,
            "in `deprecated_registries`: the replacement `k8s.gcr.io/mirror` is itself under the deprecated `k8s.gcr.io`"
        );
        // A chain would move images twice: each replacement must be final.
        assert_eq!(
            errors("deprecated_registries:\n  ghcr.io/a: ghcr.io/b\n  ghcr.io/b: ghcr.io/c\n")[0],
            (
                "ghcr.io/b".to_owned(),
                "in `deprecated_registries`: the replacement `ghcr.io/b` is itself under the deprecated `ghcr.io/b`".to_owned()
            )
        );
        assert_eq!(
            errors("deprecated_registries:\n  ghcr.io/a: ghcr.io/b\n  GHCR.io/a/: ghcr.io/c\n")[0],
            (
                "GHCR.io/a/".to_owned(),
                "in `deprecated_registries`: `GHCR.io/a/` is listed twice".to_owned()
            )
        );
    }

    #[test]
    fn trusted_registries_take_repository_prefixes() {
        let config =
            Config::from_yaml("trusted_registries: [gcr.io/acme, 'https://ghcr.io/acme/']\n")
                .unwrap();
        assert_eq!(
            config.trusted_registries,
            ["gcr.io/acme", "https://ghcr.io/acme/"]
        );
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("secret", &KEYS), Some("secrets"));
        assert_eq!(closest("zzz", &KEYS), None);
    }
}
