//! Generated manifests that write the same objects in the ways real files do: continuation
//! lines at every indentation, flow collections over lines, block scalars with every header,
//! tabs, comments, anchors and merges, document markers and directives, encodings and line
//! ends, YAML 1.1 scalars, duplicate keys, long lines, and JSON.
//!
//! Every input is a complete object (apiVersion, kind, metadata) so that kubectl's verdict is
//! about how the text is written, not about whether it is a Kubernetes object.

use std::collections::HashSet;

/// One generated input: a name that says what it exercises, and its bytes.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub struct Inputs {
    seen: HashSet<Vec<u8>>,
    pub list: Vec<Input>,
}

impl Inputs {
    fn push(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let bytes = bytes.into();
        if self.seen.insert(bytes.clone()) {
            self.list.push(Input {
                name: name.into(),
                bytes,
            });
        }
    }

    fn text(&mut self, name: impl Into<String>, text: &str) {
        self.push(name, text.as_bytes().to_vec());
    }
}

/// A Pod whose fields are written by the caller: `slot` names the field, `value` is written
/// after `key:` (with its own line breaks, already indented by the caller where it needs).
/// The key of each slot sits at the column given by [`slot_indent`].
const SLOTS: &[&str] = &[
    "image",
    "name",
    "namespace",
    "policy",
    "note",
    "command",
    "account",
    "secret",
];

/// The column of the slot's key in [`pod`].
fn slot_indent(slot: &str) -> usize {
    match slot {
        "image" | "policy" | "note" | "command" => 4,
        "name" | "namespace" | "account" | "secret" => 2,
        _ => unreachable!("{slot}"),
    }
}

/// The Pod with `slot`'s value replaced by `value` (the text after `key:`, from the character
/// right after the colon).
fn pod(slot: &str, value: &str) -> String {
    let field = |s: &str, default: &str| {
        if s == slot {
            value.to_owned()
        } else {
            format!(" {default}")
        }
    };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name:{name}\n  namespace:{namespace}\n  annotations:\n    note:{note}\nspec:\n  serviceAccountName:{account}\n  imagePullSecrets:\n  - name:{secret}\n  initContainers:\n  - name: init\n    image: busybox:1.36\n  containers:\n  - name: web\n    image:{image}\n    imagePullPolicy:{policy}\n    command:{command}\n",
        name = field("name", "web"),
        namespace = field("namespace", "team-a"),
        note = field("note", "hello"),
        account = field("account", "builder"),
        secret = field("secret", "regcred"),
        image = field("image", "nginx:1.27"),
        policy = field("policy", "IfNotPresent"),
        command = field("command", "\n    - sh\n    - -c\n    - echo hi"),
    )
}

const OTHER_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  containers:\n  - name: o\n    image: redis:7\n";

/// Every generated input, deterministic and without duplicates.
pub fn all() -> Vec<Input> {
    let mut inputs = Inputs::default();
    continuation_lines(&mut inputs);
    flow_collections(&mut inputs);
    block_scalars(&mut inputs);
    tabs_and_comments(&mut inputs);
    anchors_and_merges(&mut inputs);
    markers_and_directives(&mut inputs);
    yaml11_scalars(&mut inputs);
    duplicate_keys(&mut inputs);
    long_lines(&mut inputs);
    kinds(&mut inputs);
    json(&mut inputs);
    // Encodings and line ends, and the neighbours a document has in a stream, over a share of
    // everything above: these change how the same text is cut into lines and documents.
    let base: Vec<(String, Vec<u8>)> = inputs
        .list
        .iter()
        .map(|input| (input.name.clone(), input.bytes.clone()))
        .collect();
    for (index, (name, bytes)) in base.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        match index % 7 {
            0 => inputs.text(format!("{name} +crlf"), &text.replace('\n', "\r\n")),
            1 => inputs.text(format!("{name} +cr"), &text.replace('\n', "\r")),
            2 => inputs.text(
                format!("{name} +before"),
                &format!("{OTHER_POD}---\n{text}"),
            ),
            3 => inputs.text(
                format!("{name} +after"),
                &format!("{text}\n---\n{OTHER_POD}"),
            ),
            4 => inputs.push(
                format!("{name} +bom"),
                [b"\xef\xbb\xbf", bytes.as_slice()].concat(),
            ),
            5 => inputs.push(format!("{name} +utf16le"), utf16(text, false, true)),
            _ => inputs.push(format!("{name} +utf16be"), utf16(text, true, true)),
        }
    }
    inputs.list
}

pub fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
    for unit in units {
        let bytes: [u8; 2] = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend_from_slice(&bytes);
    }
    out
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// Plain, single- and double-quoted scalars continued on following lines at every indentation,
/// with blank lines and comments between.
fn continuation_lines(inputs: &mut Inputs) {
    let words: &[(&str, &str, &str)] = &[
        ("sh -c", "echo hi", "done"),
        ("nginx", ":1.27", "x"),
        ("a\\\\b", "c#d", "e: f"),
    ];
    for &slot in SLOTS {
        let key = slot_indent(slot);
        for (w, &(first, second, third)) in words.iter().enumerate() {
            for indent in 0..=key + 4 {
                let pad = spaces(indent);
                for (style, open, close) in [
                    ("plain", "", ""),
                    ("single", "'", "'"),
                    ("double", "\"", "\""),
                ] {
                    let first = if style == "double" {
                        first.to_owned()
                    } else {
                        first.replace("\\\\", "\\")
                    };
                    let value = if slot == "command" {
                        format!("\n{}- {open}{first}\n{pad}{second}{close}", spaces(key))
                    } else {
                        format!(" {open}{first}\n{pad}{second}{close}")
                    };
                    inputs.text(
                        format!("continuation {style} {slot} w{w} at {indent}"),
                        &pod(slot, &value),
                    );
                    if indent % 2 == 0 {
                        let value = if slot == "command" {
                            format!(
                                "\n{}- {open}{first}\n\n{pad}{second}\n{pad}  {third}{close}",
                                spaces(key)
                            )
                        } else {
                            format!(" {open}{first}\n\n{pad}{second}\n{pad}  {third}{close}")
                        };
                        inputs.text(
                            format!("continuation {style} {slot} w{w} blank at {indent}"),
                            &pod(slot, &value),
                        );
                        let value = format!(" {open}{first}\n# comment\n{pad}{second}{close}");
                        inputs.text(
                            format!("continuation {style} {slot} w{w} comment at {indent}"),
                            &pod(slot, &value),
                        );
                    }
                }
            }
        }
    }
}

/// Flow sequences and mappings written over several lines, each continuation line at every
/// indentation.
fn flow_collections(inputs: &mut Inputs) {
    for indent in 0..=8 {
        let pad = spaces(indent);
        let shapes = [
            ("command", format!(" [\"sh\",\n{pad}\"-c\", \"echo hi\"]")),
            ("command", format!(" [sh,\n{pad}-c,\n{pad}echo hi]")),
            ("command", format!(" [\n{pad}sh, -c,\n{pad}echo hi\n{pad}]")),
            ("command", format!(" [sh, -c, echo hi\n{pad}]")),
            ("command", format!(" [sh, -c, echo\n{pad}hi]")),
            ("command", format!(" [sh, -c, \"echo\n{pad}hi\"]")),
            ("command", format!(" [sh, -c, 'echo\n{pad}hi']")),
            ("command", format!(" [sh, # comment\n{pad}-c, echo hi]")),
            (
                "command",
                format!(" [sh, [nested,\n{pad}list], {{a: b,\n{pad}c: d}}]"),
            ),
            ("image", format!(" [nginx,\n{pad}redis]")),
            ("note", format!(" {{a: b,\n{pad}c: d}}")),
            ("note", format!(" {{a: b\n{pad}}}")),
            ("note", format!(" {{ \"a\":\n{pad}\"b\" }}")),
            ("note", format!(" {{a\n{pad}: b}}")),
            ("secret", format!(" [x,\n{pad}y]")),
            ("name", format!(" {{}}\n{pad}")),
        ];
        for (i, (slot, value)) in shapes.iter().enumerate() {
            inputs.text(format!("flow {i} {slot} at {indent}"), &pod(slot, value));
        }
        // A container written as a flow mapping over lines.
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: flow,\n{pad}namespace: ns}}\nspec:\n  containers:\n  - {{name: web,\n{pad}image: \"nginx:1.27\",\n{pad}imagePullPolicy: Always}}\n  imagePullSecrets: [{{name: a}},\n{pad}{{name: b}}]\n"
        );
        inputs.text(format!("flow container at {indent}"), &text);
        let text = format!(
            "{{apiVersion: v1, kind: Pod, metadata: {{name: all-flow}},\n{pad}spec: {{containers: [{{name: w, image: nginx}}]}}}}\n"
        );
        inputs.text(format!("flow document at {indent}"), &text);
    }
}

/// Block scalars: every indicator, chomping, explicit indentation (right and wrong), content
/// more or less indented, blank lines before and after, comments after the header.
fn block_scalars(inputs: &mut Inputs) {
    let headers = [
        "|",
        ">",
        "|-",
        "|+",
        ">-",
        ">+",
        "|2",
        ">2",
        "|1",
        "|2-",
        "|-2",
        ">1+",
        "|+1",
        "|9",
        "| # comment",
        ">- # c",
        "|0",
        "|10",
        "|#c",
        "|2 #c",
    ];
    let bodies: &[&[(usize, &str)]] = &[
        &[(2, "nginx:1.27")],
        &[(2, "line one"), (2, "line two")],
        &[(2, "a"), (4, "more indented"), (2, "b")],
        &[(0, ""), (2, "after blank")],
        &[(2, "x"), (0, ""), (0, "")],
        &[(4, "deep"), (2, "shallow")],
        &[(2, "has # hash"), (2, "and: colon")],
        &[(1, "one")],
        &[(2, "tab\tinside")],
        &[(2, "---"), (2, "...")],
    ];
    for header in headers {
        for (b, body) in bodies.iter().enumerate() {
            for slot in ["image", "note", "command", "name"] {
                let key = slot_indent(slot);
                let mut value = if slot == "command" {
                    format!("\n{}- {header}", spaces(key))
                } else {
                    format!(" {header}")
                };
                for &(extra, line) in body.iter() {
                    if line.is_empty() {
                        value.push('\n');
                    } else {
                        value.push_str(&format!("\n{}{line}", spaces(key + extra)));
                    }
                }
                inputs.text(
                    format!("block {header:?} body {b} {slot}"),
                    &pod(slot, &value),
                );
            }
        }
    }
    // Content at the key's own column or left of it ends the scalar.
    for indent in 0..=5 {
        let value = format!(" |\n      first\n{}second: x", spaces(indent));
        inputs.text(format!("block ends at {indent}"), &pod("note", &value));
    }
    // At the end of the stream, with and without a final line break.
    for ending in ["", "\n", "\n\n", "\n  \n"] {
        let text = format!(
            "{}\n  extra: |\n    last{ending}",
            pod("note", " x").trim_end()
        );
        inputs.text(format!("block at end {ending:?}"), &text);
    }
}

/// Tabs where real files have them, and comments everywhere.
fn tabs_and_comments(inputs: &mut Inputs) {
    let values = [
        ("tab after colon", "\tnginx:1.27"),
        ("tab then quoted", "\t\"nginx:1.27\""),
        ("tab before comment", " nginx:1.27\t# c"),
        ("trailing tab", " nginx:1.27\t"),
        ("trailing spaces", " nginx:1.27   "),
        ("tab inside", " nginx\t:1.27"),
        ("comment", " nginx:1.27 # comment"),
        ("hash without space", " nginx:1.27#not-a-comment"),
        ("comment after quote", " \"nginx:1.27\"# c"),
        ("comment after single", " 'nginx:1.27' # c"),
        ("comment only", " # nothing here"),
        ("comment then value", " # c\n      nginx:1.27"),
        ("comment line then value", "\n# c\n      nginx:1.27"),
        ("empty", ""),
        ("space only", " "),
        ("tilde", " ~"),
        ("quoted empty", " \"\""),
        ("colon in value", " a: b"),
        ("colon no space", " a:b"),
        ("dash value", " - x"),
        ("question", " ? x"),
        ("at sign", " @x"),
        ("backtick", " `x"),
        ("percent", " %x"),
        ("pipe in middle", " a|b"),
        ("ampersand only", " &"),
        ("star only", " *"),
        ("exclamation", " !"),
        ("bang word", " !local x"),
        ("verbatim tag", " !<tag:yaml.org,2002:str> x"),
        ("bracket close", " ]"),
        ("brace close", " }"),
        ("comma", " a, b"),
        ("quote in middle", " a\"b"),
        ("single in middle", " it's"),
        ("escaped single", " 'it''s'"),
        ("double escapes", " \"a\\tb\\u00e9\\x41\\n\""),
        ("double bad escape", " \"a\\qb\""),
        ("double line escape", " \"a\\\n   b\""),
        ("unicode", " caf\u{e9}-\u{1f600}"),
        ("nbsp", " a\u{a0}b"),
        ("line separator", " a\u{2028}b"),
        ("nel", " a\u{85}b"),
        ("bom inside", " a\u{feff}b"),
    ];
    for (what, value) in values {
        for slot in ["image", "name", "note", "policy", "secret"] {
            inputs.text(format!("{what} {slot}"), &pod(slot, value));
        }
    }
    let documents = [
        (
            "tab indent",
            "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: t\n",
        ),
        (
            "tab after dash",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n  -\tname: web\n    image: nginx\n",
        ),
        (
            "tab before colon",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name\t: t\n",
        ),
        (
            "tab in flow",
            "apiVersion: v1\nkind: Pod\nmetadata: {name:\tt,\tnamespace: n}\n",
        ),
        (
            "comment after dash",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n  - # first\n    name: web\n    image: nginx\n",
        ),
        (
            "comment at column 0",
            "apiVersion: v1\nkind: Pod\nmetadata:\n# c\n  name: t\nspec:\n  containers:\n# c\n  - name: web\n# c\n    image: nginx\n",
        ),
        (
            "comment indented deeper",
            "apiVersion: v1\nkind: Pod\nmetadata:\n          # c\n  name: t\n",
        ),
        (
            "comment after key",
            "apiVersion: v1 # c\nkind: Pod # c\nmetadata: # c\n  name: t # c\n",
        ),
        (
            "comment without space",
            "apiVersion: v1\nkind: Pod\nmetadata:#c\n  name: t\n",
        ),
        (
            "comment after colon",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: #c\n",
        ),
        ("only comments", "# a\n# b\n"),
        (
            "comment first",
            "# header\napiVersion: v1\nkind: Pod\nmetadata: {name: t}\n",
        ),
        (
            "indented first key",
            "  apiVersion: v1\n  kind: Pod\n  metadata: {name: t}\n",
        ),
        (
            "wrong indent",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n namespace: n\n",
        ),
        (
            "deeper indent",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n    namespace: n\n",
        ),
        (
            "sequence at key column",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: b\n    image: redis\n",
        ),
        (
            "sequence indented",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n      - name: web\n        image: nginx\n",
        ),
        (
            "sequence misaligned",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n    - name: web\n      image: nginx\n   - name: b\n",
        ),
        (
            "key with spaces",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  odd key: x\n",
        ),
        (
            "explicit key",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  ? name\n  : t\n",
        ),
        (
            "quoted keys",
            "\"apiVersion\": v1\n'kind': Pod\nmetadata:\n  \"name\": t\n",
        ),
        (
            "json-like keys",
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"metadata\": {\"name\": \"t\"}}\n",
        ),
        (
            "colon in key",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    a:b: c\n    \"x:y\": z\n    http://h: u\n",
        ),
        (
            "long key 1024",
            &format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    {}: v\n",
                "k".repeat(1020)
            ),
        ),
        (
            "long key 1025",
            &format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    {}: v\n",
                "k".repeat(1030)
            ),
        ),
        (
            "empty key",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    \"\": v\n    : w\n",
        ),
        (
            "null key",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    ~: v\n",
        ),
        (
            "bool key",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    yes: v\n    on: w\n    1.5: x\n    0x10: y\n",
        ),
        (
            "key without value at end",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name",
        ),
        (
            "trailing garbage",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\n]\n",
        ),
        (
            "unclosed quote",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"t\n",
        ),
        (
            "unclosed flow",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t\n",
        ),
        (
            "no space after colon",
            "apiVersion:v1\nkind: Pod\nmetadata: {name: t}\n",
        ),
        (
            "flow no space after colon",
            "apiVersion: v1\nkind: Pod\nmetadata: {name:t}\n",
        ),
        (
            "flow quoted no space",
            "apiVersion: v1\nkind: Pod\nmetadata: {\"name\":\"t\"}\n",
        ),
        ("scalar document", "just a string\n"),
        ("sequence document", "- apiVersion: v1\n  kind: Pod\n"),
        ("empty document", ""),
        ("null document", "null\n"),
        ("whitespace document", "  \n\n   \n"),
        (
            "nul byte",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\u{0}\"}\n",
        ),
        (
            "escape char",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\u{1b}[31m\"}\n",
        ),
        (
            "del char",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a\u{7f}}\n",
        ),
        (
            "c1 char",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a\u{9b}}\n",
        ),
        (
            "escaped control",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\\x1b\\u0000\"}\n",
        ),
    ];
    for (what, text) in documents {
        inputs.text(what, text);
    }
}

fn anchors_and_merges(inputs: &mut Inputs) {
    let documents = [
        (
            "alias image",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  initContainers:\n  - name: i\n    image: &img nginx:1.27\n  containers:\n  - name: w\n    image: *img\n",
        ),
        (
            "anchor container merge",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  initContainers:\n  - &base\n    name: i\n    image: nginx:1.27\n    imagePullPolicy: Always\n  containers:\n  - <<: *base\n    name: w\n",
        ),
        (
            "merge list",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx-a: &a {image: a:1}\nx-b: &b {image: b:1, name: bee}\nspec:\n  containers:\n  - <<: [*a, *b]\n",
        ),
        (
            "merge overridden",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: &a {image: a:1}\nspec:\n  containers:\n  - image: mine:1\n    <<: *a\n    name: w\n",
        ),
        (
            "merge after key",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: &a {image: a:1}\nspec:\n  containers:\n  - name: w\n    <<: *a\n    image: mine:2\n",
        ),
        (
            "merge twice",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: &a {image: a:1}\ny: &b {image: b:1}\nspec:\n  containers:\n  - name: w\n    <<: *a\n    <<: *b\n",
        ),
        (
            "merge scalar",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: &a scalar\nspec:\n  containers:\n  - name: w\n    <<: *a\n",
        ),
        (
            "merge quoted key",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: &a {image: a:1}\nspec:\n  containers:\n  - name: w\n    \"<<\": *a\n",
        ),
        (
            "merge null",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: w\n    image: x\n    <<: ~\n",
        ),
        (
            "merge empty list",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: w\n    image: x\n    <<: []\n",
        ),
        (
            "merge inline mapping",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: w\n    <<: {image: inline:1}\n",
        ),
        (
            "undefined alias",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: w\n    image: *nope\n",
        ),
        (
            "alias before anchor",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: *n}\nx: &n late\n",
        ),
        (
            "anchor redefined",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: &n first}\nx: &n second\nspec:\n  containers:\n  - name: *n\n    image: nginx\n",
        ),
        (
            "alias as key",
            "apiVersion: v1\nkind: Pod\nx: &k image\nmetadata: {name: a}\nspec:\n  containers:\n  - name: w\n    *k : nginx\n",
        ),
        (
            "alias followed by colon",
            "apiVersion: v1\nkind: Pod\nx: &k image\nmetadata: {name: a}\nspec:\n  containers:\n  - name: w\n    *k: nginx\n",
        ),
        (
            "anchor odd names",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: &a.b-c_d x}\nspec:\n  containers:\n  - name: *a.b-c_d\n    image: nginx\n",
        ),
        (
            "anchor with colon",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: &a:b x\nspec:\n  containers:\n  - name: *a:b\n    image: nginx\n",
        ),
        (
            "anchor on document",
            "&doc\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n",
        ),
        (
            "anchor then tag",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: &a !!str 12}\n",
        ),
        (
            "tag then anchor",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: !!str &a 12}\n",
        ),
        (
            "anchor on empty",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: &a\n  namespace: *a\n",
        ),
        (
            "alias of sequence",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: &c [{name: w, image: nginx}]\nspec:\n  containers: *c\n  initContainers: *c\n",
        ),
        (
            "recursive alias",
            "apiVersion: v1\nkind: Pod\nmetadata: &m {name: a, self: *m}\n",
        ),
        (
            "alias into flow",
            "apiVersion: v1\nkind: Pod\nx: &i nginx\nmetadata: {name: a}\nspec: {containers: [{name: w, image: *i}]}\n",
        ),
        (
            "alias in flow then comma",
            "apiVersion: v1\nkind: Pod\nx: &i nginx\nmetadata: {name: a}\nspec: {containers: [{name: w, image: *i, imagePullPolicy: Always}]}\n",
        ),
    ];
    for (what, text) in documents {
        inputs.text(what, text);
    }
}

fn markers_and_directives(inputs: &mut Inputs) {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers:\n  - name: w\n    image: nginx\n";
    let variants = [
        ("leading marker", format!("---\n{pod}")),
        ("marker comment", format!("--- # c\n{pod}")),
        ("marker trailing space", format!("--- \n{pod}")),
        ("marker trailing tab", format!("---\t\n{pod}")),
        ("marker then content", "--- apiVersion: v1\nkind: Pod\nmetadata: {name: m}\n".to_owned()),
        ("marker then flow", "--- {apiVersion: v1, kind: Pod, metadata: {name: m}}\n".to_owned()),
        ("marker then block scalar", format!("--- |\n  text\n---\n{pod}")),
        ("marker then tag", format!("--- !!map\n{pod}")),
        ("marker dashes4", format!("----\n{pod}")),
        ("marker x", format!("---x\n{pod}")),
        ("marker indented", format!("  ---\n{pod}")),
        ("end marker", format!("{pod}...\n")),
        ("end marker comment", format!("{pod}... # c\n")),
        ("end then content", format!("{pod}...\n{OTHER_POD}")),
        ("end then marker", format!("{pod}...\n---\n{OTHER_POD}")),
        ("end then content same line", format!("{pod}... x\n")),
        ("two markers", format!("---\n---\n{pod}")),
        ("marker at end", format!("{pod}---\n")),
        ("marker at end no newline", format!("{pod}---")),
        ("marker crlf", format!("---\r\n{pod}")),
        ("marker in block scalar", format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\n  annotations:\n    a: |\n      x\n---\n      y\n{}", &pod[8..])),
        ("marker in quoted", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\n  annotations:\n    a: \"x\n---\n      y\"\n".to_owned()),
        ("end in quoted", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\n  annotations:\n    a: \"x\n...\n      y\"\n".to_owned()),
        ("marker in flow", "apiVersion: v1\nkind: Pod\nmetadata: {name: m,\n---\n  namespace: n}\n".to_owned()),
        ("yaml directive", format!("%YAML 1.1\n---\n{pod}")),
        ("yaml directive 1.2", format!("%YAML 1.2\n---\n{pod}")),
        ("yaml directive 2.0", format!("%YAML 2.0\n---\n{pod}")),
        ("yaml directive twice", format!("%YAML 1.1\n%YAML 1.1\n---\n{pod}")),
        ("tag directive", "%TAG !e! tag:example.com,2000:\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: !e!x m}\n".to_owned()),
        ("undefined handle", "apiVersion: v1\nkind: Pod\nmetadata: {name: !e!x m}\n".to_owned()),
        ("unknown directive", format!("%FOO bar baz\n---\n{pod}")),
        ("directive without marker", format!("%YAML 1.1\n{pod}")),
        ("directive after content", format!("{pod}%YAML 1.1\n---\n{OTHER_POD}")),
        ("percent in value", format!("{pod}  annotations: {{a: \"%YAML\"}}\n")),
        ("directive comment", format!("%YAML 1.1 # c\n---\n{pod}")),
        ("second document directive", format!("{pod}---\n%YAML 1.1\n---\n{OTHER_POD}")),
        ("end then directive", format!("{pod}...\n%YAML 1.1\n---\n{OTHER_POD}")),
    ];
    for (what, text) in variants {
        inputs.text(what, &text);
    }
}

/// YAML 1.1 scalars where strings are expected, bare, quoted and tagged.
fn yaml11_scalars(inputs: &mut Inputs) {
    let scalars = [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "y",
        "Y",
        "n",
        "N",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "~",
        "null",
        "Null",
        "NULL",
        "0",
        "-0",
        "+12",
        "0x1F",
        "0X1f",
        "0o17",
        "017",
        "08",
        "0b101",
        "1_000",
        "1.10",
        "1.",
        ".5",
        "1e3",
        "1.5e-3",
        "1E+2",
        "6.8523015e+5",
        ".inf",
        "-.Inf",
        "+.INF",
        ".NaN",
        ".nan",
        "2024-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "12:30:00",
        "190:20:30",
        "-1:30",
        "1:30.5",
        "=",
        "<<",
        "0.0.1",
        "1.2.3",
        "v1",
        "123abc",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "-9223372036854775809",
        "1e400",
        "0x_1F",
        "1__0",
        "+.5",
        "._5",
        "0b",
        "0x",
        "-",
        "+",
        ".",
        "_",
    ];
    let wrappers = [
        ("bare", "{}"),
        ("single", "'{}'"),
        ("double", "\"{}\""),
        ("str tag", "!!str {}"),
        ("int tag", "!!int {}"),
        ("float tag", "!!float {}"),
        ("bool tag", "!!bool {}"),
        ("null tag", "!!null {}"),
        ("local tag", "!x {}"),
        ("binary tag", "!!binary {}"),
        ("timestamp tag", "!!timestamp {}"),
    ];
    for (s, scalar) in scalars.iter().enumerate() {
        for (w, (wrapper, shape)) in wrappers.iter().enumerate() {
            let value = shape.replace("{}", scalar);
            // Bare and quoted in every slot, tags in a few (the cases multiply fast).
            let slots: &[&str] = match w {
                0..=2 => &[
                    "image",
                    "name",
                    "namespace",
                    "policy",
                    "note",
                    "account",
                    "secret",
                ],
                _ => &["image", "note"],
            };
            for &slot in slots {
                inputs.text(
                    format!("yaml11 {s} {wrapper} {slot}"),
                    &pod(slot, &format!(" {value}")),
                );
            }
        }
    }
    // As keys: a YAML 1.1 key becomes a JSON key of another spelling.
    for scalar in scalars {
        let text = format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n  {scalar}: x\ndata:\n  '{scalar}': eA==\n"
        );
        inputs.text(format!("yaml11 key {scalar}"), &text);
    }
}

fn duplicate_keys(inputs: &mut Inputs) {
    let documents = [
        (
            "dup image",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  containers:\n  - name: w\n    image: first:1\n    image: second:2\n",
        ),
        (
            "dup name",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\n  name: second\n",
        ),
        (
            "dup kind",
            "apiVersion: v1\nkind: Secret\nkind: Pod\nmetadata: {name: d}\n",
        ),
        (
            "dup metadata",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nmetadata: {name: b, namespace: n}\n",
        ),
        (
            "dup containers",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  containers: [{name: a, image: a}]\n  containers: [{name: b, image: b}]\n",
        ),
        (
            "dup spec",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec: {containers: [{name: a, image: a}]}\nspec: {containers: [{name: b, image: b}]}\n",
        ),
        (
            "dup data key",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\ndata:\n  a: eA==\n  a: eQ==\n",
        ),
        (
            "dup stringData",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\nstringData: {a: x}\nstringData: {b: y}\n",
        ),
        (
            "dup type",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\ntype: Opaque\ntype: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: e30=}\n",
        ),
        (
            "dup in flow",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n",
        ),
        (
            "dup quoted and plain",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  \"name\": b\n",
        ),
        (
            "dup yaml11 keys",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    yes: a\n    true: b\n",
        ),
        (
            "dup policy",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  containers:\n  - name: w\n    image: nginx\n    imagePullPolicy: Always\n    imagePullPolicy: Never\n",
        ),
        (
            "dup pull secrets",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  imagePullSecrets: [{name: a}]\n  imagePullSecrets: [{name: b}]\n  containers: [{name: w, image: nginx}]\n",
        ),
        (
            "dup serviceAccountName",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n  serviceAccountName: a\n  serviceAccountName: b\n  serviceAccount: c\n  containers: [{name: w, image: nginx}]\n",
        ),
        (
            "dup apiVersion",
            "apiVersion: v1\napiVersion: apps/v1\nkind: Pod\nmetadata: {name: d}\n",
        ),
        (
            "dup namespace",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n  name: d\n  namespace: b\n",
        ),
    ];
    for (what, text) in documents {
        inputs.text(what, text);
    }
}

fn long_lines(inputs: &mut Inputs) {
    for length in [1_000, 10_000, 100_000] {
        let long = "a".repeat(length);
        inputs.text(
            format!("long image {length}"),
            &pod("image", &format!(" registry.example.com/{long}:1")),
        );
        inputs.text(
            format!("long quoted note {length}"),
            &pod("note", &format!(" \"{long}\"")),
        );
        inputs.text(
            format!("long tag {length}"),
            &pod("image", &format!(" nginx:{long}")),
        );
        let items: Vec<String> = (0..length / 10).map(|i| format!("a{i}")).collect();
        inputs.text(
            format!("long flow {length}"),
            &pod("command", &format!(" [{}]", items.join(", "))),
        );
        inputs.text(
            format!("long comment {length}"),
            &pod("note", &format!(" x # {long}")),
        );
        inputs.text(
            format!("long block {length}"),
            &pod("note", &format!(" |\n      {long}")),
        );
    }
}

/// Workload kinds, Lists, Secrets and ServiceAccounts written in different ways.
fn kinds(inputs: &mut Inputs) {
    let template = "    spec:\n      serviceAccountName: sa\n      imagePullSecrets: [{name: reg}]\n      containers:\n      - name: w\n        image: nginx:1.27\n";
    for kind in [
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "Job",
        "ReplicationController",
    ] {
        let text = format!(
            "apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: k, namespace: n}}\nspec:\n  template:\n{template}"
        );
        inputs.text(format!("kind {kind}"), &text);
    }
    inputs.text("kind CronJob", "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: w\n            image: busybox\n");
    inputs.text("kind PodTemplate", "apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec:\n    containers: [{name: w, image: nginx}]\n");
    inputs.text("kind Rollout", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n      containers: [{name: w, image: nginx}]\n");
    inputs.text("kind List", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: w, image: nginx}]}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: sa}\n  imagePullSecrets: [{name: x}]\n");
    inputs.text("kind PodList", "apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: w, image: nginx}]}\n");
    inputs.text("kind List nested", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: inner}\n    spec: {containers: [{name: w, image: nginx}]}\n");
    inputs.text("kind List empty", "apiVersion: v1\nkind: List\nitems: []\n");
    inputs.text(
        "kind List items mapping",
        "apiVersion: v1\nkind: List\nitems: {a: 1}\n",
    );
    inputs.text("kind Secret dockerconfigjson", "apiVersion: v1\nkind: Secret\nmetadata: {name: reg, namespace: n}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6e319\n");
    inputs.text("kind Secret stringData", "apiVersion: v1\nkind: Secret\nmetadata: {name: reg}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{}}'\n");
    inputs.text("kind Secret both", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: eA==, b: eQ==}\nstringData: {b: y, c: z}\n");
    inputs.text(
        "kind Secret numeric type",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: 12\ndata: {a: eA==}\n",
    );
    inputs.text("kind ServiceAccount", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: n}\nimagePullSecrets:\n- name: a\n- {}\n- name: ''\n");
    inputs.text("kind image volume", "apiVersion: v1\nkind: Pod\nmetadata: {name: v}\nspec:\n  containers: [{name: w, image: nginx}]\n  volumes:\n  - name: data\n    image:\n      reference: quay.io/x/y:1\n      pullPolicy: IfNotPresent\n  - name: e\n    emptyDir: {}\n");
    inputs.text("kind ephemeral", "apiVersion: v1\nkind: Pod\nmetadata: {name: e}\nspec:\n  containers: [{name: w, image: nginx}]\n  ephemeralContainers: [{name: dbg, image: busybox, imagePullPolicy: Never}]\n");
    inputs.text("kind lowercase", "apiVersion: v1\nkind: pod\nmetadata: {name: l}\nspec:\n  containers: [{name: w, image: nginx}]\n");
    inputs.text("containers mapping", "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers: {name: w, image: nginx}\n");
    inputs.text("container scalar", "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers: [nginx, {name: w, image: nginx}, ~]\n");
    inputs.text(
        "spec list",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec: [a]\n",
    );
    inputs.text(
        "metadata scalar",
        "apiVersion: v1\nkind: Pod\nmetadata: m\n",
    );
    inputs.text(
        "kind number",
        "apiVersion: v1\nkind: 12\nmetadata: {name: m}\n",
    );
    inputs.text("missing kind", "apiVersion: v1\nmetadata: {name: m}\n");
    inputs.text("missing apiVersion", "kind: Pod\nmetadata: {name: m}\n");
}

/// The same shapes written as JSON, which kubectl reads when the first non-space character is
/// `{`.
fn json(inputs: &mut Inputs) {
    let object = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j", "namespace": "n"}, "spec": {"imagePullSecrets": [{"name": "r"}], "containers": [{"name": "w", "image": "nginx:1.27", "imagePullPolicy": "Always"}]}}"#;
    let variants = [
        ("compact", object.to_owned()),
        ("pretty", object.replace(", ", ",\n  ").replace("{", "{\n  ")),
        ("tabs", object.replace(", ", ",\n\t")),
        ("crlf", object.replace(", ", ",\r\n  ")),
        ("leading space", format!("\n\n   {object}")),
        ("two objects", format!("{object}\n{object}")),
        ("two objects no space", format!("{object}{object}")),
        ("object then garbage", format!("{object}\nxyz")),
        ("object then yaml", format!("{object}\n---\nkind: Pod\n")),
        ("trailing comma", object.replace("}}]}}", "},]}}")),
        ("comment", format!("// c\n{object}")),
        ("unclosed", object[..object.len() - 1].to_owned()),
        ("dup keys", object.replace("\"image\": \"nginx:1.27\"", "\"image\": \"a\", \"image\": \"b\"")),
        ("number image", object.replace("\"nginx:1.27\"", "1.10")),
        ("null image", object.replace("\"nginx:1.27\"", "null")),
        ("bool policy", object.replace("\"Always\"", "true")),
        ("unicode escapes", object.replace("\"j\"", "\"\\u00e9\\ud83d\\ude00\"")),
        ("bad escape", object.replace("\"j\"", "\"\\q\"")),
        ("lone surrogate", object.replace("\"j\"", "\"\\ud800\"")),
        ("control in string", object.replace("\"j\"", "\"a\tb\"")),
        ("single quotes", object.replace('"', "'")),
        ("array", format!("[{object}]")),
        ("yaml flow first", "{apiVersion: v1, kind: Pod, metadata: {name: y}}\n".to_owned()),
        ("big number", object.replace("\"nginx:1.27\"", "123456789012345678901234567890")),
        ("exponent", object.replace("\"nginx:1.27\"", "1e5")),
        ("nested list", r#"{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "w", "image": "x"}]}}]}"#.to_owned()),
        ("secret", r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": "e30="}}"#.to_owned()),
        ("deep", format!("{}{}", "{\"a\": ".repeat(200), "1".to_owned() + &"}".repeat(200))),
    ];
    for (what, text) in variants {
        inputs.text(format!("json {what}"), &text);
        inputs.push(
            format!("json {what} +bom"),
            [b"\xef\xbb\xbf", text.as_bytes()].concat(),
        );
    }
    inputs.push("json utf16le", utf16(object, false, true));
    inputs.push(
        "yaml utf16le no bom",
        utf16(&pod("name", " x"), false, false),
    );
    inputs.push(
        "yaml utf16be no bom",
        utf16(&pod("name", " x"), true, false),
    );
    inputs.push(
        "latin1",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n".to_vec(),
    );
    inputs.push(
        "bom twice",
        [
            b"\xef\xbb\xbf\xef\xbb\xbf".as_slice(),
            pod("name", " x").as_bytes(),
        ]
        .concat(),
    );
    inputs.push(
        "bom in second document",
        format!("{OTHER_POD}---\n\u{feff}{}", pod("name", " x")).into_bytes(),
    );
}
