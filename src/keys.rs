//! The session secret and the keys derived from it.
//!
//! `SESSION_SECRET` (hex or base64 of at least 32 random bytes) is the one root secret; each
//! purpose gets its own key through HKDF-SHA256, so a key leaked for one purpose (say, link
//! tokens) says nothing about another (cookies). `SESSION_SECRET_PREVIOUS` keeps verifying what
//! the previous secret signed during a rotation. With SQLite and no `SESSION_SECRET`, one is
//! generated once and kept (mode 600) in the data folder; on PostgreSQL, where several
//! instances share the data, it must be set so they all agree.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::Path;

use anyhow::Context as _;
use base64::Engine as _;
use hkdf::Hkdf;
use secrecy::{ExposeSecret, SecretSlice, SecretString};
use sha2::Sha256;

use crate::config::ConfigError;
use crate::{files, Config, Result};

const FILE: &str = "session_secret";
const MIN_BYTES: usize = 32;
/// Random bytes repeat rarely; a "secret" of few distinct bytes (`aaaa…`) was typed, not drawn.
const MIN_DISTINCT_BYTES: usize = 16;
const SALT: &[u8] = b"oikos session secret v1";

/// What a derived key is for; each purpose has its own key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Signing and encrypting cookies (64 bytes, as the cookie crate's `Key` wants).
    Cookies,
    /// Signing access tokens (JWT).
    AccessTokens,
    /// Keyed hashes of refresh tokens.
    RefreshTokens,
    /// Keyed hashes of tokens in links (verification, reset, invitation, handoff).
    LinkTokens,
    /// Seals on the rows that grant identity, and the keyed hashes of session ids and API
    /// keys (see `identity::seals`).
    Seals,
}

impl Purpose {
    fn info(self) -> &'static [u8] {
        match self {
            Purpose::Cookies => b"cookies",
            Purpose::AccessTokens => b"access-tokens",
            Purpose::RefreshTokens => b"refresh-tokens",
            Purpose::LinkTokens => b"link-tokens",
            Purpose::Seals => b"row-seals",
        }
    }

    fn len(self) -> usize {
        match self {
            Purpose::Cookies => 64,
            Purpose::AccessTokens
            | Purpose::RefreshTokens
            | Purpose::LinkTokens
            | Purpose::Seals => 32,
        }
    }
}

/// The root secret, and the previous one during a rotation.
#[derive(Clone, Debug)]
pub struct Keys {
    current: SecretSlice<u8>,
    previous: Option<SecretSlice<u8>>,
}

impl Keys {
    /// Reads `SESSION_SECRET` (or the kept file) and `SESSION_SECRET_PREVIOUS`.
    pub fn load(config: &Config) -> Result<Keys> {
        let current = match &config.session_secret {
            Some(secret) => decode("SESSION_SECRET", secret)?,
            None if config.database.is_postgres() => {
                return Err(config_error(
                    "SESSION_SECRET",
                    "must be set on PostgreSQL, so that every instance signs alike \
                     (generate one with `openssl rand -hex 32`)",
                ))
            }
            None => load_or_generate(&config.data_dir.join(FILE))?,
        };
        let previous = match &config.previous_session_secret {
            Some(secret) => Some(decode("SESSION_SECRET_PREVIOUS", secret)?),
            None => None,
        };
        Ok(Keys { current, previous })
    }

    /// The key for `purpose`: the first signs, every one verifies (the current, then the
    /// previous during a rotation).
    pub fn derive(&self, purpose: Purpose) -> Vec<SecretSlice<u8>> {
        std::iter::once(&self.current)
            .chain(self.previous.as_ref())
            .map(|root| expand(root.expose_secret(), purpose))
            .collect()
    }
}

fn expand(root: &[u8], purpose: Purpose) -> SecretSlice<u8> {
    let mut key = vec![0u8; purpose.len()];
    // 64 bytes is far below HKDF-SHA256's limit of 8160, so expand cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(SALT), root).expand(purpose.info(), &mut key);
    key.into()
}

fn config_error(variable: &'static str, message: &str) -> crate::Error {
    anyhow::Error::new(ConfigError {
        variable,
        message: message.to_owned(),
    })
    .into()
}

/// Hex or base64 of at least 32 bytes that look drawn at random.
fn decode(variable: &'static str, secret: &SecretString) -> Result<SecretSlice<u8>> {
    let text = secret.expose_secret().trim();
    let bytes = hex::decode(text)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
        .or_else(|| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(text)
                .ok()
        })
        .or_else(|| {
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(text)
                .ok()
        })
        .ok_or_else(|| {
            config_error(
                variable,
                "must be hex or base64 (generate one with `openssl rand -hex 32`)",
            )
        })?;
    let distinct = bytes.iter().collect::<HashSet<_>>().len();
    if bytes.len() < MIN_BYTES || distinct < MIN_DISTINCT_BYTES {
        return Err(config_error(
            variable,
            "must hold at least 32 random bytes (generate one with `openssl rand -hex 32`)",
        ));
    }
    Ok(bytes.into())
}

fn load_or_generate(path: &Path) -> Result<SecretSlice<u8>> {
    if let Some(secret) = read_kept(path)? {
        return Ok(secret);
    }
    if let Some(folder) = path.parent() {
        files::create_private_dir(folder)?;
    }
    // Written whole to a private file first, then linked into place: a reader never sees a
    // half-written secret, and of two instances starting at once the first link wins.
    let draft = path.with_extension(format!("{}.tmp", uuid::Uuid::new_v4().simple()));
    files::write_private(&draft, generate()?.as_bytes())?;
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
    let mut bytes = [0u8; MIN_BYTES];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no system randomness: {err}"))?;
    Ok(hex::encode(bytes))
}

fn read_kept(path: &Path) -> Result<Option<SecretSlice<u8>>> {
    let kept = match std::fs::read_to_string(path) {
        Ok(kept) => kept,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(anyhow::Error::from(err)
                .context(format!("reading {}", path.display()))
                .into())
        }
    };
    files::ensure_private(path)?;
    let secret = SecretString::from(kept.trim().to_owned());
    decode("SESSION_SECRET", &secret)
        .with_context(|| {
            format!(
                "{} is not a valid secret: delete it to generate a new one",
                path.display()
            )
        })
        .map(Some)
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "7f3a9c1e5b2d4f6081a3c5e7092b4d6f8e1c3a5b7d9f0214365870a9cbedf123";

    fn config(data_dir: &Path, vars: &[(&str, &str)]) -> Config {
        let data_dir = data_dir.display().to_string();
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| match name {
            "OIKOS_DATA_DIR" => Some(data_dir.clone()),
            _ => vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
        })
        .unwrap()
    }

    fn key(keys: &Keys, purpose: Purpose) -> Vec<u8> {
        keys.derive(purpose)[0].expose_secret().to_vec()
    }

    #[test]
    fn a_generated_secret_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = Keys::load(&config(&data, &[])).unwrap();
        let second = Keys::load(&config(&data, &[])).unwrap();
        assert_eq!(
            key(&first, Purpose::Cookies),
            key(&second, Purpose::Cookies)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&data.join(FILE)), 0o600);
            assert_eq!(mode(&data), 0o700);
        }
        let other = Keys::load(&config(&dir.path().join("elsewhere"), &[])).unwrap();
        assert_ne!(key(&first, Purpose::Cookies), key(&other, Purpose::Cookies));
        // No drafts are left behind.
        assert_eq!(std::fs::read_dir(&data).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_kept_secret_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Keys::load(&config(dir.path(), &[])).unwrap();
        let file = dir.path().join(FILE);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = Keys::load(&config(dir.path(), &[])).unwrap_err();
        assert!(format!("{err:#}").contains("chmod 600"), "{err:#}");
    }

    #[test]
    fn each_purpose_gets_its_own_key_of_its_own_length() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::load(&config(dir.path(), &[("SESSION_SECRET", SECRET)])).unwrap();
        assert!(
            !dir.path().join(FILE).exists(),
            "the environment wins over the file"
        );
        let cookies = key(&keys, Purpose::Cookies);
        let tokens = key(&keys, Purpose::AccessTokens);
        let links = key(&keys, Purpose::LinkTokens);
        assert_eq!((cookies.len(), tokens.len(), links.len()), (64, 32, 32));
        assert_ne!(tokens, links);
        assert_ne!(&cookies[..32], &tokens[..]);
        // Deterministic: every instance with the same secret derives the same keys.
        let again = Keys::load(&config(dir.path(), &[("SESSION_SECRET", SECRET)])).unwrap();
        assert_eq!(key(&again, Purpose::LinkTokens), links);
    }

    #[test]
    fn a_previous_secret_still_verifies_during_a_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let old = Keys::load(&config(dir.path(), &[("SESSION_SECRET", SECRET)])).unwrap();
        let new_secret = "9c1e5b2d4f6081a3c5e7092b4d6f8e1c3a5b7d9f0214365870a9cbedf1237f3a";
        let rotated = Keys::load(&config(
            dir.path(),
            &[
                ("SESSION_SECRET", new_secret),
                ("SESSION_SECRET_PREVIOUS", SECRET),
            ],
        ))
        .unwrap();
        let verifying = rotated.derive(Purpose::AccessTokens);
        assert_eq!(verifying.len(), 2);
        assert_ne!(
            verifying[0].expose_secret(),
            &key(&old, Purpose::AccessTokens)[..]
        );
        assert_eq!(
            verifying[1].expose_secret(),
            &key(&old, Purpose::AccessTokens)[..]
        );
    }

    #[test]
    fn weak_or_missing_secrets_are_refused_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        for weak in [
            "hunter2",
            "not hex or base64 at all!",
            &"ab".repeat(16),
            &"a".repeat(64),
        ] {
            let err = Keys::load(&config(dir.path(), &[("SESSION_SECRET", weak)])).unwrap_err();
            assert!(
                format!("{err:#}").starts_with("SESSION_SECRET:"),
                "{weak}: {err:#}"
            );
        }
        let postgres = config(dir.path(), &[("DATABASE_URL", "postgres://u@localhost/db")]);
        let err = Keys::load(&postgres).unwrap_err();
        assert!(
            format!("{err:#}").contains("must be set on PostgreSQL"),
            "{err:#}"
        );
    }
}
