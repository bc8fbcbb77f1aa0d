//! What a file tells the rest of a run: the objects other files refer to (Secrets,
//! ServiceAccounts). A run reads every file once for these facts, builds the [`Index`] from
//! them, then lints file by file, so memory holds the facts, never all the files.
//!
//! [`Index`]: crate::index::Index

use std::sync::Arc;

use crate::admission::apiserver::ApiServerAdmission;
use crate::diagnostic::{Location, Snippet};
use crate::excerpt::Excerpt;
use crate::file::FileAnalysis;
use crate::index::namespace_of;
use crate::manifest::model::{Content, PullSecretList, TextValue};
use crate::source::Span;

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

/// A Secret, as pods in other files see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretFact {
    pub namespace: Box<str>,
    pub name: Box<str>,
    /// `type`, when written.
    pub secret_type: Option<Box<str>>,
    /// Its `metadata.name`.
    pub location: Location,
    /// For the two registry credential types with their key present: what the kubelet can use.
    pub docker_config: Option<DockerConfigFact>,
}

impl SecretFact {
    /// The type the API server sees (`Opaque` when unset).
    pub fn type_name(&self) -> &str {
        self.secret_type.as_deref().unwrap_or("Opaque")
    }
}

/// The part of a registry credential Secret that pods in other files need: no credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerConfigFact {
    /// The kubelet can build a keyring from it.
    pub usable: bool,
    /// Registry keys as the kubelet indexes them.
    pub registry_keys: Vec<Box<str>>,
}

/// A kube-apiserver defined in the run, and whether it runs AlwaysPullImages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiServerFact {
    pub always_pull_images: bool,
    /// The flag that decides it (or the command).
    pub location: Location,
}

/// A KubeletConfiguration, and whether it re-verifies credentials of cached images (KEP-2535).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletFact {
    /// An explicit `imagePullCredentialsVerificationPolicy` other than `NeverVerify`, with the
    /// feature gate not turned off.
    pub verifies_credentials: bool,
    pub location: Location,
}

/// A ServiceAccount: the pull secrets it gives to pods created with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceAccountFact {
    pub namespace: Box<str>,
    pub name: Box<str>,
    /// Its `imagePullSecrets` names with where each is written; `None` without the field.
    pub pull_secrets: Option<Vec<(Box<str>, Location)>>,
    pub location: Location,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub secrets: Vec<SecretFact>,
    pub service_accounts: Vec<ServiceAccountFact>,
    pub api_servers: Vec<ApiServerFact>,
    pub kubelets: Vec<KubeletFact>,
}

impl FileFacts {
    /// The facts of one read file; objects without the namespace are in `default_namespace`.
    pub fn collect(file: &FileAnalysis, default_namespace: &str) -> Self {
        let name: Arc<str> = file.name.as_str().into();
        let locate = |span| locate(file, &name, span);
        let mut facts = Self::default();
        for entry in &file.objects {
            let object = &entry.object;
            match &object.content {
                Content::Workload(pod) => {
                    for command in pod
                        .containers
                        .iter()
                        .filter_map(|c| c.kube_apiserver.as_ref())
                    {
                        let admission = ApiServerAdmission::of(command);
                        facts.api_servers.push(ApiServerFact {
                            always_pull_images: admission.always_pull_images(),
                            location: locate(admission.span),
                        });
                    }
                }
                Content::KubeletConfiguration(kubelet) => {
                    let policy = kubelet.verification_policy.as_ref();
                    let gate_off = kubelet
                        .ensure_secret_pulled_images
                        .as_ref()
                        .is_some_and(|gate| !gate.value);
                    let verifies =
                        policy.is_some_and(|p| verifies_credentials(&p.value)) && !gate_off;
                    facts.kubelets.push(KubeletFact {
                        verifies_credentials: verifies,
                        location: locate(policy.map_or(object.kind_span, |p| p.span)),
                    });
                }
                _ => {}
            }
            let Some(object_name) = &object.name else {
                continue;
            };
            let namespace: Box<str> = namespace_of(entry, default_namespace).into();
            match &object.content {
                Content::Secret(secret) => {
                    // Without its key, the Secret gives the kubelet nothing to read.
                    let docker_config = secret
                        .docker_config
                        .as_ref()
                        .filter(|report| report.has_key);
                    facts.secrets.push(SecretFact {
                        namespace,
                        name: object_name.value.clone(),
                        secret_type: secret.secret_type.as_ref().map(|t| t.value.clone()),
                        location: locate(object_name.span),
                        docker_config: docker_config.map(|report| DockerConfigFact {
                            usable: report.usable,
                            registry_keys: report.registry_keys.clone(),
                        }),
                    });
                }
                Content::ServiceAccount(account) => {
                    let pull_secrets = account
                        .image_pull_secrets
                        .as_ref()
                        .map(|list| pull_secret_names(list, &locate));
                    facts.service_accounts.push(ServiceAccountFact {
                        namespace,
                        name: object_name.value.clone(),
                        pull_secrets,
                        location: locate(object_name.span),
                    });
                }
                _ => {}
            }
        }
        facts
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
            && self.service_accounts.is_empty()
            && self.api_servers.is_empty()
            && self.kubelets.is_empty()
    }
}

/// KEP-2535 policies that re-verify credentials for images the kubelet pulled.
pub fn verifies_credentials(policy: &str) -> bool {
    matches!(
        policy,
        "AlwaysVerify" | "NeverVerifyPreloadedImages" | "NeverVerifyAllowlistedImages"
    )
}

fn pull_secret_names(
    list: &PullSecretList,
    locate: &impl Fn(Span) -> Location,
) -> Vec<(Box<str>, Location)> {
    list.entries
        .iter()
        .map(|entry| {
            let span = entry
                .name
                .as_ref()
                .map_or(entry.span, |name: &TextValue| name.span);
            (entry.name().into(), locate(span))
        })
        .collect()
}

/// A span of `file` with its position and the lines around it (Secret values masked).
pub(crate) fn locate(file: &FileAnalysis, name: &Arc<str>, span: Span) -> Location {
    Location {
        file: Arc::clone(name),
        span,
        start: file.line_column(span.start),
        end: file.line_column(span.end),
        snippet: file.text().map(|text| snippet(file, text, span)),
    }
}

/// Up to two lines before and after the span, Secret values masked, long lines cut around
/// the span: it is copied into every finding that points at it, and a file may have a
/// location on every entry of a megabyte line.
fn snippet(file: &FileAnalysis, text: &str, span: Span) -> Snippet {
    const CONTEXT: usize = 2;
    let mut excerpt = Excerpt::new(text, file.line_index(), &[span], CONTEXT);
    excerpt.mask(&file.redactions);
    Snippet {
        span: excerpt.span(span),
        offset: crate::source::to_u32(excerpt.offset),
        text: excerpt.text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_secrets_and_service_accounts() {
        let text = "kind: Secret\nmetadata: {name: reg, namespace: team}\ntype: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: c2VjcmV0}\n---\nkind: ServiceAccount\nmetadata: {name: default}\nimagePullSecrets: [{name: reg}]\n";
        assert!(may_have_facts(text.as_bytes()));
        let file = FileAnalysis::read_text("a.yaml", text, true);
        let facts = FileFacts::collect(&file, "default");
        assert_eq!(&*facts.secrets[0].namespace, "team");
        assert_eq!(facts.secrets[0].location.start.line, 2);
        let snippet = facts.secrets[0].location.snippet.as_ref().unwrap();
        assert!(
            !snippet.text.contains("c2VjcmV0"),
            "Secret values never travel: {}",
            snippet.text
        );
        let account = &facts.service_accounts[0];
        assert_eq!(&*account.namespace, "default");
        assert_eq!(&*account.pull_secrets.as_ref().unwrap()[0].0, "reg");
    }

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
