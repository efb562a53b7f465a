//! The JSON API under `/api/v1`, with bearer tokens. The OpenAPI document at
//! `/api/v1/openapi.json` is generated from these handlers and types.
//!
//! Names and shapes here are a contract with other programs: add fields,
//! never rename or remove them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::State;
use super::bearer::bearer_account;
use super::errors::ApiError;
use super::sign_in::{Refused, check_credentials};
use crate::course::{Answer, CompiledCourse, GapSegment, LessonKind, QuestionKind};
use crate::domain::grading::{self, Submission};
use crate::domain::progress::{self, CourseProgress};
use crate::passwords::{random_token, token_hash};
use crate::store::courses::PublishedCourse;
use crate::store::progress::AttemptError;
use crate::store::users::Account;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(web::JsonConfig::default().error_handler(super::errors::json_error))
            .app_data(web::PathConfig::default().error_handler(super::errors::path_error))
            .route("/openapi.json", web::get().to(openapi))
            .route("/auth/token", web::post().to(create_token))
            .route(
                "/auth/sign-out-everywhere",
                web::post().to(sign_out_everywhere),
            )
            .route("/courses", web::get().to(list_courses))
            .route("/courses/{slug}", web::get().to(course_detail))
            .route("/courses/{slug}/enrol", web::post().to(enrol))
            .route("/courses/{slug}/lessons/{id}", web::get().to(lesson))
            .route(
                "/courses/{slug}/lessons/{id}/complete",
                web::post().to(complete),
            )
            .route(
                "/courses/{slug}/lessons/{id}/attempts",
                web::post().to(attempt),
            )
            .route("/me/progress", web::get().to(my_progress))
            .configure(super::certificates_api::routes)
            .configure(super::classes_api::routes)
            .configure(super::invitations_api::routes)
            .configure(super::class_progress_api::routes)
            .configure(super::reports_api::routes)
            .default_service(web::to(no_such_call)),
    );
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Presto API", version = "1", description = "English and Skills courses: accounts, lessons, quizzes and progress."),
    paths(create_token, sign_out_everywhere, list_courses, course_detail, enrol, lesson, complete, attempt, my_progress,
        super::certificates_api::verify, super::certificates_api::revoke, super::certificates_api::my_certificates,
        super::classes_api::create, super::classes_api::list, super::classes_api::join, super::classes_api::detail,
        super::classes_api::add_member, super::classes_api::new_password, super::classes_api::add_session,
        super::classes_api::record_attendance,
        super::invitations_api::my_invitations, super::invitations_api::accept, super::invitations_api::decline,
        super::class_progress_api::class_progress,
        super::reports_api::dashboard, super::reports_api::funder, super::reports_api::funder_csv,
        super::reports_api::completions, super::reports_api::progress, super::reports_api::xapi,
        super::reports_api::learners, super::reports_api::outcomes, super::reports_api::add_outcome,
        super::reports_api::data, super::reports_api::erase),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

async fn no_such_call() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("There is no such API call.".into()))
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// The account behind the request's bearer token.
pub struct ApiUser(pub Account);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = request
                .app_data::<State>()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("app state missing")))?;
            bearer_account(&request, state)
                .await?
                .map(ApiUser)
                .ok_or(ApiError::Unauthorized)
        })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    username: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    role: String,
}

/// Exchange a username and password for a bearer token. It works until the
/// account's password changes or the account signs out on all devices.
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "Wrong username or password"), (status = 429, description = "Too many tries")))]
async fn create_token(
    state: State,
    request: HttpRequest,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let address = state.client_address(&request);
    let account = check_credentials(&state, address, &body.username, &body.password)
        .await
        .map_err(ApiError::Internal)?
        .map_err(|refused| match refused {
            Refused::WrongCredentials => ApiError::WrongCredentials,
            Refused::Wait(wait) => ApiError::TooManyRequests(wait),
        })?;
    let token = random_token();
    state
        .store
        .add_api_token(account.id, &token_hash(&token))
        .await?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        token,
        role: account.role.as_str().to_string(),
    }))
}

/// Sign out on all devices: ends every API token of the account, this one
/// too, and every session in a browser, as the button on the account page
/// does.
#[utoipa::path(post, path = "/api/v1/auth/sign-out-everywhere", security(("bearer" = [])),
    responses((status = 204, description = "Every token and session of the account has ended"), (status = 401, description = "No valid token")))]
async fn sign_out_everywhere(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    state.store.end_all_sign_ins(account.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct CourseListItem {
    slug: String,
    title: String,
    sector: String,
    level: String,
    hours: Option<f64>,
    summary: String,
    requires: Vec<String>,
    version: i32,
}

/// Every published course.
#[utoipa::path(get, path = "/api/v1/courses", responses((status = 200, body = Vec<CourseListItem>)))]
async fn list_courses(state: State) -> HttpResponse {
    let courses: Vec<CourseListItem> = state
        .catalog
        .snapshot()
        .values()
        .map(|p| {
            let s = &p.course.settings;
            CourseListItem {
                slug: p.course.slug.clone(),
                title: s.title.clone(),
                sector: s.sector.as_str().to_string(),
                level: s.level.as_str().to_string(),
                hours: s.hours,
                summary: s.summary.clone(),
                requires: s.requires.clone(),
                version: p.version,
            }
        })
        .collect();
    HttpResponse::Ok().json(courses)
}

#[derive(Serialize, ToSchema)]
pub struct CourseDetail {
    slug: String,
    title: String,
    sector: String,
    level: String,
    hours: Option<f64>,
    summary: String,
    modules: Vec<ModuleOutline>,
}

#[derive(Serialize, ToSchema)]
pub struct ModuleOutline {
    title: String,
    lessons: Vec<LessonOutline>,
}

#[derive(Serialize, ToSchema)]
pub struct LessonOutline {
    id: String,
    title: String,
    /// `lesson` or `quiz`.
    kind: String,
}

fn lesson_or_404<'a>(
    published: &'a PublishedCourse,
    slug: &str,
    id: &str,
) -> Result<&'a crate::course::Lesson, ApiError> {
    published
        .course
        .lesson(id)
        .ok_or_else(|| ApiError::NotFound(format!("There is no lesson \"{id}\" in \"{slug}\".")))
}

fn course_or_404(state: &State, slug: &str) -> Result<Arc<PublishedCourse>, ApiError> {
    state
        .catalog
        .get(slug)
        .ok_or_else(|| ApiError::NotFound(format!("There is no course \"{slug}\".")))
}

/// A course's modules, lessons and quizzes, in course order.
#[utoipa::path(get, path = "/api/v1/courses/{slug}", params(("slug" = String, Path)),
    responses((status = 200, body = CourseDetail), (status = 404, description = "No such course")))]
async fn course_detail(state: State, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let published = course_or_404(&state, &slug)?;
    let course = &published.course;
    let s = &course.settings;
    Ok(HttpResponse::Ok().json(CourseDetail {
        slug: course.slug.clone(),
        title: s.title.clone(),
        sector: s.sector.as_str().to_string(),
        level: s.level.as_str().to_string(),
        hours: s.hours,
        summary: s.summary.clone(),
        modules: course
            .modules
            .iter()
            .map(|m| ModuleOutline {
                title: m.title.clone(),
                lessons: m
                    .lessons
                    .iter()
                    .map(|l| LessonOutline {
                        id: l.id.clone(),
                        title: l.title.clone(),
                        kind: l.kind.as_str().to_string(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Enrolled {
    slug: String,
    /// False when the learner was already enrolled.
    new: bool,
}

/// Enrol in a course (again is harmless). 403 when a required course is not
/// complete yet.
#[utoipa::path(post, path = "/api/v1/courses/{slug}/enrol", params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Enrolled), (status = 401), (status = 403, description = "A required course comes first"), (status = 404)))]
async fn enrol(
    state: State,
    ApiUser(account): ApiUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let published = course_or_404(&state, &slug)?;
    let completed = state.store.completed_courses(account.id).await?;
    let missing = progress::missing_requirements(&published.course, &completed);
    if let Some(first) = missing.first() {
        return Err(ApiError::Forbidden(format!(
            "Finish the course \"{first}\" first: /api/v1/courses/{first}"
        )));
    }
    let new = state.store.enrol(account.id, &slug).await?;
    Ok(HttpResponse::Ok().json(Enrolled {
        slug: slug.into_inner(),
        new,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LessonBody {
    id: String,
    title: String,
    kind: String,
    html: String,
    /// Empty for a lesson.
    questions: Vec<QuestionBody>,
    pass_mark: Option<u8>,
    max_attempts: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct Choice {
    id: String,
    text: String,
}

/// A question without its answer.
#[derive(Serialize, ToSchema)]
pub struct QuestionBody {
    id: String,
    /// `single`, `multiple`, `gap`, `match` or `order` (true/false is `single`).
    kind: String,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<Choice>>,
    /// How many gaps (gap questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    gaps: Option<usize>,
    /// The sentence with each gap written as `___` (gap questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    sentence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    left: Option<Vec<Choice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    right: Option<Vec<Choice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<Choice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

async fn require_enrolment(state: &State, account: &Account, slug: &str) -> Result<(), ApiError> {
    match state.store.enrolment(account.id, slug).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::Forbidden(format!(
            "Enrol first: POST /api/v1/courses/{slug}/enrol"
        ))),
    }
}

/// Text of a fragment of our own compiled HTML, for plain-text clients.
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn choices<'a>(items: impl IntoIterator<Item = &'a crate::course::Item>) -> Vec<Choice> {
    items
        .into_iter()
        .map(|i| Choice {
            id: i.id.clone(),
            text: i.text.clone(),
        })
        .collect()
}

fn question_bodies(course: &CompiledCourse, lesson_id: &str, seed: &str) -> Vec<QuestionBody> {
    let Some(quiz) = course.lesson(lesson_id).and_then(|l| l.quiz.as_ref()) else {
        return Vec::new();
    };
    quiz.questions
        .iter()
        .map(|q| {
            let kind = match q.kind() {
                QuestionKind::TrueFalse => "single",
                other => other.as_str(),
            };
            let mut body = QuestionBody {
                id: q.id.clone(),
                kind: kind.to_string(),
                text: q.text.text.clone(),
                options: None,
                gaps: None,
                sentence: None,
                left: None,
                right: None,
                items: None,
                hint: q.hint.as_ref().map(|h| h.text.clone()),
            };
            let seed = format!("{seed}/{}", q.id);
            match &q.answer {
                Answer::Choice { options } => {
                    body.options = Some(
                        options
                            .iter()
                            .map(|o| Choice {
                                id: o.id.clone(),
                                text: o.text.text.clone(),
                            })
                            .collect(),
                    );
                }
                Answer::Gap { segments } => {
                    body.gaps = Some(grading::gap_count(segments));
                    body.sentence = Some(
                        segments
                            .iter()
                            .map(|s| match s {
                                GapSegment::Html(html) => plain_text(html),
                                GapSegment::Gap(_) => "___".to_string(),
                            })
                            .collect(),
                    );
                }
                Answer::Match { pairs } => {
                    body.left = Some(choices(pairs.iter().map(|p| &p.left)));
                    body.right = Some(choices(super::quiz_view::shuffled(
                        pairs.iter().map(|p| &p.right),
                        &seed,
                    )));
                }
                Answer::Order { items } => {
                    body.items = Some(choices(super::quiz_view::shuffled(items.iter(), &seed)));
                }
            }
            body
        })
        .collect()
}

/// A lesson's HTML, or a quiz's questions without their answers.
#[utoipa::path(get, path = "/api/v1/courses/{slug}/lessons/{id}",
    params(("slug" = String, Path), ("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = LessonBody), (status = 401), (status = 403, description = "Not enrolled"), (status = 404)))]
async fn lesson(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let published = course_or_404(&state, &slug)?;
    let lesson = lesson_or_404(&published, &slug, &id)?;
    require_enrolment(&state, &account, &slug).await?;
    let seed = format!("{}/{}", account.id, random_token());
    Ok(HttpResponse::Ok().json(LessonBody {
        id: lesson.id.clone(),
        title: lesson.title.clone(),
        kind: lesson.kind.as_str().to_string(),
        html: lesson.html.clone(),
        questions: question_bodies(&published.course, &id, &seed),
        pass_mark: lesson.quiz.as_ref().map(|q| q.pass_mark),
        max_attempts: lesson.quiz.as_ref().and_then(|q| q.max_attempts),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Completed {
    percent: u8,
    completed: bool,
}

/// Mark a lesson done (not a quiz: a quiz is done when passed).
#[utoipa::path(post, path = "/api/v1/courses/{slug}/lessons/{id}/complete",
    params(("slug" = String, Path), ("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Completed), (status = 400, description = "A quiz"), (status = 401), (status = 403), (status = 404)))]
async fn complete(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let published = course_or_404(&state, &slug)?;
    let lesson = lesson_or_404(&published, &slug, &id)?;
    require_enrolment(&state, &account, &slug).await?;
    if lesson.kind == LessonKind::Quiz {
        return Err(ApiError::BadRequest(
            "A quiz is done when it is passed: POST its attempts instead.".into(),
        ));
    }
    let change = state
        .store
        .mark_lesson_done(account.id, &published.course, published.version, &id)
        .await?;
    Ok(HttpResponse::Ok().json(Completed {
        percent: change.progress.percent,
        completed: change.progress.completed,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AttemptRequest {
    /// Question id to answer: an option id (single), a list of option ids
    /// (multiple), a list of words (gap), an object from left id to right id
    /// (match) or a list of item ids in order (order).
    #[schema(value_type = Object)]
    answers: Submission,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptResult {
    attempt_id: i32,
    score: u8,
    passed: bool,
    questions: Vec<QuestionResult>,
    /// True when this repeats an attempt already stored (same Idempotency-Key).
    replayed: bool,
    course_completed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResult {
    id: String,
    correct: bool,
    feedback: String,
}

/// Submit answers to a quiz. With an `Idempotency-Key` header, sending the
/// same attempt twice stores it once.
#[utoipa::path(post, path = "/api/v1/courses/{slug}/lessons/{id}/attempts",
    params(("slug" = String, Path), ("id" = String, Path),
           ("Idempotency-Key" = Option<String>, Header, description = "Any unique string per attempt")),
    request_body = AttemptRequest, security(("bearer" = [])),
    responses((status = 201, body = AttemptResult), (status = 200, body = AttemptResult, description = "A repeat of a stored attempt"),
              (status = 400, description = "Answers that cannot belong to this quiz"), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "No attempts left")))]
async fn attempt(
    state: State,
    ApiUser(account): ApiUser,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Json<AttemptRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let published = course_or_404(&state, &slug)?;
    let quiz = lesson_or_404(&published, &slug, &id)?
        .quiz
        .as_ref()
        .ok_or_else(|| ApiError::BadRequest(format!("\"{id}\" is a lesson, not a quiz.")))?;
    require_enrolment(&state, &account, &slug).await?;
    let key = request
        .headers()
        .get("Idempotency-Key")
        .map(|v| {
            v.to_str().map(str::to_string).map_err(|_| {
                ApiError::BadRequest("The Idempotency-Key header must be text.".into())
            })
        })
        .transpose()?;
    if key.as_ref().is_some_and(|k| k.is_empty() || k.len() > 200) {
        return Err(ApiError::BadRequest(
            "The Idempotency-Key header must be 1 to 200 characters.".into(),
        ));
    }
    let graded =
        grading::grade(quiz, &body.answers).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let outcome = state
        .store
        .record_attempt(
            account.id,
            &published.course,
            published.version,
            &id,
            quiz.max_attempts,
            &body.answers,
            &graded,
            key.as_deref(),
        )
        .await
        .map_err(|e| match e {
            AttemptError::NoAttemptsLeft(_) => ApiError::Conflict(e.to_string()),
            AttemptError::Store(e) => e.into(),
        })?;
    let stored = &outcome.attempt.graded;
    let result = AttemptResult {
        attempt_id: outcome.attempt.id,
        score: stored.score,
        passed: stored.passed,
        questions: stored
            .questions
            .iter()
            .map(|q| QuestionResult {
                id: q.id.clone(),
                correct: q.correct,
                feedback: q.feedback.clone(),
            })
            .collect(),
        replayed: outcome.replayed,
        course_completed: outcome
            .change
            .as_ref()
            .is_some_and(|c| c.progress.completed),
    };
    Ok(if outcome.replayed {
        HttpResponse::Ok().json(result)
    } else {
        HttpResponse::Created().json(result)
    })
}

#[derive(Serialize, ToSchema)]
pub struct ProgressItem {
    slug: String,
    percent: u8,
    completed: bool,
    lessons_done: usize,
    lessons_total: usize,
    quizzes: Vec<QuizItem>,
}

#[derive(Serialize, ToSchema)]
pub struct QuizItem {
    id: String,
    best_score: Option<u8>,
    passed: bool,
    attempts: u32,
}

/// Progress in every course the learner is enrolled in.
#[utoipa::path(get, path = "/api/v1/me/progress", security(("bearer" = [])),
    responses((status = 200, body = Vec<ProgressItem>), (status = 401)))]
async fn my_progress(state: State, ApiUser(account): ApiUser) -> Result<HttpResponse, ApiError> {
    let records = state.store.all_progress_records(account.id).await?;
    let empty = Vec::new();
    let items: Vec<ProgressItem> = state
        .store
        .enrolments(account.id)
        .await?
        .into_iter()
        .filter_map(|e| {
            let published = state.catalog.get(&e.course_slug)?;
            let p = CourseProgress::of(
                &published.course,
                records.get(&e.course_slug).unwrap_or(&empty),
            );
            Some(ProgressItem {
                slug: e.course_slug,
                percent: p.percent,
                completed: p.completed,
                lessons_done: p.lessons_done,
                lessons_total: p.lessons_total,
                quizzes: p
                    .quizzes
                    .into_iter()
                    .map(|q| QuizItem {
                        id: q.id,
                        best_score: q.best_score,
                        passed: q.passed,
                        attempts: q.attempts,
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}
