//! Certificates as verifiable credentials: the W3C `eddsa-jcs-2022` test
//! vectors (tests/fixtures/vc-di-eddsa, see its README), then what a person
//! checking a Presto certificate relies on: any change is caught, and
//! certificates signed before a key change still verify.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use presto::certificate::keys::{multikey_public, parse_multikey_public, parse_multikey_secret};
use presto::certificate::proof::{self, add_proof, canonicalize, create_proof, hash_data};
use presto::certificate::{
    CertificateFacts, IssuerKey, KeyRing, VerifyError, build_credential, did_document, did_web,
    key_resolver, sign, verification_method_id, verify,
};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

const FIXTURES: &str = "tests/fixtures/vc-di-eddsa";

fn text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_file(name: &str) -> Value {
    serde_json::from_str(&text(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// The vectors' key pair, read with Presto's own Multikey parsers.
fn vector_keys() -> (SigningKey, VerifyingKey) {
    let pair = json_file("keyPair.json");
    let secret = parse_multikey_secret(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    let public = parse_multikey_public(pair["publicKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(secret.verifying_key(), public);
    (secret, public)
}

/// A resolver that knows one key under one verification method id.
fn only(method: &str, key: VerifyingKey) -> impl Fn(&str) -> Option<VerifyingKey> + '_ {
    move |asked: &str| (asked == method).then_some(key)
}

fn without(value: &Value, member: &str) -> Value {
    let mut value = value.clone();
    value.as_object_mut().unwrap().remove(member);
    value
}

/// One W3C vector set, checked step by step: canonical document, its hash,
/// canonical proof configuration, its hash, the 64 signed bytes, the
/// signature, the proofValue, the whole signed document, and verification.
struct VectorSet<'a> {
    unsigned: Value,
    /// The proof options as the vector shows them, `@context` included.
    proof_config: Value,
    canonical_document: &'a str,
    document_hash: &'a str,
    canonical_proof_config: &'a str,
    proof_config_hash: Option<&'a str>,
    combined_hash: &'a str,
    signature_hex: &'a str,
    proof_value: &'a str,
    signed: Value,
}

impl VectorSet<'_> {
    fn check(&self) {
        let (secret, public) = vector_keys();

        let canonical_document = canonicalize(&self.unsigned).unwrap();
        assert_eq!(canonical_document, self.canonical_document);
        assert_eq!(sha256_hex(&canonical_document), self.document_hash);

        let canonical_config = canonicalize(&self.proof_config).unwrap();
        assert_eq!(canonical_config, self.canonical_proof_config);
        if let Some(hash) = self.proof_config_hash {
            assert_eq!(sha256_hex(&canonical_config), hash);
        }

        let signed_bytes = hash_data(&canonical_config, &canonical_document);
        assert_eq!(hex(&signed_bytes), self.combined_hash);
        assert_eq!(
            hex(&secret.sign(&signed_bytes).to_bytes()),
            self.signature_hex
        );

        // The signer is given the options without @context, and copies the
        // document's in itself, as the spec's Create Proof says.
        let options = without(&self.proof_config, "@context");
        let options = options.as_object().unwrap();
        let proof = create_proof(&self.unsigned, options, &secret).unwrap();
        assert_eq!(proof["proofValue"], self.proof_value);
        assert_eq!(
            add_proof(&self.unsigned, options, &secret).unwrap(),
            self.signed
        );

        let method = self.proof_config["verificationMethod"].as_str().unwrap();
        verify(&self.signed, only(method, public)).unwrap();
    }
}

#[test]
fn the_recommendation_example_is_reproduced_byte_for_byte() {
    VectorSet {
        unsigned: json_file("rec-2025/unsigned.json"),
        proof_config: json_file("rec-2025/proofOptions.json"),
        canonical_document: &text("rec-2025/canonDoc.txt"),
        document_hash: &text("rec-2025/docHash.txt"),
        canonical_proof_config: &text("rec-2025/proofCanon.txt"),
        proof_config_hash: Some(&text("rec-2025/proofHash.txt")),
        combined_hash: &text("rec-2025/combinedHash.txt"),
        signature_hex: &text("rec-2025/sigHex.txt"),
        proof_value: &text("rec-2025/sigBTC58.txt"),
        signed: json_file("rec-2025/signed.json"),
    }
    .check();
}

#[test]
fn the_repository_test_vectors_are_reproduced_byte_for_byte() {
    let signed = json_file("testvectors/signedJCS.json");
    VectorSet {
        unsigned: without(&signed, "proof"),
        proof_config: json_file("testvectors/proofConfigJCS.json"),
        canonical_document: &text("testvectors/canonDocJCS.txt"),
        document_hash: &text("testvectors/docHashJCS.txt"),
        canonical_proof_config: &text("testvectors/proofCanonJCS.txt"),
        proof_config_hash: None,
        combined_hash: &text("testvectors/combinedHashJCS.txt"),
        signature_hex: &text("testvectors/sigHexJCS.txt"),
        proof_value: &text("testvectors/sigBTC58JCS.txt"),
        signed,
    }
    .check();
}

#[test]
fn a_vector_proof_without_context_still_verifies() {
    let signed = json_file("legacy-no-proof-context/signedJCS.json");
    let (_, public) = vector_keys();
    let method = signed["proof"]["verificationMethod"].as_str().unwrap();
    verify(&signed, only(method, public)).unwrap();

    let mut changed = signed.clone();
    changed["credentialSubject"]["alumniOf"] = "The School of Forgeries".into();
    assert!(matches!(
        verify(&changed, only(method, public)),
        Err(VerifyError::BadSignature)
    ));
}

#[test]
fn the_vector_key_is_the_published_multikey() {
    let (_, public) = vector_keys();
    assert_eq!(
        multikey_public(&public),
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    );
}

// --- Presto's own credentials ------------------------------------------

const SITE: &str = "https://learn.example.org";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn facts() -> CertificateFacts {
    CertificateFacts {
        id: "K7Q2-M9XD".into(),
        learner_name: "أمينة يوسف".into(),
        title: "Food Hygiene Level 1".into(),
        course_title: "Food hygiene basics".into(),
        course_slug: "food-hygiene".into(),
        course_url: format!("{SITE}/courses/food-hygiene"),
        course_summary: "Safe food handling in a commercial kitchen.".into(),
        sector: "Hospitality".into(),
        level: "Entry 3".into(),
        hours: Some(6.5),
        issued_at: at("2026-03-01T09:30:00Z"),
        expires_at: Some(at("2029-03-01T09:30:00Z")),
        organisation_name: "Riverside College".into(),
        verify_url: format!("{SITE}/verify/K7Q2-M9XD"),
        credential_url: format!("{SITE}/certificates/K7Q2-M9XD.json"),
    }
}

fn key(id: &str) -> IssuerKey {
    IssuerKey::generate(id, at("2026-01-01T00:00:00Z")).unwrap()
}

fn issue(key: &IssuerKey, did: &str) -> Value {
    sign(
        &build_credential(&facts(), did),
        key.signing_key(),
        &verification_method_id(did, key.id()),
        at("2026-03-01T09:30:05Z"),
    )
    .unwrap()
}

/// A signed Presto credential and the keys that verify it.
fn signed_credential() -> (Value, String, Vec<(String, VerifyingKey)>) {
    let did = did_web(SITE).unwrap();
    let key_1 = key("key-1");
    let signed = issue(&key_1, &did);
    let keys = vec![("key-1".to_string(), key_1.verifying_key())];
    (signed, did, keys)
}

#[test]
fn a_signed_certificate_verifies_and_survives_being_sent_as_text() {
    let (signed, did, keys) = signed_credential();
    verify(&signed, key_resolver(&did, &keys)).unwrap();

    assert_eq!(signed["issuer"]["id"], "did:web:learn.example.org");
    assert_eq!(
        signed["proof"],
        json!({
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "created": "2026-03-01T09:30:05Z",
            "verificationMethod": "did:web:learn.example.org#key-1",
            "proofPurpose": "assertionMethod",
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ],
            "proofValue": signed["proof"]["proofValue"],
        })
    );

    // What a wallet receives is text, re-indented or not, keys in any order.
    for text in [
        serde_json::to_string(&signed).unwrap(),
        serde_json::to_string_pretty(&signed).unwrap(),
    ] {
        let received: Value = serde_json::from_str(&text).unwrap();
        verify(&received, key_resolver(&did, &keys)).unwrap();
    }
}

/// Every leaf of a JSON value, as a JSON pointer.
fn leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                let escaped = name.replace('~', "~0").replace('/', "~1");
                leaves(field, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, format!("{pointer}/{i}"), out);
            }
        }
        _ => out.push(pointer),
    }
}

/// Every object in a JSON value, as a JSON pointer.
fn objects(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            out.push(pointer.clone());
            for (name, field) in fields {
                let escaped = name.replace('~', "~0").replace('/', "~1");
                objects(field, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                objects(item, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Small changes to a leaf a forger might make.
fn changes(leaf: &Value) -> Vec<Value> {
    match leaf {
        Value::String(s) => {
            let mut first_changed: String = s.chars().collect();
            if let Some(first) = s.chars().next() {
                let other = if first == 'x' { 'y' } else { 'x' };
                first_changed = std::iter::once(other).chain(s.chars().skip(1)).collect();
            }
            vec![
                Value::String(format!("{s}x")),
                Value::String(first_changed),
                Value::String(String::new()),
                Value::String(s.to_uppercase()),
            ]
            .into_iter()
            .filter(|changed| changed != leaf)
            .collect()
        }
        Value::Number(n) => vec![json!(n.as_f64().unwrap_or(0.0) + 1.0)],
        Value::Bool(b) => vec![json!(!b)],
        Value::Null => vec![json!("")],
        _ => Vec::new(),
    }
}

#[test]
fn changing_any_field_anywhere_breaks_the_signature() {
    let (signed, did, keys) = signed_credential();
    verify(&signed, key_resolver(&did, &keys)).unwrap();
    let mut pointers = Vec::new();
    leaves(&signed, String::new(), &mut pointers);
    for expected in [
        "/credentialSubject/name",
        "/credentialSubject/achievement/name",
        "/issuer/id",
        "/validFrom",
        "/validUntil",
        "/@context/1",
        "/proof/created",
        "/proof/verificationMethod",
        "/proof/proofPurpose",
        "/proof/cryptosuite",
        "/proof/type",
        "/proof/@context/0",
        "/proof/proofValue",
    ] {
        assert!(pointers.iter().any(|p| p == expected), "{expected} missing");
    }

    let mut tried = 0;
    for pointer in &pointers {
        let leaf = signed.pointer(pointer).unwrap();
        for change in changes(leaf) {
            let mut forged = signed.clone();
            *forged.pointer_mut(pointer).unwrap() = change.clone();
            assert!(
                verify(&forged, key_resolver(&did, &keys)).is_err(),
                "changing {pointer} to {change} went unnoticed"
            );
            tried += 1;
        }
    }
    assert!(tried > 4 * 25, "only {tried} changes were tried");
}

#[test]
fn removing_or_adding_a_member_anywhere_breaks_the_signature() {
    let (signed, did, keys) = signed_credential();
    verify(&signed, key_resolver(&did, &keys)).unwrap();
    let mut pointers = Vec::new();
    objects(&signed, String::new(), &mut pointers);
    for pointer in &pointers {
        let names: Vec<String> = signed
            .pointer(pointer)
            .and_then(Value::as_object)
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for name in names {
            let mut forged = signed.clone();
            forged
                .pointer_mut(pointer)
                .and_then(Value::as_object_mut)
                .unwrap()
                .remove(&name);
            assert!(
                verify(&forged, key_resolver(&did, &keys)).is_err(),
                "removing {pointer}/{name} went unnoticed"
            );
        }
        let mut forged = signed.clone();
        forged
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap()
            .insert("grade".into(), "A*".into());
        assert!(
            verify(&forged, key_resolver(&did, &keys)).is_err(),
            "adding a member to {pointer:?} went unnoticed"
        );
    }
}

#[test]
fn a_changed_arabic_name_is_caught_even_when_it_looks_the_same() {
    let (signed, did, keys) = signed_credential();
    assert_eq!(signed["credentialSubject"]["name"], "أمينة يوسف");
    verify(&signed, key_resolver(&did, &keys)).unwrap();
    for forged_name in [
        // Another person.
        "أمينة حسن",
        // Taa marbuta swapped for haa: a common spelling variant.
        "أمينه يوسف",
        // Alef with hamza above written as alef + combining hamza: looks
        // the same on screen, but is other characters.
        "\u{0627}\u{0654}مينة يوسف",
        // A right-to-left mark slipped in.
        "أمينة\u{200F} يوسف",
    ] {
        let mut forged = signed.clone();
        forged["credentialSubject"]["name"] = forged_name.into();
        assert!(
            matches!(
                verify(&forged, key_resolver(&did, &keys)),
                Err(VerifyError::BadSignature)
            ),
            "{forged_name}"
        );
    }
}

#[test]
fn certificates_signed_before_a_key_change_still_verify() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("certificate-keys");
    let did = did_web(SITE).unwrap();
    let mut ring = KeyRing::open_or_create(&dir, at("2026-01-01T00:00:00Z")).unwrap();
    let old = issue(ring.current(), &did);

    ring.rotate(&dir, at("2027-01-01T00:00:00Z")).unwrap();
    assert_eq!(ring.current().id(), "key-2");
    let new = issue(ring.current(), &did);
    assert_eq!(new["proof"]["verificationMethod"], format!("{did}#key-2"));

    // After a restart, from the files alone.
    let ring = KeyRing::open_or_create(&dir, at("2027-06-01T00:00:00Z")).unwrap();
    let keys = ring.public_keys();
    verify(&old, key_resolver(&did, &keys)).unwrap();
    verify(&new, key_resolver(&did, &keys)).unwrap();

    // The DID document anyone can fetch lists both, each under its own id.
    let document = did_document(&did, &keys);
    let listed: Vec<&str> = document["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|method| method["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [format!("{did}#key-1"), format!("{did}#key-2")]);
    assert_eq!(document["assertionMethod"], json!(listed));

    // Had the old key been dropped from the document, old certificates
    // would stop verifying: that is why key files are never deleted.
    let only_new = &keys[1..];
    assert!(matches!(
        verify(&old, key_resolver(&did, only_new)),
        Err(VerifyError::UnknownKey(_))
    ));
}

#[test]
fn a_proof_naming_another_of_our_keys_fails() {
    let did = did_web(SITE).unwrap();
    let (key_1, key_2) = (key("key-1"), key("key-2"));
    let keys = vec![
        ("key-1".to_string(), key_1.verifying_key()),
        ("key-2".to_string(), key_2.verifying_key()),
    ];
    let mut forged = issue(&key_1, &did);
    forged["proof"]["verificationMethod"] = format!("{did}#key-2").into();
    assert!(matches!(
        verify(&forged, key_resolver(&did, &keys)),
        Err(VerifyError::BadSignature)
    ));
}

#[test]
fn an_unknown_key_fails() {
    let (signed, did, keys) = signed_credential();
    for method in [
        format!("{did}#key-9"),
        "did:web:forger.example#key-1".to_string(),
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2".to_string(),
    ] {
        let mut forged = signed.clone();
        forged["proof"]["verificationMethod"] = method.clone().into();
        assert!(
            matches!(
                verify(&forged, key_resolver(&did, &keys)),
                Err(VerifyError::UnknownKey(m)) if m == method
            ),
            "{method}"
        );
    }
    // A credential re-signed by a forger's own key, under our key's name.
    let forger = key("key-1");
    let forged = issue(&forger, &did);
    assert!(matches!(
        verify(&forged, key_resolver(&did, &keys)),
        Err(VerifyError::BadSignature)
    ));
}

#[test]
fn broken_proofs_are_told_apart() {
    let (signed, did, keys) = signed_credential();
    let check = |value: &Value| verify(value, key_resolver(&did, &keys));

    assert!(matches!(
        check(&without(&signed, "proof")),
        Err(VerifyError::NoProof)
    ));
    let mut set = signed.clone();
    set["proof"] = json!([signed["proof"], signed["proof"]]);
    assert!(matches!(check(&set), Err(VerifyError::SeveralProofs)));

    let mut other_suite = signed.clone();
    other_suite["proof"]["cryptosuite"] = "eddsa-rdfc-2022".into();
    assert!(matches!(
        check(&other_suite),
        Err(VerifyError::UnsupportedProof)
    ));

    let mut purpose = signed.clone();
    purpose["proof"]["proofPurpose"] = "authentication".into();
    assert!(matches!(check(&purpose), Err(VerifyError::WrongPurpose(_))));

    let mut created = signed.clone();
    created["proof"]["created"] = "last Tuesday".into();
    assert!(matches!(
        check(&created),
        Err(VerifyError::MalformedCreated)
    ));

    for bad in [json!("not-multibase"), json!("z0OIl"), json!(42)] {
        let mut value = signed.clone();
        value["proof"]["proofValue"] = bad;
        assert!(matches!(
            check(&value),
            Err(VerifyError::MalformedProofValue)
        ));
    }

    let mut context = signed.clone();
    context["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
    assert!(matches!(check(&context), Err(VerifyError::ContextMismatch)));

    assert!(matches!(
        check(&json!("a string")),
        Err(VerifyError::NotAnObject)
    ));
}

#[test]
fn a_context_appended_after_the_signed_ones_is_allowed_as_the_spec_says() {
    // Verify Proof step 4: the document's @context must start with the
    // proof's, and only the proof's are hashed, so that a later proof in a
    // chain can add its own context. Pinned here so a change is deliberate.
    let (signed, did, keys) = signed_credential();
    let mut extended = signed.clone();
    extended["@context"]
        .as_array_mut()
        .unwrap()
        .push("https://w3id.org/security/data-integrity/v2".into());
    verify(&extended, key_resolver(&did, &keys)).unwrap();
}

#[test]
fn signing_twice_or_signing_a_non_object_is_refused() {
    let (signed, did, _) = signed_credential();
    let key_1 = key("key-1");
    let method = verification_method_id(&did, "key-1");
    let created = at("2026-03-01T09:30:05Z");
    assert!(matches!(
        sign(&signed, key_1.signing_key(), &method, created),
        Err(proof::SignError::AlreadySigned)
    ));
    assert!(matches!(
        sign(&json!(["a list"]), key_1.signing_key(), &method, created),
        Err(proof::SignError::NotAnObject)
    ));
    let mut options = Map::new();
    options.insert("type".into(), "DataIntegrityProof".into());
    options.insert("cryptosuite".into(), "ecdsa-jcs-2019".into());
    assert!(matches!(
        create_proof(
            &build_credential(&facts(), &did),
            &options,
            key_1.signing_key()
        ),
        Err(proof::SignError::WrongSuite)
    ));
}
