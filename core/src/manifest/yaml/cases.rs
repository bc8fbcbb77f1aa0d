//! The reader against go-yaml v2: the cases of go-yaml's own tests that concern syntax
//! (`decode_test.go`, `limit_test.go`), the documents imglint used to refuse although kubectl
//! reads them, and each style and line ending. Every expectation here (value, or message and
//! where the error is) was checked against kubectl 1.32, which reads YAML with go-yaml v2.

use serde_json::{Value as Json, json};

use super::parse_stream;
use crate::manifest::DocumentResult;
use crate::manifest::tree::{NodeId, ScalarKind, Tree, Value};

fn first(text: &str) -> DocumentResult<'_> {
    parse_stream(text, 0)
        .into_iter()
        .next()
        .unwrap_or(DocumentResult::Empty)
}

#[track_caller]
fn read(text: &str) -> Tree<'_> {
    match first(text) {
        DocumentResult::Document(tree) => tree,
        other => panic!("{text:?} is not read: {other:?}"),
    }
}

/// The offset and message of the document's syntax error.
#[track_caller]
fn refused(text: &str) -> (usize, String) {
    match first(text) {
        DocumentResult::Error(error) => (error.offset as usize, error.message),
        other => panic!("{text:?} is read: {other:?}"),
    }
}

/// A document as kubectl's JSON shows it (strings, nulls and booleans are enough here).
fn json(tree: &Tree<'_>, id: NodeId) -> Json {
    match &tree.node(id).value {
        Value::Scalar(scalar) => match scalar.kind {
            ScalarKind::Null => Json::Null,
            ScalarKind::Bool => Json::Bool(matches!(&*scalar.text, "true" | "yes" | "on" | "y")),
            _ => Json::String(scalar.text.clone().into_owned()),
        },
        Value::Sequence { .. } => tree.items(id).iter().map(|&i| json(tree, i)).collect(),
        Value::Mapping { .. } => Json::Object(
            tree.entries(id)
                .iter()
                .map(|&(k, v)| (tree.key(k).unwrap_or_default().to_owned(), json(tree, v)))
                .collect(),
        ),
    }
}

#[track_caller]
fn read_json(text: &str) -> Json {
    let tree = read(text);
    json(&tree, tree.root())
}

#[test]
fn go_yaml_error_cases() {
    // decode_test.go, `unmarshalErrorTests`, those about syntax, with go-yaml's messages and
    // where it points (its `problem_mark`); imglint adds the context go-yaml keeps apart.
    let cases: &[(&str, usize, &str)] = &[
        (
            "v: [A,",
            6,
            "while parsing a flow node, did not find expected node content",
        ),
        (
            "v:\n- [A,",
            8,
            "while parsing a flow node, did not find expected node content",
        ),
        (
            "a:\n- b: *,",
            9,
            "while scanning an alias, did not find expected alphabetic or numeric character",
        ),
        ("a: *b\n", 3, "unknown anchor 'b' referenced"),
        ("a: &a\n  b: *a\n", 11, "anchor 'a' value contains itself"),
        (
            "a: &x null\n<<:\n- *x\nb: &x {}\n",
            0,
            "map merge requires map or sequence of maps as the value",
        ),
        (
            "value: -",
            7,
            "block sequence entries are not allowed in this context",
        ),
        ("b: *a\na: &a {c: 1}", 3, "unknown anchor 'a' referenced"),
        (
            "%TAG !%79! tag:yaml.org,2002:\n---\nv: !%79!int '1'",
            6,
            "while scanning a %TAG directive, did not find expected whitespace",
        ),
        (
            "a:\n  1:\nb\n  2:",
            13,
            "while scanning a simple key, could not find expected ':'",
        ),
    ];
    for &(text, offset, message) in cases {
        assert_eq!(refused(text), (offset, message.to_owned()), "{text:?}");
    }
    // `{[.]}`: a list as a key (imglint's message says why it matters).
    let (offset, message) = refused("a: {[.]: b}");
    assert_eq!(offset, 4);
    assert!(
        message.starts_with("invalid map key: a list cannot be a key"),
        "{message}"
    );
}

#[test]
fn syntax_errors_read_as_go_yaml_reports_them() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "a: \"b\n",
            6,
            "while scanning a quoted scalar, found unexpected end of stream",
        ),
        (
            "a: 'b\n",
            6,
            "while scanning a quoted scalar, found unexpected end of stream",
        ),
        (
            "a: \"\\/\"\n",
            4,
            "while parsing a quoted scalar, found unknown escape character",
        ),
        (
            "a: \"\\x4g\"\n",
            6,
            "while parsing a quoted scalar, did not find expected hexdecimal number",
        ),
        (
            "a: \"\\ud800\"\n",
            6,
            "while parsing a quoted scalar, found invalid Unicode character escape code",
        ),
        (
            "a:\n\tb: c\n",
            3,
            "while scanning for the next token, found character that cannot start any token",
        ),
        (
            "a: |\n\tb\n",
            5,
            "while scanning a block scalar, found a tab character where an indentation space is expected",
        ),
        (
            "a: b\n\tc\n",
            5,
            "while scanning a plain scalar, found a tab character that violates indentation",
        ),
        (
            "a: @b\n",
            3,
            "while scanning for the next token, found character that cannot start any token",
        ),
        (
            "`a\n",
            0,
            "while scanning for the next token, found character that cannot start any token",
        ),
        (
            "a: b: c\n",
            4,
            "mapping values are not allowed in this context",
        ),
        (
            "a: b\n- c\n",
            5,
            "while parsing a block mapping, did not find expected key",
        ),
        (
            "a:\n  b: c\n d: e\n",
            11,
            "while parsing a block mapping, did not find expected key",
        ),
        (
            "- a\n b: c\n",
            6,
            "mapping values are not allowed in this context",
        ),
        (
            "a: {b: c d: e}\n",
            10,
            "while parsing a flow mapping, did not find expected ',' or '}'",
        ),
        (
            "a: [? : x]\n",
            8,
            "while parsing a flow sequence, did not find expected ',' or ']'",
        ),
        (
            "a: !e!x b\n",
            3,
            "while parsing a node, found undefined tag handle",
        ),
        (
            "a: !<> b\n",
            5,
            "while parsing a tag, did not find expected tag URI",
        ),
        (
            "a: !<x b\n",
            6,
            "while scanning a tag, did not find the expected '>'",
        ),
        (
            "a: |0\n  b\n",
            4,
            "while scanning a block scalar, found an indentation indicator equal to 0",
        ),
        (
            "a: | x\n  b\n",
            5,
            "while scanning a block scalar, did not find expected comment or line break",
        ),
        (
            "a: &x` b\n",
            5,
            "while scanning for the next token, found character that cannot start any token",
        ),
        // A `]` after the document's mapping, at its indentation.
        (
            "a: 1\n]\n",
            5,
            "while parsing a block mapping, did not find expected key",
        ),
        // Line ends: CR LF and a lone CR end lines alike.
        (
            "a: b\r\nc\r\nd: e\r\n",
            9,
            "while scanning a simple key, could not find expected ':'",
        ),
        (
            "a: b\rc\rd: e\r",
            7,
            "while scanning a simple key, could not find expected ':'",
        ),
        // A syntax error comes before an error of the decoder, wherever they are.
        (
            "a: &a [*a]\nb: [\n",
            16,
            "while parsing a flow node, did not find expected node content",
        ),
        (
            "a:\n  <<: 1\n",
            5,
            "map merge requires map or sequence of maps as the value",
        ),
    ];
    for &(text, offset, message) in cases {
        assert_eq!(refused(text), (offset, message.to_owned()), "{text:?}");
    }
}

#[test]
fn directives_as_go_yaml_handles_them() {
    // A directive needs `---` after it, and kubectl's reader (like imglint's) cuts the stream
    // there: the directive is a document of its own, which go-yaml refuses.
    let cases: &[(&str, usize, &str)] = &[
        ("%YAML 1.1\n", 10, "did not find expected <document start>"),
        ("%YAML 1.2\n", 0, "found incompatible YAML document"),
        (
            "%YAML 1.1\n%YAML 1.1\n",
            10,
            "found duplicate %YAML directive",
        ),
        (
            "%TAG !e! x\n%TAG !e! y\n",
            11,
            "found duplicate %TAG directive",
        ),
        (
            "%FOO bar\n",
            4,
            "while scanning a directive, found unknown directive name",
        ),
        (
            "%YAML 123.1\n",
            8,
            "while scanning a %YAML directive, found extremely long version number",
        ),
        (
            "%YAML 1.1 x\n",
            10,
            "while scanning a directive, did not find expected comment or line break",
        ),
    ];
    for &(text, offset, message) in cases {
        assert_eq!(refused(text), (offset, message.to_owned()), "{text:?}");
    }
    // Before `---` in the same piece (imglint splits pieces at `---` lines, as kubectl does,
    // so only the reader itself sees this), directives apply to the document.
    let read_piece = |text| match super::PieceReader::new().first_document(text, 0) {
        Ok(Some(tree)) => tree,
        other => panic!("{text:?}: {:?}", other.map(|_| ())),
    };
    let tree = read_piece("%TAG !e! tag:yaml.org,2002:\n--- !e!str 12\n");
    assert_eq!(tree.str(tree.root()), Some("12"));
    let tree = read_piece("%YAML 1.1\n--- {a: b}\n");
    assert_eq!(json(&tree, tree.root()), json!({"a": "b"}));
    assert_eq!(
        super::PieceReader::new()
            .first_document("%YAML 1.1\n%YAML 1.1\n--- a\n", 0)
            .map(|_| ()),
        Err((10, "found duplicate %YAML directive".to_owned()))
    );
}

#[test]
fn kubectl_reads_continuation_lines_at_any_indentation() {
    // The reproducer: a quoted scalar continued on a line indented less than its sequence.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n      command:\n        - \"sh -c\n      echo hi\"\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n    - name: ok\n      image: nginx:latest\n";
    let documents = parse_stream(text, 0);
    let DocumentResult::Document(pod) = &documents[0] else {
        panic!("{documents:?}");
    };
    let container = json(pod, pod.root())["spec"]["containers"][0].clone();
    assert_eq!(container["command"], json!(["sh -c echo hi"]));
    let command = pod.items(
        pod.get(
            pod.items(
                pod.get(pod.get(pod.root(), "spec").unwrap(), "containers")
                    .unwrap(),
            )[0],
            "command",
        )
        .unwrap(),
    )[0];
    assert_eq!(pod.span(command).slice(text), "\"sh -c\n      echo hi\"");
    assert!(matches!(documents[1], DocumentResult::Document(_)));

    for (text, expected) in [
        (
            "command:\n  - 'sh -c\necho hi'\n",
            json!({"command": ["sh -c echo hi"]}),
        ),
        (
            "spec:\n  containers:\n    - name: web\n      args: [\"a\",\n  \"b\"]\n",
            json!({"spec": {"containers": [{"name": "web", "args": ["a", "b"]}]}}),
        ),
        (
            "metadata:\n  annotations:\n    note: this is\n     continued\n",
            json!({"metadata": {"annotations": {"note": "this is continued"}}}),
        ),
        (
            "metadata:\n  annotations:\n    note: \"this is\n  continued\"\n",
            json!({"metadata": {"annotations": {"note": "this is continued"}}}),
        ),
        (
            "metadata:\n  annotations:\n    note: 'this is\n\n    continued'\n    other: x\n",
            json!({"metadata": {"annotations": {"note": "this is\ncontinued", "other": "x"}}}),
        ),
        ("a: {b: c,\nd: e}\n", json!({"a": {"b": "c", "d": "e"}})),
    ] {
        assert_eq!(read_json(text), expected, "{text:?}");
    }
}

#[test]
fn block_scalars_with_every_indicator() {
    let body = "    one\n     two\n\n    three\n\n\nb: x\n";
    for (header, value) in [
        ("|", "one\n two\n\nthree\n"),
        ("|-", "one\n two\n\nthree"),
        ("|+", "one\n two\n\nthree\n\n\n"),
        (">", "one\n two\n\nthree\n"),
        (">-", "one\n two\n\nthree"),
        (">+", "one\n two\n\nthree\n\n\n"),
        ("|2", "  one\n   two\n\n  three\n"),
        ("|1-", "   one\n    two\n\n   three"),
        (">+2", "  one\n   two\n\n  three\n\n\n"),
        ("|-2", "  one\n   two\n\n  three"),
    ] {
        let text = format!("a: {header}\n{body}");
        assert_eq!(read_json(&text), json!({"a": value, "b": "x"}), "{text:?}");
        let tree = read(&text);
        let a = tree.get(tree.root(), "a").unwrap();
        assert_eq!(
            tree.span(a).slice(&text),
            format!("{header}\n    one\n     two\n\n    three"),
            "a block scalar spans its indicator to the end of its last line"
        );
    }
    for (text, expected) in [
        (
            "a: |\n\n\n  one\nb: x\n",
            json!({"a": "\n\none\n", "b": "x"}),
        ),
        (
            "a: >\n  one\n  two\n    more\n  three\n",
            json!({"a": "one two\n  more\nthree\n"}),
        ),
        (
            "a: >-\n  one\n   two\n  three\n",
            json!({"a": "one\n two\nthree"}),
        ),
        // At the very end without a line break (kubectl's line reader adds one, so kubectl
        // reads "one\n"; go-yaml, given these bytes, reads "one").
        ("a: |\n  one", json!({"a": "one"})),
        ("a: |\nb: x\n", json!({"a": "", "b": "x"})),
        ("a: |- # note\n  one\n", json!({"a": "one"})),
        (
            "a: |\n  # not a comment\n  one\n",
            json!({"a": "# not a comment\none\n"}),
        ),
        ("a: |\n  one\n    \n  two\n", json!({"a": "one\n  \ntwo\n"})),
        (
            "a: |\r\n  one\r\n  two\r\nb: x\r\n",
            json!({"a": "one\ntwo\n", "b": "x"}),
        ),
        (
            "a: >\r  one\r  two\r\rb: x\r",
            json!({"a": "one two\n", "b": "x"}),
        ),
    ] {
        assert_eq!(read_json(text), expected, "{text:?}");
    }
}

#[test]
fn flow_and_plain_scalars_fold_like_go_yaml() {
    for (text, expected) in [
        (
            "a: \"one\n  two\n\n  three  \n  four\"\n",
            json!({"a": "one two\nthree four"}),
        ),
        ("a: \"one\\\n  two\"\n", json!({"a": "onetwo"})),
        (
            "a: \"\\x41\\u00e9\\U0001F600\\t\\\\\\\"\\N\\_\"\n",
            json!({"a": "A\u{e9}\u{1f600}\t\\\"\u{85}\u{a0}"}),
        ),
        (
            "a: 'it''s\n  more\n\n  text'\n",
            json!({"a": "it's more\ntext"}),
        ),
        ("a: one\n  two\n\n  three\n", json!({"a": "one two\nthree"})),
        ("a: one # two\n", json!({"a": "one"})),
        ("a: one#two\n", json!({"a": "one#two"})),
        ("a: http://x:80/y\n", json!({"a": "http://x:80/y"})),
        ("a: one   \nb: two\t\n", json!({"a": "one", "b": "two"})),
        // go-yaml v2 ends a plain scalar at `:` only before a blank, in flow too.
        ("a: [k:v, {l:w}]\n", json!({"a": ["k:v", {"l:w": null}]})),
        ("a: [k: v, l: w]\n", json!({"a": [{"k": "v"}, {"l": "w"}]})),
        ("? k\n: v\n? l\n", json!({"k": "v", "l": null})),
        (
            "a:\n- one\n- two\nb: x\n",
            json!({"a": ["one", "two"], "b": "x"}),
        ),
        (
            "a: !!str 12\nb: !foo x\nc: !<tag:yaml.org,2002:str> z\n",
            json!({"a": "12", "b": "x", "c": "z"}),
        ),
    ] {
        assert_eq!(read_json(text), expected, "{text:?}");
    }
    // Plain and quoted scalars on one line borrow their text.
    let tree = read("a: one two\nb: \"x y\"\n");
    for key in ["a", "b"] {
        let scalar = tree.scalar(tree.get(tree.root(), key).unwrap()).unwrap();
        assert!(
            matches!(scalar.text, std::borrow::Cow::Borrowed(_)),
            "{key}"
        );
    }
}

#[test]
fn tabs_comments_and_line_breaks() {
    for (text, expected) in [
        (
            "# c\na: # c\n  # c\n  one # c\n# c\nb: [x, # c\n  z] # c\nc: {k: v, # c\n  l: w} # c\n",
            json!({"a": "one", "b": ["x", "z"], "c": {"k": "v", "l": "w"}}),
        ),
        (
            "a:\tone\nb: [\tx,\tz]\nc: \"x\tz\"\n",
            json!({"a": "one", "b": ["x", "z"], "c": "x\tz"}),
        ),
        ("a: one\u{85}b: two\u{85}", json!({"a": "one", "b": "two"})),
        (
            "a: one\u{2028}b: two\u{2029}",
            json!({"a": "one", "b": "two"}),
        ),
        ("a: one\r\nb:\r\n  - x\r\n", json!({"a": "one", "b": ["x"]})),
        ("a: one\rb:\r  - x\r", json!({"a": "one", "b": ["x"]})),
    ] {
        assert_eq!(read_json(text), expected, "{text:?}");
    }
    // Spans never take in the line end.
    let text = "a: one\r\nb: 'two'\r\n";
    let tree = read(text);
    let b = tree.get(tree.root(), "b").unwrap();
    assert_eq!(tree.span(b).slice(text), "'two'");
}

#[test]
fn anchors_aliases_and_merges() {
    for (text, expected) in [
        (
            "a: &x one\nb: *x\nc: &y\n  k: v\nd: *y\n",
            json!({"a": "one", "b": "one", "c": {"k": "v"}, "d": {"k": "v"}}),
        ),
        (
            "base: &b {k: v, l: w}\nm:\n  <<: *b\n  l: z\n",
            json!({"base": {"k": "v", "l": "w"}, "m": {"k": "v", "l": "z"}}),
        ),
        (
            "b1: &b1 {k: one}\nb2: &b2 {k: two, l: x}\nm:\n  <<: [*b1, *b2]\n",
            json!({"b1": {"k": "one"}, "b2": {"k": "two", "l": "x"}, "m": {"k": "one", "l": "x"}}),
        ),
        // An empty list merges nothing.
        ("a:\n  <<: []\n  b: c\n", json!({"a": {"b": "c"}})),
        // go-yaml names the anchor where its node starts: a definition inside it wins.
        (
            "a: &x [&x one, *x]\nb: *x\n",
            json!({"a": ["one", "one"], "b": "one"}),
        ),
    ] {
        assert_eq!(read_json(text), expected, "{text:?}");
    }
}

#[test]
fn only_the_first_document_of_a_piece_is_read() {
    // go-yaml's decoder stops after the first document: what follows its root is not scanned.
    assert_eq!(read_json("[a]\n]\n"), json!(["a"]));
    assert_eq!(read_json("a: b\n... x\n"), json!({"a": "b"}));
    // go-yaml's scanner hands `[]` to the parser before it sees `: x` (its simple key for
    // `[` is dropped with the inner level's), so the document is the empty list.
    assert_eq!(read_json("[]: x\n"), json!([]));
    assert!(matches!(first("# only a comment\n"), DocumentResult::Empty));
    // kubectl cuts the stream at the `---` line, so this piece starts with `...`, which
    // go-yaml refuses (measured with kubectl 1.32).
    assert!(matches!(first("--- \n...\n"), DocumentResult::Error(_)));
    assert!(matches!(first(""), DocumentResult::Empty));
}

#[test]
fn simple_keys_end_within_1024_characters() {
    let key = |n: usize| "k".repeat(n);
    assert_eq!(
        read_json(&format!("{}: v\n", key(1024))),
        json!({ key(1024): "v" })
    );
    assert_eq!(
        refused(&format!("{}: v\n", key(1025))),
        (
            1025,
            "mapping values are not allowed in this context".to_owned()
        )
    );
    assert_eq!(
        refused(&format!("a: [{}: v]\n", key(1025))),
        (
            1029,
            "while parsing a flow sequence, did not find expected ',' or ']'".to_owned()
        )
    );
    // Long lines are fine otherwise.
    let long = "x".repeat(200_000);
    assert_eq!(
        read_json(&format!("a: {long}\nb: \"{long}\"\n")),
        json!({"a": long, "b": long})
    );
}

/// limit_test.go, run on a small stack: nesting costs heap, never recursion.
#[test]
fn depth_limits_of_go_yaml_on_a_small_stack() {
    let run = || {
        const DEPTH: &str = "exceeded max depth of 10000";
        let cases = [
            ("[".repeat(1000 * 1024), 10_000),
            (format!("x: {}", "{".repeat(1000 * 1024)), 10_003),
            ("- ".repeat(1000 * 1024), 20_000),
        ];
        for (text, offset) in &cases {
            assert_eq!(refused(text), (*offset, DEPTH.to_owned()));
        }
        let fine = [
            format!("{}\n", "- ".repeat(1000)).repeat(512),
            format!(
                "{}1{}{}",
                "[".repeat(10_000),
                ",1".repeat(10_000),
                "]".repeat(10_000)
            ),
            format!(
                "{{a,b:\n{} [1{}]{}",
                " {a,b:".repeat(10_000 - 2),
                ",1".repeat(10_000),
                "}".repeat(10_000 - 1)
            ),
            format!("- {}{}\n", "[".repeat(10_000), "]".repeat(10_000)).repeat(10),
            format!("{}x\n", "- ".repeat(10_000)),
            (0..2000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect(),
        ];
        for text in &fine {
            assert!(
                !matches!(first(text), DocumentResult::Error(_)),
                "{}",
                &text[..40]
            );
        }
        let bomb = format!(
            "{{a: &a [{{a}}{}], b: &b [*a{}]}}",
            ",{a}".repeat(1000 * 1024 / 4 - 100),
            ",*a".repeat(99)
        );
        assert_eq!(refused(&bomb).1, "document contains excessive aliasing");
    };
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(run)
        .expect("a thread")
        .join()
        .expect("no overflow, no failure");
}

#[test]
fn byte_order_marks() {
    // The reader skips one at the start of a piece; elsewhere it is a character.
    assert_eq!(read_json("\u{feff}a: b\n"), json!({"a": "b"}));
    assert_eq!(read_json("a: \u{feff}b\n"), json!({"a": "\u{feff}b"}));
}

mod arbitrary_input {
    use proptest::prelude::*;

    use super::super::parser::{EventKind, Parser};
    use super::*;

    /// Checks that nothing panics, that the reader stops, and that spans are in the text.
    fn check(text: &str) {
        for document in parse_stream(text, 0) {
            match document {
                DocumentResult::Document(tree) => {
                    let mut id = 0;
                    while (id as usize) < tree_len(&tree) {
                        let span = tree.span(id);
                        assert!(span.start <= span.end, "{text:?}");
                        assert!(text.get(span.range()).is_some(), "{text:?}: {span:?}");
                        id += 1;
                    }
                }
                DocumentResult::Error(error) => {
                    assert!(error.offset as usize <= text.len(), "{text:?}");
                    assert!(text.is_char_boundary(error.offset as usize), "{text:?}");
                }
                DocumentResult::Empty => {}
            }
        }
        // The parser alone, NULs and all, ends too.
        let mut parser = Parser::new(text);
        for _ in 0..=4 * text.len() + 16 {
            match parser.next() {
                Ok(event) => {
                    assert!(
                        event.start <= event.end && event.end <= text.len(),
                        "{text:?}"
                    );
                    if event.kind == EventKind::StreamEnd {
                        return;
                    }
                }
                Err(problem) => {
                    assert!(problem.offset <= text.len(), "{text:?}");
                    return;
                }
            }
        }
        panic!("{text:?}: no end");
    }

    fn tree_len(tree: &Tree<'_>) -> usize {
        // The root is the last node built.
        tree.root() as usize + 1
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_text(text in any::<String>()) {
            check(&text);
        }

        #[test]
        fn yaml_like_text(
            text in proptest::collection::vec(
                prop_oneof![
                    Just(" "), Just("  "), Just("\t"), Just("\n"), Just("\r\n"), Just("\r"),
                    Just("\u{85}"), Just("\u{2028}"), Just("-"), Just("- "), Just("? "),
                    Just(": "), Just(":"), Just(","), Just("["), Just("]"), Just("{"),
                    Just("}"), Just("#"), Just("&a "), Just("*a"), Just("!"), Just("!!str "),
                    Just("!<x> "), Just("|"), Just(">-"), Just("|2+"), Just("'"), Just("\""),
                    Just("''"), Just("\\"), Just("\\x4"), Just("%YAML 1.1"), Just("%TAG ! !x"),
                    Just("---"), Just("..."), Just("a"), Just("key"), Just("é"), Just("\u{feff}"),
                    Just("<<"), Just("~"), Just("@"), Just("`"),
                ],
                0..60,
            )
        ) {
            check(&text.concat());
        }
    }
}
