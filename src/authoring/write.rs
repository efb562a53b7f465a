//! Writing into the courses folder so that nobody (a learner, the watcher,
//! another instance, `presto check`) ever sees half a course, and no crash
//! can lose one. A new version is written beside its place under a hidden
//! name, then swapped in, in steps that each leave the course at its place
//! or recoverable from a journal:
//!
//! ```text
//! 1 stage     write the new folder: .presto-upload-<slug>-<random>/ (synced)
//! 2 record    journal: .presto-versions/<slug>/.swap-<random> names the
//!             staged folder and where the old one goes
//! 3 aside     rename <slug>/ -> .presto-versions/<slug>/<n>-<when>/
//! 4 in        rename the staged folder -> <slug>/
//! 5 finish    remove the journal; prune versions beyond the setting
//! ```
//!
//! Renames within one folder tree are atomic. At start-up, [`recover`]
//! reads the journals: a course whose place is empty gets its previous
//! version back (or, for a new course, the staged one). The hidden entries
//! of the courses folder are never read as courses.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::CourseFiles;
use super::versions;
use crate::course::ids;
use crate::passwords::random_token;

/// The content hash an editor starts from: BLAKE3 of the file's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The text from the browser as file bytes. Browsers send a textarea's
/// lines ending CR LF; the file keeps the line endings it had, so saving
/// without a change changes nothing.
pub fn module_bytes(original: &[u8], submitted: &str) -> Vec<u8> {
    let unix = submitted.replace("\r\n", "\n");
    if original.windows(2).any(|pair| pair == b"\r\n") {
        unix.replace('\n', "\r\n").into_bytes()
    } else {
        unix.into_bytes()
    }
}

/// The steps of a swap after staging, in order. Each is a function of its
/// own so a test can stop between any two, as a crash would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Record,
    MoveOldAside,
    MoveNewIn,
    Finish,
}

pub const STEPS: [Step; 4] = [
    Step::Record,
    Step::MoveOldAside,
    Step::MoveNewIn,
    Step::Finish,
];

/// What a swap under way wrote down, so a restart can finish or undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Journal {
    slug: String,
    /// The staged folder's name in the courses folder.
    staging: String,
    /// The version folder the old course goes to, if there was one.
    previous: Option<String>,
}

/// A new version of a course on its way into place.
#[derive(Debug)]
pub struct Swap {
    courses: PathBuf,
    slug: String,
    staging: PathBuf,
    journal: PathBuf,
    previous: Option<String>,
    moved_aside: bool,
    moved_in: bool,
    keep: usize,
}

impl Swap {
    /// Step 1: the whole new folder, written and synced under a hidden name.
    pub fn stage(courses: &Path, course: &CourseFiles, keep: usize) -> io::Result<Swap> {
        let swap = Swap::new(courses, &course.slug, keep)?;
        if let Err(e) = write_files(&swap.staging, course) {
            let _ = fs::remove_dir_all(&swap.staging);
            return Err(e);
        }
        sync_dir(&swap.staging);
        Ok(swap)
    }

    /// Step 1 for a copy of a folder (the course itself, for a module edit;
    /// a kept version, for a restore), with one top-level file replaced.
    pub fn stage_copy(
        courses: &Path,
        slug: &str,
        from: &Path,
        replace: Option<(&str, &[u8])>,
        keep: usize,
    ) -> io::Result<Swap> {
        let swap = Swap::new(courses, slug, keep)?;
        let copied = (|| {
            copy_tree(from, &swap.staging, 0)?;
            if let Some((name, bytes)) = replace {
                if name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("refusing to write {name}"),
                    ));
                }
                write_synced(&swap.staging.join(name), bytes)?;
            }
            sync_dir(&swap.staging);
            Ok(())
        })();
        if let Err(e) = copied {
            let _ = fs::remove_dir_all(&swap.staging);
            return Err(e);
        }
        Ok(swap)
    }

    fn new(courses: &Path, slug: &str, keep: usize) -> io::Result<Swap> {
        if !ids::is_valid_course_slug(slug) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{slug} is not a course name"),
            ));
        }
        let token = short_token();
        Ok(Swap {
            courses: courses.to_path_buf(),
            slug: slug.to_string(),
            staging: courses.join(format!(".presto-upload-{slug}-{token}")),
            journal: versions::course_area(courses, slug).join(format!(".swap-{token}")),
            previous: None,
            moved_aside: false,
            moved_in: false,
            keep,
        })
    }

    fn place(&self) -> PathBuf {
        self.courses.join(&self.slug)
    }

    /// Runs one step.
    pub fn run(&mut self, step: Step) -> io::Result<()> {
        match step {
            Step::Record => self.record(),
            Step::MoveOldAside => self.move_old_aside(),
            Step::MoveNewIn => self.move_new_in(),
            Step::Finish => {
                self.finish();
                Ok(())
            }
        }
    }

    /// Step 2: the journal, naming the staged folder and where the old one
    /// will go, written and synced before anything moves.
    fn record(&mut self) -> io::Result<()> {
        let area = versions::course_area(&self.courses, &self.slug);
        fs::create_dir_all(&area)?;
        let has_old = fs::symlink_metadata(self.place()).is_ok();
        self.previous =
            has_old.then(|| versions::next_name(&self.courses, &self.slug, chrono::Utc::now()));
        let journal = Journal {
            slug: self.slug.clone(),
            staging: file_name(&self.staging),
            previous: self.previous.clone(),
        };
        let text = serde_json::to_vec(&journal).map_err(io::Error::other)?;
        write_synced(&self.journal, &text)?;
        sync_dir(&area);
        Ok(())
    }

    /// Step 3: the old folder into the versions area (a rename: nothing is
    /// copied, nothing deleted).
    fn move_old_aside(&mut self) -> io::Result<()> {
        if let Some(previous) = &self.previous {
            let aside = versions::course_area(&self.courses, &self.slug).join(previous);
            fs::rename(self.place(), aside)?;
            self.moved_aside = true;
        }
        Ok(())
    }

    /// Step 4: the new folder into place.
    fn move_new_in(&mut self) -> io::Result<()> {
        fs::rename(&self.staging, self.place())?;
        self.moved_in = true;
        sync_dir(&self.courses);
        Ok(())
    }

    /// Step 5: the journal goes, then versions beyond the setting.
    fn finish(&mut self) {
        if let Err(e) = fs::remove_file(&self.journal) {
            // Harmless: at the next start the course is at its place, so
            // the journal is only removed.
            tracing::warn!(course = self.slug, "cannot remove the swap journal: {e}");
        }
        let area = versions::course_area(&self.courses, &self.slug);
        sync_dir(&area);
        let in_use = journals_in(&area)
            .into_iter()
            .filter_map(|(_, j)| j.previous)
            .collect::<Vec<_>>();
        versions::prune(&self.courses, &self.slug, self.keep, &in_use);
    }

    /// Every step; on a failure, what was done is undone as far as it can
    /// be, and the journal stays if the course could not be put back, so
    /// the next start puts it back.
    pub fn complete(mut self) -> io::Result<()> {
        for step in STEPS {
            if let Err(e) = self.run(step) {
                self.undo();
                return Err(e);
            }
        }
        Ok(())
    }

    fn undo(&mut self) {
        if self.moved_in {
            return;
        }
        if self.moved_aside
            && let Some(previous) = &self.previous
        {
            let aside = versions::course_area(&self.courses, &self.slug).join(previous);
            if let Err(back) = fs::rename(&aside, self.place()) {
                tracing::error!(
                    course = self.slug,
                    kept = %aside.display(),
                    "the previous version could not be put back now; it will be at the next start: {back}"
                );
                return;
            }
        }
        let _ = fs::remove_dir_all(&self.staging);
        let _ = fs::remove_file(&self.journal);
    }
}

/// Writes a whole course folder into place, keeping the previous one as a
/// version (`keep` versions at most).
pub fn write_course(courses: &Path, course: &CourseFiles, keep: usize) -> io::Result<()> {
    Swap::stage(courses, course, keep)?.complete()
}

/// Puts back what interrupted swaps left: for each journal, a course whose
/// place is empty gets its previous version back (the one the database
/// still publishes), or the staged folder when it was a new course. Never
/// deletes a course folder. The courses put back, by name.
pub fn recover(courses: &Path, older_than: std::time::Duration) -> Vec<String> {
    let mut restored = Vec::new();
    for area in entries(&courses.join(versions::AREA)) {
        if !is_real_dir(&area) {
            continue;
        }
        for (path, journal) in journals_in(&area) {
            if journal.slug != file_name(&area) || !ids::is_valid_course_slug(&journal.slug) {
                tracing::warn!(journal = %path.display(), "a swap journal names another course; left alone");
                continue;
            }
            let place = courses.join(&journal.slug);
            if fs::symlink_metadata(&place).is_ok() {
                // The course is at its place (old or new). A young journal
                // may be another instance's swap under way.
                if is_old(&path, older_than) {
                    let _ = fs::remove_file(&path);
                }
                continue;
            }
            let previous = journal
                .previous
                .as_deref()
                .and_then(|name| versions::find(courses, &journal.slug, name));
            let staged = Some(courses.join(&journal.staging))
                .filter(|_| is_staging_name(&journal.staging))
                .filter(|p| is_real_dir(p));
            let Some(from) = previous.or(staged) else {
                tracing::error!(
                    course = journal.slug,
                    "an interrupted swap left nothing to put back"
                );
                continue;
            };
            match fs::rename(&from, &place) {
                Ok(()) => {
                    sync_dir(courses);
                    let _ = fs::remove_file(&path);
                    tracing::warn!(course = journal.slug, from = %from.display(), "put back a course an interrupted write had moved");
                    restored.push(journal.slug.clone());
                }
                Err(e) => tracing::error!(course = journal.slug, "cannot put the course back: {e}"),
            }
        }
    }
    restored
}

fn journals_in(area: &Path) -> Vec<(PathBuf, Journal)> {
    entries(area)
        .into_iter()
        .filter(|p| file_name(p).starts_with(".swap-") && p.is_file())
        .filter_map(|p| {
            let journal = fs::read(&p)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Journal>(&bytes).ok());
            if journal.is_none() {
                tracing::warn!(journal = %p.display(), "a swap journal cannot be read; left alone");
            }
            journal.map(|j| (p, j))
        })
        .collect()
}

fn is_staging_name(name: &str) -> bool {
    name.starts_with(".presto-upload-") && !name.contains(['/', '\\']) && !name.contains("..")
}

fn write_files(folder: &Path, course: &CourseFiles) -> io::Result<()> {
    fs::create_dir(folder)?;
    for (path, bytes) in &course.files {
        // Paths were checked when unpacked; check again before writing.
        if path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == ".." || part.contains('\\'))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write {path}"),
            ));
        }
        let full = folder.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = fs::File::create(&full)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    Ok(())
}

/// Removes what a write cut short (the server stopped half-way) left in the
/// courses folder: Presto's hidden staging folders and files older than
/// `older_than`. Younger ones may belong to another instance writing now.
/// The versions area is never touched here, and a previous version that
/// an older Presto moved aside (`.presto-previous-<slug>-…`) is put back
/// when its course is missing, else kept as a version: never deleted.
pub fn remove_leftovers(courses: &Path, older_than: std::time::Duration) -> usize {
    let ours = |path: &Path| file_name(path).starts_with(".presto-");
    let mut removed = 0;
    for path in entries(courses) {
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            continue;
        }
        let name = file_name(&path);
        if name == versions::AREA {
            continue;
        }
        if let Some(rest) = name.strip_prefix(".presto-previous-")
            && path.is_dir()
        {
            keep_previous(courses, &path, rest, older_than);
        } else if ours(&path) && path.is_dir() {
            if is_old(&path, older_than) && fs::remove_dir_all(&path).is_ok() {
                removed += 1;
            }
        } else if path.is_dir() {
            for inner in entries(&path) {
                if ours(&inner)
                    && inner.is_file()
                    && is_old(&inner, older_than)
                    && fs::remove_file(&inner).is_ok()
                {
                    removed += 1;
                }
            }
        }
    }
    removed
}

/// `.presto-previous-<slug>-<random>`: put back if the course is missing;
/// otherwise, once old, moved into the versions area.
fn keep_previous(courses: &Path, path: &Path, rest: &str, older_than: std::time::Duration) {
    let Some((slug, _)) = rest.rsplit_once('-') else {
        return;
    };
    if !ids::is_valid_course_slug(slug) {
        return;
    }
    let place = courses.join(slug);
    let target = if fs::symlink_metadata(&place).is_err() {
        place
    } else if is_old(path, older_than) {
        let area = versions::course_area(courses, slug);
        if fs::create_dir_all(&area).is_err() {
            return;
        }
        area.join(versions::next_name(courses, slug, chrono::Utc::now()))
    } else {
        return;
    };
    match fs::rename(path, &target) {
        Ok(()) => {
            sync_dir(courses);
            tracing::warn!(course = slug, to = %target.display(), "kept a previous version an interrupted write left");
        }
        Err(e) => tracing::error!(course = slug, "cannot keep a previous version: {e}"),
    }
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn is_old(path: &Path, older_than: std::time::Duration) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > older_than)
}

fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Copies a folder as it is (links as links), leaving out Presto's own
/// hidden files. `depth` stops a runaway tree.
fn copy_tree(from: &Path, to: &Path, depth: usize) -> io::Result<()> {
    if depth > 16 {
        return Err(io::Error::other(format!(
            "{} is nested too deep to copy",
            from.display()
        )));
    }
    fs::create_dir(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".presto-") {
            continue;
        }
        let (source, target) = (entry.path(), to.join(&name));
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(&source)?, &target)?;
        } else if kind.is_dir() {
            copy_tree(&source, &target, depth + 1)?;
        } else {
            fs::copy(&source, &target)?;
            fs::File::open(&target)?.sync_all()?;
        }
    }
    sync_dir(to);
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn short_token() -> String {
    random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect()
}

/// Makes the renames durable where the platform allows it.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEP: usize = 5;

    fn course(slug: &str, files: &[(&str, &str)]) -> CourseFiles {
        CourseFiles {
            slug: slug.into(),
            files: files
                .iter()
                .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
                .collect(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn toml_of(dir: &Path) -> String {
        fs::read_to_string(dir.join("course.toml")).unwrap()
    }

    #[test]
    fn a_course_replaces_its_previous_version_whole_and_keeps_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let old = course(
            "kitchen",
            &[
                ("course.toml", "old"),
                ("01-a.md", "a"),
                ("media/x.svg", "x"),
            ],
        );
        write_course(dir.path(), &old, KEEP).unwrap();
        let new = course("kitchen", &[("course.toml", "new"), ("02-b.md", "b")]);
        write_course(dir.path(), &new, KEEP).unwrap();
        assert_eq!(names(dir.path()), [versions::AREA, "kitchen"]);
        assert_eq!(
            names(&dir.path().join("kitchen")),
            ["02-b.md", "course.toml"]
        );
        assert_eq!(toml_of(&dir.path().join("kitchen")), "new");
        let kept = versions::list(dir.path(), "kitchen");
        assert_eq!(kept.len(), 1, "the old one is kept");
        assert_eq!(kept[0].number, 1);
        assert_eq!(kept[0].modules, ["01-a.md"]);
        let area = versions::course_area(dir.path(), "kitchen");
        assert_eq!(names(&area), [kept[0].name.clone()], "no journal left");
        assert_eq!(toml_of(&area.join(&kept[0].name)), "old");
    }

    #[test]
    fn only_the_newest_versions_are_kept() {
        let dir = tempfile::TempDir::new().unwrap();
        for n in 0..5 {
            let text = n.to_string();
            write_course(dir.path(), &course("kitchen", &[("course.toml", &text)]), 2).unwrap();
        }
        let kept = versions::list(dir.path(), "kitchen");
        assert_eq!(kept.iter().map(|v| v.number).collect::<Vec<_>>(), [4, 3]);
        let area = versions::course_area(dir.path(), "kitchen");
        assert_eq!(toml_of(&area.join(&kept[0].name)), "3");
        assert_eq!(toml_of(&dir.path().join("kitchen")), "4");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_version() {
        let dir = tempfile::TempDir::new().unwrap();
        write_course(
            dir.path(),
            &course("kitchen", &[("course.toml", "old")]),
            KEEP,
        )
        .unwrap();
        let bad = course("kitchen", &[("course.toml", "new"), ("media/../../x", "x")]);
        assert!(write_course(dir.path(), &bad, KEEP).is_err());
        assert_eq!(names(dir.path()), [versions::AREA, "kitchen"]);
        assert_eq!(toml_of(&dir.path().join("kitchen")), "old");
        let area = versions::course_area(dir.path(), "kitchen");
        assert!(
            names(&area).is_empty(),
            "no journal, no version: {:?}",
            names(&area)
        );
    }

    #[test]
    fn a_copy_with_one_module_replaced() {
        let dir = tempfile::TempDir::new().unwrap();
        let old = course(
            "kitchen",
            &[("course.toml", "t"), ("01-a.md", "a"), ("media/x.svg", "x")],
        );
        write_course(dir.path(), &old, KEEP).unwrap();
        fs::write(dir.path().join("kitchen/notes.txt"), "mine").unwrap();
        let place = dir.path().join("kitchen");
        Swap::stage_copy(
            dir.path(),
            "kitchen",
            &place,
            Some(("01-a.md", b"new")),
            KEEP,
        )
        .unwrap()
        .complete()
        .unwrap();
        assert_eq!(fs::read_to_string(place.join("01-a.md")).unwrap(), "new");
        assert_eq!(fs::read_to_string(place.join("media/x.svg")).unwrap(), "x");
        assert_eq!(fs::read_to_string(place.join("notes.txt")).unwrap(), "mine");
        let kept = versions::list(dir.path(), "kitchen");
        let area = versions::course_area(dir.path(), "kitchen");
        assert_eq!(
            fs::read_to_string(area.join(&kept[0].name).join("01-a.md")).unwrap(),
            "a",
            "the text before the edit is kept"
        );
        assert!(
            Swap::stage_copy(dir.path(), "kitchen", &place, Some(("../x.md", b"x")), KEEP).is_err()
        );
        assert_eq!(names(dir.path()), [versions::AREA, "kitchen"]);
    }

    /// A crash after any number of steps: the next start finds the course
    /// at its place, old or new, and the old one is never lost.
    #[test]
    fn a_swap_stopped_after_any_step_is_recovered() {
        for (done, step_names) in (0..=STEPS.len()).map(|n| (n, &STEPS[..n])) {
            for existed in [true, false] {
                let dir = tempfile::TempDir::new().unwrap();
                if existed {
                    write_course(
                        dir.path(),
                        &course("kitchen", &[("course.toml", "old")]),
                        KEEP,
                    )
                    .unwrap();
                }
                let mut swap = Swap::stage(
                    dir.path(),
                    &course("kitchen", &[("course.toml", "new")]),
                    KEEP,
                )
                .unwrap();
                for step in step_names {
                    swap.run(*step).unwrap();
                }
                drop(swap);
                let place = dir.path().join("kitchen");
                recover(dir.path(), std::time::Duration::from_secs(3600));
                remove_leftovers(dir.path(), std::time::Duration::ZERO);
                let after = format!("after {done} steps (the course existed: {existed})");
                if !existed && done < 3 {
                    // Never published: a new course may be put in or not.
                    assert!(!place.exists() || toml_of(&place) == "new", "{after}");
                    continue;
                }
                let now = toml_of(&place);
                assert!(now == "old" || now == "new", "{after}: {now}");
                let kept: Vec<String> = versions::list(dir.path(), "kitchen")
                    .iter()
                    .map(|v| toml_of(&versions::course_area(dir.path(), "kitchen").join(&v.name)))
                    .collect();
                if existed {
                    assert!(
                        now == "old" || kept.contains(&"old".to_string()),
                        "{after}: the old version is lost"
                    );
                }
                // Recovery leaves nothing behind for the next swap.
                write_course(
                    dir.path(),
                    &course("kitchen", &[("course.toml", "later")]),
                    KEEP,
                )
                .unwrap();
                assert_eq!(toml_of(&place), "later", "{after}");
            }
        }
    }

    #[test]
    fn a_previous_version_an_older_presto_left_is_put_back_not_deleted() {
        let dir = tempfile::TempDir::new().unwrap();
        let aside = dir.path().join(".presto-previous-kitchen-abc123");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join("course.toml"), "old").unwrap();
        remove_leftovers(dir.path(), std::time::Duration::ZERO);
        assert_eq!(toml_of(&dir.path().join("kitchen")), "old", "put back");

        let aside = dir.path().join(".presto-previous-kitchen-def456");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join("course.toml"), "older").unwrap();
        remove_leftovers(dir.path(), std::time::Duration::ZERO);
        assert_eq!(toml_of(&dir.path().join("kitchen")), "old");
        let kept = versions::list(dir.path(), "kitchen");
        assert_eq!(kept.len(), 1, "kept as a version");
        assert_eq!(
            toml_of(&versions::course_area(dir.path(), "kitchen").join(&kept[0].name)),
            "older"
        );
        assert_eq!(names(dir.path()), [versions::AREA, "kitchen"]);
    }

    #[test]
    fn leftovers_of_a_cut_short_write_are_removed_once_old() {
        let dir = tempfile::TempDir::new().unwrap();
        fs::create_dir_all(dir.path().join(".presto-upload-kitchen-abc/media")).unwrap();
        fs::create_dir_all(dir.path().join("kitchen")).unwrap();
        fs::write(dir.path().join("kitchen/.presto-edit-01-a.md-abc"), "x").unwrap();
        fs::write(dir.path().join("kitchen/01-a.md"), "x").unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        fs::create_dir_all(versions::course_area(dir.path(), "kitchen").join("1-x")).unwrap();
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(remove_leftovers(dir.path(), hour), 0, "young: maybe in use");
        assert_eq!(remove_leftovers(dir.path(), std::time::Duration::ZERO), 2);
        assert_eq!(names(dir.path()), [".git", versions::AREA, "kitchen"]);
        assert_eq!(names(&dir.path().join("kitchen")), ["01-a.md"]);
        assert_eq!(
            names(&versions::course_area(dir.path(), "kitchen")),
            ["1-x"],
            "versions are never leftovers"
        );
    }

    #[test]
    fn line_endings_stay_as_the_file_had_them() {
        assert_eq!(module_bytes(b"a\nb\n", "a\r\nb\r\nc"), b"a\nb\nc");
        assert_eq!(module_bytes(b"a\r\nb\r\n", "a\r\nb\r\nc"), b"a\r\nb\r\nc");
        assert_eq!(module_bytes(b"a\r\nb\r\n", "a\nb"), b"a\r\nb");
        assert_eq!(content_hash(b"x"), content_hash(b"x"));
        assert_ne!(content_hash(b"x"), content_hash(b"y"));
    }
}
