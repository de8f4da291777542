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
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("creating {}", folder.display()))?;
    }
    let mut bytes = [0u8; BYTES];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no system randomness: {err}"))?;
    let generated = hex::encode(bytes);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // create_new: of two instances starting at once, one writes and both read the same file.
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(generated.as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(SecretString::from(generated))
        }
        Err(err) if err.kind() == ErrorKind::AlreadyExists => {
            let kept = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            match kept.trim() {
                "" => Err(anyhow::anyhow!(
                    "{} is empty: delete it to generate a new one",
                    path.display()
                )
                .into()),
                secret => Ok(SecretString::from(secret.to_owned())),
            }
        }
        Err(err) => Err(anyhow::Error::from(err)
            .context(format!("creating {}", path.display()))
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
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = session_secret(&config(dir.path(), Some("from-the-environment"))).unwrap();
        assert_eq!(secret.expose_secret(), "from-the-environment");
        assert!(!dir.path().join(FILE).exists());
    }
}
