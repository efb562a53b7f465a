//! Live classes in the JSON API (`/api/v1/classes/{id}/live...`): start,
//! lead, ask, answer, reveal, hands, end, the state and its event stream,
//! and a session's register. Each handler reads its input, calls one
//! function of [`crate::service::live`] (the live class pages call the
//! same ones) and serialises the result.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::State;
use super::bearer::ApiUser;
use super::classes_api::optional_whole_i32;
use super::errors::ApiError;
use crate::service::live::{self as service, Ask, LiveState, TallyView};
use crate::service::{Message, ServiceError, ServiceResult};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes/{id}/live", web::post().to(start))
        .route("/classes/{id}/live", web::get().to(state))
        .route("/classes/{id}/live/events", web::get().to(events))
        .route("/classes/{id}/live/lesson", web::post().to(lead))
        .route("/classes/{id}/live/questions", web::post().to(ask))
        .route("/classes/{id}/live/questions/{q}", web::get().to(tally))
        .route(
            "/classes/{id}/live/questions/{q}/answers",
            web::post().to(answer),
        )
        .route(
            "/classes/{id}/live/questions/{q}/reveal",
            web::post().to(reveal),
        )
        .route("/classes/{id}/live/hand", web::post().to(hand))
        .route("/classes/{id}/live/follow", web::post().to(follow))
        .route("/classes/{id}/live/end", web::post().to(end))
        .route(
            "/classes/{id}/sessions/{session}/attendance",
            web::get().to(register),
        );
}

/// The body as JSON of the call's shape, or why not (a 400, given only
/// once the caller is known to be allowed: who may is checked first).
fn read_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> ServiceResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        ServiceError::invalid(Message::Words(format!(
            "The request body is not valid JSON for this call: {e}"
        )))
    })
}

/// The largest body a live call reads (a poll is the biggest: 6 choices).
const MAX_BODY: usize = 16 * 1024;

fn limited(body: &web::Bytes) -> ServiceResult<&[u8]> {
    if body.len() > MAX_BODY {
        Err(ServiceError::invalid(Message::Words(format!(
            "The request body is larger than {MAX_BODY} bytes."
        ))))
    } else {
        Ok(body)
    }
}

#[derive(Deserialize, Default, ToSchema)]
pub struct StartRequest {
    /// A scheduled session of the class to teach live. Missing: a session
    /// starting now is added.
    #[serde(default, deserialize_with = "optional_whole_i32")]
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    session: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct StartResponse {
    session_id: i32,
    started_at: DateTime<Utc>,
}

/// Starts teaching the class live (its tutor). Starting again while it is
/// live answers 200 with the same live class.
#[utoipa::path(post, path = "/api/v1/classes/{id}/live", params(("id" = i32, Path)),
    request_body(content = StartRequest, description = "`{}` or `{\"session\": <id>}`"), security(("bearer" = [])),
    responses((status = 201, body = StartResponse, description = "Live from now"),
        (status = 200, body = StartResponse, description = "It was live already"),
        (status = 400, description = "No body, or one that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not the class's tutor"),
        (status = 404, description = "No such class, or no such session in it")))]
pub(crate) async fn start(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let session = limited(&body)
        .and_then(read_json::<StartRequest>)
        .map(|r| r.session);
    let started = service::start(state.service(), &account, path.into_inner(), session).await?;
    let answer = StartResponse {
        session_id: started.session_id,
        started_at: started.started_at,
    };
    Ok(if started.new {
        HttpResponse::Created().json(answer)
    } else {
        HttpResponse::Ok().json(answer)
    })
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes `LiveState`'s JSON for the API's document
pub struct LiveStateResponse {
    session_id: i32,
    started_at: DateTime<Utc>,
    /// The lesson the tutor shows: `{"course", "lesson"}`.
    lesson: Option<LessonRef>,
    /// The open (or last) question. `correct` and `feedback` only once
    /// revealed (always for the tutor); a learner's own `answer`, and
    /// `right` once revealed.
    question: Option<QuestionState>,
    /// Usernames, in the order the hands went up.
    hands: Vec<String>,
    /// The tutor and observers: the answers so far.
    tally: Option<TallyResponse>,
    /// The tutor and observers: each learner, whether they joined, follow
    /// the tutor, and their mark.
    learners: Option<Vec<LearnerState>>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct LessonRef {
    /// A course slug of the class.
    course: String,
    /// A lesson id in it.
    lesson: String,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct QuestionState {
    id: i32,
    text: String,
    /// The choices, by place (empty for a course question answered with
    /// gaps, matching or order).
    options: Vec<String>,
    revealed: bool,
    /// What is right: a choice's place, a list of places (several right),
    /// or for gaps, matching and order the words, pairs or items in words.
    correct: Option<Value>,
    /// Once revealed: the question's feedback; for a learner, the feedback
    /// their own choices earned first (the `reveal` event carries it too).
    feedback: Option<String>,
    /// A learner's own answer as kept: a choice's place, a list of places,
    /// or the quiz's answer shape (gap words, item ids, left-to-right ids).
    answer: Option<Value>,
    right: Option<bool>,
    /// A course question: how to answer it, in the quiz API's shape (choice
    /// ids, gaps, the pairs to match, the items to order; never what is
    /// right). The `question` event carries it too.
    quiz: Option<super::api::QuestionBody>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct LearnerState {
    user_id: i32,
    username: String,
    full_name: String,
    joined_at: Option<DateTime<Utc>>,
    following: Option<bool>,
    /// present, late or absent; null until marked.
    status: Option<String>,
}

/// The live class now (its learners, its tutor, coordinators and admins).
#[utoipa::path(get, path = "/api/v1/classes/{id}/live", params(("id" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = LiveStateResponse), (status = 401),
        (status = 403, description = "Neither in the class nor its tutor, a coordinator or an admin"),
        (status = 404, description = "No such class, or it is not live")))]
pub(crate) async fn state(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let now: LiveState = service::state(state.service(), &account, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(now))
}

/// The live class's events, as Server-Sent Events (`text/event-stream`).
/// First `state` (the whole state, as `GET .../live` gives it), then
/// `lesson`, `question`, `reveal`, `hand` and `end` (after which the stream
/// closes); the tutor and observers also get `tally`, `joined` and
/// `following`. Each event has one `data:` line of JSON; kept events have
/// an `id:`, and a client that reconnects with `Last-Event-ID` gets what it
/// missed (or a fresh `state`). A comment line comes at least every 20 s.
/// A learner opening the stream has joined the class (the register marks
/// them present, or late). `question` is `{"id", "text", "options"}`, with
/// `quiz` (how to answer it, as in the state) for a course question.
///
/// One account may have 5 streams of a class open on a server (a second
/// tab, a second phone); one more is 429 with a JSON message. When the
/// server shuts down, its streams end (after `retry: 1000`) without `end`:
/// reconnect with `Last-Event-ID`, to another instance or this one again.
#[utoipa::path(get, path = "/api/v1/classes/{id}/live/events", params(("id" = i32, Path),
        ("Last-Event-ID" = Option<String>, Header, description = "The last event's id, to go on from it")),
    security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String,
            description = "The event stream, open while the class is live"),
        (status = 401),
        (status = 403, description = "Neither in the class nor its tutor, a coordinator or an admin"),
        (status = 404, description = "No such class, or it is not live"),
        (status = 429, description = "This account has 5 streams of the class open already")))]
pub(crate) async fn events(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let last = request
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok());
    Ok(super::live_stream::open(state.clone(), account, path.into_inner(), last).await?)
}

/// Shows a lesson of the class's courses to everyone following (tutor).
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/lesson", params(("id" = i32, Path)),
    request_body = LessonRef, security(("bearer" = [])),
    responses((status = 200), (status = 400, description = "A body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not the class's tutor"),
        (status = 404, description = "No such class, not live, or no such course of the class or lesson in it")))]
pub(crate) async fn lead(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let shown = limited(&body)
        .and_then(read_json::<LessonRef>)
        .map(|l| (l.course, l.lesson));
    service::lead(state.service(), &account, path.into_inner(), shown).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}

#[derive(Deserialize, ToSchema)]
pub struct PollRequest {
    /// 1 to 500 characters, not only spaces.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    text: String,
    /// 2 to 6 choices, each 1 to 200 characters, not only spaces.
    #[schema(schema_with = poll_options)]
    options: Vec<String>,
    /// The right choice's place in `options` (0 for the first), if one is
    /// right. Any place in the list is taken; the document's bound is 1,
    /// the most every poll has, because JSON Schema cannot compare a
    /// number with a list's length. A place past the list is answered 400.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    correct: Option<i64>,
}

fn poll_options() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(200))
                .pattern(Some(r"\S")),
        )
        .min_items(Some(2))
        .max_items(Some(6))
        .into()
}

/// One of: `{"poll": {...}}`, `{"course", "quiz", "question"}`, or
/// `{"check": true}` for "I understand / Not sure / Lost".
#[derive(Deserialize, ToSchema)]
pub struct AskRequest {
    #[serde(default)]
    poll: Option<PollRequest>,
    #[serde(default)]
    check: Option<bool>,
    #[serde(default)]
    course: Option<String>,
    /// The quiz's lesson id.
    #[serde(default)]
    quiz: Option<String>,
    /// The question's id in the quiz.
    #[serde(default)]
    question: Option<String>,
}

/// The body of `POST .../live/questions` as the document describes it:
/// exactly one of three shapes, each with only its own fields, so that a
/// client (or a fuzzer) reading the document sends only what the server
/// takes. The server reads it as [`AskRequest`].
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // a description only: never built
pub enum AskBody {
    Poll(AskPoll),
    Check(AskCheck),
    Course(AskCourse),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // a description only
pub struct AskPoll {
    poll: PollRequest,
}

/// The one-tap check: "I understand / Not sure / Lost".
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // a description only
pub struct AskCheck {
    #[schema(schema_with = always_true)]
    check: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // a description only
pub struct AskCourse {
    course: String,
    /// The quiz's lesson id.
    quiz: String,
    /// The question's id in the quiz.
    question: String,
}

fn always_true() -> utoipa::openapi::schema::Schema {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Boolean)
        .enum_values(Some([true]))
        .into()
}

#[derive(Serialize, ToSchema)]
pub struct AskResponse {
    question_id: i32,
}

/// Puts a question to the class (tutor); it replaces the open one.
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/questions", params(("id" = i32, Path)),
    request_body = AskBody, security(("bearer" = [])),
    responses((status = 201, body = AskResponse),
        (status = 400, description = "A poll without 2 to 6 choices, an empty text, a right choice that is not one of them, or a body that is neither a poll, a check nor a course question"),
        (status = 401), (status = 403, description = "Not the class's tutor"),
        (status = 404, description = "No such class, not live, or no such question in the class's courses")))]
pub(crate) async fn ask(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let class_id = path.into_inner();
    let asked = limited(&body)
        .and_then(read_json::<AskRequest>)
        .and_then(ask_of);
    let question_id = service::ask(state.service(), &account, class_id, asked).await?;
    Ok(HttpResponse::Created().json(AskResponse { question_id }))
}

/// The one kind of question the body asks.
fn ask_of(body: AskRequest) -> ServiceResult<Ask> {
    let asked = match body {
        AskRequest {
            poll: Some(poll),
            check: None | Some(false),
            course: None,
            quiz: None,
            question: None,
        } => Some(Ask::Poll {
            text: poll.text,
            options: poll.options,
            correct: poll.correct,
        }),
        AskRequest {
            poll: None,
            check: Some(true),
            course: None,
            quiz: None,
            question: None,
        } => Some(Ask::Check),
        AskRequest {
            poll: None,
            check: None | Some(false),
            course: Some(course),
            quiz: Some(quiz),
            question: Some(question),
        } => Some(Ask::Course {
            course,
            quiz,
            question,
        }),
        _ => None,
    };
    asked.ok_or_else(|| ServiceError::invalid(Message::key("live-error-ask-shape")))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// A poll or check: the choice's place in `options`. A course question
    /// of any kind takes the quiz's answer shapes, with the ids its `quiz`
    /// gives: an option id (one right) or a list of them (several right),
    /// the words for the gaps in order, the item ids in order, or an object
    /// from each left id to a right id. A choice may also be sent by its
    /// place in `options` (or a list of places). An empty answer is 400.
    answer: Value,
}

/// Answers the open question (a learner of the class). Answering again
/// before the reveal replaces the earlier answer.
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/questions/{q}/answers",
    params(("id" = i32, Path), ("q" = i32, Path)), request_body = AnswerRequest, security(("bearer" = [])),
    responses((status = 201, description = "The first answer"), (status = 200, description = "It replaced the earlier one"),
        (status = 400, description = "An answer that is not one of the choices or not of the question's shape"),
        (status = 401), (status = 403, description = "Not a learner of the class"),
        (status = 404, description = "No such class, not live, or no such question in it"),
        (status = 409, description = "The question is not open: revealed or replaced")))]
pub(crate) async fn answer(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (class_id, question_id) = path.into_inner();
    let answer = limited(&body)
        .and_then(read_json::<AnswerRequest>)
        .map(|a| a.answer);
    let first = service::answer(state.service(), &account, class_id, question_id, answer).await?;
    Ok(if first {
        HttpResponse::Created().json(serde_json::json!({}))
    } else {
        HttpResponse::Ok().json(serde_json::json!({}))
    })
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes `TallyView`'s JSON for the API's document
pub struct TallyResponse {
    question_id: i32,
    /// How many learners have answered.
    answered: usize,
    /// How many learners the class has.
    total: u64,
    /// Per choice (none for gaps, matching and order): how many chose it;
    /// for a question with several right, how many ticked it.
    options: Vec<OptionCountResponse>,
    /// Questions with a right answer (course questions, a poll with a
    /// right choice): how many answers were right and not right. Gaps,
    /// matching and order are counted this way only: all right or not.
    right: u64,
    wrong: u64,
    /// Who has not answered yet, by username.
    waiting: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct OptionCountResponse {
    text: String,
    count: u64,
    /// The count as a share of those who answered, 0 to 100 (the tally
    /// call and the state; not the `tally` event).
    percent: Option<u64>,
}

/// The answers so far to a question (the tutor, coordinators and admins).
#[utoipa::path(get, path = "/api/v1/classes/{id}/live/questions/{q}",
    params(("id" = i32, Path), ("q" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = TallyResponse), (status = 401),
        (status = 403, description = "Not the class's tutor, a coordinator or an admin"),
        (status = 404, description = "No such class, not live, or no such question in it")))]
pub(crate) async fn tally(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, question_id) = path.into_inner();
    let counted: TallyView =
        service::tally(state.service(), &account, class_id, question_id).await?;
    Ok(HttpResponse::Ok().json(counted))
}

/// Reveals the answer (tutor): each learner is told whether theirs was
/// right, and everyone sees the bars.
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/questions/{q}/reveal",
    params(("id" = i32, Path), ("q" = i32, Path)), security(("bearer" = [])),
    responses((status = 200), (status = 401), (status = 403, description = "Not the class's tutor"),
        (status = 404, description = "No such class, not live, or no such question in it"),
        (status = 409, description = "A question of an earlier live class")))]
pub(crate) async fn reveal(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, question_id) = path.into_inner();
    service::reveal(state.service(), &account, class_id, question_id).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}

#[derive(Deserialize, ToSchema)]
pub struct HandRequest {
    up: bool,
    /// The tutor lowering a learner's hand: the learner's user id.
    #[serde(default, deserialize_with = "optional_whole_i32")]
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    user: Option<i32>,
}

/// A learner raises or lowers their hand; the tutor lowers a learner's
/// with `{"up": false, "user": <id>}`.
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/hand", params(("id" = i32, Path)),
    request_body = HandRequest, security(("bearer" = [])),
    responses((status = 200), (status = 400, description = "A body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not in the class, a learner's call for another, or the tutor raising a hand"),
        (status = 404, description = "No such class, not live, or no such learner in it (the tutor naming none)")))]
pub(crate) async fn hand(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hand = limited(&body)
        .and_then(read_json::<HandRequest>)
        .map(|h| (h.up, h.user));
    service::hand(state.service(), &account, path.into_inner(), hand).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}

#[derive(Deserialize, ToSchema)]
pub struct FollowRequest {
    /// True: follow the tutor's lesson; false: read alone.
    following: bool,
}

/// A learner follows the tutor again, or reads on their own (the tutor
/// sees which).
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/follow", params(("id" = i32, Path)),
    request_body = FollowRequest, security(("bearer" = [])),
    responses((status = 200), (status = 400, description = "A body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a learner of the class"),
        (status = 404, description = "No such class, or it is not live")))]
pub(crate) async fn follow(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let following = limited(&body)
        .and_then(read_json::<FollowRequest>)
        .map(|f| f.following);
    service::follow(state.service(), &account, path.into_inner(), following).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}

/// Ends the live class (tutor): who never joined is marked absent, and
/// every stream gets `end`.
#[utoipa::path(post, path = "/api/v1/classes/{id}/live/end", params(("id" = i32, Path)), security(("bearer" = [])),
    responses((status = 200), (status = 401), (status = 403, description = "Not the class's tutor"),
        (status = 404, description = "No such class, or it is not live")))]
pub(crate) async fn end(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    service::end(state.service(), &account, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({})))
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes `RegisterEntry`'s JSON for the API's document
pub struct RegisterLineResponse {
    user_id: i32,
    username: String,
    /// present, late or absent; null until marked.
    status: Option<String>,
    /// When the learner joined the live class, if they did.
    joined_at: Option<DateTime<Utc>>,
}

/// A session's register: each learner's mark and when they joined live
/// (those who run the class).
#[utoipa::path(get, path = "/api/v1/classes/{id}/sessions/{session}/attendance",
    params(("id" = i32, Path), ("session" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<RegisterLineResponse>), (status = 401),
        (status = 403, description = "Not a class this account runs"),
        (status = 404, description = "No such class, or no such session in it")))]
pub(crate) async fn register(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, session_id) = path.into_inner();
    let lines = service::register(state.service(), &account, class_id, session_id).await?;
    Ok(HttpResponse::Ok().json(lines))
}
