//! What input may not do to a terminal or a CI log.
//!
//! File names, the values rules quote (namespaces, pull secret names, Secret types, ignore
//! selectors, images, the API server's and upstream's texts about them), config keys, flag
//! values and I/O errors all come from outside. Printed as they are, an escape sequence in one
//! moves the cursor, retitles the window or hides text, and a line break starts a line of the
//! attacker's choosing, which a CI runner reads as a command (GitHub's `::error …::`). Every
//! such string goes through [`escape`] before a text face (human, github, standard error)
//! prints it; the JSON and SARIF reports carry the true strings, escaped by JSON itself
//! (`imglint_core::json::log_safe_json`). docs/architecture.md, "Control characters in
//! output", says what each face does.

use std::borrow::Cow;

/// `text` with what a terminal or a CI log would act on escaped:
///
/// - every control character (C0, DEL, C1) as Rust's `escape_debug` writes it: `\n`, `\r`,
///   `\t`, `\0`, `\u{1b}`; so a line break in input never breaks a line of output;
/// - the second `#` of a `##` before a letter or `[` as `\u{23}`: `##[error]`, `##vso[` and
///   `##teamcity[` open a command anywhere on a line for the GitHub, Azure Pipelines and
///   TeamCity runners.
///
/// Text without either is returned as it is (almost all of it).
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, true)
}

/// [`escape`], or with `controls` false only the `##` command prefixes (rendered output holds
/// the renderer's own line breaks and colours, which must stay).
fn escape_with(text: &str, controls: bool) -> Cow<'_, str> {
    let Some(first) = text.char_indices().find_map(|(at, c)| {
        let prefix = || text.as_bytes().get(at..at + 3).is_some_and(has_prefix);
        ((controls && c.is_control()) || (c == '#' && prefix())).then_some(at)
    }) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    // Whether the last character written is a `#` as it is (not escaped).
    let mut after_hash = false;
    for (at, c) in text[first..].char_indices() {
        let rest = &text[first + at + c.len_utf8()..];
        after_hash = if controls && c.is_control() {
            out.extend(c.escape_debug());
            false
        } else if c == '#' && after_hash && opens(rest) {
            out.push_str("\\u{23}");
            false
        } else {
            out.push(c);
            c == '#'
        };
    }
    Cow::Owned(out)
}

/// Whether `text` holds a `##` command prefix (a `##` before a letter or `[`).
fn has_prefix(text: &[u8]) -> bool {
    text.windows(3)
        .any(|w| w[0] == b'#' && w[1] == b'#' && (w[2].is_ascii_alphabetic() || w[2] == b'['))
}

/// Whether what follows `##` makes it a command prefix: a letter or `[`.
fn opens(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '[')
}

/// Rendered human output with no line that a CI runner would take for a command: miette wraps
/// long messages and help, so a `::` from input may start a line even though no line break
/// came with it, and GitHub's runner trims leading blanks before looking for `::`. The first
/// colon of such a line is written `\u{3a}`; `##` command prefixes (in code frames, which show
/// the file's own text) are escaped as [`escape`] does.
pub fn guard_lines(rendered: String) -> String {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    if !rendered.lines().any(starts_command) && !has_prefix(rendered.as_bytes()) {
        return rendered;
    }
    let mut out = String::with_capacity(rendered.len() + 16);
    for line in rendered.split_inclusive('\n') {
        let line = if starts_command(line) {
            let colon = line.len() - line.trim_start().len();
            Cow::Owned(format!("{}\\u{{3a}}{}", &line[..colon], &line[colon + 1..]))
        } else {
            Cow::Borrowed(line)
        };
        out.push_str(&escape_with(&line, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_as_rust_writes_them() {
        assert_eq!(escape("deploy/web.yaml"), "deploy/web.yaml");
        assert!(matches!(escape("a é ## b #[c"), Cow::Borrowed(_)));
        assert_eq!(
            escape("x\n::error file=a,line=1::forged\r\t\0.yaml"),
            "x\\n::error file=a,line=1::forged\\r\\t\\0.yaml"
        );
        assert_eq!(escape("\u{1b}]0;title\u{7}"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(
            escape("a\u{7f}b\u{9b}2J\u{85}"),
            "a\\u{7f}b\\u{9b}2J\\u{85}"
        );
        // Escaped text has no control character left, whatever it was.
        let every: String = ('\u{0}'..='\u{a0}').collect();
        assert!(!escape(&every).chars().any(char::is_control));
        // Quotes and backslashes are not controls.
        assert_eq!(escape(r#"a"b'c\d"#), r#"a"b'c\d"#);
    }

    #[test]
    fn log_command_prefixes_are_broken() {
        assert_eq!(escape("a ##[error]x"), "a #\\u{23}[error]x");
        assert_eq!(
            escape("##vso[task.setvariable]"),
            "#\\u{23}vso[task.setvariable]"
        );
        assert_eq!(escape("###[x"), "##\\u{23}[x");
        assert_eq!(escape("####[x"), "###\\u{23}[x");
        assert_eq!(escape("## Ports ##"), "## Ports ##");
        for text in ["##[", "###[", "#####vso[", "a##teamcity[", "##\u{1b}##["] {
            let escaped = escape(text);
            assert!(!escaped.contains("##["), "{escaped}");
            assert!(
                !escaped.contains("##v") && !escaped.contains("##t"),
                "{escaped}"
            );
        }
    }

    #[test]
    fn no_rendered_line_starts_a_workflow_command() {
        let rendered = "  × a\n  help: long text that miette wrapped\n        ::error::forged\n ::x\n │ ::fine\n  a::b\n".to_owned();
        assert_eq!(
            guard_lines(rendered),
            "  × a\n  help: long text that miette wrapped\n        \\u{3a}:error::forged\n \\u{3a}:x\n │ ::fine\n  a::b\n"
        );
        assert_eq!(
            guard_lines(" 7 │ # ##[error]x\n".to_owned()),
            " 7 │ # #\\u{23}[error]x\n"
        );
        let plain = "  × IMG103 `a:b`\n   ╭─[f.yaml:1:1]\n".to_owned();
        assert_eq!(guard_lines(plain.clone()), plain);
    }
}
