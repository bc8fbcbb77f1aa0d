//! What the catalogue says about a rule: its code, name, family, default severity and
//! documentation. A leaf: the diagnostic type, the config model and the rules all read it, and it
//! reads none of them.

use std::fmt;

use serde::Serialize;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "info" => Some(Self::Info),
            "warning" => Some(Self::Warning),
            "error" => Some(Self::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
