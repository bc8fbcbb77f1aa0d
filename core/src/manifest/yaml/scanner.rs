//! The scanner: a chunk's text into tokens, by go-yaml v2's algorithm (`scannerc.go`).
//!
//! Tokens are fetched lazily into a queue, only as far as the parser needs them, except that a
//! token which may turn out to be a simple key (`key: value`, where the `:` comes later) is held
//! back until that is known: the scanner then inserts `KEY` (and `BLOCK-MAPPING-START`) before
//! it. Block structure comes from the indentation stack (`BLOCK-*-START` when a column grows,
//! `BLOCK-END` when it shrinks); inside `[ ]` and `{ }` (the flow level) indentation means
//! nothing. Which tokens get scanned, and so which error is found first, matches go-yaml's.
//!
//! The scanner reads bytes of the `&str`; scalars borrow from it when their value is a stretch of
//! the text. Offsets are bytes; columns count characters, as go-yaml's marks do. Scalars are
//! scanned in `scalars.rs`, directives, anchors and tags in `tags.rs`.

use std::collections::VecDeque;

use super::chars::{self, is_blank};
use super::token::{Problem, Token, TokenKind};

use crate::limits::YAML_MAX_DEPTH as MAX_DEPTH;

const DEPTH_PROBLEM: &str = "exceeded max depth of 10000";
const _: () = assert!(MAX_DEPTH == 10_000, "DEPTH_PROBLEM names the limit");

/// A position: its byte offset, where its line starts, and its column in characters.
#[derive(Clone, Copy, Debug, Default)]
struct Mark {
    pos: usize,
    line_start: usize,
    column: usize,
}

/// A token that may be the key of a `key: value` pair (`yaml_simple_key_t`), one per flow level.
#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    /// In the block context at the indentation column: there must be a `:` after it.
    required: bool,
    /// The number the token has among all tokens (`tokens_parsed` counts from 0).
    token_number: usize,
    mark: Mark,
}

/// go-yaml's map from token number to the flow level of its possible simple key
/// (`simple_keys_by_tok`), kept exactly as go-yaml keeps it, stale entries included: it decides
/// how far ahead tokens are scanned, and so which of two errors is reported. Only the number of
/// the token at the head of the queue is ever looked up, and it only grows, so the map is a
/// slot per token from the head on.
#[derive(Default)]
struct KeysByToken {
    /// The slot of the token at the head of the queue comes first.
    levels: VecDeque<Option<usize>>,
    /// The number of that token (`tokens_parsed`).
    first: usize,
}

impl KeysByToken {
    fn insert(&mut self, number: usize, level: usize) {
        let Some(at) = number.checked_sub(self.first) else {
            return;
        };
        while self.levels.len() <= at {
            self.levels.push_back(None);
        }
        self.levels[at] = Some(level);
    }

    fn remove(&mut self, number: usize) {
        let slot = number
            .checked_sub(self.first)
            .and_then(|at| self.levels.get_mut(at));
        if let Some(slot) = slot {
            *slot = None;
        }
    }

    /// The entry of the token at the head of the queue.
    fn head(&self) -> Option<usize> {
        self.levels.front().copied().flatten()
    }

    /// The head token went to the parser: its number is never looked up again.
    fn advance(&mut self) {
        self.levels.pop_front();
        self.first += 1;
    }
}

/// The line breaks between two lines of a scalar, as YAML reads them (`\n`, or LS and PS):
/// the first, and those of the empty lines after it. Kept by the scanner from scalar to scalar,
/// so that reading them does not allocate; `scalars.rs` fills and folds them.
#[derive(Debug, Default)]
pub(super) struct Breaks {
    pub(super) leading: String,
    pub(super) trailing: String,
}

impl Breaks {
    pub(super) fn clear(&mut self) {
        self.leading.clear();
        self.trailing.clear();
    }
}

pub(super) struct Scanner<'src> {
    pub(super) text: &'src str,
    pub(super) bytes: &'src [u8],
    /// The next byte to scan (go-yaml's `mark.index`, in bytes).
    pub(super) pos: usize,
    /// Where the current line starts.
    pub(super) line_start: usize,
    /// A position on the current line and its column: columns are counted from there, so a long
    /// line costs its length once, not once per token.
    known_column: (usize, usize),
    tokens: VecDeque<Token<'src>>,
    /// Tokens handed to the parser so far.
    tokens_parsed: usize,
    token_available: bool,
    stream_start_produced: bool,
    /// The column of the innermost block collection; -1 at the top.
    pub(super) indent: isize,
    indents: Vec<isize>,
    pub(super) flow_level: usize,
    pub(super) simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    keys_by_token: KeysByToken,
    pub(super) breaks: Breaks,
}

impl<'src> Scanner<'src> {
    pub(super) fn new(text: &'src str) -> Self {
        let mut scanner = Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line_start: 0,
            known_column: (0, 0),
            tokens: VecDeque::with_capacity(16),
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            indent: -1,
            indents: Vec::with_capacity(16),
            flow_level: 0,
            simple_key_allowed: false,
            simple_keys: Vec::with_capacity(16),
            keys_by_token: KeysByToken::default(),
            breaks: Breaks::default(),
        };
        scanner.reset(text);
        scanner
    }

    /// Starts over on `text`, keeping the buffers.
    pub(super) fn reset(&mut self, text: &'src str) {
        // The reader skips a byte order mark (`yaml_parser_determine_encoding`).
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        self.text = text;
        self.bytes = text.as_bytes();
        self.pos = start;
        self.line_start = start;
        self.known_column = (start, 0);
        self.tokens.clear();
        self.tokens_parsed = 0;
        self.token_available = false;
        self.stream_start_produced = false;
        self.indent = -1;
        self.indents.clear();
        self.flow_level = 0;
        self.simple_key_allowed = false;
        self.simple_keys.clear();
        self.keys_by_token.levels.clear();
        self.keys_by_token.first = 0;
    }

    // ---- Reading the text ----

    /// The byte `ahead` bytes on, or 0 past the end (go-yaml's reader appends a NUL).
    #[inline]
    pub(super) fn at(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    #[inline]
    pub(super) fn is_break(&self, ahead: usize) -> bool {
        chars::break_len(self.bytes, self.pos + ahead) != 0
    }

    /// A line break or the end (`is_breakz`).
    #[inline]
    pub(super) fn is_breakz(&self, ahead: usize) -> bool {
        self.at(ahead) == 0 || self.is_break(ahead)
    }

    /// A blank, a line break or the end (`is_blankz`).
    #[inline]
    pub(super) fn is_blankz(&self, ahead: usize) -> bool {
        is_blank(self.at(ahead)) || self.is_breakz(ahead)
    }

    /// At the start of a line, `---` or `...` followed by a blank, a break or the end.
    pub(super) fn at_document_indicator(&self) -> bool {
        self.pos == self.line_start
            && matches!(
                self.bytes.get(self.pos..self.pos + 3),
                Some(b"---" | b"...")
            )
            && self.is_blankz(3)
    }

    /// Skips one character.
    pub(super) fn skip(&mut self) {
        self.pos += chars::utf8_width(self.at(0)).max(1);
    }

    /// Skips to the next line break or the end (a comment, the rest of a line).
    pub(super) fn skip_to_break(&mut self) {
        self.skip_run(&chars::LINE_STOP);
    }

    /// Moves on over bytes that are characters of their own (spaces, tabs, indicators): the
    /// column moves as much.
    pub(super) fn advance_ascii(&mut self, to: usize) {
        if self.known_column.0 == self.pos {
            self.known_column = (to, self.known_column.1 + (to - self.pos));
        }
        self.pos = to;
    }

    /// Skips a line break, CR LF counting as one (`skip_line`).
    pub(super) fn skip_line(&mut self) {
        if self.at(0) == b'\r' && self.at(1) == b'\n' {
            self.pos += 2;
        } else {
            let len = chars::break_len(self.bytes, self.pos);
            if len == 0 {
                return;
            }
            self.pos += len;
        }
        self.new_line();
    }

    /// Skips a line break and appends it to `out` as YAML reads it: CR, LF, CR LF and NEL
    /// become `\n`, LS and PS stay (`read_line`). Nothing happens elsewhere.
    pub(super) fn read_line(&mut self, out: &mut String) {
        let len = match (self.at(0), self.at(1)) {
            (b'\r', b'\n') => 2,
            _ => chars::break_len(self.bytes, self.pos),
        };
        match len {
            0 => return,
            3 => out.push_str(&self.text[self.pos..self.pos + 3]),
            _ => out.push('\n'),
        }
        self.pos += len;
        self.new_line();
    }

    fn new_line(&mut self) {
        self.line_start = self.pos;
        self.known_column = (self.pos, 0);
    }

    /// The column of the current position, in characters.
    pub(super) fn column(&mut self) -> usize {
        if self.known_column.0 == self.pos {
            return self.known_column.1;
        }
        let (from, column) = match self.known_column {
            (at, column) if at >= self.line_start && at <= self.pos => (at, column),
            _ => (self.line_start, 0),
        };
        let column = column + chars::count_chars(&self.bytes[from..self.pos]);
        self.known_column = (self.pos, column);
        column
    }

    fn mark(&mut self) -> Mark {
        Mark {
            pos: self.pos,
            line_start: self.line_start,
            column: self.column(),
        }
    }

    /// A scanner error points at the current position (`yaml_parser_set_scanner_error`).
    pub(super) fn error(&self, context: &'static str, problem: &'static str) -> Problem {
        Problem::new(self.pos, context, problem)
    }

    /// The end of a directive's or a block scalar header's line: blanks, a comment, then a
    /// line break or the end of the text, which is consumed.
    pub(super) fn finish_line(&mut self, context: &'static str) -> Result<(), Problem> {
        self.skip_blanks();
        if self.at(0) == b'#' {
            self.skip_to_break();
        }
        if !self.is_breakz(0) {
            return Err(self.error(context, "did not find expected comment or line break"));
        }
        self.skip_line();
        Ok(())
    }

    // ---- The token queue, as the parser sees it ----

    /// The next token, scanning as far as go-yaml would (`peek_token`).
    pub(super) fn peek(&mut self) -> Result<&Token<'src>, Problem> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        self.tokens
            .front()
            .ok_or_else(|| Problem::new(self.pos, "", "unknown problem parsing YAML content"))
    }

    /// Takes the token [`Self::peek`] returned (`skip_token`).
    pub(super) fn take(&mut self) -> Token<'src> {
        self.token_available = false;
        self.tokens_parsed += 1;
        self.keys_by_token.advance();
        self.tokens.pop_front().unwrap_or(Token {
            kind: TokenKind::StreamEnd,
            start: self.pos,
            end: self.pos,
        })
    }

    /// Fetches tokens until the head of the queue cannot be a simple key any more
    /// (`yaml_parser_fetch_more_tokens`).
    fn fetch_more_tokens(&mut self) -> Result<(), Problem> {
        loop {
            if !self.tokens.is_empty() {
                let Some(level) = self.keys_by_token.head() else {
                    break;
                };
                if !self.simple_key_is_valid(level)? {
                    break;
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn push(&mut self, kind: TokenKind<'src>, start: usize, end: usize) {
        self.tokens.push_back(Token { kind, start, end });
    }

    /// Inserts a token where token number `number` is in the queue; appends it when there is
    /// no number or the number is already past (`yaml_insert_token` with a negative position).
    fn insert(&mut self, number: Option<usize>, token: Token<'src>) {
        match number.and_then(|n| n.checked_sub(self.tokens_parsed)) {
            Some(at) if at <= self.tokens.len() => self.tokens.insert(at, token),
            _ => self.tokens.push_back(token),
        }
    }

    /// Scans the next token (`yaml_parser_fetch_next_token`).
    fn fetch_next_token(&mut self) -> Result<(), Problem> {
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        self.scan_to_next_token();
        if self.flow_level == 0 {
            let column = self.column();
            self.unroll_indent(column as isize);
        }
        let byte = self.at(0);
        if byte == 0 {
            return self.fetch_stream_end();
        }
        if self.pos == self.line_start && byte == b'%' {
            return self.fetch_directive();
        }
        if self.at_document_indicator() {
            let kind = if byte == b'-' {
                TokenKind::DocumentStart
            } else {
                TokenKind::DocumentEnd
            };
            return self.fetch_document_indicator(kind);
        }
        let flow = self.flow_level > 0;
        match byte {
            b'[' => self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            b'}' => self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            b',' => self.fetch_flow_entry(),
            b'-' if self.is_blankz(1) => self.fetch_block_entry(),
            b'?' if flow || self.is_blankz(1) => self.fetch_key(),
            b':' if flow || self.is_blankz(1) => self.fetch_value(),
            b'*' => self.fetch_anchor(true),
            b'&' => self.fetch_anchor(false),
            b'!' => self.fetch_tag(),
            b'|' if !flow => self.fetch_block_scalar(true),
            b'>' if !flow => self.fetch_block_scalar(false),
            b'\'' => self.fetch_flow_scalar(true),
            b'"' => self.fetch_flow_scalar(false),
            _ if self.can_start_plain_scalar() => self.fetch_plain_scalar(),
            _ => Err(self.error(
                "while scanning for the next token",
                "found character that cannot start any token",
            )),
        }
    }

    /// Whether a plain scalar may start here: not at an indicator, except `-` before a
    /// non-blank, and `?` or `:` before a non-blank in the block context.
    fn can_start_plain_scalar(&self) -> bool {
        let byte = self.at(0);
        let indicator = chars::INDICATOR[byte as usize] || self.is_blankz(0);
        !indicator
            || (byte == b'-' && !is_blank(self.at(1)))
            || (self.flow_level == 0 && matches!(byte, b'?' | b':') && !self.is_blankz(1))
    }

    /// Skips spaces, comments and line breaks (`yaml_parser_scan_to_next_token`). Tabs count
    /// as spaces only in the flow context and where a simple key cannot start, so a tab that
    /// indents a block line is an error.
    ///
    /// go-yaml also skips a byte order mark at the start of a line, but it looks for it at the
    /// start of its read buffer rather than at the position, so in practice only where the
    /// text begins with two of them; imglint skips the first one (as the reader does) only.
    fn scan_to_next_token(&mut self) {
        loop {
            let tabs = self.flow_level > 0 || !self.simple_key_allowed;
            let blanks = self.bytes[self.pos..]
                .iter()
                .take_while(|&&b| b == b' ' || (b == b'\t' && tabs))
                .count();
            self.advance_ascii(self.pos + blanks);
            if self.at(0) == b'#' {
                self.skip_to_break();
            }
            if !self.is_break(0) {
                break;
            }
            self.skip_line();
            if self.flow_level == 0 {
                self.simple_key_allowed = true;
            }
        }
    }

    // ---- Simple keys ----

    /// Whether the possible simple key at `level` still is one: a key must end on its line and
    /// within 1024 characters (`yaml_simple_key_is_valid`). A required key that is not is an
    /// error.
    fn simple_key_is_valid(&mut self, level: usize) -> Result<bool, Problem> {
        let Some(key) = self.simple_keys.get(level).copied() else {
            return Ok(false);
        };
        if !key.possible {
            return Ok(false);
        }
        // (Characters are at most bytes: a key close enough in bytes needs no counting.)
        if key.mark.line_start != self.line_start
            || (self.pos - key.mark.pos > 1024 && key.mark.column + 1024 < self.column())
        {
            if key.required {
                return Err(
                    self.error("while scanning a simple key", "could not find expected ':'")
                );
            }
            self.simple_keys[level].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    /// Remembers that the next token may be a simple key (`yaml_parser_save_simple_key`).
    fn save_simple_key(&mut self) -> Result<(), Problem> {
        if !self.simple_key_allowed {
            return Ok(());
        }
        let mark = self.mark();
        let key = SimpleKey {
            possible: true,
            required: self.flow_level == 0 && self.indent == mark.column as isize,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark,
        };
        self.remove_simple_key()?;
        let level = self.simple_keys.len() - 1;
        self.simple_keys[level] = key;
        self.keys_by_token.insert(key.token_number, level);
        Ok(())
    }

    /// Drops the possible simple key of the current flow level (`yaml_parser_remove_simple_key`).
    fn remove_simple_key(&mut self) -> Result<(), Problem> {
        let Some(key) = self.simple_keys.last_mut() else {
            return Ok(());
        };
        if key.possible {
            if key.required {
                return Err(Problem::new(
                    self.pos,
                    "while scanning a simple key",
                    "could not find expected ':'",
                ));
            }
            key.possible = false;
            let number = key.token_number;
            self.keys_by_token.remove(number);
        }
        Ok(())
    }

    /// `[` or `{` (`yaml_parser_increase_flow_level`). The new level's key slot takes the
    /// number of the bracket's own token, as in go-yaml.
    fn increase_flow_level(&mut self) -> Result<(), Problem> {
        self.simple_keys.push(SimpleKey {
            token_number: self.tokens_parsed + self.tokens.len(),
            ..SimpleKey::default()
        });
        self.flow_level += 1;
        if self.flow_level > MAX_DEPTH {
            // go-yaml's context ("while increasing flow level") names its own internals.
            return Err(self.error("", DEPTH_PROBLEM));
        }
        Ok(())
    }

    /// `]` or `}` (`yaml_parser_decrease_flow_level`). Dropping the level's map entry by its
    /// slot's token number also drops the enclosing level's key when nothing inside saved one
    /// (`[]: x`): go-yaml then hands `[` to the parser before seeing the `:`. Kept as is.
    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(key) = self.simple_keys.pop() {
                self.keys_by_token.remove(key.token_number);
            }
        }
    }

    // ---- Indentation ----

    /// Opens a block collection at `column` if it is deeper than the current one, inserting
    /// its start token where token number `number` is (`yaml_parser_roll_indent`).
    fn roll_indent(
        &mut self,
        column: usize,
        number: Option<usize>,
        kind: TokenKind<'src>,
        at: usize,
    ) -> Result<(), Problem> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column as isize {
            self.indents.push(self.indent);
            self.indent = column as isize;
            if self.indents.len() > MAX_DEPTH {
                return Err(self.error("", DEPTH_PROBLEM));
            }
            self.insert(
                number,
                Token {
                    kind,
                    start: at,
                    end: at,
                },
            );
        }
        Ok(())
    }

    /// Closes the block collections deeper than `column` (`yaml_parser_unroll_indent`).
    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            self.push(TokenKind::BlockEnd, self.pos, self.pos);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    // ---- Fetching each kind of token ----

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        self.push(TokenKind::StreamStart, self.pos, self.pos);
    }

    fn fetch_stream_end(&mut self) -> Result<(), Problem> {
        // go-yaml forces a new line at the end.
        if self.pos != self.line_start {
            self.new_line();
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.push(TokenKind::StreamEnd, self.pos, self.pos);
        Ok(())
    }

    fn fetch_directive(&mut self) -> Result<(), Problem> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind<'src>) -> Result<(), Problem> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.pos;
        self.pos += 3;
        self.push(kind, start, self.pos);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind<'src>) -> Result<(), Problem> {
        // `[` and `{` may start a simple key.
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        self.push(kind, self.pos, self.pos + 1);
        self.advance_ascii(self.pos + 1);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind<'src>) -> Result<(), Problem> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        self.push(kind, self.pos, self.pos + 1);
        self.advance_ascii(self.pos + 1);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Result<(), Problem> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push(TokenKind::FlowEntry, self.pos, self.pos + 1);
        self.advance_ascii(self.pos + 1);
        Ok(())
    }

    /// `-` (`yaml_parser_fetch_block_entry`). In the flow context the parser reports it.
    fn fetch_block_entry(&mut self) -> Result<(), Problem> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(
                    self.error("", "block sequence entries are not allowed in this context")
                );
            }
            let column = self.column();
            self.roll_indent(column, None, TokenKind::BlockSequenceStart, self.pos)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push(TokenKind::BlockEntry, self.pos, self.pos + 1);
        self.advance_ascii(self.pos + 1);
        Ok(())
    }

    /// `?` (`yaml_parser_fetch_key`).
    fn fetch_key(&mut self) -> Result<(), Problem> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error("", "mapping keys are not allowed in this context"));
            }
            let column = self.column();
            self.roll_indent(column, None, TokenKind::BlockMappingStart, self.pos)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.push(TokenKind::Key, self.pos, self.pos + 1);
        self.advance_ascii(self.pos + 1);
        Ok(())
    }

    /// `:` (`yaml_parser_fetch_value`): after a simple key, `KEY` goes in before the key's
    /// token (and `BLOCK-MAPPING-START` before that, for a new block mapping).
    fn fetch_value(&mut self) -> Result<(), Problem> {
        let level = self.simple_keys.len() - 1;
        if self.simple_key_is_valid(level)? {
            let key = self.simple_keys[level];
            let at = key.mark.pos;
            self.insert(
                Some(key.token_number),
                Token {
                    kind: TokenKind::Key,
                    start: at,
                    end: at,
                },
            );
            self.roll_indent(
                key.mark.column,
                Some(key.token_number),
                TokenKind::BlockMappingStart,
                at,
            )?;
            self.simple_keys[level].possible = false;
            self.keys_by_token.remove(key.token_number);
            self.simple_key_allowed = false;
        } else {
            // The value of a complex (`?`) key, or of none.
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(self.error("", "mapping values are not allowed in this context"));
                }
                let column = self.column();
                self.roll_indent(column, None, TokenKind::BlockMappingStart, self.pos)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.push(TokenKind::Value, self.pos, self.pos + 1);
        self.advance_ascii(self.pos + 1);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> Result<(), Problem> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(alias)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> Result<(), Problem> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> Result<(), Problem> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Result<(), Problem> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_quoted_scalar(single)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Result<(), Problem> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.tokens.push_back(token);
        Ok(())
    }

    pub(super) fn skip_blanks(&mut self) {
        while is_blank(self.at(0)) {
            self.pos += 1;
        }
    }
}
