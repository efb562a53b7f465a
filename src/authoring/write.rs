//! Writing into the courses folder so that nobody (a learner, the watcher,
//! another instance, `presto check`) ever sees half a course: everything is
//! written beside its place under a hidden name, then renamed into place.
//! The courses folder's hidden entries are never read as courses.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::files::CourseFiles;
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

/// Writes a whole course folder: into a hidden folder beside its place,
/// then renamed into place. The previous folder is moved aside first and
/// put back if the rename fails, and only removed once the new one is in.
pub fn write_course(courses: &Path, course: &CourseFiles) -> io::Result<()> {
    let target = courses.join(&course.slug);
    let staging = hidden_path(courses, "upload", &course.slug);
    if let Err(e) = write_files(&staging, course) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let previous = if target.exists() {
        let aside = hidden_path(courses, "previous", &course.slug);
        if let Err(e) = fs::rename(&target, &aside) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        Some(aside)
    } else {
        None
    };
    if let Err(e) = fs::rename(&staging, &target) {
        if let Some(aside) = &previous {
            // Put the previous version back: the course stays as it was.
            if let Err(back) = fs::rename(aside, &target) {
                tracing::error!(
                    course = course.slug,
                    kept = %aside.display(),
                    "the previous version could not be put back: {back}"
                );
            }
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    sync_dir(courses);
    if let Some(aside) = previous
        && let Err(e) = fs::remove_dir_all(&aside)
    {
        // The new version is in; an old copy left behind is only untidy.
        tracing::warn!(kept = %aside.display(), "the previous version could not be removed: {e}");
    }
    Ok(())
}

/// Replaces one file in a course folder: written under a hidden name
/// beside it, then renamed over it.
pub fn write_module(course_dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let staging = hidden_path(course_dir, "edit", name);
    let written = (|| {
        let mut file = fs::File::create(&staging)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&staging, course_dir.join(name))
    })();
    if written.is_err() {
        let _ = fs::remove_file(&staging);
    }
    written?;
    sync_dir(course_dir);
    Ok(())
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
pub fn remove_leftovers(courses: &Path, older_than: std::time::Duration) -> usize {
    let is_old = |path: &Path| {
        fs::symlink_metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > older_than)
    };
    let ours = |path: &Path| {
        path.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(".presto-"))
    };
    let entries = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let mut removed = 0;
    for path in entries(courses) {
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            continue;
        }
        if ours(&path) && path.is_dir() {
            if is_old(&path) && fs::remove_dir_all(&path).is_ok() {
                removed += 1;
            }
        } else if path.is_dir() {
            for inner in entries(&path) {
                if ours(&inner)
                    && inner.is_file()
                    && is_old(&inner)
                    && fs::remove_file(&inner).is_ok()
                {
                    removed += 1;
                }
            }
        }
    }
    removed
}

/// `.presto-{what}-{name}-{random}` in `dir`: hidden, so never read as a
/// course or module, and unique, so two writers never share one.
fn hidden_path(dir: &Path, what: &str, name: &str) -> PathBuf {
    let token: String = random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect();
    dir.join(format!(".presto-{what}-{name}-{token}"))
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

    #[test]
    fn a_course_replaces_its_previous_version_whole() {
        let dir = tempfile::TempDir::new().unwrap();
        let old = course(
            "kitchen",
            &[
                ("course.toml", "old"),
                ("01-a.md", "a"),
                ("media/x.svg", "x"),
            ],
        );
        write_course(dir.path(), &old).unwrap();
        let new = course("kitchen", &[("course.toml", "new"), ("02-b.md", "b")]);
        write_course(dir.path(), &new).unwrap();
        assert_eq!(names(dir.path()), ["kitchen"], "nothing left beside it");
        assert_eq!(
            names(&dir.path().join("kitchen")),
            ["02-b.md", "course.toml"]
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("kitchen/course.toml")).unwrap(),
            "new"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_previous_version() {
        let dir = tempfile::TempDir::new().unwrap();
        write_course(dir.path(), &course("kitchen", &[("course.toml", "old")])).unwrap();
        let bad = course("kitchen", &[("course.toml", "new"), ("media/../../x", "x")]);
        assert!(write_course(dir.path(), &bad).is_err());
        assert_eq!(names(dir.path()), ["kitchen"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("kitchen/course.toml")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_module_is_replaced_in_place() {
        let dir = tempfile::TempDir::new().unwrap();
        fs::write(dir.path().join("01-a.md"), "old").unwrap();
        write_module(dir.path(), "01-a.md", b"new").unwrap();
        assert_eq!(names(dir.path()), ["01-a.md"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("01-a.md")).unwrap(),
            "new"
        );
    }

    #[test]
    fn leftovers_of_a_cut_short_write_are_removed_once_old() {
        let dir = tempfile::TempDir::new().unwrap();
        fs::create_dir_all(dir.path().join(".presto-upload-kitchen-abc/media")).unwrap();
        fs::create_dir_all(dir.path().join("kitchen")).unwrap();
        fs::write(dir.path().join("kitchen/.presto-edit-01-a.md-abc"), "x").unwrap();
        fs::write(dir.path().join("kitchen/01-a.md"), "x").unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(remove_leftovers(dir.path(), hour), 0, "young: maybe in use");
        assert_eq!(remove_leftovers(dir.path(), std::time::Duration::ZERO), 2);
        assert_eq!(names(dir.path()), [".git", "kitchen"]);
        assert_eq!(names(&dir.path().join("kitchen")), ["01-a.md"]);
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
