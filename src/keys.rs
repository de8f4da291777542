//! The session secret (cookie signing and token keys): `SESSION_SECRET` when set, otherwise
//! generated once and kept in the data folder, so restarts keep sessions valid.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write as _};
use std::path::Path;

use anyhow::Context as _;
use secrecy::SecretString;

use crate::{Config, Result};

const FILE: &str = "session_secret";
const BYTES: usize = 32;

pub fn session_secret(config: &Config) -> Result<SecretString> {
    if let Some(secret) = &config.session_secret {
        return Ok(secret.clone());
    }
    load_or_generate(&config.data_dir.join(FILE))
}

fn load_or_generate(path: &Path) -> Result<SecretString> {
    if let Some(secret) = read_kept(path)? {
        return Ok(secret);
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("creating {}", folder.display()))?;
    }
    // Written whole to a private file first, then linked into place: a reader never sees a
    // half-written secret, and of two instances starting at once the first link wins.
    let draft = path.with_extension(format!("{}.tmp", uuid::Uuid::new_v4().simple()));
    write_private(&draft, &generate()?)?;
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {}
        Err(err) if err.kind() == ErrorKind::AlreadyExists => {}
        Err(err) => {
            return Err(anyhow::Error::from(err)
                .context(format!("creating {}", path.display()))
                .into())
        }
    }
    read_kept(path)?
        .ok_or_else(|| anyhow::anyhow!("{} vanished after it was written", path.display()).into())
}

fn generate() -> Result<String> {
    let mut bytes = [0u8; BYTES];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no system randomness: {err}"))?;
    Ok(hex::encode(bytes))
}

fn write_private(path: &Path, contents: &str) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| {
            file.write_all(contents.as_bytes())?;
            file.sync_all()
        })
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn read_kept(path: &Path) -> Result<Option<SecretString>> {
    match std::fs::read_to_string(path) {
        Ok(kept) if kept.trim().is_empty() => {
            let message = format!(
                "{} is empty: delete it to generate a new one",
                path.display()
            );
            Err(anyhow::anyhow!(message).into())
        }
        Ok(kept) => Ok(Some(SecretString::from(kept.trim().to_owned()))),
        Err(err) if err.kind() == ErrorKind::NotFound => Ok(None),
        Err(err) => Err(anyhow::Error::from(err)
            .context(format!("reading {}", path.display()))
            .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn config(data_dir: &Path, secret: Option<&str>) -> Config {
        let data_dir = data_dir.display().to_string();
        Config::from_lookup(|name| match name {
            "OIKOS_DATA_DIR" => Some(data_dir.clone()),
            "SESSION_SECRET" => secret.map(str::to_owned),
            _ => None,
        })
        .unwrap()
    }

    #[test]
    fn a_generated_secret_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = session_secret(&config(&data, None)).unwrap();
        assert_eq!(first.expose_secret().len(), BYTES * 2);
        let second = session_secret(&config(&data, None)).unwrap();
        assert_eq!(first.expose_secret(), second.expose_secret());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(data.join(FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = session_secret(&config(&dir.path().join("elsewhere"), None)).unwrap();
        assert_ne!(first.expose_secret(), other.expose_secret());
        // No drafts are left behind.
        assert_eq!(std::fs::read_dir(&data).unwrap().count(), 1);
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = session_secret(&config(dir.path(), Some("from-the-environment"))).unwrap();
        assert_eq!(secret.expose_secret(), "from-the-environment");
        assert!(!dir.path().join(FILE).exists());
    }
}
