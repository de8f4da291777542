//! The fields a membership is made of, shared by the invite form (`/team`) and the member
//! form (`/team/{id}`): the role, the position (the workspace's templates suggested, free
//! text allowed) and the outlets (none ticked: every outlet). Each offers only what the
//! caller may give.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::form::{typed_checked, typed_or, TextField};

/// What the caller may choose from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipChoices {
    /// The roles the caller may give: (code, label), highest first.
    pub roles: Vec<(String, String)>,
    /// The outlets the caller may assign: (id, name).
    pub outlets: Vec<(String, String)>,
    pub positions: Vec<String>,
}

/// A membership's current values (empty for a new invitation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipValues {
    pub role: String,
    pub position: String,
    pub outlet_ids: Vec<String>,
}

#[cfg(feature = "ssr")]
pub(super) async fn choices(
    ctx: &oikos::AppContext,
    scope: &oikos::tenancy::TenantScope,
) -> Result<MembershipChoices, AppError> {
    use oikos::tenancy::Role;
    let outlets = oikos::outlets::list(&ctx.db, scope)
        .await?
        .into_iter()
        .filter(|o| scope.require_outlet(Some(o.id)).is_ok())
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let settings = oikos::tenants::settings::get(&ctx.db, scope).await?;
    Ok(MembershipChoices {
        roles: Role::ALL
            .into_iter()
            .filter(|role| scope.role().can_grant(*role))
            .map(|role| (role.as_str().to_owned(), role.label().to_owned()))
            .collect(),
        outlets,
        positions: settings.staff_position_templates,
    })
}

/// The outlets ticked in a form's `outlet_ids[]` boxes (none: every outlet).
#[cfg(feature = "ssr")]
pub(super) fn ticked_outlets(
    outlet_ids: Option<Vec<String>>,
) -> Result<Vec<oikos::tenancy::OutletId>, AppError> {
    outlet_ids
        .unwrap_or_default()
        .iter()
        .map(|id| super::parse_id(id))
        .collect()
}

/// The role select, the position field and the outlet boxes, named `role`, `position` and
/// `outlet_ids[]`.
#[component]
pub fn MembershipFields(
    /// The path of the server function the form posts to (for what was ticked before a
    /// failed post).
    action: &'static str,
    choices: MembershipChoices,
    values: MembershipValues,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let MembershipChoices {
        roles,
        outlets,
        positions,
    } = choices;
    let MembershipValues {
        role,
        position,
        outlet_ids,
    } = values;
    let role = typed_or("role", role);
    let outlets_error = Signal::derive(move || {
        errors
            .get()
            .and_then(|e| e.fields.get("outlet_ids").cloned())
    });
    view! {
        <div class="space-y-1">
            <label for="field-role" class="block text-sm font-medium text-slate-700">"Role"</label>
            <select id="field-role" name="role" class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm">
                {roles.into_iter().map(|(code, label)| {
                    let selected = code == role;
                    view! { <option value=code selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        </div>
        <TextField name="position" label="Position (optional)" value=position list="position-templates" errors />
        <datalist id="position-templates">
            {positions.into_iter().map(|p| view! { <option value=p /> }).collect_view()}
        </datalist>
        <fieldset class="space-y-2 sm:col-span-2" aria-describedby="outlets-hint">
            <legend class="text-sm font-medium text-slate-700">"Outlets"</legend>
            <p id="outlets-hint" class="text-sm text-slate-500">"None ticked: every outlet."</p>
            {outlets.is_empty().then(|| view! { <p class="text-sm text-slate-500">"No outlets yet."</p> })}
            <div class="flex flex-wrap gap-x-6 gap-y-2">
                {outlets.into_iter().map(|(id, name)| {
                    let checked = typed_checked(action, "outlet_ids[]", &id, outlet_ids.contains(&id));
                    view! {
                        <label class="flex items-center gap-2 text-sm text-slate-700">
                            <input type="checkbox" name="outlet_ids[]" value=id checked=checked class="h-4 w-4" />
                            {name}
                        </label>
                    }
                }).collect_view()}
            </div>
            {move || outlets_error.get().map(|message| view! { <p role="alert" class="text-sm text-red-700">{message}</p> })}
        </fieldset>
    }
}
