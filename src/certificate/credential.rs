//! A certificate as an Open Badges 3.0 `OpenBadgeCredential`: a W3C
//! Verifiable Credential (Data Model 2.0) that wallets and employers' tools
//! can check without asking Presto, signed with [`super::proof`].
//!
//! The credential is kept small: what the certificate says, who issued it,
//! and where to check it. It is built as plain JSON because the signature is
//! over the JSON itself (JCS), so what is built is exactly what is signed.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::SigningKey;
use serde_json::{Map, Value, json};

use super::proof::{self, ASSERTION_METHOD, CRYPTOSUITE, PROOF_TYPE, SignError};

/// The contexts of an Open Badges 3.0 credential, in the required order.
pub const CREDENTIAL_CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// Everything a certificate states, gathered by the caller from the
/// database and the course.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateFacts {
    /// The short certificate id printed on the certificate.
    pub id: String,
    pub learner_name: String,
    /// The certificate's title (the course's `certificate.title`).
    pub title: String,
    pub course_title: String,
    pub course_slug: String,
    /// The course's public page: the achievement's id.
    pub course_url: String,
    /// The course's summary; may be empty.
    pub course_summary: String,
    pub sector: String,
    pub level: String,
    pub hours: Option<f64>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub organisation_name: String,
    /// The page where a person checks the certificate.
    pub verify_url: String,
    /// Where this credential's JSON is served: its id.
    pub credential_url: String,
}

/// The unsigned `OpenBadgeCredential` for `facts`, issued by `issuer_did`.
pub fn build_credential(facts: &CertificateFacts, issuer_did: &str) -> Value {
    let mut credential = json!({
        "@context": CREDENTIAL_CONTEXTS,
        "id": facts.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "description": format!(
            "{} completed the course {} with {}. Certificate {}: check it at {}",
            facts.learner_name,
            facts.course_title,
            facts.organisation_name,
            facts.id,
            facts.verify_url,
        ),
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": facts.organisation_name,
        },
        "validFrom": date_time(facts.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": facts.learner_name,
            "achievement": {
                "id": facts.course_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.course_title,
                "description": achievement_description(facts),
                "criteria": {
                    "narrative": format!(
                        "Complete every lesson of the course {} and pass each of its quizzes.",
                        facts.course_title
                    ),
                },
                "fieldOfStudy": facts.sector,
                "humanCode": facts.course_slug,
                "tag": [facts.sector, facts.level],
            },
        },
    });
    if let (Some(expires_at), Value::Object(fields)) = (facts.expires_at, &mut credential) {
        fields.insert("validUntil".to_string(), date_time(expires_at).into());
    }
    credential
}

/// Signs `credential` with `key`, published as `verification_method`
/// (`did:web:host#key-1`): the credential with an `eddsa-jcs-2022` proof.
pub fn sign(
    credential: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: DateTime<Utc>,
) -> Result<Value, SignError> {
    let mut options = Map::new();
    options.insert("type".into(), PROOF_TYPE.into());
    options.insert("cryptosuite".into(), CRYPTOSUITE.into());
    options.insert("created".into(), date_time(created).into());
    options.insert("verificationMethod".into(), verification_method.into());
    options.insert("proofPurpose".into(), ASSERTION_METHOD.into());
    proof::add_proof(credential, &options, key)
}

/// Whole seconds in UTC with a `Z`: the usual form of an XML Schema
/// `dateTimeStamp`, which `validFrom`, `validUntil` and `created` must be.
fn date_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn achievement_description(facts: &CertificateFacts) -> String {
    let mut description = facts.course_summary.trim().to_string();
    if !description.is_empty() && !description.ends_with(['.', '!', '?']) {
        description.push('.');
    }
    let mut details = format!("Level: {}. Sector: {}.", facts.level, facts.sector);
    if let Some(hours) = facts.hours.filter(|h| h.is_finite() && *h > 0.0) {
        details.push_str(&format!(" Study time: {} hours.", format_hours(hours)));
    }
    if description.is_empty() {
        details
    } else {
        format!("{description} {details}")
    }
}

/// `12` rather than `12.0`, `1.5` as it is.
pub(crate) fn format_hours(hours: f64) -> String {
    if hours.fract() == 0.0 && hours < 1e15 {
        format!("{hours:.0}")
    } else {
        format!("{hours}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CertificateFacts {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .unwrap()
        };
        CertificateFacts {
            id: "K7Q2-M9XD".into(),
            learner_name: "Amina Yusuf".into(),
            title: "Food Hygiene Level 1".into(),
            course_title: "Food hygiene basics".into(),
            course_slug: "food-hygiene".into(),
            course_url: "https://learn.example.org/courses/food-hygiene".into(),
            course_summary: "Safe food handling in a commercial kitchen".into(),
            sector: "Hospitality".into(),
            level: "Entry 3".into(),
            hours: Some(6.0),
            issued_at: at("2026-03-01T09:30:12.345Z"),
            expires_at: Some(at("2029-03-01T09:30:12Z")),
            organisation_name: "Riverside College".into(),
            verify_url: "https://learn.example.org/verify/K7Q2-M9XD".into(),
            credential_url: "https://learn.example.org/certificates/K7Q2-M9XD.json".into(),
        }
    }

    #[test]
    fn the_credential_is_an_open_badge() {
        let credential = build_credential(&facts(), "did:web:learn.example.org");
        assert_eq!(
            credential,
            json!({
                "@context": [
                    "https://www.w3.org/ns/credentials/v2",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
                ],
                "id": "https://learn.example.org/certificates/K7Q2-M9XD.json",
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "name": "Food Hygiene Level 1",
                "description": "Amina Yusuf completed the course Food hygiene basics with Riverside College. Certificate K7Q2-M9XD: check it at https://learn.example.org/verify/K7Q2-M9XD",
                "issuer": {
                    "id": "did:web:learn.example.org",
                    "type": ["Profile"],
                    "name": "Riverside College"
                },
                "validFrom": "2026-03-01T09:30:12Z",
                "validUntil": "2029-03-01T09:30:12Z",
                "credentialSubject": {
                    "type": ["AchievementSubject"],
                    "name": "Amina Yusuf",
                    "achievement": {
                        "id": "https://learn.example.org/courses/food-hygiene",
                        "type": ["Achievement"],
                        "achievementType": "Certificate",
                        "name": "Food hygiene basics",
                        "description": "Safe food handling in a commercial kitchen. Level: Entry 3. Sector: Hospitality. Study time: 6 hours.",
                        "criteria": {
                            "narrative": "Complete every lesson of the course Food hygiene basics and pass each of its quizzes."
                        },
                        "fieldOfStudy": "Hospitality",
                        "humanCode": "food-hygiene",
                        "tag": ["Hospitality", "Entry 3"]
                    }
                }
            })
        );
    }

    #[test]
    fn a_certificate_that_never_expires_has_no_valid_until() {
        let facts = CertificateFacts {
            expires_at: None,
            ..facts()
        };
        let credential = build_credential(&facts, "did:web:learn.example.org");
        assert!(credential.get("validUntil").is_none());
    }

    #[test]
    fn the_achievement_description_reads_well_without_summary_or_hours() {
        let facts = CertificateFacts {
            course_summary: String::new(),
            hours: None,
            ..facts()
        };
        assert_eq!(
            achievement_description(&facts),
            "Level: Entry 3. Sector: Hospitality."
        );
        let facts = CertificateFacts {
            hours: Some(1.5),
            ..facts
        };
        assert_eq!(
            achievement_description(&facts),
            "Level: Entry 3. Sector: Hospitality. Study time: 1.5 hours."
        );
    }
}
