//! Where a span of a root's rendered output is written.
//!
//! The span falls in one rendered object; its origin ([`super::origin`]) and the path to the
//! value ([`locate`]) lead back to a source, tried in this order:
//! 1. the resource file the object came from, when the value is written there as rendered
//!    (the object found by kind and name, the value by path, list items by name);
//! 2. for an image, the `images:` entry of a kustomization that transformed the object and
//!    matches the image (its `newTag`, `digest` or `newName`), labelled at the base's `image:`;
//! 3. a patch of such a kustomization that writes the value: a patch file (strategic merge by
//!    path, JSON 6902 by pointer), or an inline patch (the value found in its text);
//! 4. for a generated object, the generator's entry in its kustomization;
//! 5. else the root's kustomization file, with a label naming the rendered object and field.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use imglint_core::Span;
use imglint_core::manifest::{DocumentResult, NodeId, Tree, parse_documents};

use super::images;
use super::kustomization::Kustomization;
use super::locate::{self, Place, Step};
use super::map::RenderedRoot;
use super::origin::Origin;
use super::roots::Discovery;

/// A place in a source file (canonical path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpan {
    pub file: PathBuf,
    pub span: Span,
}

/// Where a finding goes, and a label for its base's value when an `images:` entry set it.
pub struct Mapped {
    pub at: SourceSpan,
    /// Whether the value is written there exactly as rendered (fixes can be kept).
    pub verbatim: bool,
    pub label: Option<(SourceSpan, String)>,
}

/// Files read for mapping, by canonical path: their text (kustomization files with secret
/// literals masked).
#[derive(Default)]
pub struct Sources {
    texts: HashMap<PathBuf, Option<Arc<str>>>,
}

impl Sources {
    pub fn text(&mut self, path: &Path, discovery: &Discovery) -> Option<Arc<str>> {
        self.texts
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                if let Some(kustomization) = path
                    .parent()
                    .and_then(|dir| discovery.kustomizations.get(dir))
                    .filter(|_| is_kustomization_file(path))
                {
                    return Some(kustomization.masked_text().into());
                }
                let bytes = crate::walk::read_file(path).ok()?;
                Some(imglint_core::file::decode_like_kubectl(&bytes).into())
            })
            .clone()
    }
}

fn is_kustomization_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| super::kustomization::FILE_NAMES.contains(&name))
}

/// `span`, which lies in `from`, moved to the same place in `to` (of the same length).
pub fn shift(span: Span, from: Span, to: Span) -> Span {
    let start = to.start + (span.start - from.start);
    Span::new(start as usize, (start + (span.end - span.start)) as usize)
}

/// The source of a span of a root's rendered text.
pub fn map_span(
    discovery: &Discovery,
    root: &RenderedRoot,
    documents: &[DocumentResult<'_>],
    span: Span,
    code: &str,
    sources: &mut Sources,
) -> Mapped {
    let document = documents
        .iter()
        .enumerate()
        .find_map(|(index, document)| match document {
            DocumentResult::Document(tree)
                if tree.span(tree.root()).start <= span.start
                    && span.end <= tree.span(tree.root()).end =>
            {
                Some((index, tree))
            }
            _ => None,
        });
    let Some((index, tree)) = document else {
        return fallback(root, None, sources, discovery);
    };
    let origin = root
        .stripped
        .origins
        .get(index)
        .cloned()
        .unwrap_or_default();
    let place = locate::place_of(tree, span);
    let rendered_text = &root.stripped.text;
    let finder = Finder {
        discovery,
        tree,
        rendered: rendered_text,
        place: &place,
        span,
        origin: &origin,
        code,
    };
    finder
        .in_resource(sources)
        .or_else(|| finder.in_images(sources))
        .or_else(|| finder.in_patches(sources))
        .or_else(|| finder.in_generator(sources))
        .unwrap_or_else(|| fallback(root, Some((tree, &place)), sources, discovery))
}

/// The root's kustomization file, where nothing else holds the value: its first line, with a
/// label naming the rendered object and field.
fn fallback(
    root: &RenderedRoot,
    rendered: Option<(&Tree<'_>, &Place)>,
    sources: &mut Sources,
    discovery: &Discovery,
) -> Mapped {
    let text = sources
        .text(&root.kustomization, discovery)
        .unwrap_or_default();
    let first_line = text.find(['\n', '\r']).unwrap_or(text.len());
    let at = SourceSpan {
        file: root.kustomization.clone(),
        span: Span::new(0, first_line),
    };
    let message = rendered.map_or_else(
        || "rendered by this kustomization".to_owned(),
        |(tree, place)| {
            let root_node = tree.root();
            let text = |key: &str| {
                tree.get(root_node, key)
                    .and_then(|id| tree.str(id))
                    .unwrap_or("?")
                    .to_owned()
            };
            let name = tree
                .get(root_node, "metadata")
                .and_then(|m| tree.get(m, "name"))
                .and_then(|id| tree.str(id))
                .unwrap_or("?");
            format!(
                "rendered into {} `{name}` at `{}`, which no file of the kustomization writes as rendered",
                text("kind"),
                dotted(&place.steps)
            )
        },
    );
    Mapped {
        label: Some((at.clone(), message)),
        at,
        verbatim: false,
    }
}

/// `spec.template.spec.containers[0].image`.
fn dotted(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(name) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            Step::Index(index, _) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

struct Finder<'a, 't> {
    discovery: &'a Discovery,
    tree: &'a Tree<'t>,
    rendered: &'a str,
    place: &'a Place,
    span: Span,
    origin: &'a Origin,
    /// The code of the finding being placed.
    code: &'a str,
}

impl Finder<'_, '_> {
    /// The rendered value as written (the raw text of its node).
    fn rendered_raw(&self) -> &str {
        self.tree.span(self.place.node).slice(self.rendered)
    }

    fn rendered_value(&self) -> Option<&str> {
        self.tree.scalar(self.place.node).map(|s| &*s.text)
    }

    fn kind_and_name(&self) -> (Option<&str>, Option<&str>) {
        let root = self.tree.root();
        let kind = self.tree.get(root, "kind").and_then(|id| self.tree.str(id));
        let name = self
            .tree
            .get(root, "metadata")
            .and_then(|m| self.tree.get(m, "name"))
            .and_then(|id| self.tree.str(id));
        (kind, name)
    }

    /// The span in `source` for the value at `node` of `tree`, if it is written as rendered.
    fn matching(&self, tree: &Tree<'_>, node: NodeId, text: &str, file: &Path) -> Option<Mapped> {
        let source_raw = tree.span(node).slice(text);
        let same_value = match (tree.scalar(node), self.rendered_value()) {
            (Some(source), Some(rendered)) => source.text == rendered,
            (None, None) => true,
            _ => false,
        };
        if !same_value {
            return None;
        }
        let verbatim = source_raw == self.rendered_raw();
        let span = if verbatim {
            shift(self.span, self.tree.span(self.place.node), tree.span(node))
        } else {
            tree.span(node)
        };
        Some(Mapped {
            at: SourceSpan {
                file: file.to_path_buf(),
                span,
            },
            verbatim,
            label: None,
        })
    }

    /// 1. The resource file, when it writes the value as rendered.
    fn in_resource(&self, sources: &mut Sources) -> Option<Mapped> {
        let (file, tree_text, node) = self.source_node(sources)?;
        let documents = parse_documents(&tree_text);
        let (document, node) = node;
        let DocumentResult::Document(tree) = documents.get(document)? else {
            return None;
        };
        self.matching(tree, node, &tree_text, &file)
    }

    /// The node at the finding's path in the object's resource file, if there is one:
    /// (file, text, (document index, node)).
    fn source_node(&self, sources: &mut Sources) -> Option<(PathBuf, Arc<str>, (usize, NodeId))> {
        let file = self.origin.path.clone()?;
        let text = sources.text(&file, self.discovery)?;
        let documents = parse_documents(&text);
        let (kind, name) = self.kind_and_name();
        let mut best: Option<(usize, usize)> = None;
        for (index, document) in documents.iter().enumerate() {
            let DocumentResult::Document(tree) = document else {
                continue;
            };
            let root = tree.root();
            if tree.get(root, "kind").and_then(|id| tree.str(id)) != kind {
                continue;
            }
            let source_name = tree
                .get(root, "metadata")
                .and_then(|m| tree.get(m, "name"))
                .and_then(|id| tree.str(id))
                .unwrap_or_default();
            // namePrefix, nameSuffix and generator hashes only add to a name.
            if name.is_some_and(|name| name.contains(source_name))
                && best.is_none_or(|(_, len)| source_name.len() > len)
            {
                best = Some((index, source_name.len()));
            }
        }
        let (index, _) = best?;
        let DocumentResult::Document(tree) = &documents[index] else {
            return None;
        };
        let node = locate::follow(tree, tree.root(), &self.place.steps, self.place.in_key)?;
        Some((file, text.clone(), (index, node)))
    }

    /// Kustomizations whose transformers of `kinds` ran over the object, last first.
    fn transformed_by(&self, kinds: &[&str]) -> Vec<&PathBuf> {
        let mut files: Vec<&PathBuf> = Vec::new();
        for (file, kind) in self.origin.transformations.iter().rev() {
            if kinds.contains(&kind.as_str()) && !files.contains(&file) {
                files.push(file);
            }
        }
        files
    }

    fn kustomization(&self, file: &Path) -> Option<&Kustomization> {
        self.discovery.kustomizations.get(file.parent()?)
    }

    /// 2. An `images:` entry that set the image.
    fn in_images(&self, sources: &mut Sources) -> Option<Mapped> {
        if self.place.steps.last() != Some(&Step::Key("image".to_owned())) {
            return None;
        }
        let rendered = self.rendered_value()?;
        let base = self
            .source_node(sources)
            .and_then(|(file, text, (document, node))| {
                let documents = parse_documents(&text);
                let DocumentResult::Document(tree) = documents.get(document)? else {
                    return None;
                };
                let value = tree.str(node)?.to_owned();
                Some((
                    value,
                    SourceSpan {
                        file,
                        span: tree.span(node),
                    },
                ))
            });
        let names: Vec<String> = std::iter::once(images::name(rendered))
            .chain(base.as_ref().map(|(value, _)| images::name(value)))
            .collect();
        for file in self.transformed_by(&["ImageTagTransformer"]) {
            let Some(kustomization) = self.kustomization(file) else {
                continue;
            };
            for entry in &kustomization.images {
                let Some(span) = images::value_that_set(entry, &names, rendered, self.code) else {
                    continue;
                };
                let label = base.as_ref().map(|(value, at)| {
                    (
                        at.clone(),
                        format!(
                            "the image as written, `{}`, before `images:` changes it",
                            imglint_core::diagnostic::shown(value)
                        ),
                    )
                });
                return Some(Mapped {
                    at: SourceSpan {
                        file: file.clone(),
                        span,
                    },
                    verbatim: false,
                    label,
                });
            }
        }
        None
    }

    /// 3. A patch that writes the value.
    fn in_patches(&self, sources: &mut Sources) -> Option<Mapped> {
        let kinds = [
            "PatchTransformer",
            "PatchStrategicMergeTransformer",
            "PatchJson6902Transformer",
        ];
        let pointer = locate::pointer(&self.place.steps);
        for file in self.transformed_by(&kinds) {
            let Some(dir) = file.parent() else { continue };
            let Some(kustomization) = self.kustomization(file) else {
                continue;
            };
            for patch in &kustomization.patch_files {
                let Ok(path) = std::fs::canonicalize(dir.join(patch)) else {
                    continue;
                };
                let Some(text) = sources.text(&path, self.discovery) else {
                    continue;
                };
                if let Some(mapped) = self.in_patch_file(&path, &text, &pointer) {
                    return Some(mapped);
                }
            }
            // An inline patch: the value as rendered, found in the patch's text.
            let raw = self.rendered_raw();
            if self.rendered_value().is_some() && !raw.is_empty() {
                for span in &kustomization.inline_patches {
                    let inline = span.slice(&kustomization.text);
                    if let Some(at) = find_value(inline, raw) {
                        let start = span.start as usize + at;
                        let node = self.tree.span(self.place.node);
                        return Some(Mapped {
                            at: SourceSpan {
                                file: file.clone(),
                                span: shift(self.span, node, Span::new(start, start + raw.len())),
                            },
                            verbatim: true,
                            label: None,
                        });
                    }
                }
            }
        }
        None
    }

    fn in_patch_file(&self, path: &Path, text: &str, pointer: &str) -> Option<Mapped> {
        let documents = parse_documents(text);
        for document in &documents {
            let DocumentResult::Document(tree) = document else {
                continue;
            };
            let root = tree.root();
            // JSON 6902: a list of operations; one whose path leads to the value.
            for &operation in tree.items(root) {
                let Some(op_path) = tree.get(operation, "path").and_then(|id| tree.str(id)) else {
                    continue;
                };
                let Some(rest) = pointer.strip_prefix(op_path) else {
                    continue;
                };
                if !(rest.is_empty() || rest.starts_with('/')) {
                    continue;
                }
                let Some(value) = tree.get(operation, "value") else {
                    continue;
                };
                let depth = op_path.split('/').count() - 1;
                let steps = self.place.steps.get(depth..)?;
                if let Some(node) = locate::follow(tree, value, steps, self.place.in_key)
                    && let Some(mapped) = self.matching(tree, node, text, path)
                {
                    return Some(mapped);
                }
            }
            // Strategic merge: the object's shape, lists merged by name.
            if tree.is_mapping(root)
                && let Some(node) = locate::follow(tree, root, &self.place.steps, self.place.in_key)
                && let Some(mapped) = self.matching(tree, node, text, path)
            {
                return Some(mapped);
            }
        }
        None
    }

    /// 4. A generated object: its generator's entry.
    fn in_generator(&self, _: &mut Sources) -> Option<Mapped> {
        let (file, _) = self.origin.generated_by.as_ref()?;
        let kustomization = self.kustomization(file)?;
        let (_, name) = self.kind_and_name();
        let name = name?;
        let entry = kustomization
            .generators
            .iter()
            .filter(|entry| name.contains(entry.name.as_str()))
            .max_by_key(|entry| entry.name.len())?;
        Some(Mapped {
            at: SourceSpan {
                file: file.clone(),
                span: entry.span,
            },
            verbatim: false,
            label: None,
        })
    }
}

/// Where `value` is written in `text` as a whole value (not inside a longer word).
fn find_value(text: &str, value: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices(value).map(|(at, _)| at).find(|&at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + value.len()).copied();
        before.is_none_or(|b| matches!(b, b' ' | b'"' | b'\'' | b'\n' | b'[' | b','))
            && after.is_none_or(|b| {
                matches!(b, b'\n' | b'\r' | b' ' | b'"' | b'\'' | b',' | b']' | b'}')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_as_whole_values() {
        assert_eq!(
            find_value("image: busybox:latest\n", "busybox:latest"),
            Some(7)
        );
        assert_eq!(
            find_value("image: xbusybox:latest\n", "busybox:latest"),
            None
        );
    }
}
