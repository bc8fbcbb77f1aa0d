//! Fixture manifests, one folder per rule under `core/tests/fixtures/`.
//!
//! A fixture shows its expectations inline: every line where a finding starts ends with a
//! marker comment `# ~ IMG103` (several codes separated by spaces). The test fails on a finding
//! without a marker and on a marker without a finding, then snapshots the JSON and the human
//! output. A line `# imglint: --select IMG104 --tenancy multi` sets options, and lines
//! `# imglint-config: secrets: complete` are the config file the fixture runs with. JSON cannot
//! hold comments, so `x.json` keeps its options and markers (`LINE CODE…`) in `x.json.expected`.
//!
//! The snapshot holds every output format: human, JSON, GitHub annotations and the SARIF
//! results (the SARIF rule catalogue, the same for every fixture, is snapshotted once in
//! `sarif.rs`). Every fixture's whole SARIF log is also validated against the SARIF schema.

use std::collections::BTreeMap;
use std::path::Path;

use clap::Parser;
use imglint_cli::args::{Cli, Command, LintFormat};
use imglint_cli::commands::lint::apply_flags;
use imglint_cli::render::Style;
use imglint_cli::render::sink::write_report;
use imglint_core::{Config, FileAnalysis, Report, lint};

mod common;

use common::{sarif_validator, sarif_violations};

const MARKER: &str = "# ~ ";
const OPTIONS: &str = "# imglint:";
const CONFIG: &str = "# imglint-config:";

/// A fixture's command-line options and config file lines.
#[derive(Default)]
struct Options {
    flags: Vec<String>,
    config: String,
}

/// Options and expected findings (line → codes) of a fixture.
fn expectations(path: &Path, text: &str) -> (Options, BTreeMap<u32, Vec<String>>) {
    let sidecar = path.extension().is_some_and(|e| e == "json");
    let source = if sidecar {
        std::fs::read_to_string(format!("{}.expected", path.display())).unwrap_or_default()
    } else {
        text.to_owned()
    };
    let mut options = Options::default();
    let mut expected: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (index, line) in source.lines().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix(OPTIONS) {
            options
                .flags
                .extend(rest.split_whitespace().map(str::to_owned));
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix(CONFIG) {
            options.config.push_str(rest.trim());
            options.config.push('\n');
            continue;
        }
        let (number, codes) = if sidecar {
            if line.starts_with('#') {
                continue;
            }
            let Some((number, codes)) = line.split_once(' ') else {
                continue;
            };
            (number.parse().expect("`LINE CODE…` in .expected"), codes)
        } else {
            let Some((_, codes)) = line.split_once(MARKER) else {
                continue;
            };
            (u32::try_from(index + 1).unwrap(), codes)
        };
        expected
            .entry(number)
            .or_default()
            .extend(codes.split_whitespace().map(str::to_owned));
    }
    (options, expected)
}

/// The config a fixture asks for: its config lines as a config file, then its flags.
fn config_for(options: &Options) -> Config {
    let args = ["imglint", "lint"]
        .into_iter()
        .map(str::to_owned)
        .chain(options.flags.iter().cloned());
    let Command::Lint(args) = Cli::try_parse_from(args).expect("fixture options").command else {
        unreachable!()
    };
    let file = Config::from_yaml(&options.config).expect("fixture config");
    apply_flags(&args, file).expect("fixture options")
}

fn found(report: &Report) -> BTreeMap<u32, Vec<String>> {
    let mut found: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (file, diagnostic) in report.diagnostics() {
        let line = file.position(diagnostic.span).0.line;
        found
            .entry(line)
            .or_default()
            .push(diagnostic.rule.code.to_owned());
    }
    found
}

/// Messages say what is wrong in lower case, without a trailing period (oxc's convention).
fn check_message_style(report: &Report) {
    for (_, d) in report.diagnostics() {
        for text in std::iter::once(&d.message).chain(d.help.as_ref()) {
            let first = text.chars().next().unwrap_or(' ');
            assert!(
                !first.is_ascii_uppercase(),
                "{}: starts with a capital: {text}",
                d.rule.code
            );
            assert!(
                !text.ends_with('.'),
                "{}: ends with a period: {text}",
                d.rule.code
            );
            assert!(!text.trim().is_empty(), "{}: empty message", d.rule.code);
        }
    }
}

#[test]
fn fixtures() {
    let validator = sarif_validator();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures")
        .canonicalize()
        .unwrap();
    let mut seen = 0;
    let mut mismatches = Vec::new();
    insta::glob!("../../core/tests/fixtures", "*/*.{yaml,json}", |path| {
        seen += 1;
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let (options, mut expected) = expectations(path, &text);
        let report = lint(
            vec![FileAnalysis::read_text(name.clone(), &text, true)],
            &config_for(&options),
            Vec::new(),
        );
        let mut found = found(&report);
        for codes in expected.values_mut().chain(found.values_mut()) {
            codes.sort();
        }
        if found != expected {
            mismatches.push(format!(
                "{name}:\n  found:    {found:?}\n  expected: {expected:?}"
            ));
        }
        check_message_style(&report);

        let write = |format: LintFormat, quiet: bool| {
            let mut out = Vec::new();
            write_report(format, &mut out, Style { color: false }, &report, quiet).unwrap();
            out
        };
        let human = String::from_utf8(write(LintFormat::Human, false)).unwrap();
        let annotations = String::from_utf8(write(LintFormat::Github, true)).unwrap();
        let log = write(LintFormat::Sarif, false);
        let log: serde_json::Value = serde_json::from_slice(&log).expect("SARIF is JSON");
        for violation in sarif_violations(&validator, &log) {
            mismatches.push(format!("{name}: SARIF schema: {violation}"));
        }
        let results = serde_json::to_string_pretty(&log["runs"][0]["results"]).unwrap();
        insta::assert_snapshot!(format!(
            "{human}\n----- json -----\n{}\n----- github -----\n{annotations}\n----- sarif results -----\n{results}",
            report.to_json()
        ));
    });
    assert!(seen > 0, "no fixtures found");
    assert!(
        mismatches.is_empty(),
        "findings differ from the markers, or SARIF is invalid, in {} cases:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Every rule has a fixture folder named after its code.
#[test]
fn every_rule_has_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    for rule in imglint_core::rules::RULES {
        let folder = root.join(rule.meta().code);
        let count = std::fs::read_dir(&folder).map(Iterator::count).unwrap_or(0);
        assert!(
            count > 0,
            "{} has no fixtures in {}",
            rule.meta().code,
            folder.display()
        );
    }
}
