//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request
//! (<https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions>).
//!
//! `::warning file=deploy/web.yaml,line=17,col=14,endLine=17,endColumn=26,title=IMG103::…`
//! Info findings are notices. Unreadable files are error annotations on the file. File names,
//! messages and help come from input: they are escaped ([`escape`]) before the toolkit's
//! escaping, so every finding is one line and one command, whatever the file holds.

use std::io::{self, Write};

use imglint_core::Severity;
use imglint_core::report::{FileError, FileReport};

use super::escape::escape;

/// Writes one file's findings as annotations.
pub fn write_file(out: &mut impl Write, file: &FileReport) -> io::Result<()> {
    for diagnostic in &file.diagnostics {
        let (start, end) = file.position(diagnostic.span);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // Input's line breaks are escaped as `\n` text; the one before `help:` is ours.
        let mut message = format!("{} ({})", escape(&diagnostic.message), diagnostic.rule.name);
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(&escape(help));
        }
        if !diagnostic.rendered_by.is_empty() {
            let roots: Vec<_> = diagnostic
                .rendered_by
                .iter()
                .map(|root| escape(root))
                .collect();
            message.push_str("\nrendered by ");
            message.push_str(&roots.join(", "));
        }
        if let Some(template) = &diagnostic.template {
            message.push_str("\nfrom the Helm template ");
            message.push_str(&escape(template));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&escape(file.name())),
            start.line,
            start.column,
            end.line,
            end.column,
            property(diagnostic.rule.code),
            data(&message)
        )?;
    }
    Ok(())
}

/// Unreadable files, as error annotations.
pub fn write_errors(out: &mut impl Write, errors: &[FileError]) -> io::Result<()> {
    for error in errors {
        writeln!(
            out,
            "::error file={},title=imglint::{}",
            property(&escape(&error.file)),
            data(&escape(&error.describe()))
        )?;
    }
    Ok(())
}

/// The escaping the runner undoes in a command's message (`escapeData` in actions/toolkit),
/// over text whose input parts went through [`escape`] (no control character is left but the
/// renderer's own line breaks, and no `##` command prefix).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The escaping of a property value (`escapeProperty`): also `:` and `,`, which delimit
/// properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
