//! The JSON API under `/api/v1`, with bearer tokens. The OpenAPI document at
//! `/api/v1/openapi.json` is generated from these handlers and types.
//!
//! Names and shapes here are a contract with other programs: add fields,
//! never rename or remove them.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::State;
use super::bearer::ApiUser;
use super::errors::ApiError;
use super::throttle::RetryAfter;
use crate::course::CompiledCourse;
use crate::domain::grading::Submission;
use crate::passwords::random_token;
use crate::service::accounts::{self, SignIn};
use crate::service::learning;
use crate::service::question_form::{QuestionForm, question_form};

pub fn routes(cfg: &mut web::ServiceConfig) {
    super::methods::describe_api_with(<ApiDoc as OpenApi>::openapi);
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
            .configure(super::me_api::routes)
            .route("/me/progress", web::get().to(my_progress))
            .route("/me/password", web::put().to(change_password))
            .configure(super::certificates_api::routes)
            .configure(super::classes_api::routes)
            .configure(super::live_api::routes)
            .configure(super::invitations_api::routes)
            .configure(super::class_progress_api::routes)
            .configure(super::reports_api::routes)
            .wrap(actix_web::middleware::from_fn(
                super::methods::undeclared_method,
            ))
            .default_service(web::to(no_such_call)),
    );
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Presto API", version = "1", description = "English and Skills courses: accounts, lessons, quizzes and progress."),
    paths(create_token, sign_out_everywhere, change_password, super::me_api::me, super::me_api::change_me, list_courses, course_detail, enrol, lesson, complete, attempt, my_progress,
        super::certificates_api::verify, super::certificates_api::revoke, super::certificates_api::my_certificates,
        super::classes_api::create, super::classes_api::list, super::classes_api::join, super::classes_api::detail, super::classes_api::change,
        super::classes_api::add_member, super::classes_api::import, super::classes_api::new_password, super::classes_api::remove_member, super::classes_api::add_session,
        super::classes_api::record_attendance,
        super::live_api::start, super::live_api::state, super::live_api::events, super::live_api::lead,
        super::live_api::ask, super::live_api::answer, super::live_api::tally, super::live_api::reveal,
        super::live_api::hand, super::live_api::follow, super::live_api::end, super::live_api::register,
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

/// The document, with the home languages this site's courses offer.
async fn openapi(state: State) -> HttpResponse {
    let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    super::me_api::describe_home_languages(&mut document, &state.catalog.home_languages());
    HttpResponse::Ok().json(document)
}

/// The longest username looked up (no account has a longer one).
const MAX_TOKEN_USERNAME_CHARS: usize = 254;
/// The longest password checked.
const MAX_TOKEN_PASSWORD_CHARS: usize = 1024;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(min_length = 1, max_length = 254)]
    username: String,
    #[schema(min_length = 1, max_length = 1024)]
    password: String,
}

impl TokenRequest {
    /// What the description promises: refused as it says, before any
    /// password is checked or try counted.
    fn check(&self) -> Result<(), ApiError> {
        let fits = |text: &str, max: usize| (1..=max).contains(&text.chars().count());
        if fits(&self.username, MAX_TOKEN_USERNAME_CHARS)
            && fits(&self.password, MAX_TOKEN_PASSWORD_CHARS)
        {
            Ok(())
        } else {
            Err(ApiError::BadRequest(format!(
                "The username must be 1 to {MAX_TOKEN_USERNAME_CHARS} characters and the \
                 password 1 to {MAX_TOKEN_PASSWORD_CHARS}."
            )))
        }
    }
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
    responses((status = 200, body = TokenResponse),
              (status = 400, description = "No JSON body, not one for this call, or a username or password of the wrong length"),
              (status = 401, description = "Wrong username or password"),
              (status = 429, description = "Too many tries: wait as `Retry-After` says")))]
async fn create_token(
    state: State,
    request: HttpRequest,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    body.check()?;
    let address = state.client_address(&request);
    let outcome = accounts::new_api_token(
        &state.store,
        &state.throttles.sign_in,
        address,
        &body.username,
        &body.password,
    )
    .await?;
    match outcome {
        SignIn::Accepted(new) => Ok(HttpResponse::Ok().json(TokenResponse {
            token: new.token,
            role: new.account.role.as_str().to_string(),
        })),
        SignIn::WrongCredentials => Err(ApiError::WrongCredentials),
        SignIn::Wait(wait) => Err(ApiError::TooManyRequests(RetryAfter(wait))),
    }
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
    accounts::sign_out_everywhere(&state.store, &account).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    /// The account's password now.
    #[schema(min_length = 1, max_length = 1024)]
    current: String,
    /// The new password: 8 to 200 characters, as when registering.
    #[schema(min_length = 8, max_length = 200)]
    new: String,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordChangeResponse {
    /// A new token for this app: every token made before, the one that
    /// asked too, and every browser session has ended.
    token: String,
}

/// Change the signed-in account's password. Every API token and browser
/// session of the account ends; the answer carries a new token for the
/// app that asked. Wrong current passwords are slowed down like wrong
/// sign-ins.
#[utoipa::path(put, path = "/api/v1/me/password", request_body = PasswordChangeRequest, security(("bearer" = [])),
    responses((status = 200, body = PasswordChangeResponse),
              (status = 400, description = "No JSON body, not one for this call, or a new password that breaks the rules (8 to 200 characters)"),
              (status = 401, description = "No valid token"),
              (status = 403, description = "The current password is wrong"),
              (status = 429, description = "Too many wrong tries: wait as `Retry-After` says")))]
async fn change_password(
    state: State,
    request: HttpRequest,
    ApiUser(account): ApiUser,
    body: web::Json<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.current.chars().count() > MAX_TOKEN_PASSWORD_CHARS
        || body.new.chars().count() > MAX_TOKEN_PASSWORD_CHARS
    {
        return Err(ApiError::BadRequest(format!(
            "A password has at most {MAX_TOKEN_PASSWORD_CHARS} characters."
        )));
    }
    let outcome = accounts::change_own_password(
        &state.store,
        &state.throttles.sign_in,
        state.client_address(&request),
        &account,
        &body.current,
        &body.new,
        &body.new,
    )
    .await?;
    match outcome {
        accounts::PasswordChange::Changed(changed) => {
            Ok(HttpResponse::Ok().json(PasswordChangeResponse {
                token: accounts::fresh_api_token(&state.store, &changed).await?,
            }))
        }
        accounts::PasswordChange::WrongCurrent => {
            Err(ApiError::Forbidden("The current password is wrong.".into()))
        }
        accounts::PasswordChange::Wait(wait) => Err(ApiError::TooManyRequests(RetryAfter(wait))),
    }
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

/// A course's modules, lessons and quizzes, in course order.
#[utoipa::path(get, path = "/api/v1/courses/{slug}",
    params(("slug" = String, Path, description = "The course's slug", pattern = "^[a-z0-9][a-z0-9-]{0,79}$")),
    responses((status = 200, body = CourseDetail), (status = 404, description = "No such course")))]
async fn course_detail(state: State, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let published = learning::course(&state.catalog, &slug)?;
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
#[utoipa::path(post, path = "/api/v1/courses/{slug}/enrol",
    params(("slug" = String, Path, description = "The course's slug", pattern = "^[a-z0-9][a-z0-9-]{0,79}$")),
    security(("bearer" = [])),
    responses((status = 200, body = Enrolled), (status = 401, description = "No valid token"),
              (status = 403, description = "A required course comes first"), (status = 404, description = "No such course")))]
async fn enrol(
    state: State,
    ApiUser(account): ApiUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let enrolled = learning::enrol(state.service(), &account, &slug).await?;
    Ok(HttpResponse::Ok().json(Enrolled {
        slug: enrolled.course.course.slug.clone(),
        new: enrolled.new,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LessonBody {
    id: String,
    title: String,
    kind: String,
    html: String,
    /// Empty for a lesson.
    #[schema(value_type = Vec<QuestionBody>)]
    questions: Vec<QuestionForm>,
    pass_mark: Option<u8>,
    max_attempts: Option<u32>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes `question_form::Choice` for the API's document
pub struct Choice {
    id: String,
    text: String,
}

/// A question without its answer (the live class's course questions come
/// in the same shape).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes `QuestionForm`'s JSON for the API's document
pub struct QuestionBody {
    id: String,
    /// `single`, `multiple`, `gap`, `match`, `order` or `number` (true/false
    /// is `single`).
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
    /// The unit of a number answer, if it has one (`°C`): the learner may
    /// type it after the number or leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

fn question_bodies(course: &CompiledCourse, lesson_id: &str, seed: &str) -> Vec<QuestionForm> {
    let Some(quiz) = course.lesson(lesson_id).and_then(|l| l.quiz.as_ref()) else {
        return Vec::new();
    };
    quiz.questions
        .iter()
        .map(|q| question_form(q, &format!("{seed}/{}", q.id)))
        .collect()
}

/// A lesson's HTML, or a quiz's questions without their answers.
#[utoipa::path(get, path = "/api/v1/courses/{slug}/lessons/{id}",
    params(("slug" = String, Path, description = "The course's slug", pattern = "^[a-z0-9][a-z0-9-]{0,79}$"),
           ("id" = String, Path, description = "The lesson's or quiz's id", pattern = "^[a-z0-9][a-z0-9_-]{0,79}$")),
    security(("bearer" = [])),
    responses((status = 200, body = LessonBody), (status = 401, description = "No valid token"),
              (status = 403, description = "Not enrolled"), (status = 404, description = "No such course or lesson")))]
async fn lesson(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let found = learning::enrolled_lesson(state.service(), &account, &slug, &id).await?;
    let published = &found.course;
    let lesson = found.lesson();
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
    params(("slug" = String, Path, description = "The course's slug", pattern = "^[a-z0-9][a-z0-9-]{0,79}$"),
           ("id" = String, Path, description = "The lesson's id", pattern = "^[a-z0-9][a-z0-9_-]{0,79}$")),
    security(("bearer" = [])),
    responses((status = 200, body = Completed),
              (status = 401, description = "No valid token"), (status = 403, description = "Not enrolled"),
              (status = 404, description = "No such course or lesson"),
              (status = 409, description = "The id names a quiz: a quiz is done when it is passed")))]
async fn complete(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let marked = learning::mark_done(state.service(), &account, &slug, &id).await?;
    Ok(HttpResponse::Ok().json(Completed {
        percent: marked.change.progress.percent,
        completed: marked.change.progress.completed,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AttemptRequest {
    /// Question id to answer: an option id (single), a list of option ids
    /// (multiple), a list of words (gap), an object from left id to right id
    /// (match), a list of item ids in order (order), or a number or the
    /// number as typed, unit and all, like `"2,5 °C"` (number). A question left out
    /// counts as not answered; a question id the quiz does not have, or an
    /// answer of the wrong shape for its question, is refused with 400.
    #[schema(value_type = BTreeMap<String, AnswerSchema>)]
    answers: Submission,
}

/// One question's answer (only its description: the grader reads it).
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(as = Answer)]
#[allow(dead_code)]
enum AnswerSchema {
    /// An option id (single choice, true/false).
    One(String),
    /// Option ids (multiple choice), words (gap) or item ids in order.
    Many(Vec<String>),
    /// Left id to right id (match).
    Pairs(BTreeMap<String, String>),
    /// A number (number questions; the text `"5 °C"` does too).
    Number(f64),
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
    params(("slug" = String, Path, description = "The course's slug", pattern = "^[a-z0-9][a-z0-9-]{0,79}$"),
           ("id" = String, Path, description = "The quiz's id", pattern = "^[a-z0-9][a-z0-9_-]{0,79}$"),
           ("Idempotency-Key" = Option<String>, Header, description = "Any unique string per attempt, 1 to 200 characters",
            min_length = 1, max_length = 200)),
    request_body = AttemptRequest, security(("bearer" = [])),
    responses((status = 201, body = AttemptResult), (status = 200, body = AttemptResult, description = "A repeat of a stored attempt"),
              (status = 400, description = "No JSON body or not one for this call, or an Idempotency-Key of the wrong length"),
              (status = 401, description = "No valid token"), (status = 403, description = "Not enrolled"),
              (status = 404, description = "No such course or quiz"),
              (status = 409, description = "No attempts left, or answers that do not fit this quiz as it is now (a question or option it does not have)")))]
async fn attempt(
    state: State,
    ApiUser(account): ApiUser,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Json<AttemptRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let key = request
        .headers()
        .get("Idempotency-Key")
        .map(|v| {
            v.to_str().map(str::to_string).map_err(|_| {
                ApiError::BadRequest("The Idempotency-Key header must be text.".into())
            })
        })
        .transpose()?;
    let outcome = learning::submit_attempt(
        state.service(),
        &account,
        &slug,
        &id,
        &body.answers,
        key.as_deref(),
    )
    .await?;
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
    let items: Vec<ProgressItem> = learning::my_progress(state.service(), &account)
        .await?
        .into_iter()
        .map(|row| {
            let p = row.progress;
            ProgressItem {
                slug: row.slug,
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
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> serde_json::Value {
        serde_json::to_value(ApiDoc::openapi()).unwrap()
    }

    #[test]
    fn an_answer_is_described_as_the_grader_reads_it() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        let answers = &schemas["AttemptRequest"]["properties"]["answers"];
        assert_eq!(answers["type"], "object", "{answers}");
        assert!(
            answers["additionalProperties"]["$ref"]
                .as_str()
                .is_some_and(|r| r.ends_with("/Answer")),
            "{answers}"
        );
        let kinds: Vec<&str> = schemas["Answer"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["type"].as_str())
            .collect();
        assert_eq!(
            kinds,
            ["string", "array", "object", "number"],
            "{}",
            schemas["Answer"]
        );
        assert_eq!(
            schemas["AttemptRequest"]["required"],
            serde_json::json!(["answers"])
        );
    }

    #[test]
    fn paths_name_the_ids_they_accept() {
        let doc = document();
        let attempts = &doc["paths"]["/api/v1/courses/{slug}/lessons/{id}/attempts"]["post"];
        let parameter = |name: &str| {
            attempts["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == name)
                .unwrap()["schema"]
                .clone()
        };
        assert_eq!(parameter("slug")["pattern"], "^[a-z0-9][a-z0-9-]{0,79}$");
        assert_eq!(parameter("id")["pattern"], "^[a-z0-9][a-z0-9_-]{0,79}$");
        assert_eq!(parameter("Idempotency-Key")["maxLength"], 200);
        for status in ["200", "201", "400", "401", "403", "404", "409"] {
            assert!(attempts["responses"][status].is_object(), "{status}");
        }
    }
}
