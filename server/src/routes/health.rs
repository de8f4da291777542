use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use oikos::db::Backend;
use oikos::AppContext;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    database: DatabaseHealth,
    version: &'static str,
    multi_tenant_enabled: bool,
}

#[derive(Serialize)]
struct DatabaseHealth {
    status: &'static str,
    backend: &'static str,
    /// How tenant isolation is enforced: `application` (SQLite), `login_role` or
    /// `role_switch` (PostgreSQL production and first-time modes).
    isolation: &'static str,
}

/// 200 when the database answers, 503 otherwise, with the same body shape either way.
pub async fn health(State(ctx): State<AppContext>) -> (StatusCode, Json<Health>) {
    let reachable = match ctx.db.ping().await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(
                error = format!("{err:#}"),
                "health check: database unreachable"
            );
            false
        }
    };
    let backend = match ctx.db.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let (code, status, database) = match reachable {
        true => (StatusCode::OK, "ok", "ok"),
        false => (StatusCode::SERVICE_UNAVAILABLE, "degraded", "unreachable"),
    };
    let health = Health {
        status,
        database: DatabaseHealth {
            status: database,
            backend,
            isolation: ctx.db.isolation().as_str(),
        },
        version: oikos::VERSION,
        multi_tenant_enabled: true,
    };
    (code, Json(health))
}
