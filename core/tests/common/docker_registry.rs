//! Registry credentials as tests need them: what `kubectl create secret docker-registry` writes
//! for one entry (`DockerConfigEntry.MarshalJSON`, to build Secrets and to compare with the
//! vectors' kubectl output), and one entry read back through the linter's own decoder. Shared
//! by the conformance tests and the `docker_config` fuzz checks (`#[path]`); the linter itself
//! never writes a docker config.

use std::fmt::Write as _;

use imglint_core::keyring::docker_config::{Checked, ConfigFormat, DecodeError, Entry, check};

/// `DockerConfigEntry.MarshalJSON`: the fields that are set, in Go's order, and `auth`
/// recomputed from the username and password.
pub fn encode_entry(entry: &Entry) -> String {
    let auth = base64_encode(format!("{}:{}", entry.username, entry.password).as_bytes());
    let mut fields = Vec::new();
    for (name, value) in [
        ("username", &entry.username),
        ("password", &entry.password),
        ("email", &entry.email),
        ("auth", &auth),
    ] {
        if !value.is_empty() {
            fields.push(format!("\"{name}\":{}", go_json_string(value)));
        }
    }
    format!("{{{}}}", fields.join(","))
}

/// One entry (`json.Unmarshal` into a `DockerConfigEntry`) as the linter decodes it: as the
/// only registry of a `.dockercfg` document, through `docker_config::check`, the function a
/// Secret's value goes through. Its first entry (an empty one if it has none).
///
/// # Errors
/// The kubelet's error for the entry, or the JSON syntax error.
pub fn decode_entry(json: &str) -> Result<Entry, DecodeError> {
    let document = format!("{{\"registry.example.com\": {json}}}");
    match check(ConfigFormat::DockerCfg, document.as_bytes()) {
        Checked::Decoded { config, .. } => Ok(config
            .entries
            .into_iter()
            .next()
            .map(|(_, entry)| entry)
            .unwrap_or_default()),
        Checked::Undecodable(error) => Err(error),
        // The document is an object: only a syntax error makes the API server refuse it.
        Checked::RejectedByApi(message) => Err(DecodeError {
            message,
            syntax: true,
            entry: None,
        }),
    }
}

/// `base64.StdEncoding.EncodeToString`.
fn base64_encode(src: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(src.len().div_ceil(3) * 4);
    for chunk in src.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A JSON string as Go's `encoding/json` writes it (HTML-safe: `<`, `>`, `&` escaped).
fn go_json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Go's encoding/json escapes HTML characters and line separators too.
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
