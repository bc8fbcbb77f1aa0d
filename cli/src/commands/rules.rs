//! `imglint rules` (the catalogue) and `imglint rule CODE` (one rule's documentation).

use std::io::{self, Write};

use imglint_core::rules::catalogue::{self, RuleEntry};
use imglint_core::rules::{RULES, RuleMeta};

use super::Outcome;
use crate::args::{RuleArgs, RuleFormat, RulesArgs, RulesFormat};
use crate::render::escape::escape;
use crate::render::{Style, markdown};

pub fn list(args: &RulesArgs, out: &mut impl Write, style: Style) -> io::Result<Outcome> {
    match args.format {
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &catalogue::catalogue())?;
            writeln!(out)?;
        }
        RulesFormat::Human => write_table(out, style)?,
    }
    Ok(Outcome::Clean)
}

/// One line per rule; the summary wraps under itself.
fn write_table(out: &mut impl Write, style: Style) -> io::Result<()> {
    let rules: Vec<&RuleMeta> = RULES.iter().map(|rule| rule.meta()).collect();
    let name_width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
    let header = format!(
        "{:<6}  {:<name_width$}  {:<7}  {:<3}  what it reports",
        "code", "name", "default", "fix"
    );
    writeln!(out, "{}", markdown::bold(&header, style))?;
    let indent = 6 + 2 + name_width + 2 + 7 + 2 + 3 + 2;
    let width = terminal_width().saturating_sub(indent).max(30);
    for rule in rules {
        let summary = rule.first_sentence();
        let mut lines = wrap(&summary, width).into_iter();
        writeln!(
            out,
            "{:<6}  {:<name_width$}  {:<7}  {:<3}  {}",
            rule.code,
            rule.name,
            catalogue::default_level(rule),
            if rule.fixable { "yes" } else { "" },
            lines.next().unwrap_or_default()
        )?;
        for line in lines {
            writeln!(out, "{:indent$}{line}", "")?;
        }
    }
    writeln!(
        out,
        "\n`imglint rule CODE` shows a rule's documentation; `off` rules run when selected (`--select`)."
    )
}

pub fn show(args: &RuleArgs, out: &mut impl Write, style: Style) -> io::Result<Outcome> {
    let rule = match catalogue::find(&args.code) {
        Ok(rule) => rule,
        Err(suggestion) => {
            let mut message = format!("imglint: error: no rule `{}`", escape(&args.code));
            if let Some(suggestion) = suggestion {
                message.push_str(&format!("; did you mean `{suggestion}`?"));
            }
            writeln!(io::stderr(), "{message} (`imglint rules` lists them)")?;
            return Ok(Outcome::Error);
        }
    };
    match args.format {
        RuleFormat::Markdown => out.write_all(catalogue::rule_page(rule).as_bytes())?,
        RuleFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &RuleEntry::new(rule))?;
            writeln!(out)?;
        }
        RuleFormat::Human => {
            let title = format!("{} {}", rule.code, rule.name);
            writeln!(out, "{}", markdown::bold(&title, style))?;
            let fix = if rule.fixable { "available" } else { "none" };
            writeln!(
                out,
                "default: {} · category: {} · fix: {fix}\n",
                catalogue::default_level(rule),
                rule.category,
            )?;
            out.write_all(markdown::to_terminal(&rule.documentation(), style).as_bytes())?;
            writeln!(out, "\n{}", rule.url())?;
        }
    }
    Ok(Outcome::Clean)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .unwrap_or(100)
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("", 6), Vec::<String>::new());
        assert_eq!(wrap("toolongword x", 4), ["toolongword", "x"]);
    }
}
