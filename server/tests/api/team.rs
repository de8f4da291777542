//! The team over HTTP (PRODUCT.md §6): invitations mailed over SMTP and accepted by a new
//! user and by a member of another tenant, every dead link refused, the last-admin rule under
//! concurrency, and every role × team endpoint allowed or refused as the permission matrix
//! says.

use oikos::tenancy::{Permission, Role};
use oikos::testing::{fixtures, TestTenant};
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, client, TestApp};
use crate::portal::{in_portal, location, portal_fn};
use crate::{app_test, mail_test};

const PASSWORD: &str = "Sturdy-Otter-42";

/// The token of the invitation link mailed to `to` (its `n`th mail).
async fn mailed_token(app: &TestApp, to: &str, n: usize) -> String {
    let mail = app.mailbox().wait_for(to, n).await;
    let link = mail.link(&app.tenant_url("salon", "/invitation?token="));
    link.split("token=").nth(1).expect("a token").to_owned()
}

mail_test! {
    async fn a_new_user_accepts_an_invitation_from_the_mail(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (status, outlet) = app.call("POST", "/api/v1/outlets", &admin, Some(json!({"name": "Main"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let invite = json!({"email": "Nia@Example.com", "role": "STAFF", "position": "Stylist",
                            "outlet_ids": [outlet["id"]]});
        let (status, invitation) = app.call("POST", "/api/v1/invitations", &admin, Some(invite.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{invitation}");
        assert_eq!((invitation["email"].as_str(), invitation["status"].as_str()), (Some("nia@example.com"), Some("pending")));
        // The same address again is a conflict; the pending list shows one.
        let (status, _) = app.call("POST", "/api/v1/invitations", &admin, Some(invite)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, pending) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        assert_eq!(pending.as_array().unwrap().len(), 1);

        let mail = app.mailbox().wait_for("nia@example.com", 1).await;
        assert_eq!(mail.subject, "Join salon business on Oikos");
        let token = mailed_token(&app, "nia@example.com", 1).await;
        let preview = app.get(&format!("/api/v1/invitations/accept/{token}")).await;
        assert_eq!(preview.headers()["referrer-policy"], "no-referrer");
        assert_eq!(preview.headers()["cache-control"], "no-store");
        let preview: Value = preview.json().await.unwrap();
        assert_eq!((preview["tenant_name"].as_str(), preview["role"].as_str()), (Some("salon business"), Some("STAFF")));
        assert_eq!(preview["existing_user"], false);

        // Field errors first, all at once; then the account is made and joins.
        let url = format!("/api/v1/invitations/accept/{token}/set-password");
        let weak = app.post_json(&url, &json!({"first_name": "", "last_name": "Obi", "password": "short"})).await;
        assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Value = weak.json().await.unwrap();
        assert!(fields["error"]["fields"]["first_name"].is_string() && fields["error"]["fields"]["password"].is_string(), "{fields}");
        let joined = app.post_json(&url, &json!({"first_name": "Nia", "last_name": "Obi", "password": PASSWORD})).await;
        assert_eq!(joined.status(), StatusCode::CREATED);
        let login = app.post_json("/api/v1/auth/login", &json!({"email": "nia@example.com", "password": PASSWORD})).await;
        let login: Value = login.json().await.unwrap();
        assert_eq!((login["role"].as_str(), login["tenant"]["slug"].as_str()), (Some("STAFF"), Some("salon")));
        let (_, members) = app.call("GET", "/api/v1/users?q=nia", &admin, None).await;
        assert_eq!(members[0]["position"], "Stylist");
        assert_eq!(members[0]["outlet_ids"], json!([outlet["id"]]));

        // The link is used up, for preview and for joining.
        let again = app.get(&format!("/api/v1/invitations/accept/{token}")).await;
        assert_eq!(again.status(), StatusCode::GONE);
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["error"]["code"], "invitation_used");
        let reuse = app.post_json(&url, &json!({"first_name": "Eve", "last_name": "X", "password": PASSWORD})).await;
        assert_eq!(reuse.status(), StatusCode::GONE);
        let (_, pending) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        assert_eq!(pending, json!([]));
    }
}

mail_test! {
    async fn a_member_of_another_tenant_joins_signed_in_with_the_invited_address(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let spa = TestTenant::new("spa").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let guest = spa.admin.email.to_string();
        let (status, _) = app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": guest, "role": "RECEPTIONIST"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let token = mailed_token(&app, &guest, 1).await;
        let preview: Value = app.get(&format!("/api/v1/invitations/accept/{token}")).await.json().await.unwrap();
        assert_eq!(preview["existing_user"], true);
        // A new account for a taken address is refused: sign in instead.
        let url = format!("/api/v1/invitations/accept/{token}");
        let taken = app.post_json(&format!("{url}/set-password"), &json!({"first_name": "A", "last_name": "B", "password": PASSWORD})).await;
        assert_eq!(taken.status(), StatusCode::CONFLICT);
        // Anyone else signed in is refused; the invited account joins.
        let other = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (status, refused) = app.call("POST", &url, &other, None).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("invitation_email_mismatch")));
        let own = access_token_in(&app, &spa.admin, spa.tenant.id, Role::TenantAdmin);
        let (status, _) = app.call("POST", &url, &own, None).await;
        assert_eq!(status, StatusCode::OK);
        // Two workspaces now: a login that names none answers the choice.
        oikos::testing::fixtures::set_password(&app.ctx, spa.admin.id, PASSWORD).await;
        let login = app.post_json("/api/v1/auth/login", &json!({"email": guest, "password": PASSWORD})).await;
        let login: Value = login.json().await.unwrap();
        let mut slugs: Vec<&str> = login["tenants"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
        slugs.sort();
        assert_eq!(slugs, ["salon", "spa"]);
    }
}

mail_test! {
    async fn revoked_resent_and_expired_links_fail_clearly(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let invite = |email: &str| json!({"email": email, "role": "STAFF"});
        let (_, first) = app.call("POST", "/api/v1/invitations", &admin, Some(invite("a@example.com"))).await;
        let old = mailed_token(&app, "a@example.com", 1).await;
        // Resending mails a new link; the old one no longer works.
        let (status, _) = app.call("POST", &format!("/api/v1/invitations/{}/resend", first["id"].as_str().unwrap()), &admin, None).await;
        assert_eq!(status, StatusCode::OK);
        let new = mailed_token(&app, "a@example.com", 2).await;
        assert_ne!(old, new);
        assert_eq!(app.get(&format!("/api/v1/invitations/accept/{old}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/api/v1/invitations/accept/{new}")).await.status(), StatusCode::OK);
        // Revoked: the link says so.
        let (status, _) = app.call("DELETE", &format!("/api/v1/invitations/{}", first["id"].as_str().unwrap()), &admin, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let revoked: Value = app.get(&format!("/api/v1/invitations/accept/{new}")).await.json().await.unwrap();
        assert_eq!(revoked["error"]["code"], "invitation_revoked");
        // Expired: seven days later.
        app.call("POST", "/api/v1/invitations", &admin, Some(invite("b@example.com"))).await;
        let token = mailed_token(&app, "b@example.com", 1).await;
        oikos::testing::fixtures::age_invitations(&app.ctx.db, salon.tenant.id, chrono::Duration::days(8)).await;
        let expired: Value = app.get(&format!("/api/v1/invitations/accept/{token}")).await.json().await.unwrap();
        assert_eq!(expired["error"]["code"], "invitation_expired");
        // A deactivated workspace's link: the workspace is inactive.
        app.call("POST", "/api/v1/invitations", &admin, Some(invite("c@example.com"))).await;
        let token = mailed_token(&app, "c@example.com", 1).await;
        oikos::testing::fixtures::deactivate(&app.ctx.db, salon.tenant.id).await;
        let inactive: Value = app.get(&format!("/api/v1/invitations/accept/{token}")).await.json().await.unwrap();
        assert_eq!(inactive["error"]["code"], "tenant_inactive");
        // A made-up token is simply unknown.
        assert_eq!(app.get("/api/v1/invitations/accept/nonsense").await.status(), StatusCode::NOT_FOUND);
    }
}

app_test! {
    async fn nobody_invites_above_their_role_and_pending_invitations_fill_the_plan(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::OutletManager).create(&app.ctx.db).await;
        let manager = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::OutletManager);
        let (status, _) = app.call("POST", "/api/v1/invitations", &manager, Some(json!({"email": "x@example.com", "role": "TENANT_ADMIN"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Without outlets of their own a manager can invite nobody.
        let (status, body) = app.call("POST", "/api/v1/invitations", &manager, Some(json!({"email": "x@example.com", "role": "STAFF"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        // FREE allows 5 staff: 2 members and 3 pending invitations fill it.
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        for n in 0..3 {
            let (status, _) = app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": format!("p{n}@example.com"), "role": "STAFF"}))).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let (status, full) = app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": "p9@example.com", "role": "STAFF"}))).await;
        assert_eq!((status, full["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("plan_limit_reached")));
    }
}

app_test! {
    async fn two_admins_demoting_each_other_at_once_leave_one(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::TenantAdmin).create(&app.ctx.db).await;
        let (one, two) = (&salon.admin, &salon.members[0].0);
        let token_one = access_token_in(&app, one, salon.tenant.id, Role::TenantAdmin);
        let token_two = access_token_in(&app, two, salon.tenant.id, Role::TenantAdmin);
        let demote = Some(json!({"role": "STAFF"}));
        let (path_two, path_one) = (format!("/api/v1/users/{}", two.id), format!("/api/v1/users/{}", one.id));
        let (a, b) = tokio::join!(
            app.call("PUT", &path_two, &token_one, demote.clone()),
            app.call("PUT", &path_one, &token_two, demote.clone()),
        );
        let statuses = [a.0, b.0];
        assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
        assert!(statuses.iter().any(|s| *s == StatusCode::CONFLICT || *s == StatusCode::FORBIDDEN), "{statuses:?}");
        let (_, admins) = app.call("GET", "/api/v1/users?role=TENANT_ADMIN", &token_one, None).await;
        let remaining = admins.as_array().map_or(0, Vec::len);
        let (_, admins_two) = app.call("GET", "/api/v1/users?role=TENANT_ADMIN", &token_two, None).await;
        assert_eq!(remaining.max(admins_two.as_array().map_or(0, Vec::len)), 1);
    }
}

/// A bearer-token call on the main site whose whole answer (headers too) the test reads.
async fn answer_to(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method.parse().expect("method"), app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request")
}

/// The seconds of a refusal's `Retry-After`.
fn retry_after(answer: &reqwest::Response) -> u64 {
    let header = answer
        .headers()
        .get(RETRY_AFTER)
        .expect("a Retry-After header");
    header.to_str().unwrap().parse().expect("seconds")
}

mail_test! {
    async fn one_address_gets_five_invitation_mails_an_hour_from_all_workspaces(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let spa = TestTenant::new("spa").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (status, invitation) = app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": "ann@example.com", "role": "STAFF"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{invitation}");
        let resend = format!("/api/v1/invitations/{}/resend", invitation["id"].as_str().unwrap());
        // The invitation and four resends: five mails.
        for n in 2..=5 {
            let (status, body) = app.call("POST", &resend, &admin, None).await;
            assert_eq!(status, StatusCode::OK, "resend {n}: {body}");
            app.mailbox().wait_for("ann@example.com", n).await;
        }
        let last = mailed_token(&app, "ann@example.com", 5).await;
        let (invitations, mails) = (app.count_rows("invitations").await, app.count_rows("outbox").await);

        // A sixth resend is refused, with when to try again.
        let refused = answer_to(&app, "POST", &resend, &admin, None).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait = retry_after(&refused);
        assert!((1..=3600).contains(&wait), "{wait}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "rate_limited", "{body}");
        // So is a new invitation of the address (however typed) from another workspace.
        let other = access_token_in(&app, &spa.admin, spa.tenant.id, Role::TenantAdmin);
        let invite = Some(json!({"email": "Ann@Example.com", "role": "STAFF"}));
        let refused = answer_to(&app, "POST", "/api/v1/invitations", &other, invite).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!((1..=3600).contains(&retry_after(&refused)));

        // Nothing was written or sent: no row, no mail, and the fifth mail's link still works.
        assert_eq!(app.count_rows("invitations").await, invitations);
        assert_eq!(app.count_rows("outbox").await, mails);
        assert_eq!(app.get(&format!("/api/v1/invitations/accept/{last}")).await.status(), StatusCode::OK);
        let (_, spa_pending) = app.call("GET", "/api/v1/invitations", &other, None).await;
        assert_eq!(spa_pending, json!([]));
        // Another address has its own count.
        let (status, _) = app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": "bo@example.com", "role": "STAFF"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        app.mailbox().wait_for("bo@example.com", 1).await;
        let to_ann = app.mailbox().messages().into_iter().filter(|m| m.to == "ann@example.com").count();
        assert_eq!(to_ann, 5);
    }
}

app_test! {
    async fn a_workspace_sends_fifty_invitation_mails_a_day(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        // Two invitations over HTTP, and 48 more mails counted the way an invitation counts
        // them (48 more invitations would only be slower): 50 in all.
        for email in ["a@example.com", "b@example.com"] {
            let (status, body) = app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": email, "role": "STAFF"}))).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        fixtures::spend_invitation_mails(&app.ctx.db, salon.tenant.id, 48).await;
        let (_, before) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        let (invitations, mails) = (app.count_rows("invitations").await, app.count_rows("outbox").await);

        // The 51st, a new invitation or a resend, is refused until the day is over.
        let invite = Some(json!({"email": "c@example.com", "role": "STAFF"}));
        let refused = answer_to(&app, "POST", "/api/v1/invitations", &admin, invite).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!((1..=86_400).contains(&retry_after(&refused)));
        let first = before[0]["id"].as_str().unwrap();
        let refused = answer_to(&app, "POST", &format!("/api/v1/invitations/{first}/resend"), &admin, None).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.headers().contains_key(RETRY_AFTER));
        assert_eq!(app.count_rows("invitations").await, invitations);
        assert_eq!(app.count_rows("outbox").await, mails);
        let (_, after) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        assert_eq!(after, before);

        // Another workspace has its own count.
        let spa = TestTenant::new("spa").create(&app.ctx.db).await;
        let other = access_token_in(&app, &spa.admin, spa.tenant.id, Role::TenantAdmin);
        let (status, _) = app.call("POST", "/api/v1/invitations", &other, Some(json!({"email": "c@example.com", "role": "STAFF"}))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

/// The ids of an invitation list's entries.
fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

app_test! {
    async fn an_outlet_manager_sees_resends_and_revokes_invitations_to_their_outlets_only(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::OutletManager).create(&app.ctx.db).await;
        let scope = salon.scope_of(&app.ctx.db, Role::TenantAdmin).await;
        let north = fixtures::outlet(&app.ctx.db, &scope, "North").await.to_string();
        let south = fixtures::outlet(&app.ctx.db, &scope, "South").await.to_string();
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let manager_user = &salon.members[0].0;
        let (status, body) = app.call("PUT", &format!("/api/v1/users/{}", manager_user.id), &admin, Some(json!({"outlet_ids": [north]}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let manager = access_token_in(&app, manager_user, salon.tenant.id, Role::OutletManager);

        // One invitation to the manager's outlet, one to another, one to every outlet (none
        // ticked): with the two members they fill the FREE plan's five.
        let invite = |email: &str, outlets: Value| Some(json!({"email": email, "role": "STAFF", "outlet_ids": outlets}));
        let (status, own) = app.call("POST", "/api/v1/invitations", &manager, invite("n@example.com", json!([north]))).await;
        assert_eq!(status, StatusCode::CREATED, "{own}");
        let (status, elsewhere) = app.call("POST", "/api/v1/invitations", &admin, invite("s@example.com", json!([south]))).await;
        assert_eq!(status, StatusCode::CREATED, "{elsewhere}");
        let (status, everywhere) = app.call("POST", "/api/v1/invitations", &admin, invite("e@example.com", json!([]))).await;
        assert_eq!(status, StatusCode::CREATED, "{everywhere}");
        let own = own["id"].as_str().unwrap().to_owned();
        let elsewhere = elsewhere["id"].as_str().unwrap().to_owned();
        let everywhere = everywhere["id"].as_str().unwrap().to_owned();

        // The admin sees all three, the manager only theirs.
        let (_, all) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        assert_eq!(all.as_array().unwrap().len(), 3, "{all}");
        let (status, theirs) = app.call("GET", "/api/v1/invitations", &manager, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&theirs), std::slice::from_ref(&own));

        // The others are not found for resending or revoking, over the API and in the portal.
        let mails = app.count_rows("outbox").await;
        for id in [&elsewhere, &everywhere] {
            let (status, body) = app.call("POST", &format!("/api/v1/invitations/{id}/resend"), &manager, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "resend {id}: {body}");
            let (status, body) = app.call("DELETE", &format!("/api/v1/invitations/{id}"), &manager, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "revoke {id}: {body}");
        }
        let (browser, _) = in_portal(&app, manager_user, "salon").await;
        let team: Value = portal_fn(&app, &browser, "salon", "/api/portal/team", "").await.json().await.unwrap();
        assert_eq!(ids(&team["invitations"]), std::slice::from_ref(&own), "{team}");
        for path in ["/api/portal/resend_invitation", "/api/portal/revoke_invitation"] {
            let answer = portal_fn(&app, &browser, "salon", path, &format!("id={elsewhere}")).await;
            assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
        }
        // Nothing changed: still pending, as they were, and no mail.
        let (_, unchanged) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        assert_eq!(unchanged, all);
        assert!(unchanged.as_array().unwrap().iter().all(|i| i["status"] == "pending"), "{unchanged}");
        assert_eq!(app.count_rows("outbox").await, mails);

        // Their own they resend and revoke.
        let (status, _) = app.call("POST", &format!("/api/v1/invitations/{own}/resend"), &manager, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(app.count_rows("outbox").await, mails + 1);
        let (status, _) = app.call("DELETE", &format!("/api/v1/invitations/{own}"), &manager, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        // One to their outlet and another is not theirs either.
        let (status, both) = app.call("POST", "/api/v1/invitations", &admin, invite("b@example.com", json!([north, south]))).await;
        assert_eq!(status, StatusCode::CREATED, "{both}");
        let both = both["id"].as_str().unwrap();
        let (_, theirs) = app.call("GET", "/api/v1/invitations", &manager, None).await;
        assert_eq!(theirs, json!([]));
        let (status, _) = app.call("DELETE", &format!("/api/v1/invitations/{both}"), &manager, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, all) = app.call("GET", "/api/v1/invitations", &admin, None).await;
        assert_eq!(all.as_array().unwrap().len(), 3, "{all}");
    }
}

/// Every team endpoint with the permission it needs.
const TEAM_ENDPOINTS: &[(&str, &str, Permission)] = &[
    ("GET", "/api/v1/users", Permission::ViewMembers),
    ("GET", "/api/v1/users/{user_id}", Permission::ViewMembers),
    ("PUT", "/api/v1/users/{user_id}", Permission::ManageMembers),
    (
        "POST",
        "/api/v1/users/{user_id}/reset-password",
        Permission::ManageMembers,
    ),
    ("GET", "/api/v1/invitations", Permission::InviteMembers),
    (
        "DELETE",
        "/api/v1/users/{user_id}",
        Permission::ManageMembers,
    ),
];

app_test! {
    async fn every_role_is_allowed_exactly_what_the_matrix_says(app: TestApp) {
        for role in Role::ALL {
            let salon = TestTenant::new(&format!("salon-{}", role.as_str().to_lowercase().replace('_', "-")))
                .with_member(role).with_member(Role::Receptionist).create(&app.ctx.db).await;
            let (me, _) = &salon.members[0];
            let token = access_token_in(&app, me, salon.tenant.id, role);
            let target = salon.members[1].0.id.to_string();
            for (method, template, permission) in TEAM_ENDPOINTS {
                let path = template.replace("{user_id}", &target);
                let (status, body) = app.call(method, &path, &token, Some(json!({"position": "Front desk"}))).await;
                let allowed = permission.allowed_for(role);
                assert_eq!(status != StatusCode::FORBIDDEN, allowed, "{role} {method} {template}: {status} {body}");
                assert!(status.is_success() || !allowed, "{role} {method} {template}: {status} {body}");
            }
        }
    }
}

app_test! {
    async fn the_member_form_assigns_outlets_and_a_role_change_keeps_the_session(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let scope = salon.scope_of(&app.ctx.db, Role::TenantAdmin).await;
        let north = fixtures::outlet(&app.ctx.db, &scope, "North").await;
        let south = fixtures::outlet(&app.ctx.db, &scope, "South").await;
        let member = &salon.members[0].0;
        let (owner, _) = in_portal(&app, &salon.admin, "salon").await;
        let (staff, before) = in_portal(&app, member, "salon").await;
        // The member form: a new role, a position and two ticked outlets.
        let body = format!(
            "id={}&role=RECEPTIONIST&position=Front+desk&outlet_ids%5B%5D={north}&outlet_ids%5B%5D={south}&active=on",
            member.id
        );
        let saved = portal_fn(&app, &owner, "salon", "/api/portal/save_member", &body).await;
        assert!(saved.status().is_success(), "{}", saved.text().await.unwrap());
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (_, got) = app.call("GET", &format!("/api/v1/users/{}", member.id), &admin, None).await;
        let mut outlets: Vec<&str> = got["outlet_ids"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
        outlets.sort();
        let mut expected = [north.to_string(), south.to_string()];
        expected.sort();
        assert_eq!(outlets, expected, "{got}");
        assert_eq!((got["role"].as_str(), got["position"].as_str()), (Some("RECEPTIONIST"), Some("Front desk")));
        // The new role holds at once, in the same session: no new id is handed out, so a
        // copied cookie can never become the only one that works.
        let me = staff.get(app.tenant_url("salon", "/api/v1/auth/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        assert!(me.headers().get(SET_COOKIE).is_none(), "no new id for a new role");
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["role"], "RECEPTIONIST", "{me}");
        let same = client().get(app.tenant_url("salon", "/api/v1/auth/me")).header("cookie", &before).send().await.unwrap();
        assert_eq!(same.status(), StatusCode::OK, "the owner's own cookie still works");

        // Deactivating the member ends the session and the access tokens issued before.
        let token = access_token_in(&app, member, salon.tenant.id, Role::Receptionist);
        let body = format!("id={}&role=RECEPTIONIST&position=Front+desk", member.id);
        let saved = portal_fn(&app, &owner, "salon", "/api/portal/save_member", &body).await;
        assert!(saved.status().is_success(), "{}", saved.text().await.unwrap());
        let me = staff.get(app.tenant_url("salon", "/api/v1/auth/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        let (status, _) = app.call("GET", "/api/v1/auth/me", &token, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

mail_test! {
    async fn a_failed_plain_post_on_the_invitation_page_returns_to_it_with_the_error(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        app.call("POST", "/api/v1/invitations", &admin, Some(json!({"email": "new@example.com", "role": "STAFF"}))).await;
        let token = mailed_token(&app, "new@example.com", 1).await;
        // The page sends no Referer; a browser without JavaScript posts the form as it is.
        let browser = client();
        let body = serde_urlencoded::to_string([("token", token.as_str()), ("first_name", "Sam"), ("last_name", "Lee"), ("password", "short")]).unwrap();
        let answer = browser.post(app.tenant_url("salon", "/api/invitation/join_new"))
            .header("origin", "null").header("sec-fetch-site", "same-origin")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded").header(ACCEPT, "text/html")
            .body(body).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::FOUND);
        let back = location(&answer);
        assert!(back.starts_with("/invitation?token="), "{back}");
        let page = browser.get(app.tenant_url("salon", &back)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("aria-invalid=\"true\""), "the password field shows its error");
        assert!(page.contains("Create your account"), "the form is still there");
        assert!(page.contains("value=\"Sam\""), "the name typed is kept");
        assert_eq!(app.count_rows("memberships").await, 1, "nobody joined");
    }
}
