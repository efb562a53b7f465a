//! Classes in the JSON API: create and list classes, join with a code, add
//! learners, plan live sessions and keep their register. Part of the
//! `/api/v1` contract; the rules are the pages' (see [`super::classes`]).

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::api::ApiUser;
use super::classes::{csv_line, meeting_link, new_class_fields, session_fields};
use super::errors::ApiError;
use super::{AppState, State};
use crate::domain::join_code::JoinCode;
use crate::domain::names::{Role, Username};
use crate::domain::roster;
use crate::i18n::{self, LANGUAGES};
use crate::passwords::readable_password;
use crate::domain::class::Attendance;
use crate::store::classes::{Class, ClassLearnerRefusal, NewSession, Session};
use crate::store::invitations::AddedExisting;
use crate::store::users::{Account, CreateUserError, NewAccount};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes", web::get().to(list))
        .route("/classes", web::post().to(create))
        .route("/classes/join", web::post().to(join))
        .route("/classes/{id}", web::get().to(detail))
        .route("/classes/{id}/members", web::post().to(add_member))
        .route(
            "/classes/{id}/members/{user}/password",
            web::post().to(new_password),
        )
        .route("/classes/{id}/sessions", web::post().to(add_session))
        .route(
            "/classes/{id}/sessions/{session}/attendance",
            web::put().to(record_attendance),
        );
}

fn english(key: &str) -> String {
    i18n::text("en", key)
}

async fn managed(state: &AppState, account: &Account, id: i32) -> Result<Class, ApiError> {
    let class = state
        .store
        .class(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no such class.".into()))?;
    if class.may_manage(account) {
        Ok(class)
    } else {
        Err(ApiError::Forbidden(
            "Only the class's tutor, coordinators and admins may do this.".into(),
        ))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewClassRequest {
    // Missing is the same as empty (a clear 400 after the role check).
    #[serde(default)]
    name: String,
    /// Course slugs, in the order learners should take them.
    #[serde(default)]
    courses: Vec<String>,
    /// hospitality, care, childcare, construction, warehousing, english or
    /// other. Default: the first course's sector, else `other`.
    #[serde(default)]
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
    responses((status = 201, body = NewClassResponse), (status = 400), (status = 401), (status = 403)))]
pub(crate) async fn create(
    state: State,
    ApiUser(account): ApiUser,
    body: web::Json<NewClassRequest>,
) -> Result<HttpResponse, ApiError> {
    if !matches!(account.role, Role::Tutor | Role::Admin) {
        return Err(ApiError::Forbidden(
            "Only tutors and admins make classes.".into(),
        ));
    }
    let sector = body.sector.clone().unwrap_or_else(|| {
        body.courses
            .first()
            .and_then(|slug| state.catalog.get(slug))
            .map_or("other", |p| p.course.settings.sector.as_str())
            .to_string()
    });
    let (name, sector, courses) =
        new_class_fields(&state, &body.name, &sector, &body.courses, "en")
            .map_err(|problems| ApiError::BadRequest(problems.join(" ")))?;
    let class = state
        .store
        .create_class(account.id, &name, &sector, &courses)
        .await?;
    Ok(HttpResponse::Created().json(NewClassResponse {
        id: class.id,
        join_code: class.join_code,
        name: class.name,
        courses: class.courses,
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
}

pub(crate) fn item(class: Class, account: &Account) -> ClassItem {
    let manages = class.may_manage(account);
    ClassItem {
        id: class.id,
        join_code: manages.then_some(class.join_code),
        name: class.name,
        sector: class.sector,
        courses: class.courses,
    }
}

/// The classes the caller teaches (tutor), runs (coordinator, admin) or is
/// in (learner).
#[utoipa::path(get, path = "/api/v1/classes", security(("bearer" = [])),
    responses((status = 200, body = Vec<ClassItem>), (status = 401)))]
pub(crate) async fn list(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let classes = match account.role {
        Role::Tutor => state.store.classes_taught_by(account.id).await?,
        Role::Coordinator | Role::Admin => state.store.all_classes().await?,
        Role::Learner => state.store.classes_joined_by(account.id).await?,
    };
    let items: Vec<ClassItem> = classes.into_iter().map(|c| item(c, &account)).collect();
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Deserialize, ToSchema)]
pub struct JoinRequest {
    /// The class code, any case, with or without the dash.
    #[serde(default)]
    code: String,
}

/// A learner joins a class with its code and is enrolled in its courses.
#[utoipa::path(post, path = "/api/v1/classes/join", request_body = JoinRequest, security(("bearer" = [])),
    responses((status = 200, body = ClassItem), (status = 400, description = "Not a class code"), (status = 404, description = "No class has this code"), (status = 403), (status = 429)))]
pub(crate) async fn join(
    state: State,
    request: HttpRequest,
    ApiUser(account): ApiUser,
    body: web::Json<JoinRequest>,
) -> Result<HttpResponse, ApiError> {
    if account.role != Role::Learner {
        return Err(ApiError::Forbidden("Only learners join classes.".into()));
    }
    state
        .throttles
        .lookups
        .check(state.client_address(&request))?;
    let code = JoinCode::parse(&body.code).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let class = state
        .store
        .class_by_join_code(&code)
        .await?
        .ok_or_else(|| ApiError::NotFound(english("class-join-unknown")))?;
    state.store.join_class(&class, account.id).await?;
    Ok(HttpResponse::Ok().json(item(class, &account)))
}

#[derive(Serialize, ToSchema)]
pub struct Member {
    id: i32,
    username: String,
    full_name: String,
    language: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionItem {
    id: i32,
    title: String,
    starts_at: DateTime<Utc>,
    duration_minutes: i32,
    meeting_url: String,
}

impl From<Session> for SessionItem {
    fn from(s: Session) -> Self {
        SessionItem {
            id: s.id,
            title: s.title,
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

fn member(m: Account) -> Member {
    Member {
        id: m.id,
        username: m.username,
        full_name: m.full_name,
        language: m.language,
    }
}

/// A class: its courses and sessions for its learners; also its code and
/// members for those who run it.
#[utoipa::path(get, path = "/api/v1/classes/{id}", params(("id" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, body = ClassDetail), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn detail(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let class = state
        .store
        .class(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no such class.".into()))?;
    let manages = class.may_manage(&account);
    if !manages && !state.store.is_class_member(id, account.id).await? {
        return Err(ApiError::Forbidden("You are not in this class.".into()));
    }
    let (members, invited) = if manages {
        (
            Some(
                state
                    .store
                    .class_members(id)
                    .await?
                    .into_iter()
                    .map(member)
                    .collect(),
            ),
            Some(
                state
                    .store
                    .invited_to_class(id)
                    .await?
                    .into_iter()
                    .map(|m| InvitedItem {
                        id: m.id,
                        username: m.username,
                    })
                    .collect(),
            ),
        )
    } else {
        (None, None)
    };
    let sessions = state
        .store
        .sessions(id)
        .await?
        .into_iter()
        .map(SessionItem::from)
        .collect();
    Ok(HttpResponse::Ok().json(ClassDetail {
        class: item(class, &account),
        sessions,
        members,
        invited,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMemberRequest {
    #[serde(default)]
    username: String,
    /// For a new account. Leave it out (or empty) to name a learner who
    /// already has an account: a tutor invites them, a coordinator or an
    /// admin puts them in the class.
    #[serde(default)]
    full_name: String,
    /// en, ar, fa or uk. Default en.
    #[serde(default)]
    language: String,
    #[serde(default)]
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
    status: &'static str,
}

/// Makes a learner account in the class, with a generated password; or,
/// with the username alone, names a learner who already has an account.
/// A tutor cannot put someone else's account in a class: the learner is
/// invited (202) and joins only when they accept. Coordinators and admins
/// add them at once (200).
#[utoipa::path(post, path = "/api/v1/classes/{id}/members", params(("id" = i32, Path)), request_body = NewMemberRequest,
    security(("bearer" = [])),
    responses((status = 201, body = NewMemberResponse, description = "A new account, in the class"),
        (status = 200, body = ExistingMemberResponse, description = "An existing learner, now (or already) in the class"),
        (status = 202, body = ExistingMemberResponse, description = "An existing learner, invited: not in the class until they accept"),
        (status = 400, description = "Bad details, or no learner has this username"), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "The username is taken (send the username alone to invite that learner)")))]
pub(crate) async fn add_member(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Json<NewMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let class = managed(&state, &account, path.into_inner()).await?;
    if body.full_name.trim().is_empty() {
        return add_existing(&state, &account, &class, &body.username).await;
    }
    let parsed = roster::parse(
        &csv_line(&[&body.username, &body.full_name, &body.language, &body.email]),
        &LANGUAGES.map(|l| l.code),
        "en",
    );
    let Some(row) = parsed.rows.into_iter().next() else {
        let message = parsed.problems.first().map_or_else(
            || "The learner's details are missing.".into(),
            |p| p.message.clone(),
        );
        return Err(ApiError::BadRequest(message));
    };
    let password = readable_password();
    let hash = hash_off_thread(password.clone()).await?;
    let created = state
        .store
        .create_learner_in_class(
            &class,
            NewAccount {
                username: &row.username,
                full_name: &row.full_name,
                email: row.email.as_deref(),
                role: Role::Learner,
                password_hash: &hash,
                language: row.language,
            },
        )
        .await
        .map_err(|e| match e {
            CreateUserError::UsernameTaken(_) => ApiError::Conflict(format!(
                "{e} To invite the learner who has it, send the username alone."
            )),
            CreateUserError::Store(e) => e.into(),
        })?;
    Ok(HttpResponse::Created().json(NewMemberResponse {
        id: created.id,
        username: created.username,
        password,
    }))
}

/// A learner who already has an account, named by username: the store's
/// rule decides between inviting and adding, as on the class page.
async fn add_existing(
    state: &AppState,
    account: &Account,
    class: &Class,
    username: &str,
) -> Result<HttpResponse, ApiError> {
    let no_learner = || ApiError::BadRequest(english("class-error-no-learner"));
    let name = Username::parse(username).map_err(|_| no_learner())?;
    let (learner, _) = state
        .store
        .credentials(name.as_str())
        .await?
        .ok_or_else(no_learner)?;
    let answer = |status| ExistingMemberResponse {
        id: learner.id,
        username: learner.username.clone(),
        status,
    };
    match state
        .store
        .add_existing_learner(class, account, &learner)
        .await?
    {
        AddedExisting::Joined | AddedExisting::AlreadyMember => {
            Ok(HttpResponse::Ok().json(answer("member")))
        }
        AddedExisting::Invited => Ok(HttpResponse::Accepted().json(answer("invited"))),
        AddedExisting::NotALearner => Err(no_learner()),
    }
}

async fn hash_off_thread(password: String) -> Result<String, ApiError> {
    crate::passwords::hash(password)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
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
    let (_, learner) = state
        .store
        .learner_for_new_password(&account, class_id, learner_id)
        .await?
        .map_err(|refusal| match refusal {
            ClassLearnerRefusal::NoSuchClass => {
                ApiError::NotFound("There is no such class.".into())
            }
            ClassLearnerRefusal::NotInClass => {
                ApiError::NotFound("This learner is not in this class.".into())
            }
            ClassLearnerRefusal::NotYourClass => ApiError::Forbidden(
                "Only the class's tutor, coordinators and admins may do this.".into(),
            ),
            ClassLearnerRefusal::NotALearner => {
                ApiError::Forbidden("Only a learner's password is made here.".into())
            }
        })?;
    let password = readable_password();
    let hash = hash_off_thread(password.clone()).await?;
    state.store.set_password_hash(learner.id, &hash).await?;
    tracing::info!(
        learner = learner.username,
        by = account.username,
        "password reset by tutor (API)"
    );
    Ok(HttpResponse::Ok().json(NewMemberResponse {
        id: learner.id,
        username: learner.username,
        password,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewSessionRequest {
    title: String,
    /// RFC 3339, e.g. `2026-12-01T10:00:00Z`.
    starts_at: DateTime<Utc>,
    duration_minutes: i32,
    /// The video service's link (https://...).
    meeting_url: String,
}

/// Plans a live session for the class.
#[utoipa::path(post, path = "/api/v1/classes/{id}/sessions", params(("id" = i32, Path)), request_body = NewSessionRequest,
    security(("bearer" = [])),
    responses((status = 201, body = SessionItem), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn add_session(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
    body: web::Json<NewSessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let class = managed(&state, &account, path.into_inner()).await?;
    let bad = |key: &str| ApiError::BadRequest(english(key));
    let (title, duration_minutes) =
        session_fields(&body.title, &body.duration_minutes.to_string()).map_err(bad)?;
    let meeting_url = meeting_link(&body.meeting_url).map_err(bad)?;
    let session = state
        .store
        .add_session(
            class.id,
            NewSession {
                title,
                starts_at: body.starts_at,
                duration_minutes,
                meeting_url: &meeting_url,
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(SessionItem::from(session)))
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceMark {
    user_id: i32,
    /// present, late or absent.
    status: String,
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceRequest {
    marks: Vec<AttendanceMark>,
}

/// Records the register of a session; a learner marked again gets the new
/// mark.
#[utoipa::path(put, path = "/api/v1/classes/{id}/sessions/{session}/attendance",
    params(("id" = i32, Path), ("session" = i32, Path)), request_body = AttendanceRequest, security(("bearer" = [])),
    responses((status = 204), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn record_attendance(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<(i32, i32)>,
    body: web::Json<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (class_id, session_id) = path.into_inner();
    let class = managed(&state, &account, class_id).await?;
    let session = state
        .store
        .session(session_id)
        .await?
        .filter(|s| s.class_id == class.id)
        .ok_or_else(|| ApiError::NotFound("This class has no such session.".into()))?;
    let members: HashSet<i32> = state
        .store
        .class_members(class.id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let mut marks = Vec::with_capacity(body.marks.len());
    for mark in &body.marks {
        let status = Attendance::parse(&mark.status).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "status must be present, late or absent (not {:?})",
                mark.status
            ))
        })?;
        if !members.contains(&mark.user_id) {
            return Err(ApiError::BadRequest(format!(
                "user {} is not in this class",
                mark.user_id
            )));
        }
        marks.push((mark.user_id, status));
    }
    state.store.record_attendance(session.id, &marks).await?;
    Ok(HttpResponse::NoContent().finish())
}
