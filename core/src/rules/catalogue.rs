//! The rule catalogue as data (`imglint rules --format json`, the wasm `rules()`) and as the
//! generated Markdown pages under `docs/rules/`. Both come from the rules' doc comments.

use serde::Serialize;

use super::RULES;
use crate::rule_meta::RuleMeta;
use crate::rule_meta::Severity;

/// One rule, as the catalogue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleEntry {
    pub code: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    /// The severity it reports at when it runs.
    pub severity: Severity,
    /// `false` for rules that run only when selected.
    pub enabled_by_default: bool,
    pub fixable: bool,
    /// The first sentence of "What it does".
    pub summary: String,
    /// The whole doc comment, Markdown.
    pub documentation: String,
    pub url: String,
}

impl RuleEntry {
    pub fn new(rule: &RuleMeta) -> Self {
        Self {
            code: rule.code,
            name: rule.name,
            category: rule.category.as_str(),
            severity: rule.severity,
            enabled_by_default: rule.enabled_by_default,
            fixable: rule.fixable,
            summary: rule.first_sentence(),
            documentation: rule.documentation(),
            url: rule.url(),
        }
    }
}

/// Every rule, in code order.
pub fn catalogue() -> Vec<RuleEntry> {
    RULES
        .iter()
        .map(|rule| RuleEntry::new(rule.meta()))
        .collect()
}

/// A rule by code (any case) or name; otherwise the closest code or name, if one is close.
///
/// # Errors
/// No such rule: the suggestion, if any.
pub fn find(query: &str) -> Result<&'static RuleMeta, Option<&'static str>> {
    let query = query.trim();
    if let Some(rule) = RULES
        .iter()
        .map(|rule| rule.meta())
        .find(|rule| rule.code.eq_ignore_ascii_case(query) || rule.name.eq_ignore_ascii_case(query))
    {
        return Ok(rule);
    }
    let known: Vec<&'static str> = RULES
        .iter()
        .flat_map(|rule| [rule.meta().code, rule.meta().name])
        .collect();
    Err(
        crate::config::file::closest(&query.to_ascii_uppercase(), &known)
            .or_else(|| crate::config::file::closest(&query.to_ascii_lowercase(), &known)),
    )
}

/// What the catalogue shows as the default: the severity, or `off`.
pub fn default_level(rule: &RuleMeta) -> &'static str {
    if rule.enabled_by_default {
        rule.severity.as_str()
    } else {
        "off"
    }
}

const GENERATED: &str =
    "<!-- Generated from the rule's doc comment by `scripts/generate-docs`. Do not edit. -->";

/// `docs/rules/IMGxxx.md`.
pub fn rule_page(rule: &RuleMeta) -> String {
    let source = rule.source.split('#').next().unwrap_or(rule.source);
    let fix = if rule.fixable {
        "available where the result is certain (`imglint lint --fix`)"
    } else {
        "none"
    };
    format!(
        "{GENERATED}\n\n# {code} {name}\n\n\
         | | |\n|---|---|\n\
         | Category | {category} |\n\
         | Default | {default} |\n\
         | Fix | {fix} |\n\
         | Source | [`{source}`](../../{source}) |\n\n\
         {docs}\n",
        code = rule.code,
        name = rule.name,
        category = rule.category,
        default = default_level(rule),
        docs = rule.documentation().trim_end(),
    )
}

/// `docs/rules/README.md`: the index.
pub fn index_page() -> String {
    format!(
        "{GENERATED}\n\n# Rules\n\n\
         Configure them in `.imglint.yaml` (`rules: {{IMG104: warning, IMG3: off}}`), select them with \
         `--select`/`--ignore`, suppress them on an object with the `imglint.dev/ignore` annotation.\n\n\
         {}\n{KUSTOMIZE}",
        rule_table("")
    )
}

/// How every rule reports what a Kustomize root renders (the CLI maps findings back, issue 16).
const KUSTOMIZE: &str = r#"## Kustomize

Every rule runs on what a Kustomize root renders, and reports where the value is written: a
resource file, the `images:` entry that set an image, a patch, or the root's kustomization
file. An overlay that sets `newTag: latest` on its base's image:

```console
$ cat overlays/staging/kustomization.yaml
resources:
- ../../base
images:
- name: registry.example.com/web
  newTag: latest
$ imglint lint base overlays
  ⚠ IMG103 image `registry.example.com/web:latest` uses the mutable tag `latest`
   ╭─[overlays/staging/kustomization.yaml:5:11]
 4 │ - name: registry.example.com/web
 5 │   newTag: latest
   ·           ───┬──
   ·              ╰── moves with every push
   ╰────
  help: pin a version tag or a digest
        rendered by `overlays/staging/kustomization.yaml`

Advice:
  ☞ the image as written, `registry.example.com/web:1.4`, before `images:` changes it
    ╭─[base/deploy.yaml:10:16]
  9 │       - name: web
 10 │         image: registry.example.com/web:1.4
    ·                ────────────────────────────
    ╰────
Found 1 problem (1 warning) in 3 files (1 object, 1 container).
```

Pull secret rules (IMG301-IMG306) resolve Secrets in the namespaces and under the names the
roots give them.
"#;

/// The table of every rule, each code linking to its page under `link_prefix`.
pub fn rule_table(link_prefix: &str) -> String {
    let mut table =
        String::from("| code | name | default | fix | what it reports |\n|---|---|---|---|---|\n");
    for rule in RULES.iter().map(|rule| rule.meta()) {
        table.push_str(&format!(
            "| [{code}]({link_prefix}{code}.md) | {name} | {default} | {fix} | {summary} |\n",
            code = rule.code,
            name = rule.name,
            default = default_level(rule),
            fix = if rule.fixable { "yes" } else { "" },
            summary = rule.first_sentence().replace('|', "\\|"),
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_one_sentence_summary() {
        for entry in catalogue() {
            assert!(
                entry.summary.ends_with('.'),
                "{}: {}",
                entry.code,
                entry.summary
            );
            assert!(
                entry.summary.len() < 260,
                "{}: {}",
                entry.code,
                entry.summary
            );
            assert!(!entry.summary.contains('\n'));
        }
    }

    #[test]
    fn rules_are_found_by_code_or_name_with_suggestions() {
        assert_eq!(find("img103").unwrap().name, "latest-tag");
        assert_eq!(find("latest-tag").unwrap().code, "IMG103");
        assert_eq!(find("IMG13"), Err(Some("IMG103")));
        assert_eq!(find("lattest-tag"), Err(Some("latest-tag")));
        assert_eq!(find("nothing-like-it"), Err(None));
    }

    #[test]
    fn a_page_has_the_header_and_the_docs() {
        let page = rule_page(RULES[6].meta());
        assert!(page.starts_with(GENERATED));
        assert!(page.contains("# IMG103 latest-tag\n"));
        assert!(page.contains(
            "| Source | [`core/src/rules/latest_tag.rs`](../../core/src/rules/latest_tag.rs) |"
        ));
        assert!(page.contains("## How to fix"));
    }
}
