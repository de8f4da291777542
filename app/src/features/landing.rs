use leptos::prelude::*;
use leptos_meta::Title;

const FEATURES: [(&str, &str); 6] = [
    (
        "A workspace per business",
        "Every business that registers gets its own portal on its own subdomain, isolated from every other tenant down to the database rows.",
    ),
    (
        "Team and roles",
        "Invite your team by email as admins, outlet managers, staff or receptionists. One permission matrix decides what each can do.",
    ),
    (
        "Outlets and hours",
        "Add each location with its address, timezone and weekly business hours, and assign staff where they work.",
    ),
    (
        "Plans and billing",
        "Pick a plan, pay monthly or annually through Stripe, and see usage against your plan's limits.",
    ),
    (
        "Admin dashboard",
        "Platform operators see every tenant, its members and subscription, and can activate or deactivate workspaces.",
    ),
    (
        "A versioned REST API",
        "Partners and mobile apps use the same capabilities through /api/v1 with bearer tokens and scoped API keys.",
    ),
];

#[component]
pub fn LandingPage() -> impl IntoView {
    view! {
        <Title text="Run every business from its own workspace" />
        <Hero />
        <section id="features" aria-labelledby="features-title" class="bg-white py-20">
            <div class="mx-auto max-w-6xl px-4 sm:px-6">
                <h2 id="features-title" class="text-center text-3xl font-bold tracking-tight">
                    "Everything a multi-tenant business platform needs"
                </h2>
                <ul class="mt-12 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
                    {FEATURES
                        .into_iter()
                        .map(|(title, text)| {
                            view! {
                                <li class="rounded-xl border border-slate-200 p-6">
                                    <h3 class="font-semibold text-slate-900">{title}</h3>
                                    <p class="mt-2 text-sm leading-6 text-slate-600">{text}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </section>
    }
}

#[component]
fn Hero() -> impl IntoView {
    view! {
        <section class="mx-auto max-w-6xl px-4 py-20 text-center sm:px-6 sm:py-28">
            <p class="text-sm font-semibold uppercase tracking-wide text-indigo-600">
                "Self-hostable · Open source · Written in Rust"
            </p>
            <h1 class="mx-auto mt-4 max-w-3xl text-4xl font-bold tracking-tight text-slate-900 sm:text-6xl">
                "Run every business from its own workspace"
            </h1>
            <p class="mx-auto mt-6 max-w-2xl text-lg leading-8 text-slate-600">
                "Oikos gives each business that signs up its own portal, team, outlets and plan, while you oversee them all from one dashboard."
            </p>
            <div class="mt-10 flex flex-col items-center justify-center gap-4 sm:flex-row">
                <a
                    href="/register"
                    class="rounded-md bg-indigo-600 px-5 py-3 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                >
                    "Register your business"
                </a>
                <a
                    href="/pricing"
                    class="rounded-md px-5 py-3 text-sm font-semibold text-slate-700 hover:bg-slate-100"
                >
                    "See plans and pricing"
                </a>
                <a
                    href="#features"
                    class="rounded-md px-5 py-3 text-sm font-semibold text-slate-700 hover:bg-slate-100"
                >
                    "Explore the features"
                </a>
            </div>
        </section>
    }
}
