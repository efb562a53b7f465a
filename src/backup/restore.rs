//! Putting a backup in place. Nothing is ever lost on the way: the backup
//! is read and checked in a folder of its own first, and whatever it
//! replaces is moved aside (`{data}/before-restore-<time>/`,
//! `{courses}.before-restore-<time>`), never deleted. Without `force` a
//! restore replaces nothing at all.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::archive::{private_dir, unpack};
use super::lock::{DataFolderLock, LockError, Use};
use super::{BackupError, DATABASE, KEY_FOLDER, Manifest, OUTBOX, SESSION_KEY, sqlite};

/// Where a backup goes.
#[derive(Debug, Clone)]
pub struct RestoreTarget {
    pub data: PathBuf,
    /// The SQLite database file the settings name; None on PostgreSQL.
    pub database: Option<PathBuf>,
    pub courses: PathBuf,
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// What was there before and has been moved aside, and where to.
    pub moved_aside: Vec<(PathBuf, PathBuf)>,
}

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(
        "this backup holds a SQLite database, but the settings use PostgreSQL; \
         restore the database with pg_restore, or point database_url at SQLite"
    )]
    NotSqlite,
    #[error("the database in the backup is damaged: {0}")]
    Damaged(String),
    #[error(
        "the restore would replace what is there now: {}. Run it again with --force to \
         move those aside (nothing is deleted)",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    WouldReplace(Vec<PathBuf>),
}

/// Puts the backup at `backup` in place. Refuses while a server uses the
/// data folder (the lock is held until the restore is done).
pub async fn restore(
    backup: &Path,
    target: &RestoreTarget,
    force: bool,
) -> Result<Restored, RestoreError> {
    let _lock = DataFolderLock::take(&target.data, Use::Alone)?;
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let staging = Unpacked::new(target.data.join(format!(".restore-{stamp}")))?;
    let manifest = {
        let (file, into) = (backup.to_path_buf(), staging.path.clone());
        tokio::task::spawn_blocking(move || unpack(&file, &into))
            .await
            .map_err(|e| BackupError::Io(backup.to_path_buf(), io::Error::other(e)))??
    };
    let from = staging.path.join("data");
    let staged_database = from.join(DATABASE);
    if manifest.database {
        if !staged_database.is_file() {
            return Err(BackupError::NotABackup(
                backup.to_path_buf(),
                "its manifest promises a database it does not hold".into(),
            )
            .into());
        }
        if target.database.is_none() {
            return Err(RestoreError::NotSqlite);
        }
        if let Some(problems) = sqlite::problems_in(&staged_database).await? {
            return Err(RestoreError::Damaged(problems));
        }
    }

    // What goes where: (staged, destination).
    let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
    // A database's write-ahead log belongs to it: left beside another
    // database it would be applied to it, and ruin it.
    let mut companions: Vec<PathBuf> = Vec::new();
    if let (true, Some(database)) = (manifest.database, &target.database) {
        moves.push((staged_database, database.clone()));
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut path = database.clone().into_os_string();
            path.push(suffix);
            let path = PathBuf::from(path);
            if exists(&path) {
                companions.push(path);
            }
        }
    }
    for name in [SESSION_KEY, KEY_FOLDER, OUTBOX] {
        let staged = from.join(name);
        if exists(&staged) {
            moves.push((staged, target.data.join(name)));
        }
    }
    let staged_courses = staging.path.join("courses");
    // An empty courses folder (made for the restore) is simply replaced.
    let empty_courses = is_empty_dir(&target.courses);
    let restores_courses = manifest.courses && staged_courses.is_dir();
    if restores_courses {
        moves.push((staged_courses, target.courses.clone()));
    }
    let mut replaced: Vec<PathBuf> = moves
        .iter()
        .map(|(_, destination)| destination.clone())
        .filter(|destination| exists(destination))
        .filter(|destination| !(empty_courses && *destination == target.courses))
        .collect();
    replaced.extend(companions);
    if !replaced.is_empty() && !force {
        return Err(RestoreError::WouldReplace(replaced));
    }

    let aside_folder = target.data.join(format!("before-restore-{stamp}"));
    let mut moved_aside = Vec::new();
    for path in &replaced {
        let aside = if path.starts_with(&target.data) {
            private_dir(&aside_folder).map_err(io_at(&aside_folder))?;
            aside_folder.join(path.file_name().unwrap_or_default())
        } else {
            let mut aside = path.clone().into_os_string();
            aside.push(format!(".before-restore-{stamp}"));
            PathBuf::from(aside)
        };
        move_path(path, &aside)?;
        moved_aside.push((path.clone(), aside));
    }
    if empty_courses && restores_courses {
        fs::remove_dir(&target.courses).map_err(io_at(&target.courses))?;
    }
    for (staged, destination) in &moves {
        if let Some(parent) = destination.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        move_path(staged, destination)?;
    }
    keep_private(&target.data)?;
    if let (true, Some(database)) = (manifest.database, &target.database) {
        set_mode(database, 0o600)?;
    }
    Ok(Restored {
        manifest,
        moved_aside,
    })
}

/// The folder a backup is read into, removed when done (or failed).
struct Unpacked {
    path: PathBuf,
}

impl Unpacked {
    fn new(path: PathBuf) -> Result<Unpacked, BackupError> {
        private_dir(&path).map_err(|e| BackupError::Io(path.clone(), e))?;
        Ok(Unpacked { path })
    }
}

impl Drop for Unpacked {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |e| BackupError::Io(path.to_path_buf(), e)
}

/// Renames, or copies and then removes where a rename cannot cross
/// filesystems (a courses folder on another disk).
fn move_path(from: &Path, to: &Path) -> Result<(), BackupError> {
    match fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
            copy_tree(from, to).map_err(io_at(to))?;
            let removed = if from.is_dir() {
                fs::remove_dir_all(from)
            } else {
                fs::remove_file(from)
            };
            removed.map_err(io_at(from))
        }
        Err(e) => Err(BackupError::Io(from.to_path_buf(), e)),
    }
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ())
    }
}

/// The keys and the outbox as the server makes them: readable by its
/// user only.
fn keep_private(data: &Path) -> Result<(), BackupError> {
    set_mode(&data.join(SESSION_KEY), 0o600)?;
    for folder in [KEY_FOLDER, OUTBOX] {
        let folder = data.join(folder);
        if !folder.is_dir() {
            continue;
        }
        set_mode(&folder, 0o700)?;
        for entry in fs::read_dir(&folder).map_err(io_at(&folder))? {
            let entry = entry.map_err(io_at(&folder))?;
            if entry.path().is_file() {
                set_mode(&entry.path(), 0o600)?;
            }
        }
    }
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<(), BackupError> {
    if !path.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io_at(path))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(())
}
