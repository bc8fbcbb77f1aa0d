//! Rendering roots with the real engine: `kustomize build` when `kustomize` is on PATH, else
//! `kubectl kustomize`. The user's files are never touched: each root is rendered through a
//! temporary kustomization that lists it as its one resource and asks for build metadata
//! (`buildMetadata: [originAnnotations, transformerAnnotations]`), so that every rendered
//! object says which file it came from and which kustomizations transformed it
//! ([`super::origin`]). Roots render in parallel, a bounded number at a time, each within a
//! timeout; kustomize gets no network unless the run allows it.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The program that renders, and how it is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Engine {
    pub program: PathBuf,
    /// `build` for kustomize, `kustomize` for kubectl.
    pub subcommand: &'static str,
}

impl Engine {
    /// `kustomize` on `path` (a PATH value), else `kubectl`.
    pub fn find(path: Option<OsString>) -> Option<Self> {
        let path = path?;
        let find = |name: &str| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| is_executable(candidate))
        };
        find("kustomize")
            .map(|program| Self {
                program,
                subcommand: "build",
            })
            .or_else(|| {
                find("kubectl").map(|program| Self {
                    program,
                    subcommand: "kustomize",
                })
            })
    }

    /// What the run says it renders with (`kubectl kustomize`).
    pub fn describe(&self) -> String {
        let name = self.program.file_name().map_or_else(
            || self.program.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        format!("{name} {}", self.subcommand)
    }

    /// The command that renders the kustomization in `dir`. Without `network`, HTTP(S) and
    /// git traffic goes to a proxy that does not exist and git may not prompt, so a remote
    /// base fails fast rather than being fetched (the roots that refer to one are refused
    /// before this, [`super::Kustomize`]; this is the second lock).
    pub fn command(&self, dir: &Path, network: bool) -> Command {
        let mut command = Command::new(&self.program);
        command.arg(self.subcommand).arg(dir);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command.env("GIT_TERMINAL_PROMPT", "0");
        if !network {
            for variable in [
                "HTTP_PROXY",
                "HTTPS_PROXY",
                "ALL_PROXY",
                "http_proxy",
                "https_proxy",
                "all_proxy",
            ] {
                command.env(variable, "http://127.0.0.1:9");
            }
            command.env_remove("NO_PROXY").env_remove("no_proxy");
        }
        command
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// The temporary kustomization that renders `root` with build metadata. kustomize refuses an
/// absolute path as a resource (`new root … cannot be absolute`), so it names the root
/// relative to the temporary directory.
pub fn wrapper_kustomization(relative_root: &str) -> String {
    format!(
        "# Written by imglint to render a root with the origin of each object; removed after.\nresources:\n- {}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n",
        serde_json::Value::String(relative_root.to_owned())
    )
}

/// `to` relative to `from` (both canonical, absolute).
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for component in &to[common..] {
        path.push(component.as_os_str());
    }
    path
}

/// A root rendered: its output, or kustomize's message.
#[derive(Debug)]
pub struct Output {
    /// The temporary directory it was rendered from (origin paths are relative to it).
    pub wrapper_dir: PathBuf,
    pub result: Result<String, String>,
    pub time: Duration,
}

/// Renders one root (canonical `dir`) through a fresh temporary kustomization.
pub fn render(engine: &Engine, dir: &Path, network: bool, timeout: Duration, id: usize) -> Output {
    let started = Instant::now();
    let temp = std::env::temp_dir();
    let temp = std::fs::canonicalize(&temp).unwrap_or(temp);
    let wrapper_dir = temp.join(format!("imglint-kustomize-{}-{id}", std::process::id()));
    let result = (|| {
        let _ = std::fs::remove_dir_all(&wrapper_dir);
        std::fs::create_dir_all(&wrapper_dir).map_err(|e| e.to_string())?;
        let root = relative(&wrapper_dir, dir);
        std::fs::write(
            wrapper_dir.join("kustomization.yaml"),
            wrapper_kustomization(&root.to_string_lossy()),
        )
        .map_err(|e| e.to_string())?;
        run(engine.command(&wrapper_dir, network), timeout)
    })();
    let _ = std::fs::remove_dir_all(&wrapper_dir);
    Output {
        wrapper_dir,
        result,
        time: started.elapsed(),
    }
}

/// The most of kustomize's output imglint reads (as much as one input may be).
const MAX_OUTPUT: u64 = imglint_core::limits::MAX_INPUT_BYTES as u64;

/// Runs `command`, reading its output while it runs, killing it past `timeout` (also how
/// [`crate::helm`] runs `helm template`).
///
/// # Errors
/// The program cannot start, fails (its message, [`engine_message`]), outlives `timeout`, or
/// writes more than one input may hold.
pub fn run(mut command: Command, timeout: Duration) -> Result<String, String> {
    let program = Path::new(command.get_program())
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let mut child = command.spawn().map_err(|e| {
        format!(
            "cannot run {}: {e}",
            command.get_program().to_string_lossy()
        )
    })?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(out) = stdout.as_mut() {
            let _ = out.take(MAX_OUTPUT + 1).read_to_end(&mut bytes);
        }
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(err) = stderr.as_mut() {
            let _ = err.take(64 << 10).read_to_end(&mut bytes);
        }
        bytes
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(error) => return Err(error.to_string()),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    match status {
        None => Err(format!(
            "{program} did not finish within {} s (the limit is --kustomize-timeout)",
            timeout.as_secs()
        )),
        Some(status) if status.success() => {
            if stdout.len() as u64 > MAX_OUTPUT {
                return Err(format!(
                    "the rendered output is larger than {} MiB",
                    MAX_OUTPUT >> 20
                ));
            }
            Ok(String::from_utf8_lossy(&stdout).into_owned())
        }
        Some(status) => Err(engine_message(&String::from_utf8_lossy(&stderr))
            .unwrap_or_else(|| format!("{program} failed ({status})"))),
    }
}

/// kustomize's own message out of what it wrote on standard error: kubectl logs it through
/// klog (`E1203 19:55:37.492825 4278 run.go:72] "command failed" err="…"`), kustomize writes
/// `Error: …`.
pub fn engine_message(stderr: &str) -> Option<String> {
    let mut lines = Vec::new();
    for line in stderr.lines() {
        let line = line.trim();
        if let Some(at) = line.find(" err=\"") {
            let quoted = &line[at + 6..];
            let quoted = quoted.strip_suffix('"').unwrap_or(quoted);
            lines.push(unquote_go(quoted));
        } else if let Some(rest) = line
            .strip_prefix("Error: ")
            .or_else(|| line.strip_prefix("error: "))
        {
            lines.push(rest.to_owned());
        } else if !line.is_empty() && lines.is_empty() {
            lines.push(line.to_owned());
        }
    }
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// Undoes the `\"` and `\\` escapes of a Go quoted string (klog's `err="…"`).
fn unquote_go(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push(' '),
                Some('t') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders `roots` with at most `processes` engines at a time; results in `roots`' order.
pub fn render_all(
    engine: &Engine,
    roots: &[PathBuf],
    network: bool,
    timeout: Duration,
    processes: usize,
) -> Vec<Output> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outputs: Vec<std::sync::Mutex<Option<Output>>> =
        roots.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..processes.clamp(1, roots.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(root) = roots.get(at) else { break };
                    let output = render(engine, root, network, timeout, at);
                    *outputs[at]
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(output);
                }
            });
        }
    });
    outputs
        .into_iter()
        .filter_map(|slot| {
            slot.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_named_relative_to_the_wrapper() {
        assert_eq!(
            relative(
                Path::new("/tmp/imglint-1"),
                Path::new("/work/app/overlays/prod")
            ),
            Path::new("../../work/app/overlays/prod")
        );
        assert_eq!(
            wrapper_kustomization("../x y"),
            "# Written by imglint to render a root with the origin of each object; removed after.\nresources:\n- \"../x y\"\nbuildMetadata: [originAnnotations, transformerAnnotations]\n"
        );
    }

    #[test]
    fn kubectl_and_kustomize_messages() {
        let kubectl = "E1203 19:55:37.492825    4278 run.go:72] \"command failed\" err=\"accumulating resources: 'x' must resolve to a file: \\\"y\\\"\"\n";
        assert_eq!(
            engine_message(kubectl).unwrap(),
            "accumulating resources: 'x' must resolve to a file: \"y\""
        );
        assert_eq!(
            engine_message("Error: no such file\n").unwrap(),
            "no such file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn kustomize_is_preferred_to_kubectl_and_called_without_network() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("imglint-engine-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        for path in [a.join("kubectl"), b.join("kustomize")] {
            std::fs::write(&path, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = std::env::join_paths([&a, &b]).unwrap();
        let engine = Engine::find(Some(path)).unwrap();
        assert_eq!(engine.subcommand, "build");
        assert_eq!(engine.describe(), "kustomize build");
        let kubectl = Engine::find(Some(a.clone().into_os_string())).unwrap();
        assert_eq!(kubectl.describe(), "kubectl kustomize");
        let command = kubectl.command(Path::new("/tmp/w"), false);
        let args: Vec<_> = command.get_args().collect();
        assert_eq!(args, ["kustomize", "/tmp/w"]);
        let proxy = command
            .get_envs()
            .find(|(name, _)| *name == "HTTPS_PROXY")
            .and_then(|(_, value)| value);
        assert_eq!(proxy, Some(std::ffi::OsStr::new("http://127.0.0.1:9")));
        let networked = kubectl.command(Path::new("/tmp/w"), true);
        assert!(networked.get_envs().all(|(name, _)| name != "HTTPS_PROXY"));
        assert_eq!(Engine::find(Some(dir.join("none").into_os_string())), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
