//! The run of `imglint lint` over files: two passes, streamed.
//!
//! Pass 1 walks the inputs for their facts ([`read_for_facts`]: what other files may refer to), in
//! parallel; a byte search skips parsing files that cannot hold any. Pass 2 takes the inputs
//! pass 1 read, in name order, lints a step of files at a time in parallel
//! ([`Linter::lint_input`], or [`fix::fix_text`] with `--fix`), and hands each file's findings
//! to the caller as soon as its step is done. Memory holds the facts and one step of files, whatever the size of the
//! run. The core decides what is found; this module only reads, caches and orders.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use imglint_core::report::{FileError, FileReport};
use imglint_core::{Config, FileAnalysis, Linter, RunFacts, facts_of, fix, read_for_facts};
use rayon::prelude::*;

use crate::walk::{self, Input, Inputs};

/// Texts a run lints in place of some of the files it found, and how their findings go back
/// to those files: Kustomize roots, rendered ([`crate::kustomize::Kustomize`]).
pub trait Expansion {
    /// Called once pass 1 has found the files: the texts to lint, by name.
    fn expand(&mut self, found: &[Input]) -> Vec<(String, String)>;
    /// Whether a found file is left out of the run (linted as rendered instead).
    fn leaves_out(&self, input: &Input) -> bool;
    /// Whether `name` is one of the texts this expansion rendered.
    fn renders(&self, name: &str) -> bool;
    /// The texts' reports, turned into results of the files they were written in (with
    /// `--fix`, fixed there), each with the input whose place in name order it takes.
    fn map(&mut self, reports: Vec<FileReport>) -> Vec<(Input, Result<Linted, FileError>)>;
}

/// Two expansions, one after the other (Kustomize roots, then Helm charts).
impl<A: Expansion, B: Expansion> Expansion for (A, B) {
    fn expand(&mut self, found: &[Input]) -> Vec<(String, String)> {
        let mut texts = self.0.expand(found);
        let rest: Vec<Input> = found
            .iter()
            .filter(|input| !self.0.leaves_out(input))
            .cloned()
            .collect();
        texts.extend(self.1.expand(&rest));
        texts
    }
    fn leaves_out(&self, input: &Input) -> bool {
        self.0.leaves_out(input) || self.1.leaves_out(input)
    }
    fn renders(&self, name: &str) -> bool {
        self.0.renders(name) || self.1.renders(name)
    }
    fn map(&mut self, reports: Vec<FileReport>) -> Vec<(Input, Result<Linted, FileError>)> {
        let (first, second): (Vec<FileReport>, Vec<FileReport>) = reports
            .into_iter()
            .partition(|report| self.0.renders(report.name()));
        let mut mapped = self.0.map(first);
        mapped.extend(self.1.map(second));
        mapped
    }
}

/// No expansion: every file as written.
pub struct AsWritten;

impl Expansion for AsWritten {
    fn expand(&mut self, _: &[Input]) -> Vec<(String, String)> {
        Vec::new()
    }
    fn leaves_out(&self, _: &Input) -> bool {
        false
    }
    fn renders(&self, _: &str) -> bool {
        false
    }
    fn map(&mut self, _: Vec<FileReport>) -> Vec<(Input, Result<Linted, FileError>)> {
        Vec::new()
    }
}
use crate::write::FixTarget;

/// Files linted per parallel step: enough to keep every thread busy, few enough to bound memory.
const FILES_PER_STEP: usize = 256;

/// Bytes of files linted per parallel step (past its first file): a step's reports are held
/// together, so this bounds its memory when files are large (docs/architecture.md).
const STEP_BYTES: u64 = imglint_core::limits::MAX_INPUT_BYTES as u64;

/// Bytes of files the first pass keeps for the second.
const CACHE_BUDGET: usize = 16 << 20;

/// How the second pass treats each file.
#[derive(Clone, Copy, Debug)]
pub struct Mode {
    /// `--fix`: rewrite files with the fixes that are certain, report what remains.
    pub fix: bool,
    /// Keep each file's text in its report (code frames need it; JSON needs only positions).
    pub keep_text: bool,
}

/// What a run leaves once every file has been handed over.
#[derive(Debug)]
pub struct Finished {
    /// Inputs that could not be walked or read (pass 1) or linted and written (pass 2), in
    /// the order they were met.
    pub errors: Vec<FileError>,
    /// How long pass 1 took.
    pub facts_time: Duration,
}

/// Runs both passes over `paths` on `pool`, handing each file's result to `each` in name order.
/// `expansion` may replace files with texts it renders (their findings are handed over as
/// reports of the files they map back to, in name order with the others).
///
/// # Errors
/// The first error `each` returns (the run stops there).
pub fn run(
    paths: &[PathBuf],
    config: &Config,
    pool: &rayon::ThreadPool,
    mode: Mode,
    expansion: &mut dyn Expansion,
    mut each: impl FnMut(Result<Linted, FileError>) -> io::Result<()>,
) -> io::Result<Finished> {
    let started = Instant::now();
    let inputs = Inputs::new(paths);
    let mut errors = inputs.errors.clone();
    let sources = Sources::new(paths);

    // Pass 1: facts, in parallel and in any order (the index orders them). Files that fail
    // here are reported once and skipped in pass 2; file bytes are kept for pass 2 up to a
    // fixed budget, so small runs read each file once and large runs stay within memory.
    let cache = Cache::new(CACHE_BUDGET);
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    inputs.walk_parallel(pool.current_num_threads(), &|input| {
        let result = input.and_then(|input| {
            let bytes = sources.read(&input)?;
            let name = input.name();
            let (facts, read) = read_for_facts(&name, &bytes, config);
            // A file parsed for its facts is kept as read, so pass 2 does not parse it again
            // (`--fix` reads each file through the handle it writes back through).
            let kept_as_read = match read {
                Some(mut read) if !mode.fix => {
                    if !mode.keep_text {
                        read.forget_text();
                    }
                    cache.keep_read(&input, read, bytes.len())
                }
                _ => false,
            };
            if !kept_as_read {
                cache.keep(&input, bytes.into_owned());
            }
            Ok((input, name, facts))
        });
        let mut found = found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match result {
            Ok(found_input) => found.0.push(found_input),
            Err(error) => found.1.push(error),
        }
    });
    let (found, failed) = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    errors.extend(failed);
    // Files an expansion renders are linted as rendered, not on their own: their facts are
    // those of the rendered texts (a base's Secret lives in the namespace its root gives it).
    let found_inputs: Vec<Input> = found.iter().map(|(input, _, _)| input.clone()).collect();
    let texts = expansion.expand(&found_inputs);
    let mut facts = RunFacts::default();
    let mut readable = Vec::with_capacity(found.len());
    for (input, name, file_facts) in found {
        if expansion.leaves_out(&input) {
            cache.take(&input);
            cache.take_read(&input);
        } else {
            facts.add(&name, file_facts);
            readable.push(input);
        }
    }
    for (name, text) in &texts {
        facts.add(name, facts_of(name, text.as_bytes(), config));
    }
    // Pass 2 lints what pass 1 read, in walk order, without walking again; files that failed
    // in pass 1 are reported once.
    let readable = inputs.in_walk_order(readable);
    let facts_time = started.elapsed();

    // Pass 2: lint, in name order, as a pipeline: a thread groups the inputs into steps,
    // another lints each step of files in parallel on the pool, and this thread hands the
    // results over, so reading, linting and writing overlap.
    let linter = Linter::new(config, &facts);
    let rendered: Vec<FileReport> = pool.install(|| {
        texts
            .par_iter()
            .map(|(name, text)| linter.lint_input(name, text.as_bytes(), false))
            .collect()
    });
    let mut mapped = expansion.map(rendered);
    mapped.sort_by_cached_key(|(input, _)| inputs.order_key(input));
    let mut mapped = mapped.into_iter().peekable();
    // `--fix` follows links only where reading a named file does (crate::write).
    let named: std::collections::HashSet<&Path> = inputs.named_files().collect();
    std::thread::scope(|scope| -> io::Result<()> {
        let (steps, next_step) = std::sync::mpsc::sync_channel(2);
        let (linted, next_linted) = std::sync::mpsc::sync_channel(2);
        let (linter, cache, sources, named) = (&linter, &cache, &sources, &named);
        scope.spawn(move || {
            // Sizes of kept files are known: only files past the cache's budget are `stat`ed.
            let size = |input: &Input| {
                cache
                    .len_of(input)
                    .unwrap_or_else(|| walk::size_on_disk(input))
            };
            for step in walk::steps(readable.into_iter(), FILES_PER_STEP, STEP_BYTES, size) {
                if steps.send(step).is_err() {
                    break;
                }
            }
        });
        scope.spawn(move || {
            for step in next_step {
                let reports: Vec<(Input, Result<Linted, FileError>)> = pool.install(|| {
                    step.par_iter()
                        .map(|input| {
                            let linted = lint_input(linter, input, mode, cache, sources, named);
                            (input.clone(), linted)
                        })
                        .collect()
                });
                if linted.send(reports).is_err() {
                    break;
                }
            }
        });
        for reports in next_linted {
            for (input, report) in reports {
                if mapped.peek().is_some() {
                    let key = inputs.order_key(&input);
                    while let Some((_, first)) =
                        mapped.next_if(|(before, _)| inputs.order_key(before) < key)
                    {
                        each(first)?;
                    }
                }
                each(report)?;
            }
        }
        for (_, report) in mapped {
            each(report)?;
        }
        Ok(())
    })?;
    Ok(Finished { errors, facts_time })
}

/// Pass 2 for one input: [`lint_kept_or_read`], and for standard input the Helm templates its
/// documents came from named on its findings ([`crate::helm`]).
fn lint_input(
    linter: &Linter<'_>,
    input: &Input,
    mode: Mode,
    cache: &Cache,
    sources: &Sources,
    named: &std::collections::HashSet<&Path>,
) -> Result<Linted, FileError> {
    let mut linted = lint_kept_or_read(linter, input, mode, cache, sources, named)?;
    if *input == Input::Stdin
        && !linted.report.diagnostics.is_empty()
        && let Ok(bytes) = sources.read(input)
    {
        let text = imglint_core::file::decode_like_kubectl(&bytes);
        crate::helm::name_templates(&mut linted.report, &text);
    }
    Ok(linted)
}

/// Its kept bytes (else read again), linted; with `--fix`, fixed.
fn lint_kept_or_read(
    linter: &Linter<'_>,
    input: &Input,
    mode: Mode,
    cache: &Cache,
    sources: &Sources,
    named: &std::collections::HashSet<&Path>,
) -> Result<Linted, FileError> {
    if let Some((read, bytes)) = cache.take_read(input) {
        return Ok(Linted {
            report: linter.lint(read),
            bytes,
            fixed: 0,
        });
    }
    let cached = cache.take(input);
    if let (true, Input::File(path)) = (mode.fix, input) {
        // Fixed from what the handle it writes back through reads.
        let follow = named.contains(path.as_path());
        return fix_file(linter, input, path, follow, mode.keep_text, &|| {});
    }
    let bytes = match cached {
        Some(bytes) => bytes.into(),
        None => sources.read(input)?,
    };
    Ok(Linted {
        report: linter.lint_input(&input.name(), &bytes, mode.keep_text),
        bytes: bytes.len(),
        fixed: 0,
    })
}

/// One file's results.
pub struct Linted {
    /// What remains to report (after fixes, with `--fix`).
    pub report: FileReport,
    /// Size of the file as read.
    pub bytes: usize,
    /// Findings `--fix` fixed.
    pub fixed: usize,
}

/// `--fix`: reads the file through one handle (`follow_links` for a file named on the command
/// line), fixes it until nothing certain is left, writes it back if it changed, into the entry
/// it was read from and only if that entry still holds it ([`crate::write`]), and returns the
/// findings of the new text. Text that is not UTF-8 is only linted. `before_write` runs between
/// the read and the write (nothing, but for tests, which change the file there).
fn fix_file(
    linter: &Linter<'_>,
    input: &Input,
    path: &Path,
    follow_links: bool,
    keep_text: bool,
    before_write: &(dyn Fn() + Sync),
) -> Result<Linted, FileError> {
    let name = input.name();
    let cannot = |what: &str, error: io::Error| FileError {
        file: name.clone(),
        message: format!("{what}{error}"),
    };
    let mut target = FixTarget::open(path, follow_links).map_err(|error| cannot("", error))?;
    let bytes = target.read().map_err(|error| cannot("", error))?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(Linted {
            report: linter.lint_input(&name, &bytes, keep_text),
            bytes: bytes.len(),
            fixed: 0,
        });
    };
    let result = fix::fix_text(linter, &name, text, keep_text);
    if let Some(new_text) = &result.text {
        before_write();
        target
            .replace(new_text.as_bytes())
            .map_err(|error| cannot("cannot write the fixed file: ", error))?;
    }
    Ok(Linted {
        report: result.report,
        bytes: bytes.len(),
        fixed: if result.text.is_some() {
            result.fixed
        } else {
            0
        },
    })
}

/// Files read by the first pass, kept for the second while they fit in the budget.
struct Cache {
    budget: usize,
    used: std::sync::atomic::AtomicUsize,
    files: std::sync::Mutex<std::collections::HashMap<CacheKey, Vec<u8>, BuildFnv>>,
    /// Files that pass 1 parsed for their facts, as read, with their size: at most
    /// [`READ_BUDGET`] bytes of input (a reading holds about 30 bytes per byte of input).
    reads: std::sync::Mutex<std::collections::HashMap<CacheKey, (FileAnalysis, usize), BuildFnv>>,
    reads_used: std::sync::atomic::AtomicUsize,
}

/// Input bytes whose readings pass 1 keeps for pass 2: about 120 MB of memory at most, or one
/// file's reading. A file with facts (Secrets, ServiceAccounts, control plane) past it is
/// parsed again.
const READ_BUDGET: usize = 4 << 20;

/// A path's bytes (empty for standard input, which no path can be): hashing them once is
/// much cheaper than `Path`'s component-wise `Hash`, which the profile showed.
type CacheKey = Vec<u8>;

fn cache_key(input: &Input) -> CacheKey {
    match input {
        Input::Stdin => Vec::new(),
        Input::File(path) => path.as_os_str().as_encoded_bytes().to_vec(),
    }
}

/// FNV-1a: the cache's keys are short paths from this process, so no defence against chosen
/// collisions is needed, and SipHash cost more than the lookups themselves.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type BuildFnv = std::hash::BuildHasherDefault<Fnv>;

impl Cache {
    fn new(budget: usize) -> Self {
        Self {
            budget,
            used: 0.into(),
            files: std::sync::Mutex::new(std::collections::HashMap::default()),
            reads: std::sync::Mutex::new(std::collections::HashMap::default()),
            reads_used: 0.into(),
        }
    }

    /// Keeps a reading of `len` input bytes within [`READ_BUDGET`], or the first one whatever
    /// its size (a lone large file of Secrets was otherwise parsed twice, and keeping it costs
    /// no more than pass 2's own reading of it); says whether it did (past the budget, the
    /// caller keeps the bytes instead).
    fn keep_read(&self, input: &Input, read: FileAnalysis, len: usize) -> bool {
        use std::sync::atomic::Ordering;
        let used = self.reads_used.fetch_add(len, Ordering::Relaxed);
        if used != 0 && used + len > READ_BUDGET {
            self.reads_used.fetch_sub(len, Ordering::Relaxed);
            return false;
        }
        self.reads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(cache_key(input), (read, len));
        true
    }

    fn take_read(&self, input: &Input) -> Option<(FileAnalysis, usize)> {
        self.reads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&cache_key(input))
    }

    fn keep(&self, input: &Input, bytes: Vec<u8>) {
        use std::sync::atomic::Ordering;
        let size = bytes.len();
        if self.used.fetch_add(size, Ordering::Relaxed) + size > self.budget {
            self.used.fetch_sub(size, Ordering::Relaxed);
            return;
        }
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(cache_key(input), bytes);
    }

    /// The length of `input`'s kept bytes or reading, if one is kept.
    fn len_of(&self, input: &Input) -> Option<u64> {
        let key = cache_key(input);
        let read = self
            .reads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .map(|(_, len)| *len as u64);
        read.or_else(|| {
            self.files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&key)
                .map(|bytes| bytes.len() as u64)
        })
    }

    fn take(&self, input: &Input) -> Option<Vec<u8>> {
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&cache_key(input))
    }
}

/// Reads inputs; standard input is read once, up front, since the passes need it twice.
struct Sources {
    stdin: Option<io::Result<Vec<u8>>>,
}

impl Sources {
    fn new(paths: &[PathBuf]) -> Self {
        let stdin = paths
            .iter()
            .any(|path| path.as_os_str() == "-")
            .then(|| walk::read_bounded(io::stdin().lock(), None));
        Self { stdin }
    }

    fn read(&self, input: &Input) -> Result<std::borrow::Cow<'_, [u8]>, FileError> {
        let result = match input {
            Input::Stdin => match &self.stdin {
                Some(Ok(bytes)) => Ok(bytes.as_slice().into()),
                Some(Err(error)) => Err(io::Error::new(error.kind(), error.to_string())),
                None => Ok(Vec::new().into()),
            },
            Input::File(path) => walk::read_file(path).map(Into::into),
        };
        result.map_err(|error| FileError {
            file: input.name(),
            message: error.to_string(),
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1.0\n    imagePullPolicy: never\n";

    /// The race of issue 14: the file is swapped between the read and the write, at that
    /// exact point (the injected step), for each kind of swap, for a walked file and for a
    /// named one. The fix is never written, through a link or otherwise, and the run says so.
    #[test]
    fn a_file_swapped_between_read_and_write_is_not_written() {
        type Swap = fn(&Path, &Path);
        let swaps: [(&str, Swap); 4] = [
            ("replaced by a symbolic link", |path, victim| {
                std::fs::remove_file(path).unwrap();
                std::os::unix::fs::symlink(victim, path).unwrap();
            }),
            ("replaced by another file", |path, victim| {
                let copy = path.with_extension("copy");
                std::fs::copy(victim, &copy).unwrap();
                std::fs::rename(&copy, path).unwrap();
            }),
            ("changed", |path, _| {
                let mut text = std::fs::read_to_string(path).unwrap();
                text.push_str("# edited meanwhile\n");
                std::fs::write(path, text).unwrap();
            }),
            ("removed", |path, _| std::fs::remove_file(path).unwrap()),
        ];
        let (config, facts) = (Config::default(), RunFacts::default());
        let linter = Linter::new(&config, &facts);
        let dir = std::env::temp_dir().join(format!("imglint-fix-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (repo, home) = (dir.join("repo"), dir.join("home"));
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let (path, victim) = (repo.join("pod.yaml"), home.join("pod.yaml"));
        for (what, swap) in swaps {
            for follow_links in [false, true] {
                std::fs::write(&path, POD).unwrap();
                std::fs::write(&victim, POD).unwrap();
                let input = Input::File(path.clone());
                let swapped = std::sync::atomic::AtomicBool::new(false);
                let before_write = || {
                    swap(&path, &victim);
                    swapped.store(true, std::sync::atomic::Ordering::Relaxed);
                };
                let result = fix_file(&linter, &input, &path, follow_links, false, &before_write);
                assert!(swapped.into_inner(), "{what}: the fix reached the write");
                let error = result.err().unwrap_or_else(|| panic!("{what}: written"));
                assert_eq!(
                    error.describe(),
                    format!(
                        "`{}`: cannot write the fixed file: it was {what} after imglint read it; nothing was written",
                        path.display()
                    )
                );
                assert_eq!(std::fs::read_to_string(&victim).unwrap(), POD, "{what}");
                if let Ok(now) = std::fs::read_to_string(&path) {
                    assert!(!now.contains("Never"), "{what}: {now}");
                }
                let left: Vec<_> = std::fs::read_dir(&repo)
                    .unwrap()
                    .map(|entry| entry.unwrap().file_name())
                    .filter(|name| name.to_string_lossy().contains("imglint"))
                    .collect();
                assert!(left.is_empty(), "{what}: {left:?}");
                let _ = std::fs::remove_file(&path);
            }
        }

        // Without a swap, the same call writes the fix.
        std::fs::write(&path, POD).unwrap();
        let linted = fix_file(
            &linter,
            &Input::File(path.clone()),
            &path,
            false,
            false,
            &|| {},
        );
        assert_eq!(linted.map(|linted| linted.fixed).ok(), Some(1));
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("imagePullPolicy: Never\n")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
