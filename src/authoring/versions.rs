//! Previous versions of each course, kept where the catalogue never looks:
//! `courses/.presto-versions/<slug>/<n>-<when>/`, one folder per version
//! replaced (by an upload, a module edit or a restore), numbered up from 1,
//! newest kept. A hidden name, so `presto check`, the catalogue and the
//! watcher skip the whole area.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::course::ids;

/// The folder of previous versions, inside the courses folder.
pub const AREA: &str = ".presto-versions";
const WHEN_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// A kept version of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeptVersion {
    /// The folder's name, which addresses it (`3-20261206T231500Z`).
    pub name: String,
    pub number: u32,
    /// When it was replaced.
    pub replaced_at: Option<DateTime<Utc>>,
    /// Its module files, to tell versions apart.
    pub modules: Vec<String>,
}

/// `courses/.presto-versions/<slug>`.
pub fn course_area(courses: &Path, slug: &str) -> PathBuf {
    courses.join(AREA).join(slug)
}

/// `3-20261206T231500Z` -> (3, that time). Anything else is not a version
/// folder (a journal, a stray file) and is never listed or pruned.
pub fn parse_name(name: &str) -> Option<(u32, Option<DateTime<Utc>>)> {
    let (number, when) = name.split_once('-')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = number.parse().ok()?;
    if !when.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let at = NaiveDateTime::parse_from_str(when, WHEN_FORMAT)
        .ok()
        .map(|t| t.and_utc());
    Some((number, at))
}

/// The kept versions of a course, newest first.
pub fn list(courses: &Path, slug: &str) -> Vec<KeptVersion> {
    if !ids::is_valid_course_slug(slug) {
        return Vec::new();
    }
    let area = course_area(courses, slug);
    let mut found: Vec<KeptVersion> = fs::read_dir(&area)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let (number, replaced_at) = parse_name(&name)?;
                    Some(KeptVersion {
                        modules: super::files::module_files(&e.path()),
                        name,
                        number,
                        replaced_at,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort_by(|a, b| b.number.cmp(&a.number).then(b.name.cmp(&a.name)));
    found
}

/// The folder of a kept version, if the name is one and it exists.
pub fn find(courses: &Path, slug: &str, name: &str) -> Option<PathBuf> {
    if !ids::is_valid_course_slug(slug) || parse_name(name).is_none() {
        return None;
    }
    let dir = course_area(courses, slug).join(name);
    fs::symlink_metadata(&dir)
        .is_ok_and(|m| m.is_dir())
        .then_some(dir)
}

/// The name for the next version put aside: one more than the highest.
pub fn next_name(courses: &Path, slug: &str, now: DateTime<Utc>) -> String {
    let highest = list(courses, slug).first().map_or(0, |v| v.number);
    format!("{}-{}", highest.saturating_add(1), now.format(WHEN_FORMAT))
}

/// Removes all but the newest `keep` versions, except those named in
/// `in_use` (a swap under way); the number removed.
pub fn prune(courses: &Path, slug: &str, keep: usize, in_use: &[String]) -> usize {
    let area = course_area(courses, slug);
    let mut removed = 0;
    for old in list(courses, slug).into_iter().skip(keep) {
        if in_use.contains(&old.name) {
            continue;
        }
        match fs::remove_dir_all(area.join(&old.name)) {
            Ok(()) => removed += 1,
            Err(e) => tracing::warn!(
                course = slug,
                version = old.name,
                "cannot remove an old version: {e}"
            ),
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names() {
        let (n, at) = parse_name("12-20261206T231500Z").unwrap();
        assert_eq!(n, 12);
        assert_eq!(
            at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-12-06T23:15:00+00:00")
        );
        for not in [
            "",
            "x-1",
            "-1",
            "1",
            ".swap-abc",
            "1-../x",
            "1-a/b",
            "1-a.b",
        ] {
            assert!(parse_name(not).is_none(), "{not}");
        }
    }

    #[test]
    fn the_newest_are_kept() {
        let dir = tempfile::TempDir::new().unwrap();
        let now = Utc::now();
        for _ in 0..4 {
            let name = next_name(dir.path(), "kitchen", now);
            fs::create_dir_all(course_area(dir.path(), "kitchen").join(name)).unwrap();
        }
        let names =
            |dir: &Path| -> Vec<u32> { list(dir, "kitchen").iter().map(|v| v.number).collect() };
        assert_eq!(names(dir.path()), [4, 3, 2, 1]);
        let one = list(dir.path(), "kitchen")[3].name.clone();
        assert_eq!(prune(dir.path(), "kitchen", 2, &[one]), 1, "one in use");
        assert_eq!(names(dir.path()), [4, 3, 1]);
        assert_eq!(prune(dir.path(), "kitchen", 2, &[]), 1);
        assert_eq!(names(dir.path()), [4, 3]);
        assert!(find(dir.path(), "kitchen", &list(dir.path(), "kitchen")[0].name).is_some());
        assert!(find(dir.path(), "kitchen", "../kitchen").is_none());
        assert!(find(dir.path(), "..", "4-x").is_none());
    }
}
