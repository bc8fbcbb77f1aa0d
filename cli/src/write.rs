//! Writing files back (`--fix`), to the file that was read and nowhere else.
//!
//! A file is fixed from what one handle read, and written back into the directory entry that
//! handle was reached through: the directory is opened once, when the file is read, and the
//! temporary file, the last check and the rename all go through that directory handle
//! (`openat`, `fstatat`, `renameat`). Before the rename, the entry must still be the file that
//! was read (same device and inode, same size and modification time, not a symbolic link).
//! So a file replaced during the run (by a symbolic link to `~/.bashrc`, by another file, or
//! edited) is left as it is and reported, and a directory swapped for a link cannot redirect
//! the write: nothing is written through a link that reading did not follow. What remains is
//! the instant between the last check and the rename, in which a swap can only have its new
//! entry replaced by the fixed file (the rename replaces the entry itself, never the file a
//! link names).

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// A file opened for `--fix`: read through one handle, written back only if its directory
/// entry still holds what was read.
#[derive(Debug)]
pub struct FixTarget {
    file: File,
    /// The file as read, and its permissions: `None` until [`FixTarget::read`] has read it.
    read: Option<(Identity, std::fs::Permissions)>,
    /// The directory that holds the file's entry, and the entry's name in it: `None` for
    /// something that is not a regular file (a device is read, never rewritten).
    entry: Option<(Directory, OsString)>,
}

/// What must not change between reading a file and replacing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
    /// Whether it is a symbolic link (only an entry can be one).
    link: bool,
}

impl FixTarget {
    /// Opens `path`. `follow_links`: a path named on the command line is followed through
    /// symbolic links (the file it points at is fixed, the link stays, as `sed -i
    /// --follow-symlinks` does), a file found by walking a directory is not (the walk does
    /// not follow links, so a link that appeared there since is refused).
    ///
    /// # Errors
    /// The file cannot be opened, is a FIFO, or is now a symbolic link where none is followed.
    pub fn open(path: &Path, follow_links: bool) -> io::Result<Self> {
        let file = platform::open(path, follow_links)?;
        let metadata = file.metadata()?;
        crate::walk::refuse_fifo(&metadata)?;
        let entry = if metadata.is_file() {
            let real = if follow_links {
                std::fs::canonicalize(path)?
            } else {
                // The last component is the file itself, which was opened without following.
                let parent = match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                };
                let name = path.file_name().ok_or_else(|| not_a_file(path))?;
                std::fs::canonicalize(parent)?.join(name)
            };
            let (directory, name) = split(&real)?;
            let directory = platform::open_directory(directory)?;
            // The entry found by name must be the file the handle holds (nothing was swapped
            // between the open and the canonicalisation).
            let opened = Identity::of(&metadata);
            match platform::entry(&directory, &name)? {
                Some(entry) if entry.same_file(&opened) => {}
                entry => return Err(replaced(entry.as_ref(), &opened, "opened")),
            }
            Some((directory, name))
        } else {
            None
        };
        Ok(Self {
            file,
            read: None,
            entry,
        })
    }

    /// Reads the file through the handle (at most `MAX_INPUT_BYTES`, as every input).
    ///
    /// # Errors
    /// A read error, a file too large, or a file that changed while it was read.
    pub fn read(&mut self) -> io::Result<Vec<u8>> {
        let before = self.file.metadata()?;
        let bytes =
            crate::walk::read_bounded(&self.file, before.is_file().then_some(before.len()))?;
        let after = Identity::of(&self.file.metadata()?);
        if before.is_file() && Identity::of(&before) != after {
            return Err(io::Error::other(
                "it changed while imglint read it; it was left as it is",
            ));
        }
        self.read = Some((after, before.permissions()));
        Ok(bytes)
    }

    /// Replaces the file's content atomically, in the entry it was read through: a reader sees
    /// the old file or the new one, never a half-written one. The new file keeps the old one's
    /// permissions.
    ///
    /// # Errors
    /// Any I/O error, a file that is not a regular file or was not read, or an entry that no
    /// longer holds the file that was read; the entry is then left as it was.
    pub fn replace(&self, contents: &[u8]) -> io::Result<()> {
        let (Some((directory, name)), Some((read, permissions))) = (&self.entry, &self.read) else {
            return Err(io::Error::other(
                "imglint rewrites regular files only, after reading them",
            ));
        };
        let (temporary, mut file) = platform::create_temporary(directory, name)?;
        let result = (|| {
            file.write_all(contents)?;
            file.set_permissions(permissions.clone())?;
            file.sync_all()?;
            match platform::entry(directory, name)? {
                Some(entry) if entry == *read => {}
                entry => return Err(replaced(entry.as_ref(), read, "read")),
            }
            platform::rename(directory, &temporary, name)
        })();
        if result.is_err() {
            let _ = platform::remove(directory, &temporary);
        }
        result
    }
}

impl Identity {
    fn same_file(&self, other: &Self) -> bool {
        (self.device, self.inode) == (other.device, other.inode)
    }
}

/// Why an entry is not the file that was opened or read (`when`).
fn replaced(entry: Option<&Identity>, read: &Identity, when: &str) -> io::Error {
    let what = match entry {
        None => "it was removed",
        Some(entry) if entry.link => "it was replaced by a symbolic link",
        Some(entry) if !entry.same_file(read) => "it was replaced by another file",
        Some(_) => "it was changed",
    };
    io::Error::other(format!(
        "{what} after imglint {when} it; nothing was written"
    ))
}

fn not_a_file(path: &Path) -> io::Error {
    io::Error::other(format!("`{}` does not name a file", path.display()))
}

/// The directory and the name of a canonical path.
fn split(real: &Path) -> io::Result<(&Path, OsString)> {
    match (real.parent(), real.file_name()) {
        (Some(directory), Some(name)) => Ok((directory, name.to_owned())),
        _ => Err(not_a_file(real)),
    }
}

/// The file system calls, through a directory handle.
/// `.NAME.imglint-PID-N`: a hidden name beside the file, unique to this process and call.
fn temporary_name(name: &OsStr, n: u64) -> OsString {
    let mut candidate = OsString::from(".");
    candidate.push(name);
    candidate.push(format!(".imglint-{}-{n}", std::process::id()));
    candidate
}

#[cfg(unix)]
mod platform {
    use std::ffi::{OsStr, OsString};
    use std::fs::File;
    use std::io;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicU64, Ordering};

    use rustix::fd::OwnedFd;
    use rustix::fs::{AtFlags, Mode, OFlags};

    use super::Identity;

    pub type Directory = OwnedFd;

    impl Identity {
        pub fn of(metadata: &std::fs::Metadata) -> Self {
            Self {
                device: metadata.dev(),
                inode: metadata.ino(),
                size: metadata.size(),
                modified: (metadata.mtime(), metadata.mtime_nsec()),
                link: metadata.file_type().is_symlink(),
            }
        }
    }

    /// Opened for reading, without waiting on a FIFO swapped in (refused once opened), and
    /// without following a symbolic link unless `follow_links`.
    pub fn open(path: &Path, follow_links: bool) -> io::Result<File> {
        let mut flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK;
        if !follow_links {
            flags |= OFlags::NOFOLLOW;
        }
        match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => Ok(File::from(fd)),
            Err(rustix::io::Errno::LOOP) if !follow_links => Err(io::Error::other(
                "it is a symbolic link, which a directory walk does not follow (it was a file when the walk found it)",
            )),
            Err(error) => Err(error.into()),
        }
    }

    pub fn open_directory(path: &Path) -> io::Result<Directory> {
        Ok(rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?)
    }

    /// The entry `name` of `directory`, not followed if it is a link; `None` if there is none.
    pub fn entry(directory: &Directory, name: &OsStr) -> io::Result<Option<Identity>> {
        match rustix::fs::statat(directory, name, AtFlags::SYMLINK_NOFOLLOW) {
            #[allow(clippy::unnecessary_cast, clippy::cast_sign_loss)] // types differ by platform
            Ok(stat) => Ok(Some(Identity {
                device: stat.st_dev as u64,
                inode: stat.st_ino as u64,
                size: stat.st_size as u64,
                modified: (stat.st_mtime as i64, stat.st_mtime_nsec as i64),
                link: rustix::fs::FileType::from_raw_mode(stat.st_mode)
                    == rustix::fs::FileType::Symlink,
            })),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// A new file beside `name`, under a name no one else uses, created exclusively: never
    /// another worker's file, never a symbolic link planted at a predictable name.
    pub fn create_temporary(directory: &Directory, name: &OsStr) -> io::Result<(OsString, File)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        loop {
            let candidate = super::temporary_name(name, NEXT.fetch_add(1, Ordering::Relaxed));
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(
                directory,
                candidate.as_bytes(),
                flags,
                Mode::RUSR | Mode::WUSR,
            ) {
                Ok(fd) => return Ok((candidate, File::from(fd))),
                Err(rustix::io::Errno::EXIST) => {}
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Renames `from` over `to` in `directory`: the entry `to` is replaced, whatever it is.
    pub fn rename(directory: &Directory, from: &OsStr, to: &OsStr) -> io::Result<()> {
        rustix::fs::renameat(directory, from, directory, to)?;
        // The rename itself reaches the disk with the directory.
        Ok(rustix::fs::fsync(directory)?)
    }

    pub fn remove(directory: &Directory, name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::unlinkat(directory, name, AtFlags::empty())?)
    }
}

/// Without directory handles (not Unix): the same checks by path, so a swap is still caught
/// up to the rename, but a directory swapped for a link is followed.
#[cfg(not(unix))]
mod platform {
    use std::ffi::{OsStr, OsString};
    use std::fs::File;
    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::Identity;

    pub type Directory = PathBuf;

    impl Identity {
        pub fn of(metadata: &std::fs::Metadata) -> Self {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| {
                    (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                });
            Self {
                device: 0,
                inode: 0,
                size: metadata.len(),
                modified,
                link: metadata.file_type().is_symlink(),
            }
        }
    }

    pub fn open(path: &Path, follow_links: bool) -> io::Result<File> {
        if !follow_links && std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(io::Error::other(
                "it is a symbolic link, which a directory walk does not follow (it was a file when the walk found it)",
            ));
        }
        File::open(path)
    }

    pub fn open_directory(path: &Path) -> io::Result<Directory> {
        Ok(path.to_path_buf())
    }

    pub fn entry(directory: &Directory, name: &OsStr) -> io::Result<Option<Identity>> {
        match std::fs::symlink_metadata(directory.join(name)) {
            Ok(metadata) => Ok(Some(Identity::of(&metadata))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub fn create_temporary(directory: &Directory, name: &OsStr) -> io::Result<(OsString, File)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        loop {
            let candidate = super::temporary_name(name, NEXT.fetch_add(1, Ordering::Relaxed));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(directory.join(&candidate))
            {
                Ok(file) => return Ok((candidate, file)),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(error),
            }
        }
    }

    pub fn rename(directory: &Directory, from: &OsStr, to: &OsStr) -> io::Result<()> {
        std::fs::rename(directory.join(from), directory.join(to))
    }

    pub fn remove(directory: &Directory, name: &OsStr) -> io::Result<()> {
        std::fs::remove_file(directory.join(name))
    }
}

use platform::Directory;

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A scratch directory under the system's temporary directory.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("imglint-write-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_replaced_in_place_with_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = Scratch::new("plain");
        let path = scratch.0.join("pod.yaml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let mut target = FixTarget::open(&path, false).unwrap();
        assert_eq!(target.read().unwrap(), b"old");
        target.replace(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(entries(&scratch.0), ["pod.yaml"]);
    }

    /// Each way the entry can change between the read and the write, at that exact point:
    /// nothing is written, through a link or otherwise, and nothing is left behind.
    #[test]
    fn a_file_swapped_after_it_was_read_is_left_alone() {
        type Swap = fn(&Path, &Path);
        let swaps: [(&str, Swap, &str); 5] = [
            (
                "symbolic link",
                |path, victim| {
                    std::fs::remove_file(path).unwrap();
                    std::os::unix::fs::symlink(victim, path).unwrap();
                },
                "replaced by a symbolic link",
            ),
            (
                "another file",
                |path, _| {
                    let other = path.with_extension("other");
                    std::fs::write(&other, "someone else's").unwrap();
                    std::fs::rename(&other, path).unwrap();
                },
                "replaced by another file",
            ),
            (
                "edited",
                |path, _| {
                    std::fs::OpenOptions::new()
                        .append(true)
                        .open(path)
                        .unwrap()
                        .write_all(b" and more")
                        .unwrap();
                },
                "changed",
            ),
            (
                "removed",
                |path, _| std::fs::remove_file(path).unwrap(),
                "removed",
            ),
            (
                "hard link to the victim",
                |path, victim| {
                    std::fs::remove_file(path).unwrap();
                    std::fs::hard_link(victim, path).unwrap();
                },
                "replaced by another file",
            ),
        ];
        for (what, swap, message) in swaps {
            let scratch = Scratch::new("swap");
            let (dir, outside) = (scratch.0.join("repo"), scratch.0.join("home"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::create_dir_all(&outside).unwrap();
            let (path, victim) = (dir.join("pod.yaml"), outside.join(".bashrc"));
            std::fs::write(&path, "kind: Pod").unwrap();
            std::fs::write(&victim, "victim").unwrap();
            for follow_links in [false, true] {
                let mut target = FixTarget::open(&path, follow_links).unwrap();
                target.read().unwrap();
                swap(&path, &victim);
                let error = target.replace(b"FIXED").unwrap_err().to_string();
                assert!(error.contains(message), "{what}: {error}");
                assert_eq!(
                    std::fs::read_to_string(&victim).unwrap(),
                    "victim",
                    "{what}"
                );
                if let Ok(now) = std::fs::read_to_string(&path) {
                    assert!(!now.contains("FIXED"), "{what}: {now}");
                }
                assert!(
                    entries(&dir).iter().all(|name| !name.contains("imglint")),
                    "{what}: {:?}",
                    entries(&dir)
                );
                // Put the file back for the next round.
                let _ = std::fs::remove_file(&path);
                std::fs::write(&path, "kind: Pod").unwrap();
            }
        }
    }

    /// The directory holding the file is swapped for a link to another directory holding a
    /// file of the same name: the write still goes to the directory that was read.
    #[test]
    fn a_directory_swapped_for_a_link_does_not_redirect_the_write() {
        let scratch = Scratch::new("directory");
        let (dir, outside) = (scratch.0.join("repo"), scratch.0.join("home"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(dir.join("pod.yaml"), "kind: Pod").unwrap();
        std::fs::write(outside.join("pod.yaml"), "victim").unwrap();
        let mut target = FixTarget::open(&dir.join("pod.yaml"), false).unwrap();
        target.read().unwrap();
        let moved = scratch.0.join("moved");
        std::fs::rename(&dir, &moved).unwrap();
        std::os::unix::fs::symlink(&outside, &dir).unwrap();
        target.replace(b"FIXED").unwrap();
        assert_eq!(
            std::fs::read_to_string(outside.join("pod.yaml")).unwrap(),
            "victim"
        );
        assert_eq!(
            std::fs::read_to_string(moved.join("pod.yaml")).unwrap(),
            "FIXED"
        );
    }

    /// A walked file that is a link when it is opened is refused; a named link is followed.
    #[test]
    fn links_are_followed_only_when_named() {
        let scratch = Scratch::new("links");
        let real = scratch.0.join("real.yaml");
        let link = scratch.0.join("link.yaml");
        std::fs::write(&real, "kind: Pod").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let error = FixTarget::open(&link, false).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        let mut target = FixTarget::open(&link, true).unwrap();
        target.read().unwrap();
        target.replace(b"FIXED").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "FIXED");
    }
}
