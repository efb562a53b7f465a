//! Learner pages: the catalogue, a course, a lesson, a quiz and its result,
//! and "my progress". The rules (who may open, enrol, mark done, answer)
//! are `service::learning`'s, shared with the API; a page the learner may
//! not open yet (not enrolled, a course to finish first) sends them to the
//! course page, which says what to do.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::State;
use super::callouts::localise_callout_labels;
use super::errors::PageError;
use super::gzip::{self, GappedPage};
use super::lesson_shells::{ShellKey, token_slot};
use super::quiz_view::{
    QuestionView, question_views, question_views_filled, submission_from_form, unanswered,
};
use super::redirect;
use super::session::{SignedIn, Viewer, check_csrf, csrf_token, page_context, shared_page_context};
use super::{html_page, html_page_builder, render_page as render, render_template};
use crate::catalog;
use crate::course::{CompiledCourse, Sector};
use crate::domain::grading::Submission;
use crate::domain::names::Role;
use crate::domain::progress::{self, CourseProgress, ProgressRecord};
use crate::i18n::Language;
use crate::passwords::random_token;
use crate::service::learning;
use crate::service::{ServiceError, ServiceResult};

/// For the modules that still import the form from here (it lives in
/// `web::session` now, next to the check).
use super::session::CsrfForm;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(catalogue))
        .route("/progress", web::get().to(my_progress))
        // One static prefix, then the lesson page first: actix tries routes
        // in order, each path pattern a regular expression, and the lesson
        // page is the one learners open most.
        .service(
            web::scope("/courses")
                .route("/{slug}/lessons/{id}", web::get().to(lesson_page))
                .route("/{slug}", web::get().to(course_page))
                .route(
                    "/{slug}/glossary",
                    web::get().to(super::glossary::glossary_page),
                )
                .route("/{slug}/enrol", web::post().to(enrol))
                .route("/{slug}/lessons/{id}/done", web::post().to(mark_done))
                .route(
                    "/{slug}/lessons/{id}/attempts",
                    web::post().to(submit_attempt),
                )
                .route(
                    "/{slug}/lessons/{id}/attempts/{attempt}",
                    web::get().to(attempt_page),
                ),
        );
}

fn lesson_url(slug: &str, id: &str) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

fn course_url(slug: &str) -> String {
    format!("/courses/{slug}")
}

/// A lesson the learner may not open yet goes to the course page, which
/// says why (enrol first, or a course to finish first); anything else is
/// an error page. Only for reading: a form sent when it may not be gets
/// the API's refusal (403), so pages and programs see one outcome.
fn or_to_course_page<T>(
    result: ServiceResult<T>,
    slug: &str,
) -> Result<Result<T, HttpResponse>, PageError> {
    match result {
        Ok(found) => Ok(Ok(found)),
        Err(ServiceError::Forbidden(_)) => Ok(Err(redirect::see_other(&course_url(slug)))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct CourseCard {
    slug: String,
    title: String,
    level: &'static str,
    hours: Option<f64>,
    summary: String,
    percent: Option<u8>,
    completed: bool,
}

#[derive(Serialize)]
struct SectorGroup {
    sector: String,
    /// In the viewer's language: the organisation's name or the shipped one.
    name: String,
    courses: Vec<CourseCard>,
}

/// The home page: every course, grouped by sector.
async fn catalogue(state: State, viewer: Viewer) -> Result<HttpResponse, PageError> {
    let entries = learning::catalogue(state.service(), viewer.account.as_ref()).await?;
    let sectors = state.catalog.sectors();
    // In the sectors' order (the shipped one, or sectors.toml's).
    let mut groups: BTreeMap<(usize, Sector), Vec<CourseCard>> = BTreeMap::new();
    for entry in entries {
        let settings = &entry.course.course.settings;
        let sector = settings.sector.clone();
        let key = (sectors.rank(sector.as_str()), sector);
        groups.entry(key).or_default().push(CourseCard {
            slug: entry.course.course.slug.clone(),
            title: settings.title.clone(),
            level: settings.level.as_str(),
            hours: settings.hours,
            summary: settings.summary.clone(),
            percent: entry.progress.as_ref().map(|p| p.percent),
            completed: entry.progress.is_some_and(|p| p.completed),
        });
    }
    let groups: Vec<SectorGroup> = groups
        .into_iter()
        .map(|((_, sector), mut courses)| {
            // Entry courses first: a course others require comes before them.
            courses.sort_by_key(|c| (c.level, c.title.clone()));
            SectorGroup {
                name: catalog::sector_name(&sectors, sector.as_str(), viewer.language.code),
                sector: sector.as_str().to_string(),
                courses,
            }
        })
        .collect();
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    context.insert("groups", &groups);
    if let Some(account) = viewer.account.as_ref().filter(|a| a.role == Role::Learner) {
        context.insert(
            "upcoming",
            &super::classes::upcoming_for(&state, viewer.language.code, account).await?,
        );
        context.insert(
            "invitations",
            &super::invitations::for_home(&state, account).await?,
        );
        context.insert(
            "live_now",
            &crate::service::live::live_now_for(state.service(), account).await?,
        );
    }
    render(&state, "home.html", &context)
}

#[derive(Serialize)]
struct LessonLink {
    id: String,
    title: String,
    kind: &'static str,
    done: bool,
    url: String,
}

#[derive(Serialize)]
struct ModuleView {
    title: String,
    summary: Option<String>,
    lessons: Vec<LessonLink>,
}

fn module_views(course: &CompiledCourse, records: &[ProgressRecord]) -> Vec<ModuleView> {
    course
        .modules
        .iter()
        .map(|module| ModuleView {
            title: module.title.clone(),
            summary: module.summary.clone(),
            lessons: module
                .lessons
                .iter()
                .map(|lesson| LessonLink {
                    id: lesson.id.clone(),
                    title: lesson.title.clone(),
                    kind: lesson.kind.as_str(),
                    done: progress::is_item_done(course, records, &lesson.id),
                    url: lesson_url(&course.slug, &lesson.id),
                })
                .collect(),
        })
        .collect()
}

async fn course_page(
    state: State,
    viewer: Viewer,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let overview =
        learning::course_overview(state.service(), viewer.account.as_ref(), &slug).await?;
    let course = &overview.course.course;
    let records = &overview.records;
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    let settings = &course.settings;
    context.insert("slug", &course.slug);
    context.insert("title", &settings.title);
    context.insert("summary", &settings.summary);
    context.insert(
        "sector_name",
        &state
            .catalog
            .sector_name(settings.sector.as_str(), viewer.language.code),
    );
    context.insert("level", settings.level.as_str());
    context.insert("hours", &settings.hours);
    context.insert("modules", &module_views(course, records));
    context.insert("progress", &CourseProgress::of(course, records));
    context.insert("enrolled", &overview.enrolled);
    context.insert("missing", &overview.missing);
    context.insert(
        "continue_url",
        &overview
            .continue_at
            .as_deref()
            .map(|id| lesson_url(&course.slug, id)),
    );
    render(&state, "course.html", &context)
}

async fn enrol(
    state: State,
    signed_in: SignedIn,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&signed_in.session, form.token())?;
    // A refusal (a course to finish first) is the API's 403: the form is
    // only offered when the learner may enrol, so this is a stale page.
    let enrolled = learning::enrol(state.service(), &signed_in.account, &slug).await?;
    let slug = &enrolled.course.course.slug;
    let first = enrolled
        .first_lesson()
        .map_or_else(|| course_url(slug), |l| lesson_url(slug, &l.id));
    Ok(redirect::see_other(&first))
}

#[derive(Serialize)]
struct Neighbour {
    title: String,
    url: String,
}

async fn lesson_page(
    request: HttpRequest,
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let account = &signed_in.account;
    let opened = match or_to_course_page(
        learning::open_lesson(state.service(), account, &slug, &id).await,
        &slug,
    )? {
        Ok(opened) => opened,
        Err(to_course_page) => return Ok(to_course_page),
    };
    let done = opened.done();
    let published = &opened.lesson.course;
    let course = &published.course;
    let Some(quiz) = &opened.lesson.lesson().quiz else {
        // The same for every learner with this key but for the CSRF
        // token: rendered once, filled in here.
        let key = ShellKey {
            slug,
            version: published.version,
            content_hash: course.content_hash.clone(),
            lesson_id: id,
            language: signed_in.language.code,
            home_language: account.home_language().to_string(),
            role: account.role,
            done,
        };
        let language = signed_in.language;
        let shell = state.lesson_shells.get_or_render(key, |key| {
            let mut context = shared_page_context(language, key.role, token_slot());
            insert_lesson(
                &mut context,
                course,
                LessonPlace {
                    slug: &key.slug,
                    id: &key.lesson_id,
                    home_language: &key.home_language,
                },
                key.done,
                language,
            );
            let html = render_template(&state, "lesson.html", &context)?;
            GappedPage::new(&html, token_slot()).map_err(|e| PageError::Internal(e.into()))
        })?;
        let token = csrf_token(&signed_in.session);
        return Ok(if gzip::accepts_gzip(request.headers()) {
            gzip::gzip_page(html_page_builder(), shell.fill_gzip(&token))
        } else {
            html_page(shell.fill(&token))
        });
    };
    let seed = quiz_seed(account.id, &opened);
    // "Try again" from a result page brings that try's answers back.
    let earlier = match again_attempt(&request) {
        Some(attempt_id) => {
            match learning::attempt(state.service(), account, &slug, &id, attempt_id).await {
                Ok(review) => Some(review.attempt),
                // Not this learner's try, or not this lesson's: a fresh form.
                Err(ServiceError::NotFound(_) | ServiceError::Forbidden(_)) => None,
                Err(e) => return Err(e.into()),
            }
        }
        None => None,
    };
    let form = match &earlier {
        Some(attempt) => QuizForm {
            questions: question_views_filled(
                quiz,
                &seed,
                &attempt.answers,
                Some(&attempt.graded.questions),
            ),
            unanswered: Vec::new(),
            again: true,
            attempt_token: random_token(),
        },
        None => QuizForm {
            questions: question_views(quiz, &seed, None),
            unanswered: Vec::new(),
            again: false,
            attempt_token: random_token(),
        },
    };
    quiz_page(&state, &signed_in, &opened, &slug, &id, form)
}

/// What the quiz form shows: its questions (empty, or filled in again),
/// the questions left unanswered when the page asks about them, and the
/// token that makes a double submission count once.
struct QuizForm<'a> {
    questions: Vec<QuestionView<'a>>,
    unanswered: Vec<usize>,
    again: bool,
    attempt_token: String,
}

/// The order of choices a learner sees in a try: the same on the page and
/// when it is shown again, new for the next try.
fn quiz_seed(account_id: i32, opened: &learning::OpenedLesson) -> String {
    let attempts = opened.record().map_or(0, |r| r.attempts);
    format!("{account_id}/{attempts}")
}

/// `?again=<attempt id>` on a quiz page; anything else is ignored.
fn again_attempt(request: &HttpRequest) -> Option<i32> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(request.query_string())
        .ok()?
        .into_iter()
        .find(|(name, _)| name == "again")
        .and_then(|(_, value)| value.parse().ok())
}

fn quiz_page(
    state: &State,
    signed_in: &SignedIn,
    opened: &learning::OpenedLesson,
    slug: &str,
    id: &str,
    form: QuizForm<'_>,
) -> Result<HttpResponse, PageError> {
    let course = &opened.lesson.course.course;
    let quiz = opened.lesson.lesson().quiz.as_ref();
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    insert_lesson(
        &mut context,
        course,
        LessonPlace {
            slug,
            id,
            home_language: signed_in.account.home_language(),
        },
        opened.done(),
        signed_in.language,
    );
    let record = opened.record();
    let attempts = record.map_or(0, |r| r.attempts);
    context.insert("questions", &form.questions);
    context.insert("unanswered", &form.unanswered);
    context.insert("again", &form.again);
    context.insert("pass_mark", &quiz.map(|q| q.pass_mark));
    context.insert("attempts_used", &attempts);
    context.insert(
        "attempts_left",
        &quiz
            .and_then(|q| q.max_attempts)
            .map(|max| max.saturating_sub(attempts)),
    );
    context.insert("best_score", &record.and_then(|r| r.best_score));
    context.insert("passed", &record.is_some_and(|r| r.passed));
    context.insert("attempt_token", &form.attempt_token);
    render(state, "quiz.html", &context)
}

/// Which lesson a page is of, and whose translations it shows.
struct LessonPlace<'a> {
    slug: &'a str,
    id: &'a str,
    home_language: &'a str,
}

/// What a lesson or quiz page shows of the lesson: titles, its HTML (with
/// the home language's translations shown), where it is in the course, the
/// way to the lessons either side, and whether the learner has done it.
fn insert_lesson(
    context: &mut tera::Context,
    course: &CompiledCourse,
    place: LessonPlace<'_>,
    done: bool,
    language: Language,
) {
    let LessonPlace {
        slug,
        id,
        home_language,
    } = place;
    let lessons: Vec<_> = course.lessons().collect();
    let index = lessons.iter().position(|l| l.id == id).unwrap_or(0);
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| lessons.get(i)).map(|l| Neighbour {
            title: l.title.clone(),
            url: lesson_url(slug, &l.id),
        })
    };
    context.insert("slug", slug);
    context.insert("course_title", &course.settings.title);
    if let Some(lesson) = lessons.get(index) {
        context.insert("lesson_id", &lesson.id);
        context.insert("lesson_title", &lesson.title);
        context.insert(
            "lesson_html",
            &crate::course::show_translation(
                &localise_callout_labels(&lesson.html, language),
                home_language,
            ),
        );
    }
    context.insert("position", &(index + 1));
    context.insert("total", &lessons.len());
    context.insert("previous", &neighbour(index.checked_sub(1)));
    context.insert("next", &neighbour(Some(index + 1)));
    context.insert("done", &done);
}

async fn mark_done(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&signed_in.session, form.token())?;
    let (slug, id) = path.into_inner();
    let marked = learning::mark_done(state.service(), &signed_in.account, &slug, &id).await?;
    // On to the next lesson, or back to the course at the end.
    let next = marked
        .lesson
        .next()
        .map_or_else(|| course_url(&slug), |l| lesson_url(&slug, &l.id));
    Ok(redirect::see_other(&next))
}

async fn submit_attempt(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    check_csrf(&signed_in.session, field("csrf").unwrap_or(""))?;
    let (slug, id) = path.into_inner();
    // The form's fields are read against the quiz; answers sent to a
    // lesson (no quiz) are refused by the rule, as the API's are.
    let published = learning::course(&state.catalog, &slug)?;
    let answers = match published.course.lesson(&id).and_then(|l| l.quiz.as_ref()) {
        Some(quiz) => {
            submission_from_form(quiz, &form).map_err(|e| PageError::bad_request(e.to_string()))?
        }
        None => Submission::new(),
    };
    let token = field("attempt_token").filter(|t| !t.is_empty());
    // Questions left unanswered: ask first, with everything typed kept,
    // unless the learner already chose "Submit anyway".
    if let Some(quiz) = published.course.lesson(&id).and_then(|l| l.quiz.as_ref()) {
        let missing = unanswered(quiz, &answers);
        // Answers that cannot be graded (not of this quiz) are refused by
        // the service as the API's are, rather than asked about; the trial
        // grading runs only when there is something to ask.
        if !missing.is_empty()
            && field("unanswered") != Some("submit")
            && crate::domain::grading::grade(quiz, &answers).is_ok()
        {
            let opened = match or_to_course_page(
                learning::open_lesson(state.service(), &signed_in.account, &slug, &id).await,
                &slug,
            )? {
                Ok(opened) => opened,
                Err(to_course_page) => return Ok(to_course_page),
            };
            let seed = quiz_seed(signed_in.account.id, &opened);
            let form = QuizForm {
                questions: question_views_filled(quiz, &seed, &answers, None),
                unanswered: missing,
                again: false,
                // The same token: the try still counts once, however it
                // is finally sent.
                attempt_token: token.map_or_else(random_token, str::to_string),
            };
            return quiz_page(&state, &signed_in, &opened, &slug, &id, form);
        }
    }
    let outcome = learning::submit_attempt(
        state.service(),
        &signed_in.account,
        &slug,
        &id,
        &answers,
        token,
    )
    .await?;
    Ok(redirect::see_other(&format!(
        "{}/attempts/{}",
        lesson_url(&slug, &id),
        outcome.attempt.id
    )))
}

async fn attempt_page(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id, attempt_id) = path.into_inner();
    let review =
        learning::attempt(state.service(), &signed_in.account, &slug, &id, attempt_id).await?;
    let course = &review.lesson.course.course;
    let lesson = review.lesson.lesson();
    let quiz = review.quiz();
    let attempt = &review.attempt;
    let record = review.record();
    let attempts = record.map_or(0, |r| r.attempts);
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert("slug", &slug);
    context.insert("course_title", &course.settings.title);
    context.insert("lesson_id", &id);
    context.insert("attempt_id", &attempt_id);
    context.insert("lesson_title", &lesson.title);
    context.insert("score", &attempt.graded.score);
    context.insert("passed", &attempt.graded.passed);
    context.insert("pass_mark", &quiz.pass_mark);
    context.insert(
        "right",
        &attempt
            .graded
            .questions
            .iter()
            .filter(|q| q.correct)
            .count(),
    );
    context.insert("total", &attempt.graded.questions.len());
    context.insert(
        "questions",
        &question_views(
            quiz,
            &format!("{}/{}", signed_in.account.id, attempts),
            Some((&attempt.graded.questions, &attempt.answers)),
        ),
    );
    context.insert("best_score", &record.and_then(|r| r.best_score));
    context.insert(
        "attempts_left",
        &quiz.max_attempts.map(|max| max.saturating_sub(attempts)),
    );
    let next = review.lesson.next().map(|l| Neighbour {
        title: l.title.clone(),
        url: lesson_url(&slug, &l.id),
    });
    context.insert("next", &next);
    context.insert("progress", &CourseProgress::of(course, &review.records));
    render(&state, "attempt.html", &context)
}

async fn my_progress(state: State, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    let account = &signed_in.account;
    let rows = learning::my_progress(state.service(), account).await?;
    let mut context = page_context(signed_in.language, Some(account), &signed_in.session);
    context.insert("rows", &rows);
    render(&state, "progress.html", &context)
}
