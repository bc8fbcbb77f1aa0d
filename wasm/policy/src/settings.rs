//! The policy's settings (`docs/spec/cli.md`, "Kubewarden policy settings"):
//! `{"tenancy", "allowed_registries", "trusted_registries", "rules", "fail_on", "always_pull",
//! "cluster_lookup"}`,
//! with the config file's meaning. Unknown keys and bad values are errors naming the key.

use imglint_core::config::{RuleLevel, RuleSelector};
use imglint_core::{Config, Severity};
use serde_json::{Map, Value};

/// private-registry-without-pull-secret.
const NEEDS_SERVICE_ACCOUNT: &str = "IMG306";

/// The keys the config file shares with the settings.
const CONFIG_KEYS: [&str; 4] = [
    "tenancy",
    "allowed_registries",
    "trusted_registries",
    "rules",
];
const KNOWN: [&str; 7] = [
    "tenancy",
    "allowed_registries",
    "trusted_registries",
    "rules",
    "fail_on",
    "always_pull",
    "cluster_lookup",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub config: Config,
    /// Findings at or above it reject the request; those below are returned as warnings.
    pub fail_on: Severity,
    /// Mutating mode: `imagePullPolicy: Always` everywhere, as the AlwaysPullImages plugin.
    pub always_pull: bool,
    /// Context-aware mode: the pod's pull Secrets and ServiceAccount are read from the
    /// cluster (`cluster.rs`).
    pub cluster_lookup: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            config: Config::default(),
            fail_on: Severity::Error,
            always_pull: false,
            cluster_lookup: false,
        }
    }
}

impl Settings {
    /// Reads the settings; `null` (no settings) is the defaults.
    ///
    /// # Errors
    /// A message naming the first unknown key or bad value.
    pub fn from_value(value: &Value) -> Result<Self, String> {
        let empty = Map::new();
        let map = match value {
            Value::Null => &empty,
            Value::Object(map) => map,
            _ => return Err("settings must be an object".to_owned()),
        };
        let mut settings = Self::default();
        let mut config = Map::new();
        for (key, value) in map {
            match key.as_str() {
                _ if CONFIG_KEYS.contains(&key.as_str()) => {
                    config.insert(key.clone(), value.clone());
                }
                "fail_on" => {
                    settings.fail_on = value.as_str().and_then(Severity::from_name).ok_or_else(
                        || {
                            format!(
                                "`fail_on` must be one of `error`, `warning`, `info`, found {value}"
                            )
                        },
                    )?;
                }
                "always_pull" => {
                    settings.always_pull = value.as_bool().ok_or_else(|| {
                        format!("`always_pull` must be true or false, found {value}")
                    })?;
                }
                "cluster_lookup" => {
                    settings.cluster_lookup = value.as_bool().ok_or_else(|| {
                        format!("`cluster_lookup` must be true or false, found {value}")
                    })?;
                }
                _ => {
                    return Err(format!(
                        "unknown setting `{key}` (settings: {})",
                        KNOWN.join(", ")
                    ));
                }
            }
        }
        // The config file's own reader checks these keys exactly as in `.imglint.yaml` (JSON
        // is YAML).
        settings.config =
            Config::from_yaml(&Value::Object(config).to_string()).map_err(|errors| {
                errors
                    .iter()
                    .map(|error| match &error.help {
                        Some(help) => format!("{}; {help}", error.message),
                        None => error.message.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
        // IMG306 asks whether the pod's ServiceAccount provides pull secrets: cluster state a
        // request does not carry. Without cluster lookups, off unless the settings name it
        // exactly (`IMG306: info`); listed first, so that an exact entry of the settings wins.
        if !settings.cluster_lookup
            && let Ok(selector) = RuleSelector::parse(NEEDS_SERVICE_ACCOUNT)
        {
            settings.config.rules.insert(0, (selector, RuleLevel::Off));
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imglint_core::config::Tenancy;
    use serde_json::json;

    #[test]
    fn defaults_and_every_key() {
        let defaults = Settings::from_value(&Value::Null).unwrap();
        assert_eq!(defaults, Settings::from_value(&json!({})).unwrap());
        assert_eq!(defaults.fail_on, Severity::Error);
        assert!(!defaults.always_pull);
        assert!(!defaults.cluster_lookup);
        assert_eq!(defaults.config.rule_settings().level_of("IMG306"), None);
        // With the ServiceAccount read from the cluster, IMG306 runs at its default level.
        let looking = Settings::from_value(&json!({"cluster_lookup": true})).unwrap();
        assert!(looking.cluster_lookup);
        assert_eq!(
            looking.config.rule_settings().level_of("IMG306"),
            Some(Severity::Info)
        );
        let opted_in = Settings::from_value(&json!({"rules": {"IMG306": "info"}})).unwrap();
        assert_eq!(
            opted_in.config.rule_settings().level_of("IMG306"),
            Some(Severity::Info)
        );
        let settings = Settings::from_value(&json!({
            "tenancy": "multi", "allowed_registries": ["ghcr.io/acme"], "trusted_registries": [],
            "rules": {"IMG104": "warning", "IMG3": "off"}, "fail_on": "warning", "always_pull": true
        }))
        .unwrap();
        assert_eq!(settings.config.tenancy, Tenancy::Multi);
        assert_eq!(settings.config.allowed_registries, ["ghcr.io/acme"]);
        assert_eq!(settings.fail_on, Severity::Warning);
        assert!(settings.always_pull);
    }

    #[test]
    fn errors_name_the_key() {
        let error = |value: Value| Settings::from_value(&value).unwrap_err();
        assert!(error(json!({"tenant": "multi"})).starts_with("unknown setting `tenant`"));
        assert!(error(json!({"secrets": "complete"})).starts_with("unknown setting `secrets`"));
        assert!(error(json!({"fail_on": "never"})).starts_with("`fail_on` must be one of"));
        assert!(
            error(json!({"always_pull": "yes"})).starts_with("`always_pull` must be true or false")
        );
        assert!(error(json!({"tenancy": "shared"})).contains("`tenancy`"));
        assert!(
            error(json!({"cluster_lookup": 1}))
                .starts_with("`cluster_lookup` must be true or false")
        );
        assert!(error(json!({"rules": {"IMG103": "loud"}})).contains("`IMG103`"));
        assert!(error(json!({"allowed_registries": "ghcr.io"})).contains("`allowed_registries`"));
        assert_eq!(
            error(json!({"trusted_registries": ["nginx"]})),
            "in `trusted_registries`: `nginx` does not start with a registry host, so it would match nothing; images without a registry are Docker Hub's: write `docker.io/library/nginx`"
        );
        assert_eq!(error(json!([1])), "settings must be an object");
    }
}
