//! What the class progress page reads: the class's members and, for the
//! class's courses only, their enrolments, progress records and quiz
//! attempts.
//!
//! Four queries whatever the size of the class, each restricted to the
//! class's members by a subquery on `class_members` (its primary key starts
//! with `class_id`) and to the class's course slugs, so each uses the
//! existing `(user_id, course_slug, ...)` indexes of enrolments,
//! lesson_progress and quiz_attempts: only this class's rows are read,
//! never a scan of all progress. (A subquery rather than a list of ids
//! also keeps a large class under the databases' limits on bound values.)

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};

use super::classes::{Class, class_member};
use super::progress::{enrolment, lesson_progress, quiz_attempt};
use super::users::user;
use super::{Store, StoreResult};
use crate::domain::class_progress::{AttemptFacts, EnrolmentFacts, LearnerFacts};
use crate::domain::progress::ProgressRecord;

/// A member of the class, as the page names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i32,
    pub username: String,
    pub full_name: String,
}

/// The class's members by name, each with their facts.
#[derive(Debug, Clone, Default)]
pub struct ClassProgressRows {
    pub members: Vec<(Member, LearnerFacts)>,
}

#[derive(Debug, FromQueryResult)]
struct AttemptRow {
    id: i32,
    user_id: i32,
    course_slug: String,
    lesson_id: String,
    passed: bool,
    submitted_at: DateTime<Utc>,
    results: String,
}

/// The part of a stored graded attempt needed here; the rest (feedback)
/// is ignored when reading.
#[derive(serde::Deserialize)]
struct StoredResults {
    questions: Vec<StoredQuestion>,
}

#[derive(serde::Deserialize)]
struct StoredQuestion {
    id: String,
    correct: bool,
}

fn members_of(class_id: i32) -> SelectStatement {
    Query::select()
        .column(class_member::Column::UserId)
        .from(class_member::Entity)
        .and_where(class_member::Column::ClassId.eq(class_id))
        .to_owned()
}

impl Store {
    /// The class's members and what they did in the class's courses.
    pub async fn class_progress_rows(&self, class: &Class) -> StoreResult<ClassProgressRows> {
        let joined: HashMap<i32, DateTime<Utc>> = class_member::Entity::find()
            .filter(class_member::Column::ClassId.eq(class.id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| (m.user_id, m.joined_at))
            .collect();
        if joined.is_empty() {
            return Ok(ClassProgressRows::default());
        }
        let people: Vec<(i32, String, String)> = user::Entity::find()
            .select_only()
            .columns([
                user::Column::Id,
                user::Column::Username,
                user::Column::FullName,
            ])
            .filter(user::Column::Id.in_subquery(members_of(class.id)))
            .into_tuple()
            .all(self.db())
            .await?;

        let mut facts: BTreeMap<i32, LearnerFacts> = people
            .iter()
            .map(|(id, _, _)| {
                let learner = LearnerFacts {
                    user_id: *id,
                    joined_at: joined.get(id).copied().unwrap_or_default(),
                    ..Default::default()
                };
                (*id, learner)
            })
            .collect();

        if !class.courses.is_empty() {
            self.add_enrolments(class, &mut facts).await?;
            self.add_records(class, &mut facts).await?;
            self.add_attempts(class, &mut facts).await?;
        }

        let mut members: Vec<(Member, LearnerFacts)> = people
            .into_iter()
            .filter_map(|(id, username, full_name)| {
                let learner = facts.remove(&id)?;
                Some((
                    Member {
                        id,
                        username,
                        full_name,
                    },
                    learner,
                ))
            })
            .collect();
        members.sort_by(|(a, _), (b, _)| {
            (a.full_name.to_lowercase(), &a.username)
                .cmp(&(b.full_name.to_lowercase(), &b.username))
        });
        Ok(ClassProgressRows { members })
    }

    async fn add_enrolments(
        &self,
        class: &Class,
        facts: &mut BTreeMap<i32, LearnerFacts>,
    ) -> StoreResult<()> {
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::UserId.in_subquery(members_of(class.id)))
            .filter(enrolment::Column::CourseSlug.is_in(class.courses.iter().cloned()))
            .all(self.db())
            .await?;
        for row in rows {
            if let Some(learner) = facts.get_mut(&row.user_id) {
                learner.enrolments.push(EnrolmentFacts {
                    course_slug: row.course_slug,
                    last_active_at: row.last_active_at,
                    completed_at: row.completed_at,
                });
            }
        }
        Ok(())
    }

    async fn add_records(
        &self,
        class: &Class,
        facts: &mut BTreeMap<i32, LearnerFacts>,
    ) -> StoreResult<()> {
        let rows = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::UserId.in_subquery(members_of(class.id)))
            .filter(lesson_progress::Column::CourseSlug.is_in(class.courses.iter().cloned()))
            .all(self.db())
            .await?;
        for row in rows {
            let Some(learner) = facts.get_mut(&row.user_id) else {
                continue;
            };
            learner.records_updated_at = learner.records_updated_at.max(Some(row.updated_at));
            learner
                .records
                .entry(row.course_slug.clone())
                .or_default()
                .push(ProgressRecord {
                    lesson_id: row.lesson_id,
                    done: row.completed_at.is_some(),
                    best_score: row.best_score.and_then(|s| u8::try_from(s).ok()),
                    passed: row.passed,
                    attempts: u32::try_from(row.attempts).unwrap_or(0),
                });
        }
        Ok(())
    }

    async fn add_attempts(
        &self,
        class: &Class,
        facts: &mut BTreeMap<i32, LearnerFacts>,
    ) -> StoreResult<()> {
        // Only the columns needed: the stored answers are left in the database.
        let rows = quiz_attempt::Entity::find()
            .select_only()
            .columns([
                quiz_attempt::Column::Id,
                quiz_attempt::Column::UserId,
                quiz_attempt::Column::CourseSlug,
                quiz_attempt::Column::LessonId,
                quiz_attempt::Column::Passed,
                quiz_attempt::Column::SubmittedAt,
                quiz_attempt::Column::Results,
            ])
            .filter(quiz_attempt::Column::UserId.in_subquery(members_of(class.id)))
            .filter(quiz_attempt::Column::CourseSlug.is_in(class.courses.iter().cloned()))
            .into_model::<AttemptRow>()
            .all(self.db())
            .await?;
        for row in rows {
            let Some(learner) = facts.get_mut(&row.user_id) else {
                continue;
            };
            // An attempt whose results cannot be read still counts as an
            // attempt (pass or fail); it just adds nothing to the shares.
            let questions = match serde_json::from_str::<StoredResults>(&row.results) {
                Ok(results) => results
                    .questions
                    .into_iter()
                    .map(|q| (q.id, q.correct))
                    .collect(),
                Err(e) => {
                    tracing::warn!(attempt = row.id, error = %e, "attempt results unreadable");
                    Vec::new()
                }
            };
            learner.attempts.push(AttemptFacts {
                id: row.id,
                user_id: row.user_id,
                course_slug: row.course_slug,
                lesson_id: row.lesson_id,
                passed: row.passed,
                submitted_at: row.submitted_at,
                questions,
            });
        }
        Ok(())
    }
}
