//! The `imglint` command line. The binary (`main.rs`) only calls [`main`]; everything is here so
//! that tests can reach the renderers and the pre-commit binary can be the same program.

pub mod args;
pub mod commands;
pub mod config_file;
pub mod render;
pub mod walk;
pub mod write;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::commands::Outcome;
use crate::render::Style;

/// The whole program: parses the command line, runs the command, maps the outcome to the
/// documented exit code. Both binaries (`imglint`, and `imglint-pre-commit` at the repository
/// root) are this function.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = Style::detect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &cli.command {
        Command::Image(args) => commands::image::run(args, &mut out, style),
        Command::Lint(args) => commands::lint::run(args, &mut out, style),
        Command::Rules(args) => commands::rules::list(args, &mut out, style),
        Command::Rule(args) => commands::rules::show(args, &mut out, style),
        Command::Completions(args) => commands::completions::completions(args, &mut out),
        Command::Man => commands::completions::man(&mut out),
    }
    .and_then(|outcome| out.flush().map(|()| outcome));
    match result {
        Ok(outcome) => exit_code(outcome),
        // `imglint lint … | head` closes the pipe early: that is not an error (as ripgrep does).
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "imglint: error: {error}");
            exit_code(Outcome::Error)
        }
    }
}

fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Findings => ExitCode::from(1),
        Outcome::Error => ExitCode::from(2),
    }
}
