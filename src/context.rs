//! [`AppContext`]: what a server function or REST handler needs from the core, built once
//! at start and passed in (no globals).

use std::ops::Deref;
use std::sync::Arc;

use crate::billing::PlanCatalog;
use crate::db::Db;
use crate::identity::{self, LinkTokens, Passwords, Seals, Tokens};
use crate::keys::Keys;
use crate::links::Links;
use crate::mail::{MailQueue, Transport};
use crate::{Config, Result};

/// The core's services, shared: cloning it (every request does, in axum's state and in
/// Leptos' context) copies one pointer, never the keys, clients and pools inside.
#[derive(Clone, Debug)]
pub struct AppContext(Arc<Services>);

impl Deref for AppContext {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What [`AppContext`] holds.
#[derive(Debug)]
pub struct Services {
    pub db: Db,
    pub config: Arc<Config>,
    pub plans: Arc<PlanCatalog>,
    pub keys: Keys,
    pub links: Links,
    pub passwords: Passwords,
    pub link_tokens: LinkTokens,
    pub tokens: Tokens,
    /// Seals on the rows that grant identity (`identity::seals`).
    pub seals: Seals,
    /// Wakes the mail worker after a commit that queued mail.
    pub mail: MailQueue,
    /// Where the mail worker delivers.
    pub mail_transport: Transport,
    /// Google / OpenID Connect sign-in, when configured.
    pub oidc: Option<identity::oidc::Oidc>,
    /// Stripe, when billing is on (`STRIPE_SECRET_KEY`).
    pub stripe: Option<crate::billing::stripe::Stripe>,
}

impl AppContext {
    /// Loads the plans and keys, opens the database (migrations, grants, the row-level
    /// security self-check) and makes the first super admin: anything wrong stops the start
    /// with a clear error.
    pub async fn start(config: Config) -> Result<AppContext> {
        let plans = PlanCatalog::load(config.plans_file.as_deref())?;
        let keys = Keys::load(&config)?;
        let db = Db::open(&config.database).await?;
        let passwords = Passwords::new()?;
        let mail_transport = Transport::from_config(&config)?;
        let links = Links::new(&config);
        let oidc =
            identity::oidc::Oidc::from_config(&config, &links.main(identity::oidc::CALLBACK_PATH))?;
        let stripe = config
            .stripe
            .as_ref()
            .map(crate::billing::stripe::Stripe::new)
            .transpose()?;
        if let Some(stripe) = &stripe {
            crate::billing::provider::ensure_plans(stripe, &plans).await?;
        }
        if let Some(first) = &config.first_superuser {
            identity::superuser::ensure(&db, &config.database, first, &passwords).await?;
        }
        Ok(AppContext(Arc::new(Services {
            passwords,
            link_tokens: LinkTokens::new(&keys),
            seals: Seals::new(&keys),
            tokens: Tokens::new(&keys, config.base_url.as_str()),
            mail: MailQueue::new(),
            mail_transport,
            db,
            links,
            oidc,
            stripe,
            config: Arc::new(config),
            plans: Arc::new(plans),
            keys,
        })))
    }
}
