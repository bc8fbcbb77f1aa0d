//! A parsed YAML or JSON document: nodes in one arena, each with its byte span in the file.
//!
//! Nodes are stored in post-order; a mapping's entries and a sequence's items are contiguous
//! ranges of shared arrays, so building a document allocates a handful of vectors, not one per
//! node. An alias is the anchored node's id again: aliases share, they are never copied.

use std::borrow::Cow;

use crate::source::{Span, to_u32};

pub type NodeId = u32;

/// What a scalar is after YAML 1.1 resolution (what `sigs.k8s.io/yaml` turns it into for JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    Null,
    Bool,
    Int,
    Float,
    String,
}

impl ScalarKind {
    /// How a message names this kind ("`image` is a number").
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Int | Self::Float => "a number",
            Self::String => "a string",
        }
    }
}

/// How a scalar was written, which decides how its text maps back to the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar<'src> {
    pub text: Cow<'src, str>,
    pub kind: ScalarKind,
    pub style: ScalarStyle,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'src> {
    Scalar(Scalar<'src>),
    Sequence { start: u32, len: u32 },
    Mapping { start: u32, len: u32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node<'src> {
    pub span: Span,
    pub value: Value<'src>,
}

impl Node<'_> {
    /// What a message calls this node's type.
    pub const fn describe(&self) -> &'static str {
        match &self.value {
            Value::Scalar(scalar) => scalar.kind.describe(),
            Value::Sequence { .. } => "a list",
            Value::Mapping { .. } => "a mapping",
        }
    }
}

/// One document.
#[derive(Clone, Debug, Default)]
pub struct Tree<'src> {
    nodes: Vec<Node<'src>>,
    entries: Vec<(NodeId, NodeId)>,
    items: Vec<NodeId>,
    root: NodeId,
}

impl<'src> Tree<'src> {
    pub fn root(&self) -> NodeId {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node<'src> {
        &self.nodes[id as usize]
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    /// The entries of a mapping; empty for anything else.
    pub fn entries(&self, id: NodeId) -> &[(NodeId, NodeId)] {
        match self.node(id).value {
            Value::Mapping { start, len } => &self.entries[start as usize..(start + len) as usize],
            _ => &[],
        }
    }

    /// The items of a sequence; empty for anything else.
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id).value {
            Value::Sequence { start, len } => &self.items[start as usize..(start + len) as usize],
            _ => &[],
        }
    }

    pub fn scalar(&self, id: NodeId) -> Option<&Scalar<'src>> {
        match &self.node(id).value {
            Value::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The text of a string scalar (quoted, or plain and resolving to a string).
    pub fn str(&self, id: NodeId) -> Option<&str> {
        self.scalar(id)
            .filter(|s| s.kind == ScalarKind::String)
            .map(|s| &*s.text)
    }

    /// A mapping key as text (any scalar; JSON conversion turns non-string keys into strings).
    pub fn key(&self, id: NodeId) -> Option<&str> {
        self.scalar(id).map(|s| &*s.text)
    }

    pub fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.node(id).value, Value::Mapping { .. })
    }

    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(&self.node(id).value, Value::Scalar(s) if s.kind == ScalarKind::Null)
    }

    /// The last value under `key` in a mapping (later keys win, as in `encoding/json`).
    pub fn get(&self, mapping: NodeId, key: &str) -> Option<NodeId> {
        self.entries(mapping)
            .iter()
            .rev()
            .find(|&&(k, _)| self.key(k) == Some(key))
            .map(|&(_, v)| v)
    }
}

/// Builds a [`Tree`] bottom-up: children first, then their parent.
#[derive(Default)]
pub(crate) struct TreeBuilder<'src> {
    tree: Tree<'src>,
}

impl<'src> TreeBuilder<'src> {
    /// A builder with room for about this many nodes, entries and items.
    pub(crate) fn with_capacity(nodes: usize, entries: usize, items: usize) -> Self {
        Self {
            tree: Tree {
                nodes: Vec::with_capacity(nodes),
                entries: Vec::with_capacity(entries),
                items: Vec::with_capacity(items),
                root: 0,
            },
        }
    }

    pub(crate) fn scalar(&mut self, span: Span, scalar: Scalar<'src>) -> NodeId {
        self.push(Node {
            span,
            value: Value::Scalar(scalar),
        })
    }

    pub(crate) fn sequence(
        &mut self,
        span: Span,
        items: impl IntoIterator<Item = NodeId>,
    ) -> NodeId {
        let start = self.tree.items.len();
        self.tree.items.extend(items);
        let len = to_u32(self.tree.items.len() - start);
        self.push(Node {
            span,
            value: Value::Sequence {
                start: to_u32(start),
                len,
            },
        })
    }

    pub(crate) fn mapping(
        &mut self,
        span: Span,
        entries: impl IntoIterator<Item = (NodeId, NodeId)>,
    ) -> NodeId {
        let start = self.tree.entries.len();
        self.tree.entries.extend(entries);
        let len = to_u32(self.tree.entries.len() - start);
        self.push(Node {
            span,
            value: Value::Mapping {
                start: to_u32(start),
                len,
            },
        })
    }

    pub(crate) fn tree(&self) -> &Tree<'src> {
        &self.tree
    }

    pub(crate) fn finish(mut self, root: NodeId) -> Tree<'src> {
        self.tree.root = root;
        self.tree
    }

    fn push(&mut self, node: Node<'src>) -> NodeId {
        let id = to_u32(self.tree.nodes.len());
        self.tree.nodes.push(node);
        id
    }
}
