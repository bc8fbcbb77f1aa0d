//! Hostile input through the core API (what the wasm module and the Kubewarden policy call):
//! the same limits as the CLI's, which `cli/tests/hostile_input.rs` checks end to end.

use imglint_core::diagnostic::{LabelTarget, MAX_NAME, MAX_TEXT};
use imglint_core::limits::MAX_INPUT_BYTES;
use imglint_core::{Config, FileAnalysis, lint, lint_text};

const GOOD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n  containers:\n  - name: app\n    image: nginx:latest\n";

#[test]
fn a_text_over_the_limit_is_refused_unread() {
    let text = format!("{GOOD}#{}", " ".repeat(MAX_INPUT_BYTES));
    let report = lint_text("big.yaml", &text, &Config::default());
    assert!(report.files.is_empty());
    assert_eq!(report.file_errors.len(), 1);
    assert_eq!(report.file_errors[0].file, "big.yaml");
    assert_eq!(
        report.file_errors[0].describe(),
        format!(
            "cannot read `big.yaml`: imglint reads at most 16777216 bytes (16 MiB) per input, and it is {} bytes",
            text.len()
        )
    );
    assert_eq!(report.summary.files, 1);
    // At the limit, it is read.
    let text = format!("{GOOD}#{}", " ".repeat(MAX_INPUT_BYTES - GOOD.len() - 1));
    let report = lint_text("limit.yaml", &text, &Config::default());
    assert_eq!(report.diagnostics().count(), 1);
}

#[test]
fn huge_names_and_values_are_cut_in_diagnostics() {
    let big = "n".repeat(1 << 20);
    let text = format!(
        "apiVersion: {big}\nkind: Pod\nmetadata: {{name: {big}, namespace: {big}}}\nspec:\n  imagePullSecrets: [{{name: {big}}}, {{name: {big}}}]\n  containers:\n  - name: {big}\n    image: {big}\n    imagePullPolicy: {big}\n"
    );
    let config = Config {
        select: Some(imglint_core::config::RuleSelector::parse_selection(["ALL"]).unwrap()),
        ..Config::default()
    };
    let report = lint_text("big.yaml", &text, &config);
    let diagnostics: Vec<_> = report.diagnostics().map(|(_, d)| d).collect();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.rule.code).collect();
    assert_eq!(codes, ["IMG308", "IMG101", "IMG204"]);
    for d in &diagnostics {
        let texts = [Some(&d.message), d.help.as_ref(), d.path.as_ref()];
        for text in texts.into_iter().flatten() {
            assert!(
                text.chars().count() <= MAX_TEXT,
                "{}: {}",
                d.rule.code,
                text.len()
            );
        }
        for label in &d.labels {
            assert!(label.message.chars().count() <= MAX_TEXT);
        }
        let object = d.object.as_ref().unwrap();
        for name in [
            object.name.as_deref(),
            object.namespace.as_deref(),
            object.api_version.as_deref(),
            d.container.as_deref(),
        ] {
            assert!(
                name.unwrap_or_default().chars().count() <= MAX_NAME + 1,
                "{}",
                d.rule.code
            );
        }
    }
    // The JSON report of a 7 MB text is a few kilobytes per finding.
    assert!(report.to_json().len() < diagnostics.len() * 4000);
}

#[test]
fn labels_into_other_files_carry_long_lines_cut() {
    // The ServiceAccount's pull secret list is one 300 kB line; every pod's finding that
    // points at it carries the lines around it (they were copied whole into every location:
    // 20,000 of them here).
    let names: Vec<String> = (0..20_000).map(|i| format!("{{name: s{i:05}}}")).collect();
    let account = format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: default}}\nimagePullSecrets: [{}]\n",
        names.join(", ")
    );
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s19999}\ntype: Opaque\nstringData: {x: y}\n";
    let pods: String = (0..100)
        .map(|i| format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers:\n  - {{name: a, image: 'registry.example.com/a:1'}}\n"))
        .collect();
    let files = vec![
        FileAnalysis::read_text("account.yaml", &account, true),
        FileAnalysis::read_text("pods.yaml", &pods, true),
        FileAnalysis::read_text("secret.yaml", secret, true),
    ];
    let report = lint(files, &Config::default(), Vec::new());
    let mut elsewhere = 0;
    for (_, d) in report.diagnostics() {
        for label in &d.labels {
            if let LabelTarget::Elsewhere(location) = &label.target {
                elsewhere += 1;
                let snippet = location.snippet.as_ref().unwrap();
                assert!(snippet.text.len() < 1000, "{} bytes", snippet.text.len());
                let at = snippet.span.start as usize;
                assert!(snippet.text[at..].starts_with("s"), "{}", &snippet.text);
            }
        }
    }
    assert!(elsewhere >= 100, "{elsewhere}");
}

#[test]
fn long_pull_secret_lists_cost_their_length() {
    // Duplicate detection compared every entry with every earlier one: 200,000 entries took
    // minutes in a debug build.
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  imagePullSecrets:\n{}{}  containers:\n  - {{name: a, image: 'nginx:1.27'}}\n",
        "  - name: same\n".repeat(100_000),
        (0..100_000)
            .map(|i| format!("  - name: s{i}\n"))
            .collect::<String>()
    );
    let report = lint_text("p.yaml", &text, &Config::default());
    let count = |code: &str| {
        report
            .diagnostics()
            .filter(|(_, d)| d.rule.code == code)
            .count()
    };
    // The file shows its first 10,000 findings and says how many more there are (IMG004);
    // the summary counts them all.
    assert_eq!(count("IMG308"), 10_000);
    let (_, notice) = report
        .diagnostics()
        .find(|(_, d)| d.rule.code == "IMG004")
        .expect("IMG004");
    assert!(
        notice
            .message
            .starts_with("89999 more findings in this file are not shown (89999 warnings): imglint shows at most 10000 per file"),
        "{}",
        notice.message
    );
    assert_eq!(report.files[0].omitted.warnings, 89_999);
    assert_eq!(report.summary.warnings, 99_999 + 1);
}

#[test]
fn every_document_after_a_hostile_one_is_still_read() {
    let bomb = {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9u8 {
            let (prev, name) = ((b'a' + level - 1) as char, (b'a' + level) as char);
            text.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        text
    };
    let hostile = [
        bomb,
        format!("a: {}{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000)),
        format!("a: {}\n", "{a: ".repeat(100_000)),
        "name: a\u{1b}]0;pwned\u{7}\n".to_owned(),
        format!(
            "big: &b {{{}}}\nx: {{<<: *b}}\n",
            (0..50_000)
                .map(|i| format!("k{i}: v"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    for (i, text) in hostile.iter().enumerate() {
        let text = format!("{text}---\n{GOOD}");
        let report = lint_text("f.yaml", &text, &Config::default());
        let codes: Vec<&str> = report.diagnostics().map(|(_, d)| d.rule.code).collect();
        assert_eq!(codes.last(), Some(&"IMG103"), "case {i}: {codes:?}");
    }
}
