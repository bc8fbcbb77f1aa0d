//! Hostile input, end to end through the `imglint` binary: alias bombs, deep nesting, huge
//! files, huge lines, binary and non-UTF-8 files, thousands of containers, symlink loops,
//! FIFOs and devices, unreadable paths, hostile config files.
//!
//! Each case sits next to a good file with a known finding, and checks that the hostile file
//! gets a positioned diagnostic or a clear error, that the good file is still reported, that
//! the exit code is the documented one (a crash, such as a stack overflow, has none), and that
//! the run stays within time and memory bounds (peak RSS through `/usr/bin/time` when the
//! machine has it). The limits are described in docs/architecture.md, "Limits on hostile
//! input"; the numbers there are measured on release builds, these bounds are for the debug
//! build `cargo test` runs, with a wide margin.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::scratch;
use serde_json::Value;

/// A good file: one IMG103 warning at 7:12.
const GOOD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n  containers:\n  - name: app\n    image: nginx:latest\n";

/// A run that takes longer than this is a hang.
const HANG: Duration = Duration::from_secs(120);

/// What every hostile run must stay under (a debug build, on a shared machine).
const MAX_SECONDS: f64 = 30.0;
const MAX_PEAK_MIB: u64 = 1024;

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    seconds: f64,
    peak_mib: Option<u64>,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "JSON on stdout ({error}); stderr: {}",
                &self.stderr[..self.stderr.len().min(2000)]
            )
        })
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Bounded time and memory, and an exit code (none means a crash, such as a stack
    /// overflow's abort).
    #[allow(clippy::print_stderr)] // shown with --nocapture: the numbers of docs/architecture.md
    fn assert_bounded(&self, what: &str) -> &Self {
        eprintln!(
            "{what}: {:.2} s, peak RSS {} MiB, exit {:?}, {} bytes out",
            self.seconds,
            self.peak_mib
                .map_or_else(|| "?".to_owned(), |p| p.to_string()),
            self.code,
            self.stdout.len()
        );
        assert!(
            self.code.is_some(),
            "{what}: the process crashed: {}",
            &self.stderr[..self.stderr.len().min(2000)]
        );
        assert!(
            self.seconds < MAX_SECONDS,
            "{what}: {:.1} s (bound {MAX_SECONDS} s)",
            self.seconds
        );
        if let Some(peak) = self.peak_mib {
            assert!(
                peak < MAX_PEAK_MIB,
                "{what}: peak RSS {peak} MiB (bound {MAX_PEAK_MIB} MiB)"
            );
        }
        self
    }
}

/// Runs `imglint ARGS` in `dir`, stdin from `stdin` (else empty), output into files (so that a
/// full pipe cannot block it), killed after [`HANG`]. Peak RSS comes from `/usr/bin/time`.
fn exec_in(dir: &Path, args: &[OsString], stdin: Option<&Path>) -> Run {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = std::env::temp_dir().join(format!("imglint-hostile-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let (stdout_path, stderr_path, time_path) =
        (out.join("stdout"), out.join("stderr"), out.join("time"));
    let time = Path::new("/usr/bin/time");
    let binary = assert_cmd::cargo::cargo_bin("imglint");
    let mut command = if time.exists() {
        let mut command = Command::new(time);
        command
            .args(["-f", "%M", "-o"])
            .arg(&time_path)
            .arg(&binary);
        command
    } else {
        Command::new(&binary)
    };
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .stdin(match stdin {
            Some(path) => Stdio::from(std::fs::File::open(path).unwrap()),
            None => Stdio::null(),
        });
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(&out);
            panic!("imglint {args:?} hangs (killed after {HANG:?})");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let seconds = started.elapsed().as_secs_f64();
    // `time` writes "Command terminated by signal N" for a crash, and exits with the child's
    // code otherwise.
    let timed = std::fs::read_to_string(&time_path).unwrap_or_default();
    let crashed = timed.contains("terminated by signal");
    let run = Run {
        code: if crashed { None } else { status.code() },
        stdout: std::fs::read(&stdout_path).unwrap(),
        stderr: String::from_utf8_lossy(&std::fs::read(&stderr_path).unwrap()).into_owned(),
        seconds,
        peak_mib: timed
            .lines()
            .last()
            .and_then(|line| line.trim().parse::<u64>().ok())
            .map(|kib| kib / 1024),
    };
    let _ = std::fs::remove_dir_all(&out);
    run
}

fn exec(dir: &Path, args: &[&str]) -> Run {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    exec_in(dir, &args, None)
}

/// `(file name, code, line, column)` of every diagnostic.
fn found(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn diagnostic<'r>(report: &'r Value, file: &str, code: &str) -> &'r Value {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == file && d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {file}: {report:#}"))
}

fn assert_good_file_reported(report: &Value) {
    let good = diagnostic(report, "good.yaml", "IMG103");
    assert_eq!(
        (good["line"].as_u64(), good["column"].as_u64()),
        (Some(7), Some(12))
    );
}

/// `text` with `from` replaced by bytes that need not be UTF-8.
fn replace_bytes(text: &str, from: &str, to: &[u8]) -> Vec<u8> {
    let at = text.find(from).unwrap();
    [
        &text.as_bytes()[..at],
        to,
        &text.as_bytes()[at + from.len()..],
    ]
    .concat()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `levels` anchors, each aliasing the previous one ten times: 10^levels nodes expanded.
/// An entry of a bomb level: the previous level's alias (`*a`), or a plain `x` at the bottom.
fn alias(_: usize, target: char) -> String {
    if target == 'x' {
        "x".to_owned()
    } else {
        format!("*{target}")
    }
}

fn nested_bomb(
    levels: u8,
    open: &str,
    close: &str,
    entry: impl Fn(usize, char) -> String,
) -> String {
    let mut text = format!(
        "a: &a {open}{}{close}\n",
        (0..10)
            .map(|i| entry(i, 'x'))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for level in 1..levels {
        let (prev, name) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        let refs: Vec<String> = (0..10).map(|i| entry(i, prev)).collect();
        text.push_str(&format!(
            "{name}: &{name} {open}{}{close}\n",
            refs.join(", ")
        ));
    }
    text
}

/// The character where `name`'s IMG001 "excessive aliasing" points (asserting the message).
fn excessive_aliasing_at(
    report: &Value,
    dir: &common::tempdir::Scratch,
    name: &str,
) -> Option<char> {
    let bomb = diagnostic(report, name, "IMG001");
    assert!(
        bomb["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot parse this document: document contains excessive aliasing"),
        "{name}: {bomb:#}"
    );
    let (line, column) = (bomb["line"].as_u64()?, bomb["column"].as_u64()?);
    let text = std::fs::read_to_string(dir.path(name)).unwrap();
    text.lines()
        .nth(usize::try_from(line).ok()? - 1)
        .and_then(|l| l.chars().nth(usize::try_from(column).ok()? - 1))
}

#[test]
fn alias_bombs_are_positioned_errors_and_the_run_goes_on() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    // Sequences of sequences, mappings of mappings, 10^9 nodes.
    write(&dir.0, "sequences.yaml", nested_bomb(9, "[", "]", alias));
    write(
        &dir.0,
        "mappings.yaml",
        nested_bomb(9, "{", "}", |i, target| {
            format!("k{i}: {}", alias(i, target))
        }),
    );
    // Merge keys: each level merges the previous one ten times and aliases it ten times.
    let mut merge = String::from(
        "a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}\n",
    );
    for level in 1..9u8 {
        let (prev, name) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        let merged = vec![format!("*{prev}"); 10].join(", ");
        let aliased: Vec<String> = (0..10).map(|i| format!("m{i}: *{prev}")).collect();
        merge.push_str(&format!(
            "{name}: &{name} {{<<: [{merged}], {}}}\n",
            aliased.join(", ")
        ));
    }
    write(&dir.0, "merge.yaml", merge);
    // A 10,000-entry list of aliases to a 1,000-item list: 10^7 nodes.
    let items = vec!["y"; 1000].join(",");
    write(
        &dir.0,
        "list.yaml",
        format!(
            "x: &x [{items}]\nlist:\n{}kind: Pod\n",
            "- *x\n".repeat(10_000)
        ),
    );
    // Few nodes, so go-yaml's ratio lets it through, but a 1 MB image 1,000 times is 1 GB.
    write(
        &dir.0,
        "bytes.yaml",
        format!(
            "kind: Pod\nspec:\n  containers:\n  - &c {{name: a, image: {}}}\n{}",
            "a".repeat(1 << 20),
            "  - *c\n".repeat(1000)
        ),
    );
    // After a bomb, the file's next document is still linted.
    write(
        &dir.0,
        "then_good.yaml",
        format!("{}---\n{GOOD}", nested_bomb(7, "[", "]", alias)),
    );
    let files = [
        "sequences",
        "mappings",
        "merge",
        "list",
        "bytes",
        "then_good",
    ];
    let mut args = vec!["lint", "--format", "json", "good.yaml"];
    let names: Vec<String> = files.iter().map(|f| format!("{f}.yaml")).collect();
    args.extend(names.iter().map(String::as_str));
    let run = exec(&dir.0, &args);
    run.assert_bounded("alias bombs");
    assert_eq!(run.code, Some(1), "IMG001 is an error");
    let report = run.json();
    assert_good_file_reported(&report);
    for name in &names {
        // At the alias whose expansion crossed go-yaml's ratio, or at the document (1:1) for
        // the bytes a few aliases of huge scalars expand to.
        let at = excessive_aliasing_at(&report, &dir, name);
        let bomb = diagnostic(&report, name, "IMG001");
        assert!(
            (bomb["line"] == 1 && bomb["column"] == 1) || at == Some('*'),
            "{name}: {bomb:#} is at {at:?}"
        );
    }
    assert_eq!(
        diagnostic(&report, "then_good.yaml", "IMG103")["line"],
        15,
        "the document after the bomb"
    );
    assert_eq!(report["errors"], serde_json::json!([]));
}

/// Merge keys, every shape (issue 14): chains of merges of merges and one large mapping merged
/// many times, in flow and block style, through single aliases, merge lists and sequence
/// items, and in a pod's containers. go-yaml's running alias ratio refuses each (kubectl reads
/// none of them); imglint counts the merge as it builds it, so each costs what its text costs,
/// and is a positioned IMG001 at an alias, in every output format, with the rest of the run
/// linted.
#[test]
fn merge_bombs_of_every_shape_are_refused_in_bounded_time() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    const LEVELS: usize = 10_000;
    const KEYS: usize = 20_000;
    const MERGES: usize = 500;
    let keys_flow: Vec<String> = (0..KEYS).map(|i| format!("k{i}: v")).collect();
    let big_flow = format!("big: &b {{{}}}\n", keys_flow.join(", "));
    let big_block: String = std::iter::once("big: &b\n".to_owned())
        .chain((0..KEYS).map(|i| format!("  k{i}: v\n")))
        .collect();
    let mut shapes: Vec<(&str, String)> = Vec::new();
    // A chain: each level merges the one before it (quadratic once expanded).
    let mut chain_flow = String::from("a0: &a0 {k0: v}\n");
    let mut chain_block = String::from("a0: &a0\n  k0: v\n");
    for level in 1..LEVELS {
        let prev = level - 1;
        chain_flow.push_str(&format!(
            "a{level}: &a{level} {{<<: *a{prev}, k{level}: v}}\n"
        ));
        chain_block.push_str(&format!(
            "a{level}: &a{level}\n  <<: *a{prev}\n  k{level}: v\n"
        ));
    }
    shapes.push(("chain_flow", chain_flow));
    shapes.push(("chain_block", chain_block));
    // A fan: one large mapping merged by many mappings, sequence items, or one merge list.
    for (style, big) in [("flow", &big_flow), ("block", &big_block)] {
        let mut mappings = big.clone();
        let mut items = format!("{big}list:\n");
        for i in 0..MERGES {
            mappings.push_str(&format!("m{i}: {{<<: *b}}\n"));
            items.push_str("- <<: *b\n");
        }
        let list = format!("{big}m: {{<<: [{}]}}\n", vec!["*b"; MERGES].join(", "));
        shapes.push((
            if style == "flow" {
                "fan_flow"
            } else {
                "fan_block"
            },
            mappings,
        ));
        shapes.push((
            if style == "flow" {
                "items_flow"
            } else {
                "items_block"
            },
            items,
        ));
        shapes.push((
            if style == "flow" {
                "list_flow"
            } else {
                "list_block"
            },
            list,
        ));
    }
    // Where a manifest has them: containers merged from one huge container.
    let mut pod = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nx: &c {{name: c, image: nginx:1.27, {}}}\nspec:\n  containers:\n",
        keys_flow.join(", ")
    );
    for _ in 0..MERGES {
        pod.push_str("  - <<: *c\n");
    }
    shapes.push(("containers", pod));
    let names: Vec<String> = shapes
        .iter()
        .map(|(name, _)| format!("{name}.yaml"))
        .collect();
    for ((_, text), name) in shapes.iter().zip(&names) {
        write(&dir.0, name, text);
    }
    for format in ["json", "human", "sarif", "github"] {
        let mut args = vec!["lint", "--format", format, "good.yaml"];
        args.extend(names.iter().map(String::as_str));
        let run = exec(&dir.0, &args);
        run.assert_bounded(&format!("merge bombs, {format}"));
        assert_eq!(run.code, Some(1), "{format}: IMG001 is an error");
        let out = run.stdout();
        for name in &names {
            assert!(
                out.contains(name.as_str()),
                "{format}: nothing about {name}"
            );
        }
        assert!(out.contains("excessive aliasing"), "{format}");
        if format != "json" {
            continue;
        }
        let report = run.json();
        assert_good_file_reported(&report);
        for name in &names {
            assert_eq!(
                excessive_aliasing_at(&report, &dir, name),
                Some('*'),
                "{name}: not at an alias"
            );
        }
    }
}

#[test]
fn deep_nesting_neither_overflows_the_stack_nor_stops_the_run() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    let deep = |open: &str, close: &str, depth: usize| {
        format!("{}{}", open.repeat(depth), close.repeat(depth))
    };
    write(
        &dir.0,
        "deep/flow_sequences.yaml",
        format!("a: {}\n", deep("[", "]", 10_000)),
    );
    write(
        &dir.0,
        "deep/flow_mappings.yaml",
        format!("a: {}x{}\n", "{a: ".repeat(10_000), "}".repeat(10_000)),
    );
    write(
        &dir.0,
        "deep/flow_1m.yaml",
        format!("a: {}\n", deep("[", "]", 1_000_000)),
    );
    write(&dir.0, "deep/unclosed_1m.yaml", "[".repeat(1_000_000));
    // Block nesting: compact sequences 10,000 deep; mappings 2,000 deep (each level indents,
    // so 10,000 would be 50 MB); `List`s in `List`s 500 deep (the reader stops at 8).
    write(
        &dir.0,
        "deep/block_sequences.yaml",
        format!("{}x\n", "- ".repeat(10_000)),
    );
    let mappings: String = (0..2000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    write(
        &dir.0,
        "deep/block_mappings.yaml",
        format!("{mappings}{}x\n", " ".repeat(2000)),
    );
    let lists: String = (0..500)
        .map(|i| format!("{0}kind: List\n{0}items:\n{0}-\n", " ".repeat(2 * i)))
        .collect();
    write(&dir.0, "deep/lists.yaml", lists);
    // JSON: encoding/json's limit is 10,000.
    write(
        &dir.0,
        "deep/deep.json",
        format!("{{\"a\": {}}}", deep("[", "]", 10_000)),
    );
    write(
        &dir.0,
        "deep/deep_1m.json",
        format!("{{\"a\": {}}}", deep("[", "]", 1_000_000)),
    );
    write(
        &dir.0,
        "deep/within_limit.json",
        format!("{{\"a\": {}}}", deep("[", "]", 9_998)),
    );
    let run = exec(&dir.0, &["lint", "--format", "json", "deep", "good.yaml"]);
    run.assert_bounded("deep nesting");
    assert_eq!(run.code, Some(1));
    let report = run.json();
    assert_good_file_reported(&report);
    let at = |file: &str| {
        let d = diagnostic(&report, &format!("deep/{file}"), "IMG001");
        (
            d["line"].as_u64().unwrap(),
            d["column"].as_u64().unwrap(),
            d["message"].as_str().unwrap().to_owned(),
        )
    };
    // go-yaml v2's limit, as kubectl has it: 10,000 flow levels are read, the next is refused.
    for (file, column) in [("flow_1m.yaml", 10_004), ("unclosed_1m.yaml", 10_001)] {
        assert_eq!(
            at(file),
            (
                1,
                column,
                "cannot parse this document: exceeded max depth of 10000".to_owned()
            ),
            "{file}"
        );
    }
    for file in ["deep.json", "deep_1m.json"] {
        assert_eq!(
            at(file),
            (
                1,
                10_006,
                "cannot parse this document: exceeded max depth".to_owned()
            ),
            "{file}"
        );
    }
    let broken: Vec<String> = found(&report).into_iter().map(|(file, ..)| file).collect();
    for fine in [
        "flow_sequences.yaml",
        "flow_mappings.yaml",
        "block_sequences.yaml",
        "block_mappings.yaml",
        "lists.yaml",
        "within_limit.json",
    ] {
        assert!(
            !broken.contains(&format!("deep/{fine}")),
            "{fine} parses: {broken:?}"
        );
    }
    assert_eq!(report["summary"]["files"], 11);

    // The human format draws the million-character line cut short.
    let run = exec(
        &dir.0,
        &[
            "lint",
            "deep/flow_1m.yaml",
            "deep/deep_1m.json",
            "good.yaml",
        ],
    );
    run.assert_bounded("deep nesting, human");
    assert_eq!(run.code, Some(1));
    let stdout = run.stdout();
    assert!(stdout.len() < 5000, "{} bytes", stdout.len());
    assert!(stdout.contains("IMG103"), "{stdout}");
}

/// Writes `size` bytes of manifests: Pods with an IMG103 each, in documents.
fn many_documents(path: &Path, size: usize) -> usize {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (mut written, mut pods) = (0, 0);
    while written < size {
        let doc = format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{pods}\nspec:\n  containers:\n  - name: app\n    image: nginx:latest\n"
        );
        file.write_all(doc.as_bytes()).unwrap();
        written += doc.len();
        pods += 1;
    }
    pods
}

#[test]
fn files_over_16_mib_are_refused_unread_and_the_rest_is_linted() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    // 100 MB in many documents, and 100 MB in one document (one huge scalar).
    many_documents(&dir.path("many_documents.yaml"), 100_000_000);
    {
        use std::io::Write;
        let mut file = std::fs::File::create(dir.path("one_document.yaml")).unwrap();
        file.write_all(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: ")
            .unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..100 {
            file.write_all(&chunk).unwrap();
        }
    }
    // Just over the limit.
    write(&dir.0, "over.yaml", vec![b'#'; 16 * 1024 * 1024 + 1]);
    let run = exec(
        &dir.0,
        &[
            "lint",
            "--format",
            "json",
            "good.yaml",
            "many_documents.yaml",
            "one_document.yaml",
            "over.yaml",
        ],
    );
    run.assert_bounded("100 MB files");
    assert!(
        run.seconds < 5.0,
        "refused without reading: {:.1} s",
        run.seconds
    );
    assert_eq!(run.code, Some(2), "an input error");
    let report = run.json();
    assert_good_file_reported(&report);
    let errors = report["errors"].as_array().unwrap();
    let files = ["many_documents.yaml", "one_document.yaml", "over.yaml"];
    assert_eq!(errors.len(), files.len(), "{errors:#?}");
    for (error, file) in errors.iter().zip(files) {
        assert_eq!(error["file"], file);
        let size = std::fs::metadata(dir.path(file)).unwrap().len();
        assert!(size > 16 << 20);
        assert_eq!(
            error["message"],
            format!(
                "imglint reads at most 16777216 bytes (16 MiB) per input, and it is {size} bytes"
            )
        );
    }
    assert!(
        run.stderr.contains("imglint: error: cannot read `over.yaml`: imglint reads at most 16777216 bytes (16 MiB) per input, and it is 16777217 bytes\n"),
        "{}",
        run.stderr
    );

    // The same on standard input, where the size is not known: reading stops at the limit.
    let args: Vec<OsString> = ["lint", "--format", "json", "-", "good.yaml"]
        .map(OsString::from)
        .to_vec();
    let run = exec_in(&dir.0, &args, Some(&dir.path("many_documents.yaml")));
    run.assert_bounded("100 MB on standard input");
    assert_eq!(run.code, Some(2));
    let report = run.json();
    assert_good_file_reported(&report);
    assert_eq!(report["errors"][0]["file"], "<stdin>");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("and it is more than that")
    );
}

#[test]
fn a_large_file_under_the_limit_is_linted_whole() {
    // The fast equivalent of linting at the limit (which takes seconds in a debug build): 4 MB,
    // 22,000 documents, every finding counted, the first 10,000 listed and IMG004 saying how
    // many more there are.
    let dir = scratch(&[("good.yaml", GOOD)]);
    let pods = many_documents(&dir.path("large.yaml"), 4_000_000);
    let run = exec(
        &dir.0,
        &[
            "lint",
            "--format",
            "json",
            "--quiet",
            "large.yaml",
            "good.yaml",
        ],
    );
    run.assert_bounded("4 MB");
    assert_eq!(run.code, Some(0), "warnings only");
    let report = run.json();
    assert_good_file_reported(&report);
    assert_eq!(report["summary"]["objects"].as_u64(), Some(pods as u64 + 1));
    // Every pod's finding, the good file's, and IMG004.
    assert_eq!(
        report["summary"]["warnings"].as_u64(),
        Some(pods as u64 + 2)
    );
    let listed = found(&report)
        .iter()
        .filter(|(file, ..)| file == "large.yaml")
        .count();
    assert_eq!(listed, 10_001, "10,000 findings and IMG004");
    let notice = diagnostic(&report, "large.yaml", "IMG004");
    assert_eq!(
        notice["message"].as_str().unwrap(),
        format!(
            "{} more findings in this file are not shown ({} warnings): imglint shows at most 10000 per file",
            pods - 10_000,
            pods - 10_000
        )
    );
}

#[test]
fn megabyte_values_are_cut_short_in_every_format() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    let pod = |image: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: long}}\nspec:\n  containers:\n  - name: app\n    image: {image}\n"
        )
    };
    write(&dir.0, "letters.yaml", pod(&"a".repeat(1 << 20)));
    write(
        &dir.0,
        "separators.yaml",
        pod(&"a/b:c".repeat((1 << 20) / 5)),
    );
    // A number where a string belongs, a policy, pull secret names and a container name, each
    // a megabyte (the API server's messages quote whole values; miette panicked at a label past
    // column 65,535).
    let big = "x".repeat(1 << 20);
    write(
        &dir.0,
        "values.yaml",
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {big}}}\nspec:\n  imagePullSecrets: [{{name: {big}}}, {{name: {big}}}]\n  containers:\n  - name: {big}\n    image: {}\n  - name: b\n    image: nginx:1.27\n    imagePullPolicy: {big}\n",
            "1".repeat(1 << 20)
        ),
    );
    let files = [
        "good.yaml",
        "letters.yaml",
        "separators.yaml",
        "values.yaml",
    ];
    for format in ["json", "human", "github", "sarif"] {
        let mut args = vec!["lint", "--select", "ALL", "--format", format];
        args.extend(files);
        let run = exec(&dir.0, &args);
        run.assert_bounded(format);
        assert_eq!(
            run.code,
            Some(1),
            "{format}: {}",
            &run.stderr[..run.stderr.len().min(2000)]
        );
        // The inputs are 6 MB; what is printed is a few kilobytes per finding.
        assert!(
            run.stdout.len() < 200_000,
            "{format}: {} bytes",
            run.stdout.len()
        );
        assert!(run.stdout().contains("IMG103"), "{format}");
    }
    let run = exec(
        &dir.0,
        &[
            "lint",
            "--select",
            "ALL",
            "--format",
            "json",
            "letters.yaml",
            "separators.yaml",
            "values.yaml",
        ],
    );
    let report = run.json();
    for file in ["letters.yaml", "separators.yaml"] {
        let d = diagnostic(&report, file, "IMG101");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(7), Some(12))
        );
        assert!(d["message"].as_str().unwrap().len() < 300, "{d:#}");
    }
    for d in report["diagnostics"].as_array().unwrap() {
        for field in ["message", "help"] {
            let text = d[field].as_str().unwrap_or_default();
            assert!(text.chars().count() <= 1000, "{field} of {d}");
        }
        for name in [&d["object"]["name"], &d["container"]] {
            assert!(
                name.as_str().unwrap_or_default().chars().count() <= 254,
                "{d}"
            );
        }
    }
    let codes: Vec<String> = found(&report)
        .into_iter()
        .filter(|(file, ..)| file == "values.yaml")
        .map(|(_, code, ..)| code)
        .collect();
    // A million digits overflow every Go number type, so go-yaml keeps the image a string
    // (kubectl sends it to the API server as one): an invalid reference, not IMG002.
    for code in ["IMG201", "IMG204", "IMG308"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
}

#[test]
fn binary_and_non_utf8_files_are_positioned_errors_without_secrets() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    // Deterministic noise (xorshift), so that a failure can be replayed.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: HUNTER2CANARY\n";
    let utf16 = |text: &str, big_endian: bool| -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(&noise[..2000]);
    let cases: Vec<(&str, Vec<u8>, (u64, u64))> = vec![
        ("random.yaml", noise.clone(), (1, 1)),
        // 0x89 reads as U+FFFD, as kubectl reads it; the 0x1A after `PNG\r\n` is refused.
        ("png.yaml", png, (2, 1)),
        (
            "nul.yaml",
            GOOD.replace("name: app", "name: a\0pp").into_bytes(),
            (6, 12),
        ),
        (
            "escape.yaml",
            GOOD.replace("name: app", "name: a\u{1b}[2Jpp").into_bytes(),
            (6, 12),
        ),
        (
            "secret_nul.yaml",
            secret
                .replace("HUNTER2CANARY", "HUNTER2\0CANARY")
                .into_bytes(),
            (5, 20),
        ),
    ];
    let mut args = vec!["lint".to_owned(), "good.yaml".to_owned()];
    for (name, bytes, _) in &cases {
        write(&dir.0, name, bytes);
        args.push((*name).to_owned());
    }
    // Read as kubectl reads them (U+FFFD for each byte that is not UTF-8, one character
    // each), the random bytes are refused at their first control character.
    let decoded = imglint_core::source::go_lossy_utf8(&noise);
    let control = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || c == '\u{7f}'
            || (('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}')
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    let prefix: String = decoded.chars().take_while(|&c| !control(c)).collect();
    let last_line = prefix.rsplit(['\n', '\r']).next().unwrap_or_default();
    let random_at = (
        1 + prefix.replace("\r\n", "\n").matches(['\n', '\r']).count() as u64,
        1 + last_line.chars().count() as u64,
    );
    // Files kubectl reads: UTF-16 with a byte-order mark, bytes that are not UTF-8 (U+FFFD).
    let readable: Vec<(&str, Vec<u8>)> = vec![
        ("utf16le.yaml", utf16(GOOD, false)),
        ("utf16be.yaml", utf16(GOOD, true)),
        // ED A0 80 would be U+D800, a lone surrogate: three bytes that are not UTF-8.
        (
            "surrogate.yaml",
            replace_bytes(GOOD, "latest", b"lat\xed\xa0\x80est"),
        ),
        ("secret_utf16.yaml", utf16(secret, false)),
        (
            "secret_bad_byte.yaml",
            replace_bytes(&format!("{secret}other: X\n"), "X", b"\xff"),
        ),
    ];
    for (name, bytes) in &readable {
        write(&dir.0, name, bytes);
        args.push((*name).to_owned());
    }
    for format in ["json", "human", "github", "sarif"] {
        let mut with_format: Vec<&str> = args.iter().map(String::as_str).collect();
        with_format.extend(["--format", format]);
        let run = exec(&dir.0, &with_format);
        run.assert_bounded(format);
        assert_eq!(run.code, Some(1), "{format}");
        let stdout = run.stdout();
        assert!(
            !stdout.contains("CANARY") && !run.stderr.contains("CANARY"),
            "{format}: a Secret value leaked"
        );
        assert!(
            !stdout.contains("HUNTER2"),
            "{format}: a Secret value leaked"
        );
        assert!(
            !run.stdout.contains(&0x1b),
            "{format}: an escape sequence reached the terminal"
        );
        assert!(stdout.contains("IMG103"), "{format}");
        if format != "json" {
            continue;
        }
        let report = run.json();
        assert_good_file_reported(&report);
        for (name, _, at) in &cases {
            let d = diagnostic(&report, name, "IMG001");
            let at = if *name == "random.yaml" {
                random_at
            } else {
                *at
            };
            assert_eq!(
                (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()),
                at,
                "{name}: {d:#}"
            );
        }
        let message = |name: &str| {
            diagnostic(&report, name, "IMG001")["message"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(message("png.yaml").ends_with("control characters are not allowed"));
        for (name, _) in &readable {
            assert!(
                !found(&report)
                    .iter()
                    .any(|(file, code, ..)| file == name && code == "IMG001"),
                "{name} is read as kubectl reads it"
            );
        }
        for name in ["utf16le.yaml", "utf16be.yaml"] {
            assert_eq!(diagnostic(&report, name, "IMG103")["line"], 7, "{name}");
        }
        assert!(message("nul.yaml").ends_with("control characters are not allowed"));
        assert!(message("escape.yaml").ends_with("control characters are not allowed"));
    }
    // A frame at the very end of a file that ends inside a multi-byte character's line.
    write(&dir.0, "end.yaml", "kind: Pod\nspec: [é");
    let run = exec(&dir.0, &["lint", "end.yaml"]);
    run.assert_bounded("end");
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout()
            .contains("[end.yaml:2:8]\n 1 │ kind: Pod\n 2 │ spec: [é\n   ·        ▲"),
        "{}",
        run.stdout()
    );
    // A UTF-8 byte-order mark is allowed, as kubectl allows it.
    write(&dir.0, "bom.yaml", format!("\u{feff}{GOOD}"));
    let run = exec(&dir.0, &["lint", "--format", "json", "bom.yaml"]);
    assert_eq!(
        found(&run.json()),
        [("bom.yaml".to_owned(), "IMG103".to_owned(), 7, 12)]
    );
}

#[test]
fn thousands_of_containers_are_all_reported_in_linear_time() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    let pod = |containers: String| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: many}}\nspec:\n  containers:\n{containers}"
        )
    };
    let block: String = (0..10_000)
        .map(|i| format!("  - name: c{i}\n    image: nginx:latest\n"))
        .collect();
    write(&dir.0, "block.yaml", pod(block));
    // On one line: 10,000 findings on a 380 kB line (miette panicked past column 65,535, and
    // drew the whole line in every frame).
    let flow: Vec<String> = (0..10_000)
        .map(|i| format!("{{name: c{i}, image: \"nginx:latest\"}}"))
        .collect();
    write(
        &dir.0,
        "flow.yaml",
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: flow}}\nspec: {{containers: [{}]}}\n",
            flow.join(", ")
        ),
    );
    // 10,000 aliases of one container.
    write(
        &dir.0,
        "aliases.yaml",
        pod(format!(
            "  - &c {{name: app, image: 'nginx:latest'}}\n{}",
            "  - *c\n".repeat(9_999)
        )),
    );
    // 20,000 pull secrets, all the same (duplicate detection was quadratic).
    write(
        &dir.0,
        "pull_secrets.yaml",
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: ps}}\nspec:\n  imagePullSecrets:\n{}  containers:\n  - {{name: a, image: 'nginx:1.27'}}\n",
            "  - name: same\n".repeat(20_000)
        ),
    );
    let run = exec(
        &dir.0,
        &[
            "lint",
            "--format",
            "json",
            "good.yaml",
            "block.yaml",
            "flow.yaml",
            "aliases.yaml",
            "pull_secrets.yaml",
        ],
    );
    run.assert_bounded("10,000 containers");
    assert_eq!(run.code, Some(0), "warnings only");
    let report = run.json();
    assert_good_file_reported(&report);
    let count = |file: &str, code: &str| {
        found(&report)
            .iter()
            .filter(|(f, c, ..)| f == file && c == code)
            .count()
    };
    assert_eq!(count("block.yaml", "IMG103"), 10_000);
    assert_eq!(count("flow.yaml", "IMG103"), 10_000);
    assert_eq!(count("aliases.yaml", "IMG103"), 10_000);
    // 19,999 duplicates: the first 10,000 are listed, IMG004 counts the rest.
    assert_eq!(count("pull_secrets.yaml", "IMG308"), 10_000);
    assert_eq!(count("pull_secrets.yaml", "IMG004"), 1);
    assert_eq!(
        count("block.yaml", "IMG004"),
        0,
        "at the limit, not past it"
    );
    assert_eq!(report["summary"]["containers"], 30_002);
    let total = report["diagnostics"].as_array().unwrap().len();

    // Human frames cost the lines they show (they were drawn from the whole file: 9.5 s for
    // `block.yaml` in a release build), also on the one long line.
    let run = exec(&dir.0, &["lint", "good.yaml", "block.yaml", "flow.yaml"]);
    run.assert_bounded("10,000 containers, human");
    assert_eq!(run.code, Some(0));
    let stdout = run.stdout();
    assert_eq!(stdout.matches("IMG103").count(), 20_001);
    assert!(stdout.len() < 20_001 * 1000, "{} bytes", stdout.len());
    assert!(
        stdout.ends_with(
            "Found 20001 problems (20001 warnings) in 3 files (3 objects, 20001 containers).\n"
        ),
        "{}",
        &stdout[stdout.len().saturating_sub(300)..]
    );
    // The good file's, the three files of 10,000 containers, and the pull secrets' 10,000 listed
    // with their IMG004.
    assert_eq!(total, 1 + 30_000 + 10_000 + 1);
}

#[test]
fn links_fifos_and_devices_neither_hang_nor_trap_the_walk() {
    let dir = scratch(&[("tree/good.yaml", GOOD), ("tree/dir.yaml/inner.yaml", GOOD)]);
    let tree = dir.path("tree");
    let link =
        |target: &str, name: &str| std::os::unix::fs::symlink(target, tree.join(name)).unwrap();
    std::fs::create_dir_all(tree.join("loop")).unwrap();
    link("..", "loop/up");
    link("../loop", "loop/self");
    link("b.yaml", "a.yaml");
    link("a.yaml", "b.yaml");
    link("nowhere.yaml", "dangling.yaml");
    link("/dev/zero", "zero.yaml");
    write(&dir.0, "elsewhere/good.yaml", GOOD);
    link("../elsewhere/good.yaml", "alias.yaml");
    write(&dir.0, "huge.yaml", vec![b'#'; 40 << 20]);
    link("../huge.yaml", "huge.yaml");
    let fifo = tree.join("fifo.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");

    // Walked: only regular files are read; links (to anything) and FIFOs are skipped.
    let run = exec(&dir.0, &["lint", "--format", "json", "tree"]);
    run.assert_bounded("walk");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        found(&report),
        [
            (
                "tree/dir.yaml/inner.yaml".to_owned(),
                "IMG103".to_owned(),
                7,
                12
            ),
            ("tree/good.yaml".to_owned(), "IMG103".to_owned(), 7, 12),
        ],
        "a directory named x.yaml is walked"
    );
    assert_eq!(report["errors"], serde_json::json!([]));

    // Named: links are followed; a FIFO is refused (opening it would block), a device is read
    // within the size limit, a loop or a dangling link is an input error.
    let named = [
        "fifo.yaml",
        "zero.yaml",
        "a.yaml",
        "dangling.yaml",
        "huge.yaml",
        "alias.yaml",
        "/dev/null",
        "good.yaml",
    ];
    let mut args = vec!["lint", "--format", "json"];
    args.extend(named);
    let run = exec(&tree, &args);
    run.assert_bounded("named");
    assert_eq!(run.code, Some(2), "input errors");
    let report = run.json();
    assert_eq!(
        found(&report),
        [
            ("alias.yaml".to_owned(), "IMG103".to_owned(), 7, 12),
            ("good.yaml".to_owned(), "IMG103".to_owned(), 7, 12)
        ],
        "a link given by name is followed"
    );
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let message = |file: &str| {
        errors
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("no error for {file}: {errors:?}"))
    };
    assert!(message("fifo.yaml").starts_with("it is a FIFO (named pipe): imglint reads regular files, devices and standard input, not FIFOs"));
    assert!(message("zero.yaml").ends_with("per input, and it is more than that"));
    assert!(message("huge.yaml").ends_with("and it is 41943040 bytes"));
    assert!(message("a.yaml").contains("symbolic links"));
    assert!(message("dangling.yaml").contains("No such file"));
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(
        run.stderr
            .contains("imglint: error: cannot read `fifo.yaml`: it is a FIFO")
    );
    assert_eq!(report["summary"]["files"], 8, "/dev/null is an empty file");
}

#[test]
fn unreadable_inputs_are_errors_and_the_rest_is_linted() {
    // Root reads through `chmod 000`; these fail for anyone. `/proc/self/mem` is a regular
    // file whose reading fails (EIO at address 0); the link loop and the FIFO fail before it.
    let dir = scratch(&[("good.yaml", GOOD), ("inputs/also_good.yaml", GOOD)]);
    std::os::unix::fs::symlink("loop.yaml", dir.path("loop.yaml")).unwrap();
    let run = exec(
        &dir.0,
        &[
            "lint",
            "--format",
            "json",
            "/proc/self/mem",
            "loop.yaml",
            "inputs",
            "good.yaml",
            "missing/",
        ],
    );
    run.assert_bounded("unreadable");
    assert_eq!(run.code, Some(2));
    let report = run.json();
    assert_good_file_reported(&report);
    assert_eq!(
        diagnostic(&report, "inputs/also_good.yaml", "IMG103")["line"],
        7
    );
    let errors = report["errors"].as_array().unwrap();
    let files: Vec<&str> = errors.iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        ["/proc/self/mem", "loop.yaml", "missing/"],
        "sorted by file"
    );
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("Input/output error")
    );
    assert!(
        run.stderr
            .contains("imglint: error: cannot read `/proc/self/mem`: Input/output error")
    );
    assert_eq!(report["summary"]["files"], 5);
    // The SARIF log carries them as notifications, and stays valid.
    let run = exec(
        &dir.0,
        &["lint", "--format", "sarif", "/proc/self/mem", "good.yaml"],
    );
    assert_eq!(run.code, Some(2));
    let log: Value = serde_json::from_slice(&run.stdout).unwrap();
    let notifications = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notifications.to_string().contains("/proc/self/mem"),
        "{notifications}"
    );
    let violations = common::sarif_violations(&common::sarif_validator(), &log);
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn hostile_config_files_are_positioned_errors() {
    let dir = scratch(&[("good.yaml", GOOD)]);
    write(&dir.0, "bomb.yaml", nested_bomb(9, "[", "]", alias));
    write(
        &dir.0,
        "deep.yaml",
        format!("rules: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    write(
        &dir.0,
        "key.yaml",
        format!("{}: 1\n", "a".repeat(10_000_000)),
    );
    write(
        &dir.0,
        "value.yaml",
        format!("tenancy: {}\n", "m".repeat(10_000_000)),
    );
    let keys: String = (0..10_000).map(|i| format!("k{i}: 1\n")).collect();
    write(&dir.0, "keys.yaml", keys);
    write(
        &dir.0,
        "registries.yaml",
        format!(
            "allowed_registries:\n{}",
            (0..100_000)
                .map(|i| format!("- r{i}.example.com\n"))
                .collect::<String>()
        ),
    );
    let cases = [
        (
            "bomb.yaml",
            "bomb.yaml:4:16]",
            "invalid config: document contains excessive aliasing",
        ),
        (
            // 10,000 levels are YAML kubectl reads; the config's shape is what is wrong.
            "deep.yaml",
            "deep.yaml:1:8]",
            "invalid config: `rules` must map rule codes or prefixes to levels, found a list",
        ),
        (
            "key.yaml",
            "key.yaml:1:10000001]",
            "invalid config: mapping values are not allowed in this context",
        ),
        (
            "value.yaml",
            "value.yaml:1:10]",
            "invalid config: `tenancy` must be one of `single` or `multi`",
        ),
        (
            "keys.yaml",
            "keys.yaml:10000:1]",
            "invalid config: unknown key `k9999`",
        ),
    ];
    for (config, at, message) in cases {
        let run = exec(&dir.0, &["lint", "--config", config, "good.yaml"]);
        run.assert_bounded(config);
        assert_eq!(run.code, Some(2), "{config}");
        assert!(
            run.stderr.contains(at),
            "{config}: {}",
            &run.stderr[..run.stderr.len().min(3000)]
        );
        assert!(
            run.stderr.contains(message),
            "{config}: {}",
            &run.stderr[..run.stderr.len().min(3000)]
        );
        let per_error = run.stderr.len() / run.stderr.matches("invalid config").count().max(1);
        assert!(per_error < 3000, "{config}: {per_error} bytes per error");
    }
    // A valid 2 MB config is read, and the message listing its registries is cut short.
    let run = exec(
        &dir.0,
        &[
            "lint",
            "--config",
            "registries.yaml",
            "--format",
            "json",
            "good.yaml",
        ],
    );
    run.assert_bounded("registries");
    assert_eq!(
        run.code,
        Some(1),
        "IMG307: nginx is not from an allowed registry"
    );
    let report = run.json();
    let help = diagnostic(&report, "good.yaml", "IMG307")["help"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        help.starts_with("`allowed_registries` allows `r0.example.com`")
            && help.chars().count() <= 1000
    );

    // A FIFO or a device as the config: an error, not a hang or an endless read.
    let fifo = dir.path("fifo.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
    );
    for config in ["fifo.yaml", "/dev/zero"] {
        let run = exec(&dir.0, &["lint", "--config", config, "good.yaml"]);
        run.assert_bounded(config);
        assert_eq!(run.code, Some(2), "{config}");
        assert!(
            run.stderr.starts_with(&format!(
                "imglint: error: cannot read config file {config}: "
            )),
            "{}",
            run.stderr
        );
    }
    let run = exec(&dir.0, &["lint", "--config", "/dev/null", "good.yaml"]);
    assert_eq!(run.code, Some(0), "an empty config: {}", run.stderr);
}

#[test]
fn a_huge_image_reference_on_the_command_line_is_cut_short() {
    let dir = scratch(&[]);
    let reference = format!("{}A", "a".repeat(100_000));
    let run = exec(&dir.0, &["image", &reference]);
    run.assert_bounded("image");
    assert_eq!(run.code, Some(1));
    let stdout = run.stdout();
    assert!(
        stdout.len() < 3000,
        "{} bytes: {}",
        stdout.len(),
        &stdout[..stdout.len().min(3000)]
    );
    assert!(stdout.contains("[image:1:100001]"), "{stdout}");
}
