//! Everything a request handler or server function needs from the core, built once at start.

use std::sync::Arc;

use crate::billing::PlanCatalog;
use secrecy::SecretString;

use crate::db::{rls, Db};
use crate::{keys, Config, Result};

#[derive(Clone, Debug)]
pub struct Services {
    pub db: Db,
    pub config: Arc<Config>,
    pub plans: Arc<PlanCatalog>,
    /// Signs cookies and tokens; see [`keys::session_secret`].
    pub session_secret: SecretString,
}

impl Services {
    /// Loads the plans, connects, migrates, and on PostgreSQL proves row-level security bites:
    /// anything wrong stops the start with a clear error instead of failing at first use.
    pub async fn start(config: Config) -> Result<Services> {
        let plans = PlanCatalog::load(config.plans_file.as_deref())?;
        let session_secret = keys::session_secret(&config)?;
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        rls::verify(&db).await?;
        Ok(Services {
            db,
            config: Arc::new(config),
            plans: Arc::new(plans),
            session_secret,
        })
    }
}
