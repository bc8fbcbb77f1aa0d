//! `imglint-bench`: measurements that are not part of imglint itself.
//!
//! - `parse PATH…`: walk and read the files like `imglint lint` does, and only run the YAML
//!   parser over them: the baseline the lint throughput is compared with.
//! - `compare-parsers PATH…`: single-threaded throughput of the YAML parsers imglint could have
//!   used, on the same files.

#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};
use imglint_cli::walk::{self, Input};
use rayon::prelude::*;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read and parse (saphyr-parser events, nothing else), in parallel.
    Parse {
        paths: Vec<PathBuf>,
        #[arg(short = 'j', long)]
        threads: Option<usize>,
    },
    /// Compare YAML parsers on the same files, one thread, best of `--runs`.
    CompareParsers {
        paths: Vec<PathBuf>,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

/// The files a run would lint, in its order (the CLI's walk, then its sort).
fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let inputs = walk::Inputs::new(paths);
    let found = std::sync::Mutex::new(Vec::new());
    inputs.walk_parallel(1, &|input| {
        if let Ok(input) = input {
            found
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(input);
        }
    });
    let found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inputs
        .in_walk_order(found)
        .into_iter()
        .filter_map(|input| match input {
            Input::File(path) => Some(path),
            Input::Stdin => None,
        })
        .collect()
}

/// Events saphyr-parser produces for a file, or `None` on a syntax error.
fn saphyr_events(text: &str) -> Option<usize> {
    let mut events = 0;
    for event in saphyr_parser::Parser::new_from_str(text) {
        event.ok()?;
        events += 1;
    }
    Some(events)
}

fn main() {
    match Cli::parse().command {
        Command::Parse { paths, threads } => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.unwrap_or(0))
                .build()
                .expect("threads");
            let start = Instant::now();
            let files = files(&paths);
            let (bytes, events) = pool.install(|| {
                files
                    .par_iter()
                    .map(|path| {
                        let text = std::fs::read_to_string(path).unwrap_or_default();
                        (text.len(), saphyr_events(&text).unwrap_or(0))
                    })
                    .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
            });
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "{} files, {:.1} MB, {events} events, {:.1} ms, {:.1} MB/s",
                files.len(),
                bytes as f64 / 1e6,
                seconds * 1e3,
                bytes as f64 / 1e6 / seconds
            );
        }
        Command::CompareParsers { paths, runs } => compare(&files(&paths), runs),
    }
}

fn compare(paths: &[PathBuf], runs: usize) {
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let measure = |name: &str, parse: &dyn Fn(&str) -> bool| {
        let mut best = f64::MAX;
        let mut failed = 0;
        for _ in 0..runs {
            let start = Instant::now();
            failed = texts.iter().filter(|text| !parse(text)).count();
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "| {name} | {:.1} MB/s | {failed} |",
            bytes as f64 / 1e6 / best
        );
    };
    println!(
        "{} files, {:.2} MB, best of {runs} runs, one thread\n",
        texts.len(),
        bytes as f64 / 1e6
    );
    println!("| parser | throughput | files it rejects |\n|---|---|---|");
    measure("saphyr-parser 0.3 (events, spans)", &|t| {
        saphyr_events(t).is_some()
    });
    measure("yaml-rust2 0.13 (events, spans)", &|t| {
        struct Count;
        impl yaml_rust2::parser::EventReceiver for Count {
            fn on_event(&mut self, _: yaml_rust2::Event) {}
        }
        yaml_rust2::parser::Parser::new_from_str(t)
            .load(&mut Count, true)
            .is_ok()
    });
    measure("yaml-rust2 0.13 (YamlLoader tree, no spans)", &|t| {
        yaml_rust2::YamlLoader::load_from_str(t).is_ok()
    });
    measure(
        "marked-yaml 0.8 (tree with start marks, first document only)",
        &|t| marked_yaml::parse_yaml(0, t).is_ok(),
    );
    measure("serde_yaml_ng 0.10 (libyaml, Value, no spans)", &|t| {
        use serde::Deserialize;
        serde_yaml_ng::Deserializer::from_str(t)
            .all(|doc| serde_yaml_ng::Value::deserialize(doc).is_ok())
    });
    measure("imglint: split + own reader + tree + model", &|t| {
        imglint_core::FileAnalysis::read_text("f", t, false)
            .syntax_errors
            .is_empty()
    });
}
