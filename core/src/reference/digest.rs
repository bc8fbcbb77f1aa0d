//! Digest validation as `github.com/opencontainers/go-digest` v1.0.0 does it (`Digest.Validate`),
//! with the algorithms a Kubernetes binary registers: sha256, sha384 and sha512.
//!
//! The reference grammar only requires `algorithm:` followed by 32 or more hex digits; go-digest
//! then rejects unknown algorithms (`unsupported digest algorithm`), wrong lengths (`invalid
//! checksum digest length`) and upper-case hex (`invalid checksum digest format`).

use super::bounds::DigestAlgorithm;
use super::error::{Hint, ReferenceErrorKind};

/// A go-digest rejection: the error, the offending offset within the digest, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DigestFault {
    pub(crate) kind: ReferenceErrorKind,
    pub(crate) offset: usize,
    pub(crate) hint: Hint,
}

/// `Digest.Validate` over a whole string; offsets in the result are relative to `digest`.
pub(crate) fn validate(digest: &str) -> Result<DigestAlgorithm, DigestFault> {
    let fault = |kind, offset, hint| Err(DigestFault { kind, offset, hint });
    let Some(colon) = digest.find(':') else {
        return fault(
            ReferenceErrorKind::DigestInvalidFormat,
            digest.len(),
            Hint::DigestAlgorithm,
        );
    };
    if colon == 0 || colon + 1 == digest.len() {
        return fault(
            ReferenceErrorKind::DigestInvalidFormat,
            colon,
            Hint::DigestAlgorithm,
        );
    }
    let (name, encoded) = (&digest[..colon], &digest[colon + 1..]);
    let Some(algorithm) = DigestAlgorithm::from_name(name) else {
        // Unknown algorithms are "unsupported" only if they are otherwise well formed
        // (DigestRegexpAnchored: `[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+`).
        return match go_digest_regexp_fault(digest, colon) {
            Some(offset) => fault(
                ReferenceErrorKind::DigestInvalidFormat,
                offset,
                Hint::DigestAlgorithm,
            ),
            None => fault(
                ReferenceErrorKind::DigestUnsupported,
                0,
                Hint::DigestUnsupported,
            ),
        };
    };
    let hex_start = colon + 1;
    if encoded.len() != algorithm.hex_len() {
        let offset = hex_start + encoded.len().min(algorithm.hex_len());
        let hint = Hint::DigestLength {
            algorithm,
            found: encoded.len(),
        };
        return fault(ReferenceErrorKind::DigestInvalidLength, offset, hint);
    }
    if let Some(bad) = encoded
        .bytes()
        .position(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        let hint = if encoded.as_bytes()[bad].is_ascii_hexdigit() {
            Hint::DigestUppercaseHex
        } else {
            Hint::DigestHexChar
        };
        return fault(
            ReferenceErrorKind::DigestInvalidFormat,
            hex_start + bad,
            hint,
        );
    }
    Ok(algorithm)
}

/// First offset where `digest` leaves go-digest's `DigestRegexpAnchored`, or `None` if it
/// matches. `colon` is the first `:`.
fn go_digest_regexp_fault(digest: &str, colon: usize) -> Option<usize> {
    let b = digest.as_bytes();
    let component = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    loop {
        if i == colon || !component(b[i]) {
            return Some(i);
        }
        while i < colon && component(b[i]) {
            i += 1;
        }
        if i == colon {
            break;
        }
        if !matches!(b[i], b'.' | b'+' | b'_' | b'-') {
            return Some(i);
        }
        i += 1;
    }
    let encoded = &b[colon + 1..];
    match encoded
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'=' | b'_' | b'-')))
    {
        Some(bad) => Some(colon + 1 + bad),
        None if encoded.is_empty() => Some(colon + 1),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<ReferenceErrorKind> {
        validate(s).err().map(|f| f.kind)
    }

    #[test]
    fn registered_algorithms_and_lengths() {
        assert_eq!(
            validate(&format!("sha256:{}", "a".repeat(64))),
            Ok(DigestAlgorithm::Sha256)
        );
        assert_eq!(
            validate(&format!("sha384:{}", "a".repeat(96))),
            Ok(DigestAlgorithm::Sha384)
        );
        assert_eq!(
            validate(&format!("sha512:{}", "a".repeat(128))),
            Ok(DigestAlgorithm::Sha512)
        );
        assert_eq!(
            kind(&format!("sha256:{}", "a".repeat(63))),
            Some(ReferenceErrorKind::DigestInvalidLength)
        );
        assert_eq!(
            kind(&format!("sha256:{}", "A".repeat(64))),
            Some(ReferenceErrorKind::DigestInvalidFormat)
        );
        assert_eq!(
            kind(&format!("sha256:{}", "A".repeat(63))),
            Some(ReferenceErrorKind::DigestInvalidLength)
        );
    }

    #[test]
    fn unknown_algorithms() {
        assert_eq!(
            kind("md5:0123456789abcdef0123456789abcdef"),
            Some(ReferenceErrorKind::DigestUnsupported)
        );
        assert_eq!(
            kind("sha256+b64:0123456789abcdef0123456789abcdef"),
            Some(ReferenceErrorKind::DigestUnsupported)
        );
        assert_eq!(
            kind("SHA256:0123456789abcdef0123456789abcdef"),
            Some(ReferenceErrorKind::DigestInvalidFormat)
        );
        assert_eq!(kind(":abc"), Some(ReferenceErrorKind::DigestInvalidFormat));
        assert_eq!(kind("abc:"), Some(ReferenceErrorKind::DigestInvalidFormat));
        assert_eq!(kind("abc"), Some(ReferenceErrorKind::DigestInvalidFormat));
    }
}
