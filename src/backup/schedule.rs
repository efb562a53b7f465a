//! Automatic backups: with `backup_every_hours` set, the server makes a
//! backup into `{data}/backups/` that often and keeps the newest
//! `backup_keep`. The next one is due that long after the newest one in
//! the folder, so a server restarted more often than the interval still
//! makes them. A backup that fails is logged as an error and tried again
//! within the hour; the server goes on serving either way.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use tokio::task::JoinHandle;

use super::archive::{is_staging_name, private_dir};
use super::{Made, Sources, make};
use crate::store::Store;

/// The folder under the data folder that automatic backups go to.
pub const BACKUP_FOLDER: &str = "backups";
const NAME_FORMAT: &str = "presto-%Y%m%dT%H%M%SZ.tar";
/// The longest wait before a failed backup is tried again.
const RETRY_WITHIN: Duration = Duration::from_secs(3600);

/// How the automatic backups run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub every: Duration,
    pub keep: usize,
    pub data: PathBuf,
    /// The SQLite database file (for the room a backup needs).
    pub database: PathBuf,
    pub courses: PathBuf,
}

impl Plan {
    pub fn folder(&self) -> PathBuf {
        self.data.join(BACKUP_FOLDER)
    }
}

/// The running schedule; dropping it stops it (the server does when it
/// stops).
pub struct Schedule {
    task: JoinHandle<()>,
}

impl Drop for Schedule {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts making backups of `store`'s SQLite database on `plan`.
pub fn spawn(store: Store, plan: Plan) -> Schedule {
    Schedule {
        task: tokio::spawn(run(store, plan)),
    }
}

async fn run(store: Store, plan: Plan) {
    let folder = plan.folder();
    remove_leftovers(&folder);
    tracing::info!(
        folder = %folder.display(),
        every_hours = plan.every.as_secs() / 3600,
        keep = plan.keep,
        "automatic backups are on"
    );
    loop {
        let every = TimeDelta::from_std(plan.every).unwrap_or(TimeDelta::MAX);
        let due = newest(&folder).map_or(Utc::now(), |(at, _)| {
            at.checked_add_signed(every)
                .unwrap_or(DateTime::<Utc>::MAX_UTC)
        });
        let wait = (due - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        match back_up_now(&store, &plan).await {
            Ok(made) => tracing::info!(
                path = %made.path.display(),
                bytes = made.bytes,
                files = made.files,
                "automatic backup made"
            ),
            Err(e) => {
                let retry = plan.every.min(RETRY_WITHIN);
                tracing::error!(
                    folder = %folder.display(),
                    retry_in_minutes = retry.as_secs() / 60,
                    "automatic backup failed (the server goes on): {e:#}"
                );
                tokio::time::sleep(retry).await;
            }
        }
    }
}

/// One automatic backup, then the oldest beyond `keep` removed.
pub async fn back_up_now(store: &Store, plan: &Plan) -> anyhow::Result<Made> {
    let folder = plan.folder();
    private_dir(&folder)?;
    if let Some(free) = free_bytes(&folder) {
        let needed = room_needed(plan);
        if free < needed {
            anyhow::bail!(
                "not enough free space in {}: {} MB free, and a backup needs about {} MB \
                 while leaving {} MB for the database's own writes",
                folder.display(),
                free / MB,
                needed.saturating_sub(KEEP_FREE) / MB,
                KEEP_FREE / MB
            );
        }
    }
    let out = folder.join(Utc::now().format(NAME_FORMAT).to_string());
    let made = make(
        Sources {
            database: Some(store.db()),
            data: &plan.data,
            courses: Some(&plan.courses),
        },
        &out,
    )
    .await?;
    for removed in prune(&folder, plan.keep)? {
        tracing::info!(path = %removed.display(), "old automatic backup removed");
    }
    Ok(made)
}

const MB: u64 = 1024 * 1024;
/// Free space an automatic backup leaves for the server: the backups are
/// on the database's disk, and a full disk stops the site's writes.
const KEEP_FREE: u64 = 64 * MB;

/// What a backup takes at its largest (the database copied, then copied
/// into the file, beside the courses), plus what is kept free.
fn room_needed(plan: &Plan) -> u64 {
    let size = |path: &Path| fs::metadata(path).map_or(0, |m| m.len());
    let mut wal = plan.database.clone().into_os_string();
    wal.push("-wal");
    let database = size(&plan.database) + size(Path::new(&wal));
    2 * database + tree_size(&plan.courses) + KEEP_FREE
}

fn tree_size(folder: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(folder) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => tree_size(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// Bytes free for this user on the filesystem of `path`, where the system
/// says.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is a valid C string and `stats` a plain struct that
    // statvfs fills in; nothing is kept after the call.
    unsafe {
        let mut stats: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(path.as_ptr(), &mut stats) != 0 {
            return None;
        }
        // 32 bits wide on some 32-bit systems.
        #[allow(clippy::useless_conversion)]
        Some(u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize)))
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn free_bytes(_path: &Path) -> Option<u64> {
    None
}

/// Removes all but the newest `keep` automatic backups in `folder`; other
/// files there are left alone. Returns what it removed.
pub fn prune(folder: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut backups = automatic_backups(folder);
    backups.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let mut removed = Vec::new();
    for (_, path) in backups.into_iter().skip(keep) {
        fs::remove_file(&path)?;
        removed.push(path);
    }
    Ok(removed)
}

/// The newest automatic backup in `folder`, by the time in its name.
fn newest(folder: &Path) -> Option<(DateTime<Utc>, PathBuf)> {
    automatic_backups(folder)
        .into_iter()
        .max_by_key(|(at, _)| *at)
}

fn automatic_backups(folder: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let at = NaiveDateTime::parse_from_str(name.to_str()?, NAME_FORMAT).ok()?;
            Some((at.and_utc(), entry.path()))
        })
        .collect()
}

/// A backup interrupted by a crash leaves its staging folder behind.
fn remove_leftovers(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_str().is_some_and(is_staging_name) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_wants_room_for_two_copies_of_the_database_and_the_courses() {
        let data = tempfile::TempDir::new().unwrap();
        fs::write(data.path().join("presto.db"), vec![0u8; 3000]).unwrap();
        fs::write(data.path().join("presto.db-wal"), vec![0u8; 1000]).unwrap();
        fs::create_dir_all(data.path().join("courses/a/media")).unwrap();
        fs::write(data.path().join("courses/a/media/p.png"), vec![0u8; 500]).unwrap();
        let plan = Plan {
            every: Duration::from_secs(3600),
            keep: 1,
            data: data.path().into(),
            database: data.path().join("presto.db"),
            courses: data.path().join("courses"),
        };
        assert_eq!(room_needed(&plan), 2 * 4000 + 500 + KEEP_FREE);
        assert!(free_bytes(data.path()).is_some_and(|free| free > 0));
    }

    #[test]
    fn pruning_keeps_the_newest_and_leaves_other_files_alone() {
        let folder = tempfile::TempDir::new().unwrap();
        for name in [
            "presto-20261201T020000Z.tar",
            "presto-20261203T020000Z.tar",
            "presto-20261202T020000Z.tar",
            "presto-20261130T020000Z.tar",
            "before-the-upgrade.tar",
        ] {
            fs::write(folder.path().join(name), b"x").unwrap();
        }
        let removed = prune(folder.path(), 2).unwrap();
        assert_eq!(removed.len(), 2);
        let mut left: Vec<_> = fs::read_dir(folder.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "before-the-upgrade.tar",
                "presto-20261202T020000Z.tar",
                "presto-20261203T020000Z.tar"
            ]
        );
        assert_eq!(
            newest(folder.path()).unwrap().1,
            folder.path().join("presto-20261203T020000Z.tar")
        );
    }
}
