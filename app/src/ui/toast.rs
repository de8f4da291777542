//! Toasts: short messages that appear in a corner and go away by themselves. Announced to
//! screen readers through a polite live region.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
}

/// The toast queue, provided once by the app.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

const VISIBLE_FOR: std::time::Duration = std::time::Duration::from_secs(6);

pub fn provide_toasts() {
    provide_context(Toasts {
        items: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    });
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

impl Toasts {
    pub fn show(&self, kind: ToastKind, message: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let message = message.into();
        self.items
            .update(|items| items.push(Toast { id, kind, message }));
        let this = *self;
        set_timeout(move || this.dismiss(id), VISIBLE_FOR);
    }

    pub fn dismiss(&self, id: u64) {
        self.items
            .update(|items| items.retain(|toast| toast.id != id));
    }
}

#[component]
pub fn ToastHost() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div
            role="status"
            aria-live="polite"
            class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:items-end"
        >
            <For each=move || toasts.items.get() key=|toast| toast.id let:toast>
                <ToastCard toast toasts />
            </For>
        </div>
    }
}

#[component]
fn ToastCard(toast: Toast, toasts: Toasts) -> impl IntoView {
    let tone = match toast.kind {
        ToastKind::Success => "border-emerald-200 bg-emerald-50 text-emerald-900",
        ToastKind::Error => "border-red-200 bg-red-50 text-red-900",
        ToastKind::Info => "border-slate-200 bg-white text-slate-900",
    };
    let id = toast.id;
    view! {
        <div class=format!(
            "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border p-4 shadow-lg {tone}",
        )>
            <p class="flex-1 text-sm">{toast.message}</p>
            <button
                type="button"
                class="rounded text-sm opacity-70 hover:opacity-100"
                aria-label="Dismiss"
                on:click=move |_| toasts.dismiss(id)
            >
                "✕"
            </button>
        </div>
    }
}
