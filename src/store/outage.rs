//! Telling a database that is out of reach, or out of room, from a bug.
//!
//! A request that fails because PostgreSQL is restarting, the pool has no
//! connection to give, or the disk is full is not our mistake and will
//! work again in a moment: it answers 503 with "try again", not 500. Every
//! other database error stays an internal error.

use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};

use super::StoreError;

/// Why the database cannot take a request just now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// The disk (or the database's quota) is full: reads still work,
    /// writes fail until space is freed.
    DiskFull,
    /// The database cannot be reached, is starting or stopping, or every
    /// connection is busy for longer than a request may wait.
    Unreachable,
}

impl Outage {
    /// The words for the log: what an operator should look at.
    pub fn describe(self) -> &'static str {
        match self {
            Outage::DiskFull => "the disk is full: free some space where the database is",
            Outage::Unreachable => "the database cannot be reached just now",
        }
    }
}

/// The outage behind an error, if it is one. Walks the whole cause chain,
/// so a store error wrapped by a service or `anyhow` is found too.
pub fn outage_of(error: &(dyn std::error::Error + 'static)) -> Option<Outage> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(store) = error.downcast_ref::<StoreError>() {
            return match store {
                StoreError::Db(db) => outage_of_db(db),
                StoreError::Corrupt(_) => None,
            };
        }
        if let Some(db) = error.downcast_ref::<DbErr>() {
            return outage_of_db(db);
        }
        if let Some(sqlx) = error.downcast_ref::<sea_orm::sqlx::Error>() {
            return outage_of_sqlx(sqlx);
        }
        next = error.source();
    }
    None
}

fn outage_of_db(error: &DbErr) -> Option<Outage> {
    match error {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout | ConnAcquireErr::ConnectionClosed) => {
            Some(Outage::Unreachable)
        }
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => match runtime {
            RuntimeErr::SqlxError(sqlx) => outage_of_sqlx(sqlx),
            RuntimeErr::Internal(text) => outage_of_words(text),
            #[allow(unreachable_patterns)]
            _ => None,
        },
        _ => None,
    }
}

fn outage_of_sqlx(error: &sea_orm::sqlx::Error) -> Option<Outage> {
    use sea_orm::sqlx::Error;
    match error {
        Error::Io(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => {
            Some(Outage::Unreachable)
        }
        Error::Tls(_) => Some(Outage::Unreachable),
        Error::Database(db) => match db.code().as_deref() {
            // SQLite: SQLITE_FULL (13, with its extended codes in the low
            // byte) and SQLITE_IOERR_WRITE-style failures to grow a file.
            Some(code) if sqlite_primary_code(code) == Some(13) => Some(Outage::DiskFull),
            // SQLite: still busy or locked after the busy timeout.
            Some(code) if matches!(sqlite_primary_code(code), Some(5 | 6)) => {
                Some(Outage::Unreachable)
            }
            // PostgreSQL: disk full (53100), out of memory (53200), too
            // many connections (53300).
            Some("53100") => Some(Outage::DiskFull),
            Some("53200" | "53300") => Some(Outage::Unreachable),
            // PostgreSQL: shutting down or starting (57P01..57P03), and
            // connection exceptions (class 08).
            Some(code) if code.starts_with("57P") || code.starts_with("08") => {
                Some(Outage::Unreachable)
            }
            _ => outage_of_words(db.message()),
        },
        _ => None,
    }
}

/// SQLite reports its result code as a number; the primary code is the
/// low byte of an extended code. PostgreSQL's codes are always five
/// characters (SQLSTATE), SQLite's at most four digits, so the two are
/// never mistaken for each other.
fn sqlite_primary_code(code: &str) -> Option<i64> {
    if code.len() > 4 {
        return None;
    }
    code.parse::<i64>().ok().map(|code| code & 0xff)
}

/// The last resort, for errors that only carry words.
fn outage_of_words(text: &str) -> Option<Outage> {
    let text = text.to_ascii_lowercase();
    if text.contains("database or disk is full") || text.contains("no space left on device") {
        Some(Outage::DiskFull)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_that_cannot_connect_is_an_outage() {
        let error = StoreError::Db(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout));
        assert_eq!(outage_of(&error), Some(Outage::Unreachable));
        let wrapped = anyhow::Error::new(error).context("reading a lesson");
        assert_eq!(
            outage_of(wrapped.as_ref()),
            Some(Outage::Unreachable),
            "found through the cause chain"
        );
    }

    #[test]
    fn a_full_disk_is_told_from_the_words_when_there_is_no_code() {
        let error = DbErr::Exec(RuntimeErr::Internal("database or disk is full".to_string()));
        assert_eq!(outage_of(&error), Some(Outage::DiskFull));
    }

    #[test]
    fn a_bug_is_not_an_outage() {
        let error = StoreError::Db(DbErr::RecordNotFound("lesson".into()));
        assert_eq!(outage_of(&error), None);
        assert_eq!(outage_of(&StoreError::Corrupt("bad json".into())), None);
    }

    #[test]
    fn sqlite_extended_codes_keep_their_primary_code() {
        assert_eq!(sqlite_primary_code("13"), Some(13));
        // SQLITE_BUSY_SNAPSHOT is 517 = 5 | (2 << 8).
        assert_eq!(sqlite_primary_code("517"), Some(5));
        assert_eq!(sqlite_primary_code("23505"), None, "a PostgreSQL code");
    }
}
