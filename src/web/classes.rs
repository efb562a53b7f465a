//! Classes on the web: a tutor creates a class with its courses and gets a
//! join code; adds new learners one by one or from a spreadsheet (with
//! printed login cards) and invites existing ones; makes a member a new
//! password; schedules live sessions with a meeting link and keeps the
//! attendance register. Learners join with the code (or accept an
//! invitation, see [`super::invitations`]) and see their next session on
//! the home page.
//!
//! Who may do what: tutors and admins create classes; a class is run by
//! its tutor, coordinators and admins (`Class::may_manage`); its learners
//! see it; everyone else is refused. A tutor cannot put an existing account
//! in a class (`Class::may_add_existing_directly`), and a new password is
//! only for a member of the class (`Store::learner_for_new_password`).
//! A new password and deleting a session ask first ([`super::confirm`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

use super::confirm::{Confirm, ConfirmForm, confirm_page};
use super::errors::PageError;
use super::learn::see_other;
use super::session::{SignedIn, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::course::Sector;
use crate::domain::join_code::JoinCode;
use crate::domain::names::{Role, Username};
use crate::domain::roster::{self, RosterProblem, RosterRow};
use crate::i18n::{self, LANGUAGES};
use crate::passwords::readable_password;
use crate::domain::class::Attendance;
use crate::store::classes::{Class, ClassLearnerRefusal, NewSession, Session};
use crate::store::invitations::AddedExisting;
use crate::store::users::{Account, CreateUserError, NewAccount};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes", web::get().to(list))
        .route("/classes", web::post().to(create))
        .route("/classes/new", web::get().to(new_form))
        .route("/classes/{id}", web::get().to(class_page))
        .route("/classes/{id}/members", web::post().to(add_member))
        .route("/classes/{id}/import", web::get().to(import_form))
        .route("/classes/{id}/import", web::post().to(import))
        .route(
            "/classes/{id}/members/{user}/password",
            web::get().to(confirm_reset_password),
        )
        .route(
            "/classes/{id}/members/{user}/password",
            web::post().to(reset_password),
        )
        .route("/classes/{id}/sessions", web::post().to(add_session))
        .route(
            "/classes/{id}/sessions/{session}",
            web::get().to(register_page),
        )
        .route(
            "/classes/{id}/sessions/{session}",
            web::post().to(save_register),
        )
        .route(
            "/classes/{id}/sessions/{session}/delete",
            web::get().to(confirm_delete_session),
        )
        .route(
            "/classes/{id}/sessions/{session}/delete",
            web::post().to(delete_session),
        )
        .route("/join", web::get().to(join_form))
        .route("/join", web::post().to(join));
}

/// Roles that create classes.
const CREATORS: &[Role] = &[Role::Tutor, Role::Admin];
const NAME_MAX_CHARS: usize = 100;

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The class in the path, if this person may run it.
async fn managed_class(state: &AppState, account: &Account, id: i32) -> Result<Class, PageError> {
    let class = state.store.class(id).await?.ok_or(PageError::NotFound)?;
    if class.may_manage(account) {
        Ok(class)
    } else {
        Err(PageError::Forbidden)
    }
}

#[derive(Serialize)]
struct CourseChoice {
    slug: String,
    title: String,
    sector: &'static str,
    chosen: bool,
}

fn course_choices(state: &AppState, chosen: &[String]) -> Vec<CourseChoice> {
    state
        .catalog
        .snapshot()
        .values()
        .map(|published| {
            let settings = &published.course.settings;
            CourseChoice {
                slug: published.course.slug.clone(),
                title: settings.title.clone(),
                sector: settings.sector.as_str(),
                chosen: chosen.contains(&published.course.slug),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct CourseLink {
    slug: String,
    title: String,
    published: bool,
}

fn course_links(state: &AppState, class: &Class) -> Vec<CourseLink> {
    class
        .courses
        .iter()
        .map(|slug| match state.catalog.get(slug) {
            Some(published) => CourseLink {
                slug: slug.clone(),
                title: published.course.settings.title.clone(),
                published: true,
            },
            None => CourseLink {
                slug: slug.clone(),
                title: slug.clone(),
                published: false,
            },
        })
        .collect()
}

#[derive(Serialize)]
struct ClassCard {
    id: i32,
    name: String,
    sector: String,
    join_code: String,
    members: u64,
    courses: Vec<CourseLink>,
}

/// The classes this person teaches, runs or is in.
async fn list(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    let account = &user.account;
    let classes = match account.role {
        Role::Tutor => state.store.classes_taught_by(account.id).await?,
        Role::Coordinator | Role::Admin => state.store.all_classes().await?,
        Role::Learner => state.store.classes_joined_by(account.id).await?,
    };
    let mut cards = Vec::with_capacity(classes.len());
    for class in &classes {
        let manages = class.may_manage(account);
        cards.push(ClassCard {
            id: class.id,
            name: class.name.clone(),
            sector: class.sector.clone(),
            // Only those who run a class hand out its code.
            join_code: if manages {
                class.join_code.clone()
            } else {
                String::new()
            },
            members: if manages {
                state.store.count_class_members(class.id).await?
            } else {
                0
            },
            courses: course_links(&state, class),
        });
    }
    let mut context = page_context(user.language, Some(account), &user.session);
    context.insert("classes", &cards);
    context.insert("may_create", &CREATORS.contains(&account.role));
    render_page(&state, "classes.html", &context)
}

async fn new_form(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    user.require(CREATORS)?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("courses", &course_choices(&state, &[]));
    context.insert("sectors", &sector_codes());
    context.insert("name", "");
    context.insert("sector", "");
    render_page(&state, "class_new.html", &context)
}

fn sector_codes() -> Vec<&'static str> {
    Sector::ALL.iter().map(|s| s.as_str()).collect()
}

/// A new class from the form: checked, or the problems in words.
pub(crate) fn new_class_fields(
    state: &AppState,
    name: &str,
    sector: &str,
    courses: &[String],
    lang: &str,
) -> Result<(String, String, Vec<String>), Vec<String>> {
    let mut problems = Vec::new();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        problems.push(i18n::text(lang, "class-error-name"));
    }
    let sector = sector.trim();
    if !sector_codes().contains(&sector) {
        problems.push(i18n::text(lang, "class-error-sector"));
    }
    let mut unique = Vec::new();
    for slug in courses {
        if state.catalog.get(slug).is_none() {
            problems.push(format!("{} {slug}", i18n::text(lang, "class-error-course")));
        } else if !unique.contains(slug) {
            unique.push(slug.clone());
        }
    }
    if problems.is_empty() {
        Ok((name, sector.to_string(), unique))
    } else {
        Err(problems)
    }
}

async fn create(
    state: State,
    user: SignedIn,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    user.require(CREATORS)?;
    let chosen: Vec<String> = form
        .iter()
        .filter(|(n, _)| n == "course")
        .map(|(_, v)| v.clone())
        .collect();
    let (name, sector) = (field(&form, "name"), field(&form, "sector"));
    match new_class_fields(&state, name, sector, &chosen, user.language.code) {
        Ok((name, sector, courses)) => {
            let class = state
                .store
                .create_class(user.account.id, &name, &sector, &courses)
                .await?;
            Ok(see_other(format!("/classes/{}", class.id)))
        }
        Err(problems) => {
            let mut context = page_context(user.language, Some(&user.account), &user.session);
            context.insert("errors", &problems);
            context.insert("courses", &course_choices(&state, &chosen));
            context.insert("sectors", &sector_codes());
            context.insert("name", name);
            context.insert("sector", sector);
            let mut response = render_page(&state, "class_new.html", &context)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
    }
}

/// A session as pages show it, in the organisation's time zone.
#[derive(Serialize)]
pub(crate) struct SessionView {
    id: i32,
    class_id: i32,
    class_name: String,
    title: String,
    /// e.g. "2026-11-30 10:00 GMT".
    when: String,
    /// For `<time datetime>`.
    starts_at: String,
    duration_minutes: i32,
    meeting_url: String,
    past: bool,
}

fn session_view(state: &AppState, class_name: &str, session: &Session) -> SessionView {
    let zone = state.settings.time_zone();
    let local = session.starts_at.with_timezone(&zone);
    let end = session.starts_at + chrono::Duration::minutes(session.duration_minutes.into());
    SessionView {
        id: session.id,
        class_id: session.class_id,
        class_name: class_name.to_string(),
        title: session.title.clone(),
        when: local.format("%Y-%m-%d %H:%M %Z").to_string(),
        starts_at: session.starts_at.to_rfc3339(),
        duration_minutes: session.duration_minutes,
        meeting_url: session.meeting_url.clone(),
        past: end < Utc::now(),
    }
}

/// The learner's coming live sessions, for their home page.
pub(crate) async fn upcoming_for(
    state: &AppState,
    account: &Account,
) -> Result<Vec<SessionView>, PageError> {
    let sessions = state
        .store
        .upcoming_sessions_for(account.id, Utc::now(), 3)
        .await?;
    Ok(sessions
        .iter()
        .map(|(class_name, session)| session_view(state, class_name, session))
        .collect())
}

#[derive(Serialize)]
struct MemberView {
    id: i32,
    username: String,
    full_name: String,
    language: String,
    has_email: bool,
}

#[derive(Serialize)]
struct InvitedView {
    id: i32,
    username: String,
}

#[derive(Deserialize)]
struct ClassPageQuery {
    /// Set after inviting someone: their account id.
    #[serde(default)]
    invited: Option<i32>,
}

async fn class_page(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    query: web::Query<ClassPageQuery>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let account = &user.account;
    let class = state.store.class(id).await?.ok_or(PageError::NotFound)?;
    let manages = class.may_manage(account);
    if !manages && !state.store.is_class_member(id, account.id).await? {
        return Err(PageError::Forbidden);
    }
    let sessions: Vec<SessionView> = state
        .store
        .sessions(id)
        .await?
        .iter()
        .map(|s| session_view(&state, &class.name, s))
        .collect();
    let mut context = page_context(user.language, Some(account), &user.session);
    context.insert("class", &class);
    context.insert("courses", &course_links(&state, &class));
    context.insert("sessions", &sessions);
    context.insert("manages", &manages);
    if manages {
        let members: Vec<MemberView> = state
            .store
            .class_members(id)
            .await?
            .into_iter()
            .map(|m| MemberView {
                id: m.id,
                username: m.username,
                full_name: m.full_name,
                language: m.language,
                has_email: m.email.is_some(),
            })
            .collect();
        context.insert("members", &members);
        // Those invited, by the username the tutor typed and nothing more:
        // their name is theirs to show once they accept.
        let invited: Vec<InvitedView> = state
            .store
            .invited_to_class(id)
            .await?
            .into_iter()
            .map(|m| InvitedView {
                id: m.id,
                username: m.username,
            })
            .collect();
        // After inviting: who was just invited, to say so.
        let just_invited = query
            .invited
            .and_then(|id| invited.iter().find(|m| m.id == id))
            .map(|m| m.username.clone());
        context.insert("just_invited", &just_invited);
        context.insert("invited", &invited);
        context.insert("invites", &!class.may_add_existing_directly(account));
        context.insert("languages", &LANGUAGES);
        context.insert("time_zone", &state.settings.timezone);
        context.insert(
            "today",
            &Utc::now()
                .with_timezone(&state.settings.time_zone())
                .format("%Y-%m-%d")
                .to_string(),
        );
    }
    render_page(&state, "class.html", &context)
}

/// Someone to put on a login card: shown once, never stored in clear.
#[derive(Serialize)]
struct LoginCard {
    full_name: String,
    username: String,
    password: String,
}

fn login_cards_page(
    state: &AppState,
    user: &SignedIn,
    class: &Class,
    cards: &[LoginCard],
    problems: &[RosterProblem],
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", class);
    context.insert("cards", cards);
    context.insert(
        "problems",
        &problems
            .iter()
            .map(|p| serde_json::json!({"line": p.line, "message": p.message}))
            .collect::<Vec<_>>(),
    );
    context.insert("site", &state.settings.public_url());
    render_page(state, "login_cards.html", &context)
}

/// Hashes the generated passwords one after another through the server's
/// hasher: argon2 is slow and large on purpose, and a roster may have
/// hundreds of lines.
async fn hashed(passwords: Vec<String>) -> Result<Vec<String>, PageError> {
    Ok(crate::passwords::hash_each(passwords)
        .await
        .map_err(anyhow::Error::new)?)
}

/// Creates each learner with a fresh password and puts them in the class:
/// the cards for those created, and a problem per line that failed.
async fn create_learners(
    state: &AppState,
    class: &Class,
    rows: Vec<RosterRow>,
) -> Result<(Vec<LoginCard>, Vec<RosterProblem>), PageError> {
    let passwords: Vec<String> = rows.iter().map(|_| readable_password()).collect();
    let hashes = hashed(passwords.clone()).await?;
    let mut cards = Vec::new();
    let mut problems = Vec::new();
    for ((row, password), hash) in rows.into_iter().zip(passwords).zip(hashes) {
        let created = state
            .store
            .create_learner_in_class(
                class,
                NewAccount {
                    username: &row.username,
                    full_name: &row.full_name,
                    email: row.email.as_deref(),
                    role: Role::Learner,
                    password_hash: &hash,
                    language: row.language,
                },
            )
            .await;
        match created {
            Ok(account) => cards.push(LoginCard {
                full_name: account.full_name,
                username: account.username,
                password,
            }),
            Err(CreateUserError::UsernameTaken(name)) => problems.push(RosterProblem {
                line: row.line,
                message: format!("The username \"{name}\" is taken. Choose another."),
            }),
            Err(CreateUserError::Store(e)) => return Err(e.into()),
        }
    }
    Ok((cards, problems))
}

/// Adds one learner: a new account (with a login card), or, when only a
/// username is given, an existing learner: invited by a tutor (they accept
/// on their home page), put straight in by a coordinator or an admin.
async fn add_member(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class = managed_class(&state, &user.account, path.into_inner()).await?;
    let lang = user.language.code;
    let username = field(&form, "username");
    let full_name = field(&form, "full_name");
    if full_name.trim().is_empty() {
        // An existing learner, by username.
        let found = match Username::parse(username) {
            Ok(name) => state.store.credentials(name.as_str()).await?,
            Err(_) => None,
        };
        let no_learner = || PageError::bad_request(i18n::text(lang, "class-error-no-learner"));
        let (learner, _) = found.ok_or_else(no_learner)?;
        // A tutor invites; the learner says yes on their home page.
        return match state
            .store
            .add_existing_learner(&class, &user.account, &learner)
            .await?
        {
            AddedExisting::Joined | AddedExisting::AlreadyMember => {
                Ok(see_other(format!("/classes/{}#members", class.id)))
            }
            AddedExisting::Invited => Ok(see_other(format!(
                "/classes/{}?invited={}#invited",
                class.id, learner.id
            ))),
            AddedExisting::NotALearner => Err(no_learner()),
        };
    }
    let language = field(&form, "language");
    let roster = roster::parse(
        &csv_line(&[username, full_name, language, field(&form, "email")]),
        &LANGUAGES.map(|l| l.code),
        lang_or_default(lang),
    );
    if let Some(problem) = roster.problems.first() {
        return Err(PageError::bad_request(problem.message.clone()));
    }
    let (cards, problems) = create_learners(&state, &class, roster.rows).await?;
    if let Some(problem) = problems.first() {
        return Err(PageError::bad_request(problem.message.clone()));
    }
    login_cards_page(&state, &user, &class, &cards, &[])
}

/// One CSV line from form fields, quoted, so the roster rules apply to a
/// learner added by hand exactly as to one imported.
pub(crate) fn csv_line(cells: &[&str]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(cells);
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

fn lang_or_default(code: &str) -> &'static str {
    i18n::language(code).map_or(i18n::DEFAULT_LANGUAGE.code, |l| l.code)
}

async fn import_form(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let class = managed_class(&state, &user.account, path.into_inner()).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", &class);
    context.insert("roster", "");
    render_page(&state, "class_import.html", &context)
}

#[derive(Deserialize)]
struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    roster: String,
}

/// Creates the learners of a pasted spreadsheet: the good lines become
/// accounts in the class, each bad line is reported by its number.
async fn import(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    let class = managed_class(&state, &user.account, path.into_inner()).await?;
    let roster = roster::parse(
        &form.roster,
        &LANGUAGES.map(|l| l.code),
        lang_or_default(user.language.code),
    );
    if roster.rows.is_empty() && roster.problems.is_empty() {
        return Err(PageError::bad_request(i18n::text(
            user.language.code,
            "class-import-empty",
        )));
    }
    let mut problems = roster.problems;
    let (cards, more) = create_learners(&state, &class, roster.rows).await?;
    problems.extend(more);
    problems.sort_by_key(|p| p.line);
    login_cards_page(&state, &user, &class, &cards, &problems)
}

/// The learner whose password this person may set through this class, or
/// why not (the rule is the store's, shared with the API).
async fn learner_for_new_password(
    state: &AppState,
    user: &SignedIn,
    class_id: i32,
    learner_id: i32,
) -> Result<(Class, Account), PageError> {
    state
        .store
        .learner_for_new_password(&user.account, class_id, learner_id)
        .await?
        .map_err(|refusal| match refusal {
            ClassLearnerRefusal::NoSuchClass | ClassLearnerRefusal::NotInClass => {
                PageError::NotFound
            }
            ClassLearnerRefusal::NotYourClass | ClassLearnerRefusal::NotALearner => {
                PageError::Forbidden
            }
        })
}

fn name_arg(name: &str) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    HashMap::from([(Cow::Borrowed("name"), FluentValue::from(name.to_string()))])
}

/// "Make a new password for Amina? Her printed card will stop working."
async fn confirm_reset_password(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, learner_id) = path.into_inner();
    let (class, learner) = learner_for_new_password(&state, &user, class_id, learner_id).await?;
    let lang = user.language.code;
    let name = name_arg(&learner.full_name);
    confirm_page(
        &state,
        &user,
        &Confirm {
            heading: i18n::text_with(lang, "class-password-confirm-title", &name),
            warning: i18n::text_with(lang, "class-password-confirm-warning", &name),
            button: i18n::text(lang, "class-password-confirm-button"),
            action: format!("/classes/{}/members/{}/password", class.id, learner.id),
            cancel: format!("/classes/{}#members", class.id),
            fields: &[],
        },
    )
}

/// Makes the learner a new password and shows it on a login card. Only
/// from the confirmation page: a post without `confirm=yes` (an old page,
/// a stray tap) is sent there first.
async fn reset_password(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, form.token())?;
    let (class_id, learner_id) = path.into_inner();
    let (class, learner) = learner_for_new_password(&state, &user, class_id, learner_id).await?;
    if !form.confirmed() {
        return Ok(see_other(format!(
            "/classes/{}/members/{}/password",
            class.id, learner.id
        )));
    }
    let password = readable_password();
    let hash = hashed(vec![password.clone()])
        .await?
        .pop()
        .ok_or_else(|| PageError::Internal(anyhow::anyhow!("no hash")))?;
    state.store.set_password_hash(learner.id, &hash).await?;
    tracing::info!(
        learner = learner.username,
        by = user.account.username,
        "password reset by tutor"
    );
    let card = LoginCard {
        full_name: learner.full_name,
        username: learner.username,
        password,
    };
    login_cards_page(&state, &user, &class, &[card], &[])
}

/// A session's start from the form's local date and time, in the
/// organisation's time zone.
pub(crate) fn local_start(
    zone: chrono_tz::Tz,
    date: &str,
    time: &str,
) -> Result<DateTime<Utc>, &'static str> {
    let date =
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| "class-error-date")?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| "class-error-time")?;
    zone.from_local_datetime(&NaiveDateTime::new(date, time))
        // In the hour the clocks go back, the first of the two times.
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        // In the hour the clocks go forward, the time does not exist.
        .ok_or("class-error-time")
}

/// A meeting link: a web address (the video service's), nothing else.
pub(crate) fn meeting_link(text: &str) -> Result<String, &'static str> {
    let url = url::Url::parse(text.trim()).map_err(|_| "class-error-link")?;
    if matches!(url.scheme(), "https" | "http") && url.host().is_some() {
        Ok(url.to_string())
    } else {
        Err("class-error-link")
    }
}

pub(crate) fn session_fields<'a>(
    title: &'a str,
    duration: &str,
) -> Result<(&'a str, i32), &'static str> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > NAME_MAX_CHARS {
        return Err("class-error-session-title");
    }
    match duration.trim().parse::<i32>() {
        Ok(minutes) if (5..=600).contains(&minutes) => Ok((title, minutes)),
        _ => Err("class-error-duration"),
    }
}

async fn add_session(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class = managed_class(&state, &user.account, path.into_inner()).await?;
    let lang = user.language.code;
    let bad = |key: &str| PageError::bad_request(i18n::text(lang, key));
    let (title, duration_minutes) =
        session_fields(field(&form, "title"), field(&form, "duration")).map_err(bad)?;
    let starts_at = local_start(
        state.settings.time_zone(),
        field(&form, "date"),
        field(&form, "time"),
    )
    .map_err(bad)?;
    let meeting_url = meeting_link(field(&form, "meeting_url")).map_err(bad)?;
    state
        .store
        .add_session(
            class.id,
            NewSession {
                title,
                starts_at,
                duration_minutes,
                meeting_url: &meeting_url,
            },
        )
        .await?;
    Ok(see_other(format!("/classes/{}#sessions", class.id)))
}

/// The session in the path, if it belongs to the class in the path.
async fn class_session(
    state: &AppState,
    class: &Class,
    session_id: i32,
) -> Result<Session, PageError> {
    state
        .store
        .session(session_id)
        .await?
        .filter(|s| s.class_id == class.id)
        .ok_or(PageError::NotFound)
}

/// "Delete the session? Its register goes too."
async fn confirm_delete_session(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, session_id) = path.into_inner();
    let class = managed_class(&state, &user.account, class_id).await?;
    let session = class_session(&state, &class, session_id).await?;
    let view = session_view(&state, &class.name, &session);
    let lang = user.language.code;
    let args = HashMap::from([
        (
            Cow::Borrowed("title"),
            FluentValue::from(view.title.clone()),
        ),
        (Cow::Borrowed("when"), FluentValue::from(view.when.clone())),
    ]);
    confirm_page(
        &state,
        &user,
        &Confirm {
            heading: i18n::text_with(lang, "class-session-delete-title", &args),
            warning: i18n::text_with(lang, "class-session-delete-warning", &args),
            button: i18n::text(lang, "class-session-delete-button"),
            action: format!("/classes/{}/sessions/{}/delete", class.id, session.id),
            cancel: format!("/classes/{}#sessions", class.id),
            fields: &[],
        },
    )
}

/// Deletes a session and its register: only from the confirmation page.
async fn delete_session(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, form.token())?;
    let (class_id, session_id) = path.into_inner();
    let class = managed_class(&state, &user.account, class_id).await?;
    let session = class_session(&state, &class, session_id).await?;
    if !form.confirmed() {
        return Ok(see_other(format!(
            "/classes/{}/sessions/{}/delete",
            class.id, session.id
        )));
    }
    state.store.delete_session(session.id).await?;
    Ok(see_other(format!("/classes/{}#sessions", class.id)))
}

#[derive(Serialize)]
struct RegisterLine {
    id: i32,
    full_name: String,
    username: String,
    status: Option<&'static str>,
}

#[derive(Deserialize)]
struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The attendance register of one session: a line per learner with three
/// big choices, made for a phone held during the session.
async fn register_page(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, PageError> {
    let (class_id, session_id) = path.into_inner();
    let class = managed_class(&state, &user.account, class_id).await?;
    let session = class_session(&state, &class, session_id).await?;
    let marks = state.store.attendance(session.id).await?;
    let lines: Vec<RegisterLine> = state
        .store
        .class_members(class.id)
        .await?
        .into_iter()
        .map(|m| RegisterLine {
            status: marks.get(&m.id).map(|a| a.as_str()),
            id: m.id,
            full_name: m.full_name,
            username: m.username,
        })
        .collect();
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", &class);
    context.insert("session", &session_view(&state, &class.name, &session));
    context.insert("lines", &lines);
    context.insert("statuses", &Attendance::ALL.map(|a| a.as_str()));
    context.insert("saved", &query.saved.is_some());
    render_page(&state, "class_register.html", &context)
}

async fn save_register(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let (class_id, session_id) = path.into_inner();
    let class = managed_class(&state, &user.account, class_id).await?;
    let session = class_session(&state, &class, session_id).await?;
    let members: HashSet<i32> = state
        .store
        .class_members(class.id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let mut marks = Vec::new();
    for (name, value) in form.iter() {
        let Some(id) = name
            .strip_prefix("u:")
            .and_then(|id| id.parse::<i32>().ok())
        else {
            continue;
        };
        let status = Attendance::parse(value)
            .ok_or_else(|| PageError::bad_request(format!("Unknown attendance mark: {value}")))?;
        // Only this class's learners are on its register.
        if members.contains(&id) {
            marks.push((id, status));
        }
    }
    state.store.record_attendance(session.id, &marks).await?;
    Ok(see_other(format!(
        "/classes/{}/sessions/{}?saved=1",
        class.id, session.id
    )))
}

async fn join_form(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("code", "");
    render_page(&state, "class_join.html", &context)
}

#[derive(Deserialize)]
struct JoinForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// A learner joins a class with the code the tutor gave.
async fn join(
    state: State,
    user: SignedIn,
    request: HttpRequest,
    form: web::Form<JoinForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    user.require(&[Role::Learner])?;
    // Codes are short: slow down anyone trying them one after another.
    state
        .throttles
        .lookups
        .check(state.client_address(&request))?;
    let class = match JoinCode::parse(&form.code) {
        Ok(code) => state.store.class_by_join_code(&code).await?,
        Err(_) => None,
    };
    match class {
        Some(class) => {
            state.store.join_class(&class, user.account.id).await?;
            Ok(see_other(format!("/classes/{}", class.id)))
        }
        None => {
            let mut context = page_context(user.language, Some(&user.account), &user.session);
            context.insert("code", &form.code);
            context.insert(
                "errors",
                &[i18n::text(user.language.code, "class-join-unknown")],
            );
            let mut response = render_page(&state, "class_join.html", &context)?;
            *response.status_mut() = actix_web::http::StatusCode::NOT_FOUND;
            Ok(response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_times_are_read_in_the_organisation_time_zone() {
        let london = chrono_tz::Europe::London;
        // Winter: London is on UTC.
        assert_eq!(
            local_start(london, "2026-12-01", "10:00")
                .unwrap()
                .to_rfc3339(),
            "2026-12-01T10:00:00+00:00"
        );
        // Summer: an hour ahead of UTC.
        assert_eq!(
            local_start(london, "2027-06-01", "10:00")
                .unwrap()
                .to_rfc3339(),
            "2027-06-01T09:00:00+00:00"
        );
        // 01:30 on the night the clocks go forward does not exist.
        assert_eq!(
            local_start(london, "2027-03-28", "01:30"),
            Err("class-error-time")
        );
        assert_eq!(
            local_start(london, "1 Dec", "10:00"),
            Err("class-error-date")
        );
        assert_eq!(
            local_start(london, "2026-12-01", "25:00"),
            Err("class-error-time")
        );
    }

    #[test]
    fn meeting_links_are_web_addresses() {
        assert!(meeting_link("https://meet.example.org/abc-defg").is_ok());
        assert!(meeting_link(" http://zoom.example/j/123 ").is_ok());
        for bad in ["javascript:alert(1)", "meet.example.org", "", "ftp://x.org"] {
            assert_eq!(meeting_link(bad), Err("class-error-link"), "{bad}");
        }
    }
}
