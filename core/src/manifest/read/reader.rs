//! The reader's state and its typed access to fields: every kind's reader (`pods.rs`,
//! `secrets.rs`, `control_plane.rs`) reads through these, so a wrong shape is reported the
//! same way everywhere.

use super::shape::ShapeError;
use crate::manifest::model::{Field, TextValue};
use crate::manifest::tree::{NodeId, ScalarKind, ScalarStyle, Tree, Value};
use crate::source::Span;

/// A field's name in messages, built only when a message needs it.
#[derive(Clone, Copy)]
pub(super) enum FieldName<'a> {
    Key(&'a str),
    /// `parent.key`
    Child(&'a str, &'a str),
    /// `parent.key[index]`
    Item(&'a str, &'a str, usize),
}

impl std::fmt::Display for FieldName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Self::Key(key) => f.write_str(key),
            Self::Child(parent, key) => write!(f, "{parent}.{key}"),
            Self::Item("", key, index) => write!(f, "{key}[{index}]"),
            Self::Item(parent, key, index) => write!(f, "{parent}.{key}[{index}]"),
        }
    }
}

impl<'a> From<&'a str> for FieldName<'a> {
    fn from(key: &'a str) -> Self {
        Self::Key(key)
    }
}

/// Reads one document: the tree, the file its spans point into, and the errors found so far.
pub(super) struct Reader<'t, 'src> {
    pub(super) tree: &'t Tree<'src>,
    pub(super) file: &'t str,
    pub(super) errors: Vec<ShapeError>,
    /// The container being read, for the context of its errors.
    pub(super) container: Option<Box<str>>,
}

impl<'t> Reader<'t, '_> {
    pub(super) fn error(&mut self, span: Span, message: String, help: Option<String>) {
        let container = self.container.clone();
        self.errors.push(ShapeError {
            span,
            message,
            help,
            container,
        });
    }

    /// The values of `names` in `map` (later duplicates win, as in `encoding/json`); a
    /// duplicated known key is a shape error, since kubectl's strict field validation refuses it.
    pub(super) fn fields<const N: usize>(
        &mut self,
        map: NodeId,
        names: [&str; N],
    ) -> [Option<NodeId>; N] {
        let mut found = [None; N];
        for &(key, value) in self.tree.entries(map) {
            let Some(text) = self.tree.key(key) else {
                continue;
            };
            if let Some(i) = names.iter().position(|&name| name == text) {
                if found[i].is_some() {
                    self.error(
                        self.tree.span(key),
                        format!("duplicate key `{text}`"),
                        Some("kubectl's strict field validation rejects it; otherwise the last one silently wins".to_owned()),
                    );
                }
                found[i] = Some(value);
            }
        }
        found
    }

    /// A field that must be a mapping; null counts as absent.
    pub(super) fn mapping<'n>(
        &mut self,
        node: Option<NodeId>,
        field: impl Into<FieldName<'n>>,
    ) -> Option<NodeId> {
        self.collection(node, field.into(), "a mapping", |tree, node| {
            tree.is_mapping(node)
        })
    }

    /// A field that must be a list; null counts as empty.
    pub(super) fn list<'n>(
        &mut self,
        node: Option<NodeId>,
        field: impl Into<FieldName<'n>>,
    ) -> Option<NodeId> {
        self.collection(node, field.into(), "a list", |tree, node| {
            matches!(tree.node(node).value, Value::Sequence { .. })
        })
    }

    /// A field that must be `what` (`is_it` says whether it is); null counts as absent.
    fn collection(
        &mut self,
        node: Option<NodeId>,
        field: FieldName<'_>,
        what: &str,
        is_it: fn(&Tree<'_>, NodeId) -> bool,
    ) -> Option<NodeId> {
        let node = node?;
        if is_it(self.tree, node) {
            return Some(node);
        }
        if !self.tree.is_null(node) {
            let found = self.tree.node(node).describe();
            self.error(
                self.tree.span(node),
                format!("`{field}` must be {what}, found {found}"),
                None,
            );
        }
        None
    }

    /// A field that must be a string. Null reads as the empty string, as in the API.
    pub(super) fn text(&mut self, node: Option<NodeId>, field: &str) -> Option<TextValue> {
        let node = node?;
        let span = self.tree.span(node);
        let Some(scalar) = self.tree.scalar(node) else {
            let found = self.tree.node(node).describe();
            self.error(
                span,
                format!("`{field}` must be a string, found {found}"),
                None,
            );
            return None;
        };
        match scalar.kind {
            ScalarKind::String => {}
            ScalarKind::Null => {
                return Some(TextValue {
                    value: "".into(),
                    span,
                    verbatim_at: None,
                });
            }
            kind => {
                let text = &scalar.text;
                self.error(
                    span,
                    format!(
                        "`{field}` must be a string, but YAML reads `{text}` as {}",
                        kind.describe()
                    ),
                    Some(if field.ends_with(']') {
                        format!("quote it: `\"{text}\"`")
                    } else {
                        format!("quote it: `{field}: \"{text}\"`")
                    }),
                );
                return None;
            }
        }
        let inner = match scalar.style {
            ScalarStyle::Plain => Some(span),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if span.len() >= 2 => {
                Some(Span {
                    start: span.start + 1,
                    end: span.end - 1,
                })
            }
            _ => None,
        };
        let verbatim_at = inner
            .filter(|inner| self.file.get(inner.range()) == Some(&*scalar.text))
            .map(|inner| inner.start);
        Some(TextValue {
            value: scalar.text.as_ref().into(),
            span,
            verbatim_at,
        })
    }

    /// A string field, remembering whether it was absent or malformed.
    pub(super) fn field(&mut self, node: Option<NodeId>, field: &str) -> Field<TextValue> {
        match node {
            None => Field::Absent,
            Some(node) => self
                .text(Some(node), field)
                .map_or(Field::Malformed, Field::Value),
        }
    }

    /// A pull policy: null and empty mean the same as absent (the default applies).
    pub(super) fn policy_field(&mut self, node: Option<NodeId>, field: &str) -> Field<TextValue> {
        match self.field(node, field) {
            Field::Value(policy) if policy.value.is_empty() => Field::Absent,
            other => other,
        }
    }
}
