//! Paging and search parameters shared by every list (`skip`, `limit`, `q`).

use crate::error::FieldCheck;

use super::fold;

/// Which slice of a list to answer: `skip` rows, then at most `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub skip: i64,
    pub limit: i64,
}

impl Page {
    /// Checks the parameters as sent (`skip` ≥ 0, `limit` 1–`max`, `default` when absent);
    /// errors go into `check` under their names.
    pub fn parse(
        skip: Option<i64>,
        limit: Option<i64>,
        default: i64,
        max: i64,
        check: &mut FieldCheck,
    ) -> Page {
        let skip = skip.unwrap_or(0);
        if skip < 0 {
            check.fail("skip", "Use 0 or more.");
        }
        let limit = limit.unwrap_or(default);
        if !(1..=max).contains(&limit) {
            check.fail("limit", &format!("Use 1 to {max}."));
        }
        Page { skip, limit }
    }
}

/// A search term as typed, trimmed; `None` when blank.
pub fn search_term(q: Option<String>) -> Option<String> {
    q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty())
}

/// The `LIKE … ESCAPE '\'` pattern that finds `term` anywhere in a folded column.
pub fn like_pattern(term: &str) -> String {
    let escaped = fold(term)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_checked_and_search_wildcards_are_taken_literally() {
        let mut check = FieldCheck::new();
        assert_eq!(
            Page::parse(None, None, 50, 200, &mut check),
            Page { skip: 0, limit: 50 }
        );
        assert!(check.finish().is_ok());
        let mut check = FieldCheck::new();
        Page::parse(Some(-1), Some(201), 50, 200, &mut check);
        let fields = check.finish().unwrap_err().fields();
        assert_eq!(fields["skip"], "Use 0 or more.");
        assert_eq!(fields["limit"], "Use 1 to 200.");
        assert_eq!(like_pattern(" 50%_Off\\ "), "%50\\%\\_off\\\\%");
        assert_eq!(search_term(Some("  ".into())), None);
    }
}
