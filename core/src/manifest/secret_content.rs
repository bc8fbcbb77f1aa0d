//! What a Secret's values mean, worked out while they are still in memory: base64 and key
//! checks for every Secret (what the API server refuses), and for the two registry credential
//! types what the API server and then the kubelet make of the docker config. Only verdicts
//! and registry keys leave this module; the values never do.

use super::model::{DockerConfigReport, SecretProblem, TextValue};
use super::read::shape::ShapeError;
use std::collections::HashMap;

use crate::api_validation::{SecretError, secret_key_errors, validate_secret};
use crate::keyring::docker_config::{Checked, ConfigFormat, decode_data_value};
use crate::keyring::index_key;
use crate::source::Span;

/// A `data` or `stringData` value as written.
pub(crate) struct RawValue<'t> {
    pub(crate) key: &'t str,
    pub(crate) key_span: Span,
    pub(crate) text: &'t str,
    pub(crate) span: Span,
}

/// A value after decoding, with where it came from.
struct Decoded<'t> {
    key: &'t str,
    bytes: Vec<u8>,
    span: Span,
    field: &'static str,
}

/// Checks a Secret's values. Shape problems every Secret can have go to `errors` (IMG002); the
/// report covers registry credential Secrets (IMG304 and the facts other files use).
pub(crate) fn analyze(
    secret_type: Option<&TextValue>,
    type_or_kind_span: Span,
    data: &[RawValue<'_>],
    string_data: &[RawValue<'_>],
    errors: &mut Vec<ShapeError>,
) -> Option<DockerConfigReport> {
    let format = secret_type.and_then(|t| ConfigFormat::from_secret_type(&t.value));
    let mut problems = Vec::new();
    let mut decoded: Vec<Decoded<'_>> = Vec::new();
    let mut undecodable: Vec<&str> = Vec::new();
    // Whether each `data` value is base64.
    let mut decodes: Vec<bool> = Vec::with_capacity(data.len());
    for value in data {
        let result = decode_data_value(value.text);
        decodes.push(result.is_ok());
        match result {
            Ok(bytes) => decoded.push(Decoded {
                key: value.key,
                bytes,
                span: value.span,
                field: "data",
            }),
            Err(error) => {
                undecodable.push(value.key);
                let key = crate::redaction::quoted_key(value.key);
                let message = format!("`data[{key}]` is not valid base64: {error}");
                let help = "the API server cannot decode the Secret (`... cannot be handled as a Secret`); put plain text under `stringData` instead".to_owned();
                if format.is_some() {
                    problems.push(SecretProblem {
                        span: value.span,
                        message,
                        help,
                    });
                } else {
                    errors.push(ShapeError {
                        span: value.span,
                        message,
                        help: Some(help),
                        container: None,
                    });
                }
            }
        }
    }
    // stringData is merged into data before validation; it wins for the same key.
    for value in string_data {
        decoded.retain(|d| d.key != value.key);
        decoded.push(Decoded {
            key: value.key,
            bytes: value.text.as_bytes().to_vec(),
            span: value.span,
            field: "stringData",
        });
    }
    let merged: Vec<(&str, &[u8])> = decoded.iter().map(|d| (d.key, &d.bytes[..])).collect();
    let validation = validate_secret(secret_type.map_or("", |t| &*t.value), &merged);
    // The errors of each key (of its first entry), for every place it is written; a `data`
    // value that is not base64 is not in `merged`, and its key is checked on its own.
    let mut key_errors: HashMap<&str, (usize, Vec<String>)> = HashMap::new();
    for error in &validation.errors {
        if let SecretError::Key { index, message } = error {
            let (first, messages) = key_errors
                .entry(merged[*index].0)
                .or_insert((*index, Vec::new()));
            if *first == *index {
                messages.push(message.clone());
            }
        }
    }
    let written = data
        .iter()
        .zip(&decodes)
        .map(|(value, &decodes)| (value, decodes))
        .chain(string_data.iter().map(|value| (value, true)));
    for (value, decodes) in written {
        let found = match key_errors.get(value.key) {
            Some((_, messages)) => messages.clone(),
            None if !decodes => secret_key_errors(value.key),
            None => Vec::new(),
        };
        for mut error in found {
            // The API server quotes the key; one that may not be shown is masked.
            let key = crate::redaction::quoted_key(value.key);
            if key != value.key {
                error = error
                    .replacen(&format!("data[{}]", value.key), &format!("data[{key}]"), 1)
                    .replacen(&format!("{:?}", value.key), &format!("{key:?}"), 1);
            }
            errors.push(ShapeError {
                span: value.key_span,
                message: error,
                help: None,
                container: None,
            });
        }
    }
    for error in &validation.errors {
        if let SecretError::TooLong { size, message } = error {
            errors.push(ShapeError {
                span: type_or_kind_span,
                message: format!("the Secret's values add up to {size} bytes"),
                help: Some(format!("the API server rejects it: `{message}`")),
                container: None,
            });
        }
    }
    let format = format?;
    let mut report = DockerConfigReport {
        format,
        problems,
        registry_keys: Vec::new(),
        has_key: false,
        usable: false,
    };
    let key = format.data_key();
    let type_name = format.secret_type();
    let Some((index, checked)) = validation.docker_config else {
        if undecodable.contains(&key) && !string_data.iter().any(|v| v.key == key) {
            return Some(report); // the key is there, and already reported as not base64
        }
        let other = match format {
            ConfigFormat::DockerConfigJson => ConfigFormat::DockerCfg,
            ConfigFormat::DockerCfg => ConfigFormat::DockerConfigJson,
        };
        let help = if decoded.iter().any(|d| d.key == other.data_key()) {
            format!(
                "it has `{}`: use type `{}`, or rename the key to `{key}`",
                other.data_key(),
                other.secret_type()
            )
        } else {
            let required = validation
                .errors
                .iter()
                .find(|error| matches!(error, SecretError::Required { .. }))
                .map(SecretError::message);
            format!(
                "the API server rejects it: `{}`",
                required.unwrap_or_default()
            )
        };
        let span = secret_type.map_or(type_or_kind_span, |t| t.span);
        report.problems.push(SecretProblem {
            span,
            message: format!("a `{type_name}` Secret needs the key `{key}`"),
            help,
        });
        return Some(report);
    };
    let content = &decoded[index];
    report.has_key = true;
    let at = content.span;
    let field = format!("{}[{key}]", content.field);
    match checked {
        Checked::RejectedByApi(error) => {
            report.problems.push(SecretProblem {
                span: at,
                message: format!("`{field}` is not a JSON object: {error}"),
                help: format!("the API server rejects it: `data[{key}]: Invalid value: \"<secret contents redacted>\": {error}`"),
            });
        }
        Checked::Undecodable(error) => {
            let entry = error
                .entry
                .map(|n| format!(" (entry {n})"))
                .unwrap_or_default();
            report.problems.push(SecretProblem {
                span: at,
                message: format!("the kubelet cannot read `{field}`{entry}: {}", error.message),
                help: "the API server accepts it, but every pull that uses this Secret fails: the kubelet cannot build a keyring from it".to_owned(),
            });
        }
        Checked::Decoded {
            config,
            top_level_keys: top_level,
        } => {
            report.usable = true;
            match format {
                ConfigFormat::DockerConfigJson if !config.has_auths => {
                    let help = if top_level > 0 {
                        "this is the legacy `.dockercfg` layout: wrap the registries in `{\"auths\": {...}}`, or use type `kubernetes.io/dockercfg` with key `.dockercfg`"
                    } else {
                        "add `{\"auths\": {\"<registry>\": {\"auth\": \"<base64 of user:password>\"}}}`"
                    };
                    report.problems.push(SecretProblem {
                        span: at,
                        message: format!(
                            "`{field}` has no `auths`: the kubelet finds no credentials in it"
                        ),
                        help: help.to_owned(),
                    });
                }
                ConfigFormat::DockerCfg if config.entries.iter().any(|(k, _)| k == "auths") => {
                    report.problems.push(SecretProblem {
                        span: at,
                        message: format!("`{field}` holds the `config.json` layout: the kubelet reads `auths` as the name of a registry"),
                        help: "use type `kubernetes.io/dockerconfigjson` with the key `.dockerconfigjson`".to_owned(),
                    });
                }
                _ if config.entries.is_empty() => {
                    report.problems.push(SecretProblem {
                        span: at,
                        message: format!(
                            "`{field}` names no registry: the kubelet finds no credentials in it"
                        ),
                        help: "add the registries this Secret is for".to_owned(),
                    });
                }
                _ => {}
            }
            for (number, (registry, _)) in config.entries.iter().enumerate() {
                match index_key(registry) {
                    Ok(key) => report.registry_keys.push(key.into()),
                    Err(error) => {
                        report.problems.push(SecretProblem {
                            span: at,
                            // Go's message quotes the key (config content): only the reason.
                            message: format!("the kubelet ignores registry entry {} of `{field}`: its key is not a valid URL ({})", number + 1, error.reason),
                            help: "write the key as `host[:port][/path]`, like `registry.example.com:5000`".to_owned(),
                        });
                    }
                }
            }
        }
    }
    Some(report)
}
