//! Certificates in the JSON API: public verification, a learner's own
//! list, and revocation by coordinators. Part of the `/api/v1` contract.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::State;
use super::bearer::ApiUser;
use super::errors::ApiError;
use crate::certificate::issued::Status;
use crate::service::certificates::{self, StatusView};

/// Registered inside the `/api/v1` scope.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/certificates/{id}", web::get().to(verify))
        .route("/certificates/{id}/revoke", web::post().to(revoke))
        .route("/me/certificates", web::get().to(my_certificates));
}

/// Where a certificate stands now.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CertificateState {
    Valid,
    Expired,
    Revoked,
}

impl CertificateState {
    fn of(view: &StatusView) -> CertificateState {
        match view.status {
            Status::Valid => CertificateState::Valid,
            Status::Expired => CertificateState::Expired,
            Status::Revoked { .. } => CertificateState::Revoked,
        }
    }
}

/// What anyone may know about a certificate.
#[derive(Serialize, ToSchema)]
pub struct CertificateStatus {
    /// As printed: `K7MX-3QPA-W`.
    #[schema(example = "K7MX-3QPA-W")]
    id: String,
    status: CertificateState,
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

impl From<StatusView> for CertificateStatus {
    fn from(view: StatusView) -> CertificateStatus {
        CertificateStatus {
            status: CertificateState::of(&view),
            reason: view.reason().map(str::to_string),
            id: view.id,
            name: view.name,
            title: view.title,
            course: view.course,
            course_slug: view.course_slug,
            sector: view.sector,
            level: view.level,
            hours: view.hours,
            organisation: view.organisation,
            issued_at: view.issued_at,
            expires_at: view.expires_at,
            revoked_at: view.revoked_at,
            verify_url: view.verify_url,
            credential_url: view.credential_url,
        }
    }
}

/// Checks a certificate: anyone may, a limited number of times a minute.
#[utoipa::path(get, path = "/api/v1/certificates/{id}",
    params(("id" = String, Path,
        // The nine letters and numbers of the printed alphabet, in either
        // case, with or without dashes and spaces; a number with a wrong
        // check character fits and is not found.
        pattern = r"^[- \u2010-\u2015]*([346789ACDEFGHJKMNPQRTWXYacdefghjkmnpqrtwxy][- \u2010-\u2015]*){9}$", description = "The certificate number, in either case, with or without dashes")),
    responses((status = 200, body = CertificateStatus),
        (status = 404, description = "No certificate has this number, or the number has a mistake in it"),
        (status = 429, description = "Too many lookups from this address; wait as long as `Retry-After` says")))]
pub(crate) async fn verify(
    state: State,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .throttles
        .lookups
        .check(state.client_address(&request))?;
    let view = certificates::verify(state.service(), &path).await?;
    Ok(HttpResponse::Ok().json(CertificateStatus::from(view)))
}

#[derive(Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// Why it is revoked, shown to anyone who checks the certificate: 1 to
    /// 500 characters once spaces at either end are left out.
    // Missing is the same as empty: the role is checked first. The pattern
    // spells out the spaces Rust's `trim` removes (Unicode White_Space), so
    // every regular expression engine reads it the same way.
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([\s\S]{0,498}[^\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    reason: String,
}

/// Revokes a certificate (coordinators and admins). Revoking twice keeps
/// the first reason.
#[utoipa::path(post, path = "/api/v1/certificates/{id}/revoke",
    params(("id" = String, Path,
        // The nine letters and numbers of the printed alphabet, in either
        // case, with or without dashes and spaces; a number with a wrong
        // check character fits and is not found.
        pattern = r"^[- \u2010-\u2015]*([346789ACDEFGHJKMNPQRTWXYacdefghjkmnpqrtwxy][- \u2010-\u2015]*){9}$", description = "The certificate number, in either case, with or without dashes")),
    request_body = RevokeRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Revoked now, or already revoked (with its first reason)", body = CertificateStatus),
        (status = 400, description = "The body is not valid JSON for this call, or the reason is missing or longer than 500 characters"),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Only coordinators and admins revoke certificates"),
        (status = 404, description = "No certificate has this number, or the number has a mistake in it")))]
pub(crate) async fn revoke(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
    body: web::Json<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let revoked = certificates::revoke(state.service(), &account, &path, &body.reason).await?;
    Ok(HttpResponse::Ok().json(CertificateStatus::from(revoked)))
}

/// One of the signed-in learner's certificates.
#[derive(Serialize, ToSchema)]
pub struct MyCertificate {
    #[schema(example = "K7MX-3QPA-W")]
    id: String,
    title: String,
    /// The course's title.
    course: String,
    course_slug: String,
    issued_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    status: CertificateState,
    /// The public page to share with an employer.
    verify_url: String,
    /// The PDF (needs the same bearer token).
    pdf_url: String,
    /// The signed Open Badges 3.0 credential (public).
    credential_url: String,
}

impl From<StatusView> for MyCertificate {
    fn from(view: StatusView) -> MyCertificate {
        MyCertificate {
            status: CertificateState::of(&view),
            id: view.id,
            title: view.title,
            course: view.course,
            course_slug: view.course_slug,
            issued_at: view.issued_at,
            expires_at: view.expires_at,
            verify_url: view.verify_url,
            pdf_url: view.pdf_url,
            credential_url: view.credential_url,
        }
    }
}

/// The signed-in user's certificates, newest first.
#[utoipa::path(get, path = "/api/v1/me/certificates", security(("bearer" = [])),
    responses((status = 200, body = Vec<MyCertificate>), (status = 401, description = "No valid bearer token")))]
pub(crate) async fn my_certificates(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let list: Vec<MyCertificate> = certificates::mine(state.service(), &account)
        .await?
        .into_iter()
        .map(MyCertificate::from)
        .collect();
    Ok(HttpResponse::Ok().json(list))
}
