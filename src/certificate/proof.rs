//! Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite
//! (W3C "Data Integrity EdDSA Cryptosuites v1.0", section 3.3).
//!
//! Signing, in the spec's terms:
//!
//! 1. the proof configuration is the proof options (`type`, `cryptosuite`,
//!    `created`, `verificationMethod`, `proofPurpose`) plus the document's
//!    `@context`;
//! 2. both it and the document without its proof are canonicalized with JCS
//!    (RFC 8785) and hashed with SHA-256;
//! 3. Ed25519 signs the 64 bytes `hash(proof configuration) || hash(document)`;
//! 4. `proofValue` is that signature in multibase base58btc (`z...`).
//!
//! Verifying redoes steps 1 to 3 from the secured document. Every member of
//! the proof except `proofValue` is part of the signed configuration, and
//! every member of the document except `proof` is part of the signed
//! document, so a change anywhere breaks the signature.

use chrono::{DateTime, NaiveDateTime};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The proof `type` this suite uses.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The `cryptosuite` this module implements.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The only proof purpose a certificate is signed for.
pub const ASSERTION_METHOD: &str = "assertionMethod";

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("only a JSON object can be signed")]
    NotAnObject,
    #[error("the document already has a proof")]
    AlreadySigned,
    #[error("proof options must have type DataIntegrityProof and cryptosuite eddsa-jcs-2022")]
    WrongSuite,
    #[error("the proof's created date is not a valid date and time")]
    BadCreated,
    #[error("cannot canonicalize the document (JCS)")]
    Canonicalize(#[source] serde_json::Error),
}

/// Why a credential did not verify. The messages are meant for the person
/// checking a certificate.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the credential is not a JSON object")]
    NotAnObject,
    #[error("the credential has no proof (it is not signed)")]
    NoProof,
    #[error("the credential has several proofs; only a single proof is supported")]
    SeveralProofs,
    #[error("the credential's proof is not a JSON object")]
    MalformedProof,
    #[error("the proof is not a DataIntegrityProof made with eddsa-jcs-2022")]
    UnsupportedProof,
    #[error("the proof does not say what it is for (proofPurpose)")]
    NoPurpose,
    #[error("the proof was made for {0:?}, not for asserting a credential (assertionMethod)")]
    WrongPurpose(String),
    #[error("the proof's created date is not a valid date and time")]
    MalformedCreated,
    #[error("the proof does not name the key that made it (verificationMethod)")]
    NoVerificationMethod,
    #[error("the key {0} is not one of the issuer's keys")]
    UnknownKey(String),
    #[error("the proof has no proofValue")]
    NoProofValue,
    #[error("the proofValue is not a base58btc Ed25519 signature")]
    MalformedProofValue,
    #[error("the proof's @context does not match the credential's")]
    ContextMismatch,
    #[error("cannot canonicalize the credential (JCS)")]
    Canonicalize(#[source] serde_json::Error),
    #[error(
        "the signature does not match: the credential was changed, or not signed with this key"
    )]
    BadSignature,
}

/// JCS (RFC 8785): the one byte-exact JSON text of `value`.
pub fn canonicalize(value: &Value) -> Result<String, serde_json::Error> {
    serde_json_canonicalizer::to_string(value)
}

/// SHA-256 of the canonical proof configuration followed by SHA-256 of the
/// canonical document: the 64 bytes that are signed (spec 3.3.4).
pub fn hash_data(canonical_proof_config: &str, canonical_document: &str) -> [u8; 64] {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(&Sha256::digest(canonical_proof_config.as_bytes()));
    data[32..].copy_from_slice(&Sha256::digest(canonical_document.as_bytes()));
    data
}

/// Creates a proof for `unsecured` (spec 3.3.1): `options` are the proof
/// options without `@context`, which is copied from the document. Returns the
/// proof, `proofValue` included.
pub fn create_proof(
    unsecured: &Value,
    options: &Map<String, Value>,
    key: &SigningKey,
) -> Result<Map<String, Value>, SignError> {
    let document = unsecured.as_object().ok_or(SignError::NotAnObject)?;
    if document.contains_key("proof") {
        return Err(SignError::AlreadySigned);
    }
    let mut proof = options.clone();
    if let Some(context) = document.get("@context") {
        proof.insert("@context".to_string(), context.clone());
    }
    if !is_this_suite(&proof) {
        return Err(SignError::WrongSuite);
    }
    if !created_is_valid(&proof) {
        return Err(SignError::BadCreated);
    }
    let config = canonicalize(&Value::Object(proof.clone())).map_err(SignError::Canonicalize)?;
    let transformed = canonicalize(unsecured).map_err(SignError::Canonicalize)?;
    let signature = key.sign(&hash_data(&config, &transformed));
    proof.insert(
        "proofValue".to_string(),
        Value::String(encode_proof_value(&signature)),
    );
    Ok(proof)
}

/// `unsecured` with a new proof under `proof`.
pub fn add_proof(
    unsecured: &Value,
    options: &Map<String, Value>,
    key: &SigningKey,
) -> Result<Value, SignError> {
    let proof = create_proof(unsecured, options, key)?;
    let mut secured = unsecured.clone();
    if let Value::Object(document) = &mut secured {
        document.insert("proof".to_string(), Value::Object(proof));
    }
    Ok(secured)
}

/// Verifies the single `eddsa-jcs-2022` proof of `secured` (spec 3.3.2),
/// for the purpose `assertionMethod`. `resolve_key` maps the proof's
/// `verificationMethod` to a public key, or `None` for a key the caller does
/// not trust: resolving is the caller's job (see [`super::did::key_resolver`]).
pub fn verify(
    secured: &Value,
    resolve_key: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<(), VerifyError> {
    let document = secured.as_object().ok_or(VerifyError::NotAnObject)?;
    let proof = match document.get("proof") {
        None => return Err(VerifyError::NoProof),
        Some(Value::Object(proof)) => proof,
        Some(Value::Array(_)) => return Err(VerifyError::SeveralProofs),
        Some(_) => return Err(VerifyError::MalformedProof),
    };

    let mut proof_options = proof.clone();
    let proof_value = match proof_options.remove("proofValue") {
        Some(Value::String(value)) => value,
        Some(_) => return Err(VerifyError::MalformedProofValue),
        None => return Err(VerifyError::NoProofValue),
    };
    if !is_this_suite(&proof_options) {
        return Err(VerifyError::UnsupportedProof);
    }
    match proof_options.get("proofPurpose") {
        Some(Value::String(purpose)) if purpose == ASSERTION_METHOD => {}
        Some(Value::String(purpose)) => return Err(VerifyError::WrongPurpose(purpose.clone())),
        Some(other) => return Err(VerifyError::WrongPurpose(other.to_string())),
        None => return Err(VerifyError::NoPurpose),
    }
    if !created_is_valid(&proof_options) {
        return Err(VerifyError::MalformedCreated);
    }
    let signature = decode_proof_value(&proof_value)?;

    let mut unsecured = document.clone();
    unsecured.remove("proof");
    // The proof signs the contexts it names; the document may name more
    // after them (a later proof in a chain may add its own), and those are
    // left out of the hash, as the spec says.
    if let Some(proof_context) = proof_options.get("@context") {
        if !starts_with(unsecured.get("@context"), proof_context) {
            return Err(VerifyError::ContextMismatch);
        }
        unsecured.insert("@context".to_string(), proof_context.clone());
    }

    let method = match proof_options.get("verificationMethod") {
        Some(Value::String(method)) => method,
        _ => return Err(VerifyError::NoVerificationMethod),
    };
    let key = resolve_key(method).ok_or_else(|| VerifyError::UnknownKey(method.clone()))?;

    let transformed = canonicalize(&Value::Object(unsecured)).map_err(VerifyError::Canonicalize)?;
    let config = canonicalize(&Value::Object(proof_options)).map_err(VerifyError::Canonicalize)?;
    // Strict verification rejects weak keys and malleable signatures, the
    // checks the spec's security considerations (4.1) ask for.
    key.verify_strict(&hash_data(&config, &transformed), &signature)
        .map_err(|_| VerifyError::BadSignature)
}

fn is_this_suite(proof: &Map<String, Value>) -> bool {
    proof.get("type").and_then(Value::as_str) == Some(PROOF_TYPE)
        && proof.get("cryptosuite").and_then(Value::as_str) == Some(CRYPTOSUITE)
}

/// `created` is optional, but when present it must be an XML Schema
/// `dateTime`: `2023-02-24T23:36:38Z`, with optional fractional seconds and
/// an optional `Z` or `±hh:mm` zone.
fn created_is_valid(proof: &Map<String, Value>) -> bool {
    match proof.get("created") {
        None => true,
        Some(Value::String(created)) => is_xsd_date_time(created),
        Some(_) => false,
    }
}

fn is_xsd_date_time(text: &str) -> bool {
    const LOCAL: &str = "%Y-%m-%dT%H:%M:%S%.f";
    // chrono's RFC 3339 parser also takes a space or a lower-case `t` for
    // the `T`, which XML Schema does not.
    if text.as_bytes().get(10) != Some(&b'T') {
        return false;
    }
    DateTime::parse_from_rfc3339(text).is_ok() || NaiveDateTime::parse_from_str(text, LOCAL).is_ok()
}

/// Does the document's `@context` begin with every context of the proof, in
/// order? A context is a string or a list; a single one counts as a list of one.
fn starts_with(document_context: Option<&Value>, proof_context: &Value) -> bool {
    fn as_list(value: &Value) -> &[Value] {
        match value {
            Value::Array(items) => items,
            single => std::slice::from_ref(single),
        }
    }
    let Some(document_context) = document_context else {
        return false;
    };
    as_list(document_context).starts_with(as_list(proof_context))
}

fn encode_proof_value(signature: &Signature) -> String {
    format!("z{}", bs58::encode(signature.to_bytes()).into_string())
}

fn decode_proof_value(proof_value: &str) -> Result<Signature, VerifyError> {
    let encoded = proof_value
        .strip_prefix('z')
        .ok_or(VerifyError::MalformedProofValue)?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|_| VerifyError::MalformedProofValue)?;
    Signature::from_slice(&bytes).map_err(|_| VerifyError::MalformedProofValue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_must_be_an_xml_schema_date_time() {
        for good in [
            "2023-02-24T23:36:38Z",
            "2023-02-24T23:36:38.123Z",
            "2023-02-24T23:36:38+01:00",
            "2023-02-24T23:36:38",
        ] {
            assert!(is_xsd_date_time(good), "{good}");
        }
        for bad in [
            "2023-02-24",
            "2023-02-24 23:36:38Z",
            "2023-02-24t23:36:38Z",
            "2023-02-30T23:36:38Z",
            "yesterday",
            "",
        ] {
            assert!(!is_xsd_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn a_context_may_be_a_single_string() {
        let v2 = Value::from("https://www.w3.org/ns/credentials/v2");
        let both = serde_json::json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ]);
        assert!(starts_with(Some(&v2), &v2));
        assert!(starts_with(Some(&both), &v2));
        assert!(!starts_with(Some(&v2), &both));
        assert!(!starts_with(None, &v2));
    }

    #[test]
    fn proof_values_are_64_byte_base58btc() {
        let good = format!("z{}", bs58::encode([7u8; 64]).into_string());
        assert!(decode_proof_value(&good).is_ok());
        let short = format!("z{}", bs58::encode([7u8; 63]).into_string());
        for bad in [short.as_str(), &good[1..], "z0OIl", "z", ""] {
            assert!(
                matches!(
                    decode_proof_value(bad),
                    Err(VerifyError::MalformedProofValue)
                ),
                "{bad}"
            );
        }
    }
}
