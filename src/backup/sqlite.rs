//! The database part of a backup: SQLite's `VACUUM INTO`, which writes a
//! consistent copy of the database as of the moment it starts, while other
//! connections go on reading and writing (WAL mode: a reader never blocks
//! a writer). Every write committed before it began is in the copy.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

use super::BackupError;

/// The file of a `sqlite:` URL (`sqlite://data/presto.db?mode=rwc`,
/// `sqlite:presto.db`); None for another database or an in-memory one.
pub fn database_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// Opens an existing database file for copying: never creates it, never
/// migrates it (a backup copies what is there, whatever its version).
pub async fn open_existing(file: &Path) -> Result<DatabaseConnection, BackupError> {
    if !file.is_file() {
        return Err(BackupError::NoDatabase(file.to_path_buf()));
    }
    let mut options = ConnectOptions::new(format!("sqlite://{}?mode=rw", file.display()));
    options
        .sqlx_logging(false)
        .max_connections(1)
        .map_sqlx_sqlite_opts(|opts| opts.busy_timeout(Duration::from_secs(10)));
    Ok(Database::connect(options).await?)
}

/// Writes a consistent copy of the database `db` to `to`, which must not
/// exist yet.
pub async fn copy_into(db: &DatabaseConnection, to: &Path) -> Result<(), BackupError> {
    let target = to.to_str().ok_or_else(|| {
        BackupError::Io(
            to.to_path_buf(),
            std::io::Error::other("the path is not valid UTF-8"),
        )
    })?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await?;
    Ok(())
}

/// `PRAGMA integrity_check` on a database file: None when it is sound,
/// else what SQLite found.
pub async fn problems_in(file: &Path) -> Result<Option<String>, BackupError> {
    let mut options = ConnectOptions::new(format!("sqlite://{}?mode=ro", file.display()));
    options.sqlx_logging(false).max_connections(1);
    let db = Database::connect(options).await?;
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?;
    let verdict = match row {
        Some(row) => row.try_get_by_index::<String>(0)?,
        None => "no answer".to_string(),
    };
    db.close().await?;
    Ok((verdict != "ok").then_some(verdict))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_comes_from_any_sqlite_url() {
        assert_eq!(
            database_file("sqlite://data/presto.db?mode=rwc"),
            Some(PathBuf::from("data/presto.db"))
        );
        assert_eq!(
            database_file("sqlite:///srv/presto/presto.db"),
            Some(PathBuf::from("/srv/presto/presto.db"))
        );
        assert_eq!(
            database_file("sqlite:presto.db"),
            Some(PathBuf::from("presto.db"))
        );
        assert_eq!(database_file("sqlite::memory:"), None);
        assert_eq!(database_file("postgres://presto@db/presto"), None);
    }
}
