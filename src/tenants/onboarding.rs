//! The onboarding checklist on a new workspace's dashboard (PRODUCT.md §4): each step is
//! computed from the workspace's real state, in one read transaction, never stored.

use serde::{Deserialize, Serialize};

use crate::billing::plans::FREE;
use crate::db::{Access, Db};
use crate::tenancy::{Permission, TenantScope};
use crate::tenants::tally::{self, Tally};
use crate::tenants::{repository, Tenant};
use crate::users::User;
use crate::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable name (`verify_email`, `complete_profile`, …) for tests and styling.
    pub key: String,
    pub label: String,
    /// Where the step is done (empty while that page does not exist: invitations arrive
    /// with team management).
    pub href: String,
    pub done: bool,
}

fn step(key: &str, label: &str, href: &str, done: bool) -> Step {
    Step {
        key: key.to_owned(),
        label: label.to_owned(),
        href: href.to_owned(),
        done,
    }
}

/// The steps for `user`, an admin of the scope's workspace, in the order a new owner takes
/// them.
pub async fn checklist(db: &Db, scope: &TenantScope, user: &User) -> Result<Vec<Step>> {
    scope.require(Permission::UpdateTenant)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    let tally = tally::read(&mut tx).await?;
    tx.rollback().await?;
    Ok(of(&tenant, &tally, user))
}

/// The steps, from the tenant's tally (after the caller checked
/// [`Permission::UpdateTenant`]).
pub(crate) fn of(tenant: &Tenant, tally: &Tally, user: &User) -> Vec<Step> {
    let profile = &tenant.profile;
    let profile_done = profile.description.is_some() && profile.phone.is_some() && tally.has_logo;
    let outlet_with_hours = tally.outlets_with_hours > 0;
    let services = tally.services.total > 0;
    let team = tally.users.active > 1;
    let plan_chosen = tally.plan.as_ref().is_some_and(|(plan, _)| plan != FREE);
    vec![
        step(
            "verify_email",
            "Confirm your email address",
            "/account",
            user.email_verified_at.is_some(),
        ),
        step(
            "complete_profile",
            "Complete your profile: phone, description and logo",
            "/settings",
            profile_done,
        ),
        step(
            "first_outlet",
            "Add your first outlet with its opening hours",
            "/outlets",
            outlet_with_hours,
        ),
        step(
            "service_catalog",
            "Add the services you offer",
            "/services",
            services,
        ),
        step("invite_staff", "Invite your team", "/team", team),
        step("choose_plan", "Choose a paid plan", "/pricing", plan_chosen),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::query;
    use crate::db_test;
    use crate::tenancy::Role;
    use crate::testing::{fixtures, TestDb, TestTenant};

    fn done(steps: &[Step]) -> Vec<&str> {
        steps
            .iter()
            .filter(|s| s.done)
            .map(|s| s.key.as_str())
            .collect()
    }

    db_test! {
        async fn each_step_follows_the_workspace_state(db: TestDb) {
            let salon = TestTenant::new("salon").create(&db).await;
            let admin = salon.scope_of(&db, Role::TenantAdmin).await;
            let steps = checklist(&db, &admin, &salon.admin).await.unwrap();
            assert_eq!(steps.len(), 6);
            assert_eq!(done(&steps), ["verify_email"]);
            let unverified = User { email_verified_at: None, ..salon.admin.clone() };
            assert!(done(&checklist(&db, &admin, &unverified).await.unwrap()).is_empty());
            // An outlet without hours does not count; one with hours does.
            let outlet = fixtures::outlet(&db, &admin, "Main").await;
            assert!(!done(&checklist(&db, &admin, &salon.admin).await.unwrap()).contains(&"first_outlet"));
            let mut tx = admin.begin(&db, Access::Write).await.unwrap();
            let tenant = tx.tenant_id();
            let hours = r#"{"monday":[{"open":"09:00","close":"17:00"}]}"#;
            query::execute!(tx, "UPDATE outlets SET hours = $3 WHERE tenant_id = $1 AND id = $2", tenant, outlet, hours).unwrap();
            tx.commit().await.unwrap();
            let input = serde_json::json!({"name": "Cut", "price_cents": 1, "duration_minutes": 5});
            crate::catalog::create(&db, &admin, &serde_json::from_value(input).unwrap()).await.unwrap();
            let patch = crate::tenants::service::TenantPatch {
                phone: Some("+639171234567".into()),
                description: Some("Hair and nails".into()),
                ..Default::default()
            };
            crate::tenants::service::update(&db, &admin, &patch).await.unwrap();
            let steps = checklist(&db, &admin, &salon.admin).await.unwrap();
            assert_eq!(done(&steps), ["verify_email", "first_outlet", "service_catalog"], "the logo is missing");
            let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 16]].concat();
            crate::tenants::branding::set_logo(&db, &admin, png).await.unwrap();
            let steps = checklist(&db, &admin, &salon.admin).await.unwrap();
            assert_eq!(done(&steps), ["verify_email", "complete_profile", "first_outlet", "service_catalog"]);
            let staff = TestTenant::new("spa").with_member(Role::Staff).create(&db).await;
            let staff_scope = staff.scope_of(&db, Role::Staff).await;
            let refused = checklist(&db, &staff_scope, &staff.members[0].0).await;
            assert!(matches!(refused, Err(Error::Forbidden)), "the checklist is the admins'");
            let team = staff.scope_of(&db, Role::TenantAdmin).await;
            assert!(done(&checklist(&db, &team, &staff.admin).await.unwrap()).contains(&"invite_staff"));
        }
    }
}
