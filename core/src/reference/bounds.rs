//! The fixed sizes of a reference, which the grammar and go-digest check and the hints name:
//! the longest tag and the digest algorithms a Kubernetes binary registers with their lengths.
//! A leaf, so that `error.rs` can describe them without importing the code that returns its
//! errors.

use std::fmt;

/// Longest tag the grammar allows (`[\w][\w.-]{0,127}`).
pub const TAG_MAX_LEN: usize = 128;

/// A digest algorithm that Kubernetes can verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm registered under `name` (exact, case-sensitive, as go-digest looks it up).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// Length of the hex encoding: twice the hash size.
    pub const fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha384 => 96,
            Self::Sha512 => 128,
        }
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
