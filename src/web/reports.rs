//! Coordinator reports on the web: the dashboard, the funder report (page
//! and CSV), the exports (streamed), and per learner: outcomes, the
//! personal data export and erasure. Coordinators and admins only.
//!
//! The exports are shared with the API (`reports_api`): the same stream,
//! whichever way the coordinator signed in.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::stream::{self, LocalBoxStream, StreamExt};
use serde::Deserialize;

use super::errors::PageError;
use super::session::{SignedIn, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::course::Sector;
use crate::domain::certificate_id::CertificateId;
use crate::domain::names::Role;
use crate::i18n::{self, Language};
use crate::reports::outcome::{NewOutcome, OutcomeKind};
use crate::reports::svg::{self, Bar};
use crate::reports::{Figures, Filter, FilterError, FilterInput, csv, funder, xapi};
use crate::store::StoreResult;
use crate::store::erasure::Erased;
use crate::store::users::Account;

type Counted = (Vec<Figures>, Figures, DateTime<Utc>);

/// The dashboard's figures for this filter, and when they were counted.
/// Summed from the daily roll-up, so always current: nothing is kept here.
pub(crate) async fn dashboard_figures(state: &AppState, filter: &Filter) -> StoreResult<Counted> {
    let now = Utc::now();
    let (lines, total) = state.store.dashboard(filter, now).await?;
    Ok((lines, total, now))
}

/// Who may see reports and learners' data.
pub const COORDINATORS: &[Role] = &[Role::Coordinator, Role::Admin];
/// Rows read from the database per page of an export.
const EXPORT_PAGE: u64 = 1000;
/// How many learners a search shows.
const SEARCH_LIMIT: u64 = 50;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(dashboard))
        .route("/reports/funder", web::get().to(funder_page))
        .route("/reports/funder.csv", web::get().to(funder_csv))
        .route("/reports/completions.csv", web::get().to(completions))
        .route("/reports/progress.csv", web::get().to(progress))
        .route("/reports/xapi.jsonl", web::get().to(xapi_statements))
        .route("/learners", web::get().to(learners))
        .route("/learners/{id}", web::get().to(learner_page))
        .route("/learners/{id}/outcomes", web::post().to(add_outcome))
        .route("/learners/{id}/data.json", web::get().to(data_json))
        .route("/learners/{id}/erase", web::post().to(erase));
}

pub(crate) fn is_coordinator(account: &Account) -> bool {
    COORDINATORS.contains(&account.role)
}

/// A filter error in the viewer's words.
pub(crate) fn filter_message(lang: &str, error: &FilterError) -> String {
    let (key, value) = error.message_key();
    let mut args: HashMap<Cow<'static, str>, _> = HashMap::new();
    args.insert("value".into(), value.into());
    i18n::text_with(lang, key, &args)
}

/// The filter, checked, with its class known to exist.
pub(crate) async fn checked_filter(
    state: &AppState,
    input: &FilterInput,
) -> Result<Filter, FilterError> {
    let filter = Filter::parse(input)?;
    if let Some(id) = filter.class_id {
        match state.store.class(id).await {
            Ok(Some(_)) => {}
            _ => return Err(FilterError::BadClass(id.to_string())),
        }
    }
    Ok(filter)
}

fn sector_name(lang: &str, sector: &str) -> String {
    i18n::text(lang, &format!("sector-{sector}"))
}

fn day(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The dashboard's charts: completions, and the completion rate, per sector.
fn charts(lang: Language, lines: &[Figures]) -> Vec<String> {
    let rtl = lang.dir == "rtl";
    let completions: Vec<Bar> = lines
        .iter()
        .map(|f| Bar {
            label: sector_name(lang.code, &f.sector),
            value: f.completed as f64,
            shown: f.completed.to_string(),
        })
        .collect();
    let rates: Vec<Bar> = lines
        .iter()
        .map(|f| Bar {
            label: sector_name(lang.code, &f.sector),
            value: f.completion_rate.unwrap_or(0.0),
            shown: f
                .completion_rate
                .map_or_else(|| "–".to_string(), |r| format!("{r}%")),
        })
        .collect();
    let describe = |bars: &[Bar]| {
        bars.iter()
            .map(|b| format!("{}: {}", b.label, b.shown))
            .collect::<Vec<_>>()
            .join("; ")
    };
    vec![
        svg::bar_chart(
            "chart-completed",
            &i18n::text(lang.code, "reports-chart-completed"),
            &describe(&completions),
            &completions,
            rtl,
        ),
        svg::bar_chart(
            "chart-rate",
            &i18n::text(lang.code, "reports-chart-rate"),
            &describe(&rates),
            &rates,
            rtl,
        ),
    ]
}

/// Shows the filter form with its problem (400) instead of the figures.
fn filter_problem(
    state: &AppState,
    user: &SignedIn,
    template: &str,
    input: &FilterInput,
    error: &FilterError,
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert(
        "action",
        if template == "funder.html" {
            "/reports/funder"
        } else {
            "/reports"
        },
    );
    context.insert("input", input);
    context.insert("sectors", &sector_options(user.language.code));
    context.insert("problem", &filter_message(user.language.code, error));
    let mut response = render_page(state, template, &context)?;
    *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
    Ok(response)
}

fn sector_options(lang: &str) -> Vec<(String, String)> {
    Sector::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), sector_name(lang, s.as_str())))
        .collect()
}

async fn dashboard(
    state: State,
    user: SignedIn,
    query: web::Query<FilterInput>,
) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    let filter = match checked_filter(&state, &query).await {
        Ok(filter) => filter,
        Err(e) => return filter_problem(&state, &user, "reports.html", &query, &e),
    };
    let (lines, total, counted_at) = dashboard_figures(&state, &filter).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert(
        "counted_at",
        &counted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    context.insert("action", "/reports");
    context.insert("input", &*query);
    context.insert("sectors", &sector_options(user.language.code));
    context.insert("charts", &charts(user.language, &lines));
    let named: Vec<(String, &Figures)> = lines
        .iter()
        .map(|f| (sector_name(user.language.code, &f.sector), f))
        .collect();
    context.insert("lines", &named);
    context.insert("total", &total);
    context.insert("query", &filter.query_string());
    render_page(&state, "reports.html", &context)
}

async fn funder_page(
    state: State,
    user: SignedIn,
    query: web::Query<FilterInput>,
) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    let filter = match checked_filter(&state, &query).await {
        Ok(filter) => filter,
        Err(e) => return filter_problem(&state, &user, "funder.html", &query, &e),
    };
    let report = state.store.funder_report(&filter).await?;
    let rows: Vec<(String, &funder::FunderRow)> = report
        .rows
        .iter()
        .map(|r| (sector_name(user.language.code, &r.sector), r))
        .collect();
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("action", "/reports/funder");
    context.insert("input", &*query);
    context.insert("sectors", &sector_options(user.language.code));
    context.insert("rows", &rows);
    context.insert("total", &report.total);
    context.insert("query", &filter.query_string());
    render_page(&state, "funder.html", &context)
}

fn attachment(content_type: &str, file: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"));
    response
}

pub(crate) fn funder_csv_response(report: &funder::FunderReport) -> HttpResponse {
    attachment("text/csv; charset=utf-8", "funder-report.csv").body(funder::to_csv(report))
}

async fn funder_csv(
    state: State,
    user: SignedIn,
    query: web::Query<FilterInput>,
) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    let filter = checked_filter(&state, &query)
        .await
        .map_err(|e| PageError::bad_request(filter_message(user.language.code, &e)))?;
    let report = state.store.funder_report(&filter).await?;
    Ok(funder_csv_response(&report))
}

type ByteStream = LocalBoxStream<'static, Result<Bytes, actix_web::Error>>;

/// Reads rows page by page (keyset on `key`) and encodes each page into one
/// chunk: the stream holds one page at a time, however many rows there are.
fn pages<R, F, Fut, E>(fetch: F, key: fn(&R) -> i32, encode: E) -> ByteStream
where
    R: 'static,
    F: Fn(i32) -> Fut + 'static,
    Fut: Future<Output = StoreResult<Vec<R>>> + 'static,
    E: Fn(&R, &mut Vec<u8>) + 'static,
{
    let fetch = Rc::new(fetch);
    let encode = Rc::new(encode);
    stream::unfold(Some(0), move |cursor| {
        let fetch = fetch.clone();
        let encode = encode.clone();
        async move {
            let after = cursor?;
            match fetch(after).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let mut chunk = Vec::with_capacity(rows.len() * 96);
                    for row in &rows {
                        encode(row, &mut chunk);
                    }
                    let next = rows.last().map(key);
                    Some((Ok(Bytes::from(chunk)), next))
                }
                Err(e) => {
                    // The status is already sent: the download ends short,
                    // which a client sees as an incomplete transfer.
                    tracing::error!(error = %e, "export stopped");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError("export stopped")),
                        None,
                    ))
                }
            }
        }
    })
    .boxed_local()
}

pub const COMPLETIONS_HEADER: [&str; 7] = [
    "username",
    "full_name",
    "course_slug",
    "sector",
    "enrolled_at",
    "completed_at",
    "certificate_id",
];

pub(crate) fn completions_stream(state: &AppState) -> HttpResponse {
    let store = state.store.clone();
    let header = stream::once(async { Ok(Bytes::from(csv::record(COMPLETIONS_HEADER))) });
    let rows = pages(
        move |after| {
            let store = store.clone();
            async move { store.completions_page(after, EXPORT_PAGE).await }
        },
        |row| row.enrolment_id,
        |row, out| {
            let certificate = row.certificate_id.as_deref().map(|id| {
                CertificateId::parse(id).map_or_else(|_| id.to_string(), |id| id.to_string())
            });
            out.extend(csv::record([
                row.username.as_str(),
                row.full_name.as_str(),
                row.course_slug.as_str(),
                row.sector.as_str(),
                &day(row.enrolled_at),
                &day(row.completed_at),
                certificate.as_deref().unwrap_or(""),
            ]));
        },
    );
    attachment("text/csv; charset=utf-8", "completions.csv").streaming(header.chain(rows))
}

pub const PROGRESS_HEADER: [&str; 10] = [
    "username",
    "full_name",
    "course_slug",
    "lesson_id",
    "kind",
    "completed_at",
    "best_score",
    "passed",
    "attempts",
    "updated_at",
];

pub(crate) fn progress_stream(state: &AppState) -> HttpResponse {
    let store = state.store.clone();
    let header = stream::once(async { Ok(Bytes::from(csv::record(PROGRESS_HEADER))) });
    let rows = pages(
        move |after| {
            let store = store.clone();
            async move { store.progress_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        |row, out| {
            out.extend(csv::record([
                row.username.as_str(),
                row.full_name.as_str(),
                row.course_slug.as_str(),
                row.lesson_id.as_str(),
                row.kind.as_str(),
                &row.completed_at.map(day).unwrap_or_default(),
                &row.best_score.map(|s| s.to_string()).unwrap_or_default(),
                if row.passed { "true" } else { "false" },
                &row.attempts.to_string(),
                &day(row.updated_at),
            ]));
        },
    );
    attachment("text/csv; charset=utf-8", "progress.csv").streaming(header.chain(rows))
}

/// Statements: enrolments (attempted, completed), lessons done
/// (completed), quiz attempts (passed or failed).
pub(crate) fn xapi_stream(state: &AppState) -> HttpResponse {
    let public_url: Rc<str> = Rc::from(state.settings.public_url());
    let catalog = state.catalog.snapshot();
    let course_title = {
        let catalog = catalog.clone();
        move |slug: &str| -> String {
            catalog
                .get(slug)
                .map_or_else(|| slug.to_string(), |c| c.course.settings.title.clone())
        }
    };
    let lesson_title = {
        let catalog = catalog.clone();
        move |slug: &str, lesson: &str| -> String {
            catalog
                .get(slug)
                .and_then(|c| c.course.lesson(lesson).map(|l| l.title.clone()))
                .unwrap_or_else(|| lesson.to_string())
        }
    };

    let store = state.store.clone();
    let url = public_url.clone();
    let title = course_title.clone();
    let enrolments = pages(
        move |after| {
            let store = store.clone();
            async move { store.enrolments_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        move |row, out| {
            let name = title(&row.course_slug);
            let activity = || xapi::Activity {
                course_slug: &row.course_slug,
                lesson_id: None,
                name: &name,
            };
            let attempted = format!("enrolment:{}:attempted", row.id);
            out.extend(xapi::line(
                &url,
                &xapi::Statement {
                    source: &attempted,
                    username: &row.username,
                    verb: xapi::Verb::Attempted,
                    activity: activity(),
                    score: None,
                    timestamp: row.enrolled_at,
                },
            ));
            if let Some(at) = row.completed_at {
                let completed = format!("enrolment:{}:completed", row.id);
                out.extend(xapi::line(
                    &url,
                    &xapi::Statement {
                        source: &completed,
                        username: &row.username,
                        verb: xapi::Verb::Completed,
                        activity: activity(),
                        score: None,
                        timestamp: at,
                    },
                ));
            }
        },
    );

    let store = state.store.clone();
    let url = public_url.clone();
    let title = lesson_title.clone();
    let lessons = pages(
        move |after| {
            let store = store.clone();
            async move { store.progress_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        move |row, out| {
            // Quizzes are told by their attempts; a lesson by being done.
            let (Some(at), "lesson") = (row.completed_at, row.kind.as_str()) else {
                return;
            };
            let name = title(&row.course_slug, &row.lesson_id);
            let source = format!("progress:{}:completed", row.id);
            out.extend(xapi::line(
                &url,
                &xapi::Statement {
                    source: &source,
                    username: &row.username,
                    verb: xapi::Verb::Completed,
                    activity: xapi::Activity {
                        course_slug: &row.course_slug,
                        lesson_id: Some(&row.lesson_id),
                        name: &name,
                    },
                    score: None,
                    timestamp: at,
                },
            ));
        },
    );

    let store = state.store.clone();
    let url = public_url;
    let title = lesson_title;
    let attempts = pages(
        move |after| {
            let store = store.clone();
            async move { store.attempts_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        move |row, out| {
            let name = title(&row.course_slug, &row.lesson_id);
            let source = format!("attempt:{}", row.id);
            out.extend(xapi::line(
                &url,
                &xapi::Statement {
                    source: &source,
                    username: &row.username,
                    verb: if row.passed {
                        xapi::Verb::Passed
                    } else {
                        xapi::Verb::Failed
                    },
                    activity: xapi::Activity {
                        course_slug: &row.course_slug,
                        lesson_id: Some(&row.lesson_id),
                        name: &name,
                    },
                    score: Some(xapi::Score {
                        percent: row.score,
                        passed: row.passed,
                    }),
                    timestamp: row.submitted_at,
                },
            ));
        },
    );
    attachment("application/x-ndjson", "xapi-statements.jsonl")
        .streaming(enrolments.chain(lessons).chain(attempts))
}

async fn completions(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    Ok(completions_stream(&state))
}

async fn progress(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    Ok(progress_stream(&state))
}

async fn xapi_statements(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    Ok(xapi_stream(&state))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn learners(
    state: State,
    user: SignedIn,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    let found = state.store.search_learners(&query.q, SEARCH_LIMIT).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("q", &query.q);
    context.insert("learners", &found);
    render_page(&state, "learners.html", &context)
}

/// An outcome as pages and the API show it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OutcomeView {
    pub id: i32,
    /// `work_experience`, `job` or `further_training`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub happened_on: String,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
}

pub(crate) async fn outcome_views(state: &AppState, user_id: i32) -> StoreResult<Vec<OutcomeView>> {
    Ok(state
        .store
        .outcomes_of(user_id)
        .await?
        .into_iter()
        .map(|o| OutcomeView {
            id: o.id,
            kind: o.kind,
            happened_on: o.happened_on.to_string(),
            note: o.note,
            recorded_at: o.recorded_at,
        })
        .collect())
}

fn learner_id(path: &str) -> Result<i32, PageError> {
    path.parse::<i32>().map_err(|_| PageError::NotFound)
}

async fn show_learner(
    state: &AppState,
    user: &SignedIn,
    id: i32,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let learner = state.store.learner(id).await?.ok_or(PageError::NotFound)?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("learner", &learner);
    context.insert("outcomes", &outcome_views(state, id).await?);
    context.insert(
        "kinds",
        &OutcomeKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
    );
    context.insert("today", &Utc::now().date_naive().to_string());
    context.insert("problem", &problem);
    let mut response = render_page(state, "learner.html", &context)?;
    if problem.is_some() {
        *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

async fn learner_page(
    state: State,
    user: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    show_learner(&state, &user, learner_id(&path)?, None).await
}

#[derive(Deserialize)]
struct OutcomeForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    happened_on: String,
    #[serde(default)]
    note: String,
}

async fn add_outcome(
    state: State,
    user: SignedIn,
    path: web::Path<String>,
    form: web::Form<OutcomeForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    user.require(COORDINATORS)?;
    let id = learner_id(&path)?;
    let learner = state.store.learner(id).await?.ok_or(PageError::NotFound)?;
    let new = match NewOutcome::parse(
        &form.kind,
        &form.happened_on,
        &form.note,
        Utc::now().date_naive(),
    ) {
        Ok(new) => new,
        Err(e) => {
            let message = i18n::text(user.language.code, e.message_key());
            return show_learner(&state, &user, id, Some(message)).await;
        }
    };
    state
        .store
        .add_outcome(learner.id, &new, user.account.id)
        .await?;
    Ok(super::redirect::see_other(&format!("/learners/{id}")))
}

pub(crate) fn data_response(id: i32, data: &serde_json::Value) -> Result<HttpResponse, PageError> {
    let body = serde_json::to_vec_pretty(data).map_err(|e| PageError::Internal(e.into()))?;
    Ok(attachment("application/json", &format!("learner-{id}-data.json")).body(body))
}

async fn data_json(
    state: State,
    user: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    user.require(COORDINATORS)?;
    let id = learner_id(&path)?;
    let data = state
        .store
        .personal_data(id)
        .await?
        .ok_or(PageError::NotFound)?;
    tracing::info!(
        learner = id,
        by = user.account.username,
        "personal data exported"
    );
    data_response(id, &data)
}

#[derive(Deserialize)]
struct EraseForm {
    csrf: String,
    #[serde(default)]
    confirm: String,
}

async fn erase(
    state: State,
    user: SignedIn,
    path: web::Path<String>,
    form: web::Form<EraseForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    user.require(COORDINATORS)?;
    let id = learner_id(&path)?;
    let learner = state.store.learner(id).await?.ok_or(PageError::NotFound)?;
    if learner.erased {
        return show_learner(&state, &user, id, None).await;
    }
    if form.confirm.trim() != learner.username {
        let message = i18n::text(user.language.code, "learner-erase-mismatch");
        return show_learner(&state, &user, id, Some(message)).await;
    }
    match state.store.erase_learner(id).await? {
        Erased::Done(_) | Erased::AlreadyErased => {}
        Erased::NoSuchLearner => return Err(PageError::NotFound),
    }
    tracing::info!(learner = id, by = user.account.username, "learner erased");
    Ok(super::redirect::see_other(&format!("/learners/{id}")))
}
