//! Coordinator reports in the JSON API: the dashboard's figures, the funder
//! report (JSON and CSV), the streamed exports, learners' outcomes, the
//! personal data export and erasure. Part of the `/api/v1` contract.
//! Coordinators and admins only; the rules and the files are
//! `service::reports`', the same the pages use.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};

use super::State;
use super::bearer::ApiUser;
use super::downloads::attachment;
use super::errors::ApiError;
use crate::reports::funder::FunderReport;
use crate::reports::{Figures, FilterInput};
use crate::service::reports::{self, LearnerView, OutcomeView};

/// Registered inside the `/api/v1` scope.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/dashboard", web::get().to(dashboard))
        .route("/reports/funder", web::get().to(funder))
        .route("/reports/funder.csv", web::get().to(funder_csv))
        .route("/reports/completions.csv", web::get().to(completions))
        .route("/reports/progress.csv", web::get().to(progress))
        .route("/reports/xapi.jsonl", web::get().to(xapi))
        .route("/learners", web::get().to(learners))
        .route("/learners/{id}/outcomes", web::get().to(outcomes))
        .route("/learners/{id}/outcomes", web::post().to(add_outcome))
        .route("/learners/{id}/data", web::get().to(data))
        .route("/learners/{id}/erase", web::post().to(erase));
}

/// One of the sectors, by id: the shipped ones or those the site's
/// `sectors.toml` adds (so not a fixed list here).
fn sector_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[a-z0-9][a-z0-9-]*$"))
        .description(Some(
            "A sector id: hospitality, care, childcare, construction, warehousing, english, other, or one the organisation added in sectors.toml. An unknown one is answered 400.",
        ))
        .into()
}

/// The filters every report takes; each is optional. A filter that is not
/// understood, or a class that does not exist, is answered 400.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilter {
    /// A sector id: hospitality, care, childcare, construction, warehousing,
    /// english, other, or one the organisation added.
    #[param(schema_with = sector_schema)]
    sector: Option<String>,
    /// A class number: its members, in its courses.
    #[param(value_type = Option<i32>, format = Int32, minimum = 1)]
    class: Option<String>,
    /// First day, `YYYY-MM-DD` (included).
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (included), not before `from`.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
}

impl From<ReportFilter> for FilterInput {
    fn from(query: ReportFilter) -> FilterInput {
        FilterInput {
            sector: query.sector.unwrap_or_default(),
            class: query.class.unwrap_or_default(),
            from: query.from.unwrap_or_default(),
            to: query.to.unwrap_or_default(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Dashboard {
    /// Every sector added up (`sector` empty).
    total: Figures,
    /// One entry per sector with any figure.
    sectors: Vec<Figures>,
}

/// The dashboard's figures (definitions in the README), current to the
/// moment they are asked for.
#[utoipa::path(get, path = "/api/v1/reports/dashboard", params(ReportFilter), security(("bearer" = [])),
    responses((status = 200, body = Dashboard),
        (status = 400, description = "A filter that is not understood, or no such class"),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn dashboard(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ReportFilter>,
) -> Result<HttpResponse, ApiError> {
    let input = FilterInput::from(query.into_inner());
    let figures =
        reports::dashboard(&state.store, &state.catalog.sectors(), &account, &input).await?;
    Ok(HttpResponse::Ok().json(Dashboard {
        total: figures.total,
        sectors: figures.sectors,
    }))
}

/// The funder report: per sector and month, started, completed, certified
/// and outcomes by kind.
#[utoipa::path(get, path = "/api/v1/reports/funder", params(ReportFilter), security(("bearer" = [])),
    responses((status = 200, body = FunderReport),
        (status = 400, description = "A filter that is not understood, or no such class"),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn funder(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ReportFilter>,
) -> Result<HttpResponse, ApiError> {
    let input = FilterInput::from(query.into_inner());
    let figures =
        reports::funder_report(&state.store, &state.catalog.sectors(), &account, &input).await?;
    Ok(HttpResponse::Ok().json(figures.report))
}

/// The funder report as CSV: `sector,month,started,completed,certified,
/// work_experience,job,further_training`, then a `total` line.
#[utoipa::path(get, path = "/api/v1/reports/funder.csv", params(ReportFilter), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, description = "A filter that is not understood, or no such class"),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn funder_csv(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ReportFilter>,
) -> Result<HttpResponse, ApiError> {
    let input = FilterInput::from(query.into_inner());
    Ok(attachment(
        reports::funder_csv(&state.store, &state.catalog.sectors(), &account, &input).await?,
    ))
}

/// Every completed course, streamed: `username,full_name,course_slug,
/// sector,enrolled_at,completed_at,certificate_id`. Cells that a
/// spreadsheet would run as a formula start with `'`.
#[utoipa::path(get, path = "/api/v1/reports/completions.csv", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn completions(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    Ok(attachment(reports::completions(&state.store, &account)?))
}

/// Every lesson's progress, streamed: `username,full_name,course_slug,
/// lesson_id,kind,completed_at,best_score,passed,attempts,updated_at`.
#[utoipa::path(get, path = "/api/v1/reports/progress.csv", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn progress(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    Ok(attachment(reports::progress(&state.store, &account)?))
}

/// xAPI 1.0.3 statements, one a line (verbs attempted, completed, passed,
/// failed), with ids that stay the same on every export.
#[utoipa::path(get, path = "/api/v1/reports/xapi.jsonl", security(("bearer" = [])),
    responses((status = 200, content_type = "application/x-ndjson", body = String),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn xapi(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    Ok(attachment(reports::xapi(state.service(), &account)?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LearnerSearch {
    /// Part of a username or name; empty lists the first learners.
    q: Option<String>,
}

/// Learners whose username or name contains `q`, by username, at most 50.
#[utoipa::path(get, path = "/api/v1/learners", params(LearnerSearch), security(("bearer" = [])),
    responses((status = 200, body = Vec<LearnerView>),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin")))]
pub(crate) async fn learners(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<LearnerSearch>,
) -> Result<HttpResponse, ApiError> {
    let query = query.q.as_deref().unwrap_or("");
    let found = reports::search_learners(&state.store, &account, query).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// A learner's outcomes, newest first.
#[utoipa::path(get, path = "/api/v1/learners/{id}/outcomes",
    params(("id" = i32, Path, format = Int32, description = "The learner's number")), security(("bearer" = [])),
    responses((status = 200, body = Vec<OutcomeView>),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin"),
        (status = 404, description = "No learner has this number")))]
pub(crate) async fn outcomes(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let record = reports::learner(&state.store, &account, &path).await?;
    Ok(HttpResponse::Ok().json(record.outcomes))
}

#[derive(Deserialize, ToSchema)]
pub struct OutcomeRequest {
    /// What happened.
    #[serde(default)]
    #[schema(value_type = crate::reports::outcome::OutcomeKind, required = true)]
    kind: String,
    /// The day it happened, `YYYY-MM-DD`, not in the future.
    #[serde(default)]
    #[schema(format = Date, required = true)]
    happened_on: String,
    /// At most 1000 characters (spaces at either end are dropped).
    #[serde(default)]
    #[schema(max_length = 1000)]
    note: String,
}

/// Records an outcome for a learner.
#[utoipa::path(post, path = "/api/v1/learners/{id}/outcomes",
    params(("id" = i32, Path, format = Int32, description = "The learner's number")), request_body = OutcomeRequest,
    security(("bearer" = [])),
    responses((status = 201, body = OutcomeView),
        (status = 400, description = "A body that is not valid JSON for this call, an unknown kind, a date that is not a day or is in the future, or a note over 1000 characters"),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin"),
        (status = 404, description = "No learner has this number")))]
pub(crate) async fn add_outcome(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
    body: web::Json<OutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    let recorded = reports::add_outcome(
        &state.store,
        &account,
        &path,
        &body.kind,
        &body.happened_on,
        &body.note,
    )
    .await?;
    Ok(HttpResponse::Created().json(recorded.outcome))
}

/// Everything stored about a learner: account (without the password hash),
/// enrolments, progress, quiz attempts with answers, certificates, classes,
/// attendance, live classes joined, live answers, hands up, and outcomes.
#[utoipa::path(get, path = "/api/v1/learners/{id}/data",
    params(("id" = i32, Path, format = Int32, description = "The learner's number")), security(("bearer" = [])),
    responses((status = 200, body = Object),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin"),
        (status = 404, description = "No learner has this number")))]
pub(crate) async fn data(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(attachment(
        reports::personal_data(&state.store, &account, &path).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct EraseRequest {
    /// The learner's username, typed again to confirm.
    #[serde(default)]
    #[schema(required = true)]
    confirm: String,
}

#[derive(Serialize, ToSchema)]
pub struct EraseResponse {
    /// The account's username from now on: `erased-<id>` (or `erased-<id>-2`,
    /// `-3`... when an account made before that prefix was kept holds it).
    username: String,
}

/// Erases a learner's personal data; the figures stay the same.
#[utoipa::path(post, path = "/api/v1/learners/{id}/erase",
    params(("id" = i32, Path, format = Int32, description = "The learner's number")), request_body = EraseRequest,
    security(("bearer" = [])),
    responses((status = 200, body = EraseResponse),
        (status = 400, description = "A body that is not valid JSON for this call, or a confirmation that is not the learner's username"),
        (status = 401, description = "No valid bearer token"),
        (status = 403, description = "Not a coordinator or an admin"),
        (status = 404, description = "No learner has this number"),
        (status = 409, description = "The learner is already erased")))]
pub(crate) async fn erase(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
    body: web::Json<EraseRequest>,
) -> Result<HttpResponse, ApiError> {
    let erased = reports::erase(&state.store, &account, &path, &body.confirm).await?;
    Ok(HttpResponse::Ok().json(EraseResponse {
        username: erased.username,
    }))
}
