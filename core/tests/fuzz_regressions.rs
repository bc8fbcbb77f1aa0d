//! The fuzz targets' checks on stable. `fuzz/` (cargo-fuzz, nightly) runs `fuzz/src/checks/` on
//! generated inputs; this test includes the same files and runs them on every seed
//! (`fuzz/seeds/TARGET/`) and every input that once failed (`fuzz/regressions/TARGET/`,
//! minimised crashes), so a fixed crash stays fixed without a nightly toolchain. The bugs the
//! fuzzer found also have a test of their own here, in terms of the public API.

#[path = "../../fuzz/src/checks/mod.rs"]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use imglint_core::keyring::docker_config::{Checked, ConfigFormat, check, decode};
use imglint_core::{Config, lint_text};

/// Runs `check` on every file of `fuzz/seeds/TARGET` and `fuzz/regressions/TARGET`, reporting
/// every failing file.
fn replay(target: &str, check: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut files = Vec::new();
    for folder in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(folder).join(target)) else {
            assert_ne!(folder, "seeds", "fuzz/seeds/{target} is missing");
            continue;
        };
        files.extend(entries.map(|entry| entry.unwrap().path()));
    }
    files.sort();
    assert!(!files.is_empty(), "no inputs for {target}");
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} inputs fail the `{target}` checks (messages above):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn reference_inputs_pass_the_fuzz_checks() {
    replay("reference", checks::reference::check);
}

#[test]
fn lint_inputs_pass_the_fuzz_checks() {
    replay("lint", checks::lint::check);
}

#[test]
fn docker_config_inputs_pass_the_fuzz_checks() {
    replay("docker_config", checks::docker_config::check);
}

#[test]
fn config_file_inputs_pass_the_fuzz_checks() {
    replay("config_file", checks::config_file::check);
}

/// Found by `docker_config`: `filepath.Match` (the `*` in registry keys) sliced a `&str` one
/// byte at a time, as Go slices bytes, and panicked inside the first non-ASCII character of
/// a key. A Secret's key is anything, and IMG305 matches every key against the pod's images,
/// so one manifest crashed `imglint lint` (and trapped the wasm module).
#[test]
fn a_non_ascii_registry_key_does_not_crash_the_keyring() {
    let manifest = "\
apiVersion: v1
kind: Secret
metadata:
  name: pull
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{\"auths\": {\"é.example.com\": {\"auth\": \"dTpw\"}, \"*.Ünï.example.com\": {\"auth\": \"dTpw\"}}}'
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  imagePullSecrets:
  - name: pull
  containers:
  - name: web
    image: a.example.com/app:1.0
  - name: other
    image: x.uni.example.com/app:1.0
";
    let report = lint_text("pod.yaml", manifest, &Config::default());
    let codes: Vec<&str> = report.diagnostics().map(|(_, d)| d.rule.code).collect();
    // Neither key matches: `é` is not `a`, and `Ünï` is not `uni`.
    assert_eq!(codes, ["IMG305", "IMG305"], "{codes:?}");
}

/// Found by `docker_config`: a docker config's JSON syntax error drops the offending character
/// from Go's message (it may be a credential), but a quoted space (`' '`) was taken for the end
/// of the quote, leaving `invalid character ' in numeric literal`.
#[test]
fn a_space_as_the_offending_character_is_dropped_from_the_message() {
    for (text, message) in [
        (&b"- "[..], "invalid character in numeric literal"),
        (
            b"tru e",
            "invalid character in literal true (expecting 'e')",
        ),
        (b"{\"a\" 1}", "invalid character after object key"),
        (b"{} '", "invalid character after top-level value"),
        (b"[1 \xc3\xa9]", "invalid character after array element"),
    ] {
        let error = decode(ConfigFormat::DockerCfg, text).unwrap_err();
        assert_eq!(error.message, message, "{text:?}");
        let Checked::RejectedByApi(refused) = check(ConfigFormat::DockerCfg, text) else {
            panic!("the API server accepts {text:?}");
        };
        assert_eq!(refused, message, "{text:?}");
    }
}

/// Found by `lint`'s check that the CLI's pre-scan (`may_have_facts`) never rejects a file with
/// facts: it wanted `kind` and the kind's name on one line, but YAML and JSON can put the value
/// on a later line, spell it with escapes, or name it through an alias. The CLI's first pass
/// then skipped the file, and a Pod in another file got IMG301 for a Secret that exists.
#[test]
fn the_facts_prescan_accepts_every_way_of_writing_a_kind() {
    use imglint_core::FileAnalysis;
    use imglint_core::facts::{FileFacts, may_have_facts};

    let secret = "metadata:\n  name: pull\n";
    for text in [
        format!("apiVersion: v1\nkind:\n  Secret\n{secret}"),
        format!("kind: # the kind\n  !!str Secret\n{secret}"),
        format!("? kind\n: Secret\n{secret}"),
        format!("x: &s Secret\nkind: *s\n{secret}"),
        format!("kind: \"\\x53ecret\"\n{secret}"),
        format!("kind: \"Sec\\\n  ret\"\n{secret}"),
        "{\"kind\":\n  \"Secret\", \"metadata\": {\"name\": \"pull\"}}".to_owned(),
        "{\"kind\": \"\\u0053ecret\", \"metadata\": {\"name\": \"pull\"}}".to_owned(),
        "{\"\\u006bind\": \"Secret\", \"metadata\": {\"name\": \"pull\"}}".to_owned(),
        "kind: Pod\nspec: {containers: [{name: a, image: a, command: [\"kube-\\\n  apiserver\"]}]}\n"
            .to_owned(),
    ] {
        let file = FileAnalysis::read_text("a.yaml", &text, true);
        let facts = FileFacts::collect(&file, "default");
        assert!(!facts.is_empty(), "no facts in {text:?}: the case proves nothing");
        assert!(may_have_facts(text.as_bytes()), "{text:?}");
    }
}

/// The same search decides which unparsable documents are Secrets whose values are masked by
/// text alone: `kind:` with `Secret` on the next line left a password in the code frame.
#[test]
fn an_unparsable_secret_with_its_kind_on_the_next_line_is_masked() {
    use imglint_core::FileAnalysis;

    let text =
        "apiVersion: v1\nkind:\n  Secret\nstringData:\n  password: HUNTER2-CANARY\n  broken: [\n";
    let file = FileAnalysis::read_text("a.yaml", text, true);
    assert_eq!(file.syntax_errors.len(), 1);
    let masked = file.masked_text(text, 0..text.len());
    assert!(!masked.contains("HUNTER2"), "{masked}");
}

/// Found by `lint`. `--fix` re-linted the fixed text against the index built from the text as
/// read, so a label at an object of the same file (here the kube-apiserver flag that IMG402
/// points to) kept its old position once a fix before it changed the length of the text: the
/// label underlined the wrong characters, or lay past the end of the file. Each re-lint now
/// sees the facts of the fixed text (`Linter::relint`).
#[test]
fn labels_at_objects_of_the_same_file_follow_fixes() {
    use imglint_core::config::{RuleSelector, Tenancy};
    use imglint_core::diagnostic::LabelTarget;
    use imglint_core::fix::fix_text;
    use imglint_core::{Linter, RunFacts, facts_of};

    let text = "\
kind: Pod
metadata:
  name: api
spec:
  imagePullSecrets:
  - name: reg
  containers:
  - name: app
    image: registry.example.com/app:1.0
    imagePullPolicy: Never
  - name: api
    image: registry.example.com/api:1.0
    imagePullPolicy: IfNotPresent
    command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]
";
    // IMG401 would add AlwaysPullImages to the flag: keep the kube-apiserver as it is.
    let config = Config {
        tenancy: Tenancy::Multi,
        ignore: RuleSelector::parse_list(["IMG401"]).unwrap(),
        ..Config::default()
    };
    let mut facts = RunFacts::default();
    facts.add("pod.yaml", facts_of("pod.yaml", text.as_bytes(), &config));
    let linter = Linter::new(&config, &facts);
    let fixed = fix_text(&linter, "pod.yaml", text, true);
    let new_text = fixed.text.expect("IfNotPresent is fixed to Always");
    let labels: Vec<&str> = fixed
        .report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "IMG402")
        .flat_map(|d| &d.labels)
        .filter(|label| label.message.contains("kube-apiserver"))
        .map(|label| match &label.target {
            LabelTarget::Here(span) => new_text.get(span.range()).unwrap_or("<outside>"),
            LabelTarget::Elsewhere(_) => "<elsewhere>",
        })
        .collect();
    assert_eq!(labels, ["--enable-admission-plugins=NodeRestriction"]);
}
