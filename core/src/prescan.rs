//! The first pass's pre-scan: whether a file's bytes can hold facts at all (Secrets,
//! ServiceAccounts, kube-apiserver command lines, KubeletConfigurations), and whether they may
//! name a Secret (redaction masks an unparsable document that may be one). Bytes only, no
//! parsing: a leaf that `facts.rs` and `redaction.rs` both read.

/// Whether a file can hold facts at all: a cheap byte search that lets the first pass skip
/// parsing almost every file. It looks for a line with `kind` whose value is one of the kinds
/// with facts (`kind: Secret`, `"kind": "ServiceAccount"`, `KubeletConfiguration`), so
/// `imagePullSecrets` alone does not count, and for what marks a kube-apiserver command line
/// (its name, or an admission plugin flag). It may say yes to a file without facts, never no
/// to a file with some: `FileFacts::collect` on a file it rejects finds nothing (tested).
pub fn may_have_facts(text: &[u8]) -> bool {
    use std::sync::LazyLock;

    use memchr::memmem::Finder;
    // Searchers are built once: building one costs about as much as searching a small file.
    static KINDS: LazyLock<[Finder<'static>; 3]> =
        LazyLock::new(|| ["Secret", "ServiceAccount", "KubeletConfiguration"].map(Finder::new));
    // `--enable-admission-plugins`, `--disable-admission-plugins`, `--admission-control`.
    static API_SERVER: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
        ["kube-apiserver", "admission-plugins", "admission-control"].map(Finder::new)
    });
    const WORDS: &[&str] = &[
        "kind",
        "Secret",
        "ServiceAccount",
        "KubeletConfiguration",
        "kube-apiserver",
        "admission-plugins",
        "admission-control",
    ];
    // UTF-16 (kubectl transcodes it when it has a byte-order mark) hides every word from a
    // byte search: read it.
    text.starts_with(&[0xfe, 0xff])
        || text.starts_with(&[0xff, 0xfe])
        || may_spell_by_escapes(text, WORDS)
        || API_SERVER.iter().any(|mark| mark.find(text).is_some())
        || KINDS.iter().any(|kind| names_kind_with(text, kind))
}

/// Whether a line with `kind` has `kind_name` as a whole word after it (`kind: Secret`,
/// `"kind": "Secret"`), by bytes alone.
pub(crate) fn names_kind(text: &[u8], kind_name: &str) -> bool {
    may_spell_by_escapes(text, &["kind", kind_name])
        || names_kind_with(text, &memchr::memmem::Finder::new(kind_name))
}

fn names_kind_with(text: &[u8], kind_name: &memchr::memmem::Finder<'_>) -> bool {
    static KIND: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("kind"));
    let len = kind_name.needle().len();
    kind_name.find_iter(text).any(|at| {
        let after = text.get(at + len).copied();
        let whole_word = !after.is_some_and(|b| b.is_ascii_alphanumeric());
        let line_start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |newline| newline + 1);
        let before = &text[line_start..at];
        whole_word && (KIND.find(before).is_some() || may_lead_to_a_value(before))
    })
}

/// Whether what precedes a kind name on its line still lets it be the value of a `kind` key
/// written elsewhere: nothing but indicators, quotes, tags, anchors or aliases (the value on a
/// line of its own: `kind:\n  Secret`, `"kind":\n "Secret"`, `? kind\n: Secret`), or an
/// anchor (`x: &s Secret`, which `kind: *s` can name anywhere). Without this, the first pass
/// skipped such Secrets and unparsable ones went unmasked (found by the `lint` fuzz target's
/// pre-scan check; `core/tests/fuzz_regressions.rs`).
fn may_lead_to_a_value(before: &[u8]) -> bool {
    let mut tokens = before
        .split(u8::is_ascii_whitespace)
        .filter(|token| !token.is_empty());
    let marked = |token: &[u8]| matches!(token.first(), Some(b'!' | b'&' | b'*'));
    tokens.clone().any(|token| token.first() == Some(&b'&'))
        || tokens.all(|token| marked(token) || token.iter().all(|b| b"\"':?-,[{".contains(b)))
}

/// Whether an escape could spell one of `words`: `\u0053ecret` (JSON and YAML double quotes)
/// and YAML's `\x53` and `\U…` may spell anything, so any of them counts; an escaped line
/// break joins the end of one line to the next line's text after its indentation (`"Sec\` and
/// `  ret"` read `Secret`), so it counts only when such a join spells one of the words. Shell
/// commands continued with `\` (common in manifests) then leave their document readable.
fn may_spell_by_escapes(text: &[u8], words: &[&str]) -> bool {
    let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
    memchr::memchr_iter(b'\\', text).any(|at| match text.get(at + 1) {
        Some(b'u' | b'U' | b'x') => true,
        Some(b'\n' | b'\r') => {
            let left = &text[at.saturating_sub(longest)..at];
            let mut next = at + 2;
            if text.get(at + 1) == Some(&b'\r') && text.get(next) == Some(&b'\n') {
                next += 1;
            }
            let rest = text.get(next..).unwrap_or_default();
            let indent = rest
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            let right = &rest[indent..(indent + longest).min(rest.len())];
            let joined = [left, right].concat();
            // Only a word across the join is new: one on either side is found without it.
            words.iter().any(|word| {
                memchr::memmem::find_iter(&joined, word.as_bytes())
                    .any(|start| start < left.len() && start + word.len() > left.len())
            })
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_naming_those_kinds_are_read_for_facts() {
        assert!(!may_have_facts(b"kind: Deployment\nspec: {}\n"));
        assert!(!may_have_facts(
            b"kind: Pod\nspec:\n  imagePullSecrets: [{name: reg}]\n  serviceAccountName: x\n"
        ));
        assert!(may_have_facts(b"kind: \"Secret\"\n"));
        assert!(may_have_facts(b"{\"kind\":\"ServiceAccount\"}"));
        assert!(may_have_facts(b"a: 1\nkind: Secret"));
        assert!(may_have_facts(b"kind: KubeletConfiguration\n"));
        assert!(may_have_facts(
            b"kind: Pod\nspec: {containers: [{command: [/usr/local/bin/kube-apiserver]}]}\n"
        ));
        assert!(may_have_facts(
            b"args: [--admission-control=AlwaysPullImages]\n"
        ));
        // UTF-16 hides the words from a byte search.
        assert!(may_have_facts(b"\xff\xfek\0i\0n\0d\0"));
    }

    #[test]
    fn escapes_count_only_where_they_could_spell_a_word() {
        let secret = |text: &str| names_kind(text.as_bytes(), "Secret");
        // A shell command continued with `\` leaves a Pod readable.
        assert!(!secret("kind: Pod\nargs: [\"sh -c \\\n  echo hi\"]\n"));
        assert!(!secret("kind: Pod\nargs: [\"kind \\\n  Pod\"]\n"));
        // Joins that spell the kind, or the key, still count; so do character escapes.
        assert!(secret("kind: \"Sec\\\n  ret\"\n"));
        assert!(secret("kind: \"Sec\\\r\n\tret\"\n"));
        assert!(secret("\"ki\\\n nd\": Secret\n"));
        assert!(secret("kind: \"\\u0053ecret\"\n"));
        assert!(secret("kind: \"Se\\x63ret\"\n"));
    }
}
