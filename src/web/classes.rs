//! Classes on the web: a tutor creates a class with its courses and gets a
//! join code; adds new learners one by one or from a spreadsheet (with
//! printed login cards) and invites existing ones; makes a member a new
//! password; schedules live sessions with a meeting link and keeps the
//! attendance register. Learners join with the code (or accept an
//! invitation, see [`super::invitations`]) and see their next session on
//! the home page.
//!
//! Each handler reads the form, calls one function of
//! [`crate::service::classes`] (where the rules are, shared with the API)
//! and renders the result. A new password and deleting a session ask
//! first ([`super::confirm`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use chrono::Utc;
use fluent_templates::fluent_bundle::FluentValue;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::confirm::{Confirm, ConfirmForm, confirm_page};
use super::errors::PageError;
use super::login_cards::{self, CardView, CardsPage, FailedLine};
use super::redirect::see_other;
use super::session::{SignedIn, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::catalog;
use crate::domain::class::{Attendance, NewSession};
use crate::domain::roster_file;
use crate::i18n::{self, LANGUAGES};
use crate::service::classes::members::{self, Added, Existing, NewMember};
use crate::service::classes::sessions::{self, SessionInfo};
use crate::service::classes::{self as service, ClassSummary, NewClass};
use crate::service::{Message, ServiceError};
use crate::store::users::Account;

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

/// A form field's value, empty when it was not sent.
pub(crate) fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

#[derive(Serialize)]
struct CourseChoice {
    slug: String,
    title: String,
    sector: String,
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
                sector: settings.sector.as_str().to_string(),
                chosen: chosen.contains(&published.course.slug),
            }
        })
        .collect()
}

/// The classes this person teaches, runs or is in.
async fn list(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    let account = &user.account;
    let classes = service::list(state.service(), account).await?;
    let mut context = page_context(user.language, Some(account), &user.session);
    context.insert(
        "sector_names",
        &sector_names(
            &state,
            user.language.code,
            classes.iter().map(|c| c.class.sector.as_str()),
        ),
    );
    context.insert("classes", &classes);
    context.insert("may_create", &service::check_may_create(account).is_ok());
    render_page(&state, "classes.html", &context)
}

async fn new_form(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    service::check_may_create(&user.account)?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("courses", &course_choices(&state, &[]));
    context.insert("sectors", &sector_choices(&state, user.language.code));
    context.insert("name", "");
    context.insert("sector", "");
    render_page(&state, "class_new.html", &context)
}

/// The sectors to choose from, in list order: (id, name in `lang`).
fn sector_choices(state: &AppState, lang: &str) -> Vec<(String, String)> {
    let sectors = state.catalog.sectors();
    sectors
        .ids()
        .map(|id| (id.to_string(), catalog::sector_name(&sectors, id, lang)))
        .collect()
}

/// Names in `lang` for every known sector and these ids (a class may be in
/// a sector since removed from sectors.toml: it shows its id).
fn sector_names<'a>(
    state: &AppState,
    lang: &str,
    ids: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    let sectors = state.catalog.sectors();
    let mut names: BTreeMap<String, String> = ids
        .map(|id| (id.to_string(), catalog::sector_name(&sectors, id, lang)))
        .collect();
    for id in sectors.ids() {
        names.insert(id.to_string(), catalog::sector_name(&sectors, id, lang));
    }
    names
}

async fn create(
    state: State,
    user: SignedIn,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let chosen: Vec<String> = form
        .iter()
        .filter(|(n, _)| n == "course")
        .map(|(_, v)| v.clone())
        .collect();
    let (name, sector) = (field(&form, "name"), field(&form, "sector"));
    let new = NewClass {
        name,
        sector: Some(sector),
        courses: &chosen,
    };
    match service::create(state.service(), &user.account, new).await {
        Ok(class) => Ok(see_other(&format!("/classes/{}", class.id))),
        Err(ServiceError::Invalid(problems)) => {
            let lang = user.language.code;
            let problems: Vec<String> = problems.iter().map(|m| m.in_language(lang)).collect();
            let mut context = page_context(user.language, Some(&user.account), &user.session);
            context.insert("errors", &problems);
            context.insert("courses", &course_choices(&state, &chosen));
            context.insert("sectors", &sector_choices(&state, lang));
            context.insert("name", name);
            context.insert("sector", sector);
            let mut response = render_page(&state, "class_new.html", &context)?;
            *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(e.into()),
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
    /// From half an hour before it starts until it ends: the tutor may
    /// start it live.
    startable: bool,
}

/// A session's title as a page shows it: an unscheduled live class's
/// session has none of its own, and is called a live class in the
/// viewer's language.
pub(crate) fn session_title(session: &SessionInfo, lang: &str) -> String {
    if session.untitled() {
        i18n::text(lang, "live-unscheduled-session")
    } else {
        session.title.clone()
    }
}

fn session_view(
    state: &AppState,
    lang: &str,
    class_name: &str,
    session: &SessionInfo,
) -> SessionView {
    let zone = state.settings.time_zone();
    let local = session.starts_at.with_timezone(&zone);
    SessionView {
        id: session.id,
        class_id: session.class_id,
        class_name: class_name.to_string(),
        title: session_title(session, lang),
        when: super::when::session_start(
            lang,
            local.naive_local(),
            Utc::now().with_timezone(&zone).date_naive(),
        ),
        starts_at: session.starts_at.to_rfc3339(),
        duration_minutes: session.duration_minutes,
        meeting_url: session.meeting_url.clone(),
        past: session.ends_at() < Utc::now(),
        startable: session.starts_at - chrono::Duration::minutes(30) <= Utc::now()
            && Utc::now() < session.ends_at(),
    }
}

/// The learner's coming live sessions, for their home page.
pub(crate) async fn upcoming_for(
    state: &AppState,
    lang: &str,
    account: &Account,
) -> Result<Vec<SessionView>, PageError> {
    Ok(sessions::upcoming(state.service(), account)
        .await?
        .iter()
        .map(|u| session_view(state, lang, &u.class_name, &u.session))
        .collect())
}

#[derive(Deserialize)]
struct ClassPageQuery {
    /// Set after inviting someone: their account id.
    #[serde(default)]
    invited: Option<i32>,
    /// Set after the class was renamed or its courses changed.
    #[serde(default)]
    saved: Option<String>,
}

async fn class_page(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    query: web::Query<ClassPageQuery>,
) -> Result<HttpResponse, PageError> {
    let account = &user.account;
    let page = service::page(state.service(), account, path.into_inner()).await?;
    let sessions: Vec<SessionView> = page
        .sessions
        .iter()
        .map(|s| session_view(&state, user.language.code, &page.class.name, s))
        .collect();
    let mut context = page_context(user.language, Some(account), &user.session);
    context.insert(
        "sector_name",
        &state
            .catalog
            .sector_name(&page.class.sector, user.language.code),
    );
    context.insert("class", &page.class);
    context.insert("courses", &page.class.courses);
    context.insert("sessions", &sessions);
    context.insert("manages", &page.class.manages);
    let live = crate::service::live::is_live(state.service(), page.class.id).await?;
    context.insert("live_now", &live.is_some());
    context.insert("leads", &page.leads);
    context.insert("saved", &query.saved.is_some());
    if let Some(roster) = &page.roster {
        context.insert("members", &roster.members);
        // After inviting: who was just invited, to say so.
        let just_invited = query
            .invited
            .and_then(|id| roster.invited.iter().find(|m| m.id == id))
            .map(|m| m.username.clone());
        context.insert("just_invited", &just_invited);
        context.insert("invited", &roster.invited);
        context.insert("invites", &roster.invites);
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
    let member = NewMember {
        username: field(&form, "username"),
        full_name: field(&form, "full_name"),
        language: field(&form, "language"),
        email: field(&form, "email"),
    };
    let (class, added) = members::add(
        state.service(),
        &user.account,
        path.into_inner(),
        member,
        user.language.code,
    )
    .await?;
    match added {
        Added::Created(card) => login_cards::render(
            &state,
            &user,
            &CardsPage::new(&class, vec![CardView::with_password(card)]),
        ),
        Added::Existing {
            outcome: Existing::Invited,
            id,
            ..
        } => Ok(see_other(&format!(
            "/classes/{}?invited={id}#invited",
            class.id
        ))),
        Added::Existing { .. } => Ok(see_other(&format!("/classes/{}#members", class.id))),
    }
}

async fn import_form(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let class = service::managed_summary(state.service(), &user.account, path.into_inner()).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", &class);
    context.insert("roster", "");
    context.insert("file_mb", &(roster_file::MAX_FILE_BYTES / (1024 * 1024)));
    render_page(&state, "class_import.html", &context)
}

/// The largest pasted roster: 500 lines of long names and addresses.
const ROSTER_TEXT_LIMIT: usize = 256 * 1024;
/// The import form's other small fields (the CSRF token).
const IMPORT_FIELD_LIMIT: usize = 4 * 1024;

#[derive(Deserialize, Default)]
struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    roster: String,
    /// An uploaded file (multipart only): its name and bytes.
    #[serde(skip)]
    file: Option<(String, Vec<u8>)>,
}

/// Why the import form could not be read.
enum UnreadableImport {
    TooBig,
    Broken,
}

/// Reads the import form: pasted text as a plain form, or a multipart
/// form with the text and a file (the page sends that), never holding
/// more than the limits.
async fn read_import(
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<ImportForm, UnreadableImport> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        return web::Form::<ImportForm>::from_request(request, &mut payload.into_inner())
            .await
            .map(web::Form::into_inner)
            .map_err(|_| UnreadableImport::Broken);
    }
    let mut form = ImportForm::default();
    let mut multipart = Multipart::new(request.headers(), payload);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| UnreadableImport::Broken)?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let limit = match name.as_str() {
            "file" => roster_file::MAX_FILE_BYTES,
            "roster" => ROSTER_TEXT_LIMIT,
            _ => IMPORT_FIELD_LIMIT,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| UnreadableImport::Broken)?;
            if bytes.len().saturating_add(chunk.len()) > limit {
                return Err(UnreadableImport::TooBig);
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => form.csrf = String::from_utf8_lossy(&bytes).trim().to_string(),
            "roster" => form.roster = String::from_utf8_lossy(&bytes).into_owned(),
            // A file input left empty still sends a part, with no name.
            "file" if !bytes.is_empty() => {
                form.file = Some((file_name.unwrap_or_default(), bytes));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// The import page again, saying what went wrong, with what was pasted.
fn import_refused(
    state: &AppState,
    user: &SignedIn,
    class: &ClassSummary,
    roster: &str,
    status: StatusCode,
    problem: &str,
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", class);
    context.insert("roster", roster);
    context.insert("file_mb", &(roster_file::MAX_FILE_BYTES / (1024 * 1024)));
    context.insert("errors", &[problem]);
    let mut response = render_page(state, "class_import.html", &context)?;
    *response.status_mut() = status;
    Ok(response)
}

/// Creates the learners of a pasted spreadsheet or an uploaded `.csv` or
/// `.xlsx` file: the good lines become accounts in the class (their login
/// cards are shown), each bad line is listed with its reason and given
/// back in the box to fix and send again.
async fn import(
    state: State,
    user: SignedIn,
    request: HttpRequest,
    path: web::Path<i32>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let class_id = path.into_inner();
    let lang = user.language.code;
    let form = match read_import(&request, payload).await {
        Ok(form) => form,
        Err(unreadable) => {
            // Whose class first, then why the form was refused.
            let class = service::managed_summary(state.service(), &user.account, class_id).await?;
            let (status, problem) = match unreadable {
                UnreadableImport::TooBig => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    i18n::text(lang, "class-import-file-too-big"),
                ),
                UnreadableImport::Broken => {
                    (StatusCode::BAD_REQUEST, i18n::text(lang, "upload-bad-form"))
                }
            };
            return import_refused(&state, &user, &class, "", status, &problem);
        }
    };
    check_csrf(&user.session, &form.csrf)?;
    let imported = match &form.file {
        Some((name, bytes)) => {
            members::import_file(state.service(), &user.account, class_id, name, bytes, lang).await
        }
        None => members::import(state.service(), &user.account, class_id, &form.roster, lang).await,
    };
    let imported = match imported {
        Ok(imported) => imported,
        Err(ServiceError::Invalid(problems)) => {
            let class = service::managed_summary(state.service(), &user.account, class_id).await?;
            let problem = Message::All(problems).in_language(lang);
            return import_refused(
                &state,
                &user,
                &class,
                &form.roster,
                StatusCode::BAD_REQUEST,
                &problem,
            );
        }
        Err(e) => return Err(e.into()),
    };
    let mut page = CardsPage::new(&imported.class, Vec::new());
    page.cards = imported
        .cards
        .into_iter()
        .map(CardView::with_password)
        .collect();
    page.failed = imported
        .problems
        .iter()
        .zip(&imported.failed_text)
        .map(|(problem, text)| FailedLine {
            line: problem.line,
            // Cells apart as a person reads them; the box keeps the tabs.
            text: text.replace('\t', " | "),
            message: problem.message.clone(),
        })
        .collect();
    page.again = imported.again;
    login_cards::render(&state, &user, &page)
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
    let (class, learner) =
        members::password_target(state.service(), &user.account, class_id, learner_id).await?;
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
    if !form.confirmed() {
        let (class, learner) =
            members::password_target(state.service(), &user.account, class_id, learner_id).await?;
        return Ok(see_other(&format!(
            "/classes/{}/members/{}/password",
            class.id, learner.id
        )));
    }
    let (class, card) =
        members::new_password(state.service(), &user.account, class_id, learner_id).await?;
    login_cards::render(
        &state,
        &user,
        &CardsPage::new(&class, vec![CardView::with_password(card)]),
    )
}

async fn add_session(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let session = NewSession::parse_form(
        state.settings.time_zone(),
        field(&form, "title"),
        field(&form, "date"),
        field(&form, "time"),
        field(&form, "duration"),
        field(&form, "meeting_url"),
    );
    let added = sessions::add(state.service(), &user.account, path.into_inner(), session).await?;
    Ok(see_other(&format!("/classes/{}#sessions", added.class_id)))
}

/// "Delete the session? Its register goes too."
async fn confirm_delete_session(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, session_id) = path.into_inner();
    let (class, session) =
        sessions::find(state.service(), &user.account, class_id, session_id).await?;
    let lang = user.language.code;
    let view = session_view(&state, lang, &class.name, &session);
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
    if !form.confirmed() {
        let (class, session) =
            sessions::find(state.service(), &user.account, class_id, session_id).await?;
        return Ok(see_other(&format!(
            "/classes/{}/sessions/{}/delete",
            class.id, session.id
        )));
    }
    sessions::delete(state.service(), &user.account, class_id, session_id).await?;
    Ok(see_other(&format!("/classes/{class_id}#sessions")))
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
    let register = sessions::register(state.service(), &user.account, class_id, session_id).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", &register.class);
    context.insert(
        "session",
        &session_view(
            &state,
            user.language.code,
            &register.class.name,
            &register.session,
        ),
    );
    context.insert("lines", &register.lines);
    context.insert("statuses", &Attendance::ALL.map(|a| a.as_str()));
    context.insert("saved", &query.saved.is_some());
    render_page(&state, "class_register.html", &context)
}

/// Saves the register: a field `u:<learner id>` per learner marked. A mark
/// for someone not in the class, or an unknown mark, refuses the whole
/// form (as in the API).
async fn save_register(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let (class_id, session_id) = path.into_inner();
    let marks: Vec<(i32, &str)> = form
        .iter()
        .filter_map(|(name, value)| {
            let id = name.strip_prefix("u:")?.parse::<i32>().ok()?;
            Some((id, value.as_str()))
        })
        .collect();
    sessions::record_attendance(state.service(), &user.account, class_id, session_id, &marks)
        .await?;
    // "Everyone else present": the marks chosen first, then the rest.
    if field(&form, "everyone") == "present" {
        sessions::everyone_present(state.service(), &user.account, class_id, session_id).await?;
    }
    Ok(see_other(&format!(
        "/classes/{class_id}/sessions/{session_id}?saved=1"
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
    service::check_may_join(&user.account)?;
    // Codes are short: slow down anyone trying them one after another.
    state
        .throttles
        .lookups
        .check(state.client_address(&request))?;
    match service::join(state.service(), &user.account, &form.code).await {
        Ok(class) => Ok(see_other(&format!("/classes/{}", class.id))),
        // Not a code (400), or nobody's (404): the form again, saying so,
        // with the API's status.
        Err(refusal @ (ServiceError::Invalid(_) | ServiceError::NotFound(_))) => {
            let status = match refusal {
                ServiceError::Invalid(_) => actix_web::http::StatusCode::BAD_REQUEST,
                _ => actix_web::http::StatusCode::NOT_FOUND,
            };
            let mut context = page_context(user.language, Some(&user.account), &user.session);
            context.insert("code", &form.code);
            context.insert(
                "errors",
                &[i18n::text(user.language.code, "class-join-unknown")],
            );
            let mut response = render_page(&state, "class_join.html", &context)?;
            *response.status_mut() = status;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
