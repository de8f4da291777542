use std::fmt;
use std::str::FromStr;

use super::fold;
use crate::Error;

/// An email address, stored and compared normalised (see [`fold`]); unique indexes are on
/// this value, so `Ann@Example.com` and `ann@example.com` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

const MAX_LEN: usize = 254;

impl Email {
    /// Parses what a person typed; the error is a sentence for the form's field.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let folded = fold(input);
        if folded.is_empty() {
            return Err("Enter an email address.");
        }
        if folded.len() > MAX_LEN {
            return Err("This email address is too long.");
        }
        if folded.chars().any(char::is_whitespace)
            || email_address::EmailAddress::from_str(&folded).is_err()
        {
            return Err("Enter a valid email address, like name@example.com.");
        }
        let (_, domain) = folded.rsplit_once('@').unwrap_or_default();
        if !domain.contains('.') || domain.starts_with('[') {
            return Err("Enter a valid email address, like name@example.com.");
        }
        Ok(Email(folded))
    }

    /// Parses `input` for the field `field`, as an `Invalid` error naming it.
    pub fn parse_field(field: &str, input: &str) -> crate::Result<Self> {
        Email::parse(input).map_err(|message| Error::invalid(field, message))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A stored value, normalised when it was written.
    pub(crate) fn from_stored(value: String) -> Self {
        Email(value)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn addresses_are_trimmed_composed_and_case_folded() {
        let email = Email::parse("  Ann.Lee@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "ann.lee@example.com");
        assert_eq!(
            Email::parse("JOSÉ@café.test").unwrap(),
            Email::parse("jose\u{301}@CAFE\u{301}.test").unwrap()
        );
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_sentence() {
        for bad in [
            "",
            "   ",
            "no-at-sign",
            "a@b",
            "two@@example.com",
            "sp ace@example.com",
            "a@[127.0.0.1]",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err("This email address is too long."));
        let err = Email::parse_field("email", "nope").unwrap_err();
        assert_eq!(
            err.fields()["email"],
            "Enter a valid email address, like name@example.com."
        );
    }
}

crate::db::query::text_type!(Email, stored);
