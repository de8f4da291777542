//! `/team`: the workspace's members (search, role, position, outlets), the invite form and
//! the pending invitations with resend and revoke. Members of roles without the team
//! permission get the server's refusal in words (and no link in the header).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::membership_fields::{MembershipChoices, MembershipFields, MembershipValues};
use super::{failed, Panel, PortalPage, QueryNotice};
#[cfg(feature = "ssr")]
use crate::context::Scoped;
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, SubmitButton, TextField};

#[cfg(feature = "ssr")]
const PAGE_SIZE: i64 = 25;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub position: String,
    pub outlets: String,
    pub is_active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires_on: String,
    pub expired: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub members: Vec<MemberRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub choices: MembershipChoices,
    /// Whether the caller changes memberships (the Edit links).
    pub can_manage: bool,
    /// `None` when the caller may not invite.
    pub invitations: Option<Vec<InvitationRow>>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use oikos::members::invitations::{Invitation, InvitationStatus};
    use oikos::members::service::Member;

    pub fn member_row(member: Member, outlets: &[(String, String)]) -> MemberRow {
        let names: Vec<String> = member
            .outlet_ids
            .iter()
            .filter_map(|id| {
                let id = id.to_string();
                outlets
                    .iter()
                    .find(|(o, _)| *o == id)
                    .map(|(_, n)| n.clone())
            })
            .collect();
        MemberRow {
            id: member.user_id.to_string(),
            name: format!("{} {}", member.first_name, member.last_name)
                .trim()
                .to_owned(),
            email: member.email,
            role: member.role.label().to_owned(),
            position: member.position.unwrap_or_default(),
            outlets: names.join(", "),
            is_active: member.is_active,
        }
    }

    pub fn invitation_row(invitation: Invitation) -> InvitationRow {
        InvitationRow {
            id: invitation.id.to_string(),
            email: invitation.email,
            role: invitation.role.label().to_owned(),
            expires_on: invitation.expires_at.format("%Y-%m-%d").to_string(),
            expired: invitation.status == InvitationStatus::Expired,
        }
    }
}

/// The team page's data, for the caller's role.
#[server(endpoint = "portal/team")]
pub async fn team(q: Option<String>, page: Option<i64>) -> Result<TeamView, AppError> {
    use oikos::members::{invitations, service};
    use oikos::tenancy::Permission;
    let Scoped { ctx, scope } = Scoped::current().await?;
    let page = page.unwrap_or(1).max(1);
    let query =
        service::MemberQuery::parse(Some((page - 1) * PAGE_SIZE), Some(PAGE_SIZE), q, None)?;
    let (members, total) = service::list(&ctx.db, &scope, &query).await?;
    let choices = super::membership_fields::choices(&ctx, &scope).await?;
    let invitations = match scope.require(Permission::InviteMembers) {
        Ok(()) => Some(
            invitations::list(&ctx, &scope)
                .await?
                .into_iter()
                .map(server::invitation_row)
                .collect(),
        ),
        Err(_) => None,
    };
    Ok(TeamView {
        members: members
            .into_iter()
            .map(|m| server::member_row(m, &choices.outlets))
            .collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        choices,
        can_manage: scope.require(Permission::ManageMembers).is_ok(),
        invitations,
    })
}

/// Invites an address; the mail leaves with the next outbox round.
#[server(endpoint = "portal/invite")]
pub async fn invite(
    email: String,
    role: String,
    position: String,
    outlet_ids: Option<Vec<String>>,
) -> Result<(), AppError> {
    use oikos::members::invitations::{self, InvitationInput};
    let Scoped { ctx, scope } = Scoped::current().await?;
    let outlet_ids = super::membership_fields::ticked_outlets(outlet_ids)?;
    let input = InvitationInput {
        email,
        role,
        position: Some(position),
        outlet_ids,
    };
    invitations::create(&ctx, &scope, &input).await?;
    crate::mount::redirect("/team?invited=1");
    Ok(())
}

/// Mails a new link for a pending invitation (the old one stops working).
#[server(endpoint = "portal/resend_invitation")]
pub async fn resend_invitation(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::members::invitations::resend(&ctx, &scope, super::parse_id(&id)?).await?;
    crate::mount::redirect("/team?resent=1");
    Ok(())
}

/// Withdraws a pending invitation.
#[server(endpoint = "portal/revoke_invitation")]
pub async fn revoke_invitation(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::members::invitations::revoke(&ctx, &scope, super::parse_id(&id)?).await?;
    crate::mount::redirect("/team?revoked=1");
    Ok(())
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        (
            query.get("q"),
            query.get("page").and_then(|p| p.parse().ok()),
        )
    };
    let view = Resource::new(filters, |(q, page)| team(q, page));
    let notices = &[
        ("invited", "The invitation is on its way."),
        (
            "resent",
            "A new link is on its way; the old one no longer works.",
        ),
        ("revoked", "The invitation is withdrawn."),
        ("updated", "The membership is saved."),
        ("removed", "The member is removed from the workspace."),
    ];
    view! {
        <Title text="Team" />
        <PortalPage title="Team">
            <QueryNotice notices />
            <Suspense fallback=|| view! { <p role="status" class="text-slate-500">"Loading the team…"</p> }>
                {move || Suspend::new(async move {
                    let q = filters().0.unwrap_or_default();
                    match view.await {
                        Ok(team) => view! { <Team team q /> }.into_any(),
                        Err(err) => failed(err, "/team"),
                    }
                })}
            </Suspense>
        </PortalPage>
    }
}

#[component]
fn Team(team: TeamView, q: String) -> impl IntoView {
    let TeamView {
        members,
        total,
        page,
        pages,
        choices,
        can_manage,
        invitations,
    } = team;
    let link = {
        let q = q.clone();
        move |page: i64| {
            let query =
                serde_urlencoded::to_string([("q", q.as_str()), ("page", &page.to_string())])
                    .unwrap_or_default();
            crate::mount::href(&format!("/team?{query}"))
        }
    };
    let empty = members
        .is_empty()
        .then_some("No member matches. Try another search.");
    view! {
        <Panel title="Members">
            <form method="get" action=crate::mount::href("/team") role="search" class="flex flex-col gap-3 sm:flex-row sm:items-end">
                <div class="flex-1 space-y-1">
                    <label for="team-q" class="block text-sm font-medium text-slate-700">"Search by name or email"</label>
                    <input id="team-q" name="q" type="search" value=q class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm" />
                </div>
                <button type="submit" class="rounded-md bg-slate-800 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">"Search"</button>
            </form>
            <p class="mt-4 text-sm text-slate-600">{format!("{total} member(s)")}</p>
            {empty.map(|message| view! { <p class="mt-2 text-slate-600">{message}</p> })}
            <ul aria-label="Members" class="mt-2 divide-y divide-slate-200">
                {members.into_iter().map(|m| view! {
                    <li class="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
                        <div>
                            <p class="font-medium">{m.name.clone()} <span class="text-slate-500">{format!(" · {}", m.email)}</span></p>
                            <p class="text-sm text-slate-600">
                                {[m.position.clone(), m.outlets.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}
                            </p>
                        </div>
                        <div class="flex gap-2 text-sm">
                            <span class="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700">{m.role.clone()}</span>
                            {(!m.is_active).then(|| view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-800">"Deactivated"</span> })}
                            {can_manage.then(|| view! {
                                <a href=crate::mount::href(&format!("/team/{}", m.id)) aria-label=format!("Edit {}", m.email) class="font-medium text-indigo-700 hover:text-indigo-500">"Edit"</a>
                            })}
                        </div>
                    </li>
                }).collect_view()}
            </ul>
            <nav aria-label="Pages" class="mt-4 flex gap-4 text-sm">
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev" class="font-medium text-indigo-700">"← Previous"</a> })}
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next" class="font-medium text-indigo-700">"Next →"</a> })}
            </nav>
        </Panel>
        {invitations.map(|invitations| view! {
            <Panel title="Invite someone">
                <InviteForm choices />
            </Panel>
            <Panel title="Pending invitations">
                <PendingInvitations invitations />
            </Panel>
        })}
    }
}

#[component]
fn InviteForm(choices: MembershipChoices) -> impl IntoView {
    let action = ServerAction::<Invite>::new();
    let errors = action_error(action.value());
    // Most invitations are for staff: the least the role list offers.
    let values = MembershipValues {
        role: choices
            .roles
            .iter()
            .find(|(code, _)| code == "STAFF")
            .map(|(code, _)| code.clone())
            .unwrap_or_default(),
        ..Default::default()
    };
    view! {
        <ActionForm action attr:class="grid gap-4 sm:grid-cols-2">
            <div class="sm:col-span-2"><FormAlert errors /></div>
            <TextField name="email" label="Email" kind="email" autocomplete="off" required=true errors />
            <MembershipFields action={<Invite as ServerFn>::PATH} choices values errors />
            <div class="sm:col-span-2 sm:max-w-xs">
                <SubmitButton label="Send the invitation" busy_label="Sending…" />
            </div>
        </ActionForm>
    }
}

#[component]
fn PendingInvitations(invitations: Vec<InvitationRow>) -> impl IntoView {
    if invitations.is_empty() {
        return view! { <p class="text-slate-600">"No pending invitations."</p> }.into_any();
    }
    view! {
        <ul aria-label="Pending invitations" class="divide-y divide-slate-200">
            {invitations.into_iter().map(|i| view! { <PendingInvitation invitation=i /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PendingInvitation(invitation: InvitationRow) -> impl IntoView {
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let state = if invitation.expired {
        "expired".to_owned()
    } else {
        format!("until {}", invitation.expires_on)
    };
    let button = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-semibold text-slate-700 hover:border-indigo-400";
    let InvitationRow {
        id, email, role, ..
    } = invitation;
    let (resend_id, revoke_id) = (id.clone(), id);
    let (resend_label, revoke_label) = (
        format!("Resend to {email}"),
        format!("Revoke the invitation of {email}"),
    );
    view! {
        <li class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
            <p>
                <span class="font-medium">{email}</span>
                <span class="text-sm text-slate-600">{format!(" · {role} · {state}")}</span>
            </p>
            <div class="flex gap-2">
                <ActionForm action=resend>
                    <input type="hidden" name="id" value=resend_id />
                    <button type="submit" class=button aria-label=resend_label>"Resend"</button>
                </ActionForm>
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=revoke_id />
                    <button type="submit" class=button aria-label=revoke_label>"Revoke"</button>
                </ActionForm>
            </div>
        </li>
    }
}
