//! The `imglint` binary.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use imglint_cli::args::{Cli, Command};
use imglint_cli::commands::{self, Outcome};
use imglint_cli::render::Style;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = Style::detect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match &cli.command {
        Command::Image(args) => commands::image::run(args, &mut out, style),
        Command::Lint(args) => commands::lint::run(args, &mut out, style),
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
