//! The database layer: sea-orm entities and every query, one file per
//! aggregate. Nothing outside `store` builds a query. The same code runs on
//! SQLite (the embedded default) and PostgreSQL.

pub mod certificates;
pub mod class_progress;
pub mod classes;
pub mod course_authors;
pub mod courses;
pub mod erasure;
pub mod invitations;
pub mod live;
pub mod mail;
pub mod outage;
pub mod outcomes;
pub mod password_resets;
pub mod progress;
pub mod report_rollup;
pub mod reports;
pub mod sessions;
pub mod site;
pub(crate) mod sql;
pub mod users;

use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use tokio::sync::{Mutex, MutexGuard};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The connection pool, plus a writer lock for SQLite.
///
/// SQLite allows one writer at a time; two transactions that both read and
/// then write can fail with "database is locked" however long the busy
/// timeout. Taking this lock around each write transaction queues writers in
/// the process instead, which is also faster than retrying. PostgreSQL has
/// no such lock.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    sqlite_writer: Option<Arc<Mutex<()>>>,
    /// The issuing organisation written on certificates issued from now on.
    organisation: Arc<str>,
    /// Wakes this instance's mail worker when a mail is queued.
    mail_waker: Arc<tokio::sync::Notify>,
    /// When this instance last deleted every ended session (Unix seconds).
    sessions_pruned_at: Arc<AtomicI64>,
    /// Hands live classes' events to this instance's event streams.
    live_bus: Arc<crate::live::Bus>,
}

/// The organisation on certificates unless the settings name another.
pub const DEFAULT_ORGANISATION: &str = "Presto";

impl Store {
    /// Connects (creating the SQLite file if needed) and applies every
    /// migration.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10));
        let is_sqlite = url.starts_with("sqlite:");
        if is_sqlite {
            // sqlx pings a pooled connection before handing it out. An
            // SQLite connection is a thread in this process that cannot be
            // dropped by a server or a firewall, so the ping only costs a
            // round trip to that thread on every query (a fifth of the
            // lesson page's CPU went to such thread wake-ups; BENCHMARKS.md).
            options
                .test_before_acquire(false)
                .max_connections(8)
                .map_sqlx_sqlite_opts(|opts| {
                    opts.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                })
                .map_sqlx_sqlite_pool_opts(|pool| {
                    pool.after_release(|conn, _| Box::pin(release_only_if_settled(conn)))
                });
        } else {
            // A PostgreSQL connection can be dropped by the server or a
            // proxy while idle; one in steady use cannot go unnoticed for
            // long, so only connections idle for a while are pinged first.
            //
            // While PostgreSQL is down a request waits at most 5 s for a
            // connection, then answers 503 (`outage`), rather than holding
            // the learner for the default 10 s.
            options
                .test_before_acquire_if_idle_for(Duration::from_secs(30))
                .acquire_timeout(Duration::from_secs(5))
                .max_connections(16)
                .map_sqlx_postgres_pool_opts(|pool| {
                    pool.after_release(|conn, _| Box::pin(release_only_if_settled(conn)))
                });
        }
        let db = Database::connect(options).await?;
        Migrator::up(&db, None).await?;
        let live_bus = match db.get_database_backend() {
            DbBackend::Postgres => {
                crate::live::Bus::postgres(db.get_postgres_connection_pool().clone())
            }
            _ => crate::live::Bus::in_memory(),
        };
        Ok(Store {
            live_bus: Arc::new(live_bus),
            db,
            sqlite_writer: is_sqlite.then(|| Arc::new(Mutex::new(()))),
            organisation: Arc::from(DEFAULT_ORGANISATION),
            mail_waker: Arc::default(),
            sessions_pruned_at: Arc::default(),
        })
    }

    /// Names the organisation on certificates issued from now on.
    pub fn with_organisation(mut self, organisation: &str) -> Store {
        self.organisation = Arc::from(organisation);
        self
    }

    pub fn organisation(&self) -> &str {
        &self.organisation
    }

    /// Where this instance's live event streams get their events.
    pub fn live_bus(&self) -> &Arc<crate::live::Bus> {
        &self.live_bus
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Held for the length of a write transaction on SQLite; a no-op on
    /// PostgreSQL.
    pub(crate) async fn write_lock(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.sqlite_writer {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }

    /// True when the database answers a trivial query.
    pub async fn is_reachable(&self) -> bool {
        self.db.execute_unprepared("SELECT 1").await.is_ok()
    }
}

/// Whether a connection handed back to the pool may be handed out again:
/// only when it is outside any transaction.
///
/// A transaction that fails to commit (SQLite on a full disk) is rolled
/// back when it is dropped, but that rollback can fail too, for instance
/// when SQLite already ended the transaction itself. The driver then still
/// counts the connection as inside a transaction, and the next request on
/// it would open only a savepoint, and its "commit" would release the
/// savepoint inside a transaction that never commits: a write answered
/// "saved" that is never stored, while the open transaction holds the
/// write lock ("database is locked") for every other connection. Such a
/// connection is closed instead (closing rolls back whatever is open), and
/// the pool opens a fresh one.
async fn release_only_if_settled<C: sea_orm::sqlx::Connection>(
    conn: &mut C,
) -> Result<bool, sea_orm::sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // The rollback of a dropped transaction is queued, not yet done: wait
    // for the connection to get through it, then look again.
    conn.ping().await?;
    let settled = !conn.is_in_transaction();
    if !settled {
        tracing::warn!("closed a database connection left inside a failed transaction");
    }
    Ok(settled)
}

/// The current time, rounded to microseconds so a value read back from
/// either database equals the one written.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}
