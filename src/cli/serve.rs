//! `presto serve`: run the platform.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_USAGE, ServerArgs};
use crate::backup::{self, DataFolderLock, Use};
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
    // Held until the process ends: one server per SQLite database, and no
    // restore while any server uses the data folder.
    let sqlite = backup::sqlite::database_file(&settings.database_url()).is_some();
    let _lock = match DataFolderLock::take(
        &settings.data,
        if sqlite { Use::Alone } else { Use::Shared },
    ) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("presto serve: {e}");
            return ExitCode::FAILURE;
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
        tokio::spawn(give_back_freed_memory());
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

/// Every so often, hands memory freed in the middle of the heaps back to
/// the system. glibc gives back only what is free at the top of a heap, so
/// after a burst (a hundred classes going live at once: 3,000 streams
/// opened in a second, each request's working memory freed between the
/// long-lived connections) the peak stayed resident for the rest of the
/// class: 200 MB where 100 MB were in use (BENCHMARKS.md, live classes).
#[cfg(all(target_os = "linux", target_env = "gnu", not(feature = "jemalloc")))]
async fn give_back_freed_memory() {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(10));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        // SAFETY: malloc_trim only returns free pages to the system; it
        // is safe to call from any thread at any time.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(feature = "jemalloc"))))]
async fn give_back_freed_memory() {}
