//! Which files a run reads, in name order, without listing them all first: explicit files as
//! given, directories walked with ripgrep's walker (`.gitignore`, `.ignore` and hidden files
//! honoured, symlinks not followed so a link loop cannot trap the walk, entries sorted).
//! Both passes of a run replay the same walk, so memory does not grow with the number of files.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use imglint_core::report::FileError;

/// Something to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name diagnostics use: the path as given, `<stdin>` for standard input.
    pub fn name(&self) -> String {
        match self {
            Self::Stdin => "<stdin>".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

/// The roots of a run: standard input, files and directories, sorted, without overlaps.
#[derive(Debug, Default)]
pub struct Inputs {
    stdin: bool,
    roots: Vec<(PathBuf, bool)>,
    /// Paths that do not exist or cannot be inspected.
    pub errors: Vec<FileError>,
}

/// Manifest extensions.
fn is_manifest(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

impl Inputs {
    /// `-` is standard input; a file is read whatever its extension; a directory contributes its
    /// `*.yaml`, `*.yml` and `*.json` files. A path that names the same file as another, or lies
    /// inside another given directory, is dropped (compared as canonical paths, so `a.yaml`,
    /// `./a.yaml` and `/abs/a.yaml` are one file): nothing is linted, or fixed, twice.
    pub fn new(paths: &[PathBuf]) -> Self {
        let mut inputs = Self::default();
        let mut canonical = Vec::new();
        for path in paths {
            if path.as_os_str() == "-" {
                inputs.stdin = true;
                continue;
            }
            match std::fs::metadata(path).and_then(|m| Ok((m, std::fs::canonicalize(path)?))) {
                Ok((metadata, real)) => canonical.push((path.clone(), metadata.is_dir(), real)),
                Err(error) => inputs.errors.push(FileError {
                    file: path.display().to_string(),
                    message: error.to_string(),
                }),
            }
        }
        canonical.sort();
        let mut kept: Vec<(PathBuf, bool, PathBuf)> = Vec::new();
        for root in canonical {
            let covered = |(_, is_dir, real): &(PathBuf, bool, PathBuf)| {
                *real == root.2 || (*is_dir && root.2.starts_with(real))
            };
            if !kept.iter().any(covered) {
                // A directory given after a path inside it takes that path's place.
                kept.retain(|(_, _, real)| !(root.1 && real.starts_with(&root.2)));
                kept.push(root);
            }
        }
        inputs.roots = kept
            .into_iter()
            .map(|(path, is_dir, _)| (path, is_dir))
            .collect();
        inputs
    }

    /// Every input in name order (paths compare component by component), with the errors met
    /// on the way (unreadable directories, link loops).
    pub fn walk(&self) -> impl Iterator<Item = Result<Input, FileError>> + '_ {
        let stdin = self.stdin.then_some(Ok(Input::Stdin));
        stdin.into_iter().chain(self.roots.iter().flat_map(
            |(root, is_dir)| -> Box<dyn Iterator<Item = _>> {
                if !*is_dir {
                    return Box::new(std::iter::once(Ok(Input::File(root.clone()))));
                }
                let walk = WalkBuilder::new(root)
                    .require_git(false)
                    .follow_links(false)
                    .sort_by_file_name(Ord::cmp)
                    .build();
                Box::new(walk.filter_map(|entry| match entry {
                    Ok(entry)
                        if entry.file_type().is_some_and(|t| t.is_file())
                            && is_manifest(entry.path()) =>
                    {
                        Some(Ok(Input::File(entry.into_path())))
                    }
                    Ok(_) => None,
                    Err(error) => Some(Err(FileError {
                        file: error_path(&error).unwrap_or_default(),
                        message: error.to_string(),
                    })),
                }))
            },
        ))
    }
}

fn error_path(error: &ignore::Error) -> Option<String> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
        _ => None,
    }
}

/// Groups an iterator into vectors of at most `size` items.
pub fn chunks<T>(mut items: impl Iterator<Item = T>, size: usize) -> impl Iterator<Item = Vec<T>> {
    std::iter::from_fn(move || {
        let chunk: Vec<T> = items.by_ref().take(size).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
}

impl Inputs {
    /// Every input, in no particular order, visited on `threads` threads (the first pass, whose
    /// result does not depend on order).
    pub fn walk_parallel(&self, threads: usize, visit: &(dyn Fn(Result<Input, FileError>) + Sync)) {
        if self.stdin {
            visit(Ok(Input::Stdin));
        }
        let mut directories = self
            .roots
            .iter()
            .filter(|(_, dir)| *dir)
            .map(|(path, _)| path);
        for (path, _) in self.roots.iter().filter(|(_, dir)| !*dir) {
            visit(Ok(Input::File(path.clone())));
        }
        let Some(first) = directories.next() else {
            return;
        };
        let mut builder = WalkBuilder::new(first);
        for path in directories {
            builder.add(path);
        }
        builder
            .threads(threads)
            .require_git(false)
            .follow_links(false);
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry)
                        if entry.file_type().is_some_and(|t| t.is_file())
                            && is_manifest(entry.path()) =>
                    {
                        visit(Ok(Input::File(entry.into_path())));
                    }
                    Ok(_) => {}
                    Err(error) => {
                        visit(Err(FileError {
                            file: error_path(&error).unwrap_or_default(),
                            message: error.to_string(),
                        }));
                    }
                }
                ignore::WalkState::Continue
            })
        });
    }
}
