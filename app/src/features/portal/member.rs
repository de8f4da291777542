//! `/team/{user_id}`: one membership, for TENANT_ADMINs: role, position, outlets and access;
//! a password-reset mail; removal after a second confirmation. The member's account (name,
//! email, password) is theirs and is not edited here.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::membership_fields::{MembershipChoices, MembershipFields, MembershipValues};
use super::{ConfirmDelete, DeleteFields, Loaded, Panel, PortalPage, QueryNotice};
#[cfg(feature = "ssr")]
use crate::context::Scoped;
use crate::error::AppError;
use crate::ui::form::{action_error, typed_checked, FormAlert, SubmitButton};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEdit {
    pub id: String,
    pub name: String,
    pub email: String,
    pub values: MembershipValues,
    pub is_active: bool,
    pub choices: MembershipChoices,
}

/// One member with the choices the form offers.
#[server(endpoint = "portal/member")]
pub async fn member(id: String) -> Result<MemberEdit, AppError> {
    use oikos::tenancy::Permission;
    let Scoped { ctx, scope } = Scoped::current().await?;
    scope.require(Permission::ManageMembers)?;
    let member = oikos::members::service::get(&ctx.db, &scope, super::parse_id(&id)?).await?;
    Ok(MemberEdit {
        id: member.user_id.to_string(),
        name: format!("{} {}", member.first_name, member.last_name)
            .trim()
            .to_owned(),
        email: member.email,
        values: MembershipValues {
            role: member.role.as_str().to_owned(),
            position: member.position.unwrap_or_default(),
            outlet_ids: member.outlet_ids.iter().map(ToString::to_string).collect(),
        },
        is_active: member.is_active,
        choices: super::membership_fields::choices(&ctx, &scope).await?,
    })
}

/// Saves the membership: a missing `active` box is a deactivation.
#[server(endpoint = "portal/save_member")]
pub async fn save_member(
    id: String,
    role: String,
    position: String,
    outlet_ids: Option<Vec<String>>,
    active: Option<String>,
) -> Result<(), AppError> {
    use oikos::members::service::{self, MemberPatch};
    let Scoped { ctx, scope } = Scoped::current().await?;
    let outlet_ids = super::membership_fields::ticked_outlets(outlet_ids)?;
    let patch = MemberPatch {
        role: Some(role),
        position: Some(position),
        outlet_ids: Some(outlet_ids),
        is_active: Some(active.is_some()),
    };
    service::update(&ctx.db, &scope, super::parse_id(&id)?, &patch).await?;
    crate::mount::redirect("/team?updated=1");
    Ok(())
}

/// Mails the member a password-reset link.
#[server(endpoint = "portal/reset_member_password")]
pub async fn reset_member_password(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let user = super::parse_id(&id)?;
    oikos::members::service::send_password_reset(&ctx, &scope, user).await?;
    crate::mount::redirect(&format!("/team/{id}?reset=1"));
    Ok(())
}

/// Removes the membership (the account stays).
#[server(endpoint = "portal/remove_member")]
pub async fn remove_member(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::members::service::remove(&ctx.db, &scope, super::parse_id(&id)?).await?;
    crate::mount::redirect("/team?removed=1");
    Ok(())
}

#[component]
pub fn MemberPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let loaded = Resource::new(id, member);
    view! {
        <Title text="Member" />
        <PortalPage title="Member">
            <a href=crate::mount::href("/team") class="text-sm font-medium text-indigo-700 hover:text-indigo-500">"← The team"</a>
            <QueryNotice notices=&[("reset", "A password-reset link is on its way to them.")] />
            <Loaded resource=loaded loading="Loading the member…" back="/team" body=|edit: MemberEdit| view! { <MemberForms edit /> } />
        </PortalPage>
    }
}

#[component]
fn MemberForms(edit: MemberEdit) -> impl IntoView {
    let MemberEdit {
        id,
        name,
        email,
        values,
        is_active,
        choices,
    } = edit;
    let save = ServerAction::<SaveMember>::new();
    let errors = action_error(save.value());
    let reset = ServerAction::<ResetMemberPassword>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let remove_errors = action_error(remove.value());
    let (reset_id, remove_id) = (id.clone(), id.clone());
    let label = if name.is_empty() {
        email.clone()
    } else {
        format!("{name} · {email}")
    };
    view! {
        <Panel title="Membership">
            <p class="mb-4 text-slate-700">{label}</p>
            <ActionForm action=save attr:class="grid gap-4 sm:grid-cols-2">
                <div class="sm:col-span-2"><FormAlert errors /></div>
                <input type="hidden" name="id" value=id />
                <MembershipFields action={<SaveMember as ServerFn>::PATH} choices values errors />
                <label class="flex items-center gap-2 self-end text-sm text-slate-700">
                    <input type="checkbox" name="active" value="on" checked={typed_checked(<SaveMember as ServerFn>::PATH, "active", "on", is_active)} class="h-4 w-4" />
                    "Active (can sign in to this workspace)"
                </label>
                <div class="sm:col-span-2 sm:max-w-xs">
                    <SubmitButton label="Save the membership" busy_label="Saving…" />
                </div>
            </ActionForm>
        </Panel>
        <Panel title="Password">
            <p class="mb-3 text-sm text-slate-600">"Their password is theirs: this mails them a link to choose a new one."</p>
            <ActionForm action=reset attr:class="sm:max-w-xs">
                <input type="hidden" name="id" value=reset_id />
                <SubmitButton label="Send a reset link" busy_label="Sending…" />
            </ActionForm>
        </Panel>
        <Panel title="Remove from the workspace">
            <ConfirmDelete verb="Remove" name=format!("{email} from the workspace") warning="They lose access to this workspace at once; their account and other workspaces stay.">
                <ActionForm action=remove attr:class="sm:max-w-xs">
                    <DeleteFields id=remove_id errors=remove_errors />
                </ActionForm>
            </ConfirmDelete>
        </Panel>
    }
}
