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
use leptos_router::Lazy;
use leptos_router::{path, SsrMode};

use crate::features::account::{
    AccountRoute, CheckEmailRoute, ChooseWorkspaceRoute, ForgotPasswordRoute, LoginRoute,
    ResetPasswordRoute, SignUpRoute, VerifyEmailRoute,
};
use crate::features::admin::MailboxRoute;
use crate::features::portal::{
    BillingRoute, ChangePlanRoute, DashboardRoute, InvitationRoute, MemberRoute, OutletRoute,
    OutletsRoute, ServiceRoute, ServicesRoute, SettingsRoute, TeamRoute,
};
use crate::features::register::RegisterRoute;
use crate::features::{landing::LandingPage, not_found::NotFound, pricing::PricingRoute};
use crate::layout::Shell;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::send_page_csp();
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
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                {branding.map(|href| view! { <link rel="stylesheet" href=href /> })}
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body
                class="bg-slate-50 text-slate-900 antialiased"
                data-viewer=viewer.name
                data-portal=viewer.portal
                data-portal-logo=viewer.logo
                data-portal-style=viewer.style
                data-mount=viewer.mount
                data-permissions=viewer.permissions
            >
                <App />
                {payment_failing}
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    ui::toast::provide_toasts();
    viewer::provide_viewer();
    // Effects run only in the browser: this marks the moment the page became interactive
    // (the end-to-end tests wait for it).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Link rel="icon" href="/favicon.ico" />
        <Title formatter=|title: String| format!("{title} · Oikos") />
        <Meta name="description" content="Oikos: the self-hostable multi-tenant business platform." />
        <Router base=mount::router_base()>
            <Shell>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=LandingPage />
                    // Async: the whole page waits for the plans, so it is complete without
                    // JavaScript (no streamed fragments to swap in).
                    <Route
                        path=path!("/pricing")
                        view={Lazy::<PricingRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    // Async: each waits for its lazy chunk's data on the server, so the
                    // page is complete without JavaScript.
                    <Route
                        path=path!("/admin/mailbox")
                        view={Lazy::<MailboxRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/register/:step?")
                        view={Lazy::<RegisterRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/check-email")
                        view={Lazy::<CheckEmailRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/verify-email")
                        view={Lazy::<VerifyEmailRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/forgot-password")
                        view={Lazy::<ForgotPasswordRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/reset-password")
                        view={Lazy::<ResetPasswordRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/billing") view={Lazy::<BillingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/billing/change") view={Lazy::<ChangePlanRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/outlets") view={Lazy::<OutletsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/outlets/:id") view={Lazy::<OutletRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/services") view={Lazy::<ServicesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/services/:id") view={Lazy::<ServiceRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/team") view={Lazy::<TeamRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/team/:id") view={Lazy::<MemberRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/invitation") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/choose-workspace")
                        view={Lazy::<ChooseWorkspaceRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Shell>
        </Router>
    }
}
