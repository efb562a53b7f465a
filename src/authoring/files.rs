//! Courses as files: a course in memory (from a zip), the course folders
//! on disk and their modules, and checking a course the way `presto check`
//! would check it in the courses folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::course::source::{self, CourseSource, MediaFile, SourceFile};
use crate::course::{self, Compilation, CompileOptions, Neighbour, Sectors, ids};

/// How deep under `media/` the compiler looks (as `source::load_course`).
const MAX_MEDIA_PARTS: usize = 10;
/// course.toml is a dozen lines; a neighbour's larger one is not read.
const MAX_COURSE_TOML_BYTES: u64 = 64 * 1024;

/// A course folder in memory: the files the compiler reads, by their path
/// inside the folder (`course.toml`, `01-intro.md`, `media/sign.svg`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseFiles {
    pub slug: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl CourseFiles {
    /// The course as the compiler sees it, exactly as `source::load_course`
    /// would read the same files from disk (same names, order and hash).
    pub fn source(&self) -> CourseSource {
        let mut source = CourseSource {
            slug: self.slug.clone(),
            display_root: self.slug.clone(),
            ..CourseSource::default()
        };
        for (path, bytes) in &self.files {
            if path == "course.toml" {
                source.settings = Some(SourceFile::new(path.clone(), bytes.clone()));
            } else if path.starts_with("media/") {
                source
                    .media
                    .insert(path.clone(), MediaFile::from_bytes(path, bytes));
            } else {
                source
                    .markdown
                    .push(SourceFile::new(path.clone(), bytes.clone()));
            }
        }
        source
    }
}

/// Whether the compiler reads this file of a course folder: course.toml, a
/// markdown file at the top, or a file under `media/`. Hidden files are
/// never part of a course.
pub fn is_course_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || p.starts_with('.')) {
        return false;
    }
    match parts.as_slice() {
        ["course.toml"] => true,
        [name] => name.ends_with(".md"),
        ["media", ..] => parts.len() <= MAX_MEDIA_PARTS,
        _ => false,
    }
}

/// A module file name that is safe in a web address and a path: letters,
/// digits, `-`, `_` and `.`, ending `.md`, not hidden.
pub fn is_editable_module_name(name: &str) -> bool {
    name.ends_with(".md")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// The course folder for a slug, if the slug is a course name and the
/// folder exists.
pub fn course_dir(courses: &Path, slug: &str) -> Option<PathBuf> {
    if !ids::is_valid_course_slug(slug) {
        return None;
    }
    let dir = courses.join(slug);
    dir.is_dir().then_some(dir)
}

/// The markdown files at the top of a course folder, sorted by name (as
/// the compiler reads them).
pub fn module_files(course_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(course_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A course folder in the courses folder, with its module files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskCourse {
    pub slug: String,
    pub modules: Vec<String>,
}

/// Every course folder on disk (as `presto check` finds them).
pub fn disk_courses(courses: &Path) -> Vec<DiskCourse> {
    let Ok(discovery) = source::discover(courses) else {
        return Vec::new();
    };
    discovery
        .courses
        .iter()
        .map(|(dir, _)| DiskCourse {
            slug: folder_name(dir),
            modules: module_files(dir),
        })
        .collect()
}

/// Every course in the courses folder as a neighbour, for resolving
/// `requires` (a missing folder has none).
pub fn neighbours(courses: &Path) -> Vec<Neighbour> {
    let Ok(discovery) = source::discover(courses) else {
        return Vec::new();
    };
    discovery
        .courses
        .iter()
        .map(|(dir, _)| {
            Neighbour::from_course_toml(&folder_name(dir), read_course_toml(dir).as_deref())
        })
        .collect()
}

/// Compiles a course as it would compile in the courses folder: the same
/// diagnostics as `presto check` on that folder.
pub fn check(courses: &Path, source: &CourseSource) -> Compilation {
    // The folder's sectors; a mistake in sectors.toml is the log's to tell
    // (the tutor editing one course cannot fix it here).
    let options = CompileOptions {
        sectors: Sectors::load(courses, "").0,
        ..CompileOptions::default()
    };
    course::compile_among(source, &neighbours(courses), &options)
}

/// Reads a course folder the way the server publishes it, with file names
/// in messages relative to the courses folder (`first-steps/01-intro.md`).
pub fn load(courses: &Path, slug: &str) -> CourseSource {
    source::load_course(&courses.join(slug), slug)
}

/// The slug as `source::load_course` names a folder.
fn folder_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// A course's course.toml, if it really lies in the course folder (the
/// loader ignores one that links elsewhere, so this does too).
fn read_course_toml(dir: &Path) -> Option<Vec<u8>> {
    let root = dir.canonicalize().ok()?;
    let real = root.join("course.toml").canonicalize().ok()?;
    if !real.starts_with(&root) {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(real)
        .ok()?
        .take(MAX_COURSE_TOML_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_presto_reads() {
        for yes in [
            "course.toml",
            "01-intro.md",
            "notes.md",
            "media/a.svg",
            "media/x/y.mp3",
        ] {
            assert!(is_course_file(yes), "{yes}");
        }
        for no in [
            "README.txt",
            ".01-intro.md",
            "drafts/01-x.md",
            "media/.hidden",
            "media/a/b/c/d/e/f/g/h/i/j.svg",
            "course.toml/x",
        ] {
            assert!(!is_course_file(no), "{no}");
        }
    }

    #[test]
    fn module_names_for_addresses() {
        assert!(is_editable_module_name("01-first-day.md"));
        assert!(!is_editable_module_name("01 first day.md"));
        assert!(!is_editable_module_name("../01-x.md"));
        assert!(!is_editable_module_name(".01-x.md"));
        assert!(!is_editable_module_name("course.toml"));
    }

    #[test]
    fn a_course_in_memory_reads_as_the_same_course_on_disk() {
        let dir = tempfile::TempDir::new().unwrap();
        let course = dir.path().join("kitchen");
        fs::create_dir_all(course.join("media")).unwrap();
        let mut files = CourseFiles {
            slug: "kitchen".into(),
            ..CourseFiles::default()
        };
        for (name, bytes) in [
            ("course.toml", &b"title = \"Kitchen\"\nsector = \"hospitality\"\nlevel = \"A1\"\nsummary = \"x\"\n"[..]),
            ("01-intro.md", b"# Intro\n\n## Hello\n\nHello.\n"),
            ("02-more.md", b"# More\n\n## Bye\n\n![A sign](media/sign.svg)\n"),
            ("media/sign.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ] {
            fs::write(course.join(name), bytes).unwrap();
            files.files.insert(name.to_string(), bytes.to_vec());
        }
        let on_disk = check(dir.path(), &load(dir.path(), "kitchen"));
        let in_memory = check(dir.path(), &files.source());
        let hash = |c: &Compilation| c.course.as_ref().map(|c| c.content_hash.clone());
        assert!(on_disk.course.is_some(), "{:?}", on_disk.diagnostics);
        assert_eq!(hash(&on_disk), hash(&in_memory));
        assert_eq!(on_disk.diagnostics, in_memory.diagnostics);
        assert_eq!(
            disk_courses(dir.path()),
            [DiskCourse {
                slug: "kitchen".into(),
                modules: vec!["01-intro.md".into(), "02-more.md".into()],
            }]
        );
        assert!(course_dir(dir.path(), "kitchen").is_some());
        assert!(course_dir(dir.path(), "..").is_none());
        assert!(course_dir(dir.path(), "nothing").is_none());
    }
}
