//! Weekly business hours: for each day, the ranges the outlet is open (none: closed).
//! Checked as a whole, with the field that is wrong named (`hours.monday[1].close`).

use std::collections::BTreeMap;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::error::FieldCheck;

pub const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// One opening range, `"09:00"` to `"17:30"`, as sent and stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub open: String,
    pub close: String,
}

/// Day name → its ranges, in order. Days left out are closed.
pub type WeeklyHours = BTreeMap<String, Vec<Range>>;

fn time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

/// `hours` checked and sorted (ranges within a day by opening time; closed days dropped);
/// errors go into `check`.
pub fn parse(hours: &WeeklyHours, check: &mut FieldCheck) -> WeeklyHours {
    let mut out = WeeklyHours::new();
    for (day, ranges) in hours {
        if !DAYS.contains(&day.as_str()) {
            check.fail(&format!("hours.{day}"), "Use the days monday to sunday.");
            continue;
        }
        let mut parsed = Vec::new();
        for (i, range) in ranges.iter().enumerate() {
            let field = |end: &str| format!("hours.{day}[{i}].{end}");
            let (open, close) = (time(&range.open), time(&range.close));
            match (open, close) {
                (None, _) => check.fail(&field("open"), "Use a time like 09:00."),
                (_, None) => check.fail(&field("close"), "Use a time like 17:30."),
                (Some(o), Some(c)) if o >= c => {
                    check.fail(&field("close"), "Closing comes after opening.")
                }
                (Some(o), Some(c)) => parsed.push((i, o, c)),
            }
        }
        parsed.sort_by_key(|(_, open, _)| *open);
        for pair in parsed.windows(2) {
            let ((_, _, earlier_close), (i, later_open, _)) = (pair[0], pair[1]);
            if later_open < earlier_close {
                check.fail(
                    &format!("hours.{day}[{i}].open"),
                    "This range overlaps another one of the day.",
                );
            }
        }
        if !parsed.is_empty() {
            let fmt = |t: NaiveTime| t.format("%H:%M").to_string();
            let ranges = parsed
                .iter()
                .map(|(_, o, c)| Range {
                    open: fmt(*o),
                    close: fmt(*c),
                })
                .collect();
            out.insert(day.clone(), ranges);
        }
    }
    out
}

/// A day's ranges as a person types them: `"09:00-12:00, 13:00-17:00"` (empty: closed). A
/// piece without a dash becomes a range without a close, which [`parse`] then names.
pub fn ranges_from_text(text: &str) -> Vec<Range> {
    text.split(',')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (open, close) = piece.split_once('-').unwrap_or((piece, ""));
            Range {
                open: open.trim().to_owned(),
                close: close.trim().to_owned(),
            }
        })
        .collect()
}

/// The way [`ranges_from_text`] reads them back.
pub fn ranges_to_text(ranges: &[Range]) -> String {
    ranges
        .iter()
        .map(|r| format!("{}-{}", r.open, r.close))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_ranges_round_trip() {
        let ranges = ranges_from_text(" 09:00 - 12:00,13:00-17:30 , ");
        assert_eq!(ranges_to_text(&ranges), "09:00-12:00, 13:00-17:30");
        assert_eq!(ranges_from_text("nine")[0].close, "");
        assert!(ranges_from_text("").is_empty());
    }

    fn week(json: serde_json::Value) -> WeeklyHours {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn ranges_are_sorted_and_closed_days_dropped() {
        let mut check = FieldCheck::new();
        let hours = week(serde_json::json!({
            "monday": [{"open": "14:00", "close": "18:00"}, {"open": "9:00", "close": "12:30"}],
            "sunday": []
        }));
        let parsed = parse(&hours, &mut check);
        assert!(check.finish().is_ok());
        assert_eq!(
            parsed["monday"][0],
            Range {
                open: "09:00".into(),
                close: "12:30".into()
            }
        );
        assert!(!parsed.contains_key("sunday"));
    }

    #[test]
    fn overlaps_reversed_ranges_and_bad_days_are_named() {
        let mut check = FieldCheck::new();
        let hours = week(serde_json::json!({
            "monday": [{"open": "09:00", "close": "13:00"}, {"open": "12:00", "close": "17:00"}],
            "tuesday": [{"open": "18:00", "close": "09:00"}],
            "friday": [{"open": "nine", "close": "17:00"}],
            "funday": [{"open": "09:00", "close": "10:00"}]
        }));
        parse(&hours, &mut check);
        let fields: Vec<String> = check.finish().unwrap_err().fields().into_keys().collect();
        assert_eq!(
            fields,
            [
                "hours.friday[0].open",
                "hours.funday",
                "hours.monday[1].open",
                "hours.tuesday[0].close"
            ]
        );
    }
}
