//! Kustomize: lint what is deployed, report where it is written.
//!
//! After the walk, the run finds its roots ([`roots`]), renders them with the real engine
//! ([`render`]) through a temporary kustomization that asks for build metadata, takes that
//! metadata out ([`origin`]), and lints the rendered texts in place of the files they include.
//! Each finding is then reported at the place it is written ([`map`]): the resource file, an
//! `images:` entry, a patch, or the root's kustomization file. [`Kustomize`] is the
//! [`crate::pipeline::Expansion`] that does this for `imglint lint`.

pub mod fix;
pub mod images;
pub mod kustomization;
pub mod locate;
pub mod map;
pub mod origin;
pub mod render;
pub mod roots;
pub mod source;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use imglint_core::config::KustomizeMode;
use imglint_core::manifest::{DocumentResult, parse_documents};
use imglint_core::report::{FileError, FileReport};

use crate::pipeline::{Expansion, Linted};
use crate::walk::Input;
use map::RenderedRoot;
use render::Engine;
use roots::{Discovery, Root};

/// How a run renders.
#[derive(Clone, Debug)]
pub struct Settings {
    pub mode: KustomizeMode,
    /// `--kustomize-network`: kustomize may fetch remote bases.
    pub network: bool,
    /// `--kustomize-timeout`: the longest one root may render.
    pub timeout: Duration,
    /// The most engines running at once.
    pub processes: usize,
    /// Directories named on the command line: roots even when they are bases of others.
    pub named_dirs: Vec<PathBuf>,
    /// `--kustomize-search`: find kustomizations under this directory and render only the
    /// roots that include a file of the run (the pre-commit hook's changed files).
    pub search: Option<PathBuf>,
    /// The run's PATH, where the engine is looked for.
    pub path: Option<std::ffi::OsString>,
    /// Keep files' texts in reports (code frames).
    pub keep_text: bool,
    /// `--fix`: apply the fixes kept for findings in rendered output to their sources.
    pub fix: bool,
}

/// The Kustomize part of a run: what it rendered, what failed, how long it took.
#[derive(Debug)]
pub struct Kustomize {
    settings: Settings,
    discovery: Discovery,
    rendered: Vec<RenderedRoot>,
    left_out: HashSet<PathBuf>,
    /// Roots that could not be rendered (exit 2; the rest of the run goes on).
    pub errors: Vec<FileError>,
    /// What the run tells on standard error (no engine found).
    pub notes: Vec<String>,
    /// Roots rendered, and the time spent finding and rendering them.
    pub roots: usize,
    pub time: Duration,
}

impl Kustomize {
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            discovery: Discovery::default(),
            rendered: Vec::new(),
            left_out: HashSet::new(),
            errors: Vec::new(),
            notes: Vec::new(),
            roots: 0,
            time: Duration::ZERO,
        }
    }
}

impl Expansion for Kustomize {
    fn expand(&mut self, found: &[Input]) -> Vec<(String, String)> {
        if self.settings.mode == KustomizeMode::Never {
            return Vec::new();
        }
        let started = Instant::now();
        let texts = self.render(found);
        self.time = started.elapsed();
        texts
    }

    fn leaves_out(&self, input: &Input) -> bool {
        matches!(input, Input::File(path) if self.left_out.contains(path))
    }

    fn renders(&self, name: &str) -> bool {
        self.rendered.iter().any(|root| root.input_name == name)
    }

    fn map(&mut self, reports: Vec<FileReport>) -> Vec<(Input, Result<Linted, FileError>)> {
        if self.rendered.is_empty() {
            return Vec::new();
        }
        let started = Instant::now();
        let files: Vec<PathBuf> = self
            .discovery
            .roots
            .iter()
            .filter(|root| {
                self.rendered
                    .iter()
                    .any(|r| r.kustomization_name == root.file)
            })
            .flat_map(|root| root.includes.iter())
            .filter(|file| self.discovery.names.walked(file).is_some())
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mapped = map::map_reports(
            &self.discovery,
            &self.rendered,
            reports,
            &files,
            self.settings.keep_text,
        );
        self.time += started.elapsed();
        mapped
            .into_iter()
            .map(|(file, report)| {
                let input = self.discovery.names.walked(&file).map_or_else(
                    || Input::File(report.name().into()),
                    |path| Input::File(path.to_path_buf()),
                );
                let result = if self.settings.fix {
                    fix::fix_source(&file, report, self.settings.keep_text)
                } else {
                    Ok((report, 0))
                };
                let linted = result.map(|(report, fixed)| Linted {
                    report,
                    bytes: 0,
                    fixed,
                });
                (input, linted)
            })
            .collect()
    }
}

impl Kustomize {
    fn render(&mut self, found: &[Input]) -> Vec<(String, String)> {
        self.discovery = roots::discover(
            found,
            &self.settings.named_dirs,
            self.settings.search.as_deref(),
        );
        if self.discovery.roots.is_empty() {
            return Vec::new();
        }
        let Some(engine) = Engine::find(self.settings.path.clone()) else {
            let names: Vec<&str> = self
                .discovery
                .roots
                .iter()
                .map(|root| root.file.as_str())
                .collect();
            self.notes.push(format!(
                "neither `kustomize` nor `kubectl` is on PATH: {} linted as plain files, not as rendered ({}); install one, or set `kustomize: never` to silence this",
                if names.len() == 1 { "this kustomization is" } else { "these kustomizations are" },
                names.join(", ")
            ));
            self.discovery = Discovery::default();
            return Vec::new();
        };
        self.left_out = self
            .discovery
            .included
            .iter()
            .filter_map(|file| self.discovery.names.walked(file))
            .map(std::path::Path::to_path_buf)
            .collect();
        let (refused, renderable): (Vec<&Root>, Vec<&Root>) = self
            .discovery
            .roots
            .iter()
            .partition(|root| root.remote.is_some() && !self.settings.network);
        for root in refused {
            self.errors.push(FileError {
                file: root.file.clone(),
                message: format!(
                    "cannot render this kustomization: it refers to the remote base `{}`, and imglint lets kustomize fetch remote bases only with --kustomize-network",
                    root.remote.as_deref().unwrap_or_default()
                ),
            });
        }
        let dirs: Vec<PathBuf> = renderable.iter().map(|root| root.dir.clone()).collect();
        let outputs = render::render_all(
            &engine,
            &dirs,
            self.settings.network,
            self.settings.timeout,
            self.settings.processes,
        );
        let mut texts = Vec::new();
        for (root, output) in renderable.into_iter().zip(outputs) {
            match output.result {
                Ok(rendered) => {
                    let stripped = origin::strip(&rendered, &output.wrapper_dir);
                    let input_name = format!("{} (rendered)", root.file);
                    texts.push((input_name.clone(), stripped.text.clone()));
                    self.rendered.push(RenderedRoot {
                        kustomization: roots_file(root),
                        kustomization_name: root.file.clone(),
                        input_name,
                        stripped,
                    });
                }
                Err(message) => {
                    let relative = render::relative(&output.wrapper_dir, &root.dir);
                    // Paths as the run names them: the root as named, others relative to the
                    // current directory.
                    let mut message = message.replace(
                        relative.to_string_lossy().as_ref(),
                        &self.discovery.names.of(&root.dir),
                    );
                    if let Some(current) = self.discovery.names.current_dir() {
                        message = message.replace(&format!("{}/", current.display()), "");
                    }
                    self.errors.push(FileError {
                        file: root.file.clone(),
                        message: format!(
                            "cannot render this kustomization with {}: {}",
                            engine.describe(),
                            self.scrub(root, &message)
                        ),
                    });
                }
            }
        }
        self.roots = self.rendered.len();
        texts
    }

    /// kustomize's message without any secret the root holds: `secretGenerator` literals and
    /// the contents of their files, and the values of Secrets in its files. kustomize may
    /// quote what it could not read (`invalid literal source hunter2`), so every such text is
    /// made `***`.
    fn scrub(&self, root: &Root, message: &str) -> String {
        let mut secrets: Vec<String> = Vec::new();
        for (dir, kustomization) in &self.discovery.kustomizations {
            if !root.includes.iter().any(|file| file.parent() == Some(dir)) {
                continue;
            }
            for literal in &kustomization.secret_literals {
                secrets.push(literal.clone());
                if let Some((_, value)) = literal.split_once('=') {
                    secrets.push(value.to_owned());
                }
            }
            for file in &kustomization.secret_files {
                let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                    continue;
                };
                for line in text.lines() {
                    secrets.push(line.trim().to_owned());
                    if let Some((_, value)) = line.split_once('=') {
                        secrets.push(value.trim().to_owned());
                    }
                }
            }
        }
        for file in &root.includes {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            if !text.contains("Secret") {
                continue;
            }
            for document in parse_documents(&text) {
                let DocumentResult::Document(tree) = document else {
                    continue;
                };
                let top = tree.root();
                if tree.get(top, "kind").and_then(|id| tree.str(id)) != Some("Secret") {
                    continue;
                }
                for key in ["data", "stringData"] {
                    if let Some(values) = tree.get(top, key) {
                        for &(_, value) in tree.entries(values) {
                            if let Some(scalar) = tree.scalar(value) {
                                secrets.push(scalar.text.to_string());
                            }
                        }
                    }
                }
            }
        }
        secrets.retain(|secret| secret.len() >= 3);
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        let mut message = message.to_owned();
        for secret in &secrets {
            message = message.replace(secret.as_str(), "***");
        }
        message
    }
}

fn roots_file(root: &Root) -> PathBuf {
    kustomization::file_in(&root.dir).unwrap_or_else(|| root.dir.join(kustomization::FILE_NAMES[0]))
}
