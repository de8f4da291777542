//! The layout every page sits in: header with responsive navigation, main, footer.

mod nav;

use leptos::prelude::*;

use crate::ui::form::FormProgress;
use crate::viewer::use_viewer;
use nav::{MobileNav, NavLinks, UserLinks};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    view! {
        <div class="flex min-h-screen flex-col">
            <a
                href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:shadow"
            >
                "Skip to content"
            </a>
            <Header />
            <main id="main" class="flex-1" tabindex="-1">
                {children()}
            </main>
            <Footer />
            <FormProgress />
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur">
            <div class="mx-auto flex h-16 max-w-6xl items-center justify-between px-4 sm:px-6">
                <Logo />
                <nav aria-label="Main" class="hidden items-center gap-8 md:flex">
                    <NavLinks />
                    <UserLinks />
                </nav>
                <MobileNav />
            </div>
        </header>
    }
}

/// Oikos on the main site; on a portal, the tenant's name and its logo (or initial).
#[component]
fn Logo() -> impl IntoView {
    let viewer = use_viewer();
    let (home, name) = match viewer.portal {
        Some(tenant) => (crate::mount::href("/dashboard"), tenant),
        None => ("/".to_owned(), "Oikos".to_owned()),
    };
    let initial = name
        .chars()
        .next()
        .unwrap_or('O')
        .to_uppercase()
        .to_string();
    let mark = match viewer.logo {
        Some(version) => view! {
            <img
                src=crate::mount::href(&format!("/branding/logo?v={version}"))
                alt=""
                class="h-8 w-auto max-w-24 shrink-0 object-contain"
            />
        }
        .into_any(),
        None => view! {
            <span
                aria-hidden="true"
                class="grid h-8 w-8 shrink-0 place-items-center rounded-lg bg-[var(--brand-secondary,#4f46e5)] text-white"
            >
                {initial}
            </span>
        }
        .into_any(),
    };
    view! {
        <a
            href=home
            class="flex min-w-0 items-center gap-2 text-lg font-bold tracking-tight text-slate-900"
        >
            {mark}
            <span class="truncate">{name}</span>
        </a>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="border-t border-slate-200 bg-white">
            <div class="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-slate-500 sm:flex-row sm:items-center sm:justify-between sm:px-6">
                <p>"Oikos: the self-hostable multi-tenant business platform."</p>
                <nav aria-label="Footer" class="flex gap-6">
                    <a href="/" class="hover:text-slate-900">"Home"</a>
                    <a href="/pricing" class="hover:text-slate-900">"Pricing"</a>
                </nav>
            </div>
        </footer>
    }
}

/// On a portal whose subscription Stripe cannot collect: a bar along the bottom of every
/// page, for members, with the way to fix it for those who manage billing. Rendered by the
/// server after the app (outside what hydrates), so the browser bundle carries none of it.
pub fn payment_failing(manages_billing: bool) -> impl IntoView {
    let action = if manages_billing {
        view! {
            <a href=crate::mount::href("/billing") class="font-semibold underline">
                "Update the payment method"
            </a>
        }
        .into_any()
    } else {
        view! { <span>"A workspace admin can update the payment method."</span> }.into_any()
    };
    view! {
        <div role="alert" class="fixed inset-x-0 bottom-0 z-50 border-t border-amber-300 bg-amber-50 text-sm text-amber-900 shadow-lg">
            <p class="mx-auto flex max-w-6xl flex-wrap gap-x-2 px-4 py-3 sm:px-6">
                <span>"Payment for this workspace is failing: Stripe could not collect the last invoice."</span>
                {action}
            </p>
        </div>
    }
}

/// While a super admin acts as a member: a bar across the top of every page saying so, with
/// the button that ends it. Rendered by the server outside what hydrates, like the above.
pub fn impersonation(message: String) -> impl IntoView {
    view! {
        <div role="region" aria-label="Impersonation" class="sticky top-0 z-50 border-b border-fuchsia-300 bg-fuchsia-50 text-sm text-fuchsia-950">
            <div class="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-2 sm:flex-row sm:items-center sm:justify-between sm:px-6">
                <p>{message}</p>
                <form method="post" action=crate::mount::href("/api/auth/end_impersonation")>
                    <button type="submit" class="shrink-0 whitespace-nowrap rounded-md bg-fuchsia-700 px-3 py-1.5 font-semibold text-white hover:bg-fuchsia-600 focus:outline-none focus:ring-2 focus:ring-fuchsia-500 focus:ring-offset-2">
                        "End impersonation"
                    </button>
                </form>
            </div>
        </div>
    }
}
