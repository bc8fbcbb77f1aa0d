//! `docker_config`: any bytes as a `.dockerconfigjson` and as a `.dockercfg` document, as one
//! registry entry, as an `auth` field and as a Secret `data` value.
//!
//! Invariants: no panic; every error message is one of the texts `encoding/json` and the
//! kubelet produce with the content left out (so no byte of the document can leak through
//! one: a project rule); `check` refuses what the API server refuses the same way for both
//! formats and otherwise agrees with `decode`; an `Entry` never prints; an entry that
//! `kubectl create secret docker-registry` would write decodes back to itself; keyrings built
//! from decoded documents look up without panicking.

use std::sync::LazyLock;

use imglint_core::keyring::docker_config::{
    Checked, ConfigFormat, DecodeError, Entry, check as check_config, decode, decode_auth,
    decode_data_value,
};
use imglint_core::keyring::{Keyring, index_key, is_default_registry_match, urls_match};
use regex::Regex;

#[path = "../../../core/tests/common/docker_registry.rs"]
mod docker_registry;

use docker_registry::{decode_entry, encode_entry};

/// Every message the decoders may return: fixed texts whose only variable parts are Go type
/// names, field names, a literal's expected letter, and numbers.
static SAFE_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    let syntax = r"invalid character( (looking for beginning of value|after array element|after object key:value pair|looking for beginning of object key string|after object key|in literal (true|false|null) \(expecting '[a-z]'\)|in numeric literal|after decimal point in numeric literal|in exponent of numeric literal|in string literal|in string escape code|in \\u hexadecimal character escape|after top-level value))?|unexpected end of JSON input|exceeded max depth";
    let kind = "(object|array|bool|number|string)";
    let target = r"(value of type (credentialprovider\.(DockerConfig|DockerConfigJSON|dockerConfigEntryWithAuth)|map\[string\]interface \{\})|struct field (DockerConfigJSON\.auths of type credentialprovider\.DockerConfig|DockerConfigJSON\.HttpHeaders of type (map\[string\]string|string)|dockerConfigEntryWithAuth\.(username|password|email|auth) of type string))";
    let auth = r"illegal base64 data at input byte [0-9]+|unable to parse auth field, must be formatted as base64\(username:password\)";
    Regex::new(&format!(
        "^({syntax}|json: cannot unmarshal {kind} into Go {target}|{auth})$"
    ))
    .expect("the message patterns compile")
});

#[track_caller]
fn assert_safe(what: &str, message: &str) {
    assert!(
        SAFE_MESSAGE.is_match(message),
        "{what}: the message {message:?} is not one of the content-free messages"
    );
}

#[track_caller]
fn assert_safe_error(what: &str, error: &DecodeError) {
    assert_safe(what, &error.message);
    if error.syntax {
        assert_eq!(error.entry, None, "{what}: a syntax error names an entry");
    }
    if let Some(entry) = error.entry {
        assert!(entry >= 1, "{what}: entries are numbered from 1");
    }
}

pub fn check(data: &[u8]) {
    // The API server's verdict does not depend on the format.
    let mut refused_by_api = None;
    for format in [ConfigFormat::DockerConfigJson, ConfigFormat::DockerCfg] {
        let what = format.data_key();
        let decoded = decode(format, data);
        let checked = check_config(format, data);
        let refused = match &checked {
            Checked::RejectedByApi(message) => Some(message.clone()),
            _ => None,
        };
        match refused_by_api.replace(refused.clone()) {
            Some(first) => assert_eq!(first, refused, "{what}: the API server's verdict"),
            None => {
                if let Some(message) = &refused {
                    assert_safe("the API server's message", message);
                }
            }
        }
        match (checked, &decoded) {
            // What the API server refuses, the kubelet cannot decode either; a syntax error is
            // the same error for both.
            (Checked::RejectedByApi(message), Err(decode_error)) => {
                if decode_error.syntax {
                    assert_eq!(&message, &decode_error.message, "{what}: check and decode");
                }
            }
            (Checked::Undecodable(error), Err(decode_error)) => {
                assert!(
                    !error.syntax,
                    "{what}: a syntax error the API server accepts"
                );
                assert_eq!(&error, decode_error, "{what}: check and decode");
            }
            (
                Checked::Decoded {
                    config,
                    top_level_keys,
                },
                Ok(decoded),
            ) => {
                assert_eq!(&config, decoded, "{what}: check and decode");
                if format == ConfigFormat::DockerCfg {
                    assert!(config.entries.len() <= top_level_keys);
                }
            }
            (checked, decoded) => panic!(
                "{what}: check says {}, decode {:?}",
                match checked {
                    Checked::RejectedByApi(_) => "rejected by the API server",
                    Checked::Undecodable(_) => "undecodable",
                    Checked::Decoded { .. } => "decoded",
                },
                decoded.as_ref().map(|_| "a config")
            ),
        }
        match decoded {
            Ok(config) => {
                let mut keyring = Keyring::default();
                for (number, (key, entry)) in config.entries.iter().enumerate() {
                    assert_eq!(format!("{entry:?}"), "Entry { <redacted> }");
                    round_trip(entry);
                    match index_key(key) {
                        Ok(index) => keyring.add_index_key(index, number),
                        Err(error) => assert!(!error.reason.is_empty()),
                    }
                }
                let keys: Vec<String> = keyring.index().to_vec();
                for image in keys
                    .iter()
                    .map(String::as_str)
                    .chain(["docker.io/library/nginx", "quay.io/org/app"])
                {
                    let found = keyring.lookup(image);
                    for key in &found.matched_keys {
                        assert!(urls_match(key, image), "{key:?} matched {image:?}");
                    }
                    let _ = is_default_registry_match(image);
                }
            }
            Err(error) => assert_safe_error(what, &error),
        }
    }
    let text = String::from_utf8_lossy(data);
    match decode_entry(&text) {
        Ok(entry) => round_trip(&entry),
        Err(error) => assert_safe_error("entry", &error),
    }
    if let Err(message) = decode_auth(&text) {
        assert_safe("auth", &message);
    }
    if let Err(message) = decode_data_value(&text) {
        assert_safe("data value", &message);
    }
}

/// What `kubectl create secret docker-registry` writes for an entry decodes back to it, unless
/// the username has a `:` (then `auth`, which wins, splits elsewhere: upstream does the same).
fn round_trip(entry: &Entry) {
    if entry.username.contains(':') {
        return;
    }
    let encoded = encode_entry(entry);
    let decoded = decode_entry(&encoded)
        .unwrap_or_else(|e| panic!("encode_entry wrote JSON that does not decode: {e:?}"));
    assert!(
        &decoded == entry,
        "an entry does not survive encode_entry then decode_entry"
    );
}
