//! Which kustomizations a run renders (its roots), and which files they include.
//!
//! A directory holding a kustomization file is a kustomization. One that another kustomization
//! of the run references (`resources`, `bases`, `components`) is a base; the others are roots,
//! and so is a directory named on the command line, base or not. Files a root includes,
//! directly or through its bases and components, are linted as the root renders them, never on
//! their own; files outside every kustomization are linted as written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::kustomization::{self, Kustomization};
use crate::walk::Input;

/// The kustomizations met, by their directory's canonical path.
pub type Kustomizations = BTreeMap<PathBuf, Kustomization>;

/// A root to render.
#[derive(Debug)]
pub struct Root {
    /// Canonical path of its directory (what the temporary kustomization refers to).
    pub dir: PathBuf,
    /// Its kustomization file as the run names files (`overlays/prod/kustomization.yaml`).
    pub file: String,
    /// Canonical paths of the files it includes, kustomization files included.
    pub includes: BTreeSet<PathBuf>,
    /// A remote base it (or a base of it) refers to, if any.
    pub remote: Option<String>,
}

/// The roots of a run, the kustomizations read for them, and how files are named.
#[derive(Debug, Default)]
pub struct Discovery {
    pub roots: Vec<Root>,
    pub kustomizations: Kustomizations,
    /// Canonical path → the name the run gives that file (the walk's, else relative to the
    /// current directory, else absolute).
    pub names: Names,
    /// Canonical paths of every file some root includes.
    pub included: BTreeSet<PathBuf>,
}

/// Names of files as the run shows them.
#[derive(Debug, Default)]
pub struct Names {
    walked: HashMap<PathBuf, PathBuf>,
    current_dir: Option<PathBuf>,
}

impl Names {
    /// The walk's path of a file found by the walk, given its canonical path.
    pub fn walked(&self, canonical: &Path) -> Option<&Path> {
        self.walked.get(canonical).map(PathBuf::as_path)
    }

    /// The current directory, canonical.
    pub fn current_dir(&self) -> Option<&Path> {
        self.current_dir.as_deref()
    }

    /// The name of a file given by its canonical path.
    pub fn of(&self, canonical: &Path) -> String {
        if let Some(name) = self.walked.get(canonical) {
            return name.display().to_string();
        }
        if let Some(relative) = self
            .current_dir
            .as_deref()
            .and_then(|dir| canonical.strip_prefix(dir).ok())
        {
            return relative.display().to_string();
        }
        canonical.display().to_string()
    }
}

/// Canonical paths of the walked files, through one `canonicalize` per directory (not per
/// file).
pub fn canonical_files(found: &[Input]) -> Vec<(PathBuf, PathBuf)> {
    let mut dirs: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut files = Vec::new();
    for input in found {
        let Input::File(path) = input else { continue };
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let canonical = dirs
            .entry(parent.to_path_buf())
            .or_insert_with(|| std::fs::canonicalize(parent).ok());
        if let Some(dir) = canonical {
            files.push((dir.join(name), path.clone()));
        }
    }
    files
}

/// Finds the roots among the walked files (`found`) and the directories named on the command
/// line (`named_dirs`). With `search` (`--kustomize-search`, what the pre-commit hook passes),
/// the kustomizations are those under that directory instead, and only the roots that include
/// one of the files found are kept: a changed file is linted as the roots it belongs to render
/// it.
pub fn discover(found: &[Input], named_dirs: &[PathBuf], search: Option<&Path>) -> Discovery {
    let mut discovery = Discovery::default();
    if search.is_none() && !any_kustomization(found, named_dirs) {
        // Most runs have none: they pay one `stat` per directory, nothing more.
        return discovery;
    }
    let files = canonical_files(found);
    let mut candidates: BTreeSet<PathBuf> = match search {
        Some(dir) => kustomizations_under(dir),
        None => files
            .iter()
            .filter_map(|(canonical, _)| canonical.parent())
            .collect::<BTreeSet<&Path>>()
            .into_iter()
            .filter(|dir| kustomization::file_in(dir).is_some())
            .map(Path::to_path_buf)
            .collect(),
    };
    let found_files: BTreeSet<PathBuf> = files
        .iter()
        .map(|(canonical, _)| canonical.clone())
        .collect();
    let mut named = BTreeSet::new();
    for dir in named_dirs {
        if let Ok(canonical) = std::fs::canonicalize(dir)
            && kustomization::file_in(&canonical).is_some()
        {
            candidates.insert(canonical.clone());
            named.insert(canonical);
        }
    }
    if candidates.is_empty() {
        return discovery;
    }
    discovery.names = Names {
        walked: files.into_iter().collect(),
        current_dir: std::env::current_dir()
            .ok()
            .and_then(|dir| std::fs::canonicalize(dir).ok()),
    };
    // Which candidates some other candidate refers to, directly or through bases outside the
    // run (read as they are met).
    let mut referenced = BTreeSet::new();
    for dir in &candidates {
        let reach = reach(dir, &mut discovery.kustomizations);
        referenced.extend(reach.kustomizations.into_iter().filter(|k| k != dir));
    }
    for dir in &candidates {
        if referenced.contains(dir) && !named.contains(dir) {
            continue;
        }
        let Some(file) = kustomization::file_in(dir) else {
            continue;
        };
        let reach = reach(dir, &mut discovery.kustomizations);
        if search.is_some() && reach.files.is_disjoint(&found_files) {
            continue;
        }
        discovery.included.extend(reach.files.iter().cloned());
        discovery.roots.push(Root {
            dir: dir.clone(),
            file: discovery.names.of(&file),
            includes: reach.files,
            remote: reach.remote,
        });
    }
    discovery
}

/// Whether the walk met a kustomization: a `kustomization.yaml`/`.yml` among the files, a
/// `Kustomization` (no manifest extension, so the walk does not yield it) in one of their
/// directories, or one in a directory named on the command line.
fn any_kustomization(found: &[Input], named_dirs: &[PathBuf]) -> bool {
    let mut dirs: BTreeSet<&Path> = BTreeSet::new();
    for input in found {
        let Input::File(path) = input else { continue };
        let name = path.file_name().and_then(|name| name.to_str());
        if name.is_some_and(|name| kustomization::FILE_NAMES[..2].contains(&name)) {
            return true;
        }
        dirs.insert(path.parent().unwrap_or(Path::new("")));
    }
    dirs.into_iter()
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }
        })
        .any(|dir| dir.join(kustomization::FILE_NAMES[2]).is_file())
        || named_dirs
            .iter()
            .any(|dir| kustomization::file_in(dir).is_some())
}

/// The directories under `dir` that hold a kustomization file, canonical (walked as inputs
/// are: `.gitignore` and hidden files honoured, links not followed).
fn kustomizations_under(dir: &Path) -> BTreeSet<PathBuf> {
    ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| {
            entry.file_type().is_some_and(|t| t.is_file())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| kustomization::FILE_NAMES.contains(&name))
        })
        .filter_map(|entry| std::fs::canonicalize(entry.path().parent()?).ok())
        .collect()
}

/// What a kustomization reaches: the kustomizations (itself included) and files.
#[derive(Default)]
struct Reach {
    kustomizations: BTreeSet<PathBuf>,
    files: BTreeSet<PathBuf>,
    remote: Option<String>,
}

/// Follows a kustomization's references, reading each kustomization once into `known`.
fn reach(dir: &Path, known: &mut Kustomizations) -> Reach {
    let mut reach = Reach::default();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if !reach.kustomizations.insert(dir.clone()) {
            continue;
        }
        let Some(file) = kustomization::file_in(&dir) else {
            continue;
        };
        reach.files.insert(file.clone());
        let kustomization = known.entry(dir.clone()).or_insert_with(|| {
            let text = std::fs::read(&file)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default();
            Kustomization::parse(text)
        });
        for reference in &kustomization.references {
            if Kustomization::is_remote(reference) {
                reach.remote.get_or_insert_with(|| reference.clone());
                continue;
            }
            let Ok(target) = std::fs::canonicalize(dir.join(reference)) else {
                continue;
            };
            if target.is_dir() {
                pending.push(target);
            } else {
                reach.files.insert(target);
            }
        }
        for path in kustomization.files.iter().chain(&kustomization.patch_files) {
            if let Ok(target) = std::fs::canonicalize(dir.join(path)) {
                reach.files.insert(target);
            }
        }
    }
    reach
}
