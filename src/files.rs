//! Files Oikos keeps in its data folder: the folder is private to the server's user (0700)
//! and so is every file that holds data or secrets (0600).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::Result;

/// Creates `folder` (and its parents) readable by this user only. A folder that already
/// exists is left as it is: it may be shared (`/tmp`, a mount), and its owner chose its mode.
pub(crate) fn create_private_dir(folder: &Path) -> Result<()> {
    if folder.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(folder)
        .with_context(|| format!("creating the folder {}", folder.display()))?;
    set_mode(folder, 0o700)
}

/// The SQLite file and its WAL and shared-memory files, readable by this user only.
pub(crate) fn restrict_database_files(database: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        let path = Path::new(&name);
        if path.exists() {
            set_mode(path, 0o600)?;
        }
    }
    Ok(())
}

/// Writes a new file that only this user can read; fails if it exists.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| {
            file.write_all(contents)?;
            file.sync_all()
        })
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Refuses a secret file that group or others may read or write.
pub(crate) fn ensure_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(anyhow::anyhow!(
                "{} is readable by other users (mode {:o}): run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            )
            .into());
        }
    }
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("restricting {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}
