//! Writing files back (`--fix`).

use std::io::{self, Write};
use std::path::Path;

/// Replaces a file's content atomically: a reader sees the old file or the new one, never a
/// half-written one. The new file keeps the old one's permissions, and a symlink is followed
/// (the file it points at is replaced, the link stays).
///
/// # Errors
/// Any I/O error; the original file is then left as it was.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let directory = target.parent().unwrap_or_else(|| Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    let file_name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A name no one else uses, created exclusively: never another worker's file, never a
    // symlink planted at a predictable name.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let (temporary, mut file) = loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let candidate = directory.join(format!(".{file_name}.imglint-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => break (candidate, file),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    };
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        file.set_permissions(permissions)?;
        std::fs::rename(&temporary, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
