use std::fmt;

use unicode_normalization::UnicodeNormalization as _;

use super::fold;
use crate::Error;

/// A tenant's slug: its subdomain label. Lowercase ASCII letters, digits and single hyphens
/// between them, 3–50 characters, not a reserved word.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

const MIN_LEN: usize = 3;
const MAX_LEN: usize = 50;

/// Labels the platform itself uses or that would mislead (PRODUCT.md §1).
const RESERVED: &[&str] = &[
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "billing",
    "blog",
    "cdn",
    "dashboard",
    "dev",
    "docs",
    "ftp",
    "help",
    "imap",
    "login",
    "mail",
    "metrics",
    "oikos",
    "pkg",
    "pop",
    "public",
    "root",
    "smtp",
    "staging",
    "static",
    "status",
    "support",
    "test",
    "www",
];

impl Slug {
    /// Parses a slug as typed (or from a `Host` label): compared after Unicode and case
    /// normalisation, so `Salon` and `salon` are the same tenant.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let slug = fold(input);
        if slug.len() < MIN_LEN || slug.len() > MAX_LEN {
            return Err("Use 3 to 50 characters.");
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if !slug.chars().all(allowed) {
            return Err("Use lowercase letters, digits and hyphens only.");
        }
        if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
            return Err("Hyphens go between letters or digits, one at a time.");
        }
        if RESERVED.contains(&slug.as_str()) {
            return Err("This name is reserved; choose another.");
        }
        Ok(Slug(slug))
    }

    pub fn parse_field(field: &str, input: &str) -> crate::Result<Self> {
        Slug::parse(input).map_err(|message| Error::invalid(field, message))
    }

    /// A slug made from a business name ("Café Lumière" → "cafe-lumiere"), or `None` when
    /// the name gives too little to work with.
    pub fn from_name(name: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in name.nfkd().filter(char::is_ascii) {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.truncate(MAX_LEN);
        Slug::parse(slug.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn from_stored(value: String) -> Self {
        Slug(value)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn slugs_are_normalised_then_checked() {
        assert_eq!(Slug::parse(" Salon-42 ").unwrap().as_str(), "salon-42");
        for bad in [
            "ab",
            "a".repeat(51).as_str(),
            "salon_42",
            "-salon",
            "salon-",
            "sa--lon",
            "café",
            "www",
            "API",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn slugs_are_made_from_business_names() {
        assert_eq!(
            Slug::from_name("Café Lumière & Co.").unwrap().as_str(),
            "cafe-lumiere-co"
        );
        assert_eq!(
            Slug::from_name("  The   Barber's  ").unwrap().as_str(),
            "the-barber-s"
        );
        assert!(Slug::from_name("日本").is_none());
        assert!(Slug::from_name("Admin").is_none(), "reserved");
        assert_eq!(Slug::from_name(&"x".repeat(80)).unwrap().as_str().len(), 50);
    }
}

crate::db::query::text_type!(Slug, stored);
