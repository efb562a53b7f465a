//! The thin layer in front of the compiler: a course folder read into memory.
//!
//! The compiler itself never touches the disk; this module finds course
//! folders, reads their files, and refuses anything that leads outside the
//! course folder (a symlink to `/etc`, say), so the server only ever
//! publishes what sits in the course.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::diagnostics::Diagnostic;
use super::media::{self, MediaKind, MediaProblem};

mod media_cache;

/// Module files larger than this are not read: a module is a few pages of
/// text, and a 10 MB one is a mistake (or an attack on the server).
pub const MAX_MODULE_BYTES: u64 = 2 * 1024 * 1024;
/// The most files under `media/` that are read, and how deep.
const MAX_MEDIA_FILES: usize = 5_000;
const MAX_MEDIA_DEPTH: usize = 8;

/// A course as the compiler sees it: names and bytes, no paths.
#[derive(Debug, Clone, Default)]
pub struct CourseSource {
    /// The folder name, e.g. `hospitality-kitchen-english`.
    pub slug: String,
    /// How the folder is named in messages, e.g. `courses/hospitality-kitchen-english`.
    pub display_root: String,
    pub settings: Option<SourceFile>,
    /// Every `.md` file at the top of the course folder.
    pub markdown: Vec<SourceFile>,
    /// Files under `media/`, by path relative to the course folder.
    pub media: BTreeMap<String, MediaFile>,
    /// Problems found while reading (a symlink out of the folder, say).
    pub problems: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFile {
    /// Name inside the course folder, e.g. `01-first-day.md`.
    pub name: String,
    /// The contents; empty when the file was too large to read.
    pub bytes: Vec<u8>,
    /// The size on disk.
    pub size: u64,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        SourceFile {
            name: name.into(),
            size: bytes.len() as u64,
            bytes,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub size: u64,
    /// BLAKE3 of the contents.
    pub digest: [u8; 32],
    /// Why the file cannot be course media (an ending that is not a
    /// picture's or a sound's, bytes that are not what the ending says, an
    /// SVG with a script), found when it was read: the compiler reports it.
    pub problem: Option<MediaProblem>,
}

impl MediaFile {
    /// A media file from its path in the course (`media/sink.svg`) and its
    /// whole contents.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Self {
        MediaFile {
            size: bytes.len() as u64,
            digest: blake3::hash(bytes).into(),
            problem: media::check(name, bytes, bytes.len() as u64).err(),
        }
    }

    /// Reads a media file from disk, as [`MediaFile::from_bytes`] would see
    /// it, without holding it in memory: only an SVG (which is searched for
    /// scripts) is read whole; anything else is hashed as it streams by.
    pub fn read(name: &str, path: &Path) -> std::io::Result<Self> {
        let mut file = fs::File::open(path)?;
        let size = file.metadata()?.len();
        if MediaKind::of_name(name) == Some(MediaKind::Svg) && size <= media::MAX_SVG_BYTES {
            let mut bytes = Vec::with_capacity(size as usize);
            file.take(media::MAX_SVG_BYTES + 1)
                .read_to_end(&mut bytes)?;
            return Ok(MediaFile::from_bytes(name, &bytes));
        }
        let mut head = Vec::with_capacity(media::HEAD_BYTES);
        (&mut file)
            .take(media::HEAD_BYTES as u64)
            .read_to_end(&mut head)?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(&head);
        let rest = std::io::copy(&mut file, &mut hasher)?;
        let size = head.len() as u64 + rest;
        Ok(MediaFile {
            size,
            digest: hasher.finalize().into(),
            problem: media::check(name, &head, size).err(),
        })
    }
}

impl CourseSource {
    /// The text of a file named as in a diagnostic, for showing its lines.
    pub fn text_of(&self, display_name: &str) -> Option<String> {
        let name = display_name
            .strip_prefix(&self.display_root)?
            .trim_start_matches('/');
        self.settings
            .iter()
            .chain(self.markdown.iter())
            .find(|f| f.name == name)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
    }
}

/// What `presto check PATH` found at PATH.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Course folders to compile, with the name to show for each.
    pub courses: Vec<(PathBuf, String)>,
    /// Slugs of every course next to them, for resolving `requires`.
    pub known_slugs: BTreeSet<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0} does not exist")]
    Missing(String),
    #[error("{0} is not a folder")]
    NotAFolder(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// PATH is one course folder (it has a course.toml) or a folder of courses.
pub fn discover(path: &Path) -> Result<Discovery, DiscoverError> {
    let shown = path.display().to_string();
    let meta = fs::metadata(path).map_err(|_| DiscoverError::Missing(shown.clone()))?;
    if !meta.is_dir() {
        return Err(DiscoverError::NotAFolder(shown));
    }
    let mut discovery = Discovery::default();
    // A folder with course.toml, or with module files but no course.toml
    // (a course with a mistake, which the compiler reports), is one course.
    if path.join("course.toml").exists() || has_module_files(path) {
        let slug = folder_name(path);
        discovery
            .courses
            .push((path.to_path_buf(), shown.trim_end_matches('/').to_string()));
        discovery.known_slugs.insert(slug);
        // A single course resolves `requires` against its neighbours.
        if let Some(parent) = path
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
        {
            for sibling in course_folders(&parent).unwrap_or_default() {
                discovery.known_slugs.insert(folder_name(&sibling));
            }
        }
        return Ok(discovery);
    }
    let folders = course_folders(path).map_err(|source| DiscoverError::Io {
        path: shown.clone(),
        source,
    })?;
    for folder in folders {
        let name = folder_name(&folder);
        discovery.known_slugs.insert(name.clone());
        let display = format!("{}/{}", shown.trim_end_matches('/'), name);
        discovery.courses.push((folder, display));
    }
    Ok(discovery)
}

/// Sub-folders that hold a course.toml or markdown (a folder of markdown with
/// no course.toml is a course with a mistake, not something to skip).
fn course_folders(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.file_type()?.is_dir() {
            continue;
        }
        let dir = entry.path();
        if dir.join("course.toml").exists() || has_markdown(&dir) {
            out.push(dir);
        }
    }
    out.sort();
    Ok(out)
}

fn has_markdown(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|mut entries| {
            entries.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md")))
        })
        .unwrap_or(false)
}

/// Files named like modules (`01-first-day.md`): a README.md next to the
/// courses does not make the courses folder a course.
fn has_module_files(dir: &Path) -> bool {
    fs::read_dir(dir)
        .map(|mut entries| {
            entries.any(|e| {
                e.is_ok_and(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.ends_with(".md") && name.starts_with(|c: char| c.is_ascii_digit())
                })
            })
        })
        .unwrap_or(false)
}

fn folder_name(path: &Path) -> String {
    path.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Reads one course folder. Never fails: what cannot be read becomes a
/// diagnostic.
pub fn load_course(dir: &Path, display_root: &str) -> CourseSource {
    let mut source = CourseSource {
        slug: folder_name(dir),
        display_root: display_root.to_string(),
        ..CourseSource::default()
    };
    let root = match dir.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            source.problem(
                display_root,
                format!("The course folder cannot be read: {e}."),
                "Check the folder exists and can be read.",
            );
            return source;
        }
    };

    let settings = root.join("course.toml");
    if settings.exists() {
        source.settings = source.read_file(&root, &settings, "course.toml");
    }
    let mut names: Vec<String> = match fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
            .collect(),
        Err(e) => {
            source.problem(
                display_root,
                format!("The course folder cannot be read: {e}."),
                "Check the folder's permissions.",
            );
            Vec::new()
        }
    };
    names.sort();
    for name in names {
        if let Some(file) = source.read_file(&root, &root.join(&name), &name) {
            source.markdown.push(file);
        }
    }
    let media = root.join("media");
    if media.is_dir() {
        source.read_media(&root, &media, 0);
    }
    source
}

impl CourseSource {
    fn problem(&mut self, file: &str, message: String, hint: &str) {
        self.problems
            .push(Diagnostic::about_file(file, "unreadable", message, hint));
    }

    fn outside(&mut self, name: &str) {
        let file = format!("{}/{}", self.display_root, name);
        self.problems.push(Diagnostic::about_file(
            &file,
            "outside-course",
            format!("{name} is a link to a file outside the course folder, so it is not used."),
            "Copy the real file into the course folder instead of linking to it.",
        ));
    }

    /// Reads a file if it really lies inside `root` (symlinks are followed and
    /// checked). Files over the module limit are only measured.
    fn read_file(&mut self, root: &Path, path: &Path, name: &str) -> Option<SourceFile> {
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(e) => {
                let shown = format!("{}/{}", self.display_root, name);
                self.problem(
                    &shown,
                    format!("{name} cannot be read: {e}."),
                    "A link may point to a file that is gone. Replace it with the real file.",
                );
                return None;
            }
        };
        if !real.starts_with(root) {
            self.outside(name);
            return None;
        }
        let shown = format!("{}/{}", self.display_root, name);
        let file = match fs::File::open(&real) {
            Ok(file) => file,
            Err(e) => {
                self.problem(
                    &shown,
                    format!("{name} cannot be read: {e}."),
                    "Check the file's permissions.",
                );
                return None;
            }
        };
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return None;
        }
        let mut bytes = Vec::new();
        if size <= MAX_MODULE_BYTES
            && let Err(e) = file.take(MAX_MODULE_BYTES + 1).read_to_end(&mut bytes)
        {
            self.problem(
                &shown,
                format!("{name} cannot be read: {e}."),
                "Check the file's permissions.",
            );
            return None;
        }
        Some(SourceFile {
            name: name.to_string(),
            bytes,
            size,
        })
    }

    fn read_media(&mut self, root: &Path, dir: &Path, depth: usize) {
        if depth > MAX_MEDIA_DEPTH {
            return;
        }
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if self.media.len() >= MAX_MEDIA_FILES {
                return;
            }
            let relative = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let Ok(real) = path.canonicalize() else {
                self.problem(
                    &format!("{}/{}", self.display_root, relative),
                    format!("{relative} cannot be read; it may be a link to a file that is gone."),
                    "Replace the link with the real file.",
                );
                continue;
            };
            if !real.starts_with(root) {
                self.outside(&relative);
                continue;
            }
            if real.is_dir() {
                // A link to a folder inside the course would list files twice.
                if path.is_symlink() {
                    continue;
                }
                self.read_media(root, &path, depth + 1);
            } else if let Some(file) = media_cache::read(&relative, &real) {
                self.media.insert(relative, file);
            }
        }
    }
}
