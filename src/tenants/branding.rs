//! A tenant's branding (PRODUCT.md §4): three colours and a logo, applied to its portal as CSS
//! variables (`/branding.css`) and an image (`/branding/logo`). Colours must keep text
//! readable (WCAG contrast); logos are PNG, JPEG or WebP, recognised by their bytes, up to
//! 512 KiB, kept in the database so every instance serves them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::{query, Access, Db, TenantTx};
use crate::error::FieldCheck;
use crate::tenancy::{Permission, SystemScope, TenantScope};
use crate::values::Slug;
use crate::{Error, Result};

/// The portal's colours, `#rrggbb`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Colors {
    /// Buttons and links, under white text.
    pub primary_color: String,
    /// The header's badge, under white text.
    pub secondary_color: String,
    /// Progress and highlights, beside white.
    pub accent_color: String,
}

impl Default for Colors {
    fn default() -> Self {
        Colors {
            primary_color: "#4f46e5".to_owned(),
            secondary_color: "#4338ca".to_owned(),
            accent_color: "#059669".to_owned(),
        }
    }
}

/// What the portal shows: the colours, and the logo's version when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub colors: Colors,
    /// Changes with every change (for cache-busting URLs: `/branding.css?v=…`); `None`
    /// while the defaults apply.
    pub version: Option<i64>,
    /// The version, when there is a logo.
    pub logo_version: Option<i64>,
}

/// A stored logo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The most a logo may weigh.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The least contrast with white: 4.5:1 for text (WCAG AA), 3:1 for the accent.
const TEXT_CONTRAST: f64 = 4.5;
const UI_CONTRAST: f64 = 3.0;

fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The contrast ratio of a colour with white, 1 to 21.
pub fn contrast_with_white(color: &str) -> Option<f64> {
    parse_hex(color).map(|rgb| 1.05 / (luminance(rgb) + 0.05))
}

/// The colours as typed, each checked and lower-cased; errors named by field.
fn check_colors(input: &Colors) -> Result<Colors> {
    let mut check = FieldCheck::new();
    let mut color = |field: &str, value: &str, least: f64| -> String {
        let Some(ratio) = contrast_with_white(value) else {
            check.fail(field, "Use a colour like #4f46e5.");
            return String::new();
        };
        if ratio < least {
            let message = format!(
                "White on this colour is hard to read (contrast {ratio:.1}:1, needs {least}:1). \
                 Choose a darker colour."
            );
            check.fail(field, &message);
        }
        value.trim().to_ascii_lowercase()
    };
    let colors = Colors {
        primary_color: color("primary_color", &input.primary_color, TEXT_CONTRAST),
        secondary_color: color("secondary_color", &input.secondary_color, TEXT_CONTRAST),
        accent_color: color("accent_color", &input.accent_color, UI_CONTRAST),
    };
    check.finish()?;
    Ok(colors)
}

/// The logo's type from its first bytes (never from a name or a header the browser sent).
fn logo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    primary_color: String,
    secondary_color: String,
    accent_color: String,
    logo_type: Option<String>,
    updated_at: DateTime<Utc>,
}

pub(crate) async fn load(tx: &mut TenantTx) -> Result<Branding> {
    let sql = "SELECT primary_color, secondary_color, accent_color, logo_type, updated_at
                 FROM tenant_branding WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    let row: Option<Row> = query::optional!(tx, sql, tenant)?;
    Ok(branding_of(row))
}

/// A portal page's frame in one statement: the branding, and whether Stripe is failing to
/// collect the subscription (`past_due` or `unpaid`).
pub(crate) async fn frame(tx: &mut TenantTx) -> Result<(Branding, bool)> {
    let sql = "SELECT b.primary_color, b.secondary_color, b.accent_color, b.logo_type,
                      b.updated_at,
                      EXISTS (SELECT 1 FROM subscriptions
                               WHERE tenant_id = $1 AND status IN ('past_due', 'unpaid'))
                 FROM (SELECT 1) AS one
                 LEFT JOIN tenant_branding b ON b.tenant_id = $1";
    type FrameRow = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<DateTime<Utc>>,
        bool,
    );
    let tenant = tx.tenant_id();
    let row: Option<FrameRow> = query::optional!(tx, sql, tenant)?;
    let Some((primary, secondary, accent, logo_type, updated_at, failing)) = row else {
        return Ok((branding_of(None), false));
    };
    let branded = match (primary, secondary, accent, updated_at) {
        (Some(primary_color), Some(secondary_color), Some(accent_color), Some(updated_at)) => {
            Some(Row {
                primary_color,
                secondary_color,
                accent_color,
                logo_type,
                updated_at,
            })
        }
        _ => None,
    };
    Ok((branding_of(branded), failing))
}

/// The branding a row (or its absence: the defaults) stands for.
fn branding_of(row: Option<Row>) -> Branding {
    row.map_or_else(
        || Branding {
            colors: Colors::default(),
            version: None,
            logo_version: None,
        },
        |row| Branding {
            version: Some(row.updated_at.timestamp_millis()),
            logo_version: row.logo_type.map(|_| row.updated_at.timestamp_millis()),
            colors: Colors {
                primary_color: row.primary_color,
                secondary_color: row.secondary_color,
                accent_color: row.accent_color,
            },
        },
    )
}

/// Writes the colours and, when given, the logo (`Some(None)` removes it).
async fn store(tx: &mut TenantTx, colors: &Colors, logo: Option<Option<&Logo>>) -> Result<()> {
    let tenant = tx.tenant_id();
    let now = Utc::now();
    let sql = "INSERT INTO tenant_branding
                   (tenant_id, primary_color, secondary_color, accent_color, updated_at)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (tenant_id) DO UPDATE SET primary_color = excluded.primary_color,
                   secondary_color = excluded.secondary_color,
                   accent_color = excluded.accent_color, updated_at = excluded.updated_at";
    let c = colors;
    query::execute!(
        tx,
        sql,
        tenant,
        &c.primary_color,
        &c.secondary_color,
        &c.accent_color,
        now
    )?;
    if let Some(logo) = logo {
        let (kind, bytes) = match logo {
            Some(logo) => (Some(logo.content_type), Some(logo.bytes.as_slice())),
            None => (None, None),
        };
        let sql = "UPDATE tenant_branding SET logo_type = $2, logo = $3 WHERE tenant_id = $1";
        query::execute!(tx, sql, tenant, kind, bytes)?;
    }
    Ok(())
}

/// The scope's tenant's branding (any member).
pub async fn get(db: &Db, scope: &TenantScope) -> Result<Branding> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let branding = load(&mut tx).await?;
    tx.rollback().await?;
    Ok(branding)
}

/// A change of colours: absent ones stay.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ColorsPatch {
    pub primary_color: Option<String>,
    pub secondary_color: Option<String>,
    pub accent_color: Option<String>,
}

/// Changes the colours (TENANT_ADMIN); each one given is checked.
pub async fn set_colors(db: &Db, scope: &TenantScope, patch: &ColorsPatch) -> Result<Branding> {
    scope.require(Permission::UpdateTenant)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let current = load(&mut tx).await?.colors;
    let pick = |given: &Option<String>, current: String| given.clone().unwrap_or(current);
    let colors = check_colors(&Colors {
        primary_color: pick(&patch.primary_color, current.primary_color),
        secondary_color: pick(&patch.secondary_color, current.secondary_color),
        accent_color: pick(&patch.accent_color, current.accent_color),
    })?;
    store(&mut tx, &colors, None).await?;
    let branding = load(&mut tx).await?;
    tx.commit().await?;
    Ok(branding)
}

/// Replaces the logo (TENANT_ADMIN); `bytes` empty removes it.
pub async fn set_logo(db: &Db, scope: &TenantScope, bytes: Vec<u8>) -> Result<Branding> {
    scope.require(Permission::UpdateTenant)?;
    let logo = if bytes.is_empty() {
        None
    } else if bytes.len() > MAX_LOGO_BYTES {
        return Err(Error::invalid("logo", "Use an image of 512 KB or less."));
    } else {
        let content_type = logo_type(&bytes)
            .ok_or_else(|| Error::invalid("logo", "Use a PNG, JPEG or WebP image."))?;
        Some(Logo {
            content_type,
            bytes,
        })
    };
    let mut tx = scope.begin(db, Access::Write).await?;
    let colors = load(&mut tx).await?.colors;
    store(&mut tx, &colors, Some(logo.as_ref())).await?;
    let branding = load(&mut tx).await?;
    tx.commit().await?;
    Ok(branding)
}

/// What a portal's pages show around them: the active tenant `slug`'s name, branding and
/// payment state.
pub async fn portal(db: &Db, slug: &Slug) -> Result<Portal> {
    Ok(crate::tenancy::visit(db, slug, None).await?.portal)
}

/// What every page of a portal shows in its frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Portal {
    pub name: String,
    pub branding: Branding,
    /// Stripe cannot collect the subscription (`past_due` or `unpaid`): members see a
    /// banner on every page (not public: the page shows it to members only).
    pub payment_failing: bool,
}

/// The active tenant `slug`'s branding.
pub async fn public(db: &Db, slug: &Slug) -> Result<Branding> {
    Ok(portal(db, slug).await?.branding)
}

/// The active tenant `slug`'s logo, if it has one.
pub async fn public_logo(db: &Db, slug: &Slug) -> Result<Option<Logo>> {
    let tenant = crate::tenants::service::public_profile(db, slug).await?;
    let scope = SystemScope::new().tenant(tenant.id);
    let mut tx = scope.begin(db, Access::Read).await?;
    let found = logo(&mut tx).await?;
    tx.rollback().await?;
    Ok(found)
}

/// The bytes the transaction's tenant stores (its logo), counted against the plan's storage.
pub(crate) async fn stored_bytes(tx: &mut TenantTx) -> Result<i64> {
    let sql = "SELECT coalesce(sum(octet_length(logo)), 0) FROM tenant_branding
               WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    query::scalar!(tx, sql, tenant)
}

/// The transaction's tenant's logo, if it has one (and its bytes still are what its type
/// says).
pub(crate) async fn logo(tx: &mut TenantTx) -> Result<Option<Logo>> {
    let sql = "SELECT logo_type, logo FROM tenant_branding
                WHERE tenant_id = $1 AND logo IS NOT NULL";
    let id = tx.tenant_id();
    let row: Option<(String, Vec<u8>)> = query::optional!(tx, sql, id)?;
    Ok(row.and_then(|(kind, bytes)| {
        logo_type(&bytes)
            .filter(|detected| *detected == kind)
            .map(|content_type| Logo {
                content_type,
                bytes,
            })
    }))
}

/// The colours as the portal's CSS variables. Each is checked again: only `#rrggbb` ever
/// reaches the stylesheet.
pub fn css(colors: &Colors) -> String {
    let defaults = Colors::default();
    let pick = |value: &str, default: &str| {
        let valid = parse_hex(value).is_some();
        if valid {
            value.to_owned()
        } else {
            default.to_owned()
        }
    };
    format!(
        ":root{{--brand-primary:{};--brand-secondary:{};--brand-accent:{}}}\n",
        pick(&colors.primary_color, &defaults.primary_color),
        pick(&colors.secondary_color, &defaults.secondary_color),
        pick(&colors.accent_color, &defaults.accent_color)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::tenancy::Role;
    use crate::testing::{TestDb, TestTenant};

    fn colors(primary: &str, secondary: &str, accent: &str) -> Colors {
        Colors {
            primary_color: primary.into(),
            secondary_color: secondary.into(),
            accent_color: accent.into(),
        }
    }

    fn patch(primary: &str, secondary: &str, accent: &str) -> ColorsPatch {
        ColorsPatch {
            primary_color: Some(primary.into()),
            secondary_color: Some(secondary.into()),
            accent_color: Some(accent.into()),
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert_eq!(
            contrast_with_white("#000000").map(|r| (r * 10.0).round()),
            Some(210.0)
        );
        assert_eq!(contrast_with_white("#ffffff"), Some(1.0));
        // Indigo 600 passes for text; yellow does not.
        assert!(contrast_with_white("#4f46e5").unwrap() > 4.5);
        assert!(contrast_with_white("#facc15").unwrap() < 3.0);
        assert_eq!(contrast_with_white("4f46e5"), None);
        assert_eq!(contrast_with_white("#4f46e"), None);
        assert_eq!(contrast_with_white("#gggggg"), None);
    }

    #[test]
    fn the_stylesheet_holds_only_checked_colours() {
        let css = css(&colors("#112233", "red;}body{display:none", "#445566"));
        assert_eq!(
            css,
            ":root{--brand-primary:#112233;--brand-secondary:#4338ca;--brand-accent:#445566}\n"
        );
    }

    db_test! {
        async fn colours_and_logo_are_checked_stored_and_served(db: TestDb) {
            let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
            let admin = salon.scope_of(&db, Role::TenantAdmin).await;
            let staff = salon.scope_of(&db, Role::Staff).await;
            let slug = salon.tenant.slug.clone();
            assert_eq!(public(&db, &slug).await.unwrap().colors, Colors::default());
            let refused = set_colors(&db, &admin, &patch("#FACC15", "blue", "#f0f0f0")).await.unwrap_err();
            let fields = refused.fields();
            assert!(fields["primary_color"].starts_with("White on this colour is hard to read (contrast 1.5:1"), "{fields:?}");
            assert_eq!(fields["secondary_color"], "Use a colour like #4f46e5.");
            assert!(fields.contains_key("accent_color"));
            assert!(matches!(set_colors(&db, &staff, &ColorsPatch::default()).await, Err(Error::Forbidden)));
            let saved = set_colors(&db, &admin, &patch(" #1E3A8A", "#7c2d12", "#0F766E")).await.unwrap();
            assert_eq!(saved.colors, colors("#1e3a8a", "#7c2d12", "#0f766e"));
            let only = ColorsPatch { accent_color: Some("#047857".into()), ..ColorsPatch::default() };
            let saved = set_colors(&db, &admin, &only).await.unwrap();
            assert_eq!(saved.colors, colors("#1e3a8a", "#7c2d12", "#047857"), "a partial change");
            assert_eq!(public(&db, &slug).await.unwrap().colors, saved.colors);

            let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
            let refused = set_logo(&db, &admin, b"<svg onload=alert(1)>".to_vec()).await.unwrap_err();
            assert_eq!(refused.fields()["logo"], "Use a PNG, JPEG or WebP image.");
            let refused = set_logo(&db, &admin, vec![0xFF; MAX_LOGO_BYTES + 1]).await.unwrap_err();
            assert_eq!(refused.fields()["logo"], "Use an image of 512 KB or less.");
            assert_eq!(public_logo(&db, &slug).await.unwrap(), None);
            let with_logo = set_logo(&db, &admin, png.clone()).await.unwrap();
            assert!(with_logo.logo_version.is_some());
            assert_eq!(with_logo.colors, saved.colors, "the colours stay");
            let logo = public_logo(&db, &slug).await.unwrap().unwrap();
            assert_eq!((logo.content_type, logo.bytes), ("image/png", png));
            assert_eq!(set_logo(&db, &admin, Vec::new()).await.unwrap().logo_version, None);
            assert_eq!(public_logo(&db, &slug).await.unwrap(), None);
        }
    }
}
