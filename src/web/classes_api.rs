//! Classes in the JSON API: create and list classes, join with a code, add
//! learners, plan live sessions and keep their register. Part of the
//! `/api/v1` contract. Each handler reads the JSON body, calls the same
//! function of [`crate::service::classes`] as the class pages, and
//! serialises the result.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::State;
use super::bearer::ApiUser;
use super::errors::ApiError;
use crate::domain::class::NewSession;
use crate::service::classes::members::{self, Added, Existing, NewMember};
use crate::service::classes::sessions::{self, SessionInfo};
use crate::service::classes::{self as service, ClassChange, ClassSummary, MemberInfo, NewClass};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes", web::get().to(list))
        .route("/classes", web::post().to(create))
        .route("/classes/join", web::post().to(join))
        .route("/classes/{id}", web::get().to(detail))
        .route("/classes/{id}", web::patch().to(change))
        .route("/classes/{id}/members", web::post().to(add_member))
        .route("/classes/{id}/import", web::post().to(import))
        .route(
            "/classes/{id}/members/{user}/password",
            web::post().to(new_password),
        )
        .route(
            "/classes/{id}/members/{user}",
            web::delete().to(remove_member),
        )
        .route("/classes/{id}/sessions", web::post().to(add_session))
        .route(
            "/classes/{id}/sessions/{session}/attendance",
            web::put().to(record_attendance),
        );
}

/// As [`whole_i32`], for a field that may be missing or null.
pub(crate) fn optional_whole_i32<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i32>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole_i32")] i32);
    Ok(Option::<Whole>::deserialize(deserializer)?.map(|w| w.0))
}

/// A whole number for an `int32` field, also when JSON writes it `45.0`
/// (the description says integer, and JSON Schema counts 45.0 as one).
pub(crate) fn whole_i32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    let whole = number.as_i64().or_else(|| {
        number
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= f64::from(i32::MAX) + 1.0)
            .map(|f| f as i64)
    });
    whole
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| serde::de::Error::custom(format!("{number} is not a 32-bit whole number")))
}

#[derive(Deserialize, ToSchema)]
pub struct NewClassRequest {
    /// 1 to 100 characters, not only spaces (runs of spaces become one).
    // Missing is read as empty, refused after the role check (400).
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 100, pattern = r"\S")]
    name: String,
    /// Published course slugs, in the order learners should take them.
    #[serde(default)]
    courses: Vec<String>,
    /// hospitality, care, childcare, construction, warehousing, english or
    /// other. Missing, null or empty: the first course's sector, else
    /// `other`.
    #[serde(default)]
    #[schema(pattern = "^(hospitality|care|childcare|construction|warehousing|english|other)?$")]
    sector: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NewClassResponse {
    id: i32,
    /// As a tutor reads it out: `K7MX-3QPA`.
    join_code: String,
    name: String,
    courses: Vec<String>,
}

/// Creates a class (tutors and admins).
#[utoipa::path(post, path = "/api/v1/classes", request_body = NewClassRequest, security(("bearer" = [])),
    responses((status = 201, body = NewClassResponse),
        (status = 400, description = "A bad name or sector, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a tutor or an admin"),
        (status = 404, description = "A course that is not published")))]
pub(crate) async fn create(
    state: State,
    ApiUser(account): ApiUser,
    body: web::Json<NewClassRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = NewClass {
        name: &body.name,
        sector: body.sector.as_deref(),
        courses: &body.courses,
    };
    let class = service::create(state.service(), &account, new).await?;
    Ok(HttpResponse::Created().json(NewClassResponse {
        id: class.id,
        courses: class.course_slugs(),
        join_code: class.join_code.unwrap_or_default(),
        name: class.name,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ClassItem {
    id: i32,
    name: String,
    sector: String,
    courses: Vec<String>,
    /// Only for those who run the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    join_code: Option<String>,
    /// Archived: left out of class lists (unless asked for), kept in
    /// reports; its code takes nobody new.
    archived: bool,
}

impl From<ClassSummary> for ClassItem {
    fn from(class: ClassSummary) -> ClassItem {
        ClassItem {
            id: class.id,
            courses: class.course_slugs(),
            name: class.name,
            sector: class.sector,
            join_code: class.join_code,
            archived: class.archived,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `true`: the archived classes the caller runs instead (none for a
    /// learner). `false` or left out: the classes in use.
    #[param(value_type = Option<bool>)]
    archived: Option<String>,
}

/// The classes the caller teaches (tutor), runs (coordinator, admin) or is
/// in (learner), archived ones left out; with `archived=true`, the
/// archived classes the caller runs.
#[utoipa::path(get, path = "/api/v1/classes", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<ClassItem>),
        (status = 400, description = "`archived` is neither true nor false"), (status = 401)))]
pub(crate) async fn list(
    state: State,
    ApiUser(account): ApiUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let listed = match query.archived.as_deref() {
        None | Some("false") => service::list(state.service(), &account).await?,
        Some("true") => service::list_archived(state.service(), &account).await?,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "archived must be true or false.".into(),
            ));
        }
    };
    let items: Vec<ClassItem> = listed
        .into_iter()
        .map(|listed| ClassItem::from(listed.class))
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Deserialize, ToSchema)]
pub struct JoinRequest {
    /// The class code: 8 letters and numbers, any case, with or without
    /// dashes and spaces (`K7MX-3QPA`, `k7mx3qpa`).
    #[serde(default)]
    #[schema(
        required = true,
        pattern = "^[ \\-\\u2010-\\u2015]*(?:[346789ACDEFGHJKMNPQRTWXYacdefghjkmnpqrtwxy][ \\-\\u2010-\\u2015]*){8}$"
    )]
    code: String,
}

/// A learner joins a class with its code and is enrolled in its courses.
#[utoipa::path(post, path = "/api/v1/classes/join", request_body = JoinRequest, security(("bearer" = [])),
    responses((status = 200, body = ClassItem),
        (status = 400, description = "Not a class code, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a learner"),
        (status = 404, description = "No class has this code"),
        (status = 429, description = "Too many codes tried: wait as `Retry-After` says")))]
pub(crate) async fn join(
    state: State,
    request: HttpRequest,
    ApiUser(account): ApiUser,
    body: web::Json<JoinRequest>,
) -> Result<HttpResponse, ApiError> {
    service::check_may_join(&account)?;
    // Codes are short: slow down anyone trying them one after another.
    state
        .throttles
        .lookups
        .check(state.client_address(&request))?;
    let class = service::join(state.service(), &account, &body.code).await?;
    Ok(HttpResponse::Ok().json(ClassItem::from(class)))
}

#[derive(Serialize, ToSchema)]
pub struct Member {
    id: i32,
    username: String,
    full_name: String,
    language: String,
}

impl From<MemberInfo> for Member {
    fn from(m: MemberInfo) -> Member {
        Member {
            id: m.id,
            username: m.username,
            full_name: m.full_name,
            language: m.language,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionItem {
    id: i32,
    title: String,
    starts_at: DateTime<Utc>,
    duration_minutes: i32,
    meeting_url: String,
}

impl From<SessionInfo> for SessionItem {
    fn from(s: SessionInfo) -> Self {
        SessionItem {
            id: s.id,
            // The API is in English, like its messages.
            title: if s.untitled() {
                crate::i18n::text("en", "live-unscheduled-session")
            } else {
                s.title
            },
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes,
            meeting_url: s.meeting_url,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClassDetail {
    #[serde(flatten)]
    class: ClassItem,
    sessions: Vec<SessionItem>,
    /// Only for those who run the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<Member>>,
    /// Invited learners who have not accepted yet (not members), by
    /// username only. Only for those who run the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    invited: Option<Vec<InvitedItem>>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitedItem {
    id: i32,
    username: String,
}

/// A class: its courses and sessions for its learners; also its code and
/// members for those who run it.
#[utoipa::path(get, path = "/api/v1/classes/{id}", params(("id" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = ClassDetail), (status = 401),
        (status = 403, description = "Neither in the class nor running it"),
        (status = 404, description = "No such class")))]
pub(crate) async fn detail(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let page = service::page(state.service(), &account, path.into_inner()).await?;
    let (members, invited) = match page.roster {
        Some(roster) => (
            Some(roster.members.into_iter().map(Member::from).collect()),
            Some(
                roster
                    .invited
                    .into_iter()
                    .map(|m| InvitedItem {
                        id: m.id,
                        username: m.username,
                    })
                    .collect(),
            ),
        ),
        None => (None, None),
    };
    Ok(HttpResponse::Ok().json(ClassDetail {
        class: page.class.into(),
        sessions: page.sessions.into_iter().map(SessionItem::from).collect(),
        members,
        invited,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ClassChangeRequest {
    /// A new name: 1 to 100 characters, not only spaces (runs of spaces
    /// become one). Left out: unchanged.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    name: Option<String>,
    /// The new course list: slugs of published courses (or of courses the
    /// class has already), in the order learners should take them.
    /// Members are enrolled in each course new to the class; a course
    /// taken off keeps their progress. Left out: unchanged.
    #[serde(default)]
    courses: Option<Vec<String>>,
    /// `true` archives the class (off class lists, kept in reports, its
    /// code takes nobody new), `false` brings it back. Left out: unchanged.
    #[serde(default)]
    archived: Option<bool>,
}

/// Renames a class, changes its courses, archives it or brings it back
/// (its tutor, a coordinator or an admin): the same as the class's edit
/// page. Every problem is named and nothing is changed then.
#[utoipa::path(patch, path = "/api/v1/classes/{id}", params(("id" = i32, Path)), request_body = ClassChangeRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ClassItem),
        (status = 400, description = "A bad name, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a class this account runs"),
        (status = 404, description = "No such class"),
        (status = 409, description = "A course that is not published (the class is unchanged)")))]
pub(crate) async fn change(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<HttpResponse, ApiError> {
    // Read from an object only: serde would also take a struct from an
    // array (`[null, null]`), which the description does not allow.
    let body: ClassChangeRequest =
        serde_json::from_value(body.into_inner().into()).map_err(|e| {
            ApiError::BadRequest(format!(
                "The request body is not valid JSON for this call: {e}"
            ))
        })?;
    let change = ClassChange {
        name: body.name.as_deref(),
        courses: body.courses.as_deref(),
        archived: body.archived,
    };
    let class = service::change(state.service(), &account, path.into_inner(), change).await?;
    Ok(HttpResponse::Ok().json(ClassItem::from(class)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMemberRequest {
    /// 3 to 32 letters (any case, kept small), numbers, dots, dashes or
    /// underscores; not starting with `erased-`.
    #[serde(default)]
    #[schema(
        required = true,
        pattern = r"^\s*(?![Ee][Rr][Aa][Ss][Ee][Dd]-)[A-Za-z0-9._-]{3,32}\s*$"
    )]
    username: String,
    /// For a new account: 1 to 100 characters. Leave it out (or empty) to
    /// name a learner who already has an account: a tutor invites them, a
    /// coordinator or an admin puts them in the class.
    #[serde(default)]
    #[schema(max_length = 100, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    full_name: String,
    /// The interface language: en, ar, fa or uk, any case. Empty or left
    /// out: en. The server also takes a language the site's courses
    /// translate into (`ti`, `ps`, ... as `GET /api/v1/me` lists them):
    /// that sets the learner's home language, with the interface at the
    /// default, as a roster line does. The pattern lists the four a client
    /// can rely on.
    #[serde(default)]
    #[schema(pattern = r"^\s*([Ee][Nn]|[Aa][Rr]|[Ff][Aa]|[Uu][Kk])?\s*$")]
    language: String,
    /// Empty or left out: none.
    #[serde(default)]
    #[schema(
        max_length = 254,
        pattern = r"^\s*(?:[^@\s\x00-\x1f\x7f-\x9f]+@(?!\.)[^\s\x00-\x1f\x7f-\x9f]*\.[^\s\x00-\x1f\x7f-\x9f]*)?\s*$"
    )]
    email: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewMemberResponse {
    id: i32,
    username: String,
    /// The first password: shown once, never stored in clear.
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExistingMemberResponse {
    id: i32,
    username: String,
    /// `member` (in the class now: added by a coordinator or an admin, or
    /// already in it) or `invited` (a tutor named them: they join when
    /// they accept on their home page).
    #[schema(pattern = "^(member|invited)$")]
    status: &'static str,
}

/// Makes a learner account in the class, with a generated password; or,
/// with the username alone, names a learner who already has an account.
/// A tutor cannot put someone else's account in a class: the learner is
/// invited (202) and joins only when they accept. Coordinators and admins
/// add them at once (200). The same as the class page.
#[utoipa::path(post, path = "/api/v1/classes/{id}/members", params(("id" = i32, Path)), request_body = NewMemberRequest,
    security(("bearer" = [])),
    responses((status = 201, body = NewMemberResponse, description = "A new account, in the class"),
        (status = 200, body = ExistingMemberResponse, description = "An existing learner, now (or already) in the class"),
        (status = 202, body = ExistingMemberResponse, description = "An existing learner, invited: not in the class until they accept"),
        (status = 400, description = "Bad details, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a class this account runs"), (status = 404, description = "No such class, or no learner has this username"),
        (status = 409, description = "The username is taken (send the username alone to add that learner), or the class is archived")))]
pub(crate) async fn add_member(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Json<NewMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let member = NewMember {
        username: &body.username,
        full_name: &body.full_name,
        language: &body.language,
        email: &body.email,
    };
    let (_, added) =
        members::add(state.service(), &account, path.into_inner(), member, "en").await?;
    Ok(match added {
        Added::Created(card) => HttpResponse::Created().json(NewMemberResponse {
            id: card.id,
            username: card.username,
            password: card.password,
        }),
        Added::Existing {
            id,
            username,
            outcome,
        } => {
            let (mut response, status) = match outcome {
                Existing::Invited => (HttpResponse::Accepted(), "invited"),
                Existing::Joined | Existing::AlreadyMember => (HttpResponse::Ok(), "member"),
            };
            response.json(ExistingMemberResponse {
                id,
                username,
                status,
            })
        }
    })
}

/// The longest roster one call takes, as its description says.
const MAX_ROSTER_CHARS: usize = 65536;

#[derive(Deserialize, ToSchema)]
pub struct ImportRequest {
    /// The learners, one per line, as copied from a spreadsheet (tabs) or
    /// as CSV (`,` or `;`): `username, full name, language, email`, a
    /// header line optional. At most 500 lines and 65536 characters; at
    /// least one cell with something in it.
    #[serde(default)]
    #[schema(required = true, max_length = 65536, pattern = r#"[^\s,;"]"#)]
    roster: String,
}

#[derive(Serialize, ToSchema)]
pub struct FailedLineItem {
    /// 1-based, in the text sent.
    line: u64,
    /// The line as sent.
    text: String,
    /// What is wrong with it.
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResponse {
    /// The accounts made, each with its first password: shown once.
    created: Vec<NewMemberResponse>,
    /// The lines that made nobody, with why.
    failed: Vec<FailedLineItem>,
    /// The failed lines under the header line, to fix and send again;
    /// empty when every line was used.
    again: String,
}

/// Makes learner accounts in the class from a spreadsheet's lines, as the
/// class's import page does: the good lines become accounts (each with a
/// generated password), each bad line is returned with its reason.
#[utoipa::path(post, path = "/api/v1/classes/{id}/import", params(("id" = i32, Path)), request_body = ImportRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ImportResponse),
        (status = 400, description = "No learner in the text, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a class this account runs"),
        (status = 404, description = "No such class"),
        (status = 409, description = "The class is archived: it takes nobody new until it is brought back")))]
pub(crate) async fn import(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Json<ImportRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.roster.chars().count() > MAX_ROSTER_CHARS {
        return Err(ApiError::BadRequest(format!(
            "The roster is too long: at most {MAX_ROSTER_CHARS} characters. Send the rest in another call."
        )));
    }
    let imported = members::import(
        state.service(),
        &account,
        path.into_inner(),
        &body.roster,
        "en",
    )
    .await?;
    let failed = imported
        .problems
        .into_iter()
        .zip(imported.failed_text)
        .map(|(problem, text)| FailedLineItem {
            line: problem.line,
            text,
            message: problem.message,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ImportResponse {
        created: imported
            .cards
            .into_iter()
            .map(|card| NewMemberResponse {
                id: card.id,
                username: card.username,
                password: card.password,
            })
            .collect(),
        failed,
        again: imported.again,
    }))
}

/// Takes a learner out of the class (its tutor, a coordinator or an
/// admin). Their progress, certificates and register marks stay; their
/// live class streams close.
#[utoipa::path(delete, path = "/api/v1/classes/{id}/members/{user}",
    params(("id" = i32, Path), ("user" = i32, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401),
        (status = 403, description = "Not a class this account runs"),
        (status = 404, description = "No such class, or the learner is not in it")))]
pub(crate) async fn remove_member(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, learner_id) = path.into_inner();
    members::remove(state.service(), &account, class_id, learner_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Makes a new password for a learner of the class (the old one, their
/// printed card and their API tokens stop working). Only for a learner who
/// has joined this class, by its tutor, a coordinator or an admin: an
/// invited learner is not a member yet.
#[utoipa::path(post, path = "/api/v1/classes/{id}/members/{user}/password",
    params(("id" = i32, Path), ("user" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = NewMemberResponse), (status = 401),
        (status = 403, description = "Not a class this account runs, or not a learner's account"),
        (status = 404, description = "No such class, or the learner is not in it")))]
pub(crate) async fn new_password(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, learner_id) = path.into_inner();
    let (_, card) = members::new_password(state.service(), &account, class_id, learner_id).await?;
    Ok(HttpResponse::Ok().json(NewMemberResponse {
        id: card.id,
        username: card.username,
        password: card.password,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewSessionRequest {
    /// What the session is about: 1 to 100 characters, not only spaces.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    title: String,
    /// RFC 3339, e.g. `2026-12-01T10:00:00Z`.
    starts_at: DateTime<Utc>,
    /// 5 to 600.
    #[serde(deserialize_with = "whole_i32")]
    #[schema(format = Int32, minimum = 5, maximum = 600)]
    duration_minutes: i32,
    /// The video service's link: a web address (https://...).
    #[schema(
        pattern = "^[ \\t\\r\\n]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[0-9]{1,4})?([/?#][!-~]*)?[ \\t\\r\\n]*$"
    )]
    meeting_url: String,
}

/// Plans a live session for the class.
#[utoipa::path(post, path = "/api/v1/classes/{id}/sessions", params(("id" = i32, Path)), request_body = NewSessionRequest,
    security(("bearer" = [])),
    responses((status = 201, body = SessionItem),
        (status = 400, description = "A bad title, length or link, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a class this account runs"), (status = 404, description = "No such class")))]
pub(crate) async fn add_session(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Json<NewSessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let session = NewSession::parse(
        &body.title,
        body.starts_at,
        body.duration_minutes.into(),
        &body.meeting_url,
    );
    let session = sessions::add(state.service(), &account, path.into_inner(), session).await?;
    Ok(HttpResponse::Created().json(SessionItem::from(session)))
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceMark {
    /// A member of the class.
    #[serde(deserialize_with = "whole_i32")]
    #[schema(format = Int32)]
    user_id: i32,
    /// present, late or absent.
    #[schema(pattern = "^(present|late|absent)$")]
    status: String,
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceRequest {
    marks: Vec<AttendanceMark>,
}

/// Records the register of a session; a learner marked again gets the new
/// mark. A mark for someone not in the class, or an unknown mark, refuses
/// the whole request (each problem named) and nothing of it is kept: the
/// same as the register page.
#[utoipa::path(put, path = "/api/v1/classes/{id}/sessions/{session}/attendance",
    params(("id" = i32, Path), ("session" = i32, Path)), request_body = AttendanceRequest, security(("bearer" = [])),
    responses((status = 204),
        (status = 400, description = "An unknown mark, or a body that is not valid JSON for this call"),
        (status = 401), (status = 403, description = "Not a class this account runs"),
        (status = 404, description = "No such class, no such session in it, or a mark for someone not in the class")))]
pub(crate) async fn record_attendance(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
    body: web::Json<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, session_id) = path.into_inner();
    let marks: Vec<(i32, &str)> = body
        .marks
        .iter()
        .map(|mark| (mark.user_id, mark.status.as_str()))
        .collect();
    sessions::record_attendance(state.service(), &account, class_id, session_id, &marks).await?;
    Ok(HttpResponse::NoContent().finish())
}
