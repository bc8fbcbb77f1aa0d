//! The build metadata kustomize writes on each rendered object, read and then taken out.
//!
//! With `buildMetadata: [originAnnotations, transformerAnnotations]`, kustomize 5.5 (kubectl
//! 1.32) annotates each object with where it came from and what transformed it, as YAML texts:
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     alpha.config.kubernetes.io/transformations: |
//!       - configuredIn: ../app/overlays/prod/kustomization.yaml
//!         configuredBy:
//!           apiVersion: builtin
//!           kind: ImageTagTransformer
//!     config.kubernetes.io/origin: |
//!       path: ../app/base/deploy.yaml
//! ```
//!
//! `path` is relative to the kustomization that was built (imglint's temporary one); a
//! generated object has `configuredIn`/`configuredBy` (`SecretGenerator`) instead of `path`;
//! a remote one also `repo` and `ref`. The transformations list every transformer that ran
//! over the object, in order, whether it changed the object or not (a Secret lists the
//! `ImageTagTransformer` too): they say which kustomizations to look in, never which field
//! changed. Both annotations are removed before linting ([`strip`]).

use std::path::{Path, PathBuf};

use imglint_core::Span;
use imglint_core::manifest::{DocumentResult, NodeId, Tree, parse_documents};

pub const ORIGIN: &str = "config.kubernetes.io/origin";
pub const TRANSFORMATIONS: &str = "alpha.config.kubernetes.io/transformations";

/// Where a rendered object came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The resource file (canonical), when the object was read from one.
    pub path: Option<PathBuf>,
    /// The kustomization whose generator made it, and the generator (`SecretGenerator`).
    pub generated_by: Option<(PathBuf, String)>,
    /// A remote base's repository, when it came from one.
    pub repo: Option<String>,
    /// The transformers that ran over it, in order: their kustomization and kind
    /// (`ImageTagTransformer`, `PatchTransformer`, …).
    pub transformations: Vec<(PathBuf, String)>,
}

/// A rendered stream without its build metadata, and each document's origin (by document
/// index, empty documents counted).
#[derive(Debug, Default)]
pub struct Stripped {
    pub text: String,
    pub origins: Vec<Origin>,
}

/// Reads each document's annotations (paths in them are relative to `wrapper_dir`) and takes
/// them out of `rendered`.
pub fn strip(rendered: &str, wrapper_dir: &Path) -> Stripped {
    let documents = parse_documents(rendered);
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut origins = Vec::new();
    for document in &documents {
        let mut origin = Origin::default();
        if let DocumentResult::Document(tree) = document {
            read_document(tree, rendered, wrapper_dir, &mut origin, &mut cuts);
        }
        origins.push(origin);
    }
    let mut text = String::with_capacity(rendered.len());
    let mut at = 0;
    for cut in cuts {
        text.push_str(&rendered[at..cut.start]);
        at = cut.end;
    }
    text.push_str(&rendered[at..]);
    Stripped { text, origins }
}

fn read_document(
    tree: &Tree<'_>,
    text: &str,
    wrapper_dir: &Path,
    origin: &mut Origin,
    cuts: &mut Vec<std::ops::Range<usize>>,
) {
    let Some(metadata) = tree.get(tree.root(), "metadata") else {
        return;
    };
    let Some((annotations_key, annotations)) = tree
        .entries(metadata)
        .iter()
        .rev()
        .find(|&&(key, _)| tree.key(key) == Some("annotations"))
        .copied()
    else {
        return;
    };
    let entries = tree.entries(annotations);
    let mut ours = Vec::new();
    for &(key, value) in entries {
        match tree.key(key) {
            Some(ORIGIN) => {
                if let Some(yaml) = tree.str(value) {
                    read_origin(yaml, wrapper_dir, origin);
                }
                ours.push((key, value));
            }
            Some(TRANSFORMATIONS) => {
                if let Some(yaml) = tree.str(value) {
                    origin.transformations = read_transformations(yaml, wrapper_dir);
                }
                ours.push((key, value));
            }
            _ => {}
        }
    }
    if ours.is_empty() {
        return;
    }
    if ours.len() == entries.len() {
        // Nothing else was annotated: `annotations:` goes too.
        cuts.push(lines_of(
            text,
            tree.span(annotations_key),
            tree.span(annotations),
        ));
    } else {
        for (key, value) in ours {
            cuts.push(lines_of(text, tree.span(key), tree.span(value)));
        }
    }
}

/// The whole lines from `from`'s line to the end of `to`'s last line (kustomize writes each
/// annotation from the start of a line, its text as a block scalar under it).
fn lines_of(text: &str, from: Span, to: Span) -> std::ops::Range<usize> {
    let start = text[..from.start as usize]
        .rfind('\n')
        .map_or(0, |at| at + 1);
    let last = (to.end as usize).max(from.end as usize);
    let last = if last > start && text.as_bytes().get(last - 1) == Some(&b'\n') {
        last - 1
    } else {
        last
    };
    let end = text[last..]
        .find('\n')
        .map_or(text.len(), |at| last + at + 1);
    start..end
}

/// A path kustomize wrote, relative to the temporary kustomization: resolved without it (it
/// is removed once rendered, so `..` is taken lexically; the wrapper's path is canonical),
/// then made canonical.
fn path_in(wrapper_dir: &Path, written: &str) -> PathBuf {
    let mut path = PathBuf::new();
    for component in wrapper_dir.join(written).components() {
        match component {
            std::path::Component::ParentDir => {
                path.pop();
            }
            std::path::Component::CurDir => {}
            other => path.push(other.as_os_str()),
        }
    }
    std::fs::canonicalize(&path).unwrap_or(path)
}

fn read_origin(yaml: &str, wrapper_dir: &Path, origin: &mut Origin) {
    let documents = parse_documents(yaml);
    let Some(DocumentResult::Document(tree)) = documents.first() else {
        return;
    };
    let root = tree.root();
    let text = |key: &str| tree.get(root, key).and_then(|id| tree.str(id));
    origin.repo = text("repo").map(str::to_owned);
    if origin.repo.is_none() {
        origin.path = text("path").map(|path| path_in(wrapper_dir, path));
    }
    if let (Some(configured_in), Some(kind)) = (text("configuredIn"), configured_by(tree, root)) {
        origin.generated_by = Some((path_in(wrapper_dir, configured_in), kind));
    }
}

fn configured_by(tree: &Tree<'_>, entry: NodeId) -> Option<String> {
    let by = tree.get(entry, "configuredBy")?;
    tree.get(by, "kind")
        .and_then(|kind| tree.str(kind))
        .map(str::to_owned)
}

fn read_transformations(yaml: &str, wrapper_dir: &Path) -> Vec<(PathBuf, String)> {
    let documents = parse_documents(yaml);
    let Some(DocumentResult::Document(tree)) = documents.first() else {
        return Vec::new();
    };
    tree.items(tree.root())
        .iter()
        .filter_map(|&item| {
            let configured_in = tree.get(item, "configuredIn").and_then(|id| tree.str(id))?;
            Some((
                path_in(wrapper_dir, configured_in),
                configured_by(tree, item)?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What kubectl 1.32 wrote for a Deployment of a base that an overlay transformed.
    const RENDERED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    alpha.config.kubernetes.io/transformations: |\n      - configuredIn: ../app/overlays/prod/kustomization.yaml\n        configuredBy:\n          apiVersion: builtin\n          kind: ImageTagTransformer\n    config.kubernetes.io/origin: |\n      path: ../app/base/deploy.yaml\n  name: prod-web\nspec:\n  replicas: 1\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      configuredIn: ../app/overlays/prod/kustomization.yaml\n      configuredBy:\n        apiVersion: builtin\n        kind: SecretGenerator\n    team: web\n  name: creds\n";

    #[test]
    fn origins_are_read_and_the_annotations_taken_out() {
        let stripped = strip(RENDERED, Path::new("/nowhere/wrapper"));
        assert_eq!(
            stripped.text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prod-web\nspec:\n  replicas: 1\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    team: web\n  name: creds\n"
        );
        let deployment = &stripped.origins[0];
        assert_eq!(
            deployment.path.as_deref(),
            Some(Path::new("/nowhere/app/base/deploy.yaml"))
        );
        assert_eq!(
            deployment.transformations,
            [(
                PathBuf::from("/nowhere/app/overlays/prod/kustomization.yaml"),
                "ImageTagTransformer".to_owned()
            )]
        );
        let secret = &stripped.origins[1];
        assert_eq!(secret.path, None);
        assert_eq!(
            secret.generated_by.as_ref().map(|(_, kind)| kind.as_str()),
            Some("SecretGenerator")
        );
    }
}
