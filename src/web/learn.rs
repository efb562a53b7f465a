//! Learner pages: the catalogue, a course, a lesson, a quiz and its result,
//! and "my progress".

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::State;
use super::errors::PageError;
use super::gzip::{self, GappedPage};
use super::lesson_shells::{ShellKey, token_slot};
use super::quiz_view::{question_views, submission_from_form};
use super::session::{SignedIn, Viewer, check_csrf, csrf_token, page_context, shared_page_context};
use super::{html_page, html_page_builder, render_page as render, render_template};
use crate::course::{CompiledCourse, LessonKind, Sector};
use crate::domain::grading::{self, GradingError};
use crate::domain::names::Role;
use crate::domain::progress::{self, CourseProgress, ProgressRecord};
use crate::i18n;
use crate::passwords::random_token;
use crate::store::courses::PublishedCourse;
use crate::store::progress::AttemptError;

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

/// A redirect to a page of this site (`web::redirect` decides).
pub(crate) fn see_other(location: String) -> HttpResponse {
    super::redirect::see_other(&location)
}

fn lesson_url(slug: &str, id: &str) -> String {
    format!("/courses/{slug}/lessons/{id}")
}

fn course_or_404(state: &State, slug: &str) -> Result<Arc<PublishedCourse>, PageError> {
    state.catalog.get(slug).ok_or(PageError::NotFound)
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
    sector: &'static str,
    courses: Vec<CourseCard>,
}

/// The home page: every course, grouped by sector.
async fn catalogue(state: State, viewer: Viewer) -> Result<HttpResponse, PageError> {
    let courses = state.catalog.snapshot();
    let progress = match &viewer.account {
        Some(account) => Some((
            state.store.all_progress_records(account.id).await?,
            state.store.enrolments(account.id).await?,
        )),
        None => None,
    };
    let mut groups: BTreeMap<Sector, Vec<CourseCard>> = BTreeMap::new();
    for published in courses.values() {
        let course = &published.course;
        let settings = &course.settings;
        let (percent, completed) = match &progress {
            Some((records, enrolments))
                if enrolments.iter().any(|e| e.course_slug == course.slug) =>
            {
                let records = records.get(&course.slug).map_or(&[][..], Vec::as_slice);
                let p = CourseProgress::of(course, records);
                (Some(p.percent), p.completed)
            }
            _ => (None, false),
        };
        groups.entry(settings.sector).or_default().push(CourseCard {
            slug: course.slug.clone(),
            title: settings.title.clone(),
            level: settings.level.as_str(),
            hours: settings.hours,
            summary: settings.summary.clone(),
            percent,
            completed,
        });
    }
    let groups: Vec<SectorGroup> = groups
        .into_iter()
        .map(|(sector, mut courses)| {
            // Entry courses first: a course others require comes before them.
            courses.sort_by_key(|c| (c.level, c.title.clone()));
            SectorGroup {
                sector: sector.as_str(),
                courses,
            }
        })
        .collect();
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    context.insert("groups", &groups);
    if let Some(account) = viewer.account.as_ref().filter(|a| a.role == Role::Learner) {
        context.insert(
            "upcoming",
            &super::classes::upcoming_for(&state, account).await?,
        );
        context.insert(
            "invitations",
            &super::invitations::for_home(&state, account).await?,
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

#[derive(Serialize)]
struct Prerequisite {
    slug: String,
    title: String,
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

/// The courses this learner must finish first, with their titles.
async fn missing_prerequisites(
    state: &State,
    user_id: i32,
    course: &CompiledCourse,
) -> Result<Vec<Prerequisite>, PageError> {
    if course.settings.requires.is_empty() {
        return Ok(Vec::new());
    }
    let completed = state.store.completed_courses(user_id).await?;
    Ok(progress::missing_requirements(course, &completed)
        .into_iter()
        .map(|slug| Prerequisite {
            slug: slug.to_string(),
            title: state
                .catalog
                .get(slug)
                .map_or_else(|| slug.to_string(), |c| c.course.settings.title.clone()),
        })
        .collect())
}

async fn course_page(
    state: State,
    viewer: Viewer,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let published = course_or_404(&state, &slug)?;
    let course = &published.course;
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    let mut records = Vec::new();
    let mut enrolled = false;
    let mut missing = Vec::new();
    let mut continue_url = None;
    if let Some(account) = &viewer.account {
        missing = missing_prerequisites(&state, account.id, course).await?;
        if let Some(enrolment) = state.store.enrolment(account.id, &course.slug).await? {
            enrolled = true;
            records = state
                .store
                .progress_records(account.id, &course.slug)
                .await?;
            // Back to the lesson last opened, unless it is done; then on to
            // the first thing not done.
            let last = enrolment
                .last_lesson_id
                .filter(|id| course.lesson(id).is_some())
                .filter(|id| !progress::is_item_done(course, &records, id));
            continue_url = last
                .as_deref()
                .or_else(|| progress::next_item(course, &records))
                .map(|id| lesson_url(&course.slug, id));
        }
    }
    let progress = CourseProgress::of(course, &records);
    let settings = &course.settings;
    context.insert("slug", &course.slug);
    context.insert("title", &settings.title);
    context.insert("summary", &settings.summary);
    context.insert("sector", settings.sector.as_str());
    context.insert("level", settings.level.as_str());
    context.insert("hours", &settings.hours);
    context.insert("modules", &module_views(course, &records));
    context.insert("progress", &progress);
    context.insert("enrolled", &enrolled);
    context.insert("missing", &missing);
    context.insert("continue_url", &continue_url);
    render(&state, "course.html", &context)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

impl CsrfForm {
    pub fn token(&self) -> &str {
        &self.csrf
    }
}

async fn enrol(
    state: State,
    signed_in: SignedIn,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&signed_in.session, &form.csrf)?;
    let published = course_or_404(&state, &slug)?;
    let course = &published.course;
    if !missing_prerequisites(&state, signed_in.account.id, course)
        .await?
        .is_empty()
    {
        // The course page explains what to take first.
        return Ok(see_other(format!("/courses/{}", course.slug)));
    }
    state
        .store
        .enrol(signed_in.account.id, &course.slug)
        .await?;
    let first = course.lessons().next().map_or_else(
        || format!("/courses/{}", course.slug),
        |l| lesson_url(&course.slug, &l.id),
    );
    Ok(see_other(first))
}

/// Opens a lesson for a signed-in, enrolled learner; otherwise sends them
/// to the course page, which says what to do.
async fn enrolled_lesson(
    state: &State,
    signed_in: &SignedIn,
    slug: &str,
    id: &str,
) -> Result<Result<(Arc<PublishedCourse>, Option<String>), HttpResponse>, PageError> {
    let published = course_or_404(state, slug)?;
    if published.course.lesson(id).is_none() {
        return Err(PageError::NotFound);
    }
    match state.store.enrolment(signed_in.account.id, slug).await? {
        Some(enrolment) => Ok(Ok((published, enrolment.last_lesson_id))),
        None => Ok(Err(see_other(format!("/courses/{slug}")))),
    }
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
    let published = course_or_404(&state, &slug)?;
    let course = &published.course;
    let Some(lesson) = course.lesson(&id) else {
        return Err(PageError::NotFound);
    };
    let account = &signed_in.account;
    let Some((last, records)) = state
        .store
        .enrolment_and_progress(account.id, &slug)
        .await?
    else {
        return Ok(see_other(format!("/courses/{slug}")));
    };
    if last.as_deref() != Some(id.as_str()) {
        state
            .store
            .remember_position(account.id, &slug, &id)
            .await?;
    }
    let done = progress::is_item_done(course, &records, &id);
    let Some(quiz) = &lesson.quiz else {
        // The same for every learner with this key but for the CSRF
        // token: rendered once, filled in here.
        let key = ShellKey {
            slug,
            version: published.version,
            content_hash: course.content_hash.clone(),
            lesson_id: id,
            language: signed_in.language.code,
            role: account.role,
            done,
        };
        let language = signed_in.language;
        let shell = state.lesson_shells.get_or_render(key, |key| {
            let mut context = shared_page_context(language, key.role, token_slot());
            insert_lesson(&mut context, course, &key.slug, &key.lesson_id, key.done);
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
    let mut context = page_context(signed_in.language, Some(account), &signed_in.session);
    insert_lesson(&mut context, course, &slug, &id, done);
    let record = records.iter().find(|r| r.lesson_id == id);
    let attempts = record.map_or(0, |r| r.attempts);
    let seed = format!("{}/{}", account.id, attempts);
    context.insert("questions", &question_views(quiz, &seed, None));
    context.insert("pass_mark", &quiz.pass_mark);
    context.insert("attempts_used", &attempts);
    context.insert(
        "attempts_left",
        &quiz.max_attempts.map(|max| max.saturating_sub(attempts)),
    );
    context.insert("best_score", &record.and_then(|r| r.best_score));
    context.insert("passed", &record.is_some_and(|r| r.passed));
    context.insert("attempt_token", &random_token());
    render(&state, "quiz.html", &context)
}

/// What a lesson or quiz page shows of the lesson: titles, its HTML, where
/// it is in the course, the way to the lessons either side, and whether the
/// learner has done it.
fn insert_lesson(
    context: &mut tera::Context,
    course: &CompiledCourse,
    slug: &str,
    id: &str,
    done: bool,
) {
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
        context.insert("lesson_html", &lesson.html);
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
    check_csrf(&signed_in.session, &form.csrf)?;
    let (slug, id) = path.into_inner();
    let (published, _) = match enrolled_lesson(&state, &signed_in, &slug, &id).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let course = &published.course;
    if course
        .lesson(&id)
        .is_some_and(|l| l.kind == LessonKind::Quiz)
    {
        return Err(PageError::bad_request("A quiz is done when you pass it."));
    }
    state
        .store
        .mark_lesson_done(signed_in.account.id, course, published.version, &id)
        .await?;
    // On to the next lesson, or back to the course at the end.
    let mut lessons = course.lessons().skip_while(|l| l.id != id).skip(1);
    let next = lessons
        .next()
        .map_or_else(|| format!("/courses/{slug}"), |l| lesson_url(&slug, &l.id));
    Ok(see_other(next))
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
    let (published, _) = match enrolled_lesson(&state, &signed_in, &slug, &id).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let course = &published.course;
    let Some(quiz) = course.lesson(&id).and_then(|l| l.quiz.as_ref()) else {
        return Err(PageError::bad_request("This lesson has no quiz."));
    };
    let answers =
        submission_from_form(quiz, &form).map_err(|e| PageError::bad_request(e.to_string()))?;
    let graded = grading::grade(quiz, &answers)
        .map_err(|e: GradingError| PageError::bad_request(e.to_string()))?;
    let outcome = state
        .store
        .record_attempt(
            signed_in.account.id,
            course,
            published.version,
            &id,
            quiz.max_attempts,
            &answers,
            &graded,
            field("attempt_token").filter(|t| !t.is_empty()),
        )
        .await;
    match outcome {
        Ok(outcome) => Ok(see_other(format!(
            "{}/attempts/{}",
            lesson_url(&slug, &id),
            outcome.attempt.id
        ))),
        // Plainly refused (not sent back to the quiz as if it could be
        // tried again): the learner's page says why, as the API does.
        Err(AttemptError::NoAttemptsLeft(_)) => Err(PageError::conflict(i18n::text(
            signed_in.language.code,
            "quiz-no-attempts",
        ))),
        Err(AttemptError::Store(e)) => Err(e.into()),
    }
}

async fn attempt_page(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id, attempt_id) = path.into_inner();
    let published = course_or_404(&state, &slug)?;
    let course = &published.course;
    let lesson = course.lesson(&id).ok_or(PageError::NotFound)?;
    let quiz = lesson.quiz.as_ref().ok_or(PageError::NotFound)?;
    let attempt = state
        .store
        .attempt(signed_in.account.id, attempt_id)
        .await?
        .filter(|a| a.lesson_id == id)
        .ok_or(PageError::NotFound)?;
    let records = state
        .store
        .progress_records(signed_in.account.id, &slug)
        .await?;
    let record = records.iter().find(|r| r.lesson_id == id);
    let attempts = record.map_or(0, |r| r.attempts);
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert("slug", &slug);
    context.insert("course_title", &course.settings.title);
    context.insert("lesson_id", &id);
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
    let next = course
        .lessons()
        .skip_while(|l| l.id != id)
        .nth(1)
        .map(|l| Neighbour {
            title: l.title.clone(),
            url: lesson_url(&slug, &l.id),
        });
    context.insert("next", &next);
    context.insert("progress", &CourseProgress::of(course, &records));
    render(&state, "attempt.html", &context)
}

#[derive(Serialize)]
struct ProgressRow {
    slug: String,
    title: String,
    progress: CourseProgress,
}

async fn my_progress(state: State, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    let account = &signed_in.account;
    let records = state.store.all_progress_records(account.id).await?;
    let rows: Vec<ProgressRow> = state
        .store
        .enrolments(account.id)
        .await?
        .into_iter()
        .filter_map(|enrolment| {
            let published = state.catalog.get(&enrolment.course_slug)?;
            let course = &published.course;
            let course_records = records.get(&course.slug).map_or(&[][..], Vec::as_slice);
            Some(ProgressRow {
                slug: course.slug.clone(),
                title: course.settings.title.clone(),
                progress: CourseProgress::of(course, course_records),
            })
        })
        .collect();
    let mut context = page_context(signed_in.language, Some(account), &signed_in.session);
    context.insert("rows", &rows);
    render(&state, "progress.html", &context)
}
