//! Building the running app: settings in, a bound server out. Tests build
//! the same app on port 0.

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpServer};
use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sea_orm::DbBackend;
use tracing_actix_web::TracingLogger;

use crate::authoring::Authoring;
use crate::authoring::unzip::ZipLimits;
use crate::authoring::watch::{self, Background, WatchSettings};
use crate::backup::schedule::{self, Schedule};
use crate::catalog::{Catalog, publish_and_log};
use crate::certificate::Issuer;
use crate::config::Settings;
use crate::domain::names::Role;
use crate::mail::MailWorker;
use crate::passwords::{random_token, token_hash};
use crate::store::Store;
use crate::store::site::ADMIN_SETUP_TOKEN;
use crate::web::live_stream::LiveStreams;
use crate::web::request_log::RedactedRootSpan;
use crate::web::throttle::Throttles;
use crate::web::{self, AppState, error_pages, errors};
use actix_web::web::{Data, FormConfig, JsonConfig};

pub struct Application {
    port: u16,
    server: Server,
    /// Sends the mail queue; stops with the server.
    mail: MailWorker,
    /// Keeps the catalogue current (the courses folder, other instances);
    /// stops when the server does.
    background: Background,
    /// The live classes' event streams, ended when the server shuts down.
    live_streams: Arc<LiveStreams>,
    /// Automatic backups, when they are on; stop when the server does.
    backups: Option<Schedule>,
    /// The one-time admin set-up link, when there is no admin yet.
    pub admin_setup_url: Option<String>,
    pub store: Store,
}

/// Stops a running app from elsewhere, as a signal does.
#[derive(Clone)]
pub struct Stopper {
    server: ServerHandle,
    live_streams: Arc<LiveStreams>,
}

impl Stopper {
    /// Stops the server. Gracefully (as on SIGTERM): the live classes'
    /// event streams end at once, their clients reconnecting with their
    /// last event to another instance (or this one restarted), and the
    /// requests in hand are finished. Not gracefully (SIGINT): every
    /// connection is dropped at once.
    pub async fn stop(&self, graceful: bool) {
        if graceful {
            self.live_streams.close_all();
        }
        self.server.stop(graceful).await;
    }
}

impl Application {
    /// Prepares the data folder and database, publishes the courses and
    /// binds the address (port 0 picks a free port).
    pub async fn build(mut settings: Settings) -> anyhow::Result<Application> {
        settings.check().map_err(anyhow::Error::msg)?;
        fs::create_dir_all(&settings.data).with_context(|| {
            format!("cannot create the data folder {}", settings.data.display())
        })?;
        let store = Store::connect(&settings.database_url())
            .await
            .context("cannot open the database")?
            .with_organisation(&settings.organisation);

        // Before the courses folder is read: puts back a course an
        // interrupted write had moved, so it is published, not lost.
        let authoring = Authoring::new(
            settings.courses.clone(),
            ZipLimits::for_megabytes(settings.upload_limit_mb),
            settings.course_versions_kept,
        );
        let catalog = Arc::new(Catalog::default());
        publish_and_log(&store, &catalog, &settings.courses).await;
        let count = catalog.reload(&store).await?;
        tracing::info!(courses = count, "catalogue loaded");
        let background = watch::spawn(
            store.clone(),
            catalog.clone(),
            WatchSettings {
                courses: settings.courses.clone(),
                watch: settings.watch_courses,
                refresh_every: Duration::from_secs(settings.catalog_refresh_secs),
            },
        );
        let admin_setup_url = admin_setup_link(&store, &settings).await?;
        let backups = automatic_backups(&store, &settings);
        let key = session_key(&settings)?;

        let listener = TcpListener::bind(settings.addr)
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        let port = listener.local_addr()?.port();
        settings.addr.set_port(port);
        if let Some(url) = &admin_setup_url {
            // Printed once so the person who started the server can make the
            // first admin in the browser.
            tracing::warn!("No admin yet. Create one at {}{url}", settings.public_url());
        }

        let issuer = Issuer::open(
            &settings.public_url(),
            &settings.certificate_key,
            &settings.data,
            chrono::Utc::now(),
        )
        .context("cannot set up the certificate issuer (set public_url to the site's address)")?;
        tracing::info!(did = issuer.did(), "certificates are issued as");
        // After the port is known: links in mails use the public address.
        let mail = MailWorker::start(&settings, store.clone()).context("mail is not set up")?;

        let secure = settings.secure_cookies();
        // The browser forgets the cookie when the session's absolute
        // lifetime ends; the server refuses it from then on anyway.
        let cookie_ttl = actix_web::cookie::time::Duration::hours(
            i64::try_from(settings.session_max_hours).unwrap_or(i64::MAX / 3600),
        );
        let templates = web::templates::build().context("a template is broken")?;
        let live_streams = Arc::new(LiveStreams::default());
        let state = Data::new(AppState {
            store: store.clone(),
            catalog,
            templates,
            settings,
            throttles: Throttles::default(),
            issuer,
            authoring,
            lesson_shells: Default::default(),
            live_streams: live_streams.clone(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(ErrorHandlers::new().default_handler(error_pages::render_error_page))
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                        .cookie_name("presto".into())
                        .cookie_secure(secure)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_content_security(CookieContentSecurity::Private)
                        .session_lifecycle(
                            PersistentSession::default().session_ttl(cookie_ttl),
                        )
                        .build(),
                )
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "same-origin"))
                        .add(("X-Frame-Options", "DENY"))
                        .add((
                            "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
                        )),
                )
                .wrap(actix_web::middleware::from_fn(web::gzip::gzip_pages))
                .wrap(actix_web::middleware::from_fn(web::body_timeout::limit_body_time))
                .wrap(Compress::default())
                .wrap(TracingLogger::<RedactedRootSpan>::new())
                .app_data(state.clone())
                .app_data(FormConfig::default().limit(256 * 1024).error_handler(errors::form_error))
                .app_data(JsonConfig::default().limit(256 * 1024).error_handler(errors::json_error))
                .configure(web::routes)
        })
        // Small responses (a gzip-compressed page) must not wait for the
        // client's delayed ACK: without TCP_NODELAY each one stalls ~40 ms.
        .on_connect(|connection, _| {
            if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = stream.set_nodelay(true);
            }
        })
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            mail,
            background,
            live_streams,
            backups,
            admin_setup_url,
            store,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the task watching the courses folder has done so far.
    pub fn watch_activity(&self) -> Arc<watch::Activity> {
        self.background.activity()
    }

    /// Stops the server (and so the mail worker) from elsewhere, as a
    /// signal does: tests use it to restart an instance.
    pub fn stopper(&self) -> Stopper {
        Stopper {
            server: self.server.handle(),
            live_streams: self.live_streams.clone(),
        }
    }

    /// Serves until the server stops (Ctrl-C, a signal, a handle), then
    /// stops watching the courses folder, and the mail worker after the
    /// mail in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The server stops itself on a signal (gracefully on SIGTERM); the
        // live event streams, open for as long as a class lasts, would
        // hold a graceful stop up until its time ran out: they end first.
        let streams = self.live_streams.clone();
        let signalled = tokio::spawn(async move {
            shutdown_signal().await;
            streams.close_all();
        });
        let Application {
            server,
            mail,
            background,
            backups,
            ..
        } = self;
        let served = server.await;
        signalled.abort();
        drop(background);
        drop(backups);
        mail.stop().await;
        served
    }
}

/// The signals the server stops on: SIGINT, SIGTERM and SIGQUIT.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut quit)) =
            (signal(SignalKind::terminate()), signal(SignalKind::quit()))
        else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = quit.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Starts the automatic backups when `backup_every_hours` asks for them
/// and the database is SQLite; on PostgreSQL says why there are none.
fn automatic_backups(store: &Store, settings: &Settings) -> Option<Schedule> {
    if settings.backup_every_hours == 0 {
        return None;
    }
    let database = crate::backup::sqlite::database_file(&settings.database_url());
    let (Some(database), DbBackend::Sqlite) = (database, store.backend()) else {
        tracing::warn!(
            "backup_every_hours is set, but the database is PostgreSQL: back it up with \
             pg_dump (README, Backups); no automatic backups are made"
        );
        return None;
    };
    Some(schedule::spawn(
        store.clone(),
        schedule::Plan {
            every: Duration::from_secs(settings.backup_every_hours * 3600),
            keep: settings.backup_keep,
            data: settings.data.clone(),
            database,
            courses: settings.courses.clone(),
        },
    ))
}

/// When there is no admin, a fresh one-time set-up path (the old one stops
/// working); None once an admin exists.
async fn admin_setup_link(store: &Store, _settings: &Settings) -> anyhow::Result<Option<String>> {
    if store.count_role(Role::Admin).await? > 0 {
        store.delete_setting(ADMIN_SETUP_TOKEN).await?;
        return Ok(None);
    }
    let token = random_token();
    store
        .set_setting(ADMIN_SETUP_TOKEN, &token_hash(&token))
        .await?;
    Ok(Some(format!("/setup/{token}")))
}

/// The cookie key: from settings, else `{data}/session.key`, made once with
/// owner-only permissions.
fn session_key(settings: &Settings) -> anyhow::Result<Key> {
    let bytes = if settings.session_key.is_empty() {
        let path = settings.data.join("session.key");
        match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Key::generate();
                write_private(&path, key.master())?;
                key.master().to_vec()
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    } else {
        STANDARD
            .decode(settings.session_key.trim())
            .context("session_key must be base64")?
    };
    if bytes.len() < 64 {
        bail!(
            "the session key must be at least 64 bytes (it is {})",
            bytes.len()
        );
    }
    Ok(Key::from(&bytes))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}
