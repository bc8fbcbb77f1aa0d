//! The subset of Markdown the rule docs use (headings, paragraphs, fenced code, inline code),
//! laid out for a terminal. Without colour the text stays readable Markdown-ish plain text.

use super::Style;

const BOLD: &str = "\x1b[1m";
const CODE: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

pub fn bold(text: &str, style: Style) -> String {
    if style.color {
        format!("{BOLD}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// Headings in bold, code blocks indented by four spaces, inline code in colour.
pub fn to_terminal(markdown: &str, style: Style) -> String {
    let mut out = String::with_capacity(markdown.len() + 256);
    let mut in_code_block = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code_block = !in_code_block;
            continue;
        }
        if in_code_block {
            out.push_str("    ");
            if style.color {
                out.push_str(CODE);
                out.push_str(line);
                out.push_str(RESET);
            } else {
                out.push_str(line);
            }
        } else if let Some(heading) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            out.push_str(&bold(heading, style));
        } else {
            out.push_str(&inline_code(line, style));
        }
        out.push('\n');
    }
    out
}

/// `code` spans in colour, their backticks dropped; kept as they are without colour.
fn inline_code(line: &str, style: Style) -> String {
    if !style.color {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 16);
    for (index, part) in line.split('`').enumerate() {
        if index % 2 == 1 {
            out.push_str(CODE);
            out.push_str(part);
            out.push_str(RESET);
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "## What it does\nReports `x`.\n\n## Example\n```yaml\nimage: nginx\n```\n";

    #[test]
    fn plain_text_keeps_backticks_and_indents_code() {
        assert_eq!(
            to_terminal(DOC, Style { color: false }),
            "What it does\nReports `x`.\n\nExample\n    image: nginx\n"
        );
    }

    #[test]
    fn colour_styles_headings_and_code() {
        let text = to_terminal(DOC, Style { color: true });
        assert!(text.starts_with("\x1b[1mWhat it does\x1b[0m\nReports \x1b[36mx\x1b[0m.\n"));
        assert!(text.contains("    \x1b[36mimage: nginx\x1b[0m\n"));
    }
}
