use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// A password as typed, checked against the policy (PRODUCT.md §2: 8–128 characters, upper,
/// lower and digit, and not one of the 10,000 most common passwords of public breaches).
/// Never printed: its `Debug` is redacted and it is not `Display`.
#[derive(Clone)]
pub struct Password(SecretString);

const MIN_CHARS: usize = 8;
const MAX_CHARS: usize = 128;

/// The 10,000 most common passwords, most common first, lowercase: the head of the ranked list
/// that zxcvbn (MIT) ships, drawn from public breach corpora.
const COMMON: &str = include_str!("common-passwords.txt");

static COMMON_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| COMMON.lines().collect());

/// Compared without case: "Password1" is as guessable as "password1".
fn is_common(password: &str) -> bool {
    COMMON_SET.contains(password.to_lowercase().as_str())
}

impl Password {
    /// Checks the policy on the password exactly as typed (no trimming, no truncation).
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let chars = input.chars().count();
        if chars < MIN_CHARS {
            return Err("Use at least 8 characters.");
        }
        if chars > MAX_CHARS {
            return Err("Use at most 128 characters.");
        }
        let has = |test: fn(&char) -> bool| input.chars().any(|c| test(&c));
        if !(has(|c| c.is_uppercase()) && has(|c| c.is_lowercase()) && has(char::is_ascii_digit)) {
            return Err("Use upper- and lower-case letters and at least one digit.");
        }
        if is_common(input) {
            return Err("This password is one of the most common ones; choose another.");
        }
        Ok(Password(SecretString::from(input.to_owned())))
    }

    pub fn parse_field(field: &str, input: &str) -> crate::Result<Self> {
        Password::parse(input).map_err(|message| Error::invalid(field, message))
    }

    /// For the hasher only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn the_policy_is_checked_on_the_password_as_typed() {
        assert!(Password::parse("Passw0rdOk").is_ok());
        assert!(
            Password::parse(" Passw0rd ").is_ok(),
            "spaces count as typed"
        );
        assert_eq!(
            Password::parse("Sh0rt").unwrap_err(),
            "Use at least 8 characters."
        );
        assert!(Password::parse("alllowercase1").is_err());
        assert!(Password::parse("ALLUPPERCASE1").is_err());
        assert!(Password::parse("NoDigitsHere").is_err());
        let long = format!("Aa1{}", "x".repeat(126));
        assert_eq!(
            Password::parse(&long).unwrap_err(),
            "Use at most 128 characters."
        );
        assert!(Password::parse(&format!("Aa1{}", "x".repeat(125))).is_ok());
    }

    #[test]
    fn the_most_common_passwords_are_refused_whatever_their_case() {
        assert_eq!(super::COMMON.lines().count(), 10_000);
        for common in ["Password1", "Qwerty123", "ILoveYou1"] {
            assert_eq!(
                Password::parse(common).unwrap_err(),
                "This password is one of the most common ones; choose another.",
                "{common}"
            );
        }
        assert!(Password::parse("Tangerine-Otter-42").is_ok());
    }

    #[test]
    fn passwords_never_reach_debug_output() {
        let password = Password::parse("Secret123Value").unwrap();
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
        assert_eq!(password.expose(), "Secret123Value");
    }
}
