//! Certificates in the JSON API: public verification, a learner's own
//! list, and revocation by coordinators. Part of the `/api/v1` contract.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::api::ApiUser;
use super::certificates::{clean_reason, lookup, may_revoke};
use super::errors::ApiError;
use super::{AppState, State};
use crate::certificate::issued::{self, Status};
use crate::domain::certificate_id::CertificateId;
use crate::store::certificates::Certificate;

/// Registered inside the `/api/v1` scope.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/certificates/{id}", web::get().to(verify))
        .route("/certificates/{id}/revoke", web::post().to(revoke))
        .route("/me/certificates", web::get().to(my_certificates));
}

/// What anyone may know about a certificate.
#[derive(Serialize, ToSchema)]
pub struct CertificateStatus {
    /// As printed: `K7MX-3QPA-W`.
    id: String,
    /// `valid`, `expired` or `revoked`.
    status: String,
    /// Why it was revoked; only when `status` is `revoked`.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// The learner's full name.
    name: String,
    /// The certificate's title.
    title: String,
    /// The course's title.
    course: String,
    course_slug: String,
    sector: String,
    level: String,
    hours: Option<f64>,
    organisation: String,
    issued_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    verify_url: String,
    credential_url: String,
}

fn status_of(state: &AppState, certificate: &Certificate) -> CertificateStatus {
    let public_url = state.settings.public_url();
    let status = Status::of(certificate, Utc::now());
    CertificateStatus {
        id: issued::written_id(certificate),
        status: status.as_str().to_string(),
        reason: match status {
            Status::Revoked { reason } => Some(reason),
            _ => None,
        },
        name: certificate.learner_name.clone(),
        title: certificate.title.clone(),
        course: certificate.course_title.clone(),
        course_slug: certificate.course_slug.clone(),
        sector: certificate.sector.clone(),
        level: certificate.level.clone(),
        hours: certificate.hours,
        organisation: certificate.organisation.clone(),
        issued_at: certificate.issued_at,
        expires_at: certificate.expires_at,
        revoked_at: certificate.revoked_at,
        verify_url: issued::verify_url(&public_url, certificate),
        credential_url: issued::credential_url(&public_url, certificate),
    }
}

async fn find(state: &AppState, typed: &str) -> Result<Certificate, ApiError> {
    let not_found = || ApiError::NotFound(format!("No certificate has the number {typed}."));
    match lookup(state, typed).await {
        Ok(Ok(certificate)) => Ok(certificate),
        Ok(Err(Some(problem))) => Err(ApiError::NotFound(problem.to_string())),
        Ok(Err(None)) => Err(not_found()),
        Err(e) => Err(ApiError::Internal(anyhow::Error::new(e))),
    }
}

/// Checks a certificate: anyone may, a limited number of times a minute.
#[utoipa::path(get, path = "/api/v1/certificates/{id}", params(("id" = String, Path, description = "The certificate number, with or without dashes")),
    responses((status = 200, body = CertificateStatus), (status = 404, description = "No such certificate"), (status = 429, description = "Too many lookups")))]
pub(crate) async fn verify(
    state: State,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .throttles
        .lookups
        .check(state.client_address(&request))?;
    let certificate = find(&state, &path).await?;
    Ok(HttpResponse::Ok().json(status_of(&state, &certificate)))
}

#[derive(Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// Shown to anyone who checks the certificate. At most 500 characters.
    // Missing is the same as empty: the role is checked first.
    #[serde(default)]
    reason: String,
}

/// Revokes a certificate (coordinators and admins). Revoking twice keeps
/// the first reason.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke", params(("id" = String, Path)), request_body = RevokeRequest,
    security(("bearer" = [])),
    responses((status = 200, body = CertificateStatus), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn revoke(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
    body: web::Json<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    if !may_revoke(&account) {
        return Err(ApiError::Forbidden(
            "Only coordinators and admins revoke certificates.".into(),
        ));
    }
    let reason = clean_reason(&body.reason)
        .map_err(|key| ApiError::BadRequest(crate::i18n::text("en", key)))?;
    let id =
        CertificateId::parse(&path).map_err(|problem| ApiError::NotFound(problem.to_string()))?;
    let revoked = state
        .store
        .revoke_certificate(&id, &reason)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No certificate has the number {id}.")))?;
    tracing::info!(
        certificate = revoked.id,
        by = account.username,
        "certificate revoked"
    );
    Ok(HttpResponse::Ok().json(status_of(&state, &revoked)))
}

/// One of the signed-in learner's certificates.
#[derive(Serialize, ToSchema)]
pub struct MyCertificate {
    id: String,
    title: String,
    /// The course's title.
    course: String,
    course_slug: String,
    issued_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    /// `valid`, `expired` or `revoked`.
    status: String,
    /// The public page to share with an employer.
    verify_url: String,
    /// The PDF (needs the same bearer token).
    pdf_url: String,
    /// The signed Open Badges 3.0 credential (public).
    credential_url: String,
}

/// The signed-in user's certificates, newest first.
#[utoipa::path(get, path = "/api/v1/me/certificates", security(("bearer" = [])),
    responses((status = 200, body = Vec<MyCertificate>), (status = 401)))]
pub(crate) async fn my_certificates(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let public_url = state.settings.public_url();
    let now = Utc::now();
    let list: Vec<MyCertificate> = state
        .store
        .certificates_of(account.id)
        .await?
        .iter()
        .map(|certificate| MyCertificate {
            id: issued::written_id(certificate),
            title: certificate.title.clone(),
            course: certificate.course_title.clone(),
            course_slug: certificate.course_slug.clone(),
            issued_at: certificate.issued_at,
            expires_at: certificate.expires_at,
            status: Status::of(certificate, now).as_str().to_string(),
            verify_url: issued::verify_url(&public_url, certificate),
            pdf_url: issued::pdf_url(&public_url, certificate),
            credential_url: issued::credential_url(&public_url, certificate),
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}
