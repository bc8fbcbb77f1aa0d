//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand, ValueEnum};
use imglint_core::config::{KustomizeMode, Tenancy};

/// Lint Kubernetes manifests for container image mistakes: mutable tags, pull policies,
/// registries and pull secrets.
#[derive(Debug, Parser)]
#[command(name = "imglint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint manifests: files, directories (walked recursively, .gitignore honoured) or `-` for
    /// standard input.
    Lint(LintArgs),
    /// Parse image references and explain them the way Kubernetes reads them.
    Image(ImageArgs),
    /// List every rule: code, name, default level, fix, what it reports.
    Rules(RulesArgs),
    /// Show one rule's documentation (by code or name).
    Rule(RuleArgs),
    /// Print a shell completion script (e.g. `imglint completions bash > /etc/bash_completion.d/imglint`).
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `imglint man > imglint.1`.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// An aligned table.
    Human,
    /// A JSON array: code, name, category, severity, enabled_by_default, fixable, summary,
    /// documentation (Markdown), url.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule code (`IMG103`) or name (`latest-tag`).
    #[arg(value_name = "CODE")]
    pub code: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RuleFormat::Human)]
    pub format: RuleFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuleFormat {
    /// The documentation, styled for the terminal.
    Human,
    /// The documentation page as Markdown (what `docs/rules/` holds).
    Markdown,
    /// The rule's catalogue entry as JSON.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files and directories to lint (`*.yaml`, `*.yml`, `*.json` in directories), or `-` for
    /// standard input. Without any, piped input is read, else the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// Config file (default: the nearest `.imglint.yaml` from the current directory upwards).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Namespace of objects that do not set `metadata.namespace`.
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// `multi`: the cluster is shared by tenants (enables the IMG4xx rules).
    #[arg(long, value_parser = tenancy())]
    pub tenancy: Option<Tenancy>,

    /// Run only these rules: comma-separated codes or prefixes (`IMG103,IMG2`), `ALL` for all.
    /// Also enables rules that are off by default.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Never run these rules: comma-separated codes or prefixes.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Apply the fixes that are certain, editing only the spans concerned (comments and
    /// formatting stay), then report what is left.
    #[arg(long)]
    pub fix: bool,

    /// Print only findings: no summary line.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print counts per rule and timings to standard error.
    #[arg(long)]
    pub stats: bool,

    /// Kustomize roots: `auto` renders them (with `kustomize build`, else `kubectl
    /// kustomize`) and reports findings where they are written; `never` lints every file as
    /// written. Default: the config's `kustomize:`, else `auto`.
    #[arg(long, value_name = "WHEN", value_parser = kustomize_mode())]
    pub kustomize: Option<KustomizeMode>,

    /// Let kustomize fetch remote bases (git, HTTP). Without it, a root that refers to one is
    /// reported as an error and not rendered.
    #[arg(long)]
    pub kustomize_network: bool,

    /// Find kustomizations under DIR and lint each given file that one of them includes as
    /// the roots that include it render it (the pre-commit hook passes `.` with the changed
    /// files).
    #[arg(long, value_name = "DIR")]
    pub kustomize_search: Option<PathBuf>,

    /// The longest one Kustomize root may take to render, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::builder::RangedU64ValueParser::<u64>::new().range(1..=3600))]
    pub kustomize_timeout: u64,

    /// Worker threads, at most 256 (default: one per CPU). Output does not depend on it.
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=256))]
    pub threads: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Code frames with labels and help, and a summary line.
    Human,
    /// The documented JSON report.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions annotations (`::warning file=…,line=…::…`).
    Github,
}

/// `--tenancy`, spelled as the config file spells it ([`Tenancy::NAMES`]).
fn tenancy() -> impl clap::builder::TypedValueParser<Value = Tenancy> {
    clap::builder::PossibleValuesParser::new(Tenancy::NAMES.map(|(name, _)| name))
        .map(|name| Tenancy::from_name(&name).unwrap_or_default())
}

/// `--kustomize`, spelled as the config file spells it ([`KustomizeMode::NAMES`]).
fn kustomize_mode() -> impl clap::builder::TypedValueParser<Value = KustomizeMode> {
    clap::builder::PossibleValuesParser::new(KustomizeMode::NAMES.map(|(name, _)| name)).map(
        |name| {
            KustomizeMode::NAMES
                .iter()
                .find(|(known, _)| *known == name)
                .map_or_else(KustomizeMode::default, |&(_, mode)| mode)
        },
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found (I/O and usage errors still exit 2).
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ImageArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ImageFormat::Human)]
    pub format: ImageFormat,

    /// Image references, as written in a manifest's `image:` field.
    #[arg(required = true, value_name = "REF", allow_hyphen_values = true)]
    pub references: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImageFormat {
    /// An aligned explanation per reference; a code frame for invalid ones.
    Human,
    /// A JSON array, one object per reference.
    Json,
}
