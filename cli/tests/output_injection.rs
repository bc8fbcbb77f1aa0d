//! Output injection (issue 14): whatever a file name, a value in a manifest, a config key or a
//! command-line argument holds, no output lets it act on a terminal or a CI log. Generated:
//! every C0 and C1 control character, DEL, ESC/OSC/CSI sequences, CR, LF, workflow-command
//! look-alikes, `%`, `,`, `:` and `##` log-command prefixes, each put into a file name, a
//! namespace, pull secret names, a container name, an image, a Secret `type`, an ignore
//! selector and a path that cannot be read, linted in every output format; into config keys;
//! into `imglint image` references, `imglint rule` codes and a flag value clap refuses. Each
//! output is checked for raw control characters (only the renderer's own line breaks may be
//! there), lines a runner would take for a command, and, in JSON and SARIF, the true values.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{imglint, sarif_validator, sarif_violations, scratch};
use imglint_cli::render::escape::escape;

/// The hostile strings, each with a label for failure messages.
fn hostile() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = ('\u{0}'..='\u{9f}')
        .filter(|c| c.is_control())
        .map(|c| (format!("U+{:04X}", u32::from(c)), format!("a{c}b")))
        .collect();
    for (label, text) in [
        ("CSI colour", "\u{1b}[31mred\u{1b}[0m"),
        ("CSI clear screen", "\u{1b}[2J\u{1b}[H"),
        ("OSC title", "\u{1b}]0;pwned\u{7}"),
        ("OSC 8 link", "\u{1b}]8;;x\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
        ("C1 CSI", "\u{9b}31mred"),
        ("C1 OSC", "\u{9d}0;pwned\u{9c}"),
        ("CR", "a\rb"),
        ("LF", "a\nb"),
        ("CRLF", "a\r\nb"),
        ("forged command", "\n::error file=a,line=1::forged\n"),
        ("forged command, CR", "\r::error file=a,line=1::forged\r"),
        ("command at start", "::warning title=x::forged"),
        ("escaped newline", "%0A::error::percent%0D"),
        ("percent", "50%25%"),
        ("property separators", "a,b:c=d"),
        ("legacy command", "##[error]v1"),
        ("Azure command", "##vso[task.complete result=Failed]x"),
        ("three hashes", "###[warning]y"),
    ] {
        all.push((label.to_owned(), text.to_owned()));
    }
    all
}

/// A YAML double-quoted scalar holding exactly `text` (every character but letters and
/// digits as an escape, so the file itself is plain ASCII).
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// A Pod and its pull Secret with `h` in every string a message quotes.
fn manifest(h: &str) -> String {
    let q = |prefix: &str| quoted(&format!("{prefix}{h}"));
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: {ns}\n  annotations:\n    imglint.dev/ignore: {selector}\nspec:\n  imagePullSecrets: [{{name: {secret}}}, {{name: {missing}}}]\n  containers:\n  - name: {container}\n    image: {image}\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {secret}, namespace: {ns}}}\ntype: {secret_type}\ndata: {{}}\n",
        ns = q("ns"),
        selector = q("IMG9"),
        secret = q("sec"),
        missing = q("gone"),
        container = q("c"),
        image = q("nginx"),
        secret_type = q("kubernetes.io/"),
    )
}

/// Where `text` breaks the rules, one message per offence.
fn offences(text: &str, workflow_commands_allowed: bool) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.split('\n').enumerate() {
        let shown = line.escape_debug();
        if let Some(c) = line.chars().find(|c| c.is_control()) {
            found.push(format!(
                "raw U+{:04X} on line {}: {shown}",
                u32::from(c),
                number + 1
            ));
        }
        // GitHub's runner trims leading blanks, then looks for `::`.
        if !workflow_commands_allowed && line.trim_start().starts_with("::") {
            found.push(format!(
                "line {} starts a workflow command: {shown}",
                number + 1
            ));
        }
        for prefix in ["##[", "##vso[", "##teamcity["] {
            if line.contains(prefix) {
                found.push(format!("line {} holds `{prefix}`: {shown}", number + 1));
            }
        }
    }
    found
}

fn check(what: &str, bytes: &[u8], workflow_commands_allowed: bool) -> String {
    let text = String::from_utf8(bytes.to_vec())
        .unwrap_or_else(|error| panic!("{what}: not UTF-8: {error}"));
    let found = offences(&text, workflow_commands_allowed);
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
    text
}

/// The runner's `escapeProperty` undone (`UnescapeProperty` in actions/runner).
fn unescape_property(value: &str) -> String {
    value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Percent-decoding of a SARIF URI.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = uri
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

const FORMATS: [&str; 4] = ["human", "json", "sarif", "github"];

#[test]
#[allow(clippy::print_stderr)] // the size of the test, shown with --nocapture
fn no_input_reaches_the_terminal_or_the_log_raw_in_any_format() {
    let hostile = hostile();
    // NUL and `/` cannot be in a file name; every other string is one.
    let files: Vec<(String, String)> = hostile
        .iter()
        .enumerate()
        .map(|(i, (_, h))| (format!("f{i:02}{}.yaml", h.replace('\0', "0")), manifest(h)))
        .collect();
    let named: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let dir = scratch(&named);
    std::fs::write(
        dir.path("config.yaml"),
        "tenancy: multi\nsecrets: complete\n",
    )
    .unwrap();
    let missing: Vec<String> = hostile
        .iter()
        .enumerate()
        .map(|(i, (_, h))| format!("missing{i:02}{}.yaml", h.replace('\0', "0")))
        .collect();
    std::fs::create_dir_all(dir.path("manifests")).unwrap();
    for (name, _) in &files {
        std::fs::rename(dir.path(name), dir.path("manifests").join(name)).unwrap();
    }
    let run = |format: &str| {
        imglint()
            .current_dir(&dir.0)
            .args(["lint", "--format", format, "--config", "config.yaml"])
            .args(["--select", "ALL", "--fail-on", "never", "manifests"])
            .args(&missing)
            .output()
            .unwrap()
    };
    let true_files: BTreeSet<String> = files
        .iter()
        .map(|(name, _)| Path::new("manifests").join(name).display().to_string())
        .collect();

    // JSON first: it says what the other formats must show.
    let json = run("json");
    assert_eq!(
        json.status.code(),
        Some(2),
        "the missing paths are input errors"
    );
    let text = check("json stdout", &json.stdout, false);
    check("json stderr", &json.stderr, false);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let errors = report["errors"].as_array().unwrap();
    // The true strings, not escaped ones.
    let reported_files: BTreeSet<String> = diagnostics
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reported_files, true_files);
    let error_files: BTreeSet<&str> = errors.iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(
        error_files,
        missing.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    let mut values_seen = 0;
    for (i, (label, h)) in hostile.iter().enumerate() {
        let file = Path::new("manifests")
            .join(&files[i].0)
            .display()
            .to_string();
        let of_file: Vec<&serde_json::Value> =
            diagnostics.iter().filter(|d| d["file"] == file).collect();
        let codes: BTreeSet<&str> = of_file
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        for code in ["IMG003", "IMG101", "IMG301", "IMG303"] {
            assert!(codes.contains(code), "{label}: no {code} in {codes:?}");
        }
        for d in &of_file {
            assert_eq!(d["object"]["namespace"], format!("ns{h}"), "{label}");
            let message = d["message"].as_str().unwrap();
            if d["code"] == "IMG303" {
                assert!(message.contains(&format!("`sec{h}`")), "{label}: {message}");
                assert!(
                    message.contains(&format!("`kubernetes.io/{h}`")),
                    "{label}: {message}"
                );
                values_seen += 1;
            }
            if d["code"] == "IMG301" {
                assert!(
                    message.contains(&format!("`gone{h}`")),
                    "{label}: {message}"
                );
            }
        }
    }
    assert_eq!(values_seen, hostile.len());

    let count = diagnostics.len();
    for format in ["human", "sarif", "github"] {
        let output = run(format);
        assert_eq!(output.status.code(), Some(2), "{format}");
        let stdout = check(
            &format!("{format} stdout"),
            &output.stdout,
            format == "github",
        );
        let stderr = check(&format!("{format} stderr"), &output.stderr, false);
        for name in &missing {
            assert!(
                stderr.contains(&format!("cannot read `{}`", escape(name))),
                "{format}: {name:?} in {stderr}"
            );
        }
        match format {
            "human" => {
                for file in &true_files {
                    assert!(
                        stdout.contains(&format!("[{}:", escape(file))),
                        "{file:?} in the frames"
                    );
                }
            }
            "sarif" => {
                let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(
                    sarif_violations(&sarif_validator(), &log),
                    Vec::<String>::new()
                );
                let results = log["runs"][0]["results"].as_array().unwrap();
                assert_eq!(results.len(), count);
                let uris: BTreeSet<String> = results
                    .iter()
                    .map(|r| {
                        let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
                        percent_decode(uri.as_str().unwrap())
                    })
                    .collect();
                assert_eq!(uris, true_files);
            }
            "github" => {
                // Every line but the summary is one of imglint's own commands, as the runner
                // parses it (`ActionCommand.TryParseV2`), on a file of the run.
                let mut commands = 0;
                let escaped_files: BTreeSet<String> = true_files
                    .iter()
                    .chain(&missing)
                    .map(|file| escape(file).into_owned())
                    .collect();
                for line in stdout.lines() {
                    if line.starts_with("Found ") || line.starts_with("No problems") {
                        continue;
                    }
                    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("{line}"));
                    let end = rest.find("::").unwrap_or_else(|| panic!("{line}"));
                    let (command, properties) = rest[..end].split_once(' ').unwrap();
                    assert!(["error", "warning", "notice"].contains(&command), "{line}");
                    let mut file = None;
                    for property in properties.split(',') {
                        let (key, value) = property.split_once('=').unwrap();
                        assert!(
                            ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                            "{line}"
                        );
                        if key == "file" {
                            file = Some(unescape_property(value));
                        }
                    }
                    let file = file.unwrap_or_else(|| panic!("{line}"));
                    assert!(escaped_files.contains(&file), "{file:?}");
                    commands += 1;
                }
                assert_eq!(commands, count + errors.len());
            }
            _ => unreachable!(),
        }
    }
    eprintln!(
        "{} hostile strings × {} carriers (file name, unreadable path, namespace, 2 pull secret names, container, image, Secret type, ignore selector) × {} formats: {count} findings, {} input errors per format",
        hostile.len(),
        9,
        FORMATS.len(),
        errors.len()
    );
}

#[test]
fn config_keys_flags_references_and_codes_are_escaped_too() {
    let hostile = hostile();
    // Config keys: every unknown key is reported, in a frame, on standard error.
    let config: String = hostile
        .iter()
        .map(|(_, h)| format!("{}: 1\n", quoted(&format!("key{h}"))))
        .collect();
    let dir = scratch(&[("config.yaml", &config), ("pod.yaml", "kind: Pod\n")]);
    for format in FORMATS {
        let output = imglint()
            .current_dir(&dir.0)
            .args([
                "lint",
                "--format",
                format,
                "--config",
                "config.yaml",
                "pod.yaml",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        check(&format!("config, {format} stdout"), &output.stdout, false);
        let stderr = check(&format!("config, {format} stderr"), &output.stderr, false);
        for (label, h) in &hostile {
            assert!(
                stderr.contains(&format!("`{}`", escape(&format!("key{h}")))),
                "{label}: {stderr}"
            );
        }
    }

    // References: human frames and the JSON, which keeps the true input.
    // No NUL in an argument.
    let references: Vec<String> = hostile
        .iter()
        .map(|(_, h)| format!("nginx{}", h.replace('\0', "0")))
        .collect();
    let human = imglint()
        .arg("image")
        .arg("--")
        .args(&references)
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(1));
    check("image, human", &human.stdout, false);
    check("image, human stderr", &human.stderr, false);
    let json = imglint()
        .args(["image", "--format", "json", "--"])
        .args(&references)
        .output()
        .unwrap();
    let text = check("image, json", &json.stdout, false);
    let infos: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let inputs: Vec<&str> = infos.iter().map(|i| i["input"].as_str().unwrap()).collect();
    assert_eq!(inputs, references);

    // A rule code that does not exist, and a flag value clap refuses.
    for (label, h) in &hostile {
        if h.contains('\0') {
            continue; // no NUL in an argument
        }
        let rule = imglint()
            .args(["rule", &format!("IMG{h}")])
            .output()
            .unwrap();
        assert_eq!(rule.status.code(), Some(2), "{label}");
        let stderr = check(&format!("rule, {label}"), &rule.stderr, false);
        assert!(
            stderr.contains(&*escape(&format!("IMG{h}"))),
            "{label}: {stderr}"
        );
        let flag = imglint()
            .args(["lint", "--format", &format!("x{h}"), "pod.yaml"])
            .current_dir(&dir.0)
            .output()
            .unwrap();
        assert_eq!(flag.status.code(), Some(2), "{label}");
        let stderr = check(&format!("--format, {label}"), &flag.stderr, false);
        assert!(
            stderr.contains(&*escape(&format!("x{h}"))),
            "{label}: {stderr}"
        );
    }
}

/// A lone CR ends a line (old Mac files), as in YAML and go-yaml: the frame shows the lines
/// the JSON numbers, and no raw CR.
#[test]
fn line_endings_agree_between_frames_and_json() {
    let lines = [
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: p}",
        "spec:",
        "  containers:",
        "  - name: a",
        "    image: nginx:1.27",
        "    ports: []",
        "",
    ];
    for (label, ending) in [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")] {
        let dir = scratch(&[("pod.yaml", &lines.join(ending))]);
        let run = |format: &str| {
            imglint()
                .current_dir(&dir.0)
                .args(["lint", "--select", "IMG104", "--format", format, "pod.yaml"])
                .output()
                .unwrap()
        };
        let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
        let d = &json["diagnostics"][0];
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(7), Some(12)),
            "{label}"
        );
        let human = check(label, &run("human").stdout, false);
        assert!(human.contains("[pod.yaml:7:12]"), "{label}: {human}");
        assert!(
            human.contains(" 7 │     image: nginx:1.27\n"),
            "{label}: {human}"
        );
        assert!(human.contains(" 6 │   - name: a\n"), "{label}: {human}");
        assert!(human.contains(" 8 │     ports: []\n"), "{label}: {human}");
        let github = check(label, &run("github").stdout, true);
        assert!(github.contains("line=7,col=12,"), "{label}: {github}");
    }
}

/// miette wraps long messages and help, breaking at blanks and inside long words, so a `::`
/// from input can start a line with no line break in the input: GitHub's runner trims the
/// indentation and reads a command. The secret names put the wrap at every position.
#[test]
fn wrapped_lines_never_start_a_workflow_command() {
    let text: String = (0..100)
        .map(|k| {
            let name = format!("{} ::error::wrapped", "x".repeat(k));
            format!(
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{k}, namespace: a}}\nspec:\n  imagePullSecrets: [{{name: \"{name}\"}}]\n  containers: [{{name: c, image: \"registry.example.com/app:1.0\"}}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: \"{name}\", namespace: b}}\ntype: kubernetes.io/dockerconfigjson\ndata: {{.dockerconfigjson: e30=}}\n"
            )
        })
        .collect();
    let dir = scratch(&[("pods.yaml", &text)]);
    let output = imglint()
        .current_dir(&dir.0)
        .args(["lint", "--select", "IMG302", "pods.yaml"])
        .output()
        .unwrap();
    let stdout = check("human", &output.stdout, false);
    assert_eq!(stdout.matches("IMG302").count(), 100);
    // Wrapping did put a `::` at the start of a line, where it is escaped.
    assert!(
        stdout.contains("\n        \\u{3a}:error::wrapped`"),
        "{stdout}"
    );
}
