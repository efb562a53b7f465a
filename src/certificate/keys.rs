//! The Ed25519 keys that sign certificates, and their text forms.
//!
//! Keys are written as Multikey values (W3C Controlled Identifiers 1.0): a
//! multicodec header, the 32 key bytes, base58btc, and a leading `z`. The
//! public form (header `0xed01`, `z6Mk...`) is what `did.json` publishes; the
//! secret form (header `0x8026`, `z3u2...`) is what the key file and the
//! `certificate_key` setting hold. These are the same encodings the W3C test
//! vectors use, so a vector key loads through the same code as ours.
//!
//! # Key file
//!
//! One small JSON file per key, written once with owner-only permissions
//! (0600 on unix) and never overwritten:
//!
//! ```json
//! {
//!   "id": "key-1",
//!   "created": "2026-03-01T09:30:00Z",
//!   "publicKeyMultibase": "z6Mk...",
//!   "secretKeyMultibase": "z3u2..."
//! }
//! ```
//!
//! `id` is the fragment of the verification method (`did:web:host#key-1`),
//! so it must stay the same for the life of the key. `publicKeyMultibase` is
//! there for people reading the file; on load it must match the secret.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::TryRngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// Multicodec header of an Ed25519 public key (`ed25519-pub`, varint 0xed).
const ED25519_PUBLIC_HEADER: [u8; 2] = [0xed, 0x01];
/// Multicodec header of an Ed25519 secret key (`ed25519-priv`, varint 0x1300).
const ED25519_SECRET_HEADER: [u8; 2] = [0x80, 0x26];
/// Length of an Ed25519 public key or secret seed.
const KEY_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("a Multikey value must start with 'z' (base58btc)")]
    NotBase58Btc,
    #[error("the key is not valid base58")]
    Base58(#[from] bs58::decode::Error),
    #[error("this is not an Ed25519 {expected} key (its multicodec header is wrong)")]
    WrongHeader { expected: &'static str },
    #[error("an Ed25519 key is 32 bytes after its header, this one is {0}")]
    WrongLength(usize),
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPublicKey,
    #[error("a key id is 1 to 64 letters, digits, '-', '_' or '.', such as key-1 (got {0:?})")]
    BadKeyId(String),
    #[error("the operating system gave no random bytes for a new key")]
    NoRandomness(#[source] rand::rand_core::OsError),
    #[error("cannot read or write the key file {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is not a valid key file", path.display())]
    Format {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("in {}, the key id {found:?} is not the file name's {expected:?}", path.display())]
    IdMismatch {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("in {}, publicKeyMultibase does not belong to the secret key", path.display())]
    PublicKeyMismatch { path: PathBuf },
    #[error("the certificate_key setting holds no key")]
    NoKeyGiven,
}

/// The Multikey form of an Ed25519 public key: `z` + base58btc(0xed01 + key).
pub fn multikey_public(key: &VerifyingKey) -> String {
    encode_multikey(ED25519_PUBLIC_HEADER, key.as_bytes())
}

/// Reads a Multikey Ed25519 public key (`z6Mk...`).
pub fn parse_multikey_public(text: &str) -> Result<VerifyingKey, KeyError> {
    let bytes = decode_multikey(text, ED25519_PUBLIC_HEADER, "public")?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::InvalidPublicKey)
}

/// The Multikey form of an Ed25519 secret key: `z` + base58btc(0x8026 + seed).
/// Zeroed when dropped: it is the whole secret.
pub fn multikey_secret(key: &SigningKey) -> Zeroizing<String> {
    let seed = Zeroizing::new(key.to_bytes());
    Zeroizing::new(encode_multikey(ED25519_SECRET_HEADER, &seed))
}

/// Reads a Multikey Ed25519 secret key (`z3u2...`).
pub fn parse_multikey_secret(text: &str) -> Result<SigningKey, KeyError> {
    let seed = Zeroizing::new(decode_multikey(text, ED25519_SECRET_HEADER, "secret")?);
    Ok(SigningKey::from_bytes(&seed))
}

fn encode_multikey(header: [u8; 2], key: &[u8; KEY_LEN]) -> String {
    let mut bytes = Zeroizing::new(Vec::with_capacity(header.len() + KEY_LEN));
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(key);
    format!("z{}", bs58::encode(bytes.as_slice()).into_string())
}

fn decode_multikey(
    text: &str,
    header: [u8; 2],
    expected: &'static str,
) -> Result<[u8; KEY_LEN], KeyError> {
    let encoded = text
        .trim()
        .strip_prefix('z')
        .ok_or(KeyError::NotBase58Btc)?;
    let bytes = Zeroizing::new(bs58::decode(encoded).into_vec()?);
    let key = bytes
        .strip_prefix(header.as_slice())
        .ok_or(KeyError::WrongHeader { expected })?;
    key.try_into().map_err(|_| KeyError::WrongLength(key.len()))
}

/// A checked key id: the fragment after `#` in a verification method id,
/// and the key file's name. Kept to a safe alphabet so it needs no escaping
/// in either place.
pub fn check_key_id(id: &str) -> Result<&str, KeyError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !id.starts_with('.');
    if ok {
        Ok(id)
    } else {
        Err(KeyError::BadKeyId(id.to_string()))
    }
}

/// A certificate signing key with the id it is published under.
pub struct IssuerKey {
    id: String,
    created: Option<DateTime<Utc>>,
    signing: SigningKey,
}

impl IssuerKey {
    /// A new key from the operating system's random source.
    pub fn generate(id: &str, created: DateTime<Utc>) -> Result<Self, KeyError> {
        let mut seed = Zeroizing::new([0u8; KEY_LEN]);
        OsRng
            .try_fill_bytes(seed.as_mut())
            .map_err(KeyError::NoRandomness)?;
        Self::from_signing_key(id, Some(created), SigningKey::from_bytes(&seed))
    }

    pub fn from_signing_key(
        id: &str,
        created: Option<DateTime<Utc>>,
        signing: SigningKey,
    ) -> Result<Self, KeyError> {
        Ok(IssuerKey {
            id: check_key_id(id)?.to_string(),
            created,
            signing,
        })
    }

    /// A key given in a setting: `key-2:z3u2...` (id, colon, secret Multikey),
    /// or just the secret Multikey, which is then `key-1`. The creation date
    /// is unknown for such a key.
    pub fn from_setting(value: &str) -> Result<Self, KeyError> {
        let value = value.trim();
        let (id, secret) = value.split_once(':').unwrap_or(("key-1", value));
        Self::from_signing_key(id.trim(), None, parse_multikey_secret(secret)?)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn created(&self) -> Option<DateTime<Utc>> {
        self.created
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    pub fn public_multibase(&self) -> String {
        multikey_public(&self.verifying_key())
    }

    /// Writes the key file. Refuses to replace an existing file: a key that
    /// signed certificates must never be lost.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        let file = KeyFile {
            id: self.id.clone(),
            created: self.created,
            public_key_multibase: self.public_multibase(),
            secret_key_multibase: multikey_secret(&self.signing).to_string(),
        };
        let io_error = |source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        };
        let text = Zeroizing::new(serde_json::to_string_pretty(&file).map_err(|source| {
            KeyError::Format {
                path: path.to_path_buf(),
                source,
            }
        })?);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut out = options.open(path).map_err(io_error)?;
        out.write_all(text.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.sync_all())
            .map_err(io_error)
    }

    /// Reads a key file written by [`IssuerKey::save`].
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = Zeroizing::new(fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        })?);
        let file: KeyFile = serde_json::from_str(&text).map_err(|source| KeyError::Format {
            path: path.to_path_buf(),
            source,
        })?;
        let key = Self::from_signing_key(
            &file.id,
            file.created,
            parse_multikey_secret(&file.secret_key_multibase)?,
        )?;
        // A hand-edited or half-copied file must not publish one key and
        // sign with another.
        if parse_multikey_public(&file.public_key_multibase)? != key.verifying_key() {
            return Err(KeyError::PublicKeyMismatch {
                path: path.to_path_buf(),
            });
        }
        Ok(key)
    }
}

impl fmt::Debug for IssuerKey {
    /// Shows the public half only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("id", &self.id)
            .field("created", &self.created)
            .field("public", &self.public_multibase())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyFile {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<DateTime<Utc>>,
    public_key_multibase: String,
    secret_key_multibase: String,
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        self.secret_key_multibase.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key pair of the W3C vc-di-eddsa test vectors.
    const VECTOR_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const VECTOR_SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T09:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn the_vector_secret_key_gives_the_vector_public_key() {
        let secret = parse_multikey_secret(VECTOR_SECRET).unwrap();
        assert_eq!(multikey_public(&secret.verifying_key()), VECTOR_PUBLIC);
        assert_eq!(*multikey_secret(&secret), VECTOR_SECRET);
    }

    #[test]
    fn multikey_round_trips() {
        let key = IssuerKey::generate("key-1", now()).unwrap();
        let public = key.public_multibase();
        assert!(public.starts_with("z6Mk"), "{public}");
        assert_eq!(parse_multikey_public(&public).unwrap(), key.verifying_key());
        let secret = multikey_secret(key.signing_key());
        assert!(secret.starts_with("z3u2"));
        assert_eq!(
            parse_multikey_secret(&secret).unwrap().verifying_key(),
            key.verifying_key()
        );
    }

    #[test]
    fn a_secret_key_is_not_read_as_a_public_one_nor_the_reverse() {
        assert!(matches!(
            parse_multikey_public(VECTOR_SECRET),
            Err(KeyError::WrongHeader { expected: "public" })
        ));
        assert!(matches!(
            parse_multikey_secret(VECTOR_PUBLIC),
            Err(KeyError::WrongHeader { expected: "secret" })
        ));
    }

    #[test]
    fn malformed_multikeys_are_errors() {
        assert!(matches!(
            parse_multikey_public("6MkrJVna"),
            Err(KeyError::NotBase58Btc)
        ));
        assert!(matches!(
            parse_multikey_public("z0OIl"),
            Err(KeyError::Base58(_))
        ));
        let short = format!("z{}", bs58::encode([0xed, 0x01, 1, 2, 3]).into_string());
        assert!(matches!(
            parse_multikey_public(&short),
            Err(KeyError::WrongLength(3))
        ));
    }

    #[test]
    fn key_ids_are_checked() {
        assert!(check_key_id("key-1").is_ok());
        for bad in ["", "key 1", "key#1", "../key", ".hidden", "ключ"] {
            assert!(check_key_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_key_from_a_setting_has_an_id() {
        let key = IssuerKey::from_setting(&format!(" key-3:{VECTOR_SECRET} ")).unwrap();
        assert_eq!(key.id(), "key-3");
        assert_eq!(key.public_multibase(), VECTOR_PUBLIC);
        let bare = IssuerKey::from_setting(VECTOR_SECRET).unwrap();
        assert_eq!(bare.id(), "key-1");
        assert!(IssuerKey::from_setting("key-1:nonsense").is_err());
    }

    #[test]
    fn debug_output_leaves_the_secret_out() {
        let key = IssuerKey::from_setting(VECTOR_SECRET).unwrap();
        let shown = format!("{key:?}");
        assert!(shown.contains(VECTOR_PUBLIC));
        assert!(!shown.contains(VECTOR_SECRET));
    }

    #[test]
    fn a_saved_key_loads_with_the_same_public_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key-1.json");
        let key = IssuerKey::generate("key-1", now()).unwrap();
        key.save(&path).unwrap();
        let loaded = IssuerKey::load(&path).unwrap();
        assert_eq!(loaded.id(), "key-1");
        assert_eq!(loaded.created(), Some(now()));
        assert_eq!(loaded.verifying_key(), key.verifying_key());
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key-1.json");
        IssuerKey::generate("key-1", now())
            .unwrap()
            .save(&path)
            .unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn an_existing_key_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key-1.json");
        let first = IssuerKey::generate("key-1", now()).unwrap();
        first.save(&path).unwrap();
        let second = IssuerKey::generate("key-1", now()).unwrap();
        assert!(matches!(second.save(&path), Err(KeyError::Io { .. })));
        assert_eq!(
            IssuerKey::load(&path).unwrap().verifying_key(),
            first.verifying_key()
        );
    }

    #[test]
    fn a_key_file_whose_public_key_was_changed_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key-1.json");
        IssuerKey::generate("key-1", now())
            .unwrap()
            .save(&path)
            .unwrap();
        let other = IssuerKey::generate("key-2", now()).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
        json["publicKeyMultibase"] = other.public_multibase().into();
        fs::write(&path, json.to_string()).unwrap();
        assert!(matches!(
            IssuerKey::load(&path),
            Err(KeyError::PublicKeyMismatch { .. })
        ));
    }
}
