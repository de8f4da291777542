//! Seals on the rows that grant identity. SQL injected into the application's connection can
//! write any row its role may write; what it cannot do is compute an HMAC under a key derived
//! from `SESSION_SECRET`, which the database never holds. So every row that lets someone in
//! (a session, a refresh token, a link token, an identity link, an impersonation, an API key)
//! carries a seal over the fields that say who it lets in, and is believed only when the
//! seal verifies; secrets the server looks rows up by (session ids, API keys) are stored as
//! keyed hashes too. A row written or changed by the database role alone is worth nothing.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

use crate::keys::{Keys, Purpose};

/// Seals rows and hashes secrets; cheap to clone.
#[derive(Clone, Debug)]
pub struct Seals {
    /// The current key first (it seals), then the previous one during a rotation.
    keys: Vec<SecretSlice<u8>>,
}

impl Seals {
    pub fn new(keys: &Keys) -> Self {
        Seals {
            keys: keys.derive(Purpose::Seals),
        }
    }

    /// The seal of a row of `table` whose identity-bearing fields are `fields`.
    pub fn seal(&self, table: &str, fields: &[&str]) -> String {
        self.keys
            .first()
            .map(|key| mac(key, table, fields))
            .unwrap_or_default()
    }

    /// Whether `seal` was made by [`Seals::seal`] for these very fields (under the current
    /// key or the previous one).
    pub fn verify(&self, table: &str, fields: &[&str], seal: Option<&str>) -> bool {
        let Some(seal) = seal else {
            return false;
        };
        self.keys
            .iter()
            .any(|key| constant_time_eq(mac(key, table, fields).as_bytes(), seal.as_bytes()))
    }

    /// The keyed hashes a secret of kind `label` may be stored as: under the current key
    /// first (what new rows get), then the previous one.
    pub fn hashes(&self, label: &str, secret: &str) -> Vec<String> {
        self.keys
            .iter()
            .map(|key| mac(key, label, &[secret]))
            .collect()
    }

    /// The keyed hash a new secret of kind `label` is stored as.
    pub fn hash(&self, label: &str, secret: &str) -> String {
        self.hashes(label, secret)
            .into_iter()
            .next()
            .unwrap_or_default()
    }
}

/// HMAC-SHA256 over the label and each field, each preceded by its length so that no two
/// different lists of fields read the same.
fn mac(key: &SecretSlice<u8>, label: &str, fields: &[&str]) -> String {
    // HMAC takes keys of any length, so new_from_slice cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.expose_secret()) else {
        return String::new();
    };
    for part in std::iter::once(label).chain(fields.iter().copied()) {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    hex::encode(mac.finalize().into_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn seals(secret: &str) -> Seals {
        let config =
            Config::from_lookup(|name| (name == "SESSION_SECRET").then(|| secret.to_owned()))
                .unwrap();
        Seals::new(&Keys::load(&config).unwrap())
    }

    #[test]
    fn a_seal_holds_for_its_own_fields_and_key_only() {
        let ours = seals("3c9e1a7b5d2f4086a1c3e5f7092b4d6f8e1a3c5b7d9f02143658709acbedf129");
        let other = seals("9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100");
        let seal = ours.seal("sessions", &["id", "data"]);
        assert!(ours.verify("sessions", &["id", "data"], Some(&seal)));
        assert!(!ours.verify("sessions", &["id", "datb"], Some(&seal)));
        assert!(
            !ours.verify("sessions", &["i", "ddata"], Some(&seal)),
            "fields are framed"
        );
        assert!(!ours.verify("api_keys", &["id", "data"], Some(&seal)));
        assert!(!ours.verify("sessions", &["id", "data"], None));
        assert!(!other.verify("sessions", &["id", "data"], Some(&seal)));
        assert_ne!(ours.hash("session", "abc"), other.hash("session", "abc"));
    }
}
