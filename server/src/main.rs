use std::process::ExitCode;

use oikos::Config;
use oikos_server::{startup::shutdown_signal, telemetry, Application};

/// mimalloc rather than the system allocator: memory freed after a burst (a sign-in flood's
/// 19 MiB hashing blocks, large pages) goes back to the system, and small allocations, which
/// every request makes, are cheaper (see README, "The request path").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // A `.env` beside the working directory configures the binary as it does `./run`; the
    // process environment wins over it.
    if let Err(err) = dotenvy::dotenv() {
        if !err.not_found() {
            eprintln!("oikos: .env could not be read: {err}");
            return ExitCode::FAILURE;
        }
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("oikos: invalid configuration: {err}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.log_format);
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "oikos could not start");
            return ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "oikos stopped with an error");
            ExitCode::FAILURE
        }
    }
}
