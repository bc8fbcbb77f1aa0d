//! `reference`: the image reference parsers on any text.
//!
//! Three judges: imglint's own invariants (spans, offsets, normalised forms re-parse to the
//! same reference); the upstream oracle (`core/tests/common/oracle.rs`, distribution/reference's
//! expressions compiled as written), which imglint must agree with exactly, error messages
//! included; and oci-spec's parser, which must agree with imglint except in the disagreements
//! `docs/conformance.md` documents (ids `oci-spec:…`), classified by the same rules as
//! `core/tests/differential_oci_spec.rs`.

use imglint_core::ImageInfo;
use imglint_core::reference::{
    self, ImageReference, ReferenceError, ReferenceErrorKind, grammar, parse_normalized,
};
use oci_spec::distribution::Reference;

use super::oracle::{ORACLE, Parts, go_to_lower};

/// The documented disagreements with oci-spec, read at build time.
const CONFORMANCE_DOC: &str = include_str!("../../../docs/conformance.md");

pub fn check(data: &[u8]) {
    if let Some(input) = super::text(data) {
        check_str(input);
    }
}

pub fn check_str(input: &str) {
    let ours = parse_normalized(input);
    match &ours {
        Ok(image) => check_valid(input, image),
        Err(error) => check_error(input, error),
    }
    check_against_oracle(input, &ours);
    check_against_oci_spec(input);
    check_other_parsers(input, ours.is_ok());

    // What `imglint image` and the wasm `parseImage` print.
    let info = ImageInfo::of(input);
    assert_eq!(info.valid, ours.is_ok(), "ImageInfo::of({input:?}).valid");
    serde_json::to_string(&info).expect("ImageInfo serialises");
}

/// A valid reference: spans slice back to its parts, and every printed form re-parses to it.
fn check_valid(input: &str, image: &ImageReference<'_>) {
    assert_eq!(image.input(), input);
    assert_eq!(image.path_span().slice(input), image.path_as_written());
    if let Some(span) = image.tag_span() {
        assert_eq!(
            Some(span.slice(input)),
            image.tag(),
            "tag span of {input:?}"
        );
    }
    if let Some(span) = image.digest_span() {
        assert_eq!(
            Some(span.slice(input)),
            image.digest(),
            "digest span of {input:?}"
        );
    }
    if let Some(span) = image.domain_span() {
        let written = span.slice(input);
        assert!(
            written == image.domain() || image.is_docker_hub(),
            "domain span {written:?} of {input:?}"
        );
    }
    assert_eq!(
        image.has_implicit_tag(),
        image.tag().is_none() && image.digest().is_none()
    );

    let normalized = image.normalized().to_string();
    let reparsed = parse_normalized(&normalized)
        .unwrap_or_else(|e| panic!("{input:?} normalises to {normalized:?}, which fails: {e}"));
    assert_same(input, "normalized()", image, &reparsed);
    assert_eq!(
        reparsed.normalized().to_string(),
        normalized,
        "normalising {input:?} is not idempotent"
    );
    // `ParseNamed` accepts exactly the canonical strings, and the normalised form is one.
    reference::parse_named(&normalized)
        .unwrap_or_else(|e| panic!("normalized {normalized:?} of {input:?} is not canonical: {e}"));

    let printed = image.to_string();
    let reparsed = parse_normalized(&printed)
        .unwrap_or_else(|e| panic!("to_string() of {input:?} is {printed:?}, which fails: {e}"));
    assert_same(input, "to_string()", image, &reparsed);
    // Upstream's own quirk: `docker.io/<64 hex>` is familiar as `<64 hex>`, which
    // `ParseNormalizedNamed` refuses as an image ID (a conformance vector shows it).
    let familiar = image.familiar().to_string();
    if !grammar::is_identifier(&familiar) && !names_a_registry(image, &familiar) {
        let reparsed = parse_normalized(&familiar).unwrap_or_else(|e| {
            panic!("familiar() of {input:?} is {familiar:?}, which fails: {e}")
        });
        assert_same(input, "familiar()", image, &reparsed);
    }
    let name = image.familiar_name().to_string();
    if !grammar::is_identifier(&name) && !names_a_registry(image, &name) {
        let reparsed = parse_normalized(&name).unwrap_or_else(|e| {
            panic!("familiar_name() of {input:?} is {name:?}, which fails: {e}")
        });
        assert_eq!(
            (reparsed.domain(), reparsed.path()),
            (image.domain(), image.path()),
            "familiar_name() {name:?} of {input:?}"
        );
    }
    let _ = (image.default_pull_policy(), image.shape(), image.name());
}

/// Upstream's other familiar quirk: a Docker Hub path whose first component looks like a host
/// (`docker.io/ner.io/app`) is familiar as `ner.io/app`, which names the registry `ner.io`.
fn names_a_registry(image: &ImageReference<'_>, familiar: &str) -> bool {
    image.is_docker_hub()
        && familiar.split_once('/').is_some_and(|(first, _)| {
            first == "localhost" || first.contains(['.', ':']) || go_to_lower(first) != first
        })
}

#[track_caller]
fn assert_same(input: &str, what: &str, a: &ImageReference<'_>, b: &ImageReference<'_>) {
    assert_eq!(
        (a.domain(), a.path(), a.effective_tag(), a.digest()),
        (b.domain(), b.path(), b.effective_tag(), b.digest()),
        "{what} of {input:?} re-parses to another reference"
    );
}

/// An error: the offset is a character boundary within the input, the message is upstream's.
fn check_error(input: &str, error: &ReferenceError<'_>) {
    let offset = error.offset();
    assert!(
        offset <= input.len() && input.is_char_boundary(offset),
        "error offset {offset} of {input:?} ({} bytes)",
        input.len()
    );
    assert_eq!(error.input(), input);
    assert!(!error.to_string().is_empty(), "empty message for {input:?}");
    assert_eq!(error.message(), error.to_string());
    assert!(
        !error.hint().to_string().is_empty(),
        "empty hint for {input:?}"
    );
    assert!(!error.kind().as_str().is_empty());
}

/// imglint and upstream (the oracle) agree on validity, parts and message; the error offset is
/// the end of a viable prefix (nothing before it rules out every valid reference).
fn check_against_oracle(input: &str, ours: &Result<ImageReference<'_>, ReferenceError<'_>>) {
    let oracle = &*ORACLE;
    match (ours, oracle.parse_normalized(input)) {
        (Ok(image), Ok(parts)) => {
            assert_eq!(Parts::of(image), parts, "parts of {input:?}");
        }
        (Err(error), Err(message)) => {
            assert_eq!(error.to_string(), message, "error of {input:?}");
            let offset = error.offset();
            match error.kind() {
                ReferenceErrorKind::InvalidReferenceFormat => assert!(
                    oracle.is_viable_prefix(&input[..offset]),
                    "{input:?}: offset {offset} ({}) is past a dead prefix",
                    error.hint()
                ),
                ReferenceErrorKind::RepositoryNameMustBeLowercase => {
                    let c = input[offset..]
                        .chars()
                        .next()
                        .unwrap_or_else(|| panic!("{input:?}: upper case offset at the end"));
                    assert_ne!(
                        go_to_lower(&c.to_string()),
                        c.to_string(),
                        "{input:?}: the offset {offset} is not at an upper-case character"
                    );
                }
                _ => {}
            }
        }
        (ours, upstream) => panic!(
            "{input:?}: imglint {:?}, upstream {upstream:?}",
            ours.as_ref().map(Parts::of).map_err(ToString::to_string)
        ),
    }
    // `Parse`, without normalisation.
    let ours = reference::parse(input);
    if let Err(error) = &ours {
        check_error(input, error);
    }
    assert_eq!(
        ours.as_ref().map(Parts::of).map_err(ToString::to_string),
        oracle.parse(input),
        "Parse({input:?})"
    );
}

/// The parts Kubernetes uses (tags as effective tags), or the error message.
pub type Verdict = Result<(String, String, Option<String>, Option<String>), String>;

/// imglint's verdict: `ParseNormalizedNamed`'s parts, the tag as the effective tag.
pub fn imglint_verdict(input: &str) -> Verdict {
    parse_normalized(input)
        .map(|r| {
            (
                r.domain().to_owned(),
                r.path().into_owned(),
                r.effective_tag().map(str::to_owned),
                r.digest().map(str::to_owned),
            )
        })
        .map_err(|e| e.to_string())
}

/// oci-spec's verdict. It fills in `latest` as `ParseImageName` does: its tag is an effective
/// tag.
pub fn oci_spec_verdict(input: &str) -> Verdict {
    Reference::try_from(input)
        .map(|r| {
            (
                r.registry().to_owned(),
                r.repository().to_owned(),
                r.tag().map(str::to_owned),
                r.digest().map(str::to_owned),
            )
        })
        .map_err(|e| e.to_string())
}

fn check_against_oci_spec(input: &str) {
    let (ours, theirs) = (imglint_verdict(input), oci_spec_verdict(input));
    if ours == theirs {
        return;
    }
    let category = classify(input, &ours, &theirs).unwrap_or_else(|| {
        panic!("undocumented disagreement on {input:?}: imglint {ours:?}, oci-spec {theirs:?}")
    });
    assert!(
        CONFORMANCE_DOC.contains(&format!("`oci-spec:{category}`")),
        "category `oci-spec:{category}` ({input:?}) is not in docs/conformance.md"
    );
}

/// The documented reason for a disagreement with oci-spec (a category of docs/conformance.md),
/// or `None` if it is not understood. Shared with `core/tests/differential_oci_spec.rs`; the
/// oracle check above makes it sound: imglint is upstream, so a disagreement is oci-spec's.
pub fn classify(input: &str, ours: &Verdict, theirs: &Verdict) -> Option<&'static str> {
    let error_kind = parse_normalized(input).err().map(|e| e.kind());
    if input.is_empty() {
        return Some("empty-message");
    }
    // oci-spec's expression has no bracketed host, so it stops before upstream's later checks.
    if input.contains('[')
        && theirs
            .as_ref()
            .is_err_and(|e| e == "invalid reference format")
    {
        return Some("ipv6-registry");
    }
    if grammar::is_identifier(input) {
        return Some("hex-identifier");
    }
    if let Some((first, _)) = input.split_once('/')
        && first.chars().any(char::is_uppercase)
        && !first.contains(['.', ':'])
    {
        return Some("uppercase-host");
    }
    if ours.as_ref().is_ok_and(|(domain, ..)| domain.is_empty()) {
        return Some("path-like-host");
    }
    // The same deviation seen from the other side (found by this fuzz target): oci-spec takes
    // a first segment that is not a host (`8n_70.io`) for the registry, so it also leaves it
    // out of the 255-character limit that upstream applies to the whole path.
    if let (Some((first, _)), Ok((registry, ..))) = (input.split_once('/'), theirs)
        && registry == first
        && !grammar::is_domain(first)
    {
        return Some("path-like-host");
    }
    // Only the tag of oci-spec's expression takes non-ASCII (`\w`): if it matched at all, the
    // tag had some, whatever oci-spec's later checks say (found by this fuzz target: a long
    // path with the tag `tägs` is a format error upstream, a length error for oci-spec).
    if !input.is_ascii() && !matches!(theirs, Err(e) if e == "invalid reference format") {
        return Some("unicode-tag");
    }
    match (error_kind, theirs) {
        (Some(ReferenceErrorKind::DigestInvalidFormat), Ok(_)) => Some("uppercase-digest-hex"),
        (Some(ReferenceErrorKind::RepositoryNameMustBeLowercase), Err(_)) => {
            Some("uppercase-message")
        }
        (Some(ReferenceErrorKind::DigestInvalidFormat), Err(theirs))
            if theirs.contains("unsupported") =>
        {
            Some("unknown-algorithm-message")
        }
        _ => None,
    }
}

/// The other public parsers: no panic, valid offsets, and what they accept follows from
/// `parse_normalized`.
fn check_other_parsers(input: &str, normalized_ok: bool) {
    match reference::parse_docker_ref(input) {
        Ok(image) => {
            assert!(normalized_ok, "ParseDockerRef accepts {input:?}");
            if image.digest().is_some() {
                assert_eq!(
                    image.tag(),
                    None,
                    "ParseDockerRef keeps the tag of {input:?}"
                );
            }
        }
        Err(error) => {
            assert!(!normalized_ok, "ParseDockerRef rejects {input:?}");
            check_error(input, &error);
        }
    }
    match reference::parse_named(input) {
        Ok(image) => {
            assert!(normalized_ok, "ParseNamed accepts {input:?}");
            assert_eq!(
                image.to_string(),
                input,
                "ParseNamed of a non-canonical string"
            );
        }
        Err(error) => check_error(input, &error),
    }
    match reference::parse_any(input) {
        Ok(any) => {
            let _ = any.to_string();
        }
        Err(error) => {
            assert!(!normalized_ok, "ParseAnyReference rejects {input:?}");
            check_error(input, &error);
        }
    }
    match reference::with_name(input) {
        Ok(image) => {
            assert_eq!(image.tag(), None);
            assert_eq!(image.digest(), None);
            assert_eq!(image.to_string(), input, "WithName({input:?})");
        }
        Err(error) => check_error(input, &error),
    }
    let _ = grammar::is_domain(input);
    if let Some((domain, path)) = grammar::split_name(input) {
        let _ = (domain.len(), path.len());
    }
    if let Some((name, tag, digest)) = grammar::split_reference(input) {
        let _ = (name.len(), tag.map(str::len), digest.map(str::len));
    }
}
