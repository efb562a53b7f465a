//! Backups of a Presto site and putting one back.
//!
//! A backup is one `.tar` file, readable with any `tar` tool:
//!
//! ```text
//! presto-backup.toml            what it is: format, Presto version, when, what it holds
//! data/presto.db                a consistent copy of the SQLite database (VACUUM INTO)
//! data/session.key              the session cookie key, when it is kept in the data folder
//! data/certificate-keys/*.json  every certificate signing key, old and current
//! data/outbox/*.eml             mail written to the outbox folder (no mail_url set)
//! courses/...                   the courses folder: uploads, browser edits, media, versions
//! ```
//!
//! One file rather than a folder: it is copied, moved and stored as one
//! thing, it can be written aside and put in place in one step (so a
//! half-written backup never has the final name), and a restore reads it
//! without trusting its layout (only the entries above are accepted).
//! Not compressed: the database copy is the bulk, the pictures and audio in
//! `media/` are compressed already, and `gzip` works on the file as it is.
//!
//! Without the keys a restored site cannot be signed in to with old
//! cookies, and its certificates no longer verify: every one was signed
//! with a key from `certificate-keys/`. Queued mail lives in the database
//! (`mail_queue`), so it is in the copy.

mod archive;
pub mod lock;
pub mod restore;
pub mod schedule;
pub mod sqlite;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};

pub use archive::Made;
pub use lock::{DataFolderLock, LockError, Use};
pub use restore::{RestoreTarget, Restored, restore};

/// The manifest's name inside a backup.
pub const MANIFEST: &str = "presto-backup.toml";
/// The data folder's entries a backup holds, by name.
pub const DATABASE: &str = "presto.db";
pub const SESSION_KEY: &str = "session.key";
pub const OUTBOX: &str = "outbox";
pub use crate::certificate::keyring::KEY_FOLDER;

/// The only format this Presto reads and writes.
const FORMAT: u32 = 1;

/// What a backup holds, written first in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The Presto that made it.
    pub presto_version: String,
    pub made_at: DateTime<Utc>,
    /// False for a backup of the keys only (PostgreSQL: the database is
    /// backed up with `pg_dump`).
    pub database: bool,
    pub courses: bool,
}

/// What to back up.
pub struct Sources<'a> {
    /// The database to copy; None for the keys and files only.
    pub database: Option<&'a DatabaseConnection>,
    pub data: &'a Path,
    /// The courses folder; None to leave it out.
    pub courses: Option<&'a Path>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; a backup never replaces a file, so choose another name")]
    Exists(PathBuf),
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, #[source] std::io::Error),
    #[error("the database could not be copied: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("{0} is not a Presto backup: {1}")]
    NotABackup(PathBuf, String),
}

/// Makes a backup at `out`, which must not exist.
pub async fn make(sources: Sources<'_>, out: &Path) -> Result<Made, BackupError> {
    archive::make(sources, out).await
}
