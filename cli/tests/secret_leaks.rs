//! No Secret material in any output, whatever shape it is written in (issue 14: redaction was
//! a list of what to hide, so every shape nobody listed leaked).
//!
//! Generated manifests put a canary of its own in every field shape of a Secret (a value of
//! `stringData` or `data`, base64 or not, a docker config, an annotation, a label,
//! `annotations` or `data` that is no mapping, a list, a key with no space after its colon, an
//! unknown field, `items`, a comment, the lines kubectl cuts off at a `---` inside a block
//! scalar), written in every style (plain, single- and double-quoted, escaped, literal and
//! folded blocks, anchored with an alias elsewhere, tagged, a tag holding a quote), in every
//! form of document (alone with a Pod that uses it, the field duplicated, merged away by a
//! `<<` that is shadowed, in a `List`, in `items` written as a mapping, broken by a syntax
//! error, `kind` spelled five other ways, an invalid byte before it, UTF-16 without and with
//! its byte-order mark, the value aliased into a Pod's image and container name), and JSON
//! Secrets (strings, escapes, duplicated keys, a syntax error at the value). All of them are
//! linted in every output format with every rule on, a multi-tenant config, and Pods in
//! another file that use each Secret (so labels carry its lines): no canary may be in standard
//! output or standard error. So must a Secret manifest named by `--config` (its errors are
//! drawn on standard error).

use std::collections::{BTreeMap, HashMap};

use clap::ValueEnum;
use imglint_cli::args::LintFormat;

mod common;

use common::{imglint, scratch};

/// How a value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    /// Double-quoted, its first character as a `\x` escape: the text differs from the value.
    Escaped,
    Literal,
    Folded,
    /// `&a 'value'`, with `copy: *a` elsewhere in the document.
    Anchored,
    /// `!!str value`
    Tagged,
    /// `!x'y 'value'`: a tag with a quote in it, which once ended the value early.
    QuotedTag,
}

const STYLES: [Style; 9] = [
    Style::Plain,
    Style::Single,
    Style::Double,
    Style::Escaped,
    Style::Literal,
    Style::Folded,
    Style::Anchored,
    Style::Tagged,
    Style::QuotedTag,
];

fn double_quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

impl Style {
    /// `text` written in this style as the value of a key at column `indent`; `None` where
    /// the style cannot write it (a block scalar in a flow mapping, plain text that YAML would
    /// read as something else).
    fn write(self, text: &str, indent: usize, flow: bool) -> Option<String> {
        let pad = " ".repeat(indent + 2);
        let plain_ok = !text.starts_with(|c: char| "{}[]'\"&*!|>#%@`,?:-".contains(c));
        Some(match self {
            Self::Plain if plain_ok => text.to_owned(),
            Self::Plain => return None,
            Self::Single => format!("'{}'", text.replace('\'', "''")),
            Self::Double => format!("\"{}\"", double_quoted(text)),
            Self::Escaped => {
                let first = text.chars().next()?;
                let rest = &text[first.len_utf8()..];
                format!("\"\\x{:02x}{}\"", u32::from(first), double_quoted(rest))
            }
            Self::Literal if !flow => format!("|\n{pad}{text}"),
            Self::Folded if !flow => format!(">-\n{pad}{text}"),
            Self::Literal | Self::Folded => return None,
            Self::Anchored => format!("&a '{}'", text.replace('\'', "''")),
            Self::Tagged => format!("!!str '{}'", text.replace('\'', "''")),
            Self::QuotedTag => format!("!x'y '{}'", text.replace('\'', "''")),
        })
    }
}

/// A Secret's fields holding the canary: the top-level key they are under, the lines (at
/// column 0, each ending in a line break), and every text of the canary that must not leak.
struct Fields {
    key: &'static str,
    lines: String,
    forbidden: Vec<String>,
}

/// Writes a value: the style's text, perhaps wrapped by the document form (an anchor).
type Write<'a> = &'a dyn Fn(&str, usize, bool) -> Option<String>;

type Shape = fn(&str, &str, Write<'_>) -> Option<Fields>;

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn fields(key: &'static str, lines: String, forbidden: &[&str]) -> Option<Fields> {
    Some(Fields {
        key,
        lines,
        forbidden: forbidden.iter().map(|s| (*s).to_owned()).collect(),
    })
}

/// Every field shape, by name.
const SHAPES: [(&str, Shape); 14] = [
    ("string-data", |canary, _, value| {
        let v = value(canary, 2, false)?;
        fields(
            "stringData",
            format!("stringData:\n  password: {v}\n"),
            &[canary],
        )
    }),
    ("data-not-base64", |canary, _, value| {
        let v = value(canary, 2, false)?;
        fields("data", format!("data:\n  password: {v}\n"), &[canary])
    }),
    ("data-base64", |canary, _, value| {
        let encoded = base64(canary.as_bytes());
        let v = value(&encoded, 2, false)?;
        fields(
            "data",
            format!("data:\n  password: {v}\n"),
            &[canary, &encoded],
        )
    }),
    ("docker-config", |canary, _, value| {
        let auth = base64(format!("ci:{canary}").as_bytes());
        let json = format!(
            "{{\"auths\": {{\"registry.example.com\": {{\"username\": \"ci\", \"password\": \"{canary}\", \"auth\": \"{auth}\"}}}}}}"
        );
        let v = value(&json, 2, false)?;
        fields(
            "stringData",
            format!("stringData:\n  .dockerconfigjson: {v}\n"),
            &[canary, &auth, &json],
        )
    }),
    ("annotation", |canary, name, value| {
        let v = value(canary, 4, false)?;
        fields(
            "metadata",
            format!("metadata:\n  name: {name}\n  annotations:\n    note: {v}\n"),
            &[canary],
        )
    }),
    ("label", |canary, name, value| {
        let v = value(canary, 4, false)?;
        fields(
            "metadata",
            format!("metadata:\n  name: {name}\n  labels:\n    app: {v}\n"),
            &[canary],
        )
    }),
    ("annotations-not-a-mapping", |canary, name, value| {
        let v = value(canary, 2, false)?;
        fields(
            "metadata",
            format!("metadata:\n  name: {name}\n  annotations: {v}\n"),
            &[canary],
        )
    }),
    ("data-not-a-mapping", |canary, _, value| {
        let v = value(canary, 0, false)?;
        fields("data", format!("data: {v}\n"), &[canary])
    }),
    ("string-data-a-list", |canary, _, value| {
        let v = value(canary, 0, false)?;
        fields("stringData", format!("stringData:\n- {v}\n"), &[canary])
    }),
    ("key-without-space", |canary, _, value| {
        // `{password:value}` is one key: `password:value`.
        let v = value(canary, 2, true)?;
        fields(
            "stringData",
            format!("stringData: {{password:{v}, other: [x]}}\n"),
            &[canary],
        )
    }),
    ("unknown-field", |canary, _, value| {
        let v = value(canary, 0, false)?;
        fields("extra", format!("extra: {v}\n"), &[canary])
    }),
    ("items", |canary, _, value| {
        let v = value(canary, 0, false)?;
        fields("items", format!("items:\n- {v}\n"), &[canary])
    }),
    ("comment", |canary, _, value| {
        // Written once, whatever the style.
        value(canary, 2, false).filter(|v| v == canary)?;
        fields(
            "stringData",
            format!("stringData:\n  # the old one: {canary}\n  other: x\n"),
            &[canary],
        )
    }),
    ("block-cut-by-a-separator", |canary, _, value| {
        // kubectl ends the document at the `---`; the rest of the value is a piece of its own.
        value(canary, 2, false).filter(|v| v == canary)?;
        fields(
            "stringData",
            format!("stringData:\n  key: |\n    first line\n---\n    {canary}\n    x: [\n"),
            &[canary],
        )
    }),
];

/// The forms of document a Secret's fields are put in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// With a Pod in the same file that uses it.
    Alone,
    /// The top-level field written again after it (the canary is in the losing copy).
    Duplicated,
    /// The fields under a `<<` merge key, shadowed by the same key written after it.
    Merged,
    List,
    ItemsMapping,
    /// A syntax error right after the fields.
    Broken,
    /// `kind` spelled otherwise.
    Kind(&'static str),
    /// A byte that is not UTF-8 before `kind: Secret`.
    InvalidByte,
    Utf16,
    Utf16WithMark,
    /// The value anchored and aliased as a Pod's image and container name in the same List.
    AliasedIntoPod,
}

const FORMS: [Form; 15] = [
    Form::Alone,
    Form::Duplicated,
    Form::Merged,
    Form::List,
    Form::ItemsMapping,
    Form::Broken,
    Form::Kind("kind: \"Sec\\x72et\""),
    Form::Kind("kind:\n  Secret"),
    Form::Kind("kind: !!str Secret"),
    Form::Kind("? kind\n: Secret"),
    Form::Kind("kind: Secret\nkind: ConfigMap"),
    Form::InvalidByte,
    Form::Utf16,
    Form::Utf16WithMark,
    Form::AliasedIntoPod,
];

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_owned()
            } else {
                format!("{pad}{line}\n")
            }
        })
        .collect()
}

fn pod(secret: &str, container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: uses-{secret}\nspec:\n  imagePullSecrets:\n  - name: {secret}\n  containers:\n  - name: {container}\n    image: other.example.com/app:1.0\n"
    )
}

fn utf16(text: &[u8], mark: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut bytes = if mark { vec![0xff, 0xfe] } else { Vec::new() };
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The file for a Secret named `name` with the canary in `shape`, written in `style`, in
/// `form`; `None` for combinations that cannot be written.
fn manifest(shape: Shape, style: Style, form: Form, name: &str, canary: &str) -> Option<Case> {
    if form == Form::AliasedIntoPod && style == Style::Anchored {
        return None; // one anchor per value
    }
    let anchor = form == Form::AliasedIntoPod;
    let write = |text: &str, indent: usize, flow: bool| {
        let written = style.write(text, indent, flow)?;
        Some(if anchor {
            format!("&c {written}")
        } else {
            written
        })
    };
    let Fields {
        key,
        lines,
        forbidden,
    } = shape(canary, name, &write)?;
    if anchor && !lines.contains("&c ") {
        return None; // nothing to alias
    }
    // `kubernetes.io/dockercfg` without `.dockercfg` is IMG304 at `type`, right after the
    // fields, so that its code frame shows them.
    let ty = if lines.contains(".dockerconfigjson") {
        "type: kubernetes.io/dockerconfigjson\n"
    } else {
        "type: kubernetes.io/dockercfg\n"
    };
    let metadata = if key == "metadata" {
        String::new()
    } else {
        format!("metadata:\n  name: {name}\n")
    };
    let copy = if style == Style::Anchored {
        "copy: *a\n"
    } else {
        ""
    };
    let kind = match form {
        Form::Kind(kind) => kind,
        _ => "kind: Secret",
    };
    let body = match form {
        Form::Duplicated => format!("{lines}{key}: {{}}\n"),
        Form::Merged => format!("<<:\n{}{key}: {{}}\n", indent(&lines, 2)),
        Form::Broken => format!("{lines}broken: [\n"),
        _ => lines,
    };
    let secret = format!("apiVersion: v1\n{kind}\n{metadata}{body}{copy}{ty}");
    let text = match form {
        // With a Pod that uses the Secret, as another item.
        Form::List => format!(
            "apiVersion: v1\nkind: List\nitems:\n-{}-{}",
            &indent(&secret, 2)[1..],
            &indent(&pod(name, "web"), 2)[1..]
        ),
        Form::ItemsMapping => format!(
            "apiVersion: v1\nkind: List\nitems:\n  first:\n{}  second:\n{}",
            indent(&secret, 4),
            indent(&pod(name, "web"), 4)
        ),
        Form::AliasedIntoPod => {
            let pod = pod(name, "*c").replace("other.example.com/app:1.0", "*c");
            format!(
                "apiVersion: v1\nkind: List\nitems:\n-{}-{}",
                &indent(&secret, 2)[1..],
                &indent(&pod, 2)[1..]
            )
        }
        _ => format!("{secret}---\n{}", pod(name, "web")),
    };
    let bytes = match form {
        Form::InvalidByte => {
            // The first line, `apiVersion: v1`, ends in a byte that is not UTF-8.
            let mut bytes = text.into_bytes();
            bytes.insert("apiVersion: v1".len(), 0xff);
            bytes
        }
        Form::Utf16 => utf16(text.as_bytes(), false),
        Form::Utf16WithMark => utf16(text.as_bytes(), true),
        _ => text.into_bytes(),
    };
    Some(Case {
        bytes,
        forbidden,
        interleaved: form == Form::Utf16,
    })
}

struct Case {
    bytes: Vec<u8>,
    forbidden: Vec<String>,
    /// UTF-16 read as UTF-8: a leak would show the canary with a NUL between its letters.
    interleaved: bool,
}

/// The fields of the JSON Secrets, with `VALUE` where the canary goes.
const JSON_FIELDS: [&str; 8] = [
    r#""stringData": {"password": VALUE}"#,
    r#""data": {"password": VALUE}"#,
    r#""metadata": {"name": "NAME", "annotations": {"note": VALUE}}"#,
    r#""metadata": {"name": "NAME", "labels": {"app": VALUE}}"#,
    r#""metadata": {"name": "NAME", "annotations": VALUE}"#,
    r#""extra": VALUE"#,
    r#""items": [VALUE]"#,
    r#""stringData": VALUE"#,
];

/// JSON Secret number `case`: each field of [`JSON_FIELDS`] with the canary as a string, as
/// a string with an escape, in the losing copy of a duplicated key, and unquoted (a syntax
/// error at the value, whose message must not quote its first character).
fn json_secret(canary: &str, name: &str, case: usize) -> String {
    let (field, style) = (JSON_FIELDS[case / 4 % JSON_FIELDS.len()], case % 4);
    let value = match style {
        1 => format!(
            "\"\\u{:04x}{}\"",
            u32::from(canary.as_bytes()[0]),
            &canary[1..]
        ),
        3 => canary.to_owned(),
        _ => format!("\"{canary}\""),
    };
    let field = field.replace("VALUE", &value).replace("NAME", name);
    let duplicate = if style == 2 {
        let key = field.split(':').next().unwrap_or_default();
        format!(", {key}: {{}}")
    } else {
        String::new()
    };
    let metadata = if field.starts_with("\"metadata\"") {
        String::new()
    } else {
        format!("\"metadata\": {{\"name\": \"{name}\"}}, ")
    };
    format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"Secret\", {metadata}{field}{duplicate}, \"type\": \"kubernetes.io/dockercfg\"}}\n"
    )
}

/// What every canary text holds: the canary, or its base64 (`ci:` before it keeps the
/// alignment).
const MARKERS: [&str; 2] = ["canary", "Y2FuYXJ5"];

/// The needles found in `haystack` (each at least 8 bytes long and holding a marker). The
/// outputs are megabytes and there are thousands of needles: without a marker in the output
/// (the search for one is the standard library's, optimised even in a debug build) there is
/// nothing to look for.
fn find_all<'a>(haystack: &str, needles: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut by_prefix: HashMap<&[u8], Vec<&str>> = HashMap::new();
    for needle in needles {
        assert!(needle.len() >= 8, "{needle}");
        assert!(MARKERS.iter().any(|m| needle.contains(m)), "{needle}");
        by_prefix
            .entry(&needle.as_bytes()[..8])
            .or_default()
            .push(needle);
    }
    if !MARKERS.iter().any(|marker| haystack.contains(marker)) {
        return Vec::new();
    }
    let bytes = haystack.as_bytes();
    let mut found = Vec::new();
    for at in 0..bytes.len().saturating_sub(7) {
        if let Some(needles) = by_prefix.get(&bytes[at..at + 8]) {
            found.extend(
                needles
                    .iter()
                    .filter(|n| bytes[at..].starts_with(n.as_bytes())),
            );
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// `output` without what could stand between the letters of UTF-16 read as UTF-8 (a NUL, as
/// a code frame or a message shows it).
fn without_nul(output: &str) -> String {
    output
        .replace("\\u{0}", "")
        .replace("\\u0000", "")
        .replace("\\0", "")
        .replace(['?', '\0'], "")
}

const CONTROL: &str = "controlvalue01";

#[test]
#[allow(clippy::print_stderr)] // the size of the test, shown with --nocapture
fn no_secret_shape_style_or_form_leaks_in_any_format() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut forbidden: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
    let mut pods = String::new();
    let mut combinations = 0;
    for (shape_name, shape) in SHAPES {
        for style in STYLES {
            for form in FORMS {
                combinations += 1;
                let n = files.len();
                let name = format!("s{n:04}");
                let canary = format!("canary{n:04}qz");
                let Some(case) = manifest(shape, style, form, &name, &canary) else {
                    continue;
                };
                let file = format!("{shape_name}.{style:?}.{form:?}.{n}.yaml")
                    .to_lowercase()
                    .replace(['"', ' ', '\\', '\n', '!', '?', ':', '(', ')'], "_");
                forbidden.insert(file.clone(), (case.forbidden, case.interleaved));
                files.push((file, case.bytes));
                pods.push_str(&pod(&name, "web"));
                pods.push_str("---\n");
            }
        }
    }
    let generated = files.len();
    for style in 0..32 {
        let n = files.len();
        let name = format!("s{n:04}");
        let canary = format!("canary{n:04}qz");
        let text = json_secret(&canary, &name, style);
        let file = format!("json.{style}.{n}.json");
        forbidden.insert(file.clone(), (vec![canary.clone()], false));
        files.push((file, text.into_bytes()));
        pods.push_str(&pod(&name, "web"));
        pods.push_str("---\n");
    }
    // The control: a value that is no Secret's, quoted in a message; it must be found.
    pods.push_str(&format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: control\nspec:\n  containers:\n  - name: web\n    image: {CONTROL}:latest\n"
    ));
    let dir = scratch(&[(
        ".imglint.yaml",
        "tenancy: multi\nsecrets: complete\nallowed_registries: [registry.example.com]\n",
    )]);
    for (name, bytes) in &files {
        std::fs::write(dir.path(name), bytes).unwrap();
    }
    std::fs::write(dir.path("pods.yaml"), &pods).unwrap();
    eprintln!(
        "{generated} manifests of {combinations} shape × style × form combinations (the others cannot be written), {} JSON Secrets, {} formats",
        files.len() - generated,
        LintFormat::value_variants().len()
    );
    assert!(generated > 1000, "only {generated} manifests");

    for format in LintFormat::value_variants() {
        let format = format.to_possible_value().unwrap();
        let format = format.get_name();
        let output = imglint()
            .env("COLUMNS", "200")
            .current_dir(&dir.0)
            .args([
                "lint",
                "--fail-on",
                "never",
                "--select",
                "ALL",
                "--format",
                format,
            ])
            .arg(".")
            .output()
            .unwrap();
        assert!(output.status.success(), "{format}: {:?}", output.status);
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(
            text.contains(CONTROL),
            "{format}: the control value is not in the output"
        );
        let owner: HashMap<&str, &str> = forbidden
            .iter()
            .flat_map(|(file, (secrets, _))| secrets.iter().map(|s| (s.as_str(), file.as_str())))
            .collect();
        let mut leaks: Vec<String> = find_all(&text, owner.keys().copied())
            .into_iter()
            .map(|secret| format!("{}: {secret}", owner[secret]))
            .collect();
        let utf16 = forbidden
            .values()
            .filter(|(_, interleaved)| *interleaved)
            .flat_map(|(secrets, _)| secrets.iter().map(String::as_str));
        leaks.extend(
            find_all(&without_nul(&text), utf16)
                .into_iter()
                .map(|secret| format!("{}: {secret} (as UTF-16)", owner[secret])),
        );
        // `encoding/json` quotes the character it stopped at; a Secret's may not be quoted.
        if text.contains("invalid character 'c'") {
            leaks.push("a JSON syntax error quotes the first character of a value".to_owned());
        }
        assert!(
            leaks.is_empty(),
            "{format}: {} leaks:\n{}",
            leaks.len(),
            leaks.join("\n")
        );
        if format == "json" {
            // Every generated file has findings, so its text was there to be shown.
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let mut found: BTreeMap<&str, usize> = BTreeMap::new();
            for diagnostic in report["diagnostics"].as_array().unwrap() {
                *found
                    .entry(diagnostic["file"].as_str().unwrap())
                    .or_default() += 1;
            }
            let silent: Vec<&String> = forbidden
                .keys()
                .filter(|file| !found.contains_key(format!("./{file}").as_str()))
                .collect();
            assert!(silent.is_empty(), "files without findings: {silent:?}");
        }
    }
}

#[test]
fn a_secret_named_as_the_config_file_is_not_shown() {
    let configs = [
        (
            "parsed.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n  password: canaryconfig01\n  other: {password:canaryconfig02}\n# canaryconfig03\n",
        ),
        (
            "broken.yaml",
            "apiVersion: v1\nkind: Secret\nstringData:\n  password: canaryconfig04\n  x: [\n",
        ),
        (
            "broken.json",
            "{\"kind\": \"Secret\", \"stringData\": {\"password\": canaryconfig05}}\n",
        ),
        (
            "list.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- kind: Secret\n  stringData: {password: canaryconfig06}\n",
        ),
        (
            "anchor.yaml",
            "kind: Secret\nstringData: {password: *canaryconfig07}\n",
        ),
    ];
    let dir = scratch(&configs);
    std::fs::write(dir.path("pod.yaml"), pod("x", "web")).unwrap();
    for (config, _) in configs {
        for format in LintFormat::value_variants() {
            let format = format.to_possible_value().unwrap();
            let output = imglint()
                .current_dir(&dir.0)
                .args([
                    "lint",
                    "--format",
                    format.get_name(),
                    "--config",
                    config,
                    "pod.yaml",
                ])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{config}: {output:?}");
            let text = String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr);
            assert!(text.contains(config), "{config}: {text}");
            assert!(
                !text.contains("canaryconfig") && !text.contains("invalid character 'c'"),
                "{config} ({}): {text}",
                format.get_name()
            );
        }
    }
}
