//! Keeping a running server's catalogue current without a restart:
//!
//! - the courses folder is watched; once changes settle, it is compiled and
//!   published like at start-up (courses with errors are left out, their
//!   problems logged) and the catalogue reloaded;
//! - now and then the database is asked for the course versions, and the
//!   catalogue reloaded when another instance has published.
//!
//! Nothing here may stop the server: a folder that disappears, a broken
//! file or a burst of saves are logged and waited out. The task ends when
//! its [`Background`] handle is dropped, which the server does when it stops.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior, timeout};

use crate::catalog::{self, Catalog};
use crate::store::Store;

/// Events for one path closer together than this are one event.
const DEBOUNCE: Duration = Duration::from_millis(300);
/// A save touches several files (an editor's temporary file, a zip
/// unpacked by hand): wait until nothing has changed for this long...
const SETTLE: Duration = Duration::from_millis(500);
/// ...but publish at least this often while changes keep coming.
const SETTLE_AT_MOST: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct WatchSettings {
    pub courses: PathBuf,
    /// Watch the courses folder (off for read-only deployments).
    pub watch: bool,
    /// How often to look for versions another instance published, and to
    /// check that the folder being watched is still the one there.
    pub refresh_every: Duration,
}

/// The running task; dropping it stops the watching.
pub struct Background(JoinHandle<()>);

impl Drop for Background {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts keeping `catalog` current.
pub fn spawn(store: Store, catalog: Arc<Catalog>, settings: WatchSettings) -> Background {
    Background(tokio::spawn(run(store, catalog, settings)))
}

async fn run(store: Store, catalog: Arc<Catalog>, settings: WatchSettings) {
    let (changed, mut changes) = mpsc::channel::<()>(1);
    let mut watching = Watching::default();
    if settings.watch {
        watching.start(&settings.courses, &changed);
    }
    let mut tick = tokio::time::interval(settings.refresh_every.max(Duration::from_secs(1)));
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tokio::select! {
            Some(()) = changes.recv() => {
                settle(&mut changes).await;
                republish(&store, &catalog, &settings.courses).await;
            }
            _ = tick.tick() => {
                if settings.watch && watching.check(&settings.courses, &changed) {
                    // The folder came back or was replaced: what it holds
                    // now was never seen.
                    republish(&store, &catalog, &settings.courses).await;
                }
                match catalog.refresh_if_stale(&store).await {
                    Ok(true) => tracing::info!("catalogue reloaded: another instance published"),
                    Ok(false) => {}
                    Err(e) => tracing::warn!("cannot look for newer courses: {e}"),
                }
            }
        }
    }
}

/// Waits until no change has come for [`SETTLE`] (or [`SETTLE_AT_MOST`]).
async fn settle(changes: &mut mpsc::Receiver<()>) {
    let started = Instant::now();
    while started.elapsed() < SETTLE_AT_MOST {
        match timeout(SETTLE, changes.recv()).await {
            Ok(Some(())) => continue,
            _ => return,
        }
    }
}

async fn republish(store: &Store, catalog: &Catalog, courses: &Path) {
    tracing::info!(folder = %courses.display(), "the courses folder changed: publishing");
    catalog::publish_and_log(store, courses).await;
    if let Err(e) = catalog.reload(store).await {
        tracing::warn!("cannot reload the catalogue: {e}");
    }
}

/// The folder being watched, and which folder it was (a folder deleted and
/// made again is another folder, with no watch on it).
#[derive(Default)]
struct Watching {
    watcher: Option<(Debouncer<RecommendedWatcher>, Identity)>,
    /// Said once in the log, not on every tick.
    complained: bool,
}

impl Watching {
    fn start(&mut self, courses: &Path, changed: &mpsc::Sender<()>) {
        self.watcher = None;
        let Some(identity) = identity(courses) else {
            self.complain(format_args!(
                "the courses folder {} is not there; watching it once it is",
                courses.display()
            ));
            return;
        };
        match watch(courses, changed.clone()) {
            Ok(debouncer) => {
                tracing::info!(folder = %courses.display(), "watching the courses folder for changes");
                self.watcher = Some((debouncer, identity));
                self.complained = false;
            }
            Err(e) => self.complain(format_args!(
                "cannot watch the courses folder {}: {e}",
                courses.display()
            )),
        }
    }

    /// Watches again when the folder was replaced or has come back; true
    /// when it did (so its contents are worth reading).
    fn check(&mut self, courses: &Path, changed: &mpsc::Sender<()>) -> bool {
        let now = identity(courses);
        match (&self.watcher, now) {
            (Some((_, was)), Some(now)) if *was == now => false,
            (Some(_), None) => {
                tracing::warn!(folder = %courses.display(), "the courses folder is gone; watching it again once it is back");
                self.watcher = None;
                self.complained = true;
                false
            }
            (None, None) => false,
            _ => {
                self.start(courses, changed);
                self.watcher.is_some()
            }
        }
    }

    fn complain(&mut self, message: std::fmt::Arguments) {
        if !self.complained {
            tracing::warn!("{message}");
            self.complained = true;
        }
    }
}

fn watch(
    courses: &Path,
    changed: mpsc::Sender<()>,
) -> Result<Debouncer<RecommendedWatcher>, notify::Error> {
    let root = courses
        .canonicalize()
        .unwrap_or_else(|_| courses.to_path_buf());
    let mut debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| match result {
        Ok(events) => {
            if events.iter().any(|e| is_course_change(&root, &e.path)) {
                // A full channel already has a change waiting: one is enough.
                let _ = changed.try_send(());
            }
        }
        Err(e) => tracing::warn!("watching the courses folder: {e}"),
    })?;
    debouncer
        .watcher()
        .watch(courses, RecursiveMode::Recursive)?;
    Ok(debouncer)
}

/// Changes under hidden names (Presto's own half-written folders, an
/// editor's swap files, `.git`) are not changes to a course.
fn is_course_change(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    !relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = ();

/// Which folder is at this path now (device and inode on Unix).
fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_paths_are_not_course_changes() {
        let root = Path::new("/srv/courses");
        assert!(is_course_change(
            root,
            Path::new("/srv/courses/care/01-a.md")
        ));
        assert!(is_course_change(root, Path::new("/srv/courses/care")));
        assert!(!is_course_change(
            root,
            Path::new("/srv/courses/.presto-upload-care-x/course.toml")
        ));
        assert!(!is_course_change(
            root,
            Path::new("/srv/courses/care/.01-a.md.swp")
        ));
    }

    #[tokio::test]
    async fn a_folder_made_again_is_watched_again() {
        let dir = tempfile::TempDir::new().unwrap();
        let courses = dir.path().join("courses");
        let (changed, mut changes) = mpsc::channel(1);
        let mut watching = Watching::default();
        watching.start(&courses, &changed);
        assert!(watching.watcher.is_none(), "nothing to watch yet");
        std::fs::create_dir(&courses).unwrap();
        assert!(
            watching.check(&courses, &changed),
            "watched once it is there"
        );
        assert!(!watching.check(&courses, &changed), "and only once");
        std::fs::write(courses.join("x.md"), "x").unwrap();
        let seen = timeout(Duration::from_secs(10), changes.recv()).await;
        assert_eq!(seen, Ok(Some(())), "a change in the folder is seen");
        std::fs::remove_dir_all(&courses).unwrap();
        assert!(!watching.check(&courses, &changed));
        assert!(watching.watcher.is_none());
        std::fs::create_dir(&courses).unwrap();
        assert!(watching.check(&courses, &changed));
    }
}
