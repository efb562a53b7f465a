//! Coordinator reports in the JSON API: the dashboard's figures, the funder
//! report (JSON and CSV), the streamed exports, learners' outcomes, the
//! personal data export and erasure. Part of the `/api/v1` contract.
//! Coordinators and admins only; the exports are the pages' own streams.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::State;
use super::api::ApiUser;
use super::errors::ApiError;
use super::reports::{
    OutcomeView, checked_filter, completions_stream, data_response, funder_csv_response,
    is_coordinator, outcome_views, progress_stream, xapi_stream,
};
use crate::reports::funder::FunderReport;
use crate::reports::outcome::NewOutcome;
use crate::reports::{Figures, Filter, FilterInput};
use crate::store::erasure::Erased;
use crate::store::outcomes::LearnerSummary;
use crate::store::users::Account;

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

fn coordinator(account: &Account) -> Result<(), ApiError> {
    if is_coordinator(account) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Only coordinators and admins see reports and learners' data.".into(),
        ))
    }
}

/// The filters every report takes; each is optional.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilter {
    /// A sector: hospitality, care, childcare, construction, warehousing, english, other.
    sector: Option<String>,
    /// A class number: its members, in its courses.
    class: Option<String>,
    /// First day, `YYYY-MM-DD` (included).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (included).
    to: Option<String>,
}

async fn filter_of(state: &State, query: ReportFilter) -> Result<Filter, ApiError> {
    let input = FilterInput {
        sector: query.sector.unwrap_or_default(),
        class: query.class.unwrap_or_default(),
        from: query.from.unwrap_or_default(),
        to: query.to.unwrap_or_default(),
    };
    checked_filter(state, &input)
        .await
        .map_err(|e| ApiError::BadRequest(e.to_string()))
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
    responses((status = 200, body = Dashboard), (status = 400, description = "A bad filter"), (status = 401), (status = 403)))]
pub(crate) async fn dashboard(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ReportFilter>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let filter = filter_of(&state, query.into_inner()).await?;
    let (sectors, total, _) = super::reports::dashboard_figures(&state, &filter).await?;
    Ok(HttpResponse::Ok().json(Dashboard { total, sectors }))
}

/// The funder report: per sector and month, started, completed, certified
/// and outcomes by kind.
#[utoipa::path(get, path = "/api/v1/reports/funder", params(ReportFilter), security(("bearer" = [])),
    responses((status = 200, body = FunderReport), (status = 400), (status = 401), (status = 403)))]
pub(crate) async fn funder(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ReportFilter>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let filter = filter_of(&state, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(state.store.funder_report(&filter).await?))
}

/// The funder report as CSV: `sector,month,started,completed,certified,
/// work_experience,job,further_training`, then a `total` line.
#[utoipa::path(get, path = "/api/v1/reports/funder.csv", params(ReportFilter), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400), (status = 401), (status = 403)))]
pub(crate) async fn funder_csv(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ReportFilter>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let filter = filter_of(&state, query.into_inner()).await?;
    Ok(funder_csv_response(
        &state.store.funder_report(&filter).await?,
    ))
}

/// Every completed course, streamed: `username,full_name,course_slug,
/// sector,enrolled_at,completed_at,certificate_id`. Cells that a
/// spreadsheet would run as a formula start with `'`.
#[utoipa::path(get, path = "/api/v1/reports/completions.csv", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401), (status = 403)))]
pub(crate) async fn completions(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    Ok(completions_stream(&state))
}

/// Every lesson's progress, streamed: `username,full_name,course_slug,
/// lesson_id,kind,completed_at,best_score,passed,attempts,updated_at`.
#[utoipa::path(get, path = "/api/v1/reports/progress.csv", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401), (status = 403)))]
pub(crate) async fn progress(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    Ok(progress_stream(&state))
}

/// xAPI 1.0.3 statements, one a line (verbs attempted, completed, passed,
/// failed), with ids that stay the same on every export.
#[utoipa::path(get, path = "/api/v1/reports/xapi.jsonl", security(("bearer" = [])),
    responses((status = 200, content_type = "application/x-ndjson", body = String), (status = 401), (status = 403)))]
pub(crate) async fn xapi(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    Ok(xapi_stream(&state))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LearnerSearch {
    /// Part of a username or name; empty lists the first learners.
    q: Option<String>,
}

/// Learners whose username or name contains `q`.
#[utoipa::path(get, path = "/api/v1/learners", params(LearnerSearch), security(("bearer" = [])),
    responses((status = 200, body = Vec<LearnerSummaryDoc>), (status = 401), (status = 403)))]
pub(crate) async fn learners(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<LearnerSearch>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let found = state
        .store
        .search_learners(query.q.as_deref().unwrap_or(""), 50)
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// A learner in a search (the OpenAPI shape of `LearnerSummary`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LearnerSummaryDoc {
    id: i32,
    username: String,
    full_name: String,
    /// True once the learner's data was erased.
    erased: bool,
}

async fn learner_of(state: &State, path: &str) -> Result<LearnerSummary, ApiError> {
    let not_found = || ApiError::NotFound(format!("There is no learner {path}."));
    let id = path.parse::<i32>().map_err(|_| not_found())?;
    state.store.learner(id).await?.ok_or_else(not_found)
}

/// A learner's outcomes, newest first.
#[utoipa::path(get, path = "/api/v1/learners/{id}/outcomes", params(("id" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<OutcomeView>), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn outcomes(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let learner = learner_of(&state, &path).await?;
    Ok(HttpResponse::Ok().json(outcome_views(&state, learner.id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct OutcomeRequest {
    /// `work_experience`, `job` or `further_training`.
    #[serde(default)]
    kind: String,
    /// `YYYY-MM-DD`, not in the future.
    #[serde(default)]
    happened_on: String,
    /// At most 1000 characters.
    #[serde(default)]
    note: String,
}

/// Records an outcome for a learner.
#[utoipa::path(post, path = "/api/v1/learners/{id}/outcomes", params(("id" = i32, Path)), request_body = OutcomeRequest,
    security(("bearer" = [])),
    responses((status = 201, body = OutcomeView), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn add_outcome(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
    body: web::Json<OutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let learner = learner_of(&state, &path).await?;
    let new = NewOutcome::parse(
        &body.kind,
        &body.happened_on,
        &body.note,
        chrono::Utc::now().date_naive(),
    )
    .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let stored = state
        .store
        .add_outcome(learner.id, &new, account.id)
        .await?;
    Ok(HttpResponse::Created().json(OutcomeView {
        id: stored.id,
        kind: stored.kind,
        happened_on: stored.happened_on.to_string(),
        note: stored.note,
        recorded_at: stored.recorded_at,
    }))
}

/// Everything stored about a learner: account (without the password hash),
/// enrolments, progress, quiz attempts with answers, certificates, classes,
/// attendance and outcomes.
#[utoipa::path(get, path = "/api/v1/learners/{id}/data", params(("id" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn data(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let learner = learner_of(&state, &path).await?;
    let data = state
        .store
        .personal_data(learner.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no such learner.".into()))?;
    tracing::info!(
        learner = learner.id,
        by = account.username,
        "personal data exported"
    );
    data_response(learner.id, &data).map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

#[derive(Deserialize, ToSchema)]
pub struct EraseRequest {
    /// The learner's username, typed again to confirm.
    #[serde(default)]
    confirm: String,
}

#[derive(Serialize, ToSchema)]
pub struct EraseResponse {
    /// The account's username from now on: `erased-<id>` (or `erased-<id>-2`,
    /// `-3`... when an account made before that prefix was kept holds it).
    username: String,
}

/// Erases a learner's personal data; the figures stay the same.
#[utoipa::path(post, path = "/api/v1/learners/{id}/erase", params(("id" = i32, Path)), request_body = EraseRequest,
    security(("bearer" = [])),
    responses((status = 200, body = EraseResponse), (status = 400, description = "The confirmation is not the username"), (status = 401), (status = 403), (status = 404), (status = 409, description = "Already erased")))]
pub(crate) async fn erase(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<String>,
    body: web::Json<EraseRequest>,
) -> Result<HttpResponse, ApiError> {
    coordinator(&account)?;
    let learner = learner_of(&state, &path).await?;
    if learner.erased {
        return Err(ApiError::Conflict("This learner is already erased.".into()));
    }
    if body.confirm.trim() != learner.username {
        return Err(ApiError::BadRequest(
            "Type the learner's username in \"confirm\" to erase their data.".into(),
        ));
    }
    match state.store.erase_learner(learner.id).await? {
        Erased::Done(username) => {
            tracing::info!(
                learner = learner.id,
                by = account.username,
                "learner erased"
            );
            Ok(HttpResponse::Ok().json(EraseResponse { username }))
        }
        Erased::AlreadyErased => Err(ApiError::Conflict("This learner is already erased.".into())),
        Erased::NoSuchLearner => Err(ApiError::NotFound("There is no such learner.".into())),
    }
}
