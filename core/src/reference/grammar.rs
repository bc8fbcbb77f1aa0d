//! The distribution/reference grammar as byte scanners.
//!
//! Upstream matches whole strings against regular expressions (`regexp.go`). The scanners here
//! accept exactly the same languages (a property test in `core/tests/reference_oracle.rs` checks
//! them against the upstream expressions compiled with the `regex` crate), but they run in one
//! pass without allocation and, when a string is rejected, they report the first offending byte
//! and why. Offsets are absolute positions in the string being parsed.
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain '/'] remote-name
//! domain           := host [':' port-number]
//! host             := domain-name | '[' [a-fA-F0-9:]+ ']'
//! domain-name      := domain-component ['.' domain-component]*
//! domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//! port-number      := /[0-9]+/
//! remote-name      := path-component ['/' path-component]*
//! path-component   := /[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*/
//! tag              := /[\w][\w.-]{0,127}/
//! digest           := /[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}/
//! identifier       := /[a-f0-9]{64}/
//! ```

use super::bounds::TAG_MAX_LEN;
use super::error::Hint;

/// Why and where a string left the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) offset: usize,
    pub(crate) hint: Hint,
}

impl Fault {
    const fn at(offset: usize, hint: Hint) -> Self {
        Self { offset, hint }
    }
}

/// Shortest hex part the reference grammar allows in a digest (`[[:xdigit:]]{32,}`).
pub const DIGEST_HEX_MIN_LEN: usize = 32;

const fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

const fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Explains a byte that no part of a reference may contain, if it is one of those.
fn forbidden_everywhere(input: &[u8], at: usize) -> Option<Hint> {
    match input.get(at) {
        Some(b) if b.is_ascii_whitespace() => Some(Hint::Whitespace),
        Some(b) if !b.is_ascii() => Some(Hint::NonAscii),
        _ => None,
    }
}

/// `domain` (host and optional port) over `input[start..end]`.
pub(crate) fn check_domain(input: &[u8], start: usize, end: usize) -> Result<(), Fault> {
    let mut i = start;
    if input.get(i) == Some(&b'[') {
        i += 1;
        let hex_start = i;
        while i < end && (input[i].is_ascii_hexdigit() || input[i] == b':') {
            i += 1;
        }
        if i == hex_start || i == end || input[i] != b']' {
            return Err(Fault::at(i, Hint::Ipv6Address));
        }
        i += 1;
    } else {
        loop {
            if i == end || !input[i].is_ascii_alphanumeric() {
                return Err(Fault::at(i, domain_char_hint(input, i, end)));
            }
            while i < end && (input[i].is_ascii_alphanumeric() || input[i] == b'-') {
                i += 1;
            }
            if input[i - 1] == b'-' {
                return Err(Fault::at(i - 1, Hint::DomainHyphen));
            }
            if i < end && input[i] == b'.' {
                i += 1;
                continue;
            }
            break;
        }
    }
    if i == end {
        return Ok(());
    }
    if input[i] != b':' {
        return Err(Fault::at(i, domain_char_hint(input, i, end)));
    }
    i += 1;
    let port_start = i;
    while i < end && input[i].is_ascii_digit() {
        i += 1;
    }
    if i == port_start || i < end {
        return Err(Fault::at(i, Hint::Port));
    }
    Ok(())
}

fn domain_char_hint(input: &[u8], at: usize, end: usize) -> Hint {
    if let Some(hint) = forbidden_everywhere(input, at) {
        return hint;
    }
    match input.get(at) {
        _ if at == end => Hint::DomainEmptyLabel,
        Some(b'.') => Hint::DomainEmptyLabel,
        Some(b'-') => Hint::DomainHyphen,
        _ => Hint::DomainChar,
    }
}

/// `remote-name` (slash-separated path components) over `input[start..end]`.
pub(crate) fn check_path(input: &[u8], start: usize, end: usize) -> Result<(), Fault> {
    let mut i = start;
    loop {
        // One path component: alphanumeric runs joined by single separators.
        if i == end || !is_lower_alnum(input[i]) {
            return Err(Fault::at(i, path_start_hint(input, i, end)));
        }
        loop {
            while i < end && is_lower_alnum(input[i]) {
                i += 1;
            }
            if i == end {
                return Ok(());
            }
            match input[i] {
                b'.' => i += 1,
                b'_' => {
                    i += 1;
                    if i < end && input[i] == b'_' {
                        i += 1;
                    }
                }
                b'-' => {
                    while i < end && input[i] == b'-' {
                        i += 1;
                    }
                }
                b'/' => break,
                _ => return Err(Fault::at(i, path_char_hint(input, i))),
            }
            if i == end || !is_lower_alnum(input[i]) {
                return Err(Fault::at(i, after_separator_hint(input, i, end)));
            }
        }
        i += 1; // the '/'
    }
}

fn path_start_hint(input: &[u8], at: usize, end: usize) -> Hint {
    match input.get(at) {
        _ if at == end => Hint::PathEmptyComponent,
        Some(b'/') => Hint::PathEmptyComponent,
        Some(b'.' | b'_' | b'-') => Hint::PathComponentStart,
        _ => path_char_hint(input, at),
    }
}

fn after_separator_hint(input: &[u8], at: usize, end: usize) -> Hint {
    match input.get(at) {
        _ if at == end => Hint::PathAfterSeparator,
        Some(b'.' | b'_' | b'-' | b'/') => Hint::PathAfterSeparator,
        _ => path_char_hint(input, at),
    }
}

fn path_char_hint(input: &[u8], at: usize) -> Hint {
    if let Some(hint) = forbidden_everywhere(input, at) {
        return hint;
    }
    match input[at] {
        b'A'..=b'Z' => Hint::PathUppercase,
        b':' => Hint::PathColon,
        b'@' => Hint::PathAt,
        _ => Hint::PathChar,
    }
}

/// `tag` over `input[start..end]`.
pub(crate) fn check_tag(input: &[u8], start: usize, end: usize) -> Result<(), Fault> {
    if start == end {
        return Err(Fault::at(start, Hint::TagEmpty));
    }
    if !is_word(input[start]) {
        let hint = forbidden_everywhere(input, start).unwrap_or(Hint::TagStart);
        return Err(Fault::at(start, hint));
    }
    let scan_end = end.min(start + TAG_MAX_LEN);
    for i in start + 1..scan_end {
        let b = input[i];
        if !(is_word(b) || b == b'.' || b == b'-') {
            let hint = forbidden_everywhere(input, i).unwrap_or(Hint::TagChar);
            return Err(Fault::at(i, hint));
        }
    }
    if end - start > TAG_MAX_LEN {
        return Err(Fault::at(start + TAG_MAX_LEN, Hint::TagTooLong));
    }
    Ok(())
}

/// `digest` (the reference grammar's, before go-digest validation) over `input[start..end]`.
/// Returns the offset of the `:` between algorithm and hex.
pub(crate) fn check_digest(input: &[u8], start: usize, end: usize) -> Result<usize, Fault> {
    let mut i = start;
    loop {
        if i == end || !input[i].is_ascii_alphabetic() {
            let hint = forbidden_everywhere(input, i).unwrap_or(Hint::DigestAlgorithm);
            return Err(Fault::at(i, hint));
        }
        i += 1;
        while i < end && input[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i < end && matches!(input[i], b'-' | b'_' | b'+' | b'.') {
            i += 1;
            continue;
        }
        break;
    }
    if i == end || input[i] != b':' {
        let hint = forbidden_everywhere(input, i).unwrap_or(Hint::DigestAlgorithm);
        return Err(Fault::at(i, hint));
    }
    let colon = i;
    i += 1;
    let hex_start = i;
    while i < end && input[i].is_ascii_hexdigit() {
        i += 1;
    }
    if i < end {
        let hint = match input[i] {
            b'@' => Hint::SecondAt,
            _ => forbidden_everywhere(input, i).unwrap_or(Hint::DigestHexChar),
        };
        return Err(Fault::at(i, hint));
    }
    if i - hex_start < DIGEST_HEX_MIN_LEN {
        return Err(Fault::at(i, Hint::DigestHexTooShort));
    }
    Ok(colon)
}

/// `identifier`: exactly 64 lower-case hex characters (an image ID).
pub fn is_identifier(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The byte spans of a string that matched `reference`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReferenceParts {
    /// End of the domain when the name has one (the `/` after it is at this offset).
    pub(crate) domain_end: Option<usize>,
    /// Where the remote name (path) starts.
    pub(crate) path_start: usize,
    pub(crate) name_end: usize,
    pub(crate) tag: Option<(usize, usize)>,
    /// Digest span and the offset of its `:`.
    pub(crate) digest: Option<(usize, usize, usize)>,
}

/// How the name part of a reference is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameShape {
    /// Upstream `Parse`: an optional `domain/` in front of the remote name.
    DomainOptional,
    /// Only a remote name (the domain was split off and is known to be valid).
    PathOnly,
}

/// Splits `input[start..]` into name, tag and digest and checks each against the grammar.
pub(crate) fn match_reference(
    input: &[u8],
    start: usize,
    shape: NameShape,
) -> Result<ReferenceParts, Fault> {
    let end = input.len();
    // Neither name nor tag may contain '@', so the first one starts the digest.
    let at = input[start..]
        .iter()
        .position(|&b| b == b'@')
        .map(|p| p + start);
    let name_tag_end = at.unwrap_or(end);
    // A tag cannot contain '/' or ':', so it follows the last ':' when no '/' comes after that.
    let last_colon = input[start..name_tag_end].iter().rposition(|&b| b == b':');
    let last_slash = input[start..name_tag_end].iter().rposition(|&b| b == b'/');
    let tag_colon = match (last_colon, last_slash) {
        (Some(c), Some(s)) if c > s => Some(c + start),
        (Some(c), None) => Some(c + start),
        _ => None,
    };
    let name_end = tag_colon.unwrap_or(name_tag_end);

    let (domain_end, path_start) = match shape {
        NameShape::PathOnly => {
            check_path(input, start, name_end)?;
            (None, start)
        }
        NameShape::DomainOptional => match check_name(input, start, name_end)? {
            Some(slash) => (Some(slash), slash + 1),
            None => (None, start),
        },
    };
    let tag = match tag_colon {
        Some(colon) => {
            check_tag(input, colon + 1, name_tag_end)?;
            Some((colon + 1, name_tag_end))
        }
        None => None,
    };
    let digest = match at {
        Some(at) => {
            let colon = check_digest(input, at + 1, end)?;
            Some((at + 1, end, colon))
        }
        None => None,
    };
    Ok(ReferenceParts {
        domain_end,
        path_start,
        name_end,
        tag,
        digest,
    })
}

/// `(?:domain/)?remote-name` over `input[start..end]`, with upstream's preference for reading
/// the first component as a domain. Returns the offset of the `/` after the domain, if any.
///
/// A first component that is not a valid domain can still be a path component (`a_b.c/d` is the
/// path `a_b.c/d` with no domain): the regular expression tries both readings.
pub(crate) fn check_name(input: &[u8], start: usize, end: usize) -> Result<Option<usize>, Fault> {
    let Some(slash) = input[start..end]
        .iter()
        .position(|&b| b == b'/')
        .map(|p| p + start)
    else {
        check_path(input, start, end)?;
        return Ok(None);
    };
    if slash == start {
        // "/app": an empty first component is an empty path component, not an empty host.
        return check_path(input, start, end).map(|()| None);
    }
    let domain = check_domain(input, start, slash);
    let first_is_component = || check_path(input, start, slash).is_ok();
    match (domain, check_path(input, slash + 1, end)) {
        (Ok(()), Ok(())) => Ok(Some(slash)),
        (Err(_), Ok(())) if first_is_component() => Ok(None),
        (Ok(()), Err(rest)) => Err(rest),
        (Err(_), Err(rest)) if first_is_component() => Err(rest),
        (Err(domain), _) => Err(domain),
    }
}

/// Upstream's anchored `domainAndPort` expression: a registry host with an optional port.
pub fn is_domain(s: &str) -> bool {
    check_domain(s.as_bytes(), 0, s.len()).is_ok()
}

/// Upstream's `anchoredNameRegexp`: `(domain, path)`, with `""` for a name without a domain.
pub fn split_name(s: &str) -> Option<(&str, &str)> {
    match check_name(s.as_bytes(), 0, s.len()) {
        Ok(Some(slash)) => Some((&s[..slash], &s[slash + 1..])),
        Ok(None) => Some(("", s)),
        Err(_) => None,
    }
}

/// Upstream's `referenceRegexp`: `(name, tag, digest)` of a string that matches the grammar
/// (digest algorithms and lengths are not checked here).
pub fn split_reference(s: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let parts = match_reference(s.as_bytes(), 0, NameShape::DomainOptional).ok()?;
    Some((
        &s[..parts.name_end],
        parts.tag.map(|(start, end)| &s[start..end]),
        parts.digest.map(|(start, end, _)| &s[start..end]),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(s: &str) -> Result<(), usize> {
        check_domain(s.as_bytes(), 0, s.len()).map_err(|f| f.offset)
    }

    fn path(s: &str) -> Result<(), usize> {
        check_path(s.as_bytes(), 0, s.len()).map_err(|f| f.offset)
    }

    #[test]
    fn domains() {
        for ok in [
            "a",
            "a.b",
            "a-b.com",
            "xn--n3h.com",
            "Asdf.com",
            "[::1]",
            "[fd00:1:2::3]:75050",
            "a:1",
        ] {
            assert_eq!(domain(ok), Ok(()), "{ok}");
        }
        assert_eq!(domain("-ab.com"), Err(0));
        assert_eq!(domain("ab-.com"), Err(2));
        assert_eq!(domain("ab..com"), Err(3));
        assert_eq!(domain("test.com:http"), Err(9));
        assert_eq!(domain("test.com:"), Err(9));
        assert_eq!(domain("[fd00:1:2::3]75050"), Err(13));
        assert_eq!(domain("[fe80::1%eth0]"), Err(8));
        assert_eq!(domain("foo_bar.com"), Err(3));
    }

    #[test]
    fn paths() {
        for ok in ["a", "a/b", "a__b", "a_b", "a.b", "a---b", "a-b.c_d__e/f"] {
            assert_eq!(path(ok), Ok(()), "{ok}");
        }
        assert_eq!(path(""), Err(0));
        assert_eq!(path("a___b"), Err(3));
        assert_eq!(path("a..b"), Err(2));
        assert_eq!(path("a-"), Err(2));
        assert_eq!(path("a//b"), Err(2));
        assert_eq!(path("a/"), Err(2));
        assert_eq!(path("aB"), Err(1));
    }

    #[test]
    fn tags() {
        let tag = |s: &str| check_tag(s.as_bytes(), 0, s.len()).map_err(|f| f.offset);
        assert_eq!(tag("v1.0-rc_1"), Ok(()));
        assert_eq!(tag("_x"), Ok(()));
        assert_eq!(tag(".x"), Err(0));
        assert_eq!(tag("a+b"), Err(1));
        assert_eq!(tag(&"a".repeat(128)), Ok(()));
        assert_eq!(tag(&"a".repeat(129)), Err(128));
    }

    #[test]
    fn names_prefer_a_domain() {
        let name = |s: &str| check_name(s.as_bytes(), 0, s.len()).map_err(|f| f.offset);
        assert_eq!(name("a/b"), Ok(Some(1)));
        assert_eq!(name("a_b.c/d"), Ok(None));
        assert_eq!(name("foo_bar.com:8080/app"), Err(3));
        assert_eq!(name("example.com/a-"), Err(14));
    }
}
