//! `imglint completions SHELL` and `imglint man`: generated from the clap definition, so they
//! never drift from the real options.

use std::io::{self, Write};

use clap::CommandFactory;

use super::Outcome;
use crate::args::{Cli, CompletionsArgs};

pub fn completions(args: &CompletionsArgs, out: &mut impl Write) -> io::Result<Outcome> {
    clap_complete::generate(args.shell, &mut Cli::command(), "imglint", out);
    Ok(Outcome::Clean)
}

/// The man page: `imglint(1)` with every subcommand's options, as roff.
pub fn man(out: &mut impl Write) -> io::Result<Outcome> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    // Each subcommand's options, which the top-level page would otherwise only name.
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        writeln!(out, ".SH \"IMGLINT {}\"", name.to_uppercase())?;
        let page = clap_mangen::Man::new(sub.clone().name(format!("imglint {name}")));
        let mut section = Vec::new();
        page.render_synopsis_section(&mut section)?;
        page.render_description_section(&mut section)?;
        page.render_options_section(&mut section)?;
        // Demote the sub-page's sections to subsections of this one.
        let section = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
        out.write_all(section.as_bytes())?;
    }
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    writeln!(
        out,
        "0: nothing at or above \\fB\\-\\-fail\\-on\\fR. 1: findings at or above it (or an invalid reference for \\fBimage\\fR). 2: usage, configuration or I/O error."
    )?;
    man.render_version_section(out)?;
    Ok(Outcome::Clean)
}
