//! `imglint rules`, `imglint rule`, `imglint completions` and `imglint man` end to end.

mod common;

use common::imglint;

fn stdout(args: &[&str]) -> String {
    let output = imglint().env("NO_COLOR", "1").args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn rules_lists_the_catalogue() {
    let table = stdout(&["rules"]);
    insta::assert_snapshot!(table);
    for rule in imglint_core::rules::RULES {
        assert!(table.contains(rule.meta().code));
    }

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["rules", "--format", "json"])).unwrap();
    let rules = json.as_array().unwrap();
    assert_eq!(rules.len(), imglint_core::rules::RULES.len());
    let latest = rules.iter().find(|rule| rule["code"] == "IMG103").unwrap();
    assert_eq!(latest["name"], "latest-tag");
    assert_eq!(latest["severity"], "warning");
    assert_eq!(latest["enabled_by_default"], true);
    assert!(
        latest["documentation"]
            .as_str()
            .unwrap()
            .starts_with("## What it does")
    );
    let off = rules.iter().find(|rule| rule["code"] == "IMG104").unwrap();
    assert_eq!(off["enabled_by_default"], false);
}

#[test]
fn rule_shows_the_doc_comment() {
    insta::assert_snapshot!(stdout(&["rule", "IMG204"]));
    // By name too, and the Markdown is the generated page.
    let markdown = stdout(&["rule", "latest-tag", "--format", "markdown"]);
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules/IMG103.md"),
    )
    .unwrap();
    assert_eq!(markdown, page);
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["rule", "img103", "--format", "json"])).unwrap();
    assert_eq!(json["code"], "IMG103");
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let output = imglint().args(["rule", "IMG13"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "imglint: error: no rule `IMG13`; did you mean `IMG103`? (`imglint rules` lists them)\n"
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains("imglint"), "{shell}");
        assert!(script.contains("fail-on"), "{shell}");
    }
    // Value completion for the formats, where the shell's script lists values.
    for shell in ["bash", "zsh", "fish"] {
        assert!(stdout(&["completions", shell]).contains("sarif"), "{shell}");
    }
    // The bash script is valid bash.
    let script = stdout(&["completions", "bash"]);
    let dir = common::scratch(&[("imglint.bash", &script)]);
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(dir.path("imglint.bash"))
        .output();
    if let Ok(check) = check {
        assert!(check.status.success(), "{check:?}");
    }
}

#[test]
fn the_man_page_documents_every_subcommand() {
    let page = stdout(&["man"]);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..80]
    );
    assert!(page.contains(".TH imglint 1"));
    for section in [
        "IMGLINT LINT",
        "IMGLINT IMAGE",
        "IMGLINT RULES",
        "IMGLINT RULE",
        "EXIT STATUS",
    ] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    assert!(page.contains("\\-\\-fail\\-on"));
}
