//! Every bound imglint puts on hostile input, in one place (the table "Limits on hostile
//! input" in docs/architecture.md names each). A leaf: the readers, the diagnostic type and the
//! faces read it, and it reads nothing.

/// The most bytes read from one input (a file, standard input, a text given to `lint_text`).
/// Reading holds about 35 bytes of memory per byte of input at its peak, so this costs about
/// 0.55 GB. Also the most text a YAML document's aliases may add to it: go-yaml counts nodes,
/// so one huge scalar aliased many times passes its ratio, and the model copies each alias.
pub const MAX_INPUT_BYTES: usize = 16 << 20;

/// go-yaml v2's `max_flow_level` and `max_indents`: deeper nesting is refused, as kubectl
/// refuses it.
pub const YAML_MAX_DEPTH: usize = 10_000;

/// `encoding/json`'s `maxNestingDepth`.
pub const JSON_MAX_DEPTH: usize = 10_000;

/// go-yaml v2's `allowedAliasRatio` (`decode.go`): up to this many decoded nodes, 99% of them
/// may come from aliases...
pub const ALIAS_RATIO_LOW_DECODES: u64 = 400_000;

/// ... falling linearly to 10% at this many.
pub const ALIAS_RATIO_HIGH_DECODES: u64 = 4_000_000;

/// How deep `List`s may nest in `List`s; the items of a deeper one are not read.
pub const MAX_LIST_DEPTH: usize = 8;

/// The longest message, help, label, fix description or path of a finding, in characters
/// (longer ones keep their first 600 and last 300, see `diagnostic::bounded_text`).
pub const MAX_TEXT: usize = 1000;

/// The longest object name, namespace, kind, apiVersion or container name in a finding, in
/// characters (Kubernetes' own limit for names; a longer one is invalid anyway).
pub const MAX_NAME: usize = 253;

/// The longest value a rule quotes in a message, in characters after escaping
/// (`diagnostic::shown`).
pub const MAX_SHOWN: usize = 100;

/// The longest line a code frame shows whole, in characters (`excerpt.rs`).
pub const MAX_LINE: usize = 200;

/// Characters kept on each side of a span's start and end in a line that is cut.
pub const LINE_CONTEXT: usize = 60;
