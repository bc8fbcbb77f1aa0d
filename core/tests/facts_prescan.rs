//! The first pass skips parsing files that `may_have_facts` rejects; that is only sound if no
//! rejected file has facts. Checked on every fixture and every file of the corpus.

mod common;

use std::path::{Path, PathBuf};

use imglint_core::FileAnalysis;
use imglint_core::facts::{FileFacts, may_have_facts};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

#[test]
fn no_rejected_file_has_facts() {
    let mut files = Vec::new();
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut files,
    );
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"),
        &mut files,
    );
    files_under(&common::corpus_dir(), &mut files);
    assert!(files.len() > 300, "only {} files", files.len());
    let mut with_facts = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let facts = FileFacts::collect(
            &FileAnalysis::read(path.display().to_string(), &bytes, false),
            "default",
        );
        if !facts.is_empty() {
            with_facts += 1;
            assert!(
                may_have_facts(&bytes),
                "{} has facts but the pre-scan skips it",
                path.display()
            );
        }
    }
    assert!(with_facts >= 30, "only {with_facts} files with facts");
}
