//! Scanning what names rather than holds content: directives (`%YAML`, `%TAG`), anchors and
//! aliases (`&a`, `*a`) and tags (`!!str`), by go-yaml v2's algorithm (`scannerc.go`).

use std::borrow::Cow;

use super::chars::{self, is_alpha, is_blank, is_uri};
use super::scanner::Scanner;
use super::token::{Problem, Tag, TagDirective, Token, TokenKind};

impl<'src> Scanner<'src> {
    /// `%YAML 1.1` or `%TAG !e! tag:example.com,2000:`, then the rest of the line
    /// (`yaml_parser_scan_directive`).
    pub(super) fn scan_directive(&mut self) -> Result<Token<'src>, Problem> {
        const CONTEXT: &str = "while scanning a directive";
        let start = self.pos;
        self.pos += 1;
        let from = self.pos;
        while is_alpha(self.at(0)) {
            self.pos += 1;
        }
        if self.pos == from {
            return Err(self.error(CONTEXT, "could not find expected directive name"));
        }
        if !self.is_blankz(0) {
            return Err(self.error(CONTEXT, "found unexpected non-alphabetical character"));
        }
        let kind = match &self.text[from..self.pos] {
            "YAML" => {
                self.skip_blanks();
                let major = self.scan_version_number()?;
                if self.at(0) != b'.' {
                    return Err(self.error(
                        "while scanning a %YAML directive",
                        "did not find expected digit or '.' character",
                    ));
                }
                self.pos += 1;
                let minor = self.scan_version_number()?;
                TokenKind::VersionDirective { major, minor }
            }
            "TAG" => {
                const CONTEXT: &str = "while scanning a %TAG directive";
                self.skip_blanks();
                let handle = self.scan_tag_handle(true)?;
                if !is_blank(self.at(0)) {
                    return Err(self.error(CONTEXT, "did not find expected whitespace"));
                }
                self.skip_blanks();
                let prefix = self.scan_tag_uri(true, None)?;
                if !self.is_blankz(0) {
                    return Err(
                        self.error(CONTEXT, "did not find expected whitespace or line break")
                    );
                }
                TokenKind::TagDirective(Box::new(TagDirective { handle, prefix }))
            }
            _ => return Err(self.error(CONTEXT, "found unknown directive name")),
        };
        let end = self.pos;
        self.finish_line(CONTEXT)?;
        Ok(Token { kind, start, end })
    }

    /// One or two digits (`yaml_parser_scan_version_directive_number`).
    fn scan_version_number(&mut self) -> Result<u8, Problem> {
        const CONTEXT: &str = "while scanning a %YAML directive";
        let mut value = 0u8;
        let mut length = 0;
        while self.at(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                return Err(self.error(CONTEXT, "found extremely long version number"));
            }
            value = value * 10 + (self.at(0) - b'0');
            self.pos += 1;
        }
        if length == 0 {
            return Err(self.error(CONTEXT, "did not find expected version number"));
        }
        Ok(value)
    }

    /// `&name` or `*name` (`yaml_parser_scan_anchor`).
    pub(super) fn scan_anchor(&mut self, alias: bool) -> Result<Token<'src>, Problem> {
        let start = self.pos;
        self.pos += 1;
        let from = self.pos;
        while is_alpha(self.at(0)) {
            self.pos += 1;
        }
        let end = self.pos;
        let ends_well = self.is_blankz(0)
            || matches!(
                self.at(0),
                b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'
            );
        if end == from || !ends_well {
            let context = if alias {
                "while scanning an alias"
            } else {
                "while scanning an anchor"
            };
            return Err(self.error(
                context,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let name = &self.text[from..end];
        let kind = if alias {
            TokenKind::Alias(name)
        } else {
            TokenKind::Anchor(name)
        };
        Ok(Token { kind, start, end })
    }

    /// `!<verbatim>`, `!handle!suffix`, `!suffix` or `!` (`yaml_parser_scan_tag`).
    pub(super) fn scan_tag(&mut self) -> Result<Token<'src>, Problem> {
        const CONTEXT: &str = "while scanning a tag";
        let start = self.pos;
        let (handle, suffix) = if self.at(1) == b'<' {
            self.pos += 2;
            let suffix = self.scan_tag_uri(false, None)?;
            if self.at(0) != b'>' {
                return Err(self.error(CONTEXT, "did not find the expected '>'"));
            }
            self.pos += 1;
            ("", suffix)
        } else {
            let handle = self.scan_tag_handle(false)?;
            if handle.len() > 1 && handle.ends_with('!') {
                (handle, self.scan_tag_uri(false, None)?)
            } else {
                // Not a handle after all: the start of the suffix of a `!suffix` tag.
                let suffix = self.scan_tag_uri(false, Some(start))?;
                if suffix.is_empty() {
                    ("", Cow::Borrowed("!"))
                } else {
                    ("!", suffix)
                }
            }
        };
        if !self.is_blankz(0) {
            return Err(self.error(CONTEXT, "did not find expected whitespace or line break"));
        }
        Ok(Token {
            kind: TokenKind::Tag(Box::new(Tag { handle, suffix })),
            start,
            end: self.pos,
        })
    }

    /// `!`, `!!` or `!name!` (`yaml_parser_scan_tag_handle`); in a tag, also `!name` (the
    /// start of a suffix).
    fn scan_tag_handle(&mut self, directive: bool) -> Result<&'src str, Problem> {
        let context = tag_context(directive);
        if self.at(0) != b'!' {
            return Err(self.error(context, "did not find expected '!'"));
        }
        let from = self.pos;
        self.pos += 1;
        while is_alpha(self.at(0)) {
            self.pos += 1;
        }
        if self.at(0) == b'!' {
            self.pos += 1;
        } else if directive && self.pos - from != 1 {
            return Err(self.error(context, "did not find expected '!'"));
        }
        Ok(&self.text[from..self.pos])
    }

    /// A tag's URI, `%`-escapes decoded (`yaml_parser_scan_tag_uri`). `head` is where a
    /// `!name` read as a handle started: its name is the first part of the URI.
    fn scan_tag_uri(
        &mut self,
        directive: bool,
        head: Option<usize>,
    ) -> Result<Cow<'src, str>, Problem> {
        let from = head.map_or(self.pos, |start| start + 1);
        let mut found = head.is_some();
        let mut decoded: Option<Vec<u8>> = None;
        while is_uri(self.at(0)) {
            if self.at(0) == b'%' {
                let buffer = decoded.get_or_insert_with(|| self.bytes[from..self.pos].to_vec());
                self.scan_uri_escapes(directive, buffer)?;
            } else {
                if let Some(buffer) = decoded.as_mut() {
                    buffer.push(self.at(0));
                }
                self.pos += 1;
            }
            found = true;
        }
        if !found {
            return Err(self.error(tag_context(directive), "did not find expected tag URI"));
        }
        Ok(match decoded {
            // Escapes may spell bytes that are not UTF-8; only core tags matter to imglint.
            Some(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
            None => Cow::Borrowed(&self.text[from..self.pos]),
        })
    }

    /// `%XX` escapes spelling one UTF-8 character (`yaml_parser_scan_uri_escapes`).
    fn scan_uri_escapes(&mut self, directive: bool, out: &mut Vec<u8>) -> Result<(), Problem> {
        let context = tag_context(directive);
        let mut remaining = None;
        loop {
            let octet = match (
                self.at(0),
                chars::hex_value(self.at(1)),
                chars::hex_value(self.at(2)),
            ) {
                (b'%', Some(high), Some(low)) => (high << 4 | low) as u8,
                _ => return Err(self.error(context, "did not find URI escaped octet")),
            };
            let left = match remaining {
                None => match chars::utf8_width(octet) {
                    0 => {
                        return Err(self.error(context, "found an incorrect leading UTF-8 octet"));
                    }
                    width => width,
                },
                Some(left) => {
                    if octet & 0xc0 != 0x80 {
                        return Err(self.error(context, "found an incorrect trailing UTF-8 octet"));
                    }
                    left
                }
            };
            out.push(octet);
            self.pos += 3;
            if left == 1 {
                return Ok(());
            }
            remaining = Some(left - 1);
        }
    }
}

/// The context of tag errors (`yaml_parser_set_scanner_tag_error`).
const fn tag_context(directive: bool) -> &'static str {
    if directive {
        "while parsing a %TAG directive"
    } else {
        "while parsing a tag"
    }
}
