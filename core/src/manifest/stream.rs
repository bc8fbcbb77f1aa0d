//! How kubectl cuts a YAML stream into documents: apimachinery's `util/yaml` `YAMLReader`,
//! which kubectl's resource builder reads files with before go-yaml sees any of them.
//!
//! The reader works on lines ending in `\n` (a file with only `\r` line ends is one line). A
//! line that starts with `---` ends the current document whatever it sits in (a block scalar,
//! a quoted string), and is not part of either document. Only white space or a comment may
//! follow the dashes: anything else (`--- {kind: Pod}`, `---x`, `----`) is an error,
//! `invalid Yaml document separator`, and kubectl reads nothing more of the file. `...` is no
//! separator here: go-yaml reads the first document of each piece and ignores whatever
//! follows its end marker.

use std::ops::Range;

/// One piece of a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// The text between two separator lines: what go-yaml is given.
    Document(Range<usize>),
    /// A `---` line with something other than a comment after it: the offset of what follows
    /// the dashes (never quoted in messages: it may be a Secret's data).
    BadSeparator(usize),
}

/// The pieces of `text`, in order. Pieces with nothing in them are left out. After a bad
/// separator, kubectl stops; imglint goes on with the next line as a new document, so that
/// the rest of the file is still linted.
pub(crate) fn split_documents(text: &str) -> Vec<Piece> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[line_start..])
            .map_or(bytes.len(), |at| line_start + at + 1);
        let line = &text[line_start..line_end];
        if let Some(rest) = line.strip_prefix("---") {
            if line_start > start {
                pieces.push(Piece::Document(start..line_start));
            }
            // Go's `strings.TrimSpace`: Unicode white space, as Rust's `trim` has it.
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                pieces.push(Piece::BadSeparator(line_start + 3));
            }
            start = line_end;
        }
        line_start = line_end;
    }
    if start < bytes.len() {
        pieces.push(Piece::Document(start..bytes.len()));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documents(text: &str) -> Vec<&str> {
        split_documents(text)
            .into_iter()
            .map(|piece| match piece {
                Piece::Document(range) => &text[range],
                Piece::BadSeparator(_) => "<bad>",
            })
            .collect()
    }

    #[test]
    fn separators_are_lines_starting_with_three_dashes() {
        assert_eq!(documents("a: 1\n---\nb: 2\n"), ["a: 1\n", "b: 2\n"]);
        assert_eq!(documents("---\na: 1\n--- # c\nb: 2"), ["a: 1\n", "b: 2"]);
        assert_eq!(
            documents("a: 1\n---  \t\r\nb: 2\n---\n"),
            ["a: 1\n", "b: 2\n"]
        );
        // `...` is go-yaml's business; ` ---` is content.
        assert_eq!(
            documents("a: 1\n...\nb: 2\n ---\n"),
            ["a: 1\n...\nb: 2\n ---\n"]
        );
        // Inside a block scalar too.
        assert_eq!(documents("a: |\n  x\n---\n  y\n"), ["a: |\n  x\n", "  y\n"]);
        // A file with only CR line ends is one line.
        assert_eq!(documents("a: 1\r---\rb: 2\r"), ["a: 1\r---\rb: 2\r"]);
    }

    #[test]
    fn anything_but_a_comment_after_the_dashes_is_an_error() {
        for (text, at) in [
            ("a: 1\n--- {kind: Pod}\nb: 2\n", 8),
            ("---x\n", 3),
            ("----\n", 3),
            ("---\rkind: Pod\r", 3),
        ] {
            let pieces = split_documents(text);
            assert!(
                pieces.contains(&Piece::BadSeparator(at)),
                "{text:?}: {pieces:?}"
            );
        }
        assert_eq!(documents("a\n---x\nb\n"), ["a\n", "<bad>", "b\n"]);
    }
}
