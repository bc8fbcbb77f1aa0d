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
    let temporary = directory.join(format!(".{file_name}.imglint-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
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
