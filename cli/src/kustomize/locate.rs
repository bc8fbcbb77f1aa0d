//! Finding a value's place in a document: the path to the node a span falls in, and the node
//! at that path in another document. Lists are matched by their items' `name` when they have
//! one (kustomize's strategic merge reorders and merges containers by name, so
//! `containers[0]` of the rendered object may be `containers[1]` of the file it came from).

use imglint_core::Span;
use imglint_core::manifest::{NodeId, Tree};

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    /// An index, and the item's `name` when it is a mapping that has one.
    Index(usize, Option<String>),
}

/// Where a span falls in a document: the path to the deepest node holding it, that node, and
/// whether the span is in the node's key rather than its value.
#[derive(Debug)]
pub struct Place {
    pub steps: Vec<Step>,
    pub node: NodeId,
    pub in_key: bool,
}

/// The deepest node of `tree` whose span holds `span`.
pub fn place_of(tree: &Tree<'_>, span: Span) -> Place {
    let holds = |outer: Span| outer.start <= span.start && span.end <= outer.end;
    let mut place = Place {
        steps: Vec::new(),
        node: tree.root(),
        in_key: false,
    };
    'descend: loop {
        let node = place.node;
        for &(key, value) in tree.entries(node) {
            let name = tree.key(key).unwrap_or_default().to_owned();
            if holds(tree.span(key)) {
                place.steps.push(Step::Key(name));
                place.node = key;
                place.in_key = true;
                return place;
            }
            if holds(tree.span(value)) && value != node {
                place.steps.push(Step::Key(name));
                place.node = value;
                continue 'descend;
            }
        }
        for (index, &item) in tree.items(node).iter().enumerate() {
            if holds(tree.span(item)) && item != node {
                place.steps.push(Step::Index(index, item_name(tree, item)));
                place.node = item;
                continue 'descend;
            }
        }
        return place;
    }
}

fn item_name(tree: &Tree<'_>, item: NodeId) -> Option<String> {
    tree.get(item, "name")
        .and_then(|name| tree.str(name))
        .map(str::to_owned)
}

/// The node at `steps` from `from`: keys by name, list items by `name` when the step has one
/// (else by index). `in_key` gives the key node of the last step instead of its value.
pub fn follow(tree: &Tree<'_>, from: NodeId, steps: &[Step], in_key: bool) -> Option<NodeId> {
    let mut node = from;
    for (at, step) in steps.iter().enumerate() {
        let last = at + 1 == steps.len();
        node = match step {
            Step::Key(name) => {
                let &(key, value) = tree
                    .entries(node)
                    .iter()
                    .rev()
                    .find(|&&(key, _)| tree.key(key) == Some(name))?;
                if last && in_key { key } else { value }
            }
            Step::Index(_, Some(name)) => *tree
                .items(node)
                .iter()
                .find(|&&item| item_name(tree, item).as_deref() == Some(name))?,
            Step::Index(index, None) => *tree.items(node).get(*index)?,
        };
    }
    Some(node)
}

/// The steps as a JSON pointer (`/spec/template/spec/containers/0/image`), as JSON 6902
/// patches write paths.
pub fn pointer(steps: &[Step]) -> String {
    let mut pointer = String::new();
    for step in steps {
        pointer.push('/');
        match step {
            Step::Key(name) => pointer.push_str(&name.replace('~', "~0").replace('/', "~1")),
            Step::Index(index, _) => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use imglint_core::manifest::{DocumentResult, parse_documents};

    fn tree(text: &str) -> Tree<'_> {
        match parse_documents(text).into_iter().next() {
            Some(DocumentResult::Document(tree)) => tree,
            _ => panic!("no document"),
        }
    }

    #[test]
    fn containers_are_matched_by_name() {
        let rendered = "spec:\n  containers:\n  - image: busybox:latest\n    name: side\n  - image: nginx:latest\n    name: web\n";
        let source = "spec:\n  containers:\n  - name: web\n    image: nginx\n  - name: side\n    image: busybox:1.36\n";
        let (rendered_tree, source_tree) = (tree(rendered), tree(source));
        let at = rendered.find("busybox:latest").unwrap();
        let place = place_of(&rendered_tree, Span::new(at + 8, at + 14));
        assert_eq!(
            place.steps,
            [
                Step::Key("spec".into()),
                Step::Key("containers".into()),
                Step::Index(0, Some("side".into())),
                Step::Key("image".into())
            ]
        );
        assert_eq!(pointer(&place.steps), "/spec/containers/0/image");
        let found = follow(&source_tree, source_tree.root(), &place.steps, false).unwrap();
        assert_eq!(source_tree.span(found).slice(source), "busybox:1.36");
    }
}
