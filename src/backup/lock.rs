//! Who is using a data folder: `{data}/presto.lock`, an advisory lock the
//! operating system drops when the process ends, however it ends (a crash,
//! `kill -9`), so a stale lock never needs cleaning up.
//!
//! - `presto serve` on SQLite holds it exclusively: one server per SQLite
//!   database (a second one refuses to start).
//! - `presto serve` on PostgreSQL holds it shared: several instances may
//!   share a data folder (the keys), as they share the database.
//! - `presto restore` holds it exclusively, so it refuses while any server
//!   uses the folder, and a server refuses to start during a restore.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// The lock file's name in the data folder.
pub const LOCK_FILE: &str = "presto.lock";

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another Presto is using the data folder {0} (a running server or a restore); \
         stop it first"
    )]
    InUse(PathBuf),
    #[error("cannot lock the data folder ({0}): {1}")]
    Io(PathBuf, #[source] std::io::Error),
}

/// Held while the data folder is in use; dropping it lets go.
#[derive(Debug)]
pub struct DataFolderLock {
    _file: File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Only this process may use the folder.
    Alone,
    /// Others holding it `Shared` may use it too.
    Shared,
}

impl DataFolderLock {
    /// Takes the lock without waiting; creates the folder and the file if
    /// needed.
    pub fn take(data: &Path, how: Use) -> Result<DataFolderLock, LockError> {
        std::fs::create_dir_all(data).map_err(|e| LockError::Io(data.to_path_buf(), e))?;
        let path = data.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| LockError::Io(path.clone(), e))?;
        let taken = match how {
            Use::Alone => file.try_lock(),
            Use::Shared => file.try_lock_shared(),
        };
        match taken {
            Ok(()) => Ok(DataFolderLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::InUse(data.to_path_buf())),
            Err(TryLockError::Error(e)) => Err(LockError::Io(path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_alone_or_many_shared_never_both() {
        let data = tempfile::TempDir::new().unwrap();
        let alone = DataFolderLock::take(data.path(), Use::Alone).unwrap();
        for how in [Use::Alone, Use::Shared] {
            assert!(matches!(
                DataFolderLock::take(data.path(), how),
                Err(LockError::InUse(_))
            ));
        }
        drop(alone);
        let first = DataFolderLock::take(data.path(), Use::Shared).unwrap();
        let second = DataFolderLock::take(data.path(), Use::Shared).unwrap();
        let refused = DataFolderLock::take(data.path(), Use::Alone).unwrap_err();
        assert!(refused.to_string().contains("stop it first"), "{refused}");
        drop((first, second));
        DataFolderLock::take(data.path(), Use::Alone).expect("free again");
    }
}
