//! Writing a backup file, and reading one back without trusting it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use chrono::Utc;

use super::{
    BackupError, DATABASE, FORMAT, KEY_FOLDER, MANIFEST, Manifest, OUTBOX, SESSION_KEY, Sources,
    sqlite,
};

/// A backup made.
#[derive(Debug)]
pub struct Made {
    pub path: PathBuf,
    pub manifest: Manifest,
    /// Files in it, the manifest included.
    pub files: usize,
    pub bytes: u64,
}

/// Writes everything into a folder beside `out` and gives the finished
/// file its name only at the end, without replacing anything there.
pub(super) async fn make(sources: Sources<'_>, out: &Path) -> Result<Made, BackupError> {
    if fs::symlink_metadata(out).is_ok() {
        return Err(BackupError::Exists(out.to_path_buf()));
    }
    let staging = Staging::beside(out)?;
    let database = staging.path.join(DATABASE);
    if let Some(db) = sources.database {
        sqlite::copy_into(db, &database).await?;
    }
    let manifest = Manifest {
        format: FORMAT,
        presto_version: env!("CARGO_PKG_VERSION").to_string(),
        made_at: Utc::now(),
        database: sources.database.is_some(),
        courses: sources.courses.is_some(),
    };
    let data = sources.data.to_path_buf();
    let courses = sources.courses.map(Path::to_path_buf);
    let written = staging.path.join("backup.tar");
    let (files, manifest) = {
        let written = written.clone();
        tokio::task::spawn_blocking(move || {
            let copied_database = manifest.database.then_some(database.as_path());
            write_tar(
                &written,
                &manifest,
                copied_database,
                &data,
                courses.as_deref(),
            )
            .map(|files| (files, manifest))
        })
        .await
        .map_err(|e| BackupError::Io(out.to_path_buf(), io::Error::other(e)))??
    };
    give_name(&written, out)?;
    let bytes = fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(Made {
        path: out.to_path_buf(),
        manifest,
        files,
        bytes,
    })
}

/// A private folder beside the backup being made, removed when dropped.
struct Staging {
    path: PathBuf,
}

impl Staging {
    fn beside(out: &Path) -> Result<Staging, BackupError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into());
        if !parent.is_dir() {
            return Err(BackupError::Io(
                parent.to_path_buf(),
                io::Error::new(io::ErrorKind::NotFound, "there is no such folder"),
            ));
        }
        let path = parent.join(format!(
            ".{name}.partial-{}-{}",
            std::process::id(),
            Utc::now().timestamp_micros()
        ));
        private_dir(&path).map_err(|e| BackupError::Io(path.clone(), e))?;
        Ok(Staging { path })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Whether a name in a folder is a backup's leftover staging folder.
pub(super) fn is_staging_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(".partial-")
}

/// Links the finished file to its name, which fails if the name is taken
/// (no check-then-write race); copies where links are not supported.
fn give_name(written: &Path, out: &Path) -> Result<(), BackupError> {
    match fs::hard_link(written, out) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(BackupError::Exists(out.to_path_buf()))
        }
        Err(_) => {
            let mut target = private_file(out).map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists => BackupError::Exists(out.to_path_buf()),
                _ => BackupError::Io(out.to_path_buf(), e),
            })?;
            let copied = File::open(written)
                .and_then(|mut from| io::copy(&mut from, &mut target))
                .and_then(|_| target.sync_all());
            copied.map_err(|e| {
                let _ = fs::remove_file(out);
                BackupError::Io(out.to_path_buf(), e)
            })
        }
    }
}

fn write_tar(
    written: &Path,
    manifest: &Manifest,
    database: Option<&Path>,
    data: &Path,
    courses: Option<&Path>,
) -> Result<usize, BackupError> {
    let io_at = |path: &Path| {
        let path = path.to_path_buf();
        move |e| BackupError::Io(path, e)
    };
    let file = private_file(written).map_err(io_at(written))?;
    let mut tar = tar::Builder::new(BufWriter::new(file));
    let text = toml::to_string(manifest)
        .map_err(|e| BackupError::Io(written.into(), io::Error::other(e)))?;
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(manifest.made_at.timestamp().max(0) as u64);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, text.as_bytes())
        .map_err(io_at(written))?;
    let mut files = 1;
    if let Some(database) = database {
        tar.append_path_with_name(database, format!("data/{DATABASE}"))
            .map_err(io_at(database))?;
        files += 1;
    }
    let session_key = data.join(SESSION_KEY);
    if session_key.is_file() {
        tar.append_path_with_name(&session_key, format!("data/{SESSION_KEY}"))
            .map_err(io_at(&session_key))?;
        files += 1;
    }
    for folder in [KEY_FOLDER, OUTBOX] {
        files += append_tree(&mut tar, &data.join(folder), &format!("data/{folder}"))?;
    }
    if let Some(courses) = courses {
        files += append_tree(&mut tar, courses, "courses")?;
    }
    let mut writer = tar.into_inner().map_err(io_at(written))?;
    writer.flush().map_err(io_at(written))?;
    let file = writer
        .into_inner()
        .map_err(|e| BackupError::Io(written.into(), e.into_error()))?;
    file.sync_all().map_err(io_at(written))?;
    Ok(files)
}

/// Adds a folder's files and subfolders under `name`; symbolic links and
/// version-control folders are left out. A folder that is not there adds
/// nothing.
fn append_tree<W: Write>(
    tar: &mut tar::Builder<W>,
    folder: &Path,
    name: &str,
) -> Result<usize, BackupError> {
    let Ok(meta) = fs::symlink_metadata(folder) else {
        return Ok(0);
    };
    if !meta.is_dir() {
        return Ok(0);
    }
    tar.append_dir(name, folder)
        .map_err(|e| BackupError::Io(folder.into(), e))?;
    let mut entries: Vec<_> = fs::read_dir(folder)
        .and_then(|list| list.collect::<Result<Vec<_>, _>>())
        .map_err(|e| BackupError::Io(folder.into(), e))?;
    entries.sort_by_key(|e| e.file_name());
    let mut files = 0;
    for entry in entries {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            tracing::warn!(path = %entry.path().display(), "left out of the backup: the name is not UTF-8");
            continue;
        };
        if file_name == ".git" {
            continue;
        }
        let path = entry.path();
        let inner = format!("{name}/{file_name}");
        let kind = entry
            .file_type()
            .map_err(|e| BackupError::Io(path.clone(), e))?;
        if kind.is_dir() {
            files += append_tree(tar, &path, &inner)?;
        } else if kind.is_file() {
            tar.append_path_with_name(&path, &inner)
                .map_err(|e| BackupError::Io(path.clone(), e))?;
            files += 1;
        }
    }
    Ok(files)
}

/// Whether a path inside a backup is one a restore accepts: the manifest,
/// the database, the session key, files under the key and outbox folders,
/// and anything under `courses/`. Never absolute, never `..`.
fn accepted(path: &Path) -> bool {
    let parts: Option<Vec<&str>> = path
        .components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    let Some(parts) = parts else {
        return false;
    };
    match parts.as_slice() {
        [] => false,
        [only] => *only == MANIFEST || *only == "data" || *only == "courses",
        ["data", name] => [DATABASE, SESSION_KEY, KEY_FOLDER, OUTBOX].contains(name),
        ["data", folder, ..] => *folder == KEY_FOLDER || *folder == OUTBOX,
        ["courses", ..] => true,
        _ => false,
    }
}

/// Reads a backup into `into` (an empty folder): only the entries a backup
/// may hold, only files and folders. Returns its manifest.
pub(super) fn unpack(backup: &Path, into: &Path) -> Result<Manifest, BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup(backup.to_path_buf(), why);
    let file = File::open(backup).map_err(|e| BackupError::Io(backup.to_path_buf(), e))?;
    let mut archive = tar::Archive::new(io::BufReader::new(file));
    let mut manifest = None;
    let entries = archive.entries().map_err(|e| not_a_backup(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| not_a_backup(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| not_a_backup(e.to_string()))?
            .into_owned();
        if !accepted(&path) {
            return Err(not_a_backup(format!(
                "it holds {}, which a backup never does",
                path.display()
            )));
        }
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_dir()) {
            return Err(not_a_backup(format!(
                "{} is neither a file nor a folder",
                path.display()
            )));
        }
        if path == Path::new(MANIFEST) {
            let mut text = String::new();
            io::Read::read_to_string(&mut entry, &mut text)
                .map_err(|e| not_a_backup(e.to_string()))?;
            let read: Manifest = toml::from_str(&text)
                .map_err(|e| not_a_backup(format!("its {MANIFEST} cannot be read: {e}")))?;
            if read.format != FORMAT {
                return Err(not_a_backup(format!(
                    "it is in format {} (made by Presto {}); this Presto reads format {FORMAT}",
                    read.format, read.presto_version
                )));
            }
            manifest = Some(read);
            continue;
        }
        entry.set_preserve_permissions(false);
        entry.set_preserve_mtime(true);
        let unpacked = entry
            .unpack_in(into)
            .map_err(|e| BackupError::Io(into.join(&path), e))?;
        if !unpacked {
            return Err(not_a_backup(format!(
                "{} would be written outside the folder",
                path.display()
            )));
        }
    }
    manifest.ok_or_else(|| not_a_backup(format!("it has no {MANIFEST}")))
}

/// A folder only the server's user may open.
pub(super) fn private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// A new file only the server's user may read; fails if it exists.
fn private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_backup_holds_is_accepted() {
        for good in [
            "presto-backup.toml",
            "data",
            "data/presto.db",
            "data/session.key",
            "data/certificate-keys/key-1.json",
            "data/outbox/x.eml",
            "courses/first-steps/media/a.png",
        ] {
            assert!(accepted(Path::new(good)), "{good}");
        }
        for bad in [
            "/etc/passwd",
            "../presto.db",
            "data/../../x",
            "data/presto.lock",
            "data/presto.db-wal",
            "presto.db",
            "courses/../data/session.key",
            "something/else",
        ] {
            assert!(!accepted(Path::new(bad)), "{bad}");
        }
    }
}
