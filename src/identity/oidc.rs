//! Sign-in with Google, or any OpenID Connect provider (`OIDC_ISSUER_URL`): the
//! authorization code flow with PKCE, `state` and `nonce`, through the `openidconnect` crate
//! (built on `oauth2`). The ID token's signature (the provider's published keys), issuer,
//! audience (our client id), expiry and nonce are verified before anything is believed.
//!
//! Accounts are keyed by issuer + `sub` (`user_identities`). A first sign-in links to the
//! account with the same address, or creates one, and only when the provider says the address
//! is verified.

use chrono::Utc;
use openidconnect::core::{CoreClient, CoreIdToken, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret as _;
use serde::{Deserialize, Serialize};

use super::login::{self, LoginOutcome};
use super::{throttle, Client, Seals};
use crate::db::{query, Access, Db, Tx};
use crate::users::{repository as users, NewUser, User};
use crate::values::Email;
use crate::{AppContext, Config, Error, Result};

type Discovered = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The path the provider sends the browser back to.
pub const CALLBACK_PATH: &str = "/api/v1/auth/google/callback";

#[derive(Clone, Debug)]
pub struct Oidc {
    client_id: ClientId,
    client_secret: ClientSecret,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
}

/// What the browser's session keeps between the redirect to the provider and the way back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    state: String,
    nonce: String,
    verifier: String,
}

/// Who the provider says signed in, after every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

impl Oidc {
    /// `None` when `GOOGLE_CLIENT_ID` / `GOOGLE_CLIENT_SECRET` are unset (the button hides).
    pub fn from_config(config: &Config, redirect: &str) -> Result<Option<Oidc>> {
        let Some(google) = &config.google else {
            return Ok(None);
        };
        let issuer = google.issuer_url.as_str().trim_end_matches('/').to_owned();
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would open the flow to SSRF through the provider.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|err| anyhow::anyhow!("an HTTP client for OpenID Connect: {err}"))?;
        Ok(Some(Oidc {
            client_id: ClientId::new(google.client_id.clone()),
            client_secret: ClientSecret::new(google.client_secret.expose_secret().to_owned()),
            issuer: IssuerUrl::new(issuer)
                .map_err(|err| anyhow::anyhow!("OIDC_ISSUER_URL: {err}"))?,
            redirect: RedirectUrl::new(redirect.to_owned())
                .map_err(|err| anyhow::anyhow!("the OpenID Connect callback URL: {err}"))?,
            http,
        }))
    }

    /// Discovery (`/.well-known/openid-configuration` and the provider's keys), per flow, so a
    /// key rotation at the provider is picked up at once.
    async fn client(&self) -> Result<Discovered> {
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|err| {
                anyhow::anyhow!(
                    "OpenID Connect discovery at {}: {err}",
                    self.issuer.as_str()
                )
            })?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone()))
    }

    /// The provider's sign-in page to send the browser to, and what to keep until it comes
    /// back.
    pub async fn begin(&self) -> Result<(String, Pending)> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        };
        Ok((url.to_string(), pending))
    }

    /// The way back: `state` must be the one this browser was sent off with; the code is
    /// exchanged (with the PKCE verifier) and the ID token checked; then the account is found,
    /// linked or created, and signed in like a password sign-in.
    pub async fn finish(
        &self,
        ctx: &AppContext,
        pending: &Pending,
        code: &str,
        state: &str,
        client: &Client,
    ) -> Result<LoginOutcome> {
        throttle::login(&ctx.db, client.ip, "oidc").await?;
        if !constant_time_eq(state.as_bytes(), pending.state.as_bytes()) {
            return Err(Error::InvalidToken);
        }
        let provider = self.client().await?;
        let tokens = provider
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|err| anyhow::anyhow!("the provider has no token endpoint: {err}"))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|err| {
                tracing::warn!(error = %err, "OpenID Connect: the code exchange failed");
                Error::InvalidToken
            })?;
        let id_token = tokens.id_token().ok_or(Error::InvalidToken)?;
        let identity = self.verify(&provider, id_token, &pending.nonce)?;
        let user = find_or_create(&ctx.db, &ctx.seals, &identity).await?;
        login::sign_in_verified(ctx, user, client).await
    }

    /// Checks a raw ID token as [`Oidc::finish`] does (signature, issuer, audience, expiry,
    /// nonce): for tests that bring tokens from a real provider.
    pub async fn verify_id_token(&self, raw: &str, nonce: &str) -> Result<ExternalIdentity> {
        let provider = self.client().await?;
        let token: CoreIdToken = raw.parse().map_err(|_| Error::InvalidToken)?;
        self.verify(&provider, &token, nonce)
    }

    fn verify(
        &self,
        provider: &Discovered,
        token: &CoreIdToken,
        nonce: &str,
    ) -> Result<ExternalIdentity> {
        let verifier = provider.id_token_verifier();
        let claims = token
            .claims(&verifier, &Nonce::new(nonce.to_owned()))
            .map_err(|err| {
                tracing::warn!(error = %err, "OpenID Connect: an ID token was refused");
                Error::InvalidToken
            })?;
        let name = |claim: Option<
            &openidconnect::LocalizedClaim<openidconnect::EndUserGivenName>,
        >| { claim.and_then(|c| c.get(None)).map(|n| n.to_string()) };
        Ok(ExternalIdentity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            given_name: name(claims.given_name()),
            family_name: claims
                .family_name()
                .and_then(|c| c.get(None))
                .map(|n| n.to_string()),
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The account this identity signs in to: the one linked before, or the one with the same
/// verified address (linked now), or a new one. An address the provider has not verified
/// neither links nor creates.
///
/// An existing account whose address was never verified may have been made by someone
/// else in wait for the owner (pre-account takeover): before linking, its password is
/// cleared and its sessions and tokens end, so only the provider's proof signs in to it.
pub(crate) async fn find_or_create(
    db: &Db,
    seals: &Seals,
    identity: &ExternalIdentity,
) -> Result<User> {
    let mut tx = db.begin(Access::Write).await?;
    let sql = "SELECT user_id, seal FROM user_identities WHERE issuer = $1 AND subject = $2";
    let linked: Option<(crate::tenancy::UserId, Option<String>)> =
        query::optional!(tx, sql, &identity.issuer, &identity.subject)?;
    // A link the database role wrote alone (unsealed) is no link: the provider's verified
    // address decides below, and the link is written afresh.
    let linked = linked.filter(|(user, seal)| {
        let fields: [&str; 3] = [&*identity.issuer, &identity.subject, &user.to_string()];
        seals.verify(SEALED_TABLE, &fields, seal.as_deref())
    });
    if let Some((user, _)) = linked {
        let user = users::find_by_id(&mut tx, user)
            .await?
            .ok_or(Error::InvalidCredentials)?;
        tx.rollback().await?;
        return Ok(user);
    }
    let email = match (&identity.email, identity.email_verified) {
        (Some(email), true) => Email::parse(email).map_err(|_| Error::InvalidCredentials)?,
        _ => {
            return Err(Error::invalid(
                "email",
                "Your account at the provider has no verified email address.",
            ))
        }
    };
    let user = match users::find_by_email(&mut tx, &email).await? {
        Some(user) => {
            if user.email_verified_at.is_none() {
                db.set_password_hash(&mut tx, user.id, None).await?;
                super::sessions::end_all_in(&mut tx, user.id).await?;
            }
            users::mark_verified(&mut tx, user.id).await?;
            users::find_by_id(&mut tx, user.id)
                .await?
                .ok_or(Error::InvalidCredentials)?
        }
        None => {
            let new = NewUser {
                email,
                password_hash: None,
                first_name: identity.given_name.clone().unwrap_or_default(),
                last_name: identity.family_name.clone().unwrap_or_default(),
                is_super_admin: false,
                email_verified: true,
            };
            users::insert(&mut tx, new).await?
        }
    };
    link(&mut tx, seals, identity, &user).await?;
    tx.commit().await?;
    Ok(user)
}

const SEALED_TABLE: &str = "user_identities";

async fn link(tx: &mut Tx, seals: &Seals, identity: &ExternalIdentity, user: &User) -> Result<()> {
    let fields: [&str; 3] = [&*identity.issuer, &identity.subject, &user.id.to_string()];
    let seal = seals.seal(SEALED_TABLE, &fields);
    let sql = "INSERT INTO user_identities (issuer, subject, user_id, created_at, seal)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (issuer, subject) DO UPDATE
                  SET user_id = excluded.user_id, seal = excluded.seal";
    query::execute!(
        tx,
        sql,
        &identity.issuer,
        &identity.subject,
        user.id,
        Utc::now().timestamp(),
        &seal
    )?;
    Ok(())
}
