//! Certificate pages: a learner's own certificates, the PDF, the public
//! verification page an employer opens from the QR code, the signed
//! credential and the DID document that proves it, and revocation by a
//! coordinator.
//!
//! Who may do what is decided in [`crate::service::certificates`], for
//! these pages and the API alike. What stays here is about requests: the
//! public lookups (the page and the credential) are rate-limited per
//! address, and the PDF also takes an API bearer token.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::confirm::{Confirm, confirm_page};
use super::errors::PageError;
use super::session::{SignedIn, Viewer, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::certificate::issued;
use crate::domain::certificate_id::CertificateId;
use crate::domain::revocation::REASON_MAX_CHARS;
use crate::service::certificates::{self, Credential, StatusView};
use crate::service::{Message, ServiceError};

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

/// A certificate as pages show it: dates as days, links on our own pages
/// relative.
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

impl From<StatusView> for CertificateView {
    fn from(view: StatusView) -> CertificateView {
        let day = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d").to_string();
        CertificateView {
            status: view.status.as_str(),
            reason: view.reason().map(str::to_string),
            // Links on our own pages stay relative, so they work behind any
            // proxy; the absolute ones are for copying and the QR code.
            pdf_url: format!("/certificates/{}.pdf", view.id),
            credential_url: format!("/certificates/{}/credential.json", view.id),
            id: view.id,
            name: view.name,
            title: view.title,
            course: view.course,
            course_slug: view.course_slug,
            details: view.details,
            organisation: view.organisation,
            issued_on: day(view.issued_at),
            valid_until: view.expires_at.map(day),
            revoked_on: view.revoked_at.map(day),
            verify_url: view.verify_url,
        }
    }
}

fn page_views(views: Vec<StatusView>) -> Vec<CertificateView> {
    views.into_iter().map(CertificateView::from).collect()
}

/// "My certificates": each with its PDF, its verification link to copy,
/// and its credential.
async fn my_certificates(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    let views = page_views(certificates::mine(state.service(), &user.account).await?);
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
    let account = match super::bearer::bearer_account(&request, &state).await? {
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
    let certificate = certificates::for_download(&state.store, &account, &path).await?;
    let file = format!("certificate-{}.pdf", issued::written_id(&certificate));
    let public_url = state.settings.public_url();
    // Rendering takes a few milliseconds of CPU: off the async workers.
    let sectors = state.catalog.sectors();
    let bytes = web::block(move || issued::pdf(&certificate, &sectors, &public_url))
        .await
        .map_err(|e| PageError::Internal(anyhow::anyhow!("PDF task: {e}")))?
        .map_err(|e| PageError::Internal(anyhow::Error::new(e)))?;
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
    let (certificate, course_summary) =
        match certificates::credential(state.service(), &path).await? {
            Credential::Issued {
                certificate,
                course_summary,
            } => (*certificate, course_summary),
            Credential::Revoked { reason } => {
                return Ok(HttpResponse::Gone().json(serde_json::json!({
                    "error": "revoked",
                    "message": format!("This certificate was revoked: {reason}"),
                })));
            }
        };
    let signed = state
        .issuer
        .credential(
            &certificate,
            &state.catalog.sectors(),
            &course_summary,
            &state.settings.public_url(),
        )
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
    match certificates::verify(state.service(), &typed).await {
        Ok(view) => {
            context.insert("certificate", &CertificateView::from(view));
            context.insert(
                "may_revoke",
                &viewer
                    .account
                    .as_ref()
                    .is_some_and(|account| certificates::may_revoke(account.role)),
            );
            context.insert("reason_max", &REASON_MAX_CHARS);
            render_page(&state, "verify.html", &context)
        }
        Err(ServiceError::NotFound(_)) => {
            // Not an error page: the employer gets the number they typed
            // back, what is wrong with it (nothing more for a number never
            // issued), and the form to try again.
            context.insert("typed", &typed);
            context.insert(
                "problem",
                &certificates::id_problem(&typed).map(|p| p.in_language(viewer.language.code)),
            );
            let mut response = render_page(&state, "verify_missing.html", &context)?;
            *response.status_mut() = actix_web::http::StatusCode::NOT_FOUND;
            Ok(response)
        }
        Err(e) => Err(e.into()),
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
    let ctx = state.service();
    if form.confirm != "yes" {
        let asked = certificates::check_revocation(ctx, &user.account, &path, &form.reason).await?;
        let lang = user.language.code;
        let number = asked.certificate.id.as_str();
        let say = |key| {
            Message::key(key)
                .arg("number", number)
                .arg("name", asked.certificate.name.as_str())
                .arg("reason", asked.reason.as_str())
                .in_language(lang)
        };
        return confirm_page(
            &state,
            &user,
            &Confirm {
                heading: say("certificate-revoke-confirm-title"),
                warning: say("certificate-revoke-confirm-warning"),
                button: crate::i18n::text(lang, "certificate-revoke-confirm-button"),
                action: format!("/certificates/{number}/revoke"),
                cancel: format!("/verify/{number}"),
                fields: &[("reason", asked.reason.as_str())],
            },
        );
    }
    let revoked = certificates::revoke(ctx, &user.account, &path, &form.reason).await?;
    Ok(super::redirect::see_other(&format!(
        "/verify/{}",
        revoked.id
    )))
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
    let views = page_views(certificates::search(state.service(), &user.account, &query.q).await?);
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("q", &query.q);
    context.insert("certificates", &views);
    render_page(&state, "manage_certificates.html", &context)
}
