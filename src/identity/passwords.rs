//! Password hashing: argon2id with the OWASP parameters (19 MiB, t=2, p=1), on a pool of its
//! own with one thread per core. A burst of sign-ins queues there: at most cores × 19 MiB is
//! ever in use for hashing, always by the same few threads (whose allocator reuses it), and
//! the request threads and the database's threads never wait behind a hash.

use std::sync::Arc;

use anyhow::Context as _;
use argon2::password_hash::{PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::users::PasswordHash;
use crate::values::Password;
use crate::Result;

const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

/// Verified against when the account does not exist, so that an unknown email and a wrong
/// password take the same time: the hash of 24 random bytes nobody kept, made with the same
/// parameters (a test checks they match).
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$MoqAgjZ+Ia3QJecSkigX1w$w3r+Lpv4fvTeujiOhmsMUw7iShaiHcjqMUcTGNozr+w";

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone, Debug)]
pub struct Passwords {
    hashers: Arc<rayon::ThreadPool>,
}

fn argon2() -> Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|err| anyhow::anyhow!("argon2 parameters: {err}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<PasswordHash> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| anyhow::anyhow!("no system randomness: {err}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|err| anyhow::anyhow!("salt: {err}"))?;
    let phc = argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))?;
    Ok(PasswordHash::from_phc(phc.to_string()))
}

fn verify_now(candidate: &str, hash: &PasswordHash) -> bool {
    let Ok(parsed) = Phc::new(hash.as_phc()) else {
        return false;
    };
    argon2().is_ok_and(|argon2| {
        argon2
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok()
    })
}

impl Passwords {
    /// As many hashing threads as there are cores (the cores this process may run on).
    pub fn new() -> Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let hashers = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .thread_name(|i| format!("oikos-argon2-{i}"))
            .build()
            .context("starting the password hashing threads")?;
        Ok(Passwords {
            hashers: Arc::new(hashers),
        })
    }

    pub async fn hash(&self, password: &Password) -> Result<PasswordHash> {
        let password = password.clone();
        self.run(move || hash_now(password.expose())).await?
    }

    /// Whether `candidate` matches `hash`; with no hash (unknown account, or one that signs in
    /// only with Google) a dummy is checked so the answer takes as long, and is `false`.
    pub async fn verify(&self, candidate: &str, hash: Option<&PasswordHash>) -> Result<bool> {
        let known = hash.is_some();
        let hash = hash
            .cloned()
            .unwrap_or_else(|| PasswordHash::from_phc(DUMMY.to_owned()));
        let candidate = candidate.to_owned();
        let matches = self.run(move || verify_now(&candidate, &hash)).await?;
        Ok(known && matches)
    }

    /// Queues `work` on the hashing threads and waits for it without holding a request
    /// thread.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.hashers.spawn(move || {
            // The request may have gone (a client hung up): then nobody waits for it.
            let _ = done.send(work());
        });
        Ok(result.await.context("password hashing thread")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_owasp_parameters_and_verify() {
        let passwords = Passwords::new().unwrap();
        let password = Password::parse("Correct-Horse-9").unwrap();
        let hash = passwords.hash(&password).await.unwrap();
        assert!(
            hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_phc()
        );
        assert!(passwords
            .verify("Correct-Horse-9", Some(&hash))
            .await
            .unwrap());
        assert!(!passwords
            .verify("correct-horse-9", Some(&hash))
            .await
            .unwrap());
        // Salted: the same password hashes differently each time.
        assert_ne!(passwords.hash(&password).await.unwrap(), hash);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let passwords = Passwords::new().unwrap();
        assert!(!passwords
            .verify("dummy password for unknown accounts", None)
            .await
            .unwrap());
    }
}
