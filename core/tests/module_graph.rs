//! Dependencies between the modules of `core/src` point one way: no module imports one that
//! imports it back, except the registry loop of configuration, rules and suppression (which
//! has the shape of ruff's settings/registry loop; see docs/architecture.md).
//!
//! A module is a file (`rules/mod.rs` is `rules`, `rules/latest_tag.rs` is
//! `rules::latest_tag`). An edge is any path to another module in the code: `use` trees
//! (`use crate::a::{b, c::D}`), paths in expressions (`crate::redaction::quoted_key(…)`),
//! `super::` and `$crate::` paths, each resolved to the longest module it names. Comments and
//! the `#[cfg(test)]` module at the end of a file are left out: a test may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The loop that may remain, as module prefixes: the config model reads the rule registry
/// (levels and selections by code), every rule reads the config through its `Context`, and
/// suppressions (IMG003, the engine's ignore annotation) read both.
const ALLOWED_LOOP: &[&str] = &["config", "rules", "suppression", "findings"];

/// The modules that hold that loop together: without them, no module of it is in a cycle (a
/// rule's file, `rules::context` and `rules::rule` import one another in one direction).
const LOOP_HUBS: &[&str] = &["config", "rules", "suppression"];

fn in_allowed_loop(module: &str) -> bool {
    ALLOWED_LOOP.iter().any(|prefix| {
        module == *prefix
            || module
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with("::"))
    })
}

type Graph = BTreeMap<String, BTreeSet<String>>;

fn src_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `rules/latest_tag.rs` → `rules::latest_tag`; `rules/mod.rs` → `rules`; `lib.rs` → ``.
fn module_of(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments, string contents and its trailing test module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/").map_or(bytes.len() - i, |end| end + 2);
        } else if bytes[i] == b'"' && !text[..i].ends_with('\'') {
            // A string literal (raw strings in this crate hold no `crate::` text).
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or_default().trim();
        if !path.is_empty() {
            out.push(format!("{prefix}{path}"));
        }
        return;
    };
    let head = &tree[..open];
    let body = &tree[open + 1..tree.rfind('}').unwrap()];
    let (mut depth, mut start) = (0, 0);
    let mut items = Vec::new();
    for (at, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&body[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&body[start..]);
    for item in items {
        expand(item, &format!("{prefix}{head}"), out);
    }
}

/// Every path of the code that starts at `crate`, `$crate`, `super`, `self` or one of the
/// module's own children (`mod context;` … `context::Context`), as written.
fn paths(code: &str, children: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    // `use` trees, whole.
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = &rest[..at];
        let is_statement = before
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || c == ';' || c == '{' || c == '}');
        rest = &rest[at + 4..];
        if !is_statement {
            continue;
        }
        if let Some(end) = rest.find(';') {
            let tree: String = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
            let mut trees = Vec::new();
            expand(&tree, "", &mut trees);
            found.extend(
                trees
                    .into_iter()
                    .map(|path| relative_to_self(path, children)),
            );
        }
    }
    // Paths anywhere else (expressions, types, macro bodies).
    let bytes = code.as_bytes();
    let roots = ["$crate::", "crate::", "super::", "self::"]
        .map(String::from)
        .into_iter()
        .chain(children.iter().map(|child| format!("{child}::")));
    for root in roots {
        let mut from = 0;
        while let Some(at) = code[from..].find(&root) {
            let start = from + at;
            from = start + root.len();
            let boundary = start == 0 || {
                let c = bytes[start - 1];
                !(c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b':')
            };
            // `$crate::` is found as itself, not again as `crate::`.
            if !boundary {
                continue;
            }
            let mut end = from;
            while end < bytes.len() {
                if code[end..].starts_with("::") {
                    end += 2;
                } else if bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' {
                    end += 1;
                } else {
                    break;
                }
            }
            let path = code[start..end].trim_end_matches(':').to_owned();
            found.push(relative_to_self(path, children));
        }
    }
    found
}

/// `context::Context` in a module that declares `mod context;` is `self::context::Context`.
fn relative_to_self(path: String, children: &[String]) -> String {
    let first = path.split("::").next().unwrap_or_default();
    if children.iter().any(|child| child == first) {
        format!("self::{path}")
    } else {
        path
    }
}

/// The module a path names: the longest known module that prefixes it, resolved from `from`.
fn resolve(path: &str, from: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    match segments.first().copied() {
        Some("crate" | "$crate") => {
            base.clear();
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
        }
        Some("self") => {
            segments.remove(0);
        }
        _ => return None,
    }
    base.extend(segments);
    (0..=base.len())
        .rev()
        .map(|n| base[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
        .filter(|module| module != from && !module.is_empty())
}

fn graph() -> Graph {
    let root = src_dir();
    let mut all = Vec::new();
    files(&root, &mut all);
    let sources: Vec<(String, String)> = all
        .iter()
        .map(|path| {
            let module = module_of(path.strip_prefix(&root).unwrap());
            (module, code_of(&std::fs::read_to_string(path).unwrap()))
        })
        .collect();
    let modules: BTreeSet<String> = sources.iter().map(|(m, _)| m.clone()).collect();
    sources
        .iter()
        .map(|(module, code)| {
            let prefix = if module.is_empty() {
                String::new()
            } else {
                format!("{module}::")
            };
            let children: Vec<String> = modules
                .iter()
                .filter_map(|m| m.strip_prefix(&prefix))
                .filter(|rest| !rest.is_empty() && !rest.contains("::"))
                .map(str::to_owned)
                .collect();
            let targets = paths(code, &children)
                .iter()
                .filter_map(|path| resolve(path, module, &modules))
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

/// Tarjan's strongly connected components with more than one module.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        for next in state.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.to_owned());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}

/// The edges of a component, to say which imports hold it together.
fn describe(graph: &Graph, component: &[String]) -> String {
    let inside: BTreeSet<&String> = component.iter().collect();
    component
        .iter()
        .map(|module| {
            let targets: Vec<&str> = graph[module]
                .iter()
                .filter(|t| inside.contains(t))
                .map(String::as_str)
                .collect();
            format!("  {module} -> {}", targets.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_import_cycles_but_the_registry_loop() {
    let graph = graph();
    assert!(graph.len() > 50, "found only {} modules", graph.len());
    let mut problems = Vec::new();
    for component in cycles(&graph) {
        if !component.iter().all(|m| in_allowed_loop(m)) {
            problems.push(format!(
                "a cycle of {} modules:\n{}",
                component.len(),
                describe(&graph, &component)
            ));
        }
    }
    // The loop goes through its hubs and nowhere else.
    let hub = |m: &str| {
        LOOP_HUBS
            .iter()
            .any(|h| m == *h || (*h == "config" && m.starts_with("config::")))
    };
    let without_hubs: Graph = graph
        .iter()
        .filter(|(module, _)| !hub(module))
        .map(|(module, targets)| {
            let targets = targets.iter().filter(|t| !hub(t)).cloned().collect();
            (module.clone(), targets)
        })
        .collect();
    for component in cycles(&without_hubs) {
        if component.iter().all(|m| in_allowed_loop(m)) {
            problems.push(format!(
                "a cycle that does not go through the registry, the config or the suppressions:\n{}",
                describe(&without_hubs, &component)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn use_trees_and_paths_resolve_to_modules() {
    let mut out = Vec::new();
    expand("crate::a::{b, c::{D, e as f}}", "", &mut out);
    assert_eq!(out, ["crate::a::b", "crate::a::c::D", "crate::a::c::e"]);
    let modules: BTreeSet<String> = ["a", "a::c", "b", "b::d"].map(String::from).into();
    assert_eq!(
        resolve("crate::a::c::D", "b", &modules).as_deref(),
        Some("a::c")
    );
    assert_eq!(resolve("super::X", "b::d", &modules).as_deref(), Some("b"));
    assert_eq!(resolve("super::d::f", "b::d", &modules), None, "itself");
    assert_eq!(resolve("std::fmt", "b", &modules), None);
    let code = code_of(
        "// crate::x\nfn f() { crate::a::g(\"crate::b\"); }\n#[cfg(test)]\nmod tests { use crate::b; }",
    );
    assert_eq!(paths(&code, &[]), ["crate::a::g"]);
    let code =
        code_of("pub use context::Context;\nstatic R: &[&dyn Rule] = &[&latest_tag::LatestTag];");
    let children = ["context".to_owned(), "latest_tag".to_owned()];
    assert_eq!(
        paths(&code, &children),
        [
            "self::context::Context",
            "self::context::Context",
            "self::latest_tag::LatestTag"
        ]
    );
}

/// `cargo test -p imglint-core --test module_graph -- --ignored --nocapture` prints the graph,
/// one module and what it imports per line.
#[test]
#[ignore = "prints the graph"]
#[allow(clippy::print_stdout)]
fn print_the_graph() {
    for (module, targets) in graph() {
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        println!("{module} -> {}", targets.join(", "));
    }
}
