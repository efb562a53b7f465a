//! Every certificate key the site has had: the newest signs, all of them
//! verify. Kept as one file per key in a folder of the data directory
//! (`{data}/certificate-keys/key-1.json`, `key-2.json`, ...); see
//! [`super::keys`] for the file format.
//!
//! A key file is never deleted or replaced: certificates signed with it
//! verify only while its public key stays in the DID document.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;

use super::keys::{IssuerKey, KeyError};

/// The folder under the data directory that holds the key files.
pub const KEY_FOLDER: &str = "certificate-keys";

pub struct KeyRing {
    /// Older keys, oldest first: they only verify now.
    retired: Vec<IssuerKey>,
    /// The key new certificates are signed with.
    current: IssuerKey,
}

impl KeyRing {
    /// A ring of keys given some other way (settings): `current` signs.
    pub fn new(current: IssuerKey, retired: Vec<IssuerKey>) -> Self {
        KeyRing { retired, current }
    }

    /// Loads every `key-N.json` in `dir`; when there is none yet, creates the
    /// folder (owner-only) and a first key, `key-1`.
    pub fn open_or_create(dir: &Path, now: DateTime<Utc>) -> Result<Self, KeyError> {
        let mut keys = load_all(dir)?;
        match keys.pop() {
            Some((_, current)) => Ok(KeyRing {
                retired: keys.into_iter().map(|(_, key)| key).collect(),
                current,
            }),
            None => {
                create_private_dir(dir)?;
                let current = IssuerKey::generate("key-1", now)?;
                current.save(&dir.join("key-1.json"))?;
                Ok(KeyRing {
                    retired: Vec::new(),
                    current,
                })
            }
        }
    }

    /// Makes a new key `key-{N+1}` in `dir` the current one; the old one
    /// stays for verifying.
    pub fn rotate(&mut self, dir: &Path, now: DateTime<Utc>) -> Result<&IssuerKey, KeyError> {
        let next = self
            .keys()
            .filter_map(|key| key_number(key.id()))
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("key-{next}");
        let key = IssuerKey::generate(&id, now)?;
        key.save(&dir.join(format!("{id}.json")))?;
        let old = std::mem::replace(&mut self.current, key);
        self.retired.push(old);
        Ok(&self.current)
    }

    pub fn current(&self) -> &IssuerKey {
        &self.current
    }

    /// All keys, oldest first, the current one last.
    pub fn keys(&self) -> impl Iterator<Item = &IssuerKey> {
        self.retired.iter().chain(std::iter::once(&self.current))
    }

    /// (key id, public key) for each key, oldest first: the input of
    /// [`super::did::did_document`] and [`super::did::key_resolver`].
    pub fn public_keys(&self) -> Vec<(String, VerifyingKey)> {
        self.keys()
            .map(|key| (key.id().to_string(), key.verifying_key()))
            .collect()
    }
}

/// `key-7` is 7; ids of any other shape have no number.
fn key_number(id: &str) -> Option<u64> {
    id.strip_prefix("key-")?.parse().ok()
}

/// The key files in `dir`, ordered by number. A missing folder is no keys.
fn load_all(dir: &Path) -> Result<Vec<(u64, IssuerKey)>, KeyError> {
    let io_error = |source| KeyError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(e)),
    };
    let mut keys = Vec::new();
    for entry in entries {
        let path = entry.map_err(io_error)?.path();
        // Other files (a backup, an editor's swap file) are not keys.
        let Some(stem) = key_file_stem(&path) else {
            continue;
        };
        let Some(number) = key_number(&stem) else {
            continue;
        };
        let key = IssuerKey::load(&path)?;
        // The id is what old certificates name; a file renamed by hand
        // would publish the key under the wrong name.
        if key.id() != stem {
            return Err(KeyError::IdMismatch {
                path,
                expected: stem,
                found: key.id().to_string(),
            });
        }
        keys.push((number, key));
    }
    keys.sort_by_key(|(number, _)| *number);
    Ok(keys)
}

fn key_file_stem(path: &Path) -> Option<String> {
    if path.extension()? != "json" {
        return None;
    }
    path.file_stem()?.to_str().map(str::to_string)
}

fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| KeyError::Io {
        path: PathBuf::from(dir),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T09:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap()
    }

    #[test]
    fn a_new_site_gets_key_1_and_keeps_it() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join(KEY_FOLDER);
        let first = KeyRing::open_or_create(&dir, now()).unwrap();
        assert_eq!(first.current().id(), "key-1");
        let again = KeyRing::open_or_create(&dir, now()).unwrap();
        assert_eq!(
            again.current().verifying_key(),
            first.current().verifying_key()
        );
        assert_eq!(again.public_keys().len(), 1);
    }

    #[test]
    fn rotating_keeps_old_keys_for_verifying() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join(KEY_FOLDER);
        let mut ring = KeyRing::open_or_create(&dir, now()).unwrap();
        let first = ring.current().verifying_key();
        ring.rotate(&dir, now()).unwrap();
        for _ in 0..9 {
            ring.rotate(&dir, now()).unwrap();
        }
        assert_eq!(ring.current().id(), "key-11");

        let reopened = KeyRing::open_or_create(&dir, now()).unwrap();
        let ids: Vec<String> = reopened
            .public_keys()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        // By number, not by name: key-10 comes after key-9.
        assert_eq!(ids.first().map(String::as_str), Some("key-1"));
        assert_eq!(ids.get(9).map(String::as_str), Some("key-10"));
        assert_eq!(reopened.current().id(), "key-11");
        assert_eq!(reopened.public_keys()[0].1, first);
    }

    #[test]
    fn a_renamed_key_file_is_refused() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join(KEY_FOLDER);
        KeyRing::open_or_create(&dir, now()).unwrap();
        fs::rename(dir.join("key-1.json"), dir.join("key-2.json")).unwrap();
        assert!(matches!(
            KeyRing::open_or_create(&dir, now()),
            Err(KeyError::IdMismatch { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn the_key_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join(KEY_FOLDER);
        KeyRing::open_or_create(&dir, now()).unwrap();
        let mode = fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
