//! Enrolments, progress per lesson and quiz attempts.
//!
//! An attempt and the progress it changes are written in one transaction,
//! as is the course's completion. A resubmitted attempt (same idempotency
//! key) is found and returned, not stored twice.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr, TransactionTrait,
};

use super::{Store, StoreError, StoreResult, now};
use crate::course::{CompiledCourse, LessonKind};
use crate::domain::grading::{GradedAttempt, Submission};
use crate::domain::progress::{CourseProgress, ProgressRecord};

pub mod enrolment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "enrolments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub course_slug: String,
        pub enrolled_at: ChronoDateTimeUtc,
        pub last_lesson_id: Option<String>,
        pub last_active_at: ChronoDateTimeUtc,
        pub completed_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lesson_progress {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson_progress")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub course_slug: String,
        pub lesson_id: String,
        pub kind: String,
        /// When the lesson was marked done, or the quiz first passed.
        pub completed_at: Option<ChronoDateTimeUtc>,
        pub best_score: Option<i32>,
        pub passed: bool,
        pub attempts: i32,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod quiz_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quiz_attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub course_slug: String,
        pub lesson_id: String,
        pub course_version: i32,
        pub score: i32,
        pub passed: bool,
        #[sea_orm(column_type = "Text")]
        pub answers: String,
        #[sea_orm(column_type = "Text")]
        pub results: String,
        pub idempotency_key: Option<String>,
        pub submitted_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use enrolment::Model as Enrolment;

/// What writing progress changed.
#[derive(Debug, Clone)]
pub struct ProgressChange {
    pub progress: CourseProgress,
    /// True only for the write that completed the course.
    pub completed_now: bool,
    /// The certificate issued by this write (with the completion).
    pub certificate: Option<super::certificates::Certificate>,
}

/// A stored attempt, graded.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    pub id: i32,
    pub lesson_id: String,
    pub graded: GradedAttempt,
    pub answers: Submission,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug)]
pub struct AttemptOutcome {
    pub attempt: StoredAttempt,
    /// True when this was a resubmission of an attempt already stored.
    pub replayed: bool,
    pub change: Option<ProgressChange>,
}

#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    #[error("You have used all {0} attempts at this quiz.")]
    NoAttemptsLeft(u32),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AttemptError {
    fn from(e: sea_orm::DbErr) -> Self {
        AttemptError::Store(e.into())
    }
}

fn record_of(row: &lesson_progress::Model) -> ProgressRecord {
    ProgressRecord {
        lesson_id: row.lesson_id.clone(),
        done: row.completed_at.is_some(),
        best_score: row.best_score.and_then(|s| u8::try_from(s).ok()),
        passed: row.passed,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
    }
}

fn stored_attempt(row: quiz_attempt::Model) -> StoreResult<StoredAttempt> {
    let graded = serde_json::from_str(&row.results)
        .map_err(|e| StoreError::Corrupt(format!("attempt {} results: {e}", row.id)))?;
    let answers = serde_json::from_str(&row.answers)
        .map_err(|e| StoreError::Corrupt(format!("attempt {} answers: {e}", row.id)))?;
    Ok(StoredAttempt {
        id: row.id,
        lesson_id: row.lesson_id,
        graded,
        answers,
        submitted_at: row.submitted_at,
    })
}

async fn records_in<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    slug: &str,
) -> StoreResult<Vec<ProgressRecord>> {
    let rows = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::CourseSlug.eq(slug))
        .all(db)
        .await?;
    Ok(rows.iter().map(record_of).collect())
}

/// Recomputes the course's progress inside the transaction and marks the
/// enrolment complete the first time everything is done; that first time
/// also issues the certificate and queues its mail, in the same transaction.
async fn settle_completion(
    txn: &DatabaseTransaction,
    user_id: i32,
    course: &CompiledCourse,
    course_version: i32,
    lesson_id: &str,
    organisation: &str,
) -> StoreResult<ProgressChange> {
    let records = records_in(txn, user_id, &course.slug).await?;
    let progress = CourseProgress::of(course, &records);
    // Held until the transaction ends (PostgreSQL; SQLite has one writer),
    // so two attempts at once cannot both complete the course or both move
    // its latest activity.
    let enrolment = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::CourseSlug.eq(&course.slug))
        .lock_exclusive()
        .one(txn)
        .await?;
    let mut completed_now = false;
    let mut certificate = None;
    if let Some(row) = enrolment {
        let first_completion = progress.completed && row.completed_at.is_none();
        let (enrolled_at, was_active) = (row.enrolled_at, row.last_active_at);
        let at = now();
        let mut active: enrolment::ActiveModel = row.into();
        active.last_lesson_id = Set(Some(lesson_id.to_string()));
        active.last_active_at = Set(at);
        if first_completion {
            active.completed_at = Set(Some(at));
            completed_now = true;
        }
        active.update(txn).await?;
        super::report_rollup::move_activity(txn, &course.slug, was_active, at).await?;
        if first_completion {
            super::report_rollup::add_completion(txn, &course.slug, enrolled_at, at).await?;
            certificate = super::certificates::issue_in(
                txn,
                user_id,
                course,
                course_version,
                organisation,
                at,
            )
            .await?;
            if let Some(issued) = &certificate {
                super::mail::enqueue_certificate_in(txn, issued).await?;
            }
        }
    }
    Ok(ProgressChange {
        progress,
        completed_now,
        certificate,
    })
}

impl Store {
    /// Enrols the learner; enrolling twice is harmless. True if new.
    pub async fn enrol(&self, user_id: i32, slug: &str) -> StoreResult<bool> {
        let _writer = self.write_lock().await;
        enrol_in(self.db(), user_id, slug).await
    }

    pub async fn enrolment(&self, user_id: i32, slug: &str) -> StoreResult<Option<Enrolment>> {
        // `.all()`: see `account` for why not `.one()` on a hot path.
        Ok(enrolment::Entity::find()
            .filter(enrolment::Column::UserId.eq(user_id))
            .filter(enrolment::Column::CourseSlug.eq(slug))
            .all(self.db())
            .await?
            .into_iter()
            .next())
    }

    /// For the lesson page, in one query: whether the learner is enrolled,
    /// the lesson they opened last, and their progress records.
    pub async fn enrolment_and_progress(
        &self,
        user_id: i32,
        slug: &str,
    ) -> StoreResult<Option<(Option<String>, Vec<ProgressRecord>)>> {
        let backend = self.backend();
        let (first, second) = match backend {
            sea_orm::DbBackend::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        let sql = format!(
            "SELECT e.last_lesson_id, p.lesson_id, p.completed_at IS NOT NULL AS done, \
                    p.best_score, p.passed, p.attempts \
             FROM enrolments e LEFT JOIN lesson_progress p \
               ON p.user_id = e.user_id AND p.course_slug = e.course_slug \
             WHERE e.user_id = {first} AND e.course_slug = {second}"
        );
        let rows = self
            .db()
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                sql,
                [user_id.into(), slug.into()],
            ))
            .await?;
        let Some(first_row) = rows.first() else {
            return Ok(None);
        };
        let last_lesson: Option<String> = first_row.try_get("", "last_lesson_id")?;
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(lesson_id) = row.try_get::<Option<String>>("", "lesson_id")? else {
                continue;
            };
            let best: Option<i32> = row.try_get("", "best_score")?;
            records.push(ProgressRecord {
                lesson_id,
                done: row.try_get("", "done")?,
                best_score: best.and_then(|s| u8::try_from(s).ok()),
                passed: row.try_get::<Option<bool>>("", "passed")?.unwrap_or(false),
                attempts: row
                    .try_get::<Option<i32>>("", "attempts")?
                    .and_then(|a| u32::try_from(a).ok())
                    .unwrap_or(0),
            });
        }
        Ok(Some((last_lesson, records)))
    }

    pub async fn enrolments(&self, user_id: i32) -> StoreResult<Vec<Enrolment>> {
        Ok(enrolment::Entity::find()
            .filter(enrolment::Column::UserId.eq(user_id))
            .order_by_asc(enrolment::Column::EnrolledAt)
            .all(self.db())
            .await?)
    }

    /// The courses the learner has completed, by slug: what `requires` is
    /// checked against.
    pub async fn completed_courses(&self, user_id: i32) -> StoreResult<BTreeSet<String>> {
        Ok(self
            .enrolments(user_id)
            .await?
            .into_iter()
            .filter(|e| e.completed_at.is_some())
            .map(|e| e.course_slug)
            .collect())
    }

    /// Remembers the lesson a learner opened, for "continue where you left
    /// off". Called only when it differs from the one stored.
    pub async fn remember_position(
        &self,
        user_id: i32,
        slug: &str,
        lesson_id: &str,
    ) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        // Held to the end (see `settle_completion`): the roll-up moves the
        // latest activity from the day stored here.
        // `.all()`: see `account` for why not `.one()` on a hot path.
        let Some(row) = enrolment::Entity::find()
            .filter(enrolment::Column::UserId.eq(user_id))
            .filter(enrolment::Column::CourseSlug.eq(slug))
            .lock_exclusive()
            .all(&txn)
            .await?
            .into_iter()
            .next()
        else {
            return Ok(());
        };
        let (was_active, at) = (row.last_active_at, now());
        let mut active: enrolment::ActiveModel = row.into();
        active.last_lesson_id = Set(Some(lesson_id.to_string()));
        active.last_active_at = Set(at);
        active.update(&txn).await?;
        super::report_rollup::move_activity(&txn, slug, was_active, at).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn progress_records(
        &self,
        user_id: i32,
        slug: &str,
    ) -> StoreResult<Vec<ProgressRecord>> {
        records_in(self.db(), user_id, slug).await
    }

    /// Every record of the learner's, grouped by course.
    pub async fn all_progress_records(
        &self,
        user_id: i32,
    ) -> StoreResult<BTreeMap<String, Vec<ProgressRecord>>> {
        let rows = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::UserId.eq(user_id))
            .all(self.db())
            .await?;
        let mut by_course: BTreeMap<String, Vec<ProgressRecord>> = BTreeMap::new();
        for row in &rows {
            by_course
                .entry(row.course_slug.clone())
                .or_default()
                .push(record_of(row));
        }
        Ok(by_course)
    }

    /// Marks a lesson done (again is harmless) and settles completion.
    pub async fn mark_lesson_done(
        &self,
        user_id: i32,
        course: &CompiledCourse,
        course_version: i32,
        lesson_id: &str,
    ) -> StoreResult<ProgressChange> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let at = now();
        lesson_progress::Entity::insert(lesson_progress::ActiveModel {
            user_id: Set(user_id),
            course_slug: Set(course.slug.clone()),
            lesson_id: Set(lesson_id.to_string()),
            kind: Set(LessonKind::Lesson.as_str().to_string()),
            completed_at: Set(Some(at)),
            best_score: Set(None),
            passed: Set(false),
            attempts: Set(0),
            updated_at: Set(at),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                lesson_progress::Column::UserId,
                lesson_progress::Column::CourseSlug,
                lesson_progress::Column::LessonId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let change = settle_completion(
            &txn,
            user_id,
            course,
            course_version,
            lesson_id,
            self.organisation(),
        )
        .await?;
        txn.commit().await?;
        if change.certificate.is_some() {
            self.wake_mail_worker();
        }
        Ok(change)
    }

    /// Stores a graded attempt, updates the quiz's best score and the
    /// course's completion, all in one transaction. With an idempotency key
    /// already used by this learner, returns the stored attempt instead.
    /// With `max_attempts`, never stores more than that many, however many
    /// arrive at once, on any number of instances: the count in
    /// `lesson_progress` is claimed first, conditionally, and the attempt
    /// is stored only by the request whose claim matched.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_attempt(
        &self,
        user_id: i32,
        course: &CompiledCourse,
        course_version: i32,
        lesson_id: &str,
        max_attempts: Option<u32>,
        answers: &Submission,
        graded: &GradedAttempt,
        idempotency_key: Option<&str>,
    ) -> Result<AttemptOutcome, AttemptError> {
        if let Some(stored) = self.attempt_by_key(user_id, idempotency_key).await? {
            return Ok(AttemptOutcome {
                attempt: stored,
                replayed: true,
                change: None,
            });
        }
        let answers_json = serde_json::to_string(answers)
            .map_err(|e| StoreError::Corrupt(format!("answers: {e}")))?;
        let results_json = serde_json::to_string(graded)
            .map_err(|e| StoreError::Corrupt(format!("results: {e}")))?;

        // On SQLite this queues writers in the process (fewer busy waits);
        // the limit does not rest on it. It holds across instances and on
        // PostgreSQL through the conditional claim below.
        let writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let at = now();
        // The quiz's progress row exists before the claim. Its first
        // statement being a write also makes an SQLite transaction take the
        // write lock now (waiting its turn) rather than fail later when a
        // read it made has gone stale.
        lesson_progress::Entity::insert(lesson_progress::ActiveModel {
            user_id: Set(user_id),
            course_slug: Set(course.slug.clone()),
            lesson_id: Set(lesson_id.to_string()),
            kind: Set(LessonKind::Quiz.as_str().to_string()),
            completed_at: Set(None),
            best_score: Set(None),
            passed: Set(false),
            attempts: Set(0),
            updated_at: Set(at),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                lesson_progress::Column::UserId,
                lesson_progress::Column::CourseSlug,
                lesson_progress::Column::LessonId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        // Claim one attempt: one UPDATE that matches only while attempts are
        // left, so of any number at once only the allowed number match. On
        // PostgreSQL a second claim waits for the first's row lock and then
        // reads the count the first committed.
        let mut claim = lesson_progress::Entity::update_many()
            .col_expr(
                lesson_progress::Column::Attempts,
                Expr::col(lesson_progress::Column::Attempts).add(1),
            )
            .filter(lesson_progress::Column::UserId.eq(user_id))
            .filter(lesson_progress::Column::CourseSlug.eq(&course.slug))
            .filter(lesson_progress::Column::LessonId.eq(lesson_id));
        if let Some(max) = max_attempts {
            let max = i32::try_from(max).unwrap_or(i32::MAX);
            claim = claim.filter(lesson_progress::Column::Attempts.lt(max));
        }
        if claim.exec(&txn).await?.rows_affected != 1 {
            txn.rollback().await?;
            drop(writer);
            // The same attempt sent twice at once: the first one stored is
            // the answer to both, even when it used the last try.
            if let Some(stored) = self.attempt_by_key(user_id, idempotency_key).await? {
                return Ok(AttemptOutcome {
                    attempt: stored,
                    replayed: true,
                    change: None,
                });
            }
            return Err(match max_attempts {
                Some(max) => AttemptError::NoAttemptsLeft(max),
                None => StoreError::Corrupt(format!(
                    "no progress row for quiz {lesson_id} of user {user_id}"
                ))
                .into(),
            });
        }
        let inserted = quiz_attempt::ActiveModel {
            user_id: Set(user_id),
            course_slug: Set(course.slug.clone()),
            lesson_id: Set(lesson_id.to_string()),
            course_version: Set(course_version),
            score: Set(i32::from(graded.score)),
            passed: Set(graded.passed),
            answers: Set(answers_json),
            results: Set(results_json),
            idempotency_key: Set(idempotency_key.map(str::to_string)),
            submitted_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let attempt = match inserted {
            Ok(row) => row,
            // The same key raced in from another request (PostgreSQL, or a
            // second instance): the first one stored wins, and the rollback
            // gives back the attempt claimed above.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                drop(writer);
                let stored = self
                    .attempt_by_key(user_id, idempotency_key)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("attempt key conflict".into()))?;
                return Ok(AttemptOutcome {
                    attempt: stored,
                    replayed: true,
                    change: None,
                });
            }
            Err(e) => return Err(e.into()),
        };
        // The row as claimed (locked by the claim until the commit on
        // PostgreSQL): its best score and pass move with this attempt.
        let row = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::UserId.eq(user_id))
            .filter(lesson_progress::Column::CourseSlug.eq(&course.slug))
            .filter(lesson_progress::Column::LessonId.eq(lesson_id))
            .one(&txn)
            .await?
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "progress row for quiz {lesson_id} of user {user_id} gone"
                ))
            })?;
        let score = i32::from(graded.score);
        let newly_passed = graded.passed && !row.passed;
        let best = row.best_score.map_or(score, |b| Ord::max(b, score));
        let passed = row.passed || graded.passed;
        let mut active: lesson_progress::ActiveModel = row.into();
        active.best_score = Set(Some(best));
        active.passed = Set(passed);
        if newly_passed {
            active.completed_at = Set(Some(at));
        }
        active.updated_at = Set(at);
        active.update(&txn).await?;
        let change = settle_completion(
            &txn,
            user_id,
            course,
            course_version,
            lesson_id,
            self.organisation(),
        )
        .await?;
        txn.commit().await?;
        if change.certificate.is_some() {
            self.wake_mail_worker();
        }
        Ok(AttemptOutcome {
            attempt: stored_attempt(attempt)?,
            replayed: false,
            change: Some(change),
        })
    }

    async fn attempt_by_key(
        &self,
        user_id: i32,
        key: Option<&str>,
    ) -> StoreResult<Option<StoredAttempt>> {
        let Some(key) = key else { return Ok(None) };
        quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::UserId.eq(user_id))
            .filter(quiz_attempt::Column::IdempotencyKey.eq(key))
            .one(self.db())
            .await?
            .map(stored_attempt)
            .transpose()
    }

    /// One of the learner's own attempts.
    pub async fn attempt(
        &self,
        user_id: i32,
        attempt_id: i32,
    ) -> StoreResult<Option<StoredAttempt>> {
        quiz_attempt::Entity::find_by_id(attempt_id)
            .filter(quiz_attempt::Column::UserId.eq(user_id))
            .one(self.db())
            .await?
            .map(stored_attempt)
            .transpose()
    }

    pub async fn attempt_count(
        &self,
        user_id: i32,
        slug: &str,
        lesson_id: &str,
    ) -> StoreResult<u64> {
        Ok(quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::UserId.eq(user_id))
            .filter(quiz_attempt::Column::CourseSlug.eq(slug))
            .filter(quiz_attempt::Column::LessonId.eq(lesson_id))
            .count(self.db())
            .await?)
    }
}

/// Enrols a learner in a course (nothing when already enrolled), inside
/// the caller's transaction. True when newly enrolled.
pub(crate) async fn enrol_in<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    slug: &str,
) -> StoreResult<bool> {
    let at = now();
    let inserted = enrolment::Entity::insert(enrolment::ActiveModel {
        user_id: Set(user_id),
        course_slug: Set(slug.to_string()),
        enrolled_at: Set(at),
        last_lesson_id: Set(None),
        last_active_at: Set(at),
        completed_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([enrolment::Column::UserId, enrolment::Column::CourseSlug])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    if inserted > 0 {
        super::report_rollup::add_enrolment(conn, slug, at).await?;
    }
    Ok(inserted > 0)
}
