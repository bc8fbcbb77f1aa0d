//! The command line, as clap sees it.

use clap::{Parser, Subcommand, ValueEnum};

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
    /// Parse image references and explain them the way Kubernetes reads them.
    Image(ImageArgs),
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
