//! Building and running the application; the binary and the tests start it the same way.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use oikos::{Config, Services};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::metrics::Metrics;
use crate::routes;
use crate::state::AppState;

/// How long requests in flight may take to finish once shutdown is requested.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

pub struct Application {
    listener: TcpListener,
    router: Router,
    services: Services,
}

impl Application {
    /// Starts the core services (database, migrations, checks) and binds the listener.
    /// `LEPTOS_SITE_ADDR` with port 0 picks a free port (see [`Application::local_addr`]).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("listening on {}", config.site_addr))?;
        let leptos_options = leptos_options(&config, listener.local_addr()?);
        let services = Services::start(config).await?;
        let state = AppState {
            leptos_options,
            services: services.clone(),
            metrics: Arc::new(Metrics::new()),
        };
        Ok(Application {
            listener,
            router: routes::router(state),
            services,
        })
    }

    /// The core services this application serves with.
    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then stops accepting connections, lets requests in
    /// flight finish (for at most [`SHUTDOWN_GRACE`]), and closes the database.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.local_addr()?;
        tracing::info!(%addr, backend = ?self.services.db.backend(), "oikos is serving");
        let stopping = Arc::new(Notify::new());
        let signal = {
            let stopping = stopping.clone();
            async move {
                shutdown.await;
                stopping.notify_one();
            }
        };
        let serve = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(signal)
            .into_future();
        // A stalled client must not keep the process alive forever.
        let grace = async {
            stopping.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        tokio::select! {
            served = serve => served?,
            () = grace => tracing::warn!("requests still in flight after the grace period: stopping"),
        }
        self.services.db.close().await;
        tracing::info!("oikos stopped");
        Ok(())
    }
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("oikos")
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
