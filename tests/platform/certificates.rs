//! Certificates (the start of issue 4): one is issued with the completion,
//! exactly once, and its PDF carries the learner's name in their own
//! script and the certificate id (read back with poppler's `pdftotext`).

use std::process::Command;

use presto::certificate::pdf::{PdfCertificate, render};
use presto::domain::certificate_id::CertificateId;
use presto::domain::names::{FullName, Role, Username};
use presto::passwords::hash_password;
use presto::store::users::NewAccount;

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(completing_a_course_issues_one_certificate);

async fn completing_a_course_issues_one_certificate(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app
        .store
        .create_user(NewAccount {
            username: &Username::parse("amina").unwrap(),
            full_name: &FullName::parse("أمينة خان").unwrap(),
            email: None,
            role: Role::Learner,
            password_hash: &hash_password("password123").unwrap(),
            language: "ar",
        })
        .await
        .unwrap();
    app.sign_in("amina", "password123").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;
    app.post_form("/courses/first-steps/lessons/hello/done", &[])
        .await;
    app.post_form("/courses/first-steps/lessons/shoes/done", &[])
        .await;
    assert!(
        app.store
            .certificates_of(account.id)
            .await
            .unwrap()
            .is_empty()
    );

    app.submit_quiz("first-steps", "first-quiz", true, None)
        .await;
    app.submit_quiz("first-steps", "first-quiz", true, None)
        .await;
    let certificates = app.store.certificates_of(account.id).await.unwrap();
    assert_eq!(certificates.len(), 1, "issued once, not on the second pass");
    let certificate = &certificates[0];
    assert_eq!(certificate.learner_name, "أمينة خان");
    assert_eq!(
        certificate.title, "First steps at work",
        "the course title by default"
    );
    assert_eq!(
        (certificate.sector.as_str(), certificate.level.as_str()),
        ("warehousing", "A1")
    );
    assert_eq!(certificate.organisation, "Presto");
    assert!(
        certificate.expires_at.is_none(),
        "no valid_for_months: it does not expire"
    );
    let id = CertificateId::parse(&certificate.id).expect("a readable id with a good check");
    let enrolment = app
        .store
        .enrolment(account.id, "first-steps")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        enrolment.completed_at,
        Some(certificate.issued_at),
        "same moment, same transaction"
    );
    assert_eq!(
        app.store.certificate(&id).await.unwrap().unwrap().user_id,
        account.id
    );
}

/// The PDF's text as poppler's `pdftotext` reads it, or None where poppler
/// is not installed and this is not CI (CI installs it and must run this).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(output) => output,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("PDF text not checked: pdftotext is missing ({e}); install poppler-utils");
            return None;
        }
        Err(e) => panic!("pdftotext (Debian package poppler-utils): {e}"),
    };
    assert!(output.status.success());
    // pdftotext marks right-to-left runs with bidi controls; a reader sees
    // the letters.
    Some(
        String::from_utf8_lossy(&output.stdout)
            .chars()
            .filter(|c| {
                !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            })
            .collect(),
    )
}

#[test]
fn the_pdf_names_the_learner_in_their_own_script_and_carries_the_id() {
    for name in [
        "أمينة خان",
        "ትግስት ሃይሌ",
        "Олена Коваленко",
        "Zoë Ñúñez-García",
    ] {
        let id = CertificateId::generate();
        let pdf = render(&PdfCertificate {
            id: id.to_string(),
            learner_name: name.to_string(),
            title: "Kitchen Basics (A2)".into(),
            details: "Hospitality · English level A2 · 20 hours".into(),
            dates: "Issued 22 November 2026 · Valid until 22 November 2028".into(),
            organisation: "Presto Learning".into(),
            verify_url: format!("http://127.0.0.1:8080/verify/{}", id.as_str()),
        })
        .unwrap();
        let Some(text) = pdf_text(&pdf) else {
            return;
        };
        assert!(text.contains(name), "{name} in: {text}");
        assert!(text.contains(&id.to_string()), "the id under the QR code");
        assert!(
            text.contains("Kitchen Basics (A2)") && text.contains("Valid until 22 November 2028")
        );
        if name.starts_with('أ') {
            let shots =
                std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("certificate-ar.pdf");
            std::fs::write(shots, &pdf).unwrap();
        }
    }
}
