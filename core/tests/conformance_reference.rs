//! Every case of `conformance/reference.json`, produced by running distribution/reference
//! v0.6.0 (with go-digest v1.0.0) over its own test tables and derived edge cases.

mod common;

use common::{Mismatches, conformance, opt_str};
use imglint_core::reference::{
    self, AnyReference, ImageReference, ReferenceError, grammar, parse_any, parse_docker_ref,
    parse_named, parse_normalized, with_name,
};
use serde_json::Value;

const MIN_CASES: usize = 587;

/// What the conformance file records of a parse result.
#[derive(Debug, PartialEq)]
struct Outcome {
    ok: bool,
    error: Option<String>,
    error_kind: Option<String>,
    shape: Option<String>,
    string: Option<String>,
    name: Option<String>,
    domain: Option<String>,
    path: Option<String>,
    tag: Option<String>,
    digest: Option<String>,
}

impl Outcome {
    fn expected(value: &Value) -> Self {
        let s = |key: &str| opt_str(&value[key]).map(str::to_owned);
        Self {
            ok: value["ok"].as_bool().expect("ok"),
            error: s("error"),
            error_kind: s("error_kind"),
            shape: s("shape"),
            string: s("string"),
            name: s("name"),
            domain: s("domain"),
            path: s("path"),
            tag: s("tag"),
            digest: s("digest"),
        }
    }

    fn error(error: &ReferenceError<'_>) -> Self {
        Self {
            ok: false,
            error: Some(error.to_string()),
            error_kind: Some(error.kind().as_str().to_owned()),
            shape: None,
            string: None,
            name: None,
            domain: None,
            path: None,
            tag: None,
            digest: None,
        }
    }

    fn named(reference: &ImageReference<'_>) -> Self {
        Self {
            ok: true,
            error: None,
            error_kind: None,
            shape: Some(reference.shape().to_owned()),
            string: Some(reference.to_string()),
            name: Some(reference.name().to_string()),
            domain: Some(reference.domain().to_owned()),
            path: Some(reference.path().into_owned()),
            tag: reference.tag().map(str::to_owned),
            digest: reference.digest().map(str::to_owned),
        }
    }

    /// `ParseDockerRef` also applies `TagNameOnly`: a bare name gains the tag `latest`.
    fn docker_ref(reference: &ImageReference<'_>) -> Self {
        let mut outcome = Self::named(reference);
        if reference.has_implicit_tag() {
            outcome.shape = Some("name+tag".to_owned());
            outcome.string = Some(reference.normalized().to_string());
            outcome.tag = Some("latest".to_owned());
        }
        outcome
    }

    fn any(reference: &AnyReference<'_>) -> Self {
        match reference {
            AnyReference::Named(named) => Self::named(named),
            AnyReference::Identifier(_) | AnyReference::Digest(_) => Self {
                ok: true,
                error: None,
                error_kind: None,
                shape: Some("digest".to_owned()),
                string: Some(reference.to_string()),
                name: None,
                domain: None,
                path: None,
                tag: None,
                digest: Some(reference.to_string()),
            },
        }
    }

    fn of(result: Result<ImageReference<'_>, ReferenceError<'_>>) -> Self {
        result.map_or_else(|e| Self::error(&e), |r| Self::named(&r))
    }
}

#[test]
fn parse_normalized_named_matches_upstream_on_every_case() {
    let vectors = conformance("reference.json");
    let cases = vectors["cases"].as_array().unwrap();
    assert!(
        cases.len() >= MIN_CASES,
        "expected at least {MIN_CASES} cases, found {}",
        cases.len()
    );

    let mut mismatches = Mismatches::default();
    for case in cases {
        let input = case["input"].as_str().unwrap();
        let id = format!("{input:?}");
        let result = parse_normalized(input);
        mismatches.check(
            &id,
            "valid",
            result.is_ok(),
            case["valid"].as_bool().unwrap(),
        );
        match &result {
            Ok(image) => {
                let s = |key: &str| opt_str(&case[key]).map(str::to_owned);
                mismatches.check(&id, "domain", Some(image.domain().to_owned()), s("domain"));
                mismatches.check(&id, "path", Some(image.path().into_owned()), s("path"));
                mismatches.check(&id, "tag", image.tag().map(str::to_owned), s("tag"));
                mismatches.check(
                    &id,
                    "digest",
                    image.digest().map(str::to_owned),
                    s("digest"),
                );
                mismatches.check(&id, "name", Some(image.name().to_string()), s("name"));
                mismatches.check(&id, "string", Some(image.to_string()), s("string"));
                mismatches.check(
                    &id,
                    "familiar",
                    Some(image.familiar().to_string()),
                    s("familiar"),
                );
                let familiar_name = Some(image.familiar_name().to_string());
                mismatches.check(&id, "familiar_name", familiar_name, s("familiar_name"));
                let normalized = Some(image.normalized().to_string());
                mismatches.check(&id, "normalized", normalized, s("normalized"));
                // Spans slice back to the written parts.
                if let Some(span) = image.tag_span() {
                    mismatches.check(&id, "tag span", Some(span.slice(input)), image.tag());
                }
                if let Some(span) = image.digest_span() {
                    mismatches.check(&id, "digest span", Some(span.slice(input)), image.digest());
                }
            }
            Err(error) => {
                mismatches.check(
                    &id,
                    "error",
                    Some(error.to_string()),
                    opt_str(&case["error"]).map(str::to_owned),
                );
                mismatches.check(
                    &id,
                    "error_kind",
                    Some(error.kind().as_str()),
                    opt_str(&case["error_kind"]),
                );
                if error.offset() > input.len() || !input.is_char_boundary(error.offset()) {
                    mismatches.push(format!(
                        "{id}: offset {} is not a character boundary",
                        error.offset()
                    ));
                }
            }
        }

        // As a container's policy when none is written, through the rules' `ImageCheck`.
        let policy = common::effective_policy("containers", input, None);
        mismatches.check(
            &id,
            "default_pull_policy",
            policy.as_str(),
            case["default_pull_policy"].as_str().unwrap(),
        );

        // pkg/util/parsers.ParseImageName
        let k8s = &case["k8s_parse_image_name"];
        match &result {
            Ok(image) => {
                mismatches.check(
                    &id,
                    "k8s repo",
                    Some(image.name().to_string()),
                    opt_str(&k8s["repo"]).map(str::to_owned),
                );
                mismatches.check(&id, "k8s tag", image.effective_tag(), opt_str(&k8s["tag"]));
                mismatches.check(&id, "k8s digest", image.digest(), opt_str(&k8s["digest"]));
            }
            Err(error) => {
                let message = format!("couldn't parse image name {input:?}: {error}");
                mismatches.check(
                    &id,
                    "k8s error",
                    Some(message.as_str()),
                    opt_str(&k8s["error"]),
                );
            }
        }
    }
    mismatches.assert_none(cases.len());
}

#[test]
fn other_upstream_parsers_match_on_every_case() {
    let vectors = conformance("reference.json");
    let cases = vectors["cases"].as_array().unwrap();
    let mut mismatches = Mismatches::default();
    let mut checked = 0;
    for case in cases {
        let input = case["input"].as_str().unwrap();
        for (function, expected) in case["functions"].as_object().expect("functions") {
            let got = match function.as_str() {
                "Parse" => Outcome::of(reference::parse(input)),
                "ParseNamed" => Outcome::of(parse_named(input)),
                "WithName" => Outcome::of(with_name(input)),
                "ParseDockerRef" => parse_docker_ref(input)
                    .map_or_else(|e| Outcome::error(&e), |r| Outcome::docker_ref(&r)),
                "ParseAnyReference" => {
                    parse_any(input).map_or_else(|e| Outcome::error(&e), |r| Outcome::any(&r))
                }
                other => panic!("unknown function {other} in reference.json"),
            };
            mismatches.check(
                &format!("{function}({input:?})"),
                "outcome",
                got,
                Outcome::expected(expected),
            );
            checked += 1;
        }
    }
    assert!(
        checked >= MIN_CASES * 5,
        "only {checked} function results checked"
    );
    mismatches.assert_none(checked);
}

#[test]
fn regexp_tables_match_the_grammar() {
    let vectors = conformance("reference.json");
    let tables = &vectors["regexp_tables"];
    let mut mismatches = Mismatches::default();
    let mut checked = 0;
    let rows = |table: &str| {
        tables[table]["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("{table} rows"))
            .clone()
    };

    for row in rows("domain") {
        let input = row["input"].as_str().unwrap();
        mismatches.check(
            input,
            "domain match",
            grammar::is_domain(input),
            row["match"].as_bool().unwrap(),
        );
        checked += 1;
    }
    for row in rows("full_name") {
        let input = row["input"].as_str().unwrap();
        let got = grammar::split_name(input)
            .map(|(domain, path)| vec![domain.to_owned(), path.to_owned()]);
        check_row(&mut mismatches, input, "full name", got, &row);
        checked += 1;
    }
    for row in rows("reference") {
        let input = row["input"].as_str().unwrap();
        let got = grammar::split_reference(input).map(|(name, tag, digest)| {
            vec![
                name.to_owned(),
                tag.unwrap_or("").to_owned(),
                digest.unwrap_or("").to_owned(),
            ]
        });
        check_row(&mut mismatches, input, "reference", got, &row);
        checked += 1;
    }
    for row in rows("identifier") {
        let input = row["input"].as_str().unwrap();
        mismatches.check(
            input,
            "identifier",
            grammar::is_identifier(input),
            row["match"].as_bool().unwrap(),
        );
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} regexp rows");
    mismatches.assert_none(checked);
}

/// A regexp table row: whether it matches and, when the table lists them, the submatches.
fn check_row(
    mismatches: &mut Mismatches,
    input: &str,
    what: &str,
    got: Option<Vec<String>>,
    row: &Value,
) {
    mismatches.check(input, what, got.is_some(), row["match"].as_bool().unwrap());
    if let (Some(got), Some(subs)) = (got, row["subs"].as_array()) {
        let expected: Vec<String> = subs
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        mismatches.check(input, what, got, expected);
    }
}

#[test]
fn api_tables_match() {
    let vectors = conformance("reference.json");
    let tables = &vectors["api_tables"];
    let mut mismatches = Mismatches::default();

    // TestSerialization: Field.UnmarshalText is Parse.
    for row in tables["serialization"]["rows"].as_array().unwrap() {
        let input = row["input"].as_str().unwrap();
        match reference::parse(input) {
            Ok(reference) => {
                mismatches.check(
                    input,
                    "name",
                    Some(reference.name().to_string()),
                    opt_str(&row["name"]).map(str::to_owned),
                );
                mismatches.check(input, "tag", reference.tag(), opt_str(&row["tag"]));
                mismatches.check(input, "digest", reference.digest(), opt_str(&row["digest"]));
            }
            Err(error) => {
                mismatches.check(
                    input,
                    "error",
                    Some(error.to_string()),
                    opt_str(&row["error"]).map(str::to_owned),
                );
            }
        }
    }

    // TestParseReferenceWithTagAndDigest
    for row in tables["tag_and_digest"]["rows"].as_array().unwrap() {
        let input = row["input"].as_str().unwrap();
        let reference = parse_normalized(input).unwrap();
        mismatches.check(
            input,
            "string",
            reference.to_string(),
            row["string"].as_str().unwrap().to_owned(),
        );
        mismatches.check(
            input,
            "familiar",
            reference.familiar().to_string(),
            row["familiar_string"].as_str().unwrap().to_owned(),
        );
        mismatches.check(
            input,
            "tagged",
            reference.tag().is_some(),
            row["is_named_tagged"].as_bool().unwrap(),
        );
        mismatches.check(
            input,
            "canonical",
            reference.digest().is_some(),
            row["is_canonical"].as_bool().unwrap(),
        );
    }
    mismatches.assert_none(5);
}
