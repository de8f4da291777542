//! Webhook signatures in Stripe's scheme, used both ways: on Stripe's events
//! (`Stripe-Signature`) and on the events Oikos sends (`Oikos-Signature`). The header is
//! `t=<unix time>,v1=<hex>[,v1=<hex>…]`, each `v1` an HMAC-SHA256 over `"<t>.<raw body>"`
//! with the endpoint's secret. Several `v1`s arrive while a secret is being rolled; any one
//! that matches will do. A timestamp more than [`TOLERANCE_SECONDS`] away from now is
//! refused, so a captured delivery cannot be replayed later.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

pub const TOLERANCE_SECONDS: i64 = 300;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is missing or malformed")]
    Malformed,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
    #[error("no signature matches")]
    Mismatch,
}

/// Checks `header` over `body` at `now` (unix seconds).
pub fn verify(
    header: &str,
    body: &[u8],
    secret: &SecretString,
    now: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    let matches = |signature: &Vec<u8>| {
        // Constant-time comparison.
        signed(secret, timestamp, body).is_some_and(|mac| mac.verify_slice(signature).is_ok())
    };
    if signatures.iter().any(matches) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The HMAC of `"<at>.<body>"` under `secret`.
fn signed(secret: &SecretString, at: i64, body: &[u8]) -> Option<Hmac<Sha256>> {
    // HMAC takes keys of any length, so new_from_slice cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()).ok()?;
    mac.update(at.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The header for `body` signed at `at`: what Oikos sends, and what tests send as Stripe.
pub fn sign(body: &[u8], secret: &SecretString, at: i64) -> String {
    let signature = signed(secret, at, body)
        .map(|mac| hex::encode(mac.finalize().into_bytes()))
        .unwrap_or_default();
    format!("t={at},v1={signature}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> SecretString {
        SecretString::from("whsec_test")
    }

    #[test]
    fn a_signature_made_with_the_secret_verifies() {
        let header = sign(b"{}", &secret(), 1_000);
        assert_eq!(verify(&header, b"{}", &secret(), 1_000), Ok(()));
        assert_eq!(
            verify(&header, b"{}", &secret(), 1_000 + TOLERANCE_SECONDS),
            Ok(())
        );
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        let good = sign(b"{}", &secret(), 1_000);
        let header = format!("t=1000,v1={},{}", "ab".repeat(32), &good[7..]);
        assert_eq!(verify(&header, b"{}", &secret(), 1_000), Ok(()));
    }

    #[test]
    fn a_changed_body_another_secret_or_an_old_timestamp_fail() {
        let header = sign(b"{}", &secret(), 1_000);
        assert_eq!(
            verify(&header, b"{ }", &secret(), 1_000),
            Err(SignatureError::Mismatch)
        );
        let other = SecretString::from("whsec_other");
        assert_eq!(
            verify(&header, b"{}", &other, 1_000),
            Err(SignatureError::Mismatch)
        );
        let late = 1_000 + TOLERANCE_SECONDS + 1;
        assert_eq!(
            verify(&header, b"{}", &secret(), late),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        for header in ["", "t=abc,v1=00", "v1=00", "t=1000", "t=1000,v0=00"] {
            assert_eq!(
                verify(header, b"{}", &secret(), 1_000),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }
}
