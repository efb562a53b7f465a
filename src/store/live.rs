//! Live classes in the database: the class now live, its numbered events,
//! its questions and answers, hands up and who joined. Every change is one
//! transaction with the event that tells of it, so an event is sent only
//! for what was stored (see `crate::live`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement, TransactionTrait,
};
use serde_json::{Value, json};

use super::classes::{attendance, class_member, class_session};
use super::users::user;
use super::{Store, StoreError, StoreResult};
use crate::domain::class::Attendance;
use crate::live::{EventKind, LiveEvent};

pub mod live_class {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "live_classes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
        pub session_id: i32,
        pub started_at: ChronoDateTimeUtc,
        pub course_slug: Option<String>,
        pub lesson_id: Option<String>,
        pub question_id: Option<i32>,
        pub last_seq: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod live_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "live_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub session_id: i32,
        pub event: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod live_question {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "live_questions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub session_id: i32,
        pub kind: String,
        pub text: String,
        pub options: String,
        pub correct: Option<i32>,
        pub course_slug: Option<String>,
        pub quiz_id: Option<String>,
        pub question_ref: Option<String>,
        pub revealed: bool,
        pub asked_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod live_answer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "live_answers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub question_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub answer: String,
        pub choice: Option<i32>,
        pub right: Option<bool>,
        pub answered_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod live_hand {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "live_hands")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub raised_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod live_attendee {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "live_attendees")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub joined_at: ChronoDateTimeUtc,
        pub following: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub type LiveClass = live_class::Model;
pub type LiveQuestion = live_question::Model;

impl LiveQuestion {
    /// The choices, as asked.
    pub fn choices(&self) -> Vec<String> {
        serde_json::from_str(&self.options).unwrap_or_default()
    }
}

/// Where a live class's session comes from.
pub enum LiveSession<'a> {
    /// A scheduled session of the class.
    Scheduled(i32),
    /// None was scheduled: a session starting now is added.
    Unscheduled {
        title: &'a str,
        duration_minutes: i32,
    },
}

/// A question to put to the class.
pub struct NewLiveQuestion<'a> {
    /// poll, check or course
    pub kind: &'a str,
    pub text: &'a str,
    pub options: &'a [String],
    pub correct: Option<i32>,
    /// For a course question: its course, quiz (lesson id) and id.
    pub source: Option<(&'a str, &'a str, &'a str)>,
    /// For a course question: how to answer it (never what is right).
    pub quiz: Option<Value>,
}

/// A learner's answer, already checked and graded.
pub struct LiveAnswer<'a> {
    pub user_id: i32,
    pub answer: &'a Value,
    pub choice: Option<i32>,
    pub right: Option<bool>,
}

/// What an answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    First,
    Replaced,
    /// The question is not the open one (revealed, replaced, or the class
    /// ended).
    NotOpen,
}

/// The answers so far to one question.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// Per choice, in the question's order: how many chose it (for a
    /// question with several right, how many ticked it).
    pub counts: Vec<u64>,
    /// For questions with a right answer: how many were right and not.
    pub right: u64,
    pub wrong: u64,
    /// Who has answered.
    pub answered: HashSet<i32>,
}

/// A hand up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hand {
    pub user_id: i32,
    pub username: String,
    pub raised_at: DateTime<Utc>,
}

/// A learner who joined the live class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub user_id: i32,
    pub joined_at: DateTime<Utc>,
    pub following: bool,
}

/// What joining did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub first: bool,
    /// The learner's mark on the register now (the tutor's own, if they
    /// marked them already).
    pub status: Attendance,
}

impl Store {
    /// The class's live class, if it is live.
    pub async fn live_class(&self, class_id: i32) -> StoreResult<Option<LiveClass>> {
        Ok(live_class::Entity::find_by_id(class_id)
            .all(self.db())
            .await?
            .into_iter()
            .next())
    }

    /// The live classes among a learner's classes: (class, session).
    pub async fn live_classes_of(&self, user_id: i32) -> StoreResult<Vec<LiveClass>> {
        let classes: Vec<i32> = class_member::Entity::find()
            .filter(class_member::Column::UserId.eq(user_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| m.class_id)
            .collect();
        if classes.is_empty() {
            return Ok(Vec::new());
        }
        Ok(live_class::Entity::find()
            .filter(live_class::Column::ClassId.is_in(classes))
            .all(self.db())
            .await?)
    }

    /// Each learner's live answers in all of the class's sessions:
    /// (answered, right).
    pub async fn live_answer_counts(&self, class_id: i32) -> StoreResult<HashMap<i32, (u64, u64)>> {
        let sessions: Vec<i32> = class_session::Entity::find()
            .filter(class_session::Column::ClassId.eq(class_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if sessions.is_empty() {
            return Ok(HashMap::new());
        }
        let questions: Vec<i32> = live_question::Entity::find()
            .filter(live_question::Column::SessionId.is_in(sessions))
            .all(self.db())
            .await?
            .into_iter()
            .map(|q| q.id)
            .collect();
        if questions.is_empty() {
            return Ok(HashMap::new());
        }
        let mut counts: HashMap<i32, (u64, u64)> = HashMap::new();
        for answer in live_answer::Entity::find()
            .filter(live_answer::Column::QuestionId.is_in(questions))
            .all(self.db())
            .await?
        {
            let entry = counts.entry(answer.user_id).or_default();
            entry.0 += 1;
            if answer.right == Some(true) {
                entry.1 += 1;
            }
        }
        Ok(counts)
    }

    /// Makes the class live. Already live: the live class as it is, and
    /// false.
    pub async fn start_live(
        &self,
        class_id: i32,
        session: LiveSession<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<(LiveClass, bool)> {
        if let Some(live) = self.live_class(class_id).await? {
            return Ok((live, false));
        }
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let session_id = match session {
            LiveSession::Scheduled(id) => id,
            LiveSession::Unscheduled {
                title,
                duration_minutes,
            } => {
                class_session::ActiveModel {
                    class_id: Set(class_id),
                    title: Set(title.to_string()),
                    starts_at: Set(now),
                    duration_minutes: Set(duration_minutes),
                    meeting_url: Set(String::new()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        let row = live_class::Model {
            class_id,
            session_id,
            started_at: now,
            course_slug: None,
            lesson_id: None,
            question_id: None,
            last_seq: 0,
        };
        // Two tutors' tabs at once (or two instances): one row wins, and
        // the other start answers with it.
        let inserted = live_class::Entity::insert(live_class::ActiveModel::from(row.clone()))
            .on_conflict(
                OnConflict::column(live_class::Column::ClassId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if inserted == 0 {
            txn.rollback().await?;
            drop(_writer);
            let live = self
                .live_class(class_id)
                .await?
                .ok_or_else(|| StoreError::Corrupt("a live class vanished".into()))?;
            return Ok((live, false));
        }
        // Events of an earlier live class of this class are not for this one.
        live_event::Entity::delete_many()
            .filter(live_event::Column::ClassId.eq(class_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok((row, true))
    }

    /// The kept events of the class's live session after `seq`, in order.
    pub async fn live_events_after(
        &self,
        class_id: i32,
        session_id: i32,
        seq: i64,
    ) -> StoreResult<Vec<LiveEvent>> {
        live_event::Entity::find()
            .filter(live_event::Column::ClassId.eq(class_id))
            .filter(live_event::Column::SessionId.eq(session_id))
            .filter(live_event::Column::Seq.gt(seq))
            .order_by_asc(live_event::Column::Seq)
            .all(self.db())
            .await?
            .into_iter()
            .map(|row| {
                serde_json::from_str(&row.event)
                    .map_err(|e| StoreError::Corrupt(format!("live event: {e}")))
            })
            .collect()
    }

    /// Shows a lesson to the class. None when the class is not live.
    pub async fn set_live_lesson(
        &self,
        class_id: i32,
        course: &str,
        lesson: &str,
    ) -> StoreResult<Option<()>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(None);
        };
        live_class::Entity::update_many()
            .col_expr(live_class::Column::CourseSlug, Expr::value(course))
            .col_expr(live_class::Column::LessonId, Expr::value(lesson))
            .filter(live_class::Column::ClassId.eq(class_id))
            .exec(&txn)
            .await?;
        let event = LiveEvent::new(
            class_id,
            live.session_id,
            EventKind::Lesson,
            json!({"course": course, "lesson": lesson}),
        );
        self.commit_with(txn, vec![event]).await?;
        Ok(Some(()))
    }

    /// Puts a question to the class; it replaces the open one. Its id, or
    /// None when the class is not live.
    pub async fn ask_live(
        &self,
        class_id: i32,
        new: NewLiveQuestion<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i32>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(None);
        };
        let (course, quiz, question) = match new.source {
            Some((c, q, r)) => (
                Some(c.to_string()),
                Some(q.to_string()),
                Some(r.to_string()),
            ),
            None => (None, None, None),
        };
        let stored = live_question::ActiveModel {
            session_id: Set(live.session_id),
            kind: Set(new.kind.to_string()),
            text: Set(new.text.to_string()),
            options: Set(serde_json::to_string(new.options).unwrap_or_else(|_| "[]".into())),
            correct: Set(new.correct),
            course_slug: Set(course),
            quiz_id: Set(quiz),
            question_ref: Set(question),
            revealed: Set(false),
            asked_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        live_class::Entity::update_many()
            .col_expr(live_class::Column::QuestionId, Expr::value(stored.id))
            .filter(live_class::Column::ClassId.eq(class_id))
            .exec(&txn)
            .await?;
        // Never the right answer: learners get this before the reveal.
        let mut data = json!({"id": stored.id, "text": new.text, "options": new.options});
        if let (Some(quiz), Some(fields)) = (new.quiz, data.as_object_mut()) {
            fields.insert("quiz".into(), quiz);
        }
        let event = LiveEvent::new(class_id, live.session_id, EventKind::Question, data);
        self.commit_with(txn, vec![event]).await?;
        Ok(Some(stored.id))
    }

    pub async fn live_question(&self, id: i32) -> StoreResult<Option<LiveQuestion>> {
        Ok(live_question::Entity::find_by_id(id)
            .all(self.db())
            .await?
            .into_iter()
            .next())
    }

    /// Stores a learner's answer to the open question (replacing their
    /// earlier one) and tells the tutors the new tally, `total` learners
    /// in all.
    pub async fn answer_live(
        &self,
        class_id: i32,
        question: &LiveQuestion,
        answer: LiveAnswer<'_>,
        total: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<Answered> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let open = live_in(&txn, class_id)
            .await?
            .is_some_and(|live| live.question_id == Some(question.id));
        let revealed = live_question::Entity::find_by_id(question.id)
            .all(&txn)
            .await?
            .into_iter()
            .next()
            .is_none_or(|q| q.revealed);
        if !open || revealed {
            return Ok(Answered::NotOpen);
        }
        let earlier = live_answer::Entity::find_by_id((question.id, answer.user_id))
            .all(&txn)
            .await?;
        live_answer::Entity::insert(live_answer::ActiveModel {
            question_id: Set(question.id),
            user_id: Set(answer.user_id),
            answer: Set(answer.answer.to_string()),
            choice: Set(answer.choice),
            right: Set(answer.right),
            answered_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([live_answer::Column::QuestionId, live_answer::Column::UserId])
                .update_columns([
                    live_answer::Column::Answer,
                    live_answer::Column::Choice,
                    live_answer::Column::Right,
                    live_answer::Column::AnsweredAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let tally = tally_in(&txn, question).await?;
        let event = LiveEvent::new(
            class_id,
            question.session_id,
            EventKind::Tally,
            tally_json(question, &tally, total),
        );
        self.commit_with(txn, vec![event]).await?;
        Ok(if earlier.is_empty() {
            Answered::First
        } else {
            Answered::Replaced
        })
    }

    /// The answers so far to a question.
    pub async fn live_tally(&self, question: &LiveQuestion) -> StoreResult<Tally> {
        tally_in(self.db(), question).await
    }

    /// Each learner's answer to a question: (answer, right).
    pub async fn live_answers(
        &self,
        question_id: i32,
    ) -> StoreResult<HashMap<i32, (Value, Option<bool>)>> {
        answers_in(self.db(), question_id).await
    }

    /// Reveals the answer: every learner is told theirs, whether it was
    /// right, and the feedback it `earned` (when that is more than the
    /// question's `feedback`). `correct` is what the class is told is right. None when
    /// the question is not this live class's.
    pub async fn reveal_live(
        &self,
        class_id: i32,
        question: &LiveQuestion,
        correct: Value,
        feedback: Option<&str>,
        earned: impl Fn(&Value) -> Option<String>,
    ) -> StoreResult<Option<()>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(None);
        };
        if live.session_id != question.session_id {
            return Ok(None);
        }
        let already = live_question::Entity::find_by_id(question.id)
            .all(&txn)
            .await?
            .into_iter()
            .next()
            .is_some_and(|q| q.revealed);
        if already {
            return Ok(Some(()));
        }
        live_question::Entity::update_many()
            .col_expr(live_question::Column::Revealed, Expr::value(true))
            .filter(live_question::Column::Id.eq(question.id))
            .exec(&txn)
            .await?;
        let mut event = LiveEvent::new(
            class_id,
            live.session_id,
            EventKind::Reveal,
            json!({"question_id": question.id, "correct": correct, "feedback": feedback}),
        );
        event.personal = answers_in(&txn, question.id)
            .await?
            .into_iter()
            .map(|(user, (answer, right))| {
                let mut own = json!({"answer": answer, "right": right});
                if let (Some(text), Some(fields)) = (earned(&answer), own.as_object_mut()) {
                    fields.insert("feedback".into(), json!(text));
                }
                (user, own)
            })
            .collect::<BTreeMap<_, _>>();
        self.commit_with(txn, vec![event]).await?;
        Ok(Some(()))
    }

    /// The hands up, in the order they went up.
    pub async fn live_hands(&self, class_id: i32) -> StoreResult<Vec<Hand>> {
        let hands = live_hand::Entity::find()
            .filter(live_hand::Column::ClassId.eq(class_id))
            .order_by_asc(live_hand::Column::RaisedAt)
            .all(self.db())
            .await?;
        let names = usernames(self.db(), hands.iter().map(|h| h.user_id)).await?;
        Ok(hands
            .into_iter()
            .map(|h| Hand {
                username: names.get(&h.user_id).cloned().unwrap_or_default(),
                user_id: h.user_id,
                raised_at: h.raised_at,
            })
            .collect())
    }

    /// Raises or lowers a learner's hand. None when the class is not live.
    pub async fn set_live_hand(
        &self,
        class_id: i32,
        user_id: i32,
        username: &str,
        up: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<()>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(None);
        };
        let changed = if up {
            live_hand::Entity::insert(live_hand::ActiveModel {
                class_id: Set(class_id),
                user_id: Set(user_id),
                raised_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([live_hand::Column::ClassId, live_hand::Column::UserId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?
        } else {
            live_hand::Entity::delete_many()
                .filter(live_hand::Column::ClassId.eq(class_id))
                .filter(live_hand::Column::UserId.eq(user_id))
                .exec(&txn)
                .await?
                .rows_affected
        };
        let events = if changed > 0 {
            vec![LiveEvent::new(
                class_id,
                live.session_id,
                EventKind::Hand,
                json!({"user_id": user_id, "username": username, "up": up}),
            )]
        } else {
            Vec::new()
        };
        self.commit_with(txn, events).await?;
        Ok(Some(()))
    }

    /// A learner opened the live class: marks them present, or late after
    /// `late_from`, unless the tutor marked them already. None when the
    /// class is not live.
    pub async fn join_live(
        &self,
        class_id: i32,
        user_id: i32,
        username: &str,
        late_from: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Joined>> {
        // Every page load and stream of a learner joins: once joined, it
        // is a read, not a write.
        let Some(live) = live_in(self.db(), class_id).await? else {
            return Ok(None);
        };
        let joined = live_attendee::Entity::find_by_id((live.session_id, user_id))
            .all(self.db())
            .await?;
        if !joined.is_empty() {
            let status = attendance::Entity::find_by_id((live.session_id, user_id))
                .all(self.db())
                .await?
                .into_iter()
                .next()
                .and_then(|row| Attendance::parse(&row.status));
            if let Some(status) = status {
                return Ok(Some(Joined {
                    first: false,
                    status,
                }));
            }
        }
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(None);
        };
        let first = live_attendee::Entity::insert(live_attendee::ActiveModel {
            session_id: Set(live.session_id),
            user_id: Set(user_id),
            joined_at: Set(now),
            following: Set(true),
        })
        .on_conflict(
            OnConflict::columns([
                live_attendee::Column::SessionId,
                live_attendee::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?
            > 0;
        let automatic = if now > late_from {
            Attendance::Late
        } else {
            Attendance::Present
        };
        // The tutor's own mark (or an earlier automatic one) stays.
        mark_unless_marked(&txn, live.session_id, user_id, automatic, now).await?;
        let status = attendance::Entity::find_by_id((live.session_id, user_id))
            .all(&txn)
            .await?
            .into_iter()
            .next()
            .and_then(|row| Attendance::parse(&row.status))
            .unwrap_or(automatic);
        let events = if first {
            vec![LiveEvent::new(
                class_id,
                live.session_id,
                EventKind::Joined,
                json!({"user_id": user_id, "username": username, "status": status.as_str()}),
            )]
        } else {
            Vec::new()
        };
        self.commit_with(txn, events).await?;
        Ok(Some(Joined { first, status }))
    }

    /// Whether a learner follows the tutor or reads alone. None when the
    /// class is not live or the learner has not joined.
    pub async fn set_live_following(
        &self,
        class_id: i32,
        user_id: i32,
        username: &str,
        following: bool,
    ) -> StoreResult<Option<()>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(None);
        };
        let updated = live_attendee::Entity::update_many()
            .col_expr(live_attendee::Column::Following, Expr::value(following))
            .filter(live_attendee::Column::SessionId.eq(live.session_id))
            .filter(live_attendee::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if updated == 0 {
            return Ok(None);
        }
        let event = LiveEvent::new(
            class_id,
            live.session_id,
            EventKind::Following,
            json!({"user_id": user_id, "username": username, "following": following}),
        );
        self.commit_with(txn, vec![event]).await?;
        Ok(Some(()))
    }

    /// Who joined the session, when, and whether they follow the tutor.
    pub async fn live_attendees(&self, session_id: i32) -> StoreResult<Vec<Attendee>> {
        Ok(live_attendee::Entity::find()
            .filter(live_attendee::Column::SessionId.eq(session_id))
            .order_by_asc(live_attendee::Column::JoinedAt)
            .all(self.db())
            .await?
            .into_iter()
            .map(|a| Attendee {
                user_id: a.user_id,
                joined_at: a.joined_at,
                following: a.following,
            })
            .collect())
    }

    /// Ends the live class: everyone in the class who never joined is
    /// marked absent (unless the tutor marked them), hands go down, and
    /// every stream is told. False when it was not live.
    pub async fn end_live(&self, class_id: i32, now: DateTime<Utc>) -> StoreResult<bool> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(live) = live_in(&txn, class_id).await? else {
            return Ok(false);
        };
        let members: Vec<i32> = class_member::Entity::find()
            .filter(class_member::Column::ClassId.eq(class_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        for user_id in members {
            mark_unless_marked(&txn, live.session_id, user_id, Attendance::Absent, now).await?;
        }
        let end = LiveEvent::new(class_id, live.session_id, EventKind::End, json!({}));
        let sent = self.record_events(&txn, vec![end]).await?;
        live_hand::Entity::delete_many()
            .filter(live_hand::Column::ClassId.eq(class_id))
            .exec(&txn)
            .await?;
        live_event::Entity::delete_many()
            .filter(live_event::Column::ClassId.eq(class_id))
            .exec(&txn)
            .await?;
        live_class::Entity::delete_by_id(class_id)
            .exec(&txn)
            .await?;
        txn.commit().await?;
        self.delivered(sent);
        Ok(true)
    }

    /// Tells a learner's open streams of the class to close (they left
    /// it); a hand they had up goes down, and the tutors are told.
    pub async fn tell_removed(
        &self,
        class_id: i32,
        user_id: i32,
        username: &str,
    ) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let lowered = live_hand::Entity::delete_many()
            .filter(live_hand::Column::ClassId.eq(class_id))
            .filter(live_hand::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?
            .rows_affected;
        let mut events = vec![LiveEvent::new(
            class_id,
            0,
            EventKind::Removed,
            json!({"user_id": user_id}),
        )];
        if let Some(live) = live_in(&txn, class_id).await?
            && lowered > 0
        {
            events.push(LiveEvent::new(
                class_id,
                live.session_id,
                EventKind::Hand,
                json!({"user_id": user_id, "username": username, "up": false}),
            ));
        }
        self.commit_with(txn, events).await
    }

    /// Records `events` (numbering those that are kept) in the
    /// transaction, commits it, and delivers them.
    async fn commit_with(
        &self,
        txn: DatabaseTransaction,
        events: Vec<LiveEvent>,
    ) -> StoreResult<()> {
        let sent = self.record_events(&txn, events).await?;
        txn.commit().await?;
        self.delivered(sent);
        Ok(())
    }

    /// Numbers and stores the kept events; on PostgreSQL, sends every
    /// event with `pg_notify`, which PostgreSQL delivers on commit.
    async fn record_events(
        &self,
        txn: &DatabaseTransaction,
        events: Vec<LiveEvent>,
    ) -> StoreResult<Vec<LiveEvent>> {
        let mut sent = Vec::with_capacity(events.len());
        for mut event in events {
            if event.is_kept() {
                // The update holds the live class's row until commit, so two
                // instances number one class's events in commit order.
                live_class::Entity::update_many()
                    .col_expr(
                        live_class::Column::LastSeq,
                        Expr::col(live_class::Column::LastSeq).add(1),
                    )
                    .filter(live_class::Column::ClassId.eq(event.class_id))
                    .exec(txn)
                    .await?;
                let seq = live_in(txn, event.class_id)
                    .await?
                    .map_or(0, |live| live.last_seq);
                event.seq = Some(seq);
                live_event::ActiveModel {
                    class_id: Set(event.class_id),
                    seq: Set(seq),
                    session_id: Set(event.session_id),
                    event: Set(serde_json::to_string(&event)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?),
                }
                .insert(txn)
                .await?;
            }
            if self.live_bus().notifies() {
                let payload = crate::live::Bus::notice_payload(&event);
                if !payload.is_empty() {
                    txn.execute_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT pg_notify($1, $2)",
                        [crate::live::CHANNEL.into(), payload.into()],
                    ))
                    .await?;
                }
            }
            sent.push(event);
        }
        Ok(sent)
    }

    /// On SQLite, hands committed events to this process's streams (on
    /// PostgreSQL they come back through `LISTEN`).
    fn delivered(&self, events: Vec<LiveEvent>) {
        if !self.live_bus().notifies() {
            for event in events {
                self.live_bus().deliver(Arc::new(event));
            }
        }
    }
}

/// An automatic mark on the register, unless the learner has one (the
/// tutor's own, or an earlier automatic one): the live class never
/// overwrites a mark.
async fn mark_unless_marked<C: ConnectionTrait>(
    conn: &C,
    session_id: i32,
    user_id: i32,
    status: Attendance,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    attendance::Entity::insert(attendance::ActiveModel {
        session_id: Set(session_id),
        user_id: Set(user_id),
        status: Set(status.as_str().to_string()),
        recorded_at: Set(now),
        automatic: Set(true),
    })
    .on_conflict(
        OnConflict::columns([attendance::Column::SessionId, attendance::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

async fn live_in<C: ConnectionTrait>(conn: &C, class_id: i32) -> StoreResult<Option<LiveClass>> {
    Ok(live_class::Entity::find_by_id(class_id)
        .all(conn)
        .await?
        .into_iter()
        .next())
}

async fn answers_in<C: ConnectionTrait>(
    conn: &C,
    question_id: i32,
) -> StoreResult<HashMap<i32, (Value, Option<bool>)>> {
    Ok(live_answer::Entity::find()
        .filter(live_answer::Column::QuestionId.eq(question_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| {
            let answer = serde_json::from_str(&a.answer).unwrap_or(Value::Null);
            (a.user_id, (answer, a.right))
        })
        .collect())
}

async fn tally_in<C: ConnectionTrait>(conn: &C, question: &LiveQuestion) -> StoreResult<Tally> {
    let answers = live_answer::Entity::find()
        .filter(live_answer::Column::QuestionId.eq(question.id))
        .all(conn)
        .await?;
    let mut tally = Tally {
        counts: vec![0; question.choices().len()],
        ..Tally::default()
    };
    for answer in answers {
        tally.answered.insert(answer.user_id);
        // One choice, or (a question with several right) each one ticked,
        // kept as a list of places.
        let chosen: Vec<i64> = match answer.choice {
            Some(choice) => vec![choice.into()],
            None if !tally.counts.is_empty() => {
                serde_json::from_str::<Vec<i64>>(&answer.answer).unwrap_or_default()
            }
            None => Vec::new(),
        };
        for choice in chosen {
            if let Some(count) = usize::try_from(choice)
                .ok()
                .and_then(|c| tally.counts.get_mut(c))
            {
                *count += 1;
            }
        }
        match answer.right {
            Some(true) => tally.right += 1,
            Some(false) => tally.wrong += 1,
            None => {}
        }
    }
    Ok(tally)
}

/// The tally as the contract gives it: `{"answered", "total", "options":
/// [{"text", "count"}]}`.
pub fn tally_json(question: &LiveQuestion, tally: &Tally, total: u64) -> Value {
    let options: Vec<Value> = question
        .choices()
        .into_iter()
        .zip(&tally.counts)
        .map(|(text, count)| json!({"text": text, "count": count}))
        .collect();
    json!({
        "question_id": question.id,
        "answered": tally.answered.len(),
        "total": total,
        "options": options,
        "right": tally.right,
        "wrong": tally.wrong,
    })
}

async fn usernames<C: ConnectionTrait>(
    conn: &C,
    ids: impl Iterator<Item = i32>,
) -> StoreResult<HashMap<i32, String>> {
    let ids: Vec<i32> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect())
}
