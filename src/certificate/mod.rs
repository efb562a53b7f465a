//! Certificates as verifiable credentials: each certificate is also an
//! Open Badges 3.0 `OpenBadgeCredential`, signed with Ed25519 as a Data
//! Integrity proof (`eddsa-jcs-2022`), issued by the site's `did:web`
//! identity. Pure code: no web handlers, no database access.
//!
//! - [`keys`]: the Ed25519 key, its Multikey text forms and its file.
//! - [`keyring`]: every key the site has had; the newest signs.
//! - [`did`]: `did:web` from the public address, and the DID document.
//! - [`credential`]: the credential built from a certificate's facts.
//! - [`proof`]: signing and verifying per `eddsa-jcs-2022`.
//! - [`issued`]: what a stored certificate shows: status, addresses, PDF.
//! - [`issuer`]: the site's DID and keys together: signs and checks.
//!
//! Issuing: `build_credential(&facts, &did)`, then `sign(&credential,
//! ring.current().signing_key(), &verification_method_id(&did,
//! ring.current().id()), now)`. Checking: `verify(&credential,
//! key_resolver(&did, &ring.public_keys()))`.

pub mod credential;
pub mod did;
pub mod issued;
pub mod issuer;
pub mod keyring;
pub mod keys;
pub mod pdf;
pub mod proof;

pub use credential::{CertificateFacts, build_credential, sign};
pub use did::{
    DidError, did_document, did_document_path, did_web, key_resolver, verification_method_id,
};
pub use issuer::{Issuer, IssuerError};
pub use keyring::KeyRing;
pub use keys::{IssuerKey, KeyError, multikey_public, parse_multikey_public};
pub use proof::{SignError, VerifyError, verify};
