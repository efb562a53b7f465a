//! Coordinator reports on the web: the dashboard, the funder report (page
//! and CSV), the exports (streamed), and per learner: outcomes, the
//! personal data export and erasure. Coordinators and admins only.
//!
//! The rules (who may, the filter, the outcome and the erasure) are in
//! `service::reports`, shared with the API; this module reads the form,
//! calls one of them and renders.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::downloads::attachment;
use super::errors::PageError;
use super::session::{SignedIn, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::catalog;
use crate::course::Sectors;
use crate::i18n::{self, Language};
use crate::reports::outcome::OutcomeKind;
use crate::reports::svg::{self, Bar, Scale};
use crate::reports::{Figures, FilterInput, funder};
use crate::service::reports::{self, LearnerRecord};
use crate::service::{Message, ServiceError};

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

/// Problems in the viewer's words, one paragraph.
fn in_words(lang: &str, problems: &[Message]) -> String {
    Message::All(problems.to_vec()).in_language(lang)
}

/// The dashboard's charts: completions, and the completion rate, per sector.
fn charts(sectors: &Sectors, lang: Language, lines: &[Figures]) -> Vec<String> {
    let sector_name = |code: &str, sector: &str| catalog::sector_name(sectors, sector, code);
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
            Scale::Largest,
            rtl,
        ),
        svg::bar_chart(
            "chart-rate",
            &i18n::text(lang.code, "reports-chart-rate"),
            &describe(&rates),
            &rates,
            Scale::Percent,
            rtl,
        ),
    ]
}

/// Shows the filter form with its problem (400) instead of the figures.
async fn filter_problem(
    state: &AppState,
    user: &SignedIn,
    template: &str,
    input: &FilterInput,
    problems: &[Message],
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
    context.insert(
        "sectors",
        &sector_options(&state.catalog.sectors(), user.language.code),
    );
    context.insert(
        "classes",
        &reports::filter_classes(&state.store, &user.account).await?,
    );
    context.insert("problem", &in_words(user.language.code, problems));
    let mut response = render_page(state, template, &context)?;
    *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
    Ok(response)
}

/// The filter's sectors, in list order, named in the viewer's language.
fn sector_options(sectors: &Sectors, lang: &str) -> Vec<(String, String)> {
    sectors
        .ids()
        .map(|id| (id.to_string(), catalog::sector_name(sectors, id, lang)))
        .collect()
}

async fn dashboard(
    state: State,
    user: SignedIn,
    query: web::Query<FilterInput>,
) -> Result<HttpResponse, PageError> {
    let sectors = state.catalog.sectors();
    let figures = match reports::dashboard(&state.store, &sectors, &user.account, &query).await {
        Ok(figures) => figures,
        Err(ServiceError::Invalid(problems)) => {
            return filter_problem(&state, &user, "reports.html", &query, &problems).await;
        }
        Err(e) => return Err(e.into()),
    };
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert(
        "counted_at",
        &figures.counted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    );
    context.insert("action", "/reports");
    context.insert("input", &*query);
    context.insert(
        "classes",
        &reports::filter_classes(&state.store, &user.account).await?,
    );
    context.insert("sectors", &sector_options(&sectors, user.language.code));
    context.insert("charts", &charts(&sectors, user.language, &figures.sectors));
    let named: Vec<(String, &Figures)> = figures
        .sectors
        .iter()
        .map(|f| {
            (
                catalog::sector_name(&sectors, &f.sector, user.language.code),
                f,
            )
        })
        .collect();
    context.insert("lines", &named);
    context.insert("total", &figures.total);
    context.insert("query", &figures.filter.query_string());
    render_page(&state, "reports.html", &context)
}

async fn funder_page(
    state: State,
    user: SignedIn,
    query: web::Query<FilterInput>,
) -> Result<HttpResponse, PageError> {
    let sectors = state.catalog.sectors();
    let figures = match reports::funder_report(&state.store, &sectors, &user.account, &query).await
    {
        Ok(figures) => figures,
        Err(ServiceError::Invalid(problems)) => {
            return filter_problem(&state, &user, "funder.html", &query, &problems).await;
        }
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<(String, &funder::FunderRow)> = figures
        .report
        .rows
        .iter()
        .map(|r| {
            (
                catalog::sector_name(&sectors, &r.sector, user.language.code),
                r,
            )
        })
        .collect();
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("action", "/reports/funder");
    context.insert("input", &*query);
    context.insert(
        "classes",
        &reports::filter_classes(&state.store, &user.account).await?,
    );
    context.insert("sectors", &sector_options(&sectors, user.language.code));
    context.insert("rows", &rows);
    context.insert("total", &figures.report.total);
    context.insert("query", &figures.filter.query_string());
    render_page(&state, "funder.html", &context)
}

async fn funder_csv(
    state: State,
    user: SignedIn,
    query: web::Query<FilterInput>,
) -> Result<HttpResponse, PageError> {
    let file = reports::funder_csv(
        &state.store,
        &state.catalog.sectors(),
        &user.account,
        &query,
    )
    .await?;
    Ok(attachment(file))
}

async fn completions(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    Ok(attachment(reports::completions(
        &state.store,
        &user.account,
    )?))
}

async fn progress(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    Ok(attachment(reports::progress(&state.store, &user.account)?))
}

async fn xapi_statements(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    Ok(attachment(reports::xapi(state.service(), &user.account)?))
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
    let found = reports::search_learners(&state.store, &user.account, &query.q).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("q", &query.q);
    context.insert("learners", &found);
    render_page(&state, "learners.html", &context)
}

/// The learner's page, with a problem from the form just sent (400).
fn show_learner(
    state: &AppState,
    user: &SignedIn,
    record: &LearnerRecord,
    problems: Option<&[Message]>,
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("learner", &record.learner);
    context.insert("outcomes", &record.outcomes);
    context.insert(
        "kinds",
        &OutcomeKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
    );
    context.insert("today", &chrono::Utc::now().date_naive().to_string());
    let problem = problems.map(|p| in_words(user.language.code, p));
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
    let record = reports::learner(&state.store, &user.account, &path).await?;
    show_learner(&state, &user, &record, None)
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
    let recorded = reports::add_outcome(
        &state.store,
        &user.account,
        &path,
        &form.kind,
        &form.happened_on,
        &form.note,
    )
    .await;
    match recorded {
        Ok(recorded) => Ok(super::redirect::see_other(&format!(
            "/learners/{}",
            recorded.learner_id
        ))),
        Err(ServiceError::Invalid(problems)) => {
            let record = reports::learner(&state.store, &user.account, &path).await?;
            show_learner(&state, &user, &record, Some(&problems))
        }
        Err(e) => Err(e.into()),
    }
}

async fn data_json(
    state: State,
    user: SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let file = reports::personal_data(&state.store, &user.account, &path).await?;
    Ok(attachment(file))
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
    match reports::erase(&state.store, &user.account, &path, &form.confirm).await {
        Ok(erased) => Ok(super::redirect::see_other(&format!(
            "/learners/{}",
            erased.learner_id
        ))),
        // Sent twice: the page shows the learner as they now are, with the
        // API's status (409), so a page and a program see the same outcome.
        Err(ServiceError::Conflict(_)) => {
            let record = reports::learner(&state.store, &user.account, &path).await?;
            let mut page = show_learner(&state, &user, &record, None)?;
            *page.status_mut() = actix_web::http::StatusCode::CONFLICT;
            Ok(page)
        }
        Err(ServiceError::Invalid(problems)) => {
            let record = reports::learner(&state.store, &user.account, &path).await?;
            show_learner(&state, &user, &record, Some(&problems))
        }
        Err(e) => Err(e.into()),
    }
}
