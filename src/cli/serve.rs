//! `presto serve`: run the platform.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_USAGE, ServerArgs};
use crate::config::{Overrides, Settings};
use crate::startup::Application;

pub fn run(addr: Option<SocketAddr>, courses: Option<PathBuf>, server: ServerArgs) -> ExitCode {
    init_tracing();
    let overrides = Overrides {
        addr,
        courses,
        database_url: server.database_url,
        data: server.data,
    };
    let settings = match Settings::load(&server.config, &overrides) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("presto serve: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    tracing::info!(?settings, "starting");
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("presto serve: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        let public_url = settings.public_url();
        let app = Application::build(settings).await?;
        tracing::info!("listening: open {public_url} in a browser");
        app.run_until_stopped().await?;
        anyhow::Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("presto serve: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr; `RUST_LOG` chooses how much (default: info).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
