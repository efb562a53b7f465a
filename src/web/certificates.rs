//! Certificate pages: a learner's own certificates, the PDF, the public
//! verification page an employer opens from the QR code, the signed
//! credential and the DID document that proves it, and revocation by a
//! coordinator.
//!
//! Who may do what: anyone may verify a certificate (the page, its JSON and
//! the credential, rate-limited per address); the learner and staff
//! (the learner's tutors, coordinators, admins) may download the PDF;
//! coordinators and admins revoke.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use fluent_templates::fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

use super::confirm::{Confirm, confirm_page};
use super::errors::PageError;
use super::session::{SignedIn, Viewer, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::certificate::issued::{self, Status};
use crate::domain::certificate_id::{CertificateId, CertificateIdError};
use crate::domain::names::Role;
use crate::store::certificates::Certificate;
use crate::store::users::Account;

/// The longest revocation reason kept; it is shown to the public.
pub const REASON_MAX_CHARS: usize = 500;
/// How many certificates the coordinators' search shows.
const SEARCH_LIMIT: u64 = 100;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/certificates", web::get().to(my_certificates))
        .route("/certificates/{id}.pdf", web::get().to(pdf))
        .route(
            "/certificates/{id}/credential.json",
            web::get().to(credential),
        )
        .route("/certificates/{id}/revoke", web::post().to(revoke))
        .route("/verify", web::get().to(verify_form))
        .route("/verify/{id}", web::get().to(verify_page))
        .route("/manage/certificates", web::get().to(manage))
        .route("/.well-known/did.json", web::get().to(did_document));
}

/// Who may download a certificate's PDF: its learner, the tutors of a
/// class the learner is in, coordinators and admins.
pub(crate) async fn may_download(
    state: &AppState,
    account: &Account,
    certificate: &Certificate,
) -> Result<bool, PageError> {
    Ok(match account.role {
        _ if account.id == certificate.user_id => true,
        Role::Coordinator | Role::Admin => true,
        Role::Tutor => state.store.teaches(account.id, certificate.user_id).await?,
        Role::Learner => false,
    })
}

pub(crate) fn may_revoke(account: &Account) -> bool {
    matches!(account.role, Role::Coordinator | Role::Admin)
}

/// A revocation reason as typed: trimmed, required, not too long.
pub(crate) fn clean_reason(reason: &str) -> Result<String, &'static str> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err("certificate-revoke-reason-missing")
    } else if reason.chars().count() > REASON_MAX_CHARS {
        Err("certificate-revoke-reason-long")
    } else {
        Ok(reason.to_string())
    }
}

/// The certificate a path names, or None when the id is malformed or
/// unknown (with why, when malformed).
pub(crate) async fn lookup(
    state: &AppState,
    typed: &str,
) -> Result<Result<Certificate, Option<CertificateIdError>>, PageError> {
    let id = match CertificateId::parse(typed) {
        Ok(id) => id,
        Err(e) => return Ok(Err(Some(e))),
    };
    Ok(state.store.certificate(&id).await?.ok_or(None))
}

/// A certificate as pages show it.
#[derive(Serialize)]
struct CertificateView {
    id: String,
    status: &'static str,
    reason: Option<String>,
    name: String,
    title: String,
    course: String,
    course_slug: String,
    details: String,
    organisation: String,
    issued_on: String,
    valid_until: Option<String>,
    revoked_on: Option<String>,
    verify_url: String,
    pdf_url: String,
    credential_url: String,
}

fn view_of(state: &AppState, certificate: &Certificate) -> CertificateView {
    let public_url = state.settings.public_url();
    let status = Status::of(certificate, chrono::Utc::now());
    let day = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d").to_string();
    CertificateView {
        id: issued::written_id(certificate),
        status: status.as_str(),
        reason: match status {
            Status::Revoked { reason } => Some(reason),
            _ => None,
        },
        name: certificate.learner_name.clone(),
        title: certificate.title.clone(),
        course: certificate.course_title.clone(),
        course_slug: certificate.course_slug.clone(),
        details: issued::details(certificate),
        organisation: certificate.organisation.clone(),
        issued_on: day(certificate.issued_at),
        valid_until: certificate.expires_at.map(day),
        revoked_on: certificate.revoked_at.map(day),
        verify_url: issued::verify_url(&public_url, certificate),
        // Links on our own pages stay relative, so they work behind any
        // proxy; the absolute ones are for copying and the QR code.
        pdf_url: format!("/certificates/{}.pdf", issued::written_id(certificate)),
        credential_url: format!(
            "/certificates/{}/credential.json",
            issued::written_id(certificate)
        ),
    }
}

/// "My certificates": each with its PDF, its verification link to copy,
/// and its credential.
async fn my_certificates(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    let certificates = state.store.certificates_of(user.account.id).await?;
    let views: Vec<CertificateView> = certificates.iter().map(|c| view_of(&state, c)).collect();
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("certificates", &views);
    render_page(&state, "certificates.html", &context)
}

/// The print-ready PDF, for the learner and staff, signed in with a session
/// or an API bearer token.
async fn pdf(
    state: State,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let typed = path.into_inner();
    let account = match super::api::bearer_account(&request, &state).await? {
        Some(account) => account,
        None if request.headers().contains_key(header::AUTHORIZATION) => {
            return Ok(HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                .content_type("text/plain; charset=utf-8")
                .body("The bearer token is not valid."));
        }
        None => {
            use actix_web::FromRequest;
            SignedIn::extract(&request).await?.account
        }
    };
    let Ok(certificate) = lookup(&state, &typed).await? else {
        return Err(PageError::NotFound);
    };
    if !may_download(&state, &account, &certificate).await? {
        return Err(PageError::Forbidden);
    }
    let public_url = state.settings.public_url();
    // Rendering takes a few milliseconds of CPU: off the async workers.
    let bytes = web::block(move || issued::pdf(&certificate, &public_url))
        .await
        .map_err(|e| PageError::Internal(anyhow::anyhow!("PDF task: {e}")))?
        .map_err(|e| PageError::Internal(anyhow::Error::new(e)))?;
    let file = format!(
        "certificate-{}.pdf",
        CertificateId::parse(&typed)
            .map(|id| id.to_string())
            .unwrap_or(typed)
    );
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

fn throttled(state: &AppState, request: &HttpRequest) -> Result<(), PageError> {
    Ok(state
        .throttles
        .lookups
        .check(state.client_address(request))?)
}

/// The signed Open Badges credential: public, like the verification page,
/// so a learner can hand the link to anyone. A revoked certificate's
/// credential is gone (410); the verification page says why.
async fn credential(
    state: State,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    throttled(&state, &request)?;
    let Ok(certificate) = lookup(&state, &path).await? else {
        return Err(PageError::NotFound);
    };
    if let Status::Revoked { reason } = Status::of(&certificate, chrono::Utc::now()) {
        return Ok(HttpResponse::Gone().json(serde_json::json!({
            "error": "revoked",
            "message": format!("This certificate was revoked: {reason}"),
        })));
    }
    let summary = state
        .catalog
        .get(&certificate.course_slug)
        .map(|published| published.course.settings.summary.clone())
        .unwrap_or_default();
    let signed = state
        .issuer
        .credential(&certificate, &summary, &state.settings.public_url())
        .map_err(|e| PageError::Internal(anyhow::Error::new(e)))?;
    let body = serde_json::to_vec_pretty(&signed)
        .map_err(|e| PageError::Internal(anyhow::Error::new(e)))?;
    let file = format!("certificate-{}.json", issued::written_id(&certificate));
    Ok(HttpResponse::Ok()
        .content_type("application/vc+ld+json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file}\""),
        ))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(body))
}

/// The DID document: the public keys anyone uses to check a credential.
async fn did_document(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/did+json")
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.issuer.did_document())
}

#[derive(Deserialize)]
struct VerifyQuery {
    #[serde(default)]
    id: String,
}

/// Where an employer types a certificate number; `?id=` goes to its page.
async fn verify_form(
    state: State,
    viewer: Viewer,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, PageError> {
    let typed = query.id.trim();
    if !typed.is_empty() {
        let target = match CertificateId::parse(typed) {
            Ok(id) => id.to_string(),
            // A malformed id gets its own page, which says what is wrong.
            Err(_) => typed.to_string(),
        };
        let target = format!("/verify/{}", urlencoding_path(&target));
        return Ok(super::redirect::see_other(&target));
    }
    let context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    render_page(&state, "verify_form.html", &context)
}

/// Percent-encodes a path segment typed by a person.
fn urlencoding_path(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The public verification page.
async fn verify_page(
    state: State,
    viewer: Viewer,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    throttled(&state, &request)?;
    let typed = path.into_inner();
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    match lookup(&state, &typed).await? {
        Ok(certificate) => {
            context.insert("certificate", &view_of(&state, &certificate));
            context.insert(
                "may_revoke",
                &viewer.account.as_ref().is_some_and(may_revoke),
            );
            context.insert("reason_max", &REASON_MAX_CHARS);
            render_page(&state, "verify.html", &context)
        }
        Err(problem) => {
            // Not an error page: the employer gets the number they typed
            // back, what is wrong with it, and the form to try again.
            context.insert("typed", &typed);
            context.insert(
                "problem",
                &problem.map(|p| crate::i18n::text(viewer.language.code, p.message_key())),
            );
            let mut response = render_page(&state, "verify_missing.html", &context)?;
            *response.status_mut() = actix_web::http::StatusCode::NOT_FOUND;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    csrf: String,
    // Missing is the same as empty: the role is checked first.
    #[serde(default)]
    reason: String,
    /// "yes" when sent from the confirmation page.
    #[serde(default)]
    confirm: String,
}

/// A coordinator revokes a certificate; its page says so at once. Two
/// steps: the form with the reason leads to a page that asks first (the
/// reason goes along in the form), whose button revokes.
async fn revoke(
    state: State,
    user: SignedIn,
    path: web::Path<String>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    if !may_revoke(&user.account) {
        return Err(PageError::Forbidden);
    }
    let reason = clean_reason(&form.reason)
        .map_err(|key| PageError::bad_request(crate::i18n::text(user.language.code, key)))?;
    let id = CertificateId::parse(&path).map_err(|_| PageError::NotFound)?;
    if form.confirm != "yes" {
        let certificate = state
            .store
            .certificate(&id)
            .await?
            .ok_or(PageError::NotFound)?;
        let lang = user.language.code;
        let number = issued::written_id(&certificate);
        let args = std::collections::HashMap::from([
            (
                std::borrow::Cow::Borrowed("number"),
                FluentValue::from(number.clone()),
            ),
            (
                std::borrow::Cow::Borrowed("name"),
                FluentValue::from(certificate.learner_name.clone()),
            ),
            (
                std::borrow::Cow::Borrowed("reason"),
                FluentValue::from(reason.clone()),
            ),
        ]);
        return confirm_page(
            &state,
            &user,
            &Confirm {
                heading: crate::i18n::text_with(lang, "certificate-revoke-confirm-title", &args),
                warning: crate::i18n::text_with(lang, "certificate-revoke-confirm-warning", &args),
                button: crate::i18n::text(lang, "certificate-revoke-confirm-button"),
                action: format!("/certificates/{number}/revoke"),
                cancel: format!("/verify/{number}"),
                fields: &[("reason", reason.as_str())],
            },
        );
    }
    let revoked = state
        .store
        .revoke_certificate(&id, &reason)
        .await?
        .ok_or(PageError::NotFound)?;
    tracing::info!(
        certificate = revoked.id,
        by = user.account.username,
        "certificate revoked"
    );
    Ok(super::redirect::see_other(&format!("/verify/{id}")))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// Coordinators find a certificate by number or name, to check or revoke.
async fn manage(
    state: State,
    user: SignedIn,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    user.require(&[Role::Coordinator, Role::Admin])?;
    let found = state
        .store
        .search_certificates(&query.q, SEARCH_LIMIT)
        .await?;
    let views: Vec<CertificateView> = found.iter().map(|c| view_of(&state, c)).collect();
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("q", &query.q);
    context.insert("certificates", &views);
    render_page(&state, "manage_certificates.html", &context)
}
