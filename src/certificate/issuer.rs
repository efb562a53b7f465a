//! The site as an issuer of credentials: its `did:web` identity and its key
//! ring, made once at start-up. Signs a stored certificate as an Open
//! Badges credential, publishes the DID document, and checks a credential
//! against the site's own keys.

use std::path::Path;

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use super::did::{self, DidError};
use super::issued;
use super::keyring::{KEY_FOLDER, KeyRing};
use super::keys::{IssuerKey, KeyError};
use super::proof::{self, SignError, VerifyError};
use super::{credential, verification_method_id};
use crate::course::Sectors;
use crate::store::certificates::Certificate;

pub struct Issuer {
    did: String,
    did_document_path: String,
    ring: KeyRing,
    /// Public keys, oldest first, kept for the DID document and verifying.
    public_keys: Vec<(String, VerifyingKey)>,
}

#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    #[error("the public address cannot name the certificate issuer: {0}")]
    Did(#[from] DidError),
    #[error("the certificate key: {0}")]
    Key(#[from] KeyError),
}

impl Issuer {
    /// The issuer for the site at `public_url`, with the keys from
    /// `certificate_key` (see [`crate::config::Settings::certificate_key`])
    /// or, when that is empty, from `{data}/certificate-keys/` (made on
    /// first start).
    pub fn open(
        public_url: &str,
        certificate_key: &str,
        data: &Path,
        now: DateTime<Utc>,
    ) -> Result<Issuer, IssuerError> {
        let ring = if certificate_key.trim().is_empty() {
            KeyRing::open_or_create(&data.join(KEY_FOLDER), now)?
        } else {
            ring_from_setting(certificate_key)?
        };
        Ok(Issuer::new(public_url, ring)?)
    }

    pub fn new(public_url: &str, ring: KeyRing) -> Result<Issuer, DidError> {
        let public_keys = ring.public_keys();
        Ok(Issuer {
            did: did::did_web(public_url)?,
            did_document_path: did::did_document_path(public_url)?,
            ring,
            public_keys,
        })
    }

    pub fn did(&self) -> &str {
        &self.did
    }

    /// Where did:web says the DID document lives on this site.
    pub fn did_document_path(&self) -> &str {
        &self.did_document_path
    }

    pub fn did_document(&self) -> Value {
        did::did_document(&self.did, &self.public_keys)
    }

    /// The signed `OpenBadgeCredential` for a stored certificate. Signed
    /// with the current key and dated at issue, so the same certificate
    /// always gives the same credential until the key changes.
    pub fn credential(
        &self,
        certificate: &Certificate,
        sectors: &Sectors,
        course_summary: &str,
        public_url: &str,
    ) -> Result<Value, SignError> {
        let facts = issued::facts(certificate, sectors, course_summary, public_url);
        let unsigned = credential::build_credential(&facts, &self.did);
        let key = self.ring.current();
        credential::sign(
            &unsigned,
            key.signing_key(),
            &verification_method_id(&self.did, key.id()),
            certificate.issued_at,
        )
    }

    /// Checks a credential's proof against this site's keys, old and new.
    pub fn verify(&self, credential: &Value) -> Result<(), VerifyError> {
        proof::verify(credential, did::key_resolver(&self.did, &self.public_keys))
    }
}

/// `key-1:z3u2..., key-2:z3u2...` (names optional; unnamed keys are
/// numbered by position): oldest first, the last one signs.
fn ring_from_setting(value: &str) -> Result<KeyRing, KeyError> {
    let mut keys = Vec::new();
    for (position, entry) in value
        .split([',', ' ', '\n', '\t'])
        .filter(|e| !e.trim().is_empty())
        .enumerate()
    {
        let entry = entry.trim();
        let named = if entry.contains(':') {
            entry.to_string()
        } else {
            format!("key-{}:{entry}", position + 1)
        };
        keys.push(IssuerKey::from_setting(&named)?);
    }
    let current = keys.pop().ok_or(KeyError::NoKeyGiven)?;
    Ok(KeyRing::new(current, keys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::keys::multikey_secret;
    use chrono::TimeZone;

    fn certificate() -> Certificate {
        Certificate {
            id: "K7MX3QPAW".into(),
            user_id: 1,
            course_slug: "kitchen-basics".into(),
            course_version: 1,
            learner_name: "أمينة خان".into(),
            title: "Kitchen Basics".into(),
            course_title: "Kitchen basics".into(),
            sector: "hospitality".into(),
            level: "A2".into(),
            hours: Some(20.0),
            organisation: "Presto".into(),
            issued_at: Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap(),
            expires_at: None,
            revoked_at: None,
            revoked_reason: None,
        }
    }

    #[test]
    fn a_credential_signed_before_a_key_change_still_verifies() {
        let now = Utc::now();
        let first = IssuerKey::generate("key-1", now).unwrap();
        let second = IssuerKey::generate("key-2", now).unwrap();
        let setting = |keys: &[&IssuerKey]| {
            keys.iter()
                .map(|k| format!("{}:{}", k.id(), multikey_secret(k.signing_key()).as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let url = "https://learn.example.org";
        let before = Issuer::new(url, ring_from_setting(&setting(&[&first])).unwrap()).unwrap();
        let old = before
            .credential(&certificate(), &Sectors::default(), "", url)
            .unwrap();

        let after = Issuer::new(
            url,
            ring_from_setting(&setting(&[&first, &second])).unwrap(),
        )
        .unwrap();
        after.verify(&old).expect("old credential, old key");
        let new = after
            .credential(&certificate(), &Sectors::default(), "", url)
            .unwrap();
        assert!(
            new["proof"]["verificationMethod"]
                .as_str()
                .unwrap()
                .ends_with("#key-2")
        );
        after.verify(&new).unwrap();
        assert!(
            before.verify(&new).is_err(),
            "the old ring does not know key-2"
        );
    }

    #[test]
    fn unnamed_keys_are_numbered_and_an_empty_setting_is_refused() {
        let key = IssuerKey::generate("x", Utc::now()).unwrap();
        let secret = multikey_secret(key.signing_key());
        let ring = ring_from_setting(secret.as_str()).unwrap();
        assert_eq!(ring.current().id(), "key-1");
        assert!(matches!(
            ring_from_setting(" , "),
            Err(KeyError::NoKeyGiven)
        ));
    }
}
