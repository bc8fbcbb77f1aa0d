//! What a run is told: tenancy, the default namespace, registries, and which rules run at
//! which severity. Every face reads `.imglint.yaml` (or the same keys) into a [`Config`], then
//! applies its own [`Overrides`] (the CLI's flags, the wasm module's options, the policy's
//! request namespace); the meaning is the same everywhere.

pub mod file;

use std::fmt;

use crate::diagnostic::Severity;
use crate::rules::{Category, RULES, RuleMeta};

/// Whether the cluster is shared by tenants who must not use each other's images.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tenancy {
    #[default]
    Single,
    Multi,
}

impl Tenancy {
    /// Every value with the name the config file, the flags and the options spell it with.
    pub const NAMES: [(&'static str, Self); 2] = [("single", Self::Single), ("multi", Self::Multi)];

    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(known, _)| *known == name)
            .map(|&(_, tenancy)| tenancy)
    }
}

/// Whether the linted set holds every pull Secret of the namespaces it lints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SecretsCompleteness {
    /// Secrets may be created out of band: a missing one is not a finding.
    #[default]
    Partial,
    Complete,
}

/// Whether the CLI renders Kustomize roots before linting them (`kustomize:`, `--kustomize`).
/// The core only carries the setting: rendering runs an external program, which only the CLI
/// does (other faces accept the key and ignore it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KustomizeMode {
    /// Render when `kustomize` or `kubectl` is on PATH, else lint kustomizations as plain files.
    #[default]
    Auto,
    /// Never render: every file is linted as written.
    Never,
}

impl KustomizeMode {
    /// Every value with the name the config file and the flag spell it with.
    pub const NAMES: [(&'static str, Self); 2] = [("auto", Self::Auto), ("never", Self::Never)];
}

/// A rule code or a prefix of codes (`IMG103`, `IMG1`, `IMG`), or `ALL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSelector(String);

impl RuleSelector {
    /// # Errors
    /// When the selector matches no rule.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let selector = if text.eq_ignore_ascii_case("all") {
            String::new()
        } else {
            text.to_ascii_uppercase()
        };
        if RULES
            .iter()
            .any(|rule| rule.meta().code.starts_with(&selector))
        {
            Ok(Self(selector))
        } else {
            Err(format!(
                "`{text}` is not a rule code or prefix (codes are IMG001 to IMG{}…)",
                last_family()
            ))
        }
    }

    /// Parses selectors, each item possibly a comma-separated list (`--select IMG1,IMG2`,
    /// `select: ["IMG1", "IMG2"]`); blank entries are skipped.
    ///
    /// # Errors
    /// The first selector that matches no rule.
    pub fn parse_list<'t>(items: impl IntoIterator<Item = &'t str>) -> Result<Vec<Self>, String> {
        items
            .into_iter()
            .flat_map(|item| item.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Self::parse)
            .collect()
    }

    /// [`parse_list`](Self::parse_list) for a selection (`--select`): an empty one is an
    /// error, since selecting nothing would silently turn every rule off.
    ///
    /// # Errors
    /// A selector that matches no rule, or no selector at all.
    pub fn parse_selection<'t>(
        items: impl IntoIterator<Item = &'t str>,
    ) -> Result<Vec<Self>, String> {
        let selection = Self::parse_list(items)?;
        if selection.is_empty() {
            return Err(
                "selects no rule (that would turn every rule off; `ALL` selects all)".to_owned(),
            );
        }
        Ok(selection)
    }

    pub fn matches(&self, rule: &RuleMeta) -> bool {
        rule.code.starts_with(&self.0)
    }

    /// Longer prefixes are more specific and win over shorter ones.
    fn specificity(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for RuleSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("ALL")
        } else {
            f.write_str(&self.0)
        }
    }
}

fn last_family() -> String {
    RULES
        .last()
        .map(|rule| rule.meta().code[3..].to_owned())
        .unwrap_or_default()
}

/// A configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    pub fn from_name(name: &str) -> Option<Self> {
        if name == "off" {
            Some(Self::Off)
        } else {
            Severity::from_name(name).map(Self::On)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub tenancy: Tenancy,
    /// The namespace of objects without `metadata.namespace`.
    pub default_namespace: String,
    pub secrets: SecretsCompleteness,
    /// Registry or repository prefixes images must come from; empty means any.
    pub allowed_registries: Vec<String>,
    /// Public or node-authenticated registries or repositories that need no pull secret.
    pub trusted_registries: Vec<String>,
    /// Deprecated registry or repository prefixes and the prefixes that replace them (IMG107),
    /// on top of the built-in ones, in file order.
    pub deprecated_registries: Vec<(String, String)>,
    /// Per-rule levels from the config file, by code or prefix.
    pub rules: Vec<(RuleSelector, RuleLevel)>,
    /// `--select`: run only these (default-off rules included).
    pub select: Option<Vec<RuleSelector>>,
    /// `--ignore`: never run these.
    pub ignore: Vec<RuleSelector>,
    /// The most findings a file shows ([`crate::findings`]); the rest are counted.
    pub max_findings_per_file: usize,
    /// Whether the CLI renders Kustomize roots (the core itself never does).
    pub kustomize: KustomizeMode,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            tenancy: Tenancy::default(),
            default_namespace: "default".to_owned(),
            secrets: SecretsCompleteness::default(),
            allowed_registries: Vec::new(),
            trusted_registries: Vec::new(),
            deprecated_registries: Vec::new(),
            rules: Vec::new(),
            select: None,
            ignore: Vec::new(),
            max_findings_per_file: crate::findings::MAX_FINDINGS_PER_FILE,
            kustomize: KustomizeMode::default(),
        }
    }
}

/// What a face sets over the config: the CLI's flags, the wasm module's options, the policy's
/// request. They win over the config file (docs/spec/cli.md: the flags, and the JS options
/// `namespace`, `tenancy`, `select` and `ignore`, win over the file); what is left unset
/// changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--namespace`: the namespace of objects without one.
    pub namespace: Option<String>,
    /// `--tenancy`.
    pub tenancy: Option<Tenancy>,
    /// `--select`: run only these rules, replacing any selection (default-off rules included).
    pub select: Option<Vec<RuleSelector>>,
    /// `--ignore`: never run these, on top of what is already ignored. The config file has no
    /// `ignore` key, so no selection is ever undone: an empty list (no `--ignore`, an absent
    /// or empty JS `ignore`) changes nothing, whichever face it comes from.
    pub ignore: Vec<RuleSelector>,
    /// `--kustomize`.
    pub kustomize: Option<KustomizeMode>,
}

impl Config {
    /// The config with `overrides` applied: the one way every face merges its settings.
    #[must_use]
    pub fn with(mut self, overrides: &Overrides) -> Self {
        if let Some(namespace) = &overrides.namespace {
            self.default_namespace.clone_from(namespace);
        }
        if let Some(tenancy) = overrides.tenancy {
            self.tenancy = tenancy;
        }
        if let Some(select) = &overrides.select {
            self.select = Some(select.clone());
        }
        if let Some(kustomize) = overrides.kustomize {
            self.kustomize = kustomize;
        }
        for selector in &overrides.ignore {
            if !self.ignore.contains(selector) {
                self.ignore.push(selector.clone());
            }
        }
        self
    }
}

/// The severity each rule runs at in a run (`None`: it does not run), indexed like `RULES`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSettings {
    levels: Vec<Option<Severity>>,
}

impl RuleSettings {
    pub fn level(&self, index: usize) -> Option<Severity> {
        self.levels.get(index).copied().flatten()
    }

    /// The severity of the rule with this code, if it runs.
    pub fn level_of(&self, code: &str) -> Option<Severity> {
        RULES
            .iter()
            .position(|rule| rule.meta().code == code)
            .and_then(|index| self.level(index))
    }

    /// Rules that run, with their severities.
    pub fn enabled(&self) -> impl Iterator<Item = (usize, Severity)> + '_ {
        self.levels
            .iter()
            .enumerate()
            .filter_map(|(index, level)| level.map(|severity| (index, severity)))
    }
}

impl Config {
    /// Which rules run, and how severe their findings are. In order: the catalogue's defaults;
    /// the config file's levels, shorter prefixes first so that `IMG3: off` then `IMG301: error`
    /// means what it says; `--select` (which also enables default-off rules, at their configured
    /// severity or their own); `--ignore`; the IMG4xx rules only under `tenancy: multi`.
    pub fn rule_settings(&self) -> RuleSettings {
        let mut configured: Vec<&(RuleSelector, RuleLevel)> = self.rules.iter().collect();
        configured.sort_by_key(|(selector, _)| selector.specificity());
        let levels = RULES
            .iter()
            .map(|rule| {
                let meta = rule.meta();
                let mut level = meta.enabled_by_default.then_some(meta.severity);
                let mut configured_severity = None;
                for (selector, setting) in &configured {
                    if selector.matches(meta) {
                        level = match setting {
                            RuleLevel::Off => None,
                            RuleLevel::On(severity) => {
                                configured_severity = Some(*severity);
                                Some(*severity)
                            }
                        };
                    }
                }
                if let Some(select) = &self.select {
                    level = select
                        .iter()
                        .any(|selector| selector.matches(meta))
                        .then(|| configured_severity.unwrap_or(meta.severity));
                }
                if self.ignore.iter().any(|selector| selector.matches(meta)) {
                    level = None;
                }
                // The tenancy rules describe a property of the cluster, not a preference: they
                // mean nothing in a single-tenant one, whatever is selected.
                if meta.category == Category::Tenancy && self.tenancy != Tenancy::Multi {
                    level = None;
                }
                level
            })
            .collect();
        RuleSettings { levels }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(config: &Config, code: &str) -> Option<Severity> {
        config.rule_settings().level_of(code)
    }

    #[test]
    fn defaults_follow_the_catalogue() {
        let config = Config::default();
        assert_eq!(level(&config, "IMG103"), Some(Severity::Warning));
        assert_eq!(level(&config, "IMG104"), None);
    }

    #[test]
    fn config_levels_apply_by_specificity() {
        let config = Config {
            rules: vec![
                (
                    RuleSelector::parse("IMG103").unwrap(),
                    RuleLevel::On(Severity::Error),
                ),
                (RuleSelector::parse("IMG1").unwrap(), RuleLevel::Off),
            ],
            ..Config::default()
        };
        assert_eq!(level(&config, "IMG102"), None);
        assert_eq!(level(&config, "IMG103"), Some(Severity::Error));
    }

    #[test]
    fn select_enables_default_off_rules_and_ignore_wins() {
        let config = Config {
            select: Some(RuleSelector::parse_list(["IMG104,IMG2"]).unwrap()),
            ignore: RuleSelector::parse_list(["IMG203"]).unwrap(),
            ..Config::default()
        };
        assert_eq!(level(&config, "IMG104"), Some(Severity::Warning));
        assert_eq!(level(&config, "IMG103"), None);
        assert_eq!(level(&config, "IMG202"), Some(Severity::Warning));
        assert_eq!(level(&config, "IMG203"), None);
    }

    #[test]
    fn overrides_win_and_ignore_only_adds() {
        let base = Config {
            ignore: RuleSelector::parse_list(["IMG203"]).unwrap(),
            ..Config::default()
        };
        assert_eq!(base.clone().with(&Overrides::default()), base);
        let config = base.clone().with(&Overrides {
            namespace: Some("shop".to_owned()),
            tenancy: Some(Tenancy::Multi),
            select: Some(RuleSelector::parse_list(["IMG2"]).unwrap()),
            ignore: RuleSelector::parse_list(["IMG201,IMG203"]).unwrap(),
            kustomize: Some(KustomizeMode::Never),
        });
        assert_eq!(config.kustomize, KustomizeMode::Never);
        assert_eq!(config.default_namespace, "shop");
        assert_eq!(config.tenancy, Tenancy::Multi);
        assert_eq!(
            config.ignore,
            RuleSelector::parse_list(["IMG203,IMG201"]).unwrap()
        );
        assert_eq!(level(&config, "IMG103"), None);
        assert_eq!(level(&config, "IMG201"), None);
        assert_eq!(level(&config, "IMG202"), Some(Severity::Warning));
        assert_eq!(level(&config, "IMG203"), None);
    }

    #[test]
    fn tenancy_names() {
        assert_eq!(Tenancy::from_name("multi"), Some(Tenancy::Multi));
        assert_eq!(Tenancy::from_name("single"), Some(Tenancy::Single));
        assert_eq!(Tenancy::from_name("Multi"), None);
    }

    #[test]
    fn unknown_selectors_are_errors() {
        assert!(RuleSelector::parse("IMG9").is_err());
        assert!(RuleSelector::parse("XYZ").is_err());
        assert!(RuleSelector::parse("all").is_ok());
        assert!(RuleSelector::parse("img1").is_ok());
    }
}
