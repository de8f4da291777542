//! A super admin's audited impersonation over HTTP: started from the admin tenant page's
//! server function, opened on the tenant's portal by a single-use link, acting there with
//! the member's rights (never on the member's account), every action in the tenant's audit
//! log recorded as the super admin's on the member's behalf, ended by the banner's button or
//! by time. And the tenant page's own server functions.

use oikos::audit::Entry;
use oikos::tenancy::{AdminScope, Role, TenantId};
use oikos::testing::{fixtures, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{client, TestApp};
use crate::portal::{location, portal_fn, post_form};
use crate::tenants::with_root;

/// A browser signed in to the main site as `root@oikos.test`.
async fn root_browser(app: &TestApp) -> reqwest::Client {
    let browser = client();
    let body = format!(
        "email=root%40oikos.test&password={}",
        crate::identity::PASSWORD
    );
    let signed_in = post_form(&browser, &app.origin(), "/api/auth/login", &body).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    browser
}

/// The admin page's "Act as this admin" for `member`: the answer.
async fn impersonate(
    app: &TestApp,
    browser: &reqwest::Client,
    tenant: TenantId,
    member: &str,
) -> reqwest::Response {
    let body = format!("id={tenant}&member={member}");
    post_form(browser, &app.origin(), "/api/admin/impersonate", &body).await
}

async fn audit(app: &TestApp, tenant: TenantId) -> Vec<Entry> {
    let root = fixtures::user_by_email(&app.ctx.db, "root@oikos.test").await;
    let admin = AdminScope::resolve(&fixtures::principal(&root)).unwrap();
    oikos::audit::recent_tenant(&app.ctx.db, &admin, tenant, 50)
        .await
        .unwrap()
}

fn entry<'a>(entries: &'a [Entry], action: &str) -> &'a Entry {
    entries
        .iter()
        .find(|e| e.action == action)
        .unwrap_or_else(|| panic!("no {action} in the audit log"))
}

oikos::on_both_backends! { with_root,
    async fn a_super_admin_acts_as_a_tenant_admin_audited_until_ending_it(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let (tenant, admin) = (salon.tenant.id, salon.admin.id);
        let root = fixtures::user_by_email(&app.ctx.db, "root@oikos.test").await;
        let browser = root_browser(&app).await;

        // Only the tenant's active admins may be acted as.
        let staff = salon.members[0].0.id.to_string();
        let refused = impersonate(&app, &browser, tenant, &staff).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count_rows("impersonations").await, 0);

        let started = impersonate(&app, &browser, tenant, &admin.to_string()).await;
        assert_eq!(started.status(), StatusCode::OK);
        let link = location(&started);
        assert!(link.starts_with(&app.tenant_url("salon", "/auth/impersonate?id=")), "{link}");
        let arrived = browser.get(&link).send().await.unwrap();
        assert_eq!(location(&arrived), app.tenant_path("salon", "/dashboard"));
        // The link works once.
        let again = client().get(&link).send().await.unwrap();
        assert_eq!(location(&again), app.tenant_path("salon", "/login?handoff=expired"));

        // Every page says so, with the way out.
        let page = browser.get(app.tenant_url("salon", "/dashboard")).send().await.unwrap();
        let page = page.text().await.unwrap();
        assert!(page.contains("root@oikos.test is acting as Test User (admin@salon.test)"), "{page}");
        assert!(page.contains("End impersonation"));

        // Tenant work runs with the member's rights, recorded as the super admin's.
        let url = app.tenant_url("salon", &format!("/api/v1/tenants/{tenant}"));
        let renamed = browser.put(&url).header("origin", app.tenant_origin("salon"))
            .json(&json!({"description": "Renamed while impersonating"})).send().await.unwrap();
        assert_eq!(renamed.status(), StatusCode::OK);
        let entries = audit(&app, tenant).await;
        let updated = entry(&entries, "tenant.updated");
        assert_eq!((updated.actor_id, updated.on_behalf_of), (Some(root.id), Some(admin)));
        // The admin's tenant page says so.
        let shown = post_form(&browser, &app.origin(), "/api/admin/tenant", &format!("id={tenant}")).await;
        let shown: serde_json::Value = shown.json().await.unwrap();
        let row = shown["audit"].as_array().unwrap().iter().find(|row| row[2] == "tenant.updated").unwrap();
        assert_eq!(row[1], "root@oikos.test for admin@salon.test");
        let started = entry(&entries, "impersonation.started");
        assert_eq!((started.actor_id, started.subject.as_deref()), (Some(root.id), Some("admin@salon.test")));

        // The member's account is out of reach.
        for path in ["/api/account/overview", "/api/auth/log_out_everywhere", "/api/auth/workspaces"] {
            let answer = portal_fn(&app, &browser, "salon", path, "").await;
            assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let password = "current_password=x&new_password=Another-Sturdy-Pass-1";
        let answer = portal_fn(&app, &browser, "salon", "/api/account/change_password", password).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);

        // The banner's button ends it: back to the tenant's admin page, signed out here.
        let ended = portal_fn(&app, &browser, "salon", "/api/auth/end_impersonation", "").await;
        assert_eq!(location(&ended), app.url(&format!("/admin/tenants/{tenant}?impersonation=ended")));
        let after = portal_fn(&app, &browser, "salon", "/api/portal/dashboard", "").await;
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
        let ended = entry(&audit(&app, tenant).await, "impersonation.ended").clone();
        assert_eq!((ended.actor_id, ended.on_behalf_of), (Some(root.id), None));
        // Still signed in on the main site as themselves.
        let overview = post_form(&browser, &app.origin(), "/api/admin/overview", "").await;
        assert_eq!(overview.status(), StatusCode::OK);
    }
}

oikos::on_both_backends! { with_root,
    async fn an_impersonation_ends_by_itself_and_never_opens_an_inactive_tenant(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let tenant = salon.tenant.id;
        let browser = root_browser(&app).await;
        let started = impersonate(&app, &browser, tenant, &salon.admin.id.to_string()).await;
        browser.get(location(&started)).send().await.unwrap();
        let dashboard = portal_fn(&app, &browser, "salon", "/api/portal/dashboard", "").await;
        assert_eq!(dashboard.status(), StatusCode::OK);
        // The API's sign-out ends it too, recorded as the super admin's.
        let logout = browser.post(app.tenant_url("salon", "/api/v1/auth/logout"))
            .header("origin", app.tenant_origin("salon")).send().await.unwrap();
        assert_eq!(logout.status(), StatusCode::NO_CONTENT);
        let root = fixtures::user_by_email(&app.ctx.db, "root@oikos.test").await;
        assert_eq!(entry(&audit(&app, tenant).await, "impersonation.ended").actor_id, Some(root.id));
        assert_eq!(portal_fn(&app, &browser, "salon", "/api/portal/dashboard", "").await.status(), StatusCode::UNAUTHORIZED);

        let started = impersonate(&app, &browser, tenant, &salon.admin.id.to_string()).await;
        browser.get(location(&started)).send().await.unwrap();
        fixtures::expire_impersonations(&app.ctx.db).await;
        let dashboard = portal_fn(&app, &browser, "salon", "/api/portal/dashboard", "").await;
        assert_eq!(dashboard.status(), StatusCode::UNAUTHORIZED, "signed out when time is up");

        fixtures::deactivate(&app.ctx.db, tenant).await;
        let refused = impersonate(&app, &browser, tenant, &salon.admin.id.to_string()).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // A tenant admin (no super admin) cannot start one: the surface is hidden.
        let owner = client();
        let body = "email=admin%40salon.test&password=x";
        post_form(&owner, &app.origin(), "/api/auth/login", body).await;
        let hidden = impersonate(&app, &owner, tenant, &salon.admin.id.to_string()).await;
        assert!(matches!(hidden.status(), StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND));
    }
}

oikos::on_both_backends! { with_root,
    async fn the_admin_tenant_page_deactivates_reactivates_and_hides_unknown_tenants(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let tenant = salon.tenant.id;
        let browser = root_browser(&app).await;
        let shown = post_form(&browser, &app.origin(), "/api/admin/tenant", &format!("id={tenant}")).await;
        assert_eq!(shown.status(), StatusCode::OK);
        let shown: serde_json::Value = shown.json().await.unwrap();
        assert_eq!(shown["members"][0]["email"], "admin@salon.test");
        assert!(shown["invoices"]["Err"].as_str().unwrap().starts_with("Billing is off"), "{shown}");
        let unknown = post_form(&browser, &app.origin(), "/api/admin/tenant", &format!("id={}", TenantId::new())).await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

        let off = post_form(&browser, &app.origin(), "/api/admin/set_tenant_status", &format!("id={tenant}")).await;
        assert_eq!(location(&off), format!("/admin/tenants/{tenant}?deactivated=1"));
        let status = |app: &TestApp| {
            let db = app.ctx.db.clone();
            async move {
                let root = fixtures::user_by_email(&db, "root@oikos.test").await;
                let admin = AdminScope::resolve(&fixtures::principal(&root)).unwrap();
                let (found, _) = oikos::tenants::service::details(&db, &admin.tenant(tenant)).await.unwrap();
                found.status
            }
        };
        assert_eq!(status(&app).await, oikos::tenants::TenantStatus::Inactive);
        let on = post_form(&browser, &app.origin(), "/api/admin/set_tenant_status", &format!("id={tenant}&active=true")).await;
        assert_eq!(location(&on), format!("/admin/tenants/{tenant}?reactivated=1"));
        assert_eq!(status(&app).await, oikos::tenants::TenantStatus::Active);
    }
}
