//! Building and running the application; the binary and the tests start it the same way.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use oikos::{AppContext, Config};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::routes;
use crate::serve::serve;
use crate::state::AppState;

/// How long requests in flight may take to finish once shutdown is requested.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// How long closing the database may wait for connections still in use.
pub const DATABASE_CLOSE_GRACE: Duration = Duration::from_secs(5);

pub struct Application {
    listener: TcpListener,
    metrics_listener: TcpListener,
    router: Router,
    metrics_router: Router,
    ctx: AppContext,
}

impl Application {
    /// Starts the core (database, migrations, checks) and binds both listeners: the site on
    /// `LEPTOS_SITE_ADDR` and the management listener (`/metrics`) on `OIKOS_METRICS_ADDR`.
    /// Port 0 picks a free port (see [`Application::local_addr`]).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("listening on {} (LEPTOS_SITE_ADDR)", config.site_addr))?;
        let metrics_listener = TcpListener::bind(config.metrics_addr)
            .await
            .with_context(|| {
                format!("listening on {} (OIKOS_METRICS_ADDR)", config.metrics_addr)
            })?;
        let leptos_options = leptos_options(&config, listener.local_addr()?);
        let ctx = AppContext::start(config).await?;
        let metrics = Arc::new(Metrics::new());
        let state = AppState::new(leptos_options, ctx.clone(), metrics.clone());
        Ok(Application {
            listener,
            metrics_listener,
            router: routes::router(state)?,
            metrics_router: routes::management_router(metrics),
            ctx,
        })
    }

    /// The core context this application serves with.
    pub fn context(&self) -> &AppContext {
        &self.ctx
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn metrics_addr(&self) -> std::io::Result<SocketAddr> {
        self.metrics_listener.local_addr()
    }

    /// Serves until `shutdown` completes, then stops accepting connections, lets requests in
    /// flight finish (for at most [`SHUTDOWN_GRACE`]), and closes the database.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        let metrics_addr = self.metrics_addr()?;
        tracing::info!(
            %addr,
            %metrics_addr,
            backend = ?self.ctx.db.backend(),
            isolation = self.ctx.db.isolation().as_str(),
            "oikos is serving"
        );
        let (stop, stopping) = watch::channel(false);
        let signal = async move {
            shutdown.await;
            let _ = stop.send(true);
        };
        let stopped = |mut stopping: watch::Receiver<bool>| async move {
            let _ = stopping.wait_for(|stop| *stop).await;
        };
        let mail = oikos::mail::worker::run(
            self.ctx.db.clone(),
            self.ctx.mail_transport.clone(),
            self.ctx.mail.clone(),
            stopped(stopping.clone()),
        );
        let webhooks = oikos::webhooks::worker::run(
            self.ctx.db.clone(),
            oikos::webhooks::target::client(self.ctx.config.webhooks_allow_private)?,
            stopped(stopping.clone()),
        );
        let cleanup = housekeeping(self.ctx.db.clone(), stopped(stopping.clone()));
        let billing = reconcile_billing(self.ctx.clone(), stopped(stopping.clone()));
        tokio::join!(
            signal,
            mail,
            webhooks,
            cleanup,
            billing,
            serve(
                self.listener,
                self.router,
                stopped(stopping.clone()),
                SHUTDOWN_GRACE
            ),
            serve(
                self.metrics_listener,
                self.metrics_router,
                stopped(stopping),
                SHUTDOWN_GRACE
            ),
        );
        self.ctx.db.close(DATABASE_CLOSE_GRACE).await;
        tracing::info!("oikos stopped");
        Ok(())
    }
}

/// Every [`crate::auth::SESSION_CLEANUP`] until `stop`: deletes expired sessions, tokens,
/// rate-limit windows and old delivered mail, and erases the tenants whose deletion's grace
/// period has ended.
async fn housekeeping(db: oikos::db::Db, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        match oikos::identity::prune_expired(&db).await {
            Ok(0) => {}
            Ok(deleted) => tracing::debug!(deleted, "expired rows deleted"),
            Err(err) => tracing::warn!(error = format!("{err:#}"), "deleting expired rows"),
        }
        match oikos::tenants::erasure::erase_due(&db, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(erased) => tracing::info!(erased, "deleted tenants erased"),
            Err(err) => tracing::warn!(error = format!("{err:#}"), "erasing deleted tenants"),
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(crate::auth::SESSION_CLEANUP) => {}
        }
    }
}

/// With billing on, at start and every [`BILLING_RECONCILE`] until `stop`: brings each
/// tenant's subscription up to Stripe's state, mending what a lost webhook or a crash between
/// a Stripe call and its write left behind.
async fn reconcile_billing(ctx: oikos::AppContext, stop: impl Future<Output = ()>) {
    if ctx.stripe.is_none() {
        return;
    }
    tokio::pin!(stop);
    loop {
        match oikos::billing::account::reconcile(&ctx).await {
            Ok(done) => tracing::debug!(
                checked = done.checked,
                failed = done.failed,
                "subscriptions reconciled with Stripe"
            ),
            Err(err) => tracing::warn!(error = format!("{err:#}"), "reconciling with Stripe"),
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(BILLING_RECONCILE) => {}
        }
    }
}

/// How often subscriptions are compared with Stripe's.
const BILLING_RECONCILE: Duration = Duration::from_secs(3600);

/// The build's list of hashed file names.
const HASH_FILE: &str = "hash.txt";

/// Where `cargo leptos build` left `hash.txt`: beside the binary, or in the site root for an
/// install that copied it there. Without one, `/pkg` names are plain (a development build).
fn hash_file(site_root: &Path) -> Option<PathBuf> {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(HASH_FILE)));
    beside_binary
        .into_iter()
        .chain([site_root.join(HASH_FILE)])
        .find(|path| path.is_file())
        // Leptos joins the name to the binary's folder: an absolute path stands on its own.
        .and_then(|path| std::path::absolute(path).ok())
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    let hash_file = hash_file(&config.site_root);
    let plain_names = config.site_root.join("pkg").join("oikos.js").is_file();
    if hash_file.is_none() && config.site_root.join("pkg").is_dir() && !plain_names {
        tracing::warn!(
            "no {HASH_FILE} beside the binary or in LEPTOS_SITE_ROOT: pages name /pkg files \
             without hashes, which a release build does not have; copy {HASH_FILE} along"
        );
    }
    LeptosOptions::builder()
        .output_name("oikos")
        .hash_files(hash_file.is_some())
        .hash_file(hash_file.map_or_else(|| HASH_FILE.into(), |p| p.display().to_string().into()))
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(if cfg!(debug_assertions) {
            Env::DEV
        } else {
            Env::PROD
        })
        .build()
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing requests in flight");
}
