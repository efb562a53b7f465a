//! Learning: a course and who may take it, enrolling, opening a lesson,
//! marking it done, answering a quiz, and a learner's progress. The
//! learner's pages (`web::learn`) and the API (`web::api`) call these same
//! functions, so both refuse the same things in the same way:
//!
//! - no such course or lesson: not found, naming it;
//! - a required course not complete, or not enrolled: forbidden (a page
//!   one may only read sends the learner to the course page, which says
//!   what to do; a form sent anyway gets the 403);
//! - answers sent to a lesson: not found (there is no such quiz);
//! - a quiz marked done by hand, answers that do not fit the quiz as it is
//!   now, or no attempts left: conflict;
//! - an Idempotency-Key of the wrong length: invalid.
//!
//! Input the API's description allows is never answered 400: a request can
//! be well formed and still name nothing (404) or not fit the state (409).

use std::sync::Arc;

use serde::Serialize;

use super::{Context, Message, ServiceError, ServiceResult};
use crate::catalog::Catalog;
use crate::course::{CompiledCourse, Item, Lesson, LessonKind, Quiz};
use crate::domain::grading::{self, Submission};
use crate::domain::progress::{self, CourseProgress, ProgressRecord};
use crate::store::courses::PublishedCourse;
use crate::store::progress::{AttemptError, AttemptOutcome, ProgressChange, StoredAttempt};
use crate::store::users::Account;

/// A stable shuffle of a quiz's choices, for the quiz page and the API
/// alike: the same learner sees the same order on each reload of
/// one attempt, a new order on the next attempt.
pub fn shuffled<'a>(items: impl Iterator<Item = &'a Item>, seed: &str) -> Vec<&'a Item> {
    let mut keyed: Vec<([u8; 32], &Item)> = items
        .map(|item| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(seed.as_bytes());
            hasher.update(item.id.as_bytes());
            (*hasher.finalize().as_bytes(), item)
        })
        .collect();
    keyed.sort_by_key(|a| a.0);
    keyed.into_iter().map(|(_, item)| item).collect()
}

/// The longest idempotency key (the API's `Idempotency-Key`, the quiz
/// form's attempt token), in characters.
pub const MAX_ATTEMPT_KEY_CHARS: usize = 200;

/// A published course by its slug.
pub fn course(catalog: &Catalog, slug: &str) -> ServiceResult<Arc<PublishedCourse>> {
    catalog.get(slug).ok_or_else(|| {
        ServiceError::not_found(Message::key("learning-no-course").arg("slug", slug))
    })
}

/// No lesson or quiz with this id in the course.
fn no_lesson(slug: &str, id: &str) -> ServiceError {
    ServiceError::not_found(
        Message::key("learning-no-lesson")
            .arg("id", id)
            .arg("slug", slug),
    )
}

/// A lesson of a course, found once and held with its course.
pub struct CourseLesson {
    pub course: Arc<PublishedCourse>,
    module: usize,
    index: usize,
}

impl CourseLesson {
    fn find(course: Arc<PublishedCourse>, id: &str) -> ServiceResult<CourseLesson> {
        let found = course
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
            });
        let Some((module, index)) = found else {
            return Err(no_lesson(&course.course.slug, id));
        };
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

/// A course in the catalogue.
pub struct CatalogueEntry {
    pub course: Arc<PublishedCourse>,
    /// The learner's progress, where they are enrolled.
    pub progress: Option<CourseProgress>,
}

/// Every published course, with the learner's progress in those they are
/// enrolled in (two queries for a learner, none for a visitor).
pub async fn catalogue(
    ctx: Context<'_>,
    account: Option<&Account>,
) -> ServiceResult<Vec<CatalogueEntry>> {
    let progress = match account {
        Some(account) => Some((
            ctx.store.all_progress_records(account.id).await?,
            ctx.store.enrolments(account.id).await?,
        )),
        None => None,
    };
    Ok(ctx
        .catalog
        .snapshot()
        .values()
        .map(|published| {
            let course = &published.course;
            let progress = progress
                .as_ref()
                .filter(|(_, enrolments)| enrolments.iter().any(|e| e.course_slug == course.slug))
                .map(|(records, _)| {
                    let records = records.get(&course.slug).map_or(&[][..], Vec::as_slice);
                    CourseProgress::of(course, records)
                });
            CatalogueEntry {
                course: published.clone(),
                progress,
            }
        })
        .collect())
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
        overview.continue_at =
            last.or_else(|| progress::next_item(course, &records).map(str::to_string));
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
        return Err(ServiceError::conflict(Message::key(
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
pub fn quiz_of(lesson: &Lesson) -> ServiceResult<&Quiz> {
    lesson.quiz.as_ref().ok_or_else(|| {
        ServiceError::not_found(Message::key("learning-not-a-quiz").arg("id", lesson.id.as_str()))
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
    if idempotency_key
        .is_some_and(|key| !(1..=MAX_ATTEMPT_KEY_CHARS).contains(&key.chars().count()))
    {
        return Err(ServiceError::invalid(
            Message::key("learning-attempt-key").arg("max", MAX_ATTEMPT_KEY_CHARS),
        ));
    }
    // Answers well formed as the API describes them, but not for this
    // quiz as it is now (a question or an option it does not have, a
    // list where it takes one choice): the client's idea of the quiz
    // conflicts with the quiz, so 409, as a page from before a new
    // version of the course would be.
    let graded = grading::grade(quiz, answers)
        .map_err(|e| ServiceError::conflict(Message::Words(e.to_string())))?;
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
            AttemptError::NoAttemptsLeft(max) => {
                ServiceError::conflict(Message::key("learning-no-attempts-left").arg("max", max))
            }
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
    let no_attempt =
        || ServiceError::not_found(Message::key("learning-no-attempt").arg("attempt", attempt_id));
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

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    use super::*;
    use crate::certificate::{Issuer, IssuerKey, KeyRing};
    use crate::config::Settings;
    use crate::domain::grading::SubmittedAnswer;
    use crate::domain::names::{FullName, Role, Username};
    use crate::store::Store;
    use crate::store::users::NewAccount;

    /// A database in a temporary file, with the platform test courses
    /// (`first-steps`, and `next-steps`, which requires it) published.
    pub(crate) struct World {
        _dir: tempfile::TempDir,
        pub store: Store,
        pub catalog: Catalog,
        settings: Settings,
        issuer: Issuer,
    }

    impl World {
        pub async fn new() -> World {
            let dir = tempfile::TempDir::new().unwrap();
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("presto.db").display()
            );
            let store = Store::connect(&url).await.unwrap();
            let courses = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform");
            crate::catalog::publish_folder(&store, &courses)
                .await
                .unwrap();
            let catalog = Catalog::default();
            catalog.reload(&store).await.unwrap();
            let key = IssuerKey::generate("test", chrono::Utc::now()).unwrap();
            let issuer =
                Issuer::new("https://presto.example", KeyRing::new(key, Vec::new())).unwrap();
            World {
                _dir: dir,
                store,
                catalog,
                settings: Settings::default(),
                issuer,
            }
        }

        pub fn ctx(&self) -> Context<'_> {
            Context {
                store: &self.store,
                catalog: &self.catalog,
                settings: &self.settings,
                issuer: &self.issuer,
            }
        }

        pub async fn account(&self, username: &str, role: Role, password_hash: &str) -> Account {
            self.store
                .create_user(NewAccount {
                    username: &Username::parse(username).unwrap(),
                    full_name: &FullName::parse(username).unwrap(),
                    email: None,
                    role,
                    password_hash,
                    language: "en",
                    home_language: None,
                    name_in_own_script: None,
                })
                .await
                .unwrap()
        }

        async fn learner(&self, username: &str) -> Account {
            self.account(username, Role::Learner, "not a hash").await
        }
    }

    fn english(error: &ServiceError) -> String {
        match error {
            ServiceError::NotFound(m) | ServiceError::Forbidden(m) | ServiceError::Conflict(m) => {
                m.english()
            }
            ServiceError::Invalid(problems) => Message::All(problems.clone()).english(),
            other => other.to_string(),
        }
    }

    fn one(id: &str) -> SubmittedAnswer {
        SubmittedAnswer::One(id.to_string())
    }

    #[tokio::test]
    async fn unknown_courses_and_lessons_are_not_found_by_name() {
        let world = World::new().await;
        let amina = world.learner("amina").await;
        let error = enrol(world.ctx(), &amina, "cooking").await.err().unwrap();
        assert!(matches!(error, ServiceError::NotFound(_)));
        assert_eq!(english(&error), "There is no course \"cooking\".");
        let error = mark_done(world.ctx(), &amina, "first-steps", "nope")
            .await
            .err()
            .unwrap();
        assert_eq!(
            english(&error),
            "There is no lesson \"nope\" in \"first-steps\"."
        );
    }

    #[tokio::test]
    async fn a_required_course_comes_first() {
        let world = World::new().await;
        let amina = world.learner("amina").await;
        let missing = missing_prerequisites(
            world.ctx(),
            &amina,
            &course(&world.catalog, "next-steps").unwrap().course,
        )
        .await
        .unwrap();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].slug, "first-steps");
        assert_eq!(missing[0].title, "First steps at work");
        let error = enrol(world.ctx(), &amina, "next-steps")
            .await
            .err()
            .unwrap();
        assert!(matches!(error, ServiceError::Forbidden(_)));
        assert!(english(&error).contains("Finish the course \"first-steps\" first"));
        let enrolled = enrol(world.ctx(), &amina, "first-steps").await.unwrap();
        assert!(enrolled.new);
        assert_eq!(enrolled.first_lesson().unwrap().id, "hello");
        assert!(!enrol(world.ctx(), &amina, "first-steps").await.unwrap().new);
    }

    #[tokio::test]
    async fn lessons_need_enrolment_and_remember_where_the_learner_was() {
        let world = World::new().await;
        let amina = world.learner("amina").await;
        for error in [
            open_lesson(world.ctx(), &amina, "first-steps", "hello")
                .await
                .err()
                .unwrap(),
            enrolled_lesson(world.ctx(), &amina, "first-steps", "hello")
                .await
                .err()
                .unwrap(),
            mark_done(world.ctx(), &amina, "first-steps", "hello")
                .await
                .err()
                .unwrap(),
        ] {
            assert!(matches!(error, ServiceError::Forbidden(_)), "{error}");
            assert!(english(&error).starts_with("Enrol first"));
        }
        enrol(world.ctx(), &amina, "first-steps").await.unwrap();
        let opened = open_lesson(world.ctx(), &amina, "first-steps", "shoes")
            .await
            .unwrap();
        assert_eq!(opened.lesson.lesson().title, "Safety shoes");
        assert!(!opened.done());
        let overview = course_overview(world.ctx(), Some(&amina), "first-steps")
            .await
            .unwrap();
        assert!(overview.enrolled);
        assert_eq!(overview.continue_at.as_deref(), Some("shoes"));
    }

    #[tokio::test]
    async fn a_lesson_is_marked_done_but_a_quiz_only_by_passing() {
        let world = World::new().await;
        let amina = world.learner("amina").await;
        enrol(world.ctx(), &amina, "first-steps").await.unwrap();
        let marked = mark_done(world.ctx(), &amina, "first-steps", "hello")
            .await
            .unwrap();
        assert_eq!(marked.lesson.next().unwrap().id, "shoes");
        assert!(marked.change.progress.percent > 0);
        let error = mark_done(world.ctx(), &amina, "first-steps", "first-quiz")
            .await
            .err()
            .unwrap();
        assert!(matches!(error, ServiceError::Conflict(_)));
        assert_eq!(
            english(&error),
            "A quiz is done when it is passed: POST its attempts instead."
        );
        let rows = my_progress(world.ctx(), &amina).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].progress.lessons_done, 1);
        let percent = |entries: &[CatalogueEntry], slug: &str| {
            entries
                .iter()
                .find(|e| e.course.course.slug == slug)
                .map(|e| e.progress.as_ref().map(|p| p.percent))
        };
        let seen = catalogue(world.ctx(), Some(&amina)).await.unwrap();
        assert_eq!(
            percent(&seen, "first-steps"),
            Some(Some(rows[0].progress.percent))
        );
        assert_eq!(percent(&seen, "next-steps"), Some(None), "not enrolled");
        let visitor = catalogue(world.ctx(), None).await.unwrap();
        assert_eq!(percent(&visitor, "first-steps"), Some(None));
    }

    #[tokio::test]
    async fn attempts_are_graded_kept_once_per_key_and_run_out() {
        let world = World::new().await;
        let amina = world.learner("amina").await;
        enrol(world.ctx(), &amina, "first-steps").await.unwrap();
        let submit = |answers: Submission, key: Option<&'static str>| {
            let ctx = world.ctx();
            let amina = amina.clone();
            async move { submit_attempt(ctx, &amina, "first-steps", "first-quiz", &answers, key).await }
        };
        let not_a_quiz = submit_attempt(
            world.ctx(),
            &amina,
            "first-steps",
            "hello",
            &Submission::new(),
            None,
        )
        .await
        .err()
        .unwrap();
        assert_eq!(english(&not_a_quiz), "\"hello\" is a lesson, not a quiz.");
        let cannot_belong = submit(Submission::from([("nope".to_string(), one("x"))]), None)
            .await
            .err()
            .unwrap();
        assert!(matches!(cannot_belong, ServiceError::Conflict(_)));
        assert!(english(&cannot_belong).contains("no question"));
        let long_key: &'static str = "k".repeat(201).leak();
        let error = submit(Submission::new(), Some(long_key))
            .await
            .err()
            .unwrap();
        assert!(english(&error).contains("Idempotency-Key"));
        let error = submit(Submission::new(), Some("")).await.err().unwrap();
        assert!(matches!(error, ServiceError::Invalid(_)));

        let first = submit(Submission::new(), Some("one")).await.unwrap();
        assert!(!first.replayed);
        let again = submit(Submission::new(), Some("one")).await.unwrap();
        assert!(again.replayed);
        assert_eq!(again.attempt.id, first.attempt.id);
        submit(Submission::new(), None).await.unwrap();
        submit(Submission::new(), None).await.unwrap();
        let error = submit(Submission::new(), None).await.err().unwrap();
        assert!(matches!(error, ServiceError::Conflict(_)));
        assert_eq!(
            english(&error),
            "You have used all 3 attempts at this quiz."
        );
        let review = attempt(
            world.ctx(),
            &amina,
            "first-steps",
            "first-quiz",
            first.attempt.id,
        )
        .await
        .unwrap();
        assert_eq!(review.record().map(|r| r.attempts), Some(3));
        let someone_else = world.learner("farid").await;
        let error = attempt(
            world.ctx(),
            &someone_else,
            "first-steps",
            "first-quiz",
            first.attempt.id,
        )
        .await
        .err()
        .unwrap();
        assert!(matches!(error, ServiceError::NotFound(_)));
    }
}
