//! Container image references, exactly as Kubernetes reads them.
//!
//! Kubernetes parses `image:` strings with `github.com/distribution/reference`
//! (`ParseNormalizedNamed`, called by `pkg/util/parsers.ParseImageName` in the API server's
//! defaulting and in the kubelet). This module reimplements that library: [`parse_normalized`]
//! is `ParseNormalizedNamed`; [`parse`], [`parse_named`], [`parse_any`],
//! [`parse_docker_ref`] and [`with_name`] are the other public parsers. Every result and error
//! is checked against `conformance/reference.json`, produced by running upstream.
//!
//! Unlike upstream, a parsed [`ImageReference`] borrows from its input and knows the byte span
//! of each part, and a [`ReferenceError`] knows the offset of the first offending character.
//!
//! ```
//! use imglint_core::reference::parse_normalized;
//! use imglint_core::PullPolicy;
//!
//! let image = parse_normalized("nginx").unwrap();
//! assert_eq!(image.domain(), "docker.io");
//! assert_eq!(image.path(), "library/nginx");
//! assert_eq!(image.normalized().to_string(), "docker.io/library/nginx:latest");
//! assert_eq!(image.default_pull_policy(), PullPolicy::Always);
//!
//! let error = parse_normalized("nginx:1.0:2.0").unwrap_err();
//! assert_eq!(error.to_string(), "invalid reference format");
//! assert_eq!(error.offset(), 5);
//! ```

mod bounds;
mod digest;
mod error;
pub mod grammar;

use std::borrow::Cow;
use std::fmt::{self, Display};

pub use bounds::DigestAlgorithm;
use error::RemoteName;
pub use error::{Hint, ReferenceError, ReferenceErrorKind};
use grammar::{Fault, NameShape, ReferenceParts};

use crate::pull_policy::PullPolicy;
use crate::source::Span;

/// Docker Hub's domain in normalised names.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// Docker Hub's legacy domain, rewritten to [`DEFAULT_DOMAIN`].
pub const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// The namespace of Docker Hub's official images (`nginx` is `library/nginx`).
pub const OFFICIAL_REPO_PREFIX: &str = "library/";
/// The tag a runtime pulls when a reference has neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";
/// Upstream's `RepositoryNameTotalLengthMax`: the limit on the path (not the domain).
pub const PATH_MAX_LEN: usize = 255;

/// Where the registry of a reference comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Domain {
    /// Docker Hub: written as `docker.io` or `index.docker.io`, or implied (`None`).
    DockerHub(Option<Span>),
    /// A registry written in the reference (any other host, or `docker.io` under [`parse`]).
    Written(Span),
    /// No domain at all: [`parse`] of a single-segment name, or upstream's reading of a first
    /// segment that is a path component but not a host (`a_b.c/d`).
    Missing,
}

/// A parsed image reference. It borrows the input and records where each part is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ImageReference<'a> {
    input: &'a str,
    domain: Domain,
    /// The path as written, without an implied `library/`.
    path: Span,
    /// `library/` is implied in front of `path`.
    official: bool,
    tag: Option<Span>,
    digest: Option<(Span, DigestAlgorithm)>,
}

impl<'a> ImageReference<'a> {
    /// The string this reference was parsed from.
    pub const fn input(&self) -> &'a str {
        self.input
    }

    /// The registry host and port after normalisation: `docker.io` for Docker Hub (written,
    /// aliased or implied), `""` when upstream finds no domain.
    pub fn domain(&self) -> &'a str {
        match self.domain {
            Domain::DockerHub(_) => DEFAULT_DOMAIN,
            Domain::Written(span) => span.slice(self.input),
            Domain::Missing => "",
        }
    }

    /// Where the domain is written in the input; `None` when it is implied or missing.
    pub const fn domain_span(&self) -> Option<Span> {
        match self.domain {
            Domain::DockerHub(span) => span,
            Domain::Written(span) => Some(span),
            Domain::Missing => None,
        }
    }

    /// Docker Hub, however it was written.
    pub fn is_docker_hub(&self) -> bool {
        self.domain() == DEFAULT_DOMAIN
    }

    /// The reference names no registry: the runtime picks Docker Hub (or, for runtimes that
    /// enforce fully qualified names, refuses it).
    pub const fn registry_is_implicit(&self) -> bool {
        matches!(self.domain, Domain::DockerHub(None))
    }

    /// The repository path after normalisation (`library/nginx` for `nginx`).
    pub fn path(&self) -> Cow<'a, str> {
        let written = self.path.slice(self.input);
        if self.official {
            Cow::Owned(format!("{OFFICIAL_REPO_PREFIX}{written}"))
        } else {
            Cow::Borrowed(written)
        }
    }

    /// The path exactly as written (without an implied `library/`).
    pub fn path_as_written(&self) -> &'a str {
        self.path.slice(self.input)
    }

    pub const fn path_span(&self) -> Span {
        self.path
    }

    /// `library/` was implied in front of a single-component Docker Hub name.
    pub const fn has_implied_library_prefix(&self) -> bool {
        self.official
    }

    pub fn tag(&self) -> Option<&'a str> {
        self.tag.map(|span| span.slice(self.input))
    }

    pub const fn tag_span(&self) -> Option<Span> {
        self.tag
    }

    /// The digest, `algorithm:hex`.
    pub fn digest(&self) -> Option<&'a str> {
        self.digest.map(|(span, _)| span.slice(self.input))
    }

    pub fn digest_algorithm(&self) -> Option<DigestAlgorithm> {
        self.digest.map(|(_, algorithm)| algorithm)
    }

    pub fn digest_span(&self) -> Option<Span> {
        self.digest.map(|(span, _)| span)
    }

    /// Neither tag nor digest: the runtime pulls `:latest`.
    pub const fn has_implicit_tag(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// The tag Kubernetes works with (`ParseImageName`): the written tag, `latest` when there is
    /// neither tag nor digest, `None` for a digest-only reference.
    pub fn effective_tag(&self) -> Option<&'a str> {
        match self.tag() {
            Some(tag) => Some(tag),
            None if self.digest.is_none() => Some(DEFAULT_TAG),
            None => None,
        }
    }

    /// What the API server defaults `imagePullPolicy` to (`SetDefaults_Container`): `Always`
    /// when the effective tag is exactly `latest` (even with a digest), else `IfNotPresent`.
    pub fn default_pull_policy(&self) -> PullPolicy {
        if self.effective_tag() == Some(DEFAULT_TAG) {
            PullPolicy::Always
        } else {
            PullPolicy::IfNotPresent
        }
    }

    /// `Name()`: domain and path, `docker.io/library/nginx`.
    pub const fn name(&self) -> Name<'_, 'a> {
        Name(self)
    }

    /// `TagNameOnly(ref).String()`: fully qualified, with `:latest` added when there is neither
    /// tag nor digest. This is what a runtime pulls.
    pub const fn normalized(&self) -> Normalized<'_, 'a> {
        Normalized(self)
    }

    /// `FamiliarString`: the short form users write (`nginx:1.27`, `acme/app`).
    pub const fn familiar(&self) -> Familiar<'_, 'a> {
        Familiar {
            reference: self,
            with_tag_and_digest: true,
        }
    }

    /// `FamiliarName`: the familiar form without tag and digest.
    pub const fn familiar_name(&self) -> Familiar<'_, 'a> {
        Familiar {
            reference: self,
            with_tag_and_digest: false,
        }
    }

    /// The same reference without its tag: what `ParseDockerRef` keeps of `name:tag@digest`.
    #[must_use]
    pub const fn without_tag(mut self) -> Self {
        self.tag = None;
        self
    }

    /// The shape upstream's type system gives this reference (`name`, `name+tag`,
    /// `name+digest`, `name+tag+digest`).
    pub const fn shape(&self) -> &'static str {
        match (self.tag.is_some(), self.digest.is_some()) {
            (false, false) => "name",
            (true, false) => "name+tag",
            (false, true) => "name+digest",
            (true, true) => "name+tag+digest",
        }
    }

    fn write_familiar_name(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self.path_as_written();
        if self.domain() != DEFAULT_DOMAIN {
            return Display::fmt(&self.name(), f);
        }
        // familiarizeName: drop docker.io, and library/ when nothing nested follows it.
        if self.official {
            return f.write_str(written);
        }
        match written.strip_prefix(OFFICIAL_REPO_PREFIX) {
            Some(rest) if !rest.contains('/') => f.write_str(rest),
            _ => f.write_str(written),
        }
    }

    fn write_tag_and_digest(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(tag) = self.tag() {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = self.digest() {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// `String()`: the normalised name with the tag and digest as written.
impl Display for ImageReference<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(&self.name(), f)?;
        self.write_tag_and_digest(f)
    }
}

impl fmt::Debug for ImageReference<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageReference")
            .field("domain", &self.domain())
            .field("path", &self.path())
            .field("tag", &self.tag())
            .field("digest", &self.digest())
            .finish()
    }
}

/// See [`ImageReference::name`].
pub struct Name<'r, 'a>(&'r ImageReference<'a>);

impl Display for Name<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.domain();
        if !domain.is_empty() {
            write!(f, "{domain}/")?;
        }
        if self.0.official {
            f.write_str(OFFICIAL_REPO_PREFIX)?;
        }
        f.write_str(self.0.path_as_written())
    }
}

/// See [`ImageReference::normalized`].
pub struct Normalized<'r, 'a>(&'r ImageReference<'a>);

impl Display for Normalized<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(self.0, f)?;
        if self.0.has_implicit_tag() {
            write!(f, ":{DEFAULT_TAG}")?;
        }
        Ok(())
    }
}

/// See [`ImageReference::familiar`].
pub struct Familiar<'r, 'a> {
    reference: &'r ImageReference<'a>,
    with_tag_and_digest: bool,
}

impl Display for Familiar<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.reference.write_familiar_name(f)?;
        if self.with_tag_and_digest {
            self.reference.write_tag_and_digest(f)?;
        }
        Ok(())
    }
}

/// `ParseNormalizedNamed`: parse an image string the way Kubernetes does, normalising Docker Hub
/// names (`nginx` → `docker.io/library/nginx`).
///
/// # Errors
/// Upstream's error for the input, with the offset of the first offending character.
pub fn parse_normalized(input: &str) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    let bytes = input.as_bytes();
    if grammar::is_identifier(input) {
        let kind = ReferenceErrorKind::HexIdentifier;
        return Err(ReferenceError::new(input, kind, 0, Hint::HexIdentifier));
    }
    let split = split_docker_domain(input);
    // Upstream rejects upper case in the remainder up to its first ':' before it parses.
    let remote_end = input[split.remainder..]
        .find(':')
        .map_or(input.len(), |colon| split.remainder + colon);
    if let Some(upper) = first_changed_by_lowercase(&input[split.remainder..remote_end]) {
        let official = split.docker_hub.is_some() && split.official;
        return Err(ReferenceError {
            remote: Some(RemoteName {
                official,
                start: split.remainder,
                end: remote_end,
            }),
            ..ReferenceError::new(
                input,
                ReferenceErrorKind::RepositoryNameMustBeLowercase,
                split.remainder + upper,
                Hint::PathUppercase,
            )
        });
    }
    match split.docker_hub {
        // Parse("docker.io/" + remainder): the domain is valid, the rest is path[:tag][@digest].
        Some(written) => {
            let parts = grammar::match_reference(bytes, split.remainder, NameShape::PathOnly)
                .map_err(|fault| {
                    grammar_error(input, split.remainder, NameShape::PathOnly, fault)
                })?;
            finish(input, Domain::DockerHub(written), parts, split.official)
        }
        // Parse(domain + "/" + remainder) is Parse(input).
        None => parse_domain_optional(input),
    }
}

/// `Parse`: the grammar alone, without Docker Hub normalisation (`nginx` has no domain,
/// `docker.io/nginx` has the path `nginx`).
///
/// # Errors
/// Upstream's error for the input, with the offset of the first offending character.
pub fn parse(input: &str) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    if input.is_empty() {
        let kind = ReferenceErrorKind::RepositoryNameEmpty;
        return Err(ReferenceError::new(input, kind, 0, Hint::Empty));
    }
    parse_domain_optional(input)
}

/// `ParseNamed`: [`parse_normalized`], but only for input that is already fully qualified.
///
/// # Errors
/// Upstream's error, or `not_canonical` when normalisation would change the input.
pub fn parse_named(input: &str) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    let reference = parse_normalized(input)?;
    if !display_equals(&reference, input) {
        let kind = ReferenceErrorKind::NotCanonical;
        return Err(ReferenceError::new(input, kind, 0, Hint::NotCanonical));
    }
    Ok(reference)
}

/// `ParseDockerRef`: [`parse_normalized`], dropping the tag of a `name:tag@digest` reference
/// (the digest decides what runs). Its `normalized()` form is upstream's result.
///
/// # Errors
/// As [`parse_normalized`].
pub fn parse_docker_ref(input: &str) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    let reference = parse_normalized(input)?;
    Ok(if reference.digest.is_some() {
        reference.without_tag()
    } else {
        reference
    })
}

/// A reference that may be a bare digest or image ID (`ParseAnyReference`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyReference<'a> {
    /// A 64-character hex image ID, meaning `sha256:<id>`.
    Identifier(&'a str),
    /// A digest `algorithm:hex` on its own.
    Digest(&'a str),
    Named(ImageReference<'a>),
}

impl Display for AnyReference<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Identifier(id) => write!(f, "sha256:{id}"),
            Self::Digest(digest) => f.write_str(digest),
            Self::Named(reference) => reference.fmt(f),
        }
    }
}

/// `ParseAnyReference`: an image ID, a digest, or else [`parse_normalized`].
///
/// # Errors
/// As [`parse_normalized`] when the input is neither an image ID nor a digest.
pub fn parse_any(input: &str) -> Result<AnyReference<'_>, ReferenceError<'_>> {
    if grammar::is_identifier(input) {
        return Ok(AnyReference::Identifier(input));
    }
    if digest::validate(input).is_ok() {
        return Ok(AnyReference::Digest(input));
    }
    parse_normalized(input).map(AnyReference::Named)
}

/// `WithName`: a name (`[domain/]path`) without tag or digest, not normalised.
///
/// # Errors
/// `invalid_reference_format` or `name_too_long`.
pub fn with_name(input: &str) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    let bytes = input.as_bytes();
    let domain_end = grammar::check_name(bytes, 0, bytes.len()).map_err(|fault| {
        ReferenceError::new(
            input,
            ReferenceErrorKind::InvalidReferenceFormat,
            fault.offset,
            fault.hint,
        )
    })?;
    let parts = ReferenceParts {
        domain_end,
        path_start: domain_end.map_or(0, |slash| slash + 1),
        name_end: bytes.len(),
        tag: None,
        digest: None,
    };
    let domain = domain_end.map_or(Domain::Missing, |end| Domain::Written(Span::new(0, end)));
    finish(input, domain, parts, false)
}

/// How `splitDockerDomain` divides an input.
struct DockerDomainSplit {
    /// `Some` when the domain is Docker Hub: where it is written, if it is.
    docker_hub: Option<Option<Span>>,
    /// Where the remainder (path, tag and digest) starts.
    remainder: usize,
    /// `library/` is added in front of the remainder.
    official: bool,
}

/// `splitDockerDomain` (normalize.go): the first segment is a domain when it is `localhost`,
/// contains `.` or `:`, or has upper case; otherwise the name is on Docker Hub.
fn split_docker_domain(input: &str) -> DockerDomainSplit {
    let docker_hub = |written, remainder: usize| DockerDomainSplit {
        docker_hub: Some(written),
        remainder,
        official: !input[remainder..].contains('/'),
    };
    let Some(slash) = input.find('/') else {
        return docker_hub(None, 0);
    };
    let first = &input[..slash];
    let registry = DockerDomainSplit {
        docker_hub: None,
        remainder: slash + 1,
        official: false,
    };
    if first == "localhost" {
        registry
    } else if first == LEGACY_DEFAULT_DOMAIN || first == DEFAULT_DOMAIN {
        docker_hub(Some(Span::new(0, slash)), slash + 1)
    } else if first.contains(['.', ':']) || first_changed_by_lowercase(first).is_some() {
        registry
    } else {
        docker_hub(None, 0)
    }
}

/// `Parse(input)` with an optional domain.
fn parse_domain_optional(input: &str) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    let shape = NameShape::DomainOptional;
    let parts = grammar::match_reference(input.as_bytes(), 0, shape)
        .map_err(|fault| grammar_error(input, 0, shape, fault))?;
    let domain = parts
        .domain_end
        .map_or(Domain::Missing, |end| Domain::Written(Span::new(0, end)));
    finish(input, domain, parts, false)
}

/// The checks `Parse` makes after the grammar matched: path length, then the digest.
fn finish(
    input: &str,
    domain: Domain,
    parts: ReferenceParts,
    official: bool,
) -> Result<ImageReference<'_>, ReferenceError<'_>> {
    let prefix = if official {
        OFFICIAL_REPO_PREFIX.len()
    } else {
        0
    };
    let path_len = prefix + parts.name_end - parts.path_start;
    if path_len > PATH_MAX_LEN {
        let offset = parts.path_start + PATH_MAX_LEN - prefix;
        let hint = Hint::NameTooLong {
            length: path_len,
            official,
        };
        return Err(ReferenceError::new(
            input,
            ReferenceErrorKind::NameTooLong,
            offset,
            hint,
        ));
    }
    let digest = match parts.digest {
        Some((start, end, _)) => match digest::validate(&input[start..end]) {
            Ok(algorithm) => Some((Span::new(start, end), algorithm)),
            Err(fault) => {
                return Err(ReferenceError::new(
                    input,
                    fault.kind,
                    start + fault.offset,
                    fault.hint,
                ));
            }
        },
        None => None,
    };
    Ok(ImageReference {
        input,
        domain,
        path: Span::new(parts.path_start, parts.name_end),
        official,
        tag: parts.tag.map(|(start, end)| Span::new(start, end)),
        digest,
    })
}

/// The error `Parse` returns when the grammar does not match: upper case if the lower-cased
/// string would match (`ErrNameContainsUppercase`), else `ErrReferenceInvalidFormat`.
fn grammar_error(input: &str, start: usize, shape: NameShape, fault: Fault) -> ReferenceError<'_> {
    if let Some(upper) = first_changed_by_lowercase(&input[start..]) {
        let lowered: String = input[start..].chars().map(go_to_lower).collect();
        if grammar::match_reference(lowered.as_bytes(), 0, shape).is_ok() {
            let kind = ReferenceErrorKind::RepositoryNameMustBeLowercase;
            return ReferenceError::new(input, kind, start + upper, Hint::PathUppercase);
        }
    }
    if input.is_empty() {
        return ReferenceError::new(
            input,
            ReferenceErrorKind::InvalidReferenceFormat,
            0,
            Hint::Empty,
        );
    }
    // "https://registry/app": point at the scheme's "://" rather than at its consequences.
    if let Some(scheme_end) = input.find("://") {
        let scheme = &input[..scheme_end];
        let looks_like_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric());
        if looks_like_scheme && (scheme_end..=scheme_end + 3).contains(&fault.offset) {
            let kind = ReferenceErrorKind::InvalidReferenceFormat;
            return ReferenceError::new(input, kind, scheme_end, Hint::UrlScheme);
        }
    }
    ReferenceError::new(
        input,
        ReferenceErrorKind::InvalidReferenceFormat,
        fault.offset,
        fault.hint,
    )
}

/// Go's `unicode.ToLower`: the simple case mapping. It differs from Rust's full mapping only for
/// U+0130 (`İ`), which Go maps to a plain `i`.
fn go_to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

/// Byte offset of the first character that Go's `strings.ToLower` would change.
fn first_changed_by_lowercase(s: &str) -> Option<usize> {
    // Image strings are almost always ASCII: look at bytes until the first non-ASCII one.
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii() {
        if bytes[i].is_ascii_uppercase() {
            return Some(i);
        }
        i += 1;
    }
    s[i..]
        .char_indices()
        .find(|&(_, c)| go_to_lower(c) != c)
        .map(|(offset, _)| i + offset)
}

/// `reference.to_string() == expected`, without allocating.
fn display_equals(reference: &ImageReference<'_>, expected: &str) -> bool {
    struct Compare<'e> {
        rest: &'e str,
        equal: bool,
    }
    impl fmt::Write for Compare<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            match self.rest.strip_prefix(s) {
                Some(rest) => self.rest = rest,
                None => self.equal = false,
            }
            Ok(())
        }
    }
    let mut compare = Compare {
        rest: expected,
        equal: true,
    };
    let _ = fmt::write(&mut compare, format_args!("{reference}"));
    compare.equal && compare.rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_names_are_normalised() {
        let image = parse_normalized("nginx").unwrap();
        assert_eq!(image.domain(), "docker.io");
        assert_eq!(image.path(), "library/nginx");
        assert!(image.registry_is_implicit());
        assert_eq!(
            image.normalized().to_string(),
            "docker.io/library/nginx:latest"
        );
        assert_eq!(image.familiar().to_string(), "nginx");

        let image = parse_normalized("index.docker.io/acme/app:1").unwrap();
        assert_eq!(image.to_string(), "docker.io/acme/app:1");
        assert_eq!(image.familiar().to_string(), "acme/app:1");
        assert_eq!(image.domain_span(), Some(Span::new(0, 15)));
    }

    #[test]
    fn a_port_is_not_a_tag() {
        let image = parse_normalized("localhost:5000/app").unwrap();
        assert_eq!(image.domain(), "localhost:5000");
        assert_eq!(image.tag(), None);
        assert_eq!(image.default_pull_policy(), PullPolicy::Always);

        let image = parse_normalized("localhost:5000").unwrap();
        assert_eq!(image.path(), "library/localhost");
        assert_eq!(image.tag(), Some("5000"));
        assert_eq!(image.default_pull_policy(), PullPolicy::IfNotPresent);
    }

    #[test]
    fn spans_slice_back_to_the_parts() {
        let input = "registry.example.com:5000/team/app:v1@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let image = parse_normalized(input).unwrap();
        assert_eq!(
            image.domain_span().unwrap().slice(input),
            "registry.example.com:5000"
        );
        assert_eq!(image.path_span().slice(input), "team/app");
        assert_eq!(image.tag_span().unwrap().slice(input), "v1");
        assert_eq!(image.digest_span().unwrap().slice(input), &input[38..]);
        assert_eq!(image.digest_algorithm(), Some(DigestAlgorithm::Sha256));
    }

    #[test]
    fn a_host_that_is_not_a_host_is_a_path() {
        // Upstream reads `a_b.c` as a path component because it is not a valid domain.
        let image = parse_normalized("a_b.c/d").unwrap();
        assert_eq!(image.domain(), "");
        assert_eq!(image.path(), "a_b.c/d");
        assert_eq!(image.normalized().to_string(), "a_b.c/d:latest");
    }

    #[test]
    fn errors_point_at_the_first_offending_character() {
        let offset = |s| parse_normalized(s).unwrap_err().offset();
        assert_eq!(offset("nginx:"), 6);
        assert_eq!(offset("Nginx"), 0);
        assert_eq!(offset("docker.io/acme/Nginx"), 15);
        assert_eq!(offset("foo_bar.com:8080/app"), 3);
        assert_eq!(offset("registry.example.com:port/app"), 21);
        assert_eq!(offset("http://registry.example.com/app"), 4);
        assert_eq!(offset("nginx@sha256:abc"), 16);
        assert_eq!(offset("app:v1+build"), 6);
        assert_eq!(offset(" nginx"), 0);
        assert_eq!(offset(""), 0);
    }

    #[test]
    fn lower_case_error_names_the_remote_like_upstream() {
        let error = parse_normalized("Uppercase:tag").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid reference format: repository name (library/Uppercase) must be lowercase"
        );
        // Kelvin sign: Go lower-cases it to `k`, so upstream reports upper case.
        let error = parse_normalized("nginx:\u{212A}").unwrap_err();
        assert_eq!(
            error.kind(),
            ReferenceErrorKind::RepositoryNameMustBeLowercase
        );
        assert_eq!(error.to_string(), "repository name must be lowercase");
    }
}
