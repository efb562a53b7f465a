//! Certificates: one is issued with the completion, exactly once; its PDF
//! carries the learner's name in their own script and the id (read back
//! with poppler's `pdftotext`); the learner downloads and shares it; anyone
//! verifies it on the page, in JSON or as a signed credential; a
//! coordinator revokes it; expiry shows.

use std::process::Command;

use presto::certificate::keyring::KEY_FOLDER;
use presto::certificate::pdf::{PdfCertificate, render};
use presto::certificate::{VerifyError, key_resolver, parse_multikey_public, verify};
use presto::domain::certificate_id::CertificateId;
use presto::domain::names::{FullName, Role, Username};
use presto::passwords::hash_password;
use presto::store::certificates::Certificate;
use presto::store::users::NewAccount;
use reqwest::StatusCode;
use serde_json::Value;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses, location};

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
            home_language: None,
            name_in_own_script: None,
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

/// The fonts a PDF embeds, as `pdffonts` (poppler-utils) lists them.
fn pdf_fonts(pdf: &[u8]) -> Option<String> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    match std::process::Command::new("pdffonts")
        .arg(file.path())
        .output()
    {
        Ok(output) => {
            assert!(output.status.success());
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("PDF fonts not checked: pdffonts is missing ({e}); install poppler-utils");
            None
        }
        Err(e) => panic!("pdffonts (Debian package poppler-utils): {e}"),
    }
}

/// A name written in two scripts, as on the learner's papers and in their
/// own script: every part is set in a font that has its letters (a font
/// fallback chain), none as empty boxes.
#[test]
fn a_name_that_mixes_scripts_prints_every_part() {
    for (name, parts, font) in [
        ("Ahmed أحمد", ["Ahmed", "أحمد"], "NotoSansArabic"),
        ("Zahra زهرا Ahmadi", ["Zahra", "زهرا"], "NotoSansArabic"),
        ("Tesfay ተስፋይ", ["Tesfay", "ተስፋይ"], "NotoSansEthiopic"),
    ] {
        let id = CertificateId::generate();
        let pdf = render(&PdfCertificate {
            id: id.to_string(),
            learner_name: name.to_string(),
            title: "Kitchen Basics (A2)".into(),
            details: "Hospitality".into(),
            dates: "Issued 22 November 2026".into(),
            organisation: "Presto Learning".into(),
            verify_url: format!("http://127.0.0.1:8080/verify/{}", id.as_str()),
        })
        .unwrap();
        let (Some(text), Some(fonts)) = (pdf_text(&pdf), pdf_fonts(&pdf)) else {
            return;
        };
        for part in parts {
            assert!(text.contains(part), "{part} of {name} in: {text}");
        }
        // The rest of the page is Latin (Noto Sans), so the font of the
        // name's other script is there only if the name's part in it was
        // set in it: a name set in one font left it out, and showed boxes.
        // (Which part goes in which font, and their order, is checked in
        // `certificate::pdf`'s own tests.)
        assert!(fonts.contains(font), "{name} needs {font}: {fonts}");
        if name.starts_with("Zahra") {
            let shots =
                std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("certificate-mixed.pdf");
            std::fs::write(shots, &pdf).unwrap();
        }
    }
}

/// A learner (in their own browser) who has finished `first-steps` and so
/// holds its certificate.
async fn graduate(app: &TestApp, username: &str, full_name: &str) -> (TestApp, Certificate) {
    let browser = app.another_browser();
    let account = app
        .store
        .create_user(NewAccount {
            username: &Username::parse(username).unwrap(),
            full_name: &FullName::parse(full_name).unwrap(),
            email: None,
            role: Role::Learner,
            password_hash: &hash_password("password123").unwrap(),
            language: "en",
            home_language: None,
            name_in_own_script: None,
        })
        .await
        .unwrap();
    browser.sign_in(username, "password123").await;
    browser.complete_first_steps().await;
    let mut certificates = app.store.certificates_of(account.id).await.unwrap();
    assert_eq!(certificates.len(), 1, "{username} has finished the course");
    (browser, certificates.remove(0))
}

fn written(certificate: &Certificate) -> String {
    CertificateId::parse(&certificate.id).unwrap().to_string()
}

on_both_databases!(a_learner_finds_downloads_and_shares_their_certificate);

async fn a_learner_finds_downloads_and_shares_their_certificate(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (learner, certificate) = graduate(&app, "olena", "Олена Коваленко").await;
    let id = written(&certificate);

    let (status, page) = learner.page("/certificates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("First steps at work") && page.contains(&id));
    assert!(page.contains(&format!("href=\"/certificates/{id}.pdf\"")));
    assert!(page.contains(&format!("href=\"/certificates/{id}/credential.json\"")));
    assert!(
        page.contains(&format!("value=\"{}/verify/{id}\"", app.address)),
        "the verification link, ready to copy"
    );
    let (_, course_page) = learner.page("/courses/first-steps").await;
    assert!(course_page.contains("href=\"/certificates\""));

    let pdf = learner.get(&format!("/certificates/{id}.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&bytes) {
        assert!(
            text.contains("Олена Коваленко") && text.contains(&id),
            "{text}"
        );
    }
    // The id typed without dashes and in small letters finds it too.
    let typed = certificate.id.to_lowercase();
    let again = learner.get(&format!("/certificates/{typed}.pdf")).await;
    assert_eq!(again.status(), StatusCode::OK);

    // The API: the learner's list, and the PDF with a bearer token.
    let token = app.token("olena", "password123").await;
    let (status, mine) = app.api(&token).get("/api/v1/me/certificates").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(mine[0]["id"], id.as_str());
    assert_eq!(mine[0]["title"], "First steps at work");
    assert_eq!(mine[0]["course"], "First steps at work");
    assert_eq!(
        mine[0]["verify_url"],
        format!("{}/verify/{id}", app.address).as_str()
    );
    assert!(
        mine[0]["issued_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("20"))
    );
    assert_eq!(mine[0]["status"], "valid");
    assert_eq!(
        mine[0]["pdf_url"],
        format!("{}/certificates/{id}.pdf", app.address).as_str()
    );
    let api = reqwest::Client::new();
    let by_token = api
        .get(app.url(&format!("/certificates/{id}.pdf")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), StatusCode::OK);
    let bad_token = api
        .get(app.url(&format!("/certificates/{id}.pdf")))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
}

on_both_databases!(only_the_learner_and_staff_may_download_the_pdf);

async fn only_the_learner_and_staff_may_download_the_pdf(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, certificate) = graduate(&app, "amina", "Amina Yusuf").await;
    let path = format!("/certificates/{}.pdf", written(&certificate));

    let visitor = app.another_browser().get(&path).await;
    assert_eq!(visitor.status(), StatusCode::SEE_OTHER);
    assert!(location(&visitor).starts_with("/login"));

    let other = app.another_browser();
    other.learner("someone-else").await;
    assert_eq!(other.get(&path).await.status(), StatusCode::FORBIDDEN);

    for role in [Role::Coordinator, Role::Admin] {
        let staff = app.another_browser();
        let name = format!("{}-person", role.as_str());
        staff.add_user(&name, role, "password123").await;
        staff.sign_in(&name, "password123").await;
        assert_eq!(staff.get(&path).await.status(), StatusCode::OK, "{name}");
    }
    // A tutor: only for a learner in one of their classes.
    let tutor = app.another_browser();
    let tutor_account = tutor
        .add_user("tutor-person", Role::Tutor, "password123")
        .await;
    tutor.sign_in("tutor-person", "password123").await;
    assert_eq!(tutor.get(&path).await.status(), StatusCode::FORBIDDEN);
    let class = app
        .store
        .create_class(tutor_account.id, "Monday group", "warehousing", &[])
        .await
        .unwrap();
    app.store
        .join_class(&class, certificate.user_id)
        .await
        .unwrap();
    assert_eq!(tutor.get(&path).await.status(), StatusCode::OK);
    let unknown = app
        .another_browser()
        .get(&format!("/certificates/{}.pdf", CertificateId::generate()))
        .await;
    assert!(
        matches!(
            unknown.status(),
            StatusCode::SEE_OTHER | StatusCode::NOT_FOUND
        ),
        "no PDF for a number that was never issued"
    );
}

on_both_databases!(anyone_can_verify_a_certificate_on_the_page_and_in_json);

async fn anyone_can_verify_a_certificate_on_the_page_and_in_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, certificate) = graduate(&app, "tigist", "ትግስት ሃይሌ").await;
    let id = written(&certificate);
    let employer = app.another_browser();

    let (status, page) = employer.page(&format!("/verify/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This certificate is valid."));
    assert!(page.contains("ትግስት ሃይሌ") && page.contains("First steps at work"));
    assert!(page.contains("Warehousing") && page.contains(&id));
    assert!(
        !page.contains("Revoke this certificate"),
        "visitors cannot revoke"
    );

    // Typed by a person: small letters, spaces instead of dashes.
    let typed = format!("/verify?id={}", certificate.id.to_lowercase());
    let response = employer.get(&typed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/verify/{id}"));

    // Anyone: no token is needed.
    let (status, json) = app.api("").get(&format!("/api/v1/certificates/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["status"], "valid");
    assert_eq!(json["name"], "ትግስት ሃይሌ");
    assert_eq!(json["title"], "First steps at work");
    assert_eq!(json["course"], "First steps at work");
    assert!(json["issued_at"].is_string());
    assert!(json["expires_at"].is_null());
    assert!(json.get("reason").is_none());

    // A number never issued, and one with a typing mistake.
    let never = CertificateId::generate().to_string();
    let (status, page) = employer.page(&format!("/verify/{never}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Certificate not found") && page.contains(&never));
    let mut mistyped = certificate.id.clone().into_bytes();
    mistyped[0] = if mistyped[0] == b'3' { b'4' } else { b'3' };
    let mistyped = String::from_utf8(mistyped).unwrap();
    let (status, page) = employer.page(&format!("/verify/{mistyped}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("has a mistake in it"), "{page}");
    let (status, body) = app
        .api("")
        .get(&format!("/api/v1/certificates/{never}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
    assert_eq!(
        body["message"],
        format!("No certificate has the number {never}.").as_str()
    );
    let (status, body) = app
        .api("")
        .get(&format!("/api/v1/certificates/{mistyped}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("has a mistake in it")),
        "{body}"
    );
}

on_both_databases!(a_coordinator_revokes_and_everyone_sees_it_at_once);

async fn a_coordinator_revokes_and_everyone_sees_it_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (learner, certificate) = graduate(&app, "amina", "Amina Yusuf").await;
    let id = written(&certificate);

    // The learner cannot revoke their own certificate, on the page or API.
    let response = learner
        .post_form(
            &format!("/certificates/{id}/revoke"),
            &[("reason", "just because")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let coordinator = app.another_browser();
    coordinator
        .add_user("cora", Role::Coordinator, "password123")
        .await;
    coordinator.sign_in("cora", "password123").await;
    let (_, list) = coordinator.page("/manage/certificates?q=amina").await;
    assert!(list.contains(&format!("href=\"/verify/{id}\"")));
    let (_, list) = coordinator
        .page("/manage/certificates?q=nobody-like-that")
        .await;
    assert!(!list.contains(&id));
    let (_, page) = coordinator.page(&format!("/verify/{id}")).await;
    assert!(page.contains("Revoke this certificate"));

    let empty = coordinator
        .post_form(&format!("/certificates/{id}/revoke"), &[("reason", "  ")])
        .await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Please write why the certificate is revoked.")
    );

    // The form asks first: a page that names the learner and the reason,
    // and nothing is revoked until its button is pressed.
    let response = coordinator
        .post_form(
            &format!("/certificates/{id}/revoke"),
            &[("reason", "Issued to the wrong learner")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let asked = response.text().await.unwrap();
    assert!(
        asked.contains(&format!("Revoke certificate {id}?"))
            && asked.contains("Everyone who checks Amina Yusuf&#39;s certificate")
            && asked.contains("Issued to the wrong learner")
            && asked.contains("name=\"confirm\" value=\"yes\"")
            && asked.contains("class=\"danger\""),
        "{asked}"
    );
    let (_, page) = app.another_browser().page(&format!("/verify/{id}")).await;
    assert!(page.contains("This certificate is valid."), "not yet");
    let response = coordinator
        .post_form(
            &format!("/certificates/{id}/revoke"),
            &[
                ("reason", "Issued to the wrong learner"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let employer = app.another_browser();
    let (_, page) = employer.page(&format!("/verify/{id}")).await;
    assert!(page.contains("This certificate was revoked."));
    assert!(page.contains("Issued to the wrong learner"));
    let (_, json) = app.api("").get(&format!("/api/v1/certificates/{id}")).await;
    assert_eq!(json["status"], "revoked");
    assert_eq!(json["reason"], "Issued to the wrong learner");
    let credential = employer
        .get(&format!("/certificates/{id}/credential.json"))
        .await;
    assert_eq!(credential.status(), StatusCode::GONE);

    // Through the API: learners are refused; a second revocation keeps
    // the first reason.
    let learner_token = app.token_for("lerato", Role::Learner).await;
    let coordinator_token = app.token_for("cosmo", Role::Coordinator).await;
    let path = format!("/api/v1/certificates/{id}/revoke");
    let (status, _) = app
        .api(learner_token)
        .post(&path, serde_json::json!({ "reason": "no" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, json) = app
        .api(coordinator_token)
        .post(&path, serde_json::json!({ "reason": "another reason" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["reason"], "Issued to the wrong learner");
}

on_both_databases!(an_expired_certificate_shows_as_expired);

async fn an_expired_certificate_shows_as_expired(backend: Backend) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn(backend).await;
    let (_, certificate) = graduate(&app, "amina", "Amina Yusuf").await;
    let id = written(&certificate);
    // As if the course had `valid_for_months` and the time has passed.
    let mut row: presto::store::certificates::certificate::ActiveModel = certificate.into();
    row.expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::days(1)));
    row.update(app.store.db()).await.unwrap();

    let (_, page) = app.another_browser().page(&format!("/verify/{id}")).await;
    assert!(page.contains("This certificate has expired."), "{page}");
    let (_, json) = app.api("").get(&format!("/api/v1/certificates/{id}")).await;
    assert_eq!(json["status"], "expired");
    assert!(json["expires_at"].is_string());
}

/// The DID document's keys, as any verifier would read them.
fn keys_of(did_document: &Value) -> Vec<(String, ed25519_dalek::VerifyingKey)> {
    did_document["verificationMethod"]
        .as_array()
        .expect("verification methods")
        .iter()
        .map(|method| {
            let id = method["id"].as_str().unwrap();
            let fragment = id.split_once('#').unwrap().1.to_string();
            let key = parse_multikey_public(method["publicKeyMultibase"].as_str().unwrap())
                .expect("a Multikey");
            (fragment, key)
        })
        .collect()
}

on_both_databases!(the_credential_verifies_with_the_published_key_and_not_when_changed);

async fn the_credential_verifies_with_the_published_key_and_not_when_changed(backend: Backend) {
    let public_url = "http://presto.test";
    let app = TestApp::spawn_configured(backend, &fixture_courses(), |settings| {
        settings.public_url = public_url.into();
    })
    .await;
    let (_, certificate) = graduate(&app, "amina", "أمينة خان").await;
    let id = written(&certificate);

    let response = app
        .another_browser()
        .get(&format!("/certificates/{id}/credential.json"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let credential: Value = response.json().await.unwrap();
    assert_eq!(
        credential["type"],
        serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(credential["issuer"]["id"], "did:web:presto.test");
    assert_eq!(credential["credentialSubject"]["name"], "أمينة خان");
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(
        credential["id"],
        format!("{public_url}/certificates/{id}/credential.json").as_str()
    );

    let did_document: Value = app.get("/.well-known/did.json").await.json().await.unwrap();
    assert_eq!(did_document["id"], "did:web:presto.test");
    let keys = keys_of(&did_document);
    verify(&credential, key_resolver("did:web:presto.test", &keys)).expect("it verifies");

    // Any change is caught.
    for (pointer, new_value) in [
        ("/credentialSubject/name", serde_json::json!("Someone Else")),
        ("/name", serde_json::json!("Forklift licence")),
        ("/validFrom", serde_json::json!("2020-01-01T00:00:00Z")),
        ("/issuer/name", serde_json::json!("Another College")),
        ("/proof/created", serde_json::json!("2020-01-01T00:00:00Z")),
    ] {
        let mut tampered = credential.clone();
        *tampered.pointer_mut(pointer).expect(pointer) = new_value;
        assert!(
            matches!(
                verify(&tampered, key_resolver("did:web:presto.test", &keys)),
                Err(VerifyError::BadSignature)
            ),
            "changing {pointer} breaks the signature"
        );
    }

    // A new key: the site signs with it from now on, and the credential
    // signed before still verifies against the published document.
    let rotate = Command::new(env!("CARGO_BIN_EXE_presto"))
        .args([
            "certificate-key",
            "rotate",
            "--config",
            "no-such-presto.toml",
            "--data",
        ])
        .arg(&app.data)
        .env_remove("PRESTO_CERTIFICATE_KEY")
        .output()
        .unwrap();
    assert!(rotate.status.success(), "{rotate:?}");
    assert!(String::from_utf8_lossy(&rotate.stdout).contains("key-2"));
    assert!(app.data.join(KEY_FOLDER).join("key-2.json").exists());
    let restarted = app
        .restart_configured(&fixture_courses(), |settings| {
            settings.public_url = public_url.into();
        })
        .await;
    let did_document: Value = restarted
        .get("/.well-known/did.json")
        .await
        .json()
        .await
        .unwrap();
    let keys = keys_of(&did_document);
    assert_eq!(keys.len(), 2);
    verify(&credential, key_resolver("did:web:presto.test", &keys))
        .expect("signed with the old key, still good");
    let fresh: Value = restarted
        .get(&format!("/certificates/{id}/credential.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        fresh["proof"]["verificationMethod"],
        "did:web:presto.test#key-2"
    );
    verify(&fresh, key_resolver("did:web:presto.test", &keys)).expect("new key verifies");
}

on_both_databases!(public_lookups_are_rate_limited);

async fn public_lookups_are_rate_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let employer = app.another_browser();
    let never = CertificateId::generate().to_string();
    let mut statuses = Vec::new();
    for _ in 0..70 {
        statuses.push(
            employer
                .get(&format!("/api/v1/certificates/{never}"))
                .await
                .status(),
        );
    }
    assert_eq!(statuses[0], StatusCode::NOT_FOUND);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "someone trying number after number is slowed down"
    );
    let (status, _) = employer.page(&format!("/verify/{never}")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

on_both_databases!(the_page_and_the_api_give_the_same_outcome_for_revoking);

/// Revoking by the form (confirmed, and asked first) and by the API: the
/// same person with the same number and reason gets the same outcome, and
/// a refusal the same words (the page shows them in the viewer's language,
/// English here, as the API does).
async fn the_page_and_the_api_give_the_same_outcome_for_revoking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, on_page) = graduate(&app, "amina", "Amina Yusuf").await;
    let (_, by_api) = graduate(&app, "olena", "Olena Kovalenko").await;
    let person = |username: &'static str, role: Role| {
        let app = &app;
        async move {
            let browser = app.another_browser();
            let token = browser.token_for(username, role).await;
            browser.sign_in(username, "password123").await;
            (username, browser, token)
        }
    };
    let tutor = person("tomas", Role::Tutor).await;
    let coordinator = person("cora", Role::Coordinator).await;
    let too_long = "x".repeat(501);
    let longest = format!("  {}  ", "y".repeat(500));
    let never = CertificateId::generate().to_string();
    let missing = "Please write why the certificate is revoked.";
    let long = "The reason can have at most 500 characters.";

    // Who, which number (None: the learner's own), the reason, and the
    // outcome: a status and, for a refusal with words, the words.
    type Case<'a> = (
        &'a (&'a str, TestApp, String),
        Option<&'a str>,
        &'a str,
        StatusCode,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (&tutor, None, "Issued in error", StatusCode::FORBIDDEN, None),
        // The role is checked before anything else.
        (
            &tutor,
            Some(never.as_str()),
            "",
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            &coordinator,
            None,
            "",
            StatusCode::BAD_REQUEST,
            Some(missing),
        ),
        (
            &coordinator,
            None,
            " \n ",
            StatusCode::BAD_REQUEST,
            Some(missing),
        ),
        (
            &coordinator,
            None,
            too_long.as_str(),
            StatusCode::BAD_REQUEST,
            Some(long),
        ),
        // The reason before the number.
        (
            &coordinator,
            Some(never.as_str()),
            too_long.as_str(),
            StatusCode::BAD_REQUEST,
            Some(long),
        ),
        (
            &coordinator,
            Some(never.as_str()),
            "Issued in error",
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            &coordinator,
            Some("K7MX-3QPA"),
            "Issued in error",
            StatusCode::NOT_FOUND,
            None,
        ),
        // Allowed: 500 characters once the spaces around are left out.
        (&coordinator, None, longest.as_str(), StatusCode::OK, None),
    ];
    for ((who, browser, token), number, reason, expected, words) in cases {
        let page_number = number.map_or_else(|| written(&on_page), str::to_string);
        let api_number = number.map_or_else(|| written(&by_api), str::to_string);
        let case = format!("{who} {page_number} {reason:?}");

        let asked = browser
            .post_form(
                &format!("/certificates/{page_number}/revoke"),
                &[("reason", reason)],
            )
            .await;
        let asked_status = asked.status();
        let asked_text = asked.text().await.unwrap();
        let revoked = browser
            .post_form(
                &format!("/certificates/{page_number}/revoke"),
                &[("reason", reason), ("confirm", "yes")],
            )
            .await;
        let revoked_status = revoked.status();
        let revoked_text = revoked.text().await.unwrap();
        let (api_status, api_body) = app
            .api(token.as_str())
            .post(
                &format!("/api/v1/certificates/{api_number}/revoke"),
                serde_json::json!({ "reason": reason }),
            )
            .await;

        assert_eq!(api_status, expected, "API: {case}: {api_body}");
        if expected == StatusCode::OK {
            // The page asks first, then revokes and shows the certificate.
            assert_eq!(asked_status, StatusCode::OK, "{case}");
            assert!(asked_text.contains("name=\"confirm\" value=\"yes\""));
            assert_eq!(revoked_status, StatusCode::SEE_OTHER, "{case}");
        } else {
            assert_eq!(asked_status, expected, "page, asked first: {case}");
            assert_eq!(revoked_status, expected, "page, confirmed: {case}");
        }
        if let Some(words) = words {
            assert_eq!(api_body["message"], words, "{case}");
            assert!(asked_text.contains(words), "{case}: {asked_text}");
            assert!(revoked_text.contains(words), "{case}: {revoked_text}");
        }
    }

    // Both revoked, with the reason trimmed the same way.
    for certificate in [&on_page, &by_api] {
        let (_, json) = app
            .api("")
            .get(&format!("/api/v1/certificates/{}", written(certificate)))
            .await;
        assert_eq!(json["status"], "revoked");
        assert_eq!(json["reason"], "y".repeat(500).as_str());
    }
}
