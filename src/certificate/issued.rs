//! What an issued certificate (a database row) turns into: its status for
//! an employer, its public addresses, its PDF and its credential facts.
//! Shared by the web pages, the API and the mail worker so they all say
//! the same thing.

use chrono::{DateTime, Utc};

use super::credential::{CertificateFacts, format_hours};
use super::pdf::{self, PdfCertificate, PdfError};
use crate::catalog::sector_name;
use crate::course::Sectors;
use crate::domain::certificate_id::CertificateId;
use crate::store::certificates::Certificate;

/// Where a certificate stands for someone checking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Valid,
    Expired,
    Revoked { reason: String },
}

impl Status {
    pub fn of(certificate: &Certificate, now: DateTime<Utc>) -> Status {
        if certificate.revoked_at.is_some() {
            return Status::Revoked {
                reason: certificate.revoked_reason.clone().unwrap_or_default(),
            };
        }
        match certificate.expires_at {
            Some(expires_at) if expires_at <= now => Status::Expired,
            _ => Status::Valid,
        }
    }

    /// The word in the JSON contract: `valid`, `expired` or `revoked`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Revoked { .. } => "revoked",
        }
    }
}

/// The id as printed and as it appears in addresses: `K7MX-3QPA-W`.
pub fn written_id(certificate: &Certificate) -> String {
    CertificateId::parse(&certificate.id)
        .map(|id| id.to_string())
        // An id stored by hand that fails its check is shown as stored.
        .unwrap_or_else(|_| certificate.id.clone())
}

/// The public page where anyone checks the certificate.
pub fn verify_url(public_url: &str, certificate: &Certificate) -> String {
    format!("{public_url}/verify/{}", written_id(certificate))
}

pub fn pdf_url(public_url: &str, certificate: &Certificate) -> String {
    format!("{public_url}/certificates/{}.pdf", written_id(certificate))
}

/// The signed Open Badges credential's address: also its `id`.
pub fn credential_url(public_url: &str, certificate: &Certificate) -> String {
    format!(
        "{public_url}/certificates/{}/credential.json",
        written_id(certificate)
    )
}

/// "Hospitality and food · English level A2 · 20 hours", in English like
/// the rest of the certificate (an employer reads it); the sector named as
/// the organisation names it (`sectors`).
pub fn details(certificate: &Certificate, sectors: &Sectors) -> String {
    let mut parts = vec![sector_name(sectors, &certificate.sector, "en")];
    if !certificate.level.is_empty() {
        parts.push(format!("English level {}", certificate.level));
    }
    if let Some(hours) = certificate.hours.filter(|h| h.is_finite() && *h > 0.0) {
        let unit = if hours == 1.0 { "hour" } else { "hours" };
        parts.push(format!("{} {unit}", format_hours(hours)));
    }
    parts.join(" · ")
}

/// "22 November 2026".
pub fn long_date(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

/// "Issued 22 November 2026 · Valid until 22 November 2028".
pub fn dates(certificate: &Certificate) -> String {
    let mut text = format!("Issued {}", long_date(certificate.issued_at));
    if let Some(expires_at) = certificate.expires_at {
        text.push_str(&format!(" · Valid until {}", long_date(expires_at)));
    }
    text
}

/// The print-ready PDF of `certificate`, its QR code pointing at the
/// verification page under `public_url`.
pub fn pdf(
    certificate: &Certificate,
    sectors: &Sectors,
    public_url: &str,
) -> Result<Vec<u8>, PdfError> {
    pdf::render(&PdfCertificate {
        id: written_id(certificate),
        learner_name: certificate.learner_name.clone(),
        title: certificate.title.clone(),
        details: details(certificate, sectors),
        dates: dates(certificate),
        organisation: certificate.organisation.clone(),
        verify_url: verify_url(public_url, certificate),
    })
}

/// What the credential states, from the stored certificate and the
/// course's summary (empty when the course is no longer published).
pub fn facts(
    certificate: &Certificate,
    sectors: &Sectors,
    course_summary: &str,
    public_url: &str,
) -> CertificateFacts {
    CertificateFacts {
        id: written_id(certificate),
        learner_name: certificate.learner_name.clone(),
        title: certificate.title.clone(),
        course_title: certificate.course_title.clone(),
        course_slug: certificate.course_slug.clone(),
        course_url: format!("{public_url}/courses/{}", certificate.course_slug),
        course_summary: course_summary.to_string(),
        sector: sector_name(sectors, &certificate.sector, "en"),
        level: certificate.level.clone(),
        hours: certificate.hours,
        issued_at: certificate.issued_at,
        expires_at: certificate.expires_at,
        organisation_name: certificate.organisation.clone(),
        verify_url: verify_url(public_url, certificate),
        credential_url: credential_url(public_url, certificate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn certificate() -> Certificate {
        Certificate {
            id: "K7MX3QPAW".into(),
            user_id: 1,
            course_slug: "kitchen-basics".into(),
            course_version: 1,
            learner_name: "Amina Yusuf".into(),
            title: "Kitchen Basics".into(),
            course_title: "Kitchen basics".into(),
            sector: "hospitality".into(),
            level: "A2".into(),
            hours: Some(20.0),
            organisation: "Presto".into(),
            issued_at: Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap(),
            expires_at: Some(Utc.with_ymd_and_hms(2028, 11, 22, 9, 0, 0).unwrap()),
            revoked_at: None,
            revoked_reason: None,
        }
    }

    #[test]
    fn status_follows_revocation_then_expiry() {
        let mut c = certificate();
        let before = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2029, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(Status::of(&c, before), Status::Valid);
        assert_eq!(Status::of(&c, after), Status::Expired);
        c.revoked_at = Some(before);
        c.revoked_reason = Some("Issued in error".into());
        assert_eq!(
            Status::of(&c, after),
            Status::Revoked {
                reason: "Issued in error".into()
            }
        );
    }

    #[test]
    fn the_words_on_the_certificate() {
        let c = certificate();
        assert_eq!(
            details(&c, &Sectors::default()),
            "Hospitality and food · English level A2 · 20 hours"
        );
        assert_eq!(
            dates(&c),
            "Issued 22 November 2026 · Valid until 22 November 2028"
        );
    }
}
