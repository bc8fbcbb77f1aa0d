//! The `imglint` command line. The binary (`main.rs`) only calls [`main`]; everything is here so
//! that tests can reach the renderers and the pre-commit binary can be the same program.

pub mod args;
pub mod commands;
pub mod config_file;
pub mod helm;
pub mod kustomize;
pub mod pipeline;
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return command_line_error(&error),
    };
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
            let _ = writeln!(
                io::stderr(),
                "imglint: error: {}",
                render::escape::escape(&error.to_string())
            );
            exit_code(Outcome::Error)
        }
    }
}

/// A command line clap refuses (or `--help`, `--version`). clap quotes the offending argument
/// as it is, and an argument may be a file name from a glob: when one holds what a terminal
/// or a CI log would act on ([`render::escape::escape`]), the command line is parsed again
/// with every argument escaped, and that error, which quotes the escaped argument, is printed.
fn command_line_error(error: &clap::Error) -> ExitCode {
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let escaped: Vec<std::ffi::OsString> = arguments
        .iter()
        .map(|argument| {
            render::escape::escape(&argument.to_string_lossy())
                .into_owned()
                .into()
        })
        .collect();
    if escaped == arguments {
        error.exit();
    }
    match Cli::try_parse_from(&escaped) {
        Err(escaped_error) if escaped_error.kind() == error.kind() => escaped_error.exit(),
        _ => {
            let _ = writeln!(
                io::stderr(),
                "imglint: error: invalid command line ({:?})",
                error.kind()
            );
            ExitCode::from(2)
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
