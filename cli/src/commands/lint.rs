//! `imglint lint`: the config from the file and the flags, the run over the inputs
//! ([`crate::pipeline`]), the findings written as they come ([`Sink`]), then the summary,
//! `--fix` and `--stats` reports and the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use imglint_core::config::{KustomizeMode, Overrides, RuleSelector};
use imglint_core::report::{FileReport, Summary};
use imglint_core::{Config, Severity};

use super::Outcome;
use crate::args::{FailOn, LintArgs, LintFormat};
use crate::config_file::{self, ConfigFailure};
use crate::helm::Charts;
use crate::kustomize::{self, Kustomize};
use crate::pipeline::{self, Linted, Mode};
use crate::render::Style;
use crate::render::escape::escape;
use crate::render::human::plural;
use crate::render::sink::Sink;

pub fn run(args: &LintArgs, out: &mut impl Write, style: Style) -> io::Result<Outcome> {
    let config = match config(args) {
        Ok(config) => config,
        Err(failure) => {
            write!(io::stderr(), "{}", failure.render(Style::detect_stderr()))?;
            return Ok(Outcome::Error);
        }
    };
    let paths = paths(args);
    if args.fix && paths.iter().any(|path| path.as_os_str() == "-") {
        writeln!(
            io::stderr(),
            "imglint: error: --fix rewrites files in place and cannot rewrite standard input"
        )?;
        return Ok(Outcome::Error);
    }
    let threads = args.threads.unwrap_or(0);
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() else {
        writeln!(
            io::stderr(),
            "imglint: error: cannot start {threads} worker threads"
        )?;
        return Ok(Outcome::Error);
    };
    let started = Instant::now();
    let mode = Mode {
        fix: args.fix,
        // Code frames need the text; the other formats only need positions.
        keep_text: args.format == LintFormat::Human,
    };
    let mut sink = Sink::new(args.format, out, style);
    let mut summary = Summary::default();
    let mut stats = Stats::default();
    let mut fixed = Fixed::default();
    let mut failed = Vec::new();
    let kustomize = Kustomize::new(kustomize::Settings {
        mode: config.kustomize,
        network: args.kustomize_network,
        timeout: Duration::from_secs(args.kustomize_timeout),
        processes: pool.current_num_threads(),
        named_dirs: paths.iter().filter(|path| path.is_dir()).cloned().collect(),
        search: args.kustomize_search.clone(),
        path: std::env::var_os("PATH"),
        keep_text: mode.keep_text,
        fix: args.fix,
    });
    let charts = Charts::new(
        std::env::var_os("PATH"),
        Duration::from_secs(args.kustomize_timeout),
        mode.keep_text,
        config.kustomize != KustomizeMode::Never,
    );
    let mut renderers = (kustomize, charts);
    let finished = pipeline::run(
        &paths,
        &config,
        &pool,
        mode,
        &mut renderers,
        |linted| match linted {
            Ok(Linted {
                report,
                bytes,
                fixed: fixes,
            }) => {
                summary.add(&report);
                stats.add(&report, bytes);
                fixed.add(fixes);
                sink.file(&report)
            }
            Err(error) => {
                failed.push(error);
                Ok(())
            }
        },
    )?;
    let (mut kustomize, mut charts) = renderers;
    for note in kustomize.notes.iter().chain(&charts.notes) {
        writeln!(io::stderr(), "imglint: note: {}", escape(note))?;
    }
    let mut errors = finished.errors;
    errors.append(&mut failed);
    errors.append(&mut kustomize.errors);
    errors.append(&mut charts.errors);
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    for error in &errors {
        summary.add_unreadable();
        writeln!(
            io::stderr(),
            "imglint: error: {}",
            escape(&error.describe())
        )?;
    }
    sink.finish(&summary, &errors, args.quiet)?;
    if args.fix {
        fixed.write(args.quiet)?;
    }
    if args.stats {
        stats.write(&summary, finished.facts_time, started.elapsed())?;
        if kustomize.roots > 0 {
            writeln!(
                io::stderr(),
                "kustomize {} ({:.1} ms finding, rendering and mapping)",
                plural(kustomize.roots, "root", "roots"),
                kustomize.time.as_secs_f64() * 1e3
            )?;
        }
    }

    if !errors.is_empty() {
        return Ok(Outcome::Error);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold
        .is_some_and(|threshold| summary.max_severity().is_some_and(|max| max >= threshold));
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// What `--fix` did, told on standard error (standard output keeps the report's format).
#[derive(Default)]
struct Fixed {
    findings: usize,
    files: usize,
}

impl Fixed {
    fn add(&mut self, findings: usize) {
        if findings > 0 {
            self.findings += findings;
            self.files += 1;
        }
    }

    fn write(&self, quiet: bool) -> io::Result<()> {
        if quiet && self.findings == 0 {
            return Ok(());
        }
        let problems = if self.findings == 1 {
            "problem"
        } else {
            "problems"
        };
        let files = if self.files == 1 { "file" } else { "files" };
        writeln!(
            io::stderr(),
            "Fixed {} {problems} in {} {files}.",
            self.findings,
            self.files
        )
    }
}

/// Without paths, piped input is read; at a terminal, the current directory is linted.
fn paths(args: &LintArgs) -> Vec<PathBuf> {
    if !args.paths.is_empty() {
        return args.paths.clone();
    }
    if io::stdin().is_terminal() {
        vec![PathBuf::from(".")]
    } else {
        vec![PathBuf::from("-")]
    }
}

/// The config of a run: the config file (`--config`, else discovered), then the flags.
///
/// # Errors
/// An unreadable or invalid config file, or a flag naming no rule.
pub fn config(args: &LintArgs) -> Result<Config, ConfigFailure> {
    let start = std::env::current_dir().unwrap_or_default();
    let (config, _) = config_file::load(args.config.as_deref(), &start)?;
    Ok(apply_flags(args, config)?)
}

/// The flags over a config: they win over the file ([`Overrides`]).
///
/// # Errors
/// A `--select`/`--ignore` value that names no rule.
pub fn apply_flags(args: &LintArgs, config: Config) -> Result<Config, String> {
    let select = if args.select.is_empty() {
        None
    } else {
        Some(
            RuleSelector::parse_selection(args.select.iter().map(String::as_str))
                .map_err(|e| format!("--select: {e}"))?,
        )
    };
    let overrides = Overrides {
        namespace: args.namespace.clone(),
        tenancy: args.tenancy,
        select,
        ignore: RuleSelector::parse_list(args.ignore.iter().map(String::as_str))
            .map_err(|e| format!("--ignore: {e}"))?,
        kustomize: args.kustomize,
    };
    Ok(config.with(&overrides))
}

/// `--stats`: counts per rule and timings, on standard error.
#[derive(Default)]
struct Stats {
    bytes: usize,
    per_rule: std::collections::BTreeMap<(&'static str, &'static str), usize>,
}

impl Stats {
    fn add(&mut self, report: &FileReport, bytes: usize) {
        self.bytes += bytes;
        for diagnostic in &report.diagnostics {
            *self
                .per_rule
                .entry((diagnostic.rule.code, diagnostic.rule.name))
                .or_default() += 1;
        }
    }

    fn write(&self, summary: &Summary, facts: Duration, total: Duration) -> io::Result<()> {
        let mut err = io::stderr().lock();
        let megabytes = self.bytes as f64 / 1e6;
        writeln!(
            err,
            "{}, {}, {}, {}, {megabytes:.1} MB",
            plural(summary.files, "file", "files"),
            plural(summary.documents, "document", "documents"),
            plural(summary.objects, "object", "objects"),
            plural(summary.containers, "container", "containers")
        )?;
        let rate = megabytes / total.as_secs_f64().max(f64::EPSILON);
        writeln!(
            err,
            "facts {:.1} ms, lint {:.1} ms, total {:.1} ms ({rate:.1} MB/s)",
            facts.as_secs_f64() * 1e3,
            (total - facts).as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3
        )?;
        for ((code, name), count) in &self.per_rule {
            writeln!(err, "{count:>8}  {code}  {name}")?;
        }
        Ok(())
    }
}
