//! Each rule's documentation is its doc comment, and its examples are tests (as biome's
//! `rules_check`): the `## Example` block must raise that rule, the block under `## How to fix`
//! must not.

use imglint_core::config::{RuleSelector, SecretsCompleteness, Tenancy};
use imglint_core::rules::RULES;
use imglint_core::{Config, lint_text};

/// The first ```yaml block after `heading`.
fn yaml_block<'d>(docs: &'d str, heading: &str) -> Option<&'d str> {
    let section = &docs[docs.find(heading)?..];
    let start = section.find("```yaml\n")? + "```yaml\n".len();
    let end = section[start..].find("```")?;
    Some(&section[start..start + end])
}

/// Examples run with the settings that make every rule active: a multi-tenant cluster, a
/// complete set of Secrets, and one allowed registry (the docs' examples say so where it
/// matters).
fn codes(code: &str, yaml: &str) -> Vec<&'static str> {
    let config = Config {
        select: Some(vec![RuleSelector::parse(code).unwrap()]),
        tenancy: Tenancy::Multi,
        secrets: SecretsCompleteness::Complete,
        allowed_registries: vec!["registry.example.com".to_owned()],
        ..Config::default()
    };
    lint_text("example.yaml", yaml, &config)
        .diagnostics()
        .map(|(_, d)| d.rule.code)
        .collect()
}

#[test]
fn examples_raise_their_rule_and_fixes_do_not() {
    for rule in RULES {
        let meta = rule.meta();
        let docs = meta.documentation();
        let example = yaml_block(&docs, "## Example")
            .unwrap_or_else(|| panic!("{}: no yaml example", meta.code));
        let fixed = yaml_block(&docs, "## How to fix")
            .unwrap_or_else(|| panic!("{}: no fixed yaml", meta.code));
        let raised = codes(meta.code, example);
        assert!(
            !raised.is_empty(),
            "{}: its example raises nothing",
            meta.code
        );
        assert!(
            raised.iter().all(|&c| c == meta.code),
            "{}: example raises {raised:?}",
            meta.code
        );
        assert_eq!(
            codes(meta.code, fixed),
            Vec::<&str>::new(),
            "{}: the fixed example still raises it",
            meta.code
        );
    }
}
