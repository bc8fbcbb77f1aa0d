//! The parser: tokens into events, by go-yaml v2's state machine (`parserc.go`).
//!
//! Each call to [`Parser::next`] runs one state, which peeks at tokens, takes some, and may
//! push the state to return to (`states`), so nesting lives on a heap stack, never on the call
//! stack. The grammar, in short (libyaml's):
//!
//! ```text
//! stream   ::= STREAM-START implicit_document? explicit_document* STREAM-END
//! document ::= directives* DOCUMENT-START? node? DOCUMENT-END?
//! node     ::= ALIAS | properties? (block_content | flow_content | indentless_sequence)
//! block_sequence ::= BLOCK-SEQUENCE-START (BLOCK-ENTRY node?)* BLOCK-END
//! block_mapping  ::= BLOCK-MAPPING-START ((KEY node?)? (VALUE node?)?)* BLOCK-END
//! flow_sequence  ::= FLOW-SEQUENCE-START (entry FLOW-ENTRY)* entry? FLOW-SEQUENCE-END
//! flow_mapping   ::= FLOW-MAPPING-START (entry FLOW-ENTRY)* entry? FLOW-MAPPING-END
//! ```

use std::borrow::Cow;

use super::scanner::Scanner;
use super::token::{Problem, ScalarStyle, Token, TokenKind};

/// What the parser reports, with the bytes of the chunk it covers.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Event<'src> {
    pub(super) kind: EventKind<'src>,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Node properties: `&anchor` and a resolved tag (`tag:yaml.org,2002:str` for `!!str`). Most
/// nodes have none, so they are boxed and events stay small.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Properties<'src>(Option<Box<Given<'src>>>);

/// The properties a node has.
#[derive(Debug, PartialEq, Eq)]
struct Given<'src> {
    anchor: Option<&'src str>,
    tag: Option<Cow<'src, str>>,
}

impl<'src> Properties<'src> {
    fn new(anchor: Option<&'src str>, tag: Option<Cow<'src, str>>) -> Self {
        if anchor.is_none() && tag.is_none() {
            Self(None)
        } else {
            Self(Some(Box::new(Given { anchor, tag })))
        }
    }

    pub(super) fn anchor(&self) -> Option<&'src str> {
        self.0.as_ref().and_then(|given| given.anchor)
    }

    pub(super) fn tag(&self) -> Option<&str> {
        self.0.as_ref().and_then(|given| given.tag.as_deref())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum EventKind<'src> {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(&'src str),
    /// A scalar spans its text: quotes included, the indicator of a block scalar to the end of
    /// its last line; an empty scalar (`key:`) is empty where go-yaml puts it.
    Scalar {
        value: Cow<'src, str>,
        style: ScalarStyle,
        properties: Properties<'src>,
    },
    /// `bracketed` collections span `[` to `]`; the others (block collections, and the
    /// single-pair mapping of `[a: b]`) have no text of their own: the builder spans their
    /// content.
    SequenceStart {
        properties: Properties<'src>,
        bracketed: bool,
    },
    SequenceEnd,
    MappingStart {
        properties: Properties<'src>,
        bracketed: bool,
    },
    MappingEnd,
}

/// The parser's states (`yaml_parser_state_t`; go-yaml never enters its two other node states).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

/// The tag handles every document knows (`default_tag_directives`).
const DEFAULT_TAG_DIRECTIVES: [(&str, &str); 2] = [("!", "!"), ("!!", "tag:yaml.org,2002:")];

pub(super) struct Parser<'src> {
    scanner: Scanner<'src>,
    state: State,
    states: Vec<State>,
    /// The current document's `%TAG` handles and prefixes.
    tag_directives: Vec<(&'src str, Cow<'src, str>)>,
}

/// Whether a token is of one of these kinds (data aside).
macro_rules! is {
    ($token:expr, $($kind:ident)|+) => {
        matches!($token.kind, $(TokenKind::$kind { .. })|+)
    };
}

/// A parser error points at a token (`yaml_parser_set_parser_error_context`).
fn error(context: &'static str, problem: &'static str, token: &Token<'_>) -> Problem {
    Problem::new(token.start, context, problem)
}

impl<'src> Parser<'src> {
    pub(super) fn new(text: &'src str) -> Self {
        Self {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::with_capacity(16),
            tag_directives: Vec::new(),
        }
    }

    /// Starts over on `text`, keeping the buffers.
    pub(super) fn reset(&mut self, text: &'src str) {
        self.scanner.reset(text);
        self.state = State::StreamStart;
        self.states.clear();
        self.tag_directives.clear();
    }

    /// The next event (`yaml_parser_parse`, `yaml_parser_state_machine`).
    pub(super) fn next(&mut self) -> Result<Event<'src>, Problem> {
        match self.state {
            State::StreamStart => self.stream_start(),
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => self.document_content(),
            State::DocumentEnd => self.document_end(),
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => self.block_sequence_entry(true),
            State::BlockSequenceEntry => self.block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => Ok(Self::event(
                EventKind::StreamEnd,
                self.scanner.pos,
                self.scanner.pos,
            )),
        }
    }

    fn event(kind: EventKind<'src>, start: usize, end: usize) -> Event<'src> {
        Event { kind, start, end }
    }

    /// A scalar with no text, at `at` (`yaml_parser_process_empty_scalar`).
    fn empty_scalar(at: usize) -> Event<'src> {
        Self::event(
            EventKind::Scalar {
                value: Cow::Borrowed(""),
                style: ScalarStyle::Plain,
                properties: Properties::default(),
            },
            at,
            at,
        )
    }

    /// Returns to the state saved when the current node began.
    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn stream_start(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        if !is!(token, StreamStart) {
            return Err(error("", "did not find expected <stream-start>", token));
        }
        let token = self.scanner.take();
        self.state = State::ImplicitDocumentStart;
        Ok(Self::event(EventKind::StreamStart, token.start, token.end))
    }

    /// `yaml_parser_parse_document_start`.
    fn document_start(&mut self, implicit: bool) -> Result<Event<'src>, Problem> {
        let mut token = self.scanner.peek()?;
        if !implicit {
            while is!(token, DocumentEnd) {
                self.scanner.take();
                token = self.scanner.peek()?;
            }
        }
        if implicit
            && !is!(
                token,
                VersionDirective | TagDirective | DocumentStart | StreamEnd
            )
        {
            let (start, end) = (token.start, token.end);
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(Self::event(EventKind::DocumentStart, start, end));
        }
        if is!(token, StreamEnd) {
            let token = self.scanner.take();
            self.state = State::End;
            return Ok(Self::event(EventKind::StreamEnd, token.start, token.end));
        }
        let start = token.start;
        self.process_directives()?;
        let token = self.scanner.peek()?;
        if !is!(token, DocumentStart) {
            return Err(error("", "did not find expected <document start>", token));
        }
        let end = token.end;
        self.scanner.take();
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        Ok(Self::event(EventKind::DocumentStart, start, end))
    }

    fn document_content(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        if is!(
            token,
            VersionDirective | TagDirective | DocumentStart | DocumentEnd | StreamEnd
        ) {
            let at = token.start;
            self.pop_state();
            return Ok(Self::empty_scalar(at));
        }
        self.node(true, false)
    }

    fn document_end(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        let (start, mut end) = (token.start, token.start);
        if is!(token, DocumentEnd) {
            end = token.end;
            self.scanner.take();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Self::event(EventKind::DocumentEnd, start, end))
    }

    /// `%YAML` and `%TAG` before a document, then the default handles
    /// (`yaml_parser_process_directives`).
    fn process_directives(&mut self) -> Result<(), Problem> {
        let mut version_seen = false;
        loop {
            let token = self.scanner.peek()?;
            match &token.kind {
                TokenKind::VersionDirective { major, minor } => {
                    if version_seen {
                        return Err(error("", "found duplicate %YAML directive", token));
                    }
                    if (*major, *minor) != (1, 1) {
                        return Err(error("", "found incompatible YAML document", token));
                    }
                    version_seen = true;
                    self.scanner.take();
                }
                TokenKind::TagDirective(directive) => {
                    if self
                        .tag_directives
                        .iter()
                        .any(|(known, _)| *known == directive.handle)
                    {
                        return Err(error("", "found duplicate %TAG directive", token));
                    }
                    if let TokenKind::TagDirective(directive) = self.scanner.take().kind {
                        self.tag_directives
                            .push((directive.handle, directive.prefix));
                    }
                }
                _ => break,
            }
        }
        // go-yaml then appends the default handles unless redefined: `node` looks them up
        // after the document's own.
        Ok(())
    }

    /// A node: an alias, or properties then content (`yaml_parser_parse_node`).
    fn node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        if is!(token, Alias | Scalar) {
            // Most nodes: an alias, or a scalar without properties.
            let token = self.scanner.take();
            self.pop_state();
            let kind = match token.kind {
                TokenKind::Alias(name) => EventKind::Alias(name),
                TokenKind::Scalar { value, style } => EventKind::Scalar {
                    value,
                    style,
                    properties: Properties::default(),
                },
                _ => unreachable!("checked above"),
            };
            return Ok(Self::event(kind, token.start, token.end));
        }

        let mut end = token.start;
        let mut anchor = None;
        let mut tag = None;
        let mut tag_at = 0;
        for _ in 0..2 {
            let token = self.scanner.peek()?;
            match token.kind {
                TokenKind::Anchor(name) if anchor.is_none() => {
                    anchor = Some(name);
                    end = token.end;
                    self.scanner.take();
                }
                TokenKind::Tag(_) if tag.is_none() => {
                    tag_at = token.start;
                    end = token.end;
                    if let TokenKind::Tag(token) = self.scanner.take().kind {
                        tag = Some((token.handle, token.suffix));
                    }
                }
                _ => break,
            }
        }
        let tag = match tag {
            None => None,
            Some(("", suffix)) => Some(suffix),
            Some((handle, suffix)) => {
                let own = self.tag_directives.iter().find(|(h, _)| *h == handle);
                let default = DEFAULT_TAG_DIRECTIVES.iter().find(|(h, _)| *h == handle);
                let Some(prefix) = own
                    .map(|(_, prefix)| &**prefix)
                    .or(default.map(|(_, prefix)| *prefix))
                else {
                    return Err(Problem::new(
                        tag_at,
                        "while parsing a node",
                        "found undefined tag handle",
                    ));
                };
                Some(Cow::Owned(format!("{prefix}{suffix}")))
            }
        };
        let has_properties = anchor.is_some() || tag.is_some();
        let properties = Properties::new(anchor, tag);

        let token = self.scanner.peek()?;
        let (token_start, token_end) = (token.start, token.end);
        let bracketed = is!(token, FlowSequenceStart | FlowMappingStart);
        if indentless_sequence && is!(token, BlockEntry) {
            self.state = State::IndentlessSequenceEntry;
            let kind = EventKind::SequenceStart {
                properties,
                bracketed: false,
            };
            return Ok(Self::event(kind, token_start, token_end));
        }
        let next_state = match token.kind {
            TokenKind::Scalar { .. } => {
                let token = self.scanner.take();
                self.pop_state();
                let TokenKind::Scalar { value, style } = token.kind else {
                    unreachable!("checked above")
                };
                let kind = EventKind::Scalar {
                    value,
                    style,
                    properties,
                };
                return Ok(Self::event(kind, token.start, token.end));
            }
            TokenKind::FlowSequenceStart => State::FlowSequenceFirstEntry,
            TokenKind::FlowMappingStart => State::FlowMappingFirstKey,
            TokenKind::BlockSequenceStart if block => State::BlockSequenceFirstEntry,
            TokenKind::BlockMappingStart if block => State::BlockMappingFirstKey,
            _ if has_properties => {
                // Properties and no content: an empty scalar, placed after them.
                self.pop_state();
                let kind = EventKind::Scalar {
                    value: Cow::Borrowed(""),
                    style: ScalarStyle::Plain,
                    properties,
                };
                return Ok(Self::event(kind, end, end));
            }
            _ => {
                let context = if block {
                    "while parsing a block node"
                } else {
                    "while parsing a flow node"
                };
                return Err(error(context, "did not find expected node content", token));
            }
        };
        self.state = next_state;
        let kind = if matches!(
            next_state,
            State::FlowSequenceFirstEntry | State::BlockSequenceFirstEntry
        ) {
            EventKind::SequenceStart {
                properties,
                bracketed,
            }
        } else {
            EventKind::MappingStart {
                properties,
                bracketed,
            }
        };
        Ok(Self::event(kind, token_start, token_end))
    }

    /// `yaml_parser_parse_block_sequence_entry`.
    fn block_sequence_entry(&mut self, first: bool) -> Result<Event<'src>, Problem> {
        if first {
            self.scanner.take();
        }
        let token = self.scanner.peek()?;
        if is!(token, BlockEntry) {
            let mark = token.end;
            self.scanner.take();
            let token = self.scanner.peek()?;
            if is!(token, BlockEntry | BlockEnd) {
                self.state = State::BlockSequenceEntry;
                return Ok(Self::empty_scalar(mark));
            }
            self.states.push(State::BlockSequenceEntry);
            return self.node(true, false);
        }
        if is!(token, BlockEnd) {
            let token = self.scanner.take();
            self.pop_state();
            return Ok(Self::event(EventKind::SequenceEnd, token.start, token.end));
        }
        Err(error(
            "while parsing a block collection",
            "did not find expected '-' indicator",
            token,
        ))
    }

    /// `yaml_parser_parse_indentless_sequence_entry`.
    fn indentless_sequence_entry(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        if is!(token, BlockEntry) {
            let mark = token.end;
            self.scanner.take();
            let token = self.scanner.peek()?;
            if is!(token, BlockEntry | Key | Value | BlockEnd) {
                self.state = State::IndentlessSequenceEntry;
                return Ok(Self::empty_scalar(mark));
            }
            self.states.push(State::IndentlessSequenceEntry);
            return self.node(true, false);
        }
        let at = token.start;
        self.pop_state();
        Ok(Self::event(EventKind::SequenceEnd, at, at))
    }

    /// `yaml_parser_parse_block_mapping_key`.
    fn block_mapping_key(&mut self, first: bool) -> Result<Event<'src>, Problem> {
        if first {
            self.scanner.take();
        }
        let token = self.scanner.peek()?;
        if is!(token, Key) {
            let mark = token.end;
            self.scanner.take();
            let token = self.scanner.peek()?;
            if is!(token, Key | Value | BlockEnd) {
                self.state = State::BlockMappingValue;
                return Ok(Self::empty_scalar(mark));
            }
            self.states.push(State::BlockMappingValue);
            return self.node(true, true);
        }
        if is!(token, BlockEnd) {
            let token = self.scanner.take();
            self.pop_state();
            return Ok(Self::event(EventKind::MappingEnd, token.start, token.end));
        }
        Err(error(
            "while parsing a block mapping",
            "did not find expected key",
            token,
        ))
    }

    /// `yaml_parser_parse_block_mapping_value`. An empty value (`key:`) sits at its `:`,
    /// where imglint's messages have always pointed (go-yaml puts it just after).
    fn block_mapping_value(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        if is!(token, Value) {
            let mark = token.start;
            self.scanner.take();
            let token = self.scanner.peek()?;
            if is!(token, Key | Value | BlockEnd) {
                self.state = State::BlockMappingKey;
                return Ok(Self::empty_scalar(mark));
            }
            self.states.push(State::BlockMappingKey);
            return self.node(true, true);
        }
        let at = token.start;
        self.state = State::BlockMappingKey;
        Ok(Self::empty_scalar(at))
    }

    /// `yaml_parser_parse_flow_sequence_entry`.
    fn flow_sequence_entry(&mut self, first: bool) -> Result<Event<'src>, Problem> {
        if first {
            self.scanner.take();
        }
        let mut token = self.scanner.peek()?;
        if !is!(token, FlowSequenceEnd) {
            if !first {
                if !is!(token, FlowEntry) {
                    return Err(error(
                        "while parsing a flow sequence",
                        "did not find expected ',' or ']'",
                        token,
                    ));
                }
                self.scanner.take();
                token = self.scanner.peek()?;
            }
            if is!(token, Key) {
                // `[a: b]`: a mapping of one pair, spanning its content.
                let token = self.scanner.take();
                self.state = State::FlowSequenceEntryMappingKey;
                let kind = EventKind::MappingStart {
                    properties: Properties::default(),
                    bracketed: false,
                };
                return Ok(Self::event(kind, token.start, token.end));
            }
            if !is!(token, FlowSequenceEnd) {
                self.states.push(State::FlowSequenceEntry);
                return self.node(false, false);
            }
        }
        let token = self.scanner.take();
        self.pop_state();
        Ok(Self::event(EventKind::SequenceEnd, token.start, token.end))
    }

    /// `yaml_parser_parse_flow_sequence_entry_mapping_key`. Like go-yaml, it takes the token
    /// that ends an empty key, even a `,` or a `]`.
    fn flow_sequence_entry_mapping_key(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        if !is!(token, Value | FlowEntry | FlowSequenceEnd) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.node(false, false);
        }
        let mark = token.end;
        self.scanner.take();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(Self::empty_scalar(mark))
    }

    /// `yaml_parser_parse_flow_sequence_entry_mapping_value`.
    fn flow_sequence_entry_mapping_value(&mut self) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        let at = token.start;
        if is!(token, Value) {
            self.scanner.take();
            let token = self.scanner.peek()?;
            if !is!(token, FlowEntry | FlowSequenceEnd) {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(Self::empty_scalar(at))
    }

    /// `yaml_parser_parse_flow_sequence_entry_mapping_end`.
    fn flow_sequence_entry_mapping_end(&mut self) -> Result<Event<'src>, Problem> {
        let at = self.scanner.peek()?.start;
        self.state = State::FlowSequenceEntry;
        Ok(Self::event(EventKind::MappingEnd, at, at))
    }

    /// `yaml_parser_parse_flow_mapping_key`.
    fn flow_mapping_key(&mut self, first: bool) -> Result<Event<'src>, Problem> {
        if first {
            self.scanner.take();
        }
        let mut token = self.scanner.peek()?;
        if !is!(token, FlowMappingEnd) {
            if !first {
                if !is!(token, FlowEntry) {
                    return Err(error(
                        "while parsing a flow mapping",
                        "did not find expected ',' or '}'",
                        token,
                    ));
                }
                self.scanner.take();
                token = self.scanner.peek()?;
            }
            if is!(token, Key) {
                self.scanner.take();
                let token = self.scanner.peek()?;
                if is!(token, Value | FlowEntry | FlowMappingEnd) {
                    let at = token.start;
                    self.state = State::FlowMappingValue;
                    return Ok(Self::empty_scalar(at));
                }
                self.states.push(State::FlowMappingValue);
                return self.node(false, false);
            }
            if !is!(token, FlowMappingEnd) {
                self.states.push(State::FlowMappingEmptyValue);
                return self.node(false, false);
            }
        }
        let token = self.scanner.take();
        self.pop_state();
        Ok(Self::event(EventKind::MappingEnd, token.start, token.end))
    }

    /// `yaml_parser_parse_flow_mapping_value`; an empty value sits at its `:`, as in a block.
    fn flow_mapping_value(&mut self, empty: bool) -> Result<Event<'src>, Problem> {
        let token = self.scanner.peek()?;
        let at = token.start;
        if !empty && is!(token, Value) {
            self.scanner.take();
            let token = self.scanner.peek()?;
            if !is!(token, FlowEntry | FlowMappingEnd) {
                self.states.push(State::FlowMappingKey);
                return self.node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(Self::empty_scalar(at))
    }
}
