//! Who is signed in and on which site, for the header and the shell. Pages are rendered on
//! the server only (islands hydrate just the interactive parts), so the viewer is read from
//! the request; a form that changes who is signed in ends with a redirect to a fresh page.

use leptos::prelude::*;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The signed-in person's first name (or address), or `None` for a visitor.
    pub name: Option<String>,
    /// On a tenant's portal, the tenant's name; `None` on the main site.
    pub portal: Option<String>,
    /// On a portal with a logo: its version (for `/branding/logo?v=…`).
    pub logo: Option<String>,
    /// On a portal: its branding's version (for `/branding.css?v=…`).
    pub style: Option<String>,
    /// On a portal in path mode: `/t/{slug}` (see [`crate::mount`]).
    pub mount: Option<String>,
    /// On a portal: what the signed-in member's role may do there (permission names,
    /// space-separated), so the header shows only those sections.
    pub permissions: Option<String>,
    /// On a portal, for its members: `"1"` while Stripe cannot collect the workspace's
    /// subscription (the server adds a banner to every page; never set in the browser).
    pub payment_failing: Option<String>,
    /// While a super admin acts as a member: what the banner on every page says.
    pub impersonation: Option<String>,
}

impl Viewer {
    /// Whether the member may `permission` (`view_members`) on this portal.
    pub fn may(&self, permission: &str) -> bool {
        self.permissions
            .as_deref()
            .is_some_and(|all| all.split(' ').any(|p| p == permission))
    }
}

/// The values of those attributes for this request.
pub fn body_attributes() -> Viewer {
    current()
}

pub fn provide_viewer() {
    provide_context(current());
}

pub fn use_viewer() -> Viewer {
    use_context::<Viewer>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn current() -> Viewer {
    let Ok(request) = crate::context::request_context() else {
        return Viewer::default();
    };
    let name = request.caller.as_ref().map(|caller| {
        let user = &caller.auth.user;
        if user.first_name.trim().is_empty() {
            user.email.to_string()
        } else {
            user.first_name.clone()
        }
    });
    let impersonation = request.caller.as_ref().and_then(|caller| {
        let running = caller.auth.impersonation.as_ref()?;
        let user = &caller.auth.user;
        Some(format!(
            "{admin} is acting as {} {} ({}) until {} UTC. Everything done here is recorded as done by {admin} on their behalf.",
            user.first_name,
            user.last_name,
            user.email,
            running.expires_at.format("%H:%M"),
            admin = running.admin_email,
        ))
    });
    let member = request.portal_role.is_some();
    let payment_failing = request
        .portal
        .as_ref()
        .is_some_and(|portal| member && portal.payment_failing)
        .then(|| "1".to_owned());
    let (portal, branding) = request
        .portal
        .map(|portal| (portal.name, portal.branding))
        .unzip();
    let version = |v: Option<i64>| v.map(|v| v.to_string());
    Viewer {
        name,
        portal,
        logo: version(branding.as_ref().and_then(|b| b.logo_version)),
        style: branding
            .as_ref()
            .map(|b| b.version.unwrap_or(0).to_string()),
        mount: Some(request.mount).filter(|mount| !mount.is_empty()),
        permissions: request.portal_role.map(|role| {
            oikos::tenancy::Permission::of(role)
                .into_iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        }),
        payment_failing,
        impersonation,
    }
}

/// The browser never renders the header or the shell.
#[cfg(not(feature = "ssr"))]
fn current() -> Viewer {
    Viewer::default()
}
