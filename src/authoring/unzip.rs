//! A course zip unpacked into memory, or refused with the reason.
//!
//! Nothing here touches the disk: the zip is read from bytes into a
//! [`CourseFiles`], which is compiled before anything is written. Every
//! entry is checked before any is unpacked, so a zip with one bad entry is
//! refused whole. Sizes are counted as the bytes come out, not taken from
//! the zip's own headers (which a zip bomb lies in).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::files::{CourseFiles, is_course_file};

/// How much a course zip may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// The zip file itself.
    pub zip_bytes: u64,
    /// Every file in it, unpacked.
    pub unpacked_bytes: u64,
    /// Entries in the zip, folders included.
    pub entries: usize,
}

impl ZipLimits {
    /// Limits for a zip of at most `megabytes`: unpacked, a course may be
    /// four times that (pictures and sound hardly compress; text does).
    pub fn for_megabytes(megabytes: u64) -> ZipLimits {
        let zip_bytes = megabytes.saturating_mul(1024 * 1024);
        ZipLimits {
            zip_bytes,
            unpacked_bytes: zip_bytes.saturating_mul(4),
            entries: 5_000,
        }
    }

    pub fn zip_megabytes(&self) -> u64 {
        self.zip_bytes / (1024 * 1024)
    }

    pub fn unpacked_megabytes(&self) -> u64 {
        self.unpacked_bytes / (1024 * 1024)
    }
}

/// Why a zip was refused. Each names what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipRefusal {
    #[error("the file is not a zip")]
    NotAZip,
    #[error("the zip is larger than {limit_mb} MB")]
    TooBig { limit_mb: u64 },
    #[error("unpacked, the zip is larger than {limit_mb} MB")]
    TooBigUnpacked { limit_mb: u64 },
    #[error("the zip has more than {limit} files and folders")]
    TooManyFiles { limit: usize },
    #[error("{path} points outside the zip's folder")]
    UnsafePath { path: String },
    #[error("{path} is a link")]
    Symlink { path: String },
    #[error("{path} is outside the course folder")]
    OutsideCourse { path: String },
    #[error("the zip has no course.toml at its top or in one folder")]
    NoCourse,
    #[error("{path} cannot be unpacked: {reason}")]
    Unreadable { path: String, reason: String },
}

/// A course as it came out of a zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpacked {
    /// The name of the one folder the course was in, or None when
    /// course.toml sits at the top of the zip.
    pub folder: Option<String>,
    /// The files the compiler reads, by path inside the course folder.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files in the course folder that Presto does not use, so were left
    /// out (a README.txt, a drafts folder); shown to the tutor.
    pub left_out: Vec<String>,
}

impl Unpacked {
    pub fn into_course(self, slug: &str) -> CourseFiles {
        CourseFiles {
            slug: slug.to_string(),
            files: self.files,
        }
    }
}

/// Unpacks a course zip into memory, refusing anything unsafe or too big.
pub fn unpack(bytes: &[u8], limits: &ZipLimits) -> Result<Unpacked, ZipRefusal> {
    if bytes.len() as u64 > limits.zip_bytes {
        return Err(ZipRefusal::TooBig {
            limit_mb: limits.zip_megabytes(),
        });
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| ZipRefusal::NotAZip)?;
    if archive.len() > limits.entries {
        return Err(ZipRefusal::TooManyFiles {
            limit: limits.entries,
        });
    }

    // Every entry's name and kind first: one unsafe entry refuses the zip.
    let mut entries: Vec<(usize, String)> = Vec::new();
    let mut declared: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| unreadable(index, &e))?;
        let name = entry
            .name()
            .map_err(|e| unreadable(index, &e))?
            .into_owned();
        let path = safe_path(&name)?;
        if entry.is_symlink() {
            return Err(ZipRefusal::Symlink { path });
        }
        if entry.is_dir() || is_packing_leftover(&path) {
            continue;
        }
        declared = declared.saturating_add(entry.size());
        entries.push((index, path));
    }
    if declared > limits.unpacked_bytes {
        return Err(ZipRefusal::TooBigUnpacked {
            limit_mb: limits.unpacked_megabytes(),
        });
    }

    let folder = course_folder(entries.iter().map(|(_, p)| p.as_str()))?;
    let prefix = folder.as_ref().map(|f| format!("{f}/")).unwrap_or_default();
    let mut files = BTreeMap::new();
    let mut left_out = Vec::new();
    let mut budget = limits.unpacked_bytes;
    for (index, path) in entries {
        let Some(inside) = path.strip_prefix(&prefix) else {
            return Err(ZipRefusal::OutsideCourse { path });
        };
        if !is_course_file(inside) {
            left_out.push(inside.to_string());
            continue;
        }
        let entry = archive
            .by_index(index)
            .map_err(|e| unreadable_path(&path, &e))?;
        // The header's size may lie: read one byte past what is left.
        let mut contents = Vec::new();
        entry
            .take(budget.saturating_add(1))
            .read_to_end(&mut contents)
            .map_err(|e| ZipRefusal::Unreadable {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        budget = budget
            .checked_sub(contents.len() as u64)
            .ok_or(ZipRefusal::TooBigUnpacked {
                limit_mb: limits.unpacked_megabytes(),
            })?;
        files.insert(inside.to_string(), contents);
    }
    Ok(Unpacked {
        folder,
        files,
        left_out,
    })
}

/// The entry's path with `/` separators, or why it is unsafe: absolute,
/// climbing out with `..`, a drive letter, or a NUL.
fn safe_path(name: &str) -> Result<String, ZipRefusal> {
    let unsafe_path = || ZipRefusal::UnsafePath {
        path: name.to_string(),
    };
    let path = name.replace('\\', "/");
    if path.starts_with('/') || path.contains('\0') || path.trim_matches('/').is_empty() {
        return Err(unsafe_path());
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let drive = parts.first().is_some_and(|p| p.contains(':'));
    if drive || parts.contains(&"..") {
        return Err(unsafe_path());
    }
    Ok(parts.join("/"))
}

/// What zip programs add on their own: macOS's `__MACOSX/` copies and
/// `.DS_Store`, Windows' `Thumbs.db`. Left out without a word.
fn is_packing_leftover(path: &str) -> bool {
    path.starts_with("__MACOSX/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|name| name == ".DS_Store" || name.eq_ignore_ascii_case("Thumbs.db"))
}

/// Where the course is: course.toml at the top (None), or in the one
/// folder at the top.
fn course_folder<'a>(
    paths: impl Iterator<Item = &'a str> + Clone,
) -> Result<Option<String>, ZipRefusal> {
    if paths.clone().any(|p| p == "course.toml") {
        return Ok(None);
    }
    let holders: BTreeSet<&str> = paths
        .clone()
        .filter_map(|p| p.strip_suffix("/course.toml"))
        .filter(|folder| !folder.contains('/'))
        .collect();
    let mut holders = holders.into_iter();
    match (holders.next(), holders.next()) {
        (Some(folder), None) => {
            // Anything beside the folder is not part of the course.
            let prefix = format!("{folder}/");
            match paths.clone().find(|p| !p.starts_with(&prefix)) {
                Some(outside) => Err(ZipRefusal::OutsideCourse {
                    path: outside.to_string(),
                }),
                None => Ok(Some(folder.to_string())),
            }
        }
        (Some(_), Some(second)) => Err(ZipRefusal::OutsideCourse {
            path: format!("{second}/course.toml"),
        }),
        (None, _) => Err(ZipRefusal::NoCourse),
    }
}

fn unreadable(index: usize, error: &ZipError) -> ZipRefusal {
    unreadable_path(&format!("file {}", index + 1), error)
}

fn unreadable_path(path: &str, error: &ZipError) -> ZipRefusal {
    let reason = match error {
        ZipError::UnsupportedArchive(what)
            if what.contains("ncrypt") || what.contains("assword") =>
        {
            "it has a password".to_string()
        }
        ZipError::CompressionMethodNotSupported(_) => {
            "it is compressed in a way Presto cannot read (use ordinary \"deflate\" compression)"
                .to_string()
        }
        other => other.to_string(),
    };
    ZipRefusal::Unreadable {
        path: path.to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const LIMITS: ZipLimits = ZipLimits {
        zip_bytes: 1024 * 1024,
        unpacked_bytes: 64 * 1024,
        entries: 20,
    };

    #[test]
    fn a_course_in_one_folder_is_unpacked_with_what_presto_reads() {
        let zip = zip_of(&[
            ("kitchen/course.toml", b"title = \"x\""),
            ("kitchen/01-intro.md", b"# Intro"),
            ("kitchen/media/sign.svg", b"<svg/>"),
            ("kitchen/notes.txt", b"my notes"),
            ("kitchen/.DS_Store", b"junk"),
            ("__MACOSX/kitchen/._01-intro.md", b"junk"),
        ]);
        let unpacked = unpack(&zip, &LIMITS).unwrap();
        assert_eq!(unpacked.folder.as_deref(), Some("kitchen"));
        let names: Vec<&str> = unpacked.files.keys().map(String::as_str).collect();
        assert_eq!(names, ["01-intro.md", "course.toml", "media/sign.svg"]);
        assert_eq!(unpacked.files["01-intro.md"], b"# Intro");
        assert_eq!(unpacked.left_out, ["notes.txt"]);
    }

    #[test]
    fn course_toml_may_sit_at_the_top() {
        let zip = zip_of(&[("course.toml", b"x"), ("01-intro.md", b"# Intro")]);
        let unpacked = unpack(&zip, &LIMITS).unwrap();
        assert_eq!(unpacked.folder, None);
        assert_eq!(unpacked.files.len(), 2);
    }

    #[test]
    fn unsafe_zips_are_refused() {
        let refusal = |entries: &[(&str, &[u8])]| unpack(&zip_of(entries), &LIMITS).unwrap_err();
        assert_eq!(
            refusal(&[("course.toml", b"x"), ("../evil.md", b"x")]),
            ZipRefusal::UnsafePath {
                path: "../evil.md".into()
            }
        );
        assert_eq!(
            refusal(&[("course.toml", b"x"), ("media/../../evil.md", b"x")]),
            ZipRefusal::UnsafePath {
                path: "media/../../evil.md".into()
            }
        );
        assert!(matches!(
            refusal(&[("/etc/cron.d/evil", b"x")]),
            ZipRefusal::UnsafePath { .. }
        ));
        assert!(matches!(
            refusal(&[("C:\\evil.md", b"x")]),
            ZipRefusal::UnsafePath { .. }
        ));
        assert_eq!(
            refusal(&[("a/course.toml", b"x"), ("b/01-x.md", b"x")]),
            ZipRefusal::OutsideCourse {
                path: "b/01-x.md".into()
            }
        );
        assert_eq!(
            refusal(&[("a/course.toml", b"x"), ("b/course.toml", b"x")]),
            ZipRefusal::OutsideCourse {
                path: "b/course.toml".into()
            }
        );
        assert_eq!(refusal(&[("a/b/course.toml", b"x")]), ZipRefusal::NoCourse);
        assert_eq!(refusal(&[("01-x.md", b"x")]), ZipRefusal::NoCourse);
    }

    #[test]
    fn links_are_refused() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file("c/course.toml", SimpleFileOptions::default())
            .unwrap();
        writer
            .add_symlink(
                "c/media/passwd",
                "/etc/passwd",
                SimpleFileOptions::default(),
            )
            .unwrap();
        let zip = writer.finish().unwrap().into_inner();
        assert_eq!(
            unpack(&zip, &LIMITS).unwrap_err(),
            ZipRefusal::Symlink {
                path: "c/media/passwd".into()
            }
        );
    }

    #[test]
    fn zip_bombs_and_big_zips_are_refused() {
        let zeros = vec![0u8; 100 * 1024];
        let zip = zip_of(&[("course.toml", b"x"), ("media/zeros.bin", &zeros)]);
        assert!(zip.len() < 4096, "it compresses well: {}", zip.len());
        assert_eq!(
            unpack(&zip, &LIMITS).unwrap_err(),
            ZipRefusal::TooBigUnpacked { limit_mb: 0 }
        );
        let small = ZipLimits {
            zip_bytes: 100,
            ..LIMITS
        };
        assert_eq!(
            unpack(&zip, &small).unwrap_err(),
            ZipRefusal::TooBig { limit_mb: 0 }
        );
        let many: Vec<(String, &[u8])> = (0..21)
            .map(|i| (format!("media/{i}.svg"), &b"x"[..]))
            .collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        assert_eq!(
            unpack(&zip_of(&many), &LIMITS).unwrap_err(),
            ZipRefusal::TooManyFiles { limit: 20 }
        );
    }

    #[test]
    fn a_header_that_lies_about_the_size_does_not_get_past_the_limit() {
        // A file whose header claims 10 bytes but holds 100 KB: the real
        // bytes are counted. The zip crate checks sizes as it reads too;
        // either way nothing past the budget is kept.
        let zeros = vec![0u8; 100 * 1024];
        let mut zip = zip_of(&[("course.toml", b"x"), ("media/zeros.bin", &zeros)]);
        let size = (zeros.len() as u32).to_le_bytes();
        let mut patched = 0;
        for at in 0..zip.len().saturating_sub(4) {
            if zip[at..at + 4] == size {
                zip[at..at + 4].copy_from_slice(&10u32.to_le_bytes());
                patched += 1;
            }
        }
        assert!(patched >= 1);
        assert!(unpack(&zip, &LIMITS).is_err());
    }

    #[test]
    fn other_files_are_not_zips() {
        assert_eq!(
            unpack(b"# Just markdown", &LIMITS).unwrap_err(),
            ZipRefusal::NotAZip
        );
        assert_eq!(unpack(b"", &LIMITS).unwrap_err(), ZipRefusal::NotAZip);
    }

    #[test]
    fn paths_are_cleaned() {
        assert_eq!(safe_path("./a//b/./c.md").unwrap(), "a/b/c.md");
        assert_eq!(safe_path("a\\b.md").unwrap(), "a/b.md");
        assert!(safe_path("a/../../b").is_err());
        assert!(safe_path("").is_err());
    }
}
