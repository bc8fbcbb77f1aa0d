//! The rule catalogue: one file per rule, each with its documentation as its doc comment.
//!
//! `RULES` lists every rule in code order. A rule reads the model (never raw text) through the
//! hooks of [`Rule`] and reports through [`Context`]; the engine (`lint.rs`) decides which rules
//! run and at which severity.

pub mod catalogue;
mod context;

mod always_pull_images_disabled;
mod disallowed_registry;
mod duplicate_or_empty_pull_secret;
mod image_not_pinned_by_digest;
mod implicit_latest_tag;
mod implicit_pull_policy;
mod invalid_docker_config_secret;
mod invalid_image_reference;
pub(crate) mod invalid_object_shape;
mod invalid_pull_policy;
mod kubelet_skips_credential_check;
mod latest_tag;
mod legacy_dockercfg_secret;
pub(crate) mod manifest_syntax_error;
mod mutable_tag_without_always;
mod private_image_without_always;
mod private_registry_without_pull_secret;
mod pull_policy_never;
mod pull_secret_in_other_namespace;
mod pull_secret_not_found;
mod pull_secret_registry_mismatch;
mod pull_secret_wrong_type;
mod short_image_name;
mod tag_and_digest;
pub(crate) mod unused_suppression;

use std::fmt;

pub use context::{Context, ImageCheck, ObjectCheck, Workload, WrittenPolicy};

use crate::diagnostic::Severity;

/// Families of rules, by the hundreds digit of their code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// IMG0xx: the manifest itself.
    Input,
    /// IMG1xx: image references.
    Images,
    /// IMG2xx: pull policies.
    PullPolicy,
    /// IMG3xx: registries and pull secrets.
    Registries,
    /// IMG4xx: multi-tenant clusters.
    Tenancy,
}

impl Category {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Input => "input",
            Self::Images => "images",
            Self::PullPolicy => "pull-policy",
            Self::Registries => "registries",
            Self::Tenancy => "tenancy",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the catalogue says about a rule, built by `declare_rule!` in the rule's own file.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// The stable public code (`IMG103`).
    pub code: &'static str,
    /// kebab-case name (`latest-tag`).
    pub name: &'static str,
    pub category: Category,
    /// The severity it reports at when enabled without a configured one.
    pub severity: Severity,
    /// `false` for rules that run only when selected ("off" in the catalogue).
    pub enabled_by_default: bool,
    /// Whether it can offer a fix.
    pub fixable: bool,
    /// The rule's doc comment: What it does / Why is this bad? / Example / How to fix.
    pub docs: &'static str,
    /// Where the rule is defined, `core/src/rules/latest_tag.rs#L12`.
    pub source: &'static str,
}

impl RuleMeta {
    /// The doc comment as Markdown (the leading space of each `///` line removed).
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first paragraph of "What it does", as a one-line summary.
    pub fn summary(&self) -> String {
        let docs = self.documentation();
        let body = docs.split("## What it does").nth(1).unwrap_or_default();
        body.split("\n\n")
            .find(|p| !p.trim().is_empty())
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first sentence of "What it does", up to its first top-level colon (where the
    /// details start), for tables.
    pub fn first_sentence(&self) -> String {
        let summary = self.summary();
        let (mut in_code, mut depth) = (false, 0_i32);

        for (at, c) in summary.char_indices() {
            let next = summary[at + c.len_utf8()..].chars().next();
            match c {
                '`' => in_code = !in_code,
                '(' if !in_code => depth += 1,
                ')' if !in_code => depth -= 1,
                ':' if !in_code && depth == 0 && next == Some(' ') => {
                    return format!("{}.", &summary[..at]);
                }
                // "e.g. " and "i.e. " do not end a sentence.
                '.' if !in_code && depth == 0 && next == Some(' ') => {
                    let before = &summary[..at];
                    if !before.ends_with("e.g") && !before.ends_with("i.e") {
                        return summary[..=at].to_owned();
                    }
                }
                _ => {}
            }
        }
        summary
    }

    /// The body of one `## heading` section of the docs, trimmed.
    pub fn section(&self, heading: &str) -> Option<String> {
        let docs = self.documentation();
        let marker = format!("## {heading}\n");
        let start = docs.find(&marker)? + marker.len();
        let body = &docs[start..];
        let end = body.find("\n## ").unwrap_or(body.len());
        Some(body[..end].trim().to_owned())
    }

    /// Where the documentation lives online.
    pub fn url(&self) -> String {
        format!(
            "https://github.com/imglint/imglint/blob/main/docs/rules/{}.md",
            self.code
        )
    }
}

/// A rule: metadata plus the hooks it implements. Hooks it does not implement cost nothing.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Called for every image a pod pulls (containers of all kinds, image volumes).
    fn check_image(&self, _image: &ImageCheck<'_>, _ctx: &mut Context<'_>) {}

    /// Called for every object.
    fn check_object(&self, _object: &ObjectCheck<'_>, _ctx: &mut Context<'_>) {}
}

/// Declares a rule's type and its [`RuleMeta`], capturing the doc comment as its documentation
/// (after clippy's `declare_clippy_lint!`).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            category: $category:ident,
            severity: $severity:ident,
            default: $default:ident,
            fix: $fix:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Clone, Copy, Debug, Default)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $rule_name,
                category: $crate::rules::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                enabled_by_default: declare_rule!(@default $default),
                fixable: $fix,
                docs: concat!($($doc, "\n"),+),
                source: concat!(file!(), "#L", line!()),
            };
        }
    };
    (@default on) => { true };
    (@default off) => { false };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &manifest_syntax_error::ManifestSyntaxError,
    &invalid_object_shape::InvalidObjectShape,
    &unused_suppression::UnusedSuppression,
    &invalid_image_reference::InvalidImageReference,
    &implicit_latest_tag::ImplicitLatestTag,
    &latest_tag::LatestTag,
    &image_not_pinned_by_digest::ImageNotPinnedByDigest,
    &tag_and_digest::TagAndDigest,
    &short_image_name::ShortImageName,
    &implicit_pull_policy::ImplicitPullPolicy,
    &mutable_tag_without_always::MutableTagWithoutAlways,
    &pull_policy_never::PullPolicyNever,
    &invalid_pull_policy::InvalidPullPolicy,
    &pull_secret_not_found::PullSecretNotFound,
    &pull_secret_in_other_namespace::PullSecretInOtherNamespace,
    &pull_secret_wrong_type::PullSecretWrongType,
    &invalid_docker_config_secret::InvalidDockerConfigSecret,
    &pull_secret_registry_mismatch::PullSecretRegistryMismatch,
    &private_registry_without_pull_secret::PrivateRegistryWithoutPullSecret,
    &disallowed_registry::DisallowedRegistry,
    &duplicate_or_empty_pull_secret::DuplicateOrEmptyPullSecret,
    &legacy_dockercfg_secret::LegacyDockercfgSecret,
    &always_pull_images_disabled::AlwaysPullImagesDisabled,
    &private_image_without_always::PrivateImageWithoutAlways,
    &kubelet_skips_credential_check::KubeletSkipsCredentialCheck,
];

/// A value as messages quote it: escaped, and cut short when very long (a value may be a
/// megabyte of text).
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 100;
    // Almost every value is short printable ASCII that `escape_debug` leaves alone: copy it
    // instead of escaping it character by character (the same text, a tenth of the work).
    if value.len() <= MAX
        && value
            .bytes()
            .all(|b| b == b' ' || (b.is_ascii_graphic() && !matches!(b, b'\\' | b'\'' | b'"')))
    {
        return value.to_owned();
    }
    let escaped: String = value.escape_debug().collect();
    match escaped.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &escaped[..cut]),
        None => escaped,
    }
}

/// The rule with this code.
pub fn by_code(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_fast_path_is_escape_debug() {
        let slow = |value: &str| {
            let escaped: String = value.escape_debug().collect();
            match escaped.char_indices().nth(100) {
                Some((cut, _)) => format!("{}…", &escaped[..cut]),
                None => escaped,
            }
        };
        for byte in 0..=0x7f_u8 {
            let one = char::from(byte).to_string();
            assert_eq!(shown(&one), slow(&one), "{byte:#x}");
            let around = format!("nginx:1.{one}27");
            assert_eq!(shown(&around), slow(&around), "{byte:#x}");
        }
        for value in [
            "a".repeat(100),
            "a".repeat(101),
            "é".repeat(60),
            "x y".into(),
        ] {
            assert_eq!(shown(&value), slow(&value));
        }
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn codes_match_categories_and_names_are_kebab_case() {
        for rule in RULES {
            let meta = rule.meta();
            assert!(
                meta.code.len() == 6 && meta.code.starts_with("IMG"),
                "{}",
                meta.code
            );
            let family = match meta.category {
                Category::Input => '0',
                Category::Images => '1',
                Category::PullPolicy => '2',
                Category::Registries => '3',
                Category::Tenancy => '4',
            };
            assert_eq!(meta.code.as_bytes()[3] as char, family, "{}", meta.code);
            assert!(
                meta.name.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{} is not kebab-case",
                meta.name
            );
        }
    }

    #[test]
    fn docs_have_the_four_sections_in_order() {
        for rule in RULES {
            let docs = rule.meta().documentation();
            let mut last = 0;
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                let at = docs
                    .find(section)
                    .unwrap_or_else(|| panic!("{}: no `{section}`", rule.meta().code));
                assert!(at >= last, "{}: `{section}` out of order", rule.meta().code);
                last = at;
            }
            assert!(!rule.meta().summary().is_empty());
        }
    }

    #[test]
    fn every_rule_has_a_file_named_after_it() {
        for rule in RULES {
            let meta = rule.meta();
            let file = format!("{}.rs", meta.name.replace('-', "_"));
            assert!(
                meta.source.contains(&file),
                "{} is declared in {}, not {file}",
                meta.code,
                meta.source
            );
        }
    }
}
