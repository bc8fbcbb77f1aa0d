//! The registry: every rule, one file each, with its documentation as its doc comment.
//!
//! `RULES` lists every rule in code order. A rule reads the model (never raw text) through the
//! hooks of [`Rule`] (`rule.rs`) and reports through [`Context`] (`context.rs`); the engine
//! (`lint.rs`) decides which rules run and at which severity. A rule's file imports those two
//! modules and [`crate::rule_meta`], never this one.

pub mod catalogue;
pub mod context;
pub mod rule;

mod always_pull_images_disabled;
mod deprecated_registry;
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
pub(crate) mod too_many_findings;
pub(crate) mod unused_suppression;

pub use context::{Context, ImageCheck, ObjectCheck, PodPullSecret, Workload, WrittenPolicy};
pub use rule::{Declared, Rule};

pub use crate::rule_meta::{Category, RuleMeta};

/// Every rule, in code order.
pub static RULES: &[&dyn Rule] = &[
    &manifest_syntax_error::ManifestSyntaxError,
    &invalid_object_shape::InvalidObjectShape,
    &unused_suppression::UnusedSuppression,
    &too_many_findings::TooManyFindings,
    &invalid_image_reference::InvalidImageReference,
    &implicit_latest_tag::ImplicitLatestTag,
    &latest_tag::LatestTag,
    &image_not_pinned_by_digest::ImageNotPinnedByDigest,
    &tag_and_digest::TagAndDigest,
    &short_image_name::ShortImageName,
    &deprecated_registry::DeprecatedRegistry,
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

/// The rule with this code.
pub fn by_code(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

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
