//! Why a reference was rejected: upstream's error (kind and message) plus where and a hint.

use std::fmt;

use super::bounds::{DigestAlgorithm, TAG_MAX_LEN};

/// The errors of distribution/reference and go-digest, named as in
/// `conformance/reference.json` (`error_kinds`). The names are part of imglint's JSON
/// output and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferenceErrorKind {
    /// `ErrReferenceInvalidFormat`: the string does not match the grammar.
    InvalidReferenceFormat,
    /// Upper case in the repository name (`ParseNormalizedNamed`'s own check, or `Parse`'s
    /// `ErrNameContainsUppercase`).
    RepositoryNameMustBeLowercase,
    /// `ErrNameEmpty`: `Parse("")`.
    RepositoryNameEmpty,
    /// `ErrNameTooLong`: the path (without the domain) is longer than 255 characters.
    NameTooLong,
    /// `ErrNameNotCanonical`: `ParseNamed` of a string that is not fully qualified.
    NotCanonical,
    /// The whole string is a 64-character hex image ID.
    HexIdentifier,
    /// go-digest `ErrDigestInvalidFormat`.
    DigestInvalidFormat,
    /// go-digest `ErrDigestInvalidLength`.
    DigestInvalidLength,
    /// go-digest `ErrDigestUnsupported`.
    DigestUnsupported,
}

impl ReferenceErrorKind {
    /// The stable snake_case name used in JSON output and the conformance vectors.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidReferenceFormat => "invalid_reference_format",
            Self::RepositoryNameMustBeLowercase => "repository_name_must_be_lowercase",
            Self::RepositoryNameEmpty => "repository_name_empty",
            Self::NameTooLong => "name_too_long",
            Self::NotCanonical => "not_canonical",
            Self::HexIdentifier => "hex_identifier",
            Self::DigestInvalidFormat => "digest_invalid_format",
            Self::DigestInvalidLength => "digest_invalid_length",
            Self::DigestUnsupported => "digest_unsupported",
        }
    }
}

impl fmt::Display for ReferenceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A short explanation of the offending character, for the label under it. Upstream has only
/// the error message; the hint is imglint's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    Empty,
    Whitespace,
    NonAscii,
    UrlScheme,
    HexIdentifier,
    Ipv6Address,
    DomainChar,
    DomainHyphen,
    DomainEmptyLabel,
    Port,
    PathEmptyComponent,
    PathComponentStart,
    PathAfterSeparator,
    PathUppercase,
    PathColon,
    PathAt,
    PathChar,
    TagEmpty,
    TagStart,
    TagChar,
    TagTooLong,
    DigestAlgorithm,
    DigestHexChar,
    DigestHexTooShort,
    SecondAt,
    DigestLength {
        algorithm: DigestAlgorithm,
        found: usize,
    },
    DigestUppercaseHex,
    DigestUnsupported,
    NameTooLong {
        length: usize,
        official: bool,
    },
    NotCanonical,
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty => f.write_str("the image is empty"),
            Self::Whitespace => f.write_str("whitespace is not allowed in an image reference"),
            Self::NonAscii => f.write_str("only ASCII characters are allowed in an image reference"),
            Self::UrlScheme => f.write_str("an image reference has no URL scheme; remove it"),
            Self::HexIdentifier => {
                f.write_str("a bare 64-character hex string is an image ID, not a reference")
            }
            Self::Ipv6Address => f.write_str(
                "an IPv6 registry is written `[hex:digits]` (no zone), followed by an optional port",
            ),
            Self::DomainChar => {
                f.write_str("a registry host may contain only letters, digits, `-` and `.`")
            }
            Self::DomainHyphen => {
                f.write_str("a registry host label cannot start or end with `-`")
            }
            Self::DomainEmptyLabel => f.write_str("a registry host cannot have an empty label"),
            Self::Port => f.write_str("a registry port must be a number"),
            Self::PathEmptyComponent => f.write_str("a repository path component cannot be empty"),
            Self::PathComponentStart => {
                f.write_str("a path component must start with a lowercase letter or digit")
            }
            Self::PathAfterSeparator => f.write_str(
                "a separator (`.`, `_`, `__` or a run of `-`) must be followed by a lowercase letter or digit",
            ),
            Self::PathUppercase => f.write_str("a repository path must be lowercase"),
            Self::PathColon => {
                f.write_str("`:` may only separate a registry port or the tag, and only once")
            }
            Self::PathAt => f.write_str("`@` may only start the digest"),
            Self::PathChar => f.write_str(
                "a repository path may contain only lowercase letters, digits, `.`, `_`, `-` and `/`",
            ),
            Self::TagEmpty => f.write_str("the tag after `:` is empty"),
            Self::TagStart => f.write_str("a tag must start with a letter, a digit or `_`"),
            Self::TagChar => f.write_str("a tag may contain only letters, digits, `_`, `.` and `-`"),
            Self::TagTooLong => write!(f, "a tag can be at most {TAG_MAX_LEN} characters"),
            Self::DigestAlgorithm => {
                f.write_str("a digest is `algorithm:hex`, with an algorithm such as `sha256`")
            }
            Self::DigestHexChar => f.write_str("the digest must be hexadecimal"),
            Self::DigestHexTooShort => f.write_str("a digest needs at least 32 hex digits"),
            Self::SecondAt => f.write_str("a reference can have only one `@digest`"),
            Self::DigestLength { algorithm, found } => write!(
                f,
                "a {algorithm} digest has exactly {} hex digits, this one has {found}",
                algorithm.hex_len()
            ),
            Self::DigestUppercaseHex => f.write_str("digest hex digits must be lowercase"),
            Self::DigestUnsupported => {
                f.write_str("only sha256, sha384 and sha512 digests are supported")
            }
            Self::NameTooLong { length, official: true } => write!(
                f,
                "the repository path `library/…` is {length} characters; the limit is 255"
            ),
            Self::NameTooLong { length, official: false } => {
                write!(f, "the repository path is {length} characters; the limit is 255")
            }
            Self::NotCanonical => f.write_str("the reference is not in its fully qualified form"),
        }
    }
}

/// How upstream prints the repository name in its lower-case error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RemoteName {
    /// `library/` was added in front (single-component Docker Hub names).
    pub(crate) official: bool,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// A reference that upstream rejects: which error, where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceError<'a> {
    pub(crate) input: &'a str,
    pub(crate) kind: ReferenceErrorKind,
    pub(crate) offset: usize,
    pub(crate) hint: Hint,
    pub(crate) remote: Option<RemoteName>,
}

impl<'a> ReferenceError<'a> {
    pub(crate) const fn new(
        input: &'a str,
        kind: ReferenceErrorKind,
        offset: usize,
        hint: Hint,
    ) -> Self {
        Self {
            input,
            kind,
            offset,
            hint,
            remote: None,
        }
    }

    /// The string that was parsed.
    pub const fn input(&self) -> &'a str {
        self.input
    }

    pub const fn kind(&self) -> ReferenceErrorKind {
        self.kind
    }

    /// Byte offset of the first offending character in the input (`input().len()` when the
    /// input ends too early).
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// imglint's explanation of the offending character.
    pub const fn hint(&self) -> Hint {
        self.hint
    }

    /// Upstream's error message, exactly as `ParseNormalizedNamed` (or the function that was
    /// called) returns it.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ReferenceError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ReferenceErrorKind::InvalidReferenceFormat => f.write_str("invalid reference format"),
            ReferenceErrorKind::RepositoryNameMustBeLowercase => match self.remote {
                Some(remote) => write!(
                    f,
                    "invalid reference format: repository name ({}{}) must be lowercase",
                    if remote.official { "library/" } else { "" },
                    &self.input[remote.start..remote.end]
                ),
                None => f.write_str("repository name must be lowercase"),
            },
            ReferenceErrorKind::RepositoryNameEmpty => {
                f.write_str("repository name must have at least one component")
            }
            ReferenceErrorKind::NameTooLong => {
                f.write_str("repository name must not be more than 255 characters")
            }
            ReferenceErrorKind::NotCanonical => f.write_str("repository name must be canonical"),
            ReferenceErrorKind::HexIdentifier => write!(
                f,
                "invalid repository name ({}), cannot specify 64-byte hexadecimal strings",
                self.input
            ),
            ReferenceErrorKind::DigestInvalidFormat => {
                f.write_str("invalid checksum digest format")
            }
            ReferenceErrorKind::DigestInvalidLength => {
                f.write_str("invalid checksum digest length")
            }
            ReferenceErrorKind::DigestUnsupported => f.write_str("unsupported digest algorithm"),
        }
    }
}

impl std::error::Error for ReferenceError<'_> {}
