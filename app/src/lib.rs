//! The Oikos web UI: server-rendered Leptos pages that hydrate, and the server functions they
//! call. With feature `ssr` the server functions call the core (`oikos`); the `hydrate` build
//! compiles to wasm and knows only the wire types.

#[cfg(feature = "ssr")]
pub mod context;
pub mod error;
pub mod features;
pub mod layout;
pub mod mount;
pub mod security;
pub mod ui;
pub mod viewer;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::features::account::{
    AccountPage, CheckEmailPage, ChooseWorkspacePage, ForgotPasswordPage, LoginPage,
    ResetPasswordPage, SignUpPage, VerifyEmailPage,
};
use crate::features::admin::{
    ApiKeysPage, MailboxPage, OutboxPage, OverviewPage, TenantPage, TenantsPage, WebhookPage,
    WebhooksPage,
};
use crate::features::portal::{
    BillingPage, ChangePlanPage, ContinueHandoffPage, DashboardPage, InvitationPage, MemberPage,
    OutletPage, OutletsPage, ServicePage, ServicesPage, SettingsPage, TeamPage,
};
use crate::features::register::Wizard;
use crate::features::{landing::LandingPage, not_found::NotFound, pricing::PricingPage};
use crate::layout::Shell;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    oikos_web::security::send_page_csp();
    let viewer = viewer::body_attributes();
    // A portal's colours, as the CSS variables its classes read (versioned: a saved change
    // shows on the next page, whatever the browser cached). Server-rendered only, so the
    // browser bundle carries none of it.
    let branding = viewer.portal.as_ref().map(|_| {
        format!(
            "{}/branding.css?v={}",
            viewer.mount.clone().unwrap_or_default(),
            viewer.style.clone().unwrap_or_default()
        )
    });
    let payment_failing = viewer
        .payment_failing
        .is_some()
        .then(|| layout::payment_failing(viewer.may("manage_billing")));
    let impersonation = viewer.impersonation.clone().map(layout::impersonation);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                {branding.map(|href| view! { <link rel="stylesheet" href=href /> })}
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body
                class="bg-slate-50 text-slate-900 antialiased"
                data-mount=viewer.mount
            >
                {impersonation}
                <App />
                {payment_failing}
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    viewer::provide_viewer();

    view! {
        <Link rel="icon" href="/favicon.ico" />
        <Title formatter=|title: String| format!("{title} · Oikos") />
        <Meta name="description" content="Oikos: the self-hostable multi-tenant business platform." />
        <Router>
            <Shell>
                // Async: each page waits for its data and is sent whole, complete without
                // JavaScript (no streamed fragments to swap in).
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=LandingPage />
                    <Route
                        path=path!("/pricing")
                        view=PricingPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/admin") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tenants") view=TenantsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tenants/:id") view=TenantPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/api-keys") view=ApiKeysPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks") view=WebhooksPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks/:id") view=WebhookPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/mailbox")
                        view=MailboxPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/register/:step?")
                        view=Wizard
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/check-email")
                        view=CheckEmailPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/verify-email")
                        view=VerifyEmailPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/forgot-password")
                        view=ForgotPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/reset-password")
                        view=ResetPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/billing") view=BillingPage ssr=SsrMode::Async />
                    <Route path=path!("/billing/change") view=ChangePlanPage ssr=SsrMode::Async />
                    <Route path=path!("/outlets") view=OutletsPage ssr=SsrMode::Async />
                    <Route path=path!("/outlets/:id") view=OutletPage ssr=SsrMode::Async />
                    <Route path=path!("/services") view=ServicesPage ssr=SsrMode::Async />
                    <Route path=path!("/services/:id") view=ServicePage ssr=SsrMode::Async />
                    <Route path=path!("/team") view=TeamPage ssr=SsrMode::Async />
                    <Route path=path!("/team/:id") view=MemberPage ssr=SsrMode::Async />
                    <Route path=path!("/invitation") view=InvitationPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/auth/continue")
                        view=ContinueHandoffPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/choose-workspace")
                        view=ChooseWorkspacePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Shell>
        </Router>
    }
}
