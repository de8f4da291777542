//! A tenant's settings (PRODUCT.md §4, the Reserva guide's `settings`): locale, the templates
//! its forms suggest, booking rules and feature toggles. A tenant without a stored row has
//! the defaults.

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::db::{query, Access, Db, TenantTx};
use crate::error::FieldCheck;
use crate::tenancy::{Permission, TenantScope};
use crate::Result;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TenantSettings {
    /// An IANA time zone (`Asia/Manila`).
    pub timezone: String,
    /// An ISO 4217 code (`PHP`).
    pub currency: String,
    /// A language tag (`en`, `pt-BR`).
    pub language: String,
    pub staff_position_templates: Vec<String>,
    pub service_category_templates: Vec<String>,
    pub booking_advance_days: i64,
    pub cancellation_hours: i64,
    pub wallet_enabled: bool,
    pub loyalty_points_enabled: bool,
}

/// The Reserva guide's defaults.
const POSITIONS: &[&str] = &[
    "Service Provider",
    "Senior Provider",
    "Specialist",
    "Manager",
    "Receptionist",
    "Assistant",
    "Trainee",
];
const CATEGORIES: &[&str] = &[
    "hair_cut",
    "hair_color",
    "hair_treatment",
    "hair_styling",
    "facial",
    "makeup",
    "eyebrows",
    "eyelashes",
    "manicure",
    "pedicure",
    "nail_art",
    "massage",
    "body_treatment",
    "waxing",
    "spa",
    "therapy",
    "consultation",
    "other",
];

impl Default for TenantSettings {
    fn default() -> Self {
        let owned = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        TenantSettings {
            timezone: "UTC".to_owned(),
            currency: "USD".to_owned(),
            language: "en".to_owned(),
            staff_position_templates: owned(POSITIONS),
            service_category_templates: owned(CATEGORIES),
            booking_advance_days: 30,
            cancellation_hours: 24,
            wallet_enabled: false,
            loyalty_points_enabled: false,
        }
    }
}

/// A partial change of the settings: absent fields stay.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsPatch {
    pub timezone: Option<String>,
    pub currency: Option<String>,
    pub language: Option<String>,
    pub staff_position_templates: Option<Vec<String>>,
    pub service_category_templates: Option<Vec<String>>,
    pub booking_advance_days: Option<i64>,
    pub cancellation_hours: Option<i64>,
    pub wallet_enabled: Option<bool>,
    pub loyalty_points_enabled: Option<bool>,
}

impl SettingsPatch {
    /// `settings` with the patch applied; errors go into `check` as `settings.<field>`.
    pub(crate) fn apply(
        &self,
        settings: &TenantSettings,
        check: &mut FieldCheck,
    ) -> TenantSettings {
        let mut next = settings.clone();
        if let Some(zone) = &self.timezone {
            if let Some(zone) =
                check.field("settings.timezone", crate::values::parse_timezone(zone))
            {
                next.timezone = zone;
            }
        }
        if let Some(code) = &self.currency {
            let code = code.trim().to_ascii_uppercase();
            if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
                next.currency = code;
            } else {
                check.fail(
                    "settings.currency",
                    "Use a three-letter currency code, like EUR.",
                );
            }
        }
        if let Some(tag) = &self.language {
            match parse_language(tag) {
                Some(tag) => next.language = tag,
                None => check.fail("settings.language", "Use a language tag, like en or pt-BR."),
            }
        }
        let mut templates = |field: &str, given: &Option<Vec<String>>, target: &mut Vec<String>| {
            if let Some(items) = given {
                match parse_templates(items) {
                    Ok(items) => *target = items,
                    Err(message) => check.fail(field, message),
                }
            }
        };
        templates(
            "settings.staff_position_templates",
            &self.staff_position_templates,
            &mut next.staff_position_templates,
        );
        templates(
            "settings.service_category_templates",
            &self.service_category_templates,
            &mut next.service_category_templates,
        );
        let mut number = |field: &str,
                          given: Option<i64>,
                          range: std::ops::RangeInclusive<i64>,
                          target: &mut i64| {
            match given {
                Some(n) if range.contains(&n) => *target = n,
                Some(_) => check.fail(field, &format!("Use {} to {}.", range.start(), range.end())),
                None => {}
            }
        };
        number(
            "settings.booking_advance_days",
            self.booking_advance_days,
            1..=365,
            &mut next.booking_advance_days,
        );
        number(
            "settings.cancellation_hours",
            self.cancellation_hours,
            0..=720,
            &mut next.cancellation_hours,
        );
        next.wallet_enabled = self.wallet_enabled.unwrap_or(next.wallet_enabled);
        next.loyalty_points_enabled = self
            .loyalty_points_enabled
            .unwrap_or(next.loyalty_points_enabled);
        next
    }
}

/// `en`, `pt-BR`: a primary language of 2–3 letters and an optional region or script.
fn parse_language(tag: &str) -> Option<String> {
    let mut parts = tag.trim().split(['-', '_']);
    let primary = parts
        .next()
        .filter(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))?;
    let mut out = primary.to_ascii_lowercase();
    for part in parts {
        if !(2..=8).contains(&part.len()) || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        out.push('-');
        out.push_str(&if part.len() == 2 {
            part.to_ascii_uppercase()
        } else {
            part.to_owned()
        });
    }
    Some(out)
}

/// Trimmed, without blanks or repeats, at most 50 of at most 100 characters.
fn parse_templates(items: &[String]) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        if item.chars().count() > 100 {
            return Err("Keep each entry to 100 characters.");
        }
        if !out.iter().any(|seen| seen == item) {
            out.push(item.to_owned());
        }
    }
    if out.len() > 50 {
        return Err("Use at most 50 entries.");
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct Row {
    timezone: String,
    currency: String,
    language: String,
    staff_position_templates: String,
    service_category_templates: String,
    booking_advance_days: i64,
    cancellation_hours: i64,
    wallet_enabled: bool,
    loyalty_points_enabled: bool,
}

/// The tenant's settings (the defaults when none are stored).
pub(crate) async fn load(tx: &mut TenantTx) -> Result<TenantSettings> {
    let sql = "SELECT timezone, currency, language, staff_position_templates,
                      service_category_templates, booking_advance_days, cancellation_hours,
                      wallet_enabled, loyalty_points_enabled
                 FROM tenant_settings WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    let row: Option<Row> = query::optional!(tx, sql, tenant)?;
    let Some(row) = row else {
        return Ok(TenantSettings::default());
    };
    let list = |text: &str| serde_json::from_str::<Vec<String>>(text).map_err(anyhow::Error::from);
    Ok(TenantSettings {
        timezone: row.timezone,
        currency: row.currency,
        language: row.language,
        staff_position_templates: list(&row.staff_position_templates)?,
        service_category_templates: list(&row.service_category_templates)?,
        booking_advance_days: row.booking_advance_days,
        cancellation_hours: row.cancellation_hours,
        wallet_enabled: row.wallet_enabled,
        loyalty_points_enabled: row.loyalty_points_enabled,
    })
}

pub(crate) async fn store(tx: &mut TenantTx, s: &TenantSettings) -> Result<()> {
    let sql = "INSERT INTO tenant_settings
                   (tenant_id, timezone, currency, language, staff_position_templates,
                    service_category_templates, booking_advance_days, cancellation_hours,
                    wallet_enabled, loyalty_points_enabled, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
               ON CONFLICT (tenant_id) DO UPDATE SET
                   timezone = excluded.timezone, currency = excluded.currency,
                   language = excluded.language,
                   staff_position_templates = excluded.staff_position_templates,
                   service_category_templates = excluded.service_category_templates,
                   booking_advance_days = excluded.booking_advance_days,
                   cancellation_hours = excluded.cancellation_hours,
                   wallet_enabled = excluded.wallet_enabled,
                   loyalty_points_enabled = excluded.loyalty_points_enabled,
                   updated_at = excluded.updated_at";
    let tenant = tx.tenant_id();
    let json = |items: &Vec<String>| serde_json::to_string(items).map_err(anyhow::Error::from);
    query::execute!(
        tx,
        sql,
        tenant,
        &s.timezone,
        &s.currency,
        &s.language,
        json(&s.staff_position_templates)?,
        json(&s.service_category_templates)?,
        s.booking_advance_days,
        s.cancellation_hours,
        s.wallet_enabled,
        s.loyalty_points_enabled,
        Utc::now()
    )?;
    Ok(())
}

/// The settings, for any member (`GET /api/v1/staff/positions/templates` and friends).
pub async fn get(db: &Db, scope: &TenantScope) -> Result<TenantSettings> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let settings = load(&mut tx).await?;
    tx.rollback().await?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_check_each_setting() {
        let mut check = FieldCheck::new();
        let patch = SettingsPatch {
            timezone: Some("Asia/Manila".into()),
            currency: Some("php".into()),
            language: Some("pt_br".into()),
            service_category_templates: Some(vec![
                " massage ".into(),
                "".into(),
                "massage".into(),
                "spa".into(),
            ]),
            booking_advance_days: Some(60),
            ..Default::default()
        };
        let next = patch.apply(&TenantSettings::default(), &mut check);
        assert!(check.finish().is_ok());
        assert_eq!(
            (
                next.timezone.as_str(),
                next.currency.as_str(),
                next.language.as_str()
            ),
            ("Asia/Manila", "PHP", "pt-BR")
        );
        assert_eq!(next.service_category_templates, ["massage", "spa"]);
        assert_eq!(
            (next.booking_advance_days, next.cancellation_hours),
            (60, 24)
        );

        let mut check = FieldCheck::new();
        let bad = SettingsPatch {
            timezone: Some("Mars/Olympus".into()),
            currency: Some("EURO".into()),
            language: Some("english!".into()),
            cancellation_hours: Some(-1),
            ..Default::default()
        };
        bad.apply(&TenantSettings::default(), &mut check);
        let fields: Vec<String> = check.finish().unwrap_err().fields().into_keys().collect();
        assert_eq!(
            fields,
            [
                "settings.cancellation_hours",
                "settings.currency",
                "settings.language",
                "settings.timezone"
            ]
        );
    }
}
