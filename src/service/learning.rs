//! Learning: a course and who may take it, enrolling, opening a lesson,
//! marking it done, answering a quiz, and a learner's progress. The
//! learner's pages (`web::learn`) and the API (`web::api`) call these same
//! functions, so both refuse the same things in the same way:
//!
//! - no such course or lesson: not found, naming it;
//! - a required course not complete, or not enrolled: forbidden (a page
//!   sends the learner to the course page, which says what to do);
//! - a quiz marked done by hand, answers to a lesson, or answers that
//!   cannot belong to the quiz: invalid;
//! - no attempts left: conflict.

use std::sync::Arc;

use serde::Serialize;

use super::{Context, Message, ServiceError, ServiceResult};
use crate::catalog::Catalog;
use crate::course::{CompiledCourse, Lesson, LessonKind, Quiz};
use crate::domain::grading::{self, Submission};
use crate::domain::progress::{self, CourseProgress, ProgressRecord};
use crate::store::courses::PublishedCourse;
use crate::store::progress::{AttemptError, AttemptOutcome, ProgressChange, StoredAttempt};
use crate::store::users::Account;

/// The longest idempotency key (the API's `Idempotency-Key`, the quiz
/// form's attempt token), in characters.
pub const MAX_ATTEMPT_KEY_CHARS: usize = 200;

/// A published course by its slug.
pub fn course(catalog: &Catalog, slug: &str) -> ServiceResult<Arc<PublishedCourse>> {
    catalog.get(slug).ok_or_else(|| {
        ServiceError::not_found(Message::key("learning-no-course").arg("slug", slug))
    })
}

/// A lesson or quiz of a course by its id.
pub fn lesson<'a>(published: &'a PublishedCourse, id: &str) -> ServiceResult<&'a Lesson> {
    published.course.lesson(id).ok_or_else(|| {
        ServiceError::not_found(
            Message::key("learning-no-lesson")
                .arg("id", id)
                .arg("slug", published.course.slug.as_str()),
        )
    })
}

/// A lesson of a course, found once and held with its course.
pub struct CourseLesson {
    pub course: Arc<PublishedCourse>,
    module: usize,
    index: usize,
}

impl CourseLesson {
    fn find(course: Arc<PublishedCourse>, id: &str) -> ServiceResult<CourseLesson> {
        lesson(&course, id)?;
        let (module, index) = course
            .course
            .modules
            .iter()
            .enumerate()
            .find_map(|(m, module)| {
                module
                    .lessons
                    .iter()
                    .position(|l| l.id == id)
                    .map(|i| (m, i))
            })
            .unwrap_or_default();
        Ok(CourseLesson {
            course,
            module,
            index,
        })
    }

    pub fn lesson(&self) -> &Lesson {
        // The indices were found in this very course, which never changes.
        &self.course.course.modules[self.module].lessons[self.index]
    }

    /// The lesson or quiz after this one in course order.
    pub fn next(&self) -> Option<&Lesson> {
        let id = &self.lesson().id;
        self.course
            .course
            .lessons()
            .skip_while(|l| &l.id != id)
            .nth(1)
    }
}

fn not_enrolled(slug: &str) -> ServiceError {
    ServiceError::forbidden(Message::key("learning-enrol-first").arg("slug", slug))
}

/// A course this learner must finish first, with its title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prerequisite {
    pub slug: String,
    pub title: String,
}

/// The courses `course` requires that the learner has not completed, in
/// the order the course lists them. No query when it requires none.
pub async fn missing_prerequisites(
    ctx: Context<'_>,
    account: &Account,
    course: &CompiledCourse,
) -> ServiceResult<Vec<Prerequisite>> {
    if course.settings.requires.is_empty() {
        return Ok(Vec::new());
    }
    let completed = ctx.store.completed_courses(account.id).await?;
    Ok(progress::missing_requirements(course, &completed)
        .into_iter()
        .map(|slug| Prerequisite {
            slug: slug.to_string(),
            title: ctx
                .catalog
                .get(slug)
                .map_or_else(|| slug.to_string(), |c| c.course.settings.title.clone()),
        })
        .collect())
}

/// A course as one learner (or a visitor) sees it.
pub struct CourseOverview {
    pub course: Arc<PublishedCourse>,
    /// What the learner must finish first (empty for a visitor).
    pub missing: Vec<Prerequisite>,
    pub enrolled: bool,
    pub records: Vec<ProgressRecord>,
    /// Where "Continue" goes: the lesson last opened unless it is done,
    /// else the first thing not done.
    pub continue_at: Option<String>,
}

pub async fn course_overview(
    ctx: Context<'_>,
    account: Option<&Account>,
    slug: &str,
) -> ServiceResult<CourseOverview> {
    let published = course(ctx.catalog, slug)?;
    let mut overview = CourseOverview {
        course: published.clone(),
        missing: Vec::new(),
        enrolled: false,
        records: Vec::new(),
        continue_at: None,
    };
    let Some(account) = account else {
        return Ok(overview);
    };
    let course = &published.course;
    overview.missing = missing_prerequisites(ctx, account, course).await?;
    if let Some(enrolment) = ctx.store.enrolment(account.id, &course.slug).await? {
        let records = ctx.store.progress_records(account.id, &course.slug).await?;
        let last = enrolment
            .last_lesson_id
            .filter(|id| course.lesson(id).is_some())
            .filter(|id| !progress::is_item_done(course, &records, id));
        overview.continue_at = last
            .or_else(|| progress::next_item(course, &records).map(str::to_string));
        overview.enrolled = true;
        overview.records = records;
    }
    Ok(overview)
}

/// A learner enrolled in a course.
pub struct Enrolled {
    pub course: Arc<PublishedCourse>,
    /// False when the learner was enrolled already (enrolling again is
    /// harmless).
    pub new: bool,
}

impl Enrolled {
    /// Where the course starts.
    pub fn first_lesson(&self) -> Option<&Lesson> {
        self.course.course.lessons().next()
    }
}

/// Enrols the learner, unless a course it requires is not complete yet.
pub async fn enrol(ctx: Context<'_>, account: &Account, slug: &str) -> ServiceResult<Enrolled> {
    let published = course(ctx.catalog, slug)?;
    let missing = missing_prerequisites(ctx, account, &published.course).await?;
    if let Some(first) = missing.first() {
        return Err(ServiceError::forbidden(
            Message::key("learning-prerequisite").arg("slug", first.slug.as_str()),
        ));
    }
    let new = ctx.store.enrol(account.id, &published.course.slug).await?;
    Ok(Enrolled {
        course: published,
        new,
    })
}

/// A lesson of a course the learner is enrolled in (one query).
pub async fn enrolled_lesson(
    ctx: Context<'_>,
    account: &Account,
    slug: &str,
    id: &str,
) -> ServiceResult<CourseLesson> {
    let found = CourseLesson::find(course(ctx.catalog, slug)?, id)?;
    match ctx.store.enrolment(account.id, slug).await? {
        Some(_) => Ok(found),
        None => Err(not_enrolled(slug)),
    }
}

/// A lesson opened by an enrolled learner, with their progress in the
/// course.
pub struct OpenedLesson {
    pub lesson: CourseLesson,
    pub records: Vec<ProgressRecord>,
}

impl OpenedLesson {
    pub fn done(&self) -> bool {
        progress::is_item_done(
            &self.lesson.course.course,
            &self.records,
            &self.lesson.lesson().id,
        )
    }

    /// The learner's record for this lesson, if any.
    pub fn record(&self) -> Option<&ProgressRecord> {
        let id = &self.lesson.lesson().id;
        self.records.iter().find(|r| &r.lesson_id == id)
    }
}

/// Opens a lesson for the lesson page: enrolment and progress in one
/// query, and the lesson remembered for "Continue" (a second query only
/// when it is not the one remembered already).
pub async fn open_lesson(
    ctx: Context<'_>,
    account: &Account,
    slug: &str,
    id: &str,
) -> ServiceResult<OpenedLesson> {
    let lesson = CourseLesson::find(course(ctx.catalog, slug)?, id)?;
    let Some((last, records)) = ctx.store.enrolment_and_progress(account.id, slug).await? else {
        return Err(not_enrolled(slug));
    };
    if last.as_deref() != Some(id) {
        ctx.store.remember_position(account.id, slug, id).await?;
    }
    Ok(OpenedLesson { lesson, records })
}

/// A lesson marked done.
pub struct MarkedDone {
    pub lesson: CourseLesson,
    pub change: ProgressChange,
}

/// Marks a lesson done (again is harmless). A quiz is done when it is
/// passed, never by hand.
pub async fn mark_done(
    ctx: Context<'_>,
    account: &Account,
    slug: &str,
    id: &str,
) -> ServiceResult<MarkedDone> {
    let lesson = enrolled_lesson(ctx, account, slug, id).await?;
    if lesson.lesson().kind == LessonKind::Quiz {
        return Err(ServiceError::invalid(Message::key(
            "learning-quiz-not-by-hand",
        )));
    }
    let published = &lesson.course;
    let change = ctx
        .store
        .mark_lesson_done(account.id, &published.course, published.version, id)
        .await?;
    Ok(MarkedDone { lesson, change })
}

/// The quiz of a lesson, or why answers cannot be sent to it.
pub fn quiz_of<'a>(lesson: &'a Lesson) -> ServiceResult<&'a Quiz> {
    lesson.quiz.as_ref().ok_or_else(|| {
        ServiceError::invalid(Message::key("learning-not-a-quiz").arg("id", lesson.id.as_str()))
    })
}

/// Grades and stores an attempt at a quiz. With an idempotency key the
/// learner used before, the stored attempt comes back (`replayed`) and
/// nothing is stored again. Answers that cannot belong to the quiz are
/// invalid, with the grader's words; no attempts left is a conflict.
pub async fn submit_attempt(
    ctx: Context<'_>,
    account: &Account,
    slug: &str,
    id: &str,
    answers: &Submission,
    idempotency_key: Option<&str>,
) -> ServiceResult<AttemptOutcome> {
    let lesson = enrolled_lesson(ctx, account, slug, id).await?;
    let quiz = quiz_of(lesson.lesson())?;
    if idempotency_key.is_some_and(|key| !(1..=MAX_ATTEMPT_KEY_CHARS).contains(&key.chars().count()))
    {
        return Err(ServiceError::invalid(
            Message::key("learning-attempt-key").arg("max", MAX_ATTEMPT_KEY_CHARS),
        ));
    }
    let graded = grading::grade(quiz, answers)
        .map_err(|e| ServiceError::invalid(Message::Words(e.to_string())))?;
    let published = &lesson.course;
    ctx.store
        .record_attempt(
            account.id,
            &published.course,
            published.version,
            id,
            quiz.max_attempts,
            answers,
            &graded,
            idempotency_key,
        )
        .await
        .map_err(|e| match e {
            AttemptError::NoAttemptsLeft(max) => ServiceError::conflict(
                Message::key("learning-no-attempts-left").arg("max", max),
            ),
            AttemptError::Store(e) => e.into(),
        })
}

/// One of the learner's stored attempts, with the quiz it answered.
pub struct AttemptReview {
    pub lesson: CourseLesson,
    pub attempt: StoredAttempt,
    pub records: Vec<ProgressRecord>,
}

impl AttemptReview {
    pub fn quiz(&self) -> &Quiz {
        // Found only for a quiz (see `attempt`).
        self.lesson.lesson().quiz.as_ref().unwrap_or(&EMPTY_QUIZ)
    }

    pub fn record(&self) -> Option<&ProgressRecord> {
        let id = &self.lesson.lesson().id;
        self.records.iter().find(|r| &r.lesson_id == id)
    }
}

static EMPTY_QUIZ: Quiz = Quiz {
    pass_mark: 0,
    max_attempts: None,
    questions: Vec::new(),
};

/// An attempt of the learner's own at this quiz; anyone else's, or one at
/// another lesson, is not found.
pub async fn attempt(
    ctx: Context<'_>,
    account: &Account,
    slug: &str,
    id: &str,
    attempt_id: i32,
) -> ServiceResult<AttemptReview> {
    let lesson = CourseLesson::find(course(ctx.catalog, slug)?, id)?;
    let no_attempt = || {
        ServiceError::not_found(Message::key("learning-no-attempt").arg("attempt", attempt_id))
    };
    if lesson.lesson().quiz.is_none() {
        return Err(no_attempt());
    }
    let attempt = ctx
        .store
        .attempt(account.id, attempt_id)
        .await?
        .filter(|a| a.lesson_id == id)
        .ok_or_else(no_attempt)?;
    let records = ctx.store.progress_records(account.id, slug).await?;
    Ok(AttemptReview {
        lesson,
        attempt,
        records,
    })
}

/// Progress in one course the learner is enrolled in.
#[derive(Debug, Serialize)]
pub struct CourseProgressRow {
    pub slug: String,
    pub title: String,
    pub progress: CourseProgress,
}

/// Progress in every course the learner is enrolled in, in the order they
/// enrolled (a course no longer published is left out).
pub async fn my_progress(
    ctx: Context<'_>,
    account: &Account,
) -> ServiceResult<Vec<CourseProgressRow>> {
    let records = ctx.store.all_progress_records(account.id).await?;
    Ok(ctx
        .store
        .enrolments(account.id)
        .await?
        .into_iter()
        .filter_map(|enrolment| {
            let published = ctx.catalog.get(&enrolment.course_slug)?;
            let course = &published.course;
            let course_records = records.get(&course.slug).map_or(&[][..], Vec::as_slice);
            Some(CourseProgressRow {
                slug: course.slug.clone(),
                title: course.settings.title.clone(),
                progress: CourseProgress::of(course, course_records),
            })
        })
        .collect())
}
