//! Media files already read, kept while they stay as they were, so that
//! reading a course folder again (the watcher after a module is saved,
//! an upload read back) does not read and hash every picture and sound file
//! again: a 190 MB recording was reread on every change.
//!
//! A file counts as unchanged while its size, modification and change
//! times and inode are the same. A file changed within the last few seconds
//! is not kept, the way git treats "racily clean" files: a second write in
//! the same timestamp tick could leave all of those the same.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, SystemTime};

use super::MediaFile;

/// Files changed more recently than this are read every time.
const SETTLED: Duration = Duration::from_secs(3);
/// A bound on the memory kept (a few hundred bytes a file): past it the
/// cache starts again, which costs one more read of each file.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    size: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            size: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        }
    }

    /// Whether the file has been left alone long enough to trust the stamp.
    fn settled(&self, meta: &std::fs::Metadata) -> bool {
        let recent = |time: Option<SystemTime>| {
            time.is_none_or(|t| t.elapsed().map_or(true, |age| age < SETTLED))
        };
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            let (secs, nanos) = (meta.ctime(), meta.ctime_nsec());
            u64::try_from(secs).ok().and_then(|secs| {
                SystemTime::UNIX_EPOCH
                    .checked_add(Duration::new(secs, nanos.clamp(0, 999_999_999) as u32))
            })
        };
        #[cfg(not(unix))]
        let changed = {
            let _ = meta;
            self.modified
        };
        !recent(self.modified) && !recent(changed)
    }
}

/// By real path and name in the course: a link `media/x.html` to
/// `media/a.png` is the same bytes, judged by another name.
type Seen = HashMap<(PathBuf, String), (Stamp, MediaFile)>;

static SEEN: LazyLock<Mutex<Seen>> = LazyLock::new(Default::default);

fn seen() -> std::sync::MutexGuard<'static, Seen> {
    match SEEN.lock() {
        Ok(seen) => seen,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The media file at `path` (its real path), named `name` in the course;
/// None when it cannot be read.
pub fn read(name: &str, path: &Path) -> Option<MediaFile> {
    let meta = std::fs::metadata(path).ok()?;
    let stamp = Stamp::of(&meta);
    let key = (path.to_path_buf(), name.to_string());
    if let Some((kept, file)) = seen().get(&key)
        && *kept == stamp
    {
        return Some(file.clone());
    }
    let file = MediaFile::read(name, path).ok()?;
    // Stamped before reading: a write during the read changes the stamp,
    // so the next read does not trust what was kept.
    if stamp.settled(&meta) && file.size == stamp.size {
        let mut seen = seen();
        if seen.len() >= MAX_ENTRIES {
            seen.clear();
        }
        seen.insert(key, (stamp, file.clone()));
    }
    Some(file)
}
