//! What the scanner hands the parser (go-yaml's `yaml_token_t`), and how either gives up.

use std::borrow::Cow;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TokenKind<'src> {
    StreamStart,
    StreamEnd,
    /// `%YAML major.minor`.
    VersionDirective {
        major: u8,
        minor: u8,
    },
    /// `%TAG handle prefix`.
    TagDirective(Box<TagDirective<'src>>),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(&'src str),
    Anchor(&'src str),
    Tag(Box<Tag<'src>>),
    Scalar {
        value: Cow<'src, str>,
        style: ScalarStyle,
    },
}

/// `%TAG handle prefix` (boxed in tokens, as tags: they are rare, and tokens stay small).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TagDirective<'src> {
    pub(super) handle: &'src str,
    pub(super) prefix: Cow<'src, str>,
}

/// `!handle!suffix`, `!suffix` (handle `!`), `!<verbatim>` and `!` (handle empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tag<'src> {
    pub(super) handle: &'src str,
    pub(super) suffix: Cow<'src, str>,
}

/// A token and the bytes of the chunk it covers. Tokens that the scanner adds without text
/// (block starts and ends, the keys of simple keys) are empty spans at their place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Token<'src> {
    pub(super) kind: TokenKind<'src>,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Why the scanner or the parser gave up: go-yaml's `problem`, where it points
/// (`problem_mark`, as a byte offset in the chunk) and its `context`, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Problem {
    pub(super) offset: usize,
    pub(super) context: &'static str,
    pub(super) problem: Cow<'static, str>,
}

impl Problem {
    pub(super) fn new(offset: usize, context: &'static str, problem: &'static str) -> Self {
        Self {
            offset,
            context,
            problem: Cow::Borrowed(problem),
        }
    }

    /// The message IMG001 shows: go-yaml's context and problem, as libyaml's own tools print
    /// them (`while parsing a block mapping, did not find expected key`).
    pub(super) fn message(&self) -> String {
        if self.context.is_empty() {
            self.problem.clone().into_owned()
        } else {
            format!("{}, {}", self.context, self.problem)
        }
    }
}
