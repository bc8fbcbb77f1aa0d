//! Files in the encodings kubectl reads: UTF-16 with a byte-order mark is transcoded, bytes
//! that are not UTF-8 become U+FFFD. Both are linted, at the right lines, and `--fix` leaves
//! them alone (writing them back would change bytes the fix did not mean to touch).

mod common;

use common::{imglint, scratch};

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\u{e9}\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n    imagePullPolicy: always\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    std::iter::once(0xfeff)
        .chain(text.encode_utf16())
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

fn findings(output: &std::process::Output) -> Vec<(String, u64, u64)> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn utf16_with_a_byte_order_mark_is_read_as_kubectl_reads_it() {
    let dir = scratch(&[]);
    // `café` in Latin-1: kubectl reads the byte as U+FFFD and accepts the file.
    let latin1 = POD.replace('\u{e9}', "\u{ff}").into_bytes();
    let at = latin1.windows(2).position(|w| w == [0xc3, 0xbf]).unwrap();
    let latin1: Vec<u8> = [&latin1[..at], &[0xe9], &latin1[at + 2..]].concat();
    for (name, bytes) in [
        ("le.yaml", utf16(POD, false)),
        ("be.yaml", utf16(POD, true)),
        ("latin1.yaml", latin1),
    ] {
        let path = dir.path(name);
        std::fs::write(&path, &bytes).unwrap();
        let output = imglint()
            .args(["lint", "--format", "json", "--fix"])
            .arg(&path)
            .output()
            .unwrap();
        let found = findings(&output);
        assert!(
            found.contains(&("IMG103".to_owned(), 8, 12)),
            "{name}: {found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(code, line, _)| code == "IMG204" && *line == 9),
            "{name}: the fixable finding is reported, not fixed: {found:?}"
        );
        assert!(
            !found.iter().any(|(code, ..)| code == "IMG001"),
            "{name}: {found:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name}: --fix left it alone"
        );
    }
}
