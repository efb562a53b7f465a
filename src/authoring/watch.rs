//! Keeping a running server's catalogue current without a restart:
//!
//! - the courses folder is watched for writes, new files, removals and
//!   renames (never for files being opened or read: publishing reads every
//!   file, and reacting to that republished forever); once changes settle,
//!   it is published like at start-up (courses whose content hash is as
//!   published are not compiled again, courses with errors are left out,
//!   their problems logged) and the catalogue reloaded when a version
//!   changed;
//! - now and then the database is asked for the course versions, and the
//!   catalogue reloaded when another instance has published.
//!
//! Nothing here may stop the server: a folder that disappears, a broken
//! file or a burst of saves are logged and waited out. The task ends when
//! its [`Background`] handle is dropped, which the server does when it stops.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior, timeout};

use crate::catalog::{self, Catalog};
use crate::store::Store;

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
pub struct Background {
    task: JoinHandle<()>,
    activity: Arc<Activity>,
}

impl Drop for Background {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Background {
    /// What the task has done so far.
    pub fn activity(&self) -> Arc<Activity> {
        self.activity.clone()
    }
}

/// Counts of what the background task did, for tests and for telling an
/// idle server from a busy one.
#[derive(Debug, Default)]
pub struct Activity {
    folder_publishes: AtomicU64,
}

impl Activity {
    /// How often the courses folder was read and published because it
    /// changed (start-up not counted).
    pub fn folder_publishes(&self) -> u64 {
        self.folder_publishes.load(Ordering::Relaxed)
    }
}

/// Starts keeping `catalog` current.
pub fn spawn(store: Store, catalog: Arc<Catalog>, settings: WatchSettings) -> Background {
    let activity = Arc::new(Activity::default());
    Background {
        task: tokio::spawn(run(store, catalog, settings, activity.clone())),
        activity,
    }
}

async fn run(
    store: Store,
    catalog: Arc<Catalog>,
    settings: WatchSettings,
    activity: Arc<Activity>,
) {
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
                republish(&store, &catalog, &settings.courses, &activity).await;
            }
            _ = tick.tick() => {
                if settings.watch && watching.check(&settings.courses, &changed) {
                    // The folder came back or was replaced: what it holds
                    // now was never seen.
                    republish(&store, &catalog, &settings.courses, &activity).await;
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

async fn republish(store: &Store, catalog: &Catalog, courses: &Path, activity: &Activity) {
    tracing::info!(folder = %courses.display(), "the courses folder changed: publishing");
    activity.folder_publishes.fetch_add(1, Ordering::Relaxed);
    catalog::publish_and_log(store, catalog, courses).await;
    // Reloads only when a version changed: a save that changed nothing
    // (or only a course with errors) costs one small query.
    if let Err(e) = catalog.refresh_if_stale(store).await {
        tracing::warn!("cannot reload the catalogue: {e}");
    }
}

/// The folder being watched, and which folder it was (a folder deleted and
/// made again is another folder, with no watch on it).
#[derive(Default)]
struct Watching {
    watcher: Option<(RecommendedWatcher, Identity)>,
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
            Ok(watcher) => {
                tracing::info!(folder = %courses.display(), "watching the courses folder for changes");
                self.watcher = Some((watcher, identity));
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

/// Events are not debounced here: [`settle`] waits until they stop.
fn watch(courses: &Path, changed: mpsc::Sender<()>) -> Result<RecommendedWatcher, notify::Error> {
    let root = courses
        .canonicalize()
        .unwrap_or_else(|_| courses.to_path_buf());
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
        match result {
            Ok(event) => {
                if is_content_change(&event)
                    && (event.need_rescan()
                        || event.paths.iter().any(|p| is_course_change(&root, p)))
                {
                    // A full channel already has a change waiting: one is enough.
                    let _ = changed.try_send(());
                }
            }
            Err(e) => tracing::warn!("watching the courses folder: {e}"),
        }
    })?;
    watcher.watch(courses, RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// Writes, new files, removals and renames; not a file being opened, read
/// or closed after reading, nor its permissions or times changing (which
/// leave what a course says as it was). Events lost to a full queue ask
/// for a rescan, and get one.
fn is_content_change(event: &Event) -> bool {
    event.need_rescan()
        || matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
                | EventKind::Access(AccessKind::Close(AccessMode::Write))
                | EventKind::Any
        )
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

    #[test]
    fn only_writes_creations_removals_and_renames_are_changes() {
        use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind, RenameMode};
        let change = |kind| is_content_change(&Event::new(kind));
        assert!(change(EventKind::Create(CreateKind::File)));
        assert!(change(EventKind::Remove(RemoveKind::Folder)));
        assert!(change(EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(change(EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(change(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        // What publishing itself does to the files it reads.
        assert!(!change(EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!change(EventKind::Access(AccessKind::Read)));
        assert!(!change(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!change(EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(!change(EventKind::Other));
        assert!(is_content_change(
            &Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)
        ));
    }

    #[tokio::test]
    async fn reading_the_folder_is_not_a_change() {
        let dir = tempfile::TempDir::new().unwrap();
        let courses = dir.path().join("courses");
        std::fs::create_dir_all(courses.join("care/media")).unwrap();
        std::fs::write(courses.join("care/01-a.md"), "# A").unwrap();
        std::fs::write(courses.join("care/media/a.svg"), "<svg/>").unwrap();
        let (changed, mut changes) = mpsc::channel(1);
        let mut watching = Watching::default();
        watching.start(&courses, &changed);
        for _ in 0..3 {
            crate::course::source::load_course(&courses.join("care"), "care");
        }
        let seen = timeout(Duration::from_secs(2), changes.recv()).await;
        assert!(seen.is_err(), "reading is not a change: {seen:?}");
        std::fs::write(courses.join("care/01-a.md"), "# B").unwrap();
        let seen = timeout(Duration::from_secs(10), changes.recv()).await;
        assert_eq!(seen, Ok(Some(())), "a write is");
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
