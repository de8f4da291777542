//! Unicode normalisation shared by every value compared without regard to case.

use unicode_normalization::UnicodeNormalization as _;

/// Trimmed, NFC, full Unicode case folding, NFC again: the key under which names and email
/// addresses are unique. Done here, never by a database's `lower()` (SQLite's folds ASCII
/// only), so both databases agree.
pub fn fold(text: &str) -> String {
    let composed: String = text.trim().nfc().collect();
    caseless::default_case_fold_str(&composed).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_ignores_case_width_of_composition_and_surrounding_space() {
        assert_eq!(fold("  Café  "), fold("CAFE\u{301}"));
        assert_eq!(fold("STRASSE"), fold("straße"));
        assert_eq!(fold("ÉCOLE"), "école");
        assert_ne!(fold("cafe"), fold("café"));
    }
}
