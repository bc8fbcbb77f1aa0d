//! Which files a run reads, in name order, without listing them all first: explicit files as
//! given, directories walked with ripgrep's walker (`.gitignore`, `.ignore` and hidden files
//! honoured, symlinks not followed so a link loop cannot trap the walk, entries sorted).
//! The first pass walks in parallel, in no order; the second takes the inputs it found and
//! puts them in name order ([`Inputs::in_walk_order`]) rather than walking again: a second
//! walk cost as many directory reads and ignore-file lookups as the first (a third of a run
//! over 2,620 small files), and the list of paths is small next to what is read.
//!
//! Reading is bounded too ([`read_file`], [`read_bounded`]): at most `MAX_INPUT_BYTES` of any
//! input, and never a FIFO, whose opening would block the run until something writes to it.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use imglint_core::limits::MAX_INPUT_BYTES;
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
            let checked = std::fs::metadata(path)
                .and_then(|metadata| refuse_fifo(&metadata).map(|()| metadata))
                .and_then(|m| Ok((m, std::fs::canonicalize(path)?)));
            match checked {
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

    /// The files named on the command line (not found by walking a directory): `--fix` follows
    /// these through symbolic links, and no other.
    pub fn named_files(&self) -> impl Iterator<Item = &Path> {
        self.roots
            .iter()
            .filter(|(_, is_dir)| !is_dir)
            .map(|(path, _)| path.as_path())
    }

    /// `found` (inputs that [`Inputs::walk_parallel`] visited) in name order: standard input,
    /// then each root in turn, a directory's files as their paths compare component by
    /// component (the order of a walk that sorts each directory's entries and goes depth
    /// first).
    pub fn in_walk_order(&self, mut found: Vec<Input>) -> Vec<Input> {
        found.sort_by_cached_key(|input| self.order_key(input));
        found
    }

    /// Where an input comes in name order: the root it is under (files under none, such as a
    /// base outside the given directories that a Kustomize root includes, come last), then
    /// its path.
    pub fn order_key(&self, input: &Input) -> (usize, Input) {
        let root = match input {
            Input::Stdin => 0,
            Input::File(path) => self
                .roots
                .iter()
                .position(|(root, is_dir)| {
                    if *is_dir {
                        path.starts_with(root)
                    } else {
                        path == root
                    }
                })
                .map_or(usize::MAX, |at| at + 1),
        };
        (root, input.clone())
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

/// A FIFO (a named pipe, or `<(…)` process substitution) is refused: opening one blocks
/// until a writer comes, and a run reads its inputs twice. Other files that are not regular
/// (`/dev/null`, `/dev/zero`) are read, within the size limit.
pub(crate) fn refuse_fifo(metadata: &std::fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    if std::os::unix::fs::FileTypeExt::is_fifo(&metadata.file_type()) {
        return Err(io::Error::other(
            "it is a FIFO (named pipe): imglint reads regular files, devices and standard input, not FIFOs (opening one blocks until something writes to it)",
        ));
    }
    let _ = metadata;
    Ok(())
}

/// Reads an input file: at most `MAX_INPUT_BYTES` (a larger regular file is refused unread),
/// never a FIFO.
///
/// # Errors
/// The file cannot be read, is a FIFO, or is too large (the error's message is
/// [`FileError::too_large`]'s).
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    // Checked before opening, which is what would block on a FIFO (walked entries are regular
    // files, but may have been replaced since).
    // (As many system calls as `std::fs::read`: its size hint is this `stat`; a file that
    // grows after it is still cut at the limit.)
    let metadata = std::fs::metadata(path)?;
    refuse_fifo(&metadata)?;
    let file = std::fs::File::open(path)?;
    read_bounded(file, metadata.is_file().then_some(metadata.len()))
}

/// Reads at most `MAX_INPUT_BYTES` from `reader`; `size` is its length when known, to refuse
/// a file that is too large without reading it.
///
/// # Errors
/// A read error, or more than `MAX_INPUT_BYTES` to read.
pub fn read_bounded(reader: impl Read, size: Option<u64>) -> io::Result<Vec<u8>> {
    let limit = MAX_INPUT_BYTES as u64;
    let too_large = |size| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            FileError::too_large("", size).message,
        )
    };
    if size.is_some_and(|size| size > limit) {
        return Err(too_large(size));
    }
    let capacity = size.map_or(0, |size| usize::try_from(size).unwrap_or(0) + 1);
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(bytes)
}

/// The size the file system reports for an input (0 for standard input or when it cannot say).
pub fn size_on_disk(input: &Input) -> u64 {
    match input {
        Input::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        Input::Stdin => 0,
    }
}

/// Groups inputs into steps of at most `files` inputs and, past a step's first input, at most
/// `bytes` bytes (by `size`, such as [`size_on_disk`]). A step's reports are held in memory
/// together (a file's report takes about 11 times its size), so steps of 256 large files would
/// hold gigabytes; steps of small files are as before.
pub fn steps(
    mut inputs: impl Iterator<Item = Input>,
    files: usize,
    bytes: u64,
    size: impl Fn(&Input) -> u64,
) -> impl Iterator<Item = Vec<Input>> {
    let mut next: Option<(Input, u64)> = None;
    std::iter::from_fn(move || {
        let (mut step, mut total) = (Vec::new(), 0u64);
        while step.len() < files {
            let Some((input, len)) = next.take().or_else(|| {
                let input = inputs.next()?;
                let len = size(&input);
                Some((input, len))
            }) else {
                break;
            };
            if !step.is_empty() && total.saturating_add(len) > bytes {
                next = Some((input, len));
                break;
            }
            total = total.saturating_add(len);
            step.push(input);
        }
        (!step.is_empty()).then_some(step)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel walk put in order is the walk that sorts each directory's entries: names
    /// that are prefixes of others, a directory named like a file's stem, upper case, nesting,
    /// and several roots (a file root, two directory roots, standard input).
    #[test]
    fn the_parallel_walk_in_order_is_the_sorted_walk() {
        let dir = std::env::temp_dir().join(format!("imglint-order-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for file in [
            "a.yaml",
            "a/b.yaml",
            "a/a/z.yml",
            "a-b/c.json",
            "a.b/c.yaml",
            "B.yaml",
            "b.yaml",
            "b/.hidden.yaml",
            "b/x y.yaml",
            "ab.yaml",
            "other/1.yaml",
            "other/10.yaml",
            "other/9.yaml",
            "single.yml",
        ] {
            let path = dir.join("tree").join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "kind: Pod\n").unwrap();
        }
        let root = |p: &str| dir.join("tree").join(p);
        let paths = [
            PathBuf::from("-"),
            root("other"),
            root("single.yml"),
            root("a"),
        ];
        let inputs = Inputs::new(&paths);
        let found = std::sync::Mutex::new(Vec::new());
        inputs.walk_parallel(2, &|input| found.lock().unwrap().push(input.unwrap()));
        let ordered = inputs.in_walk_order(found.into_inner().unwrap());
        // The oracle: each root in turn, directories walked with their entries sorted.
        let mut expected = vec![Input::Stdin];
        for (root, is_dir) in &inputs.roots {
            if !is_dir {
                expected.push(Input::File(root.clone()));
                continue;
            }
            for entry in WalkBuilder::new(root)
                .require_git(false)
                .follow_links(false)
                .sort_by_file_name(Ord::cmp)
                .build()
            {
                let entry = entry.unwrap();
                if entry.file_type().is_some_and(|t| t.is_file()) && is_manifest(entry.path()) {
                    expected.push(Input::File(entry.into_path()));
                }
            }
        }
        assert_eq!(expected.len(), 7, "{expected:?}");
        assert_eq!(ordered, expected);
        // And the whole tree as one root.
        let inputs = Inputs::new(&[dir.join("tree")]);
        let found = std::sync::Mutex::new(Vec::new());
        inputs.walk_parallel(2, &|input| found.lock().unwrap().push(input.unwrap()));
        let names: Vec<String> = inputs
            .in_walk_order(found.into_inner().unwrap())
            .iter()
            .map(|input| {
                input.name()[dir.join("tree").display().to_string().len() + 1..].to_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "B.yaml",
                "a/a/z.yml",
                "a/b.yaml",
                "a-b/c.json",
                "a.b/c.yaml",
                "a.yaml",
                "ab.yaml",
                "b/x y.yaml",
                "b.yaml",
                "other/1.yaml",
                "other/10.yaml",
                "other/9.yaml",
                "single.yml",
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn steps_are_bounded_by_count_and_by_bytes() {
        let dir = std::env::temp_dir().join(format!("imglint-steps-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sizes = [10, 10, 50, 10, 100, 0, 0, 0];
        let inputs: Vec<Input> = sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| {
                let path = dir.join(format!("{i}.yaml"));
                std::fs::write(&path, vec![b'#'; size]).unwrap();
                Input::File(path)
            })
            .chain([Input::Stdin])
            .collect();
        let lengths: Vec<usize> = steps(inputs.clone().into_iter(), 3, 60, size_on_disk)
            .map(|step| step.len())
            .collect();
        // 10+10 (then 50 would pass 60), 50+10, 100 alone (over on its own), then by count.
        assert_eq!(lengths, [2, 2, 1, 3, 1]);
        let flat: Vec<Input> = steps(inputs.clone().into_iter(), 3, 60, size_on_disk)
            .flatten()
            .collect();
        assert_eq!(flat, inputs, "order and inputs are kept");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
