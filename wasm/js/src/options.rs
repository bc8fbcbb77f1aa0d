//! The options of `lint(text, options)`: the CLI's flags and config file, as one JS object.
//!
//! `{file?, namespace?, tenancy?, config?: object | string, select?, ignore?}`. `config` is the
//! content of an `.imglint.yaml`, as YAML text or as the equivalent object; `namespace`,
//! `tenancy`, `select` and `ignore` win over it, as the CLI's flags win over the file.

use std::fmt;

use imglint_core::Config;
use imglint_core::config::{Overrides, RuleSelector, Tenancy};
use serde_json::{Map, Value};

const KNOWN: [&str; 6] = ["file", "namespace", "tenancy", "config", "select", "ignore"];

/// An option the module cannot use; becomes the message of the thrown `Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError(pub String);

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionsError {}

fn error(message: impl Into<String>) -> OptionsError {
    OptionsError(message.into())
}

/// Options, read and checked.
#[derive(Debug, Default)]
pub struct LintOptions {
    /// The name findings carry (`<stdin>` when not given, as for the CLI's standard input).
    pub file: String,
    /// The config as YAML (JSON is YAML), and whether it was written as YAML text by the
    /// caller (then positions in it mean something).
    config: Option<(String, bool)>,
    /// `namespace`, `tenancy`, `select`, `ignore`: over the config, as the CLI's flags.
    overrides: Overrides,
}

impl LintOptions {
    /// Reads `JSON.stringify(options)`; `undefined` and `null` options are the defaults.
    ///
    /// # Errors
    /// Not an object, an unknown key, or a value of the wrong type.
    pub fn from_json(json: &str) -> Result<Self, OptionsError> {
        let value: Value = if json.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(json).map_err(|e| error(format!("options are not JSON: {e}")))?
        };
        let map = match value {
            Value::Null => Map::new(),
            Value::Object(map) => map,
            other => {
                return Err(error(format!(
                    "options must be an object, got {}",
                    kind(&other)
                )));
            }
        };
        let mut options = Self {
            file: "<stdin>".to_owned(),
            ..Self::default()
        };
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            match key.as_str() {
                "file" => options.file = string(&key, value)?,
                "namespace" => options.overrides.namespace = Some(string(&key, value)?),
                "tenancy" => {
                    let name = string(&key, value)?;
                    let Some(tenancy) = Tenancy::from_name(&name) else {
                        let names: Vec<String> = Tenancy::NAMES
                            .iter()
                            .map(|(name, _)| format!("\"{name}\""))
                            .collect();
                        return Err(error(format!(
                            "option `tenancy` must be {}, got \"{name}\"",
                            names.join(" or ")
                        )));
                    };
                    options.overrides.tenancy = Some(tenancy);
                }
                "config" => {
                    options.config = Some(match value {
                        Value::String(text) => (text, true),
                        Value::Object(_) => (value.to_string(), false),
                        other => {
                            return Err(error(format!(
                                "option `config` must be an object or YAML text, got {}",
                                kind(&other)
                            )));
                        }
                    });
                }
                "select" => {
                    options.overrides.select = Some(
                        RuleSelector::parse_selection(
                            strings(&key, value)?.iter().map(String::as_str),
                        )
                        .map_err(|e| error(format!("option `select`: {e}")))?,
                    );
                }
                "ignore" => {
                    options.overrides.ignore =
                        RuleSelector::parse_list(strings(&key, value)?.iter().map(String::as_str))
                            .map_err(|e| error(format!("option `ignore`: {e}")))?;
                }
                _ => {
                    return Err(error(format!(
                        "unknown option `{key}` (options: {})",
                        KNOWN.join(", ")
                    )));
                }
            }
        }
        Ok(options)
    }

    /// The config of the run: the `config` option, then the other options over it.
    ///
    /// # Errors
    /// The config's errors, each with its position when the config was YAML text.
    pub fn config(&self) -> Result<Config, OptionsError> {
        let config = match &self.config {
            None => Config::default(),
            Some((text, positioned)) => Config::from_yaml(text).map_err(|errors| {
                let lines = imglint_core::source::LineIndex::new(text);
                let messages: Vec<String> = errors
                    .iter()
                    .map(|e| {
                        let mut message = e.message.clone();
                        if *positioned {
                            let at = lines.line_column(text, e.span.start);
                            message.push_str(&format!(" (line {}, column {})", at.line, at.column));
                        }
                        if let Some(help) = &e.help {
                            message.push_str(&format!("; {help}"));
                        }
                        message
                    })
                    .collect();
                error(format!("invalid config: {}", messages.join("; ")))
            })?,
        };
        Ok(config.with(&self.overrides))
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn string(key: &str, value: Value) -> Result<String, OptionsError> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(error(format!(
            "option `{key}` must be a string, got {}",
            kind(&other)
        ))),
    }
}

/// `"IMG103,IMG2"` or `["IMG103", "IMG2"]`, as `--select`/`--ignore` take them.
fn strings(key: &str, value: Value) -> Result<Vec<String>, OptionsError> {
    match value {
        Value::String(text) => Ok(vec![text]),
        Value::Array(items) => items.into_iter().map(|item| string(key, item)).collect(),
        other => Err(error(format!(
            "option `{key}` must be a string or an array of strings, got {}",
            kind(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> Result<Config, OptionsError> {
        LintOptions::from_json(json)?.config()
    }

    #[test]
    fn defaults() {
        for json in ["", "null", "{}"] {
            let options = LintOptions::from_json(json).unwrap();
            assert_eq!(options.file, "<stdin>");
            assert_eq!(options.config().unwrap(), Config::default());
        }
    }

    #[test]
    fn options_win_over_the_config() {
        let config = config(
            r#"{"config": "tenancy: multi\ndefault_namespace: a\n", "namespace": "b", "select": "IMG1, IMG201", "ignore": ["IMG104"]}"#,
        )
        .unwrap();
        assert_eq!(config.tenancy, Tenancy::Multi);
        assert_eq!(config.default_namespace, "b");
        assert_eq!(config.select.unwrap().len(), 2);
        assert_eq!(config.ignore.len(), 1);
        let object =
            self::config(r#"{"config": {"tenancy": "multi", "rules": {"IMG104": "error"}}}"#)
                .unwrap();
        assert_eq!(object.tenancy, Tenancy::Multi);
    }

    /// `ignore` as the CLI's `--ignore`: it turns rules off over the config and over `select`,
    /// and an empty one (`[]`, `""`) is no `ignore` at all.
    #[test]
    fn ignore_turns_rules_off_and_an_empty_one_changes_nothing() {
        let level = |json: &str, code: &str| config(json).unwrap().rule_settings().level_of(code);
        let error = Some(imglint_core::Severity::Error);
        let rules = r#""config": {"rules": {"IMG103": "error"}}"#;
        assert_eq!(level(&format!("{{{rules}}}"), "IMG103"), error);
        assert_eq!(
            level(&format!(r#"{{{rules}, "ignore": []}}"#), "IMG103"),
            error
        );
        assert_eq!(
            level(&format!(r#"{{{rules}, "ignore": ""}}"#), "IMG103"),
            error
        );
        assert_eq!(
            level(&format!(r#"{{{rules}, "ignore": "IMG1"}}"#), "IMG103"),
            None
        );
        assert_eq!(
            level(r#"{"select": "IMG103", "ignore": ["IMG103"]}"#, "IMG103"),
            None
        );
    }

    #[test]
    fn bad_options_say_which() {
        let message = |json: &str| config(json).unwrap_err().0;
        assert_eq!(message("[1]"), "options must be an object, got an array");
        assert!(message(r#"{"fiel": "x"}"#).starts_with("unknown option `fiel`"));
        assert_eq!(
            message(r#"{"tenancy": "many"}"#),
            "option `tenancy` must be \"single\" or \"multi\", got \"many\""
        );
        assert_eq!(
            message(r#"{"file": 3}"#),
            "option `file` must be a string, got a number"
        );
        assert!(message(r#"{"select": "IMG9999"}"#).starts_with("option `select`: "));
        assert!(message(r#"{"select": []}"#).contains("selects no rule"));
        assert!(message(r#"{"select": " , "}"#).contains("selects no rule"));
        assert_eq!(
            message(r#"{"config": "tenancy: multi\nsecret: complete\n"}"#),
            "invalid config: unknown key `secret` (line 2, column 1); did you mean `secrets`?"
        );
        assert!(
            message(r#"{"config": {"rules": {"IMG103": "loud"}}}"#)
                .starts_with("invalid config: the level of `IMG103`")
        );
        assert!(message(r#"{"config": 5}"#).contains("must be an object or YAML text"));
    }
}
