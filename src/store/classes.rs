//! Classes: a tutor's group of learners, its courses, its schedule of live
//! sessions and their attendance register.
//!
//! Joining a class enrols the learner in each of its courses, in the same
//! transaction, so a learner who joins sees their courses at once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr, TransactionTrait,
};

use super::invitations::class_invitation;
use super::progress::enrol_in;
use super::users::{Account, CreateUserError, NewAccount, user};
use super::{Store, StoreError, StoreResult, now};
use crate::domain::class::Attendance;
use crate::domain::join_code::JoinCode;

pub mod class {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "classes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub sector: String,
        pub tutor_id: i32,
        #[sea_orm(unique)]
        pub join_code: String,
        pub created_at: ChronoDateTimeUtc,
        /// When the class was archived; none while it is in use.
        pub archived_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_course {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_courses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub course_slug: String,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub joined_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "class_sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub class_id: i32,
        pub title: String,
        pub starts_at: ChronoDateTimeUtc,
        pub duration_minutes: i32,
        pub meeting_url: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attendance {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub status: String,
        pub recorded_at: ChronoDateTimeUtc,
        /// Made by a live class (joined, late, never came), not by the
        /// tutor: the tutor's own marks replace it, never the reverse.
        pub automatic: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub type Session = class_session::Model;

/// A class with its courses, in the tutor's order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Class {
    pub id: i32,
    pub name: String,
    pub sector: String,
    pub tutor_id: i32,
    /// As shown: `K7MX-3QPA`.
    pub join_code: String,
    pub created_at: DateTime<Utc>,
    pub courses: Vec<String>,
    /// When it was archived (hidden from class lists, kept in reports).
    pub archived_at: Option<DateTime<Utc>>,
}

/// What to change about a class; `None` leaves it as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassUpdate<'a> {
    pub name: Option<&'a str>,
    /// The new course list, in order. Members are enrolled in courses new
    /// to the class; a course taken off keeps their enrolment and progress.
    pub courses: Option<&'a [String]>,
    /// `Some(Some(t))` archives the class at `t`, `Some(None)` brings it
    /// back.
    pub archived_at: Option<Option<DateTime<Utc>>>,
}

/// A session to add to a class's schedule.
pub struct NewSession<'a> {
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub meeting_url: &'a str,
}

/// How many fresh join codes to try if one is taken.
const CODE_TRIES: usize = 5;

fn display_code(stored: &str) -> String {
    JoinCode::parse(stored)
        .map(|code| code.to_string())
        .unwrap_or_else(|_| stored.to_string())
}

impl Store {
    /// A new class taught by `tutor_id`, with a fresh join code.
    pub async fn create_class(
        &self,
        tutor_id: i32,
        name: &str,
        sector: &str,
        courses: &[String],
    ) -> StoreResult<Class> {
        let _writer = self.write_lock().await;
        for _ in 0..CODE_TRIES {
            let txn = self.db().begin().await?;
            let row = class::ActiveModel {
                name: Set(name.to_string()),
                sector: Set(sector.to_string()),
                tutor_id: Set(tutor_id),
                join_code: Set(JoinCode::generate().as_str().to_string()),
                created_at: Set(now()),
                archived_at: Set(None),
                ..Default::default()
            };
            let created = match row.insert(&txn).await {
                Ok(created) => created,
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            set_courses_in(&txn, created.id, courses).await?;
            txn.commit().await?;
            return Ok(class_of(created, courses.to_vec()));
        }
        Err(StoreError::Corrupt("no free join code".into()))
    }

    pub async fn class(&self, id: i32) -> StoreResult<Option<Class>> {
        let Some(row) = class::Entity::find_by_id(id).one(self.db()).await? else {
            return Ok(None);
        };
        let courses = self.class_courses(id).await?;
        Ok(Some(class_of(row, courses)))
    }

    async fn class_courses(&self, id: i32) -> StoreResult<Vec<String>> {
        Ok(class_course::Entity::find()
            .filter(class_course::Column::ClassId.eq(id))
            .order_by_asc(class_course::Column::Position)
            .all(self.db())
            .await?
            .into_iter()
            .map(|row| row.course_slug)
            .collect())
    }

    /// Classes in the given rows' order, each with its courses.
    async fn with_courses(&self, rows: Vec<class::Model>) -> StoreResult<Vec<Class>> {
        let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
        let mut courses: HashMap<i32, Vec<String>> = HashMap::new();
        if !ids.is_empty() {
            for row in class_course::Entity::find()
                .filter(class_course::Column::ClassId.is_in(ids))
                .order_by_asc(class_course::Column::Position)
                .all(self.db())
                .await?
            {
                courses
                    .entry(row.class_id)
                    .or_default()
                    .push(row.course_slug);
            }
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let list = courses.remove(&row.id).unwrap_or_default();
                class_of(row, list)
            })
            .collect())
    }

    /// The classes a tutor teaches, newest first.
    pub async fn classes_taught_by(&self, tutor_id: i32) -> StoreResult<Vec<Class>> {
        let rows = class::Entity::find()
            .filter(class::Column::TutorId.eq(tutor_id))
            .order_by_desc(class::Column::CreatedAt)
            .all(self.db())
            .await?;
        self.with_courses(rows).await
    }

    /// Every class, newest first (coordinators and admins).
    pub async fn all_classes(&self) -> StoreResult<Vec<Class>> {
        let rows = class::Entity::find()
            .order_by_desc(class::Column::CreatedAt)
            .all(self.db())
            .await?;
        self.with_courses(rows).await
    }

    /// The classes a learner is in.
    pub async fn classes_joined_by(&self, user_id: i32) -> StoreResult<Vec<Class>> {
        let ids: Vec<i32> = class_member::Entity::find()
            .filter(class_member::Column::UserId.eq(user_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| m.class_id)
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = class::Entity::find()
            .filter(class::Column::Id.is_in(ids))
            .order_by_desc(class::Column::CreatedAt)
            .all(self.db())
            .await?;
        self.with_courses(rows).await
    }

    pub async fn class_by_join_code(&self, code: &JoinCode) -> StoreResult<Option<Class>> {
        let Some(row) = class::Entity::find()
            .filter(class::Column::JoinCode.eq(code.as_str()))
            .one(self.db())
            .await?
        else {
            return Ok(None);
        };
        let courses = self.class_courses(row.id).await?;
        Ok(Some(class_of(row, courses)))
    }

    /// Puts a learner in a class and enrols them in its courses, in one
    /// transaction. False when they were already in it.
    pub async fn join_class(&self, class: &Class, user_id: i32) -> StoreResult<bool> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let joined = join_in(&txn, class, user_id).await?;
        txn.commit().await?;
        Ok(joined)
    }

    /// Renames a class, changes its courses or archives it, in one
    /// transaction; the class as it is now, or none when there is no such
    /// class. Members are enrolled in each course new to the class.
    pub async fn update_class(
        &self,
        id: i32,
        update: ClassUpdate<'_>,
    ) -> StoreResult<Option<Class>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(row) = class::Entity::find_by_id(id).one(&txn).await? else {
            return Ok(None);
        };
        let mut active: class::ActiveModel = row.into();
        if let Some(name) = update.name {
            active.name = Set(name.to_string());
        }
        if let Some(archived_at) = update.archived_at {
            active.archived_at = Set(archived_at);
        }
        let row = active.update(&txn).await?;
        let courses = match update.courses {
            Some(courses) => {
                set_courses_in(&txn, id, courses).await?;
                let members: Vec<i32> = class_member::Entity::find()
                    .filter(class_member::Column::ClassId.eq(id))
                    .select_only()
                    .column(class_member::Column::UserId)
                    .into_tuple()
                    .all(&txn)
                    .await?;
                for user_id in members {
                    for slug in courses {
                        enrol_in(&txn, user_id, slug).await?;
                    }
                }
                courses.to_vec()
            }
            None => class_course::Entity::find()
                .filter(class_course::Column::ClassId.eq(id))
                .order_by_asc(class_course::Column::Position)
                .all(&txn)
                .await?
                .into_iter()
                .map(|row| row.course_slug)
                .collect(),
        };
        txn.commit().await?;
        Ok(Some(class_of(row, courses)))
    }

    /// Takes a learner out of a class; false when they were not in it.
    /// Their enrolments and progress stay.
    pub async fn remove_class_member(&self, class_id: i32, user_id: i32) -> StoreResult<bool> {
        let _writer = self.write_lock().await;
        let removed = class_member::Entity::delete_many()
            .filter(class_member::Column::ClassId.eq(class_id))
            .filter(class_member::Column::UserId.eq(user_id))
            .exec(self.db())
            .await?;
        Ok(removed.rows_affected > 0)
    }

    /// Makes a learner account and puts it in the class, in one
    /// transaction: either both happen or neither.
    pub async fn create_learner_in_class(
        &self,
        class: &Class,
        new: NewAccount<'_>,
    ) -> Result<Account, CreateUserError> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await.map_err(StoreError::from)?;
        let account = super::users::create_user_in(&txn, new).await?;
        join_in(&txn, class, account.id).await?;
        txn.commit().await.map_err(StoreError::from)?;
        Ok(account)
    }

    /// The class's learners, by name.
    pub async fn class_members(&self, class_id: i32) -> StoreResult<Vec<Account>> {
        let ids: Vec<i32> = class_member::Entity::find()
            .filter(class_member::Column::ClassId.eq(class_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        self.accounts_by_name(ids).await
    }

    /// These accounts, ordered by full name.
    pub(super) async fn accounts_by_name(&self, ids: Vec<i32>) -> StoreResult<Vec<Account>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .order_by_asc(user::Column::FullName)
            .all(self.db())
            .await?
            .into_iter()
            .map(Account::try_from)
            .collect()
    }

    pub async fn count_class_members(&self, class_id: i32) -> StoreResult<u64> {
        Ok(class_member::Entity::find()
            .filter(class_member::Column::ClassId.eq(class_id))
            .count(self.db())
            .await?)
    }

    pub async fn is_class_member(&self, class_id: i32, user_id: i32) -> StoreResult<bool> {
        Ok(class_member::Entity::find()
            .filter(class_member::Column::ClassId.eq(class_id))
            .filter(class_member::Column::UserId.eq(user_id))
            .count(self.db())
            .await?
            > 0)
    }

    /// True when the learner is in one of the tutor's classes.
    pub async fn teaches(&self, tutor_id: i32, learner_id: i32) -> StoreResult<bool> {
        let classes: Vec<i32> = class::Entity::find()
            .filter(class::Column::TutorId.eq(tutor_id))
            .select_only()
            .column(class::Column::Id)
            .into_tuple()
            .all(self.db())
            .await?;
        if classes.is_empty() {
            return Ok(false);
        }
        Ok(class_member::Entity::find()
            .filter(class_member::Column::ClassId.is_in(classes))
            .filter(class_member::Column::UserId.eq(learner_id))
            .count(self.db())
            .await?
            > 0)
    }

    pub async fn add_session(&self, class_id: i32, new: NewSession<'_>) -> StoreResult<Session> {
        let _writer = self.write_lock().await;
        Ok(class_session::ActiveModel {
            class_id: Set(class_id),
            title: Set(new.title.to_string()),
            starts_at: Set(new.starts_at),
            duration_minutes: Set(new.duration_minutes),
            meeting_url: Set(new.meeting_url.to_string()),
            ..Default::default()
        }
        .insert(self.db())
        .await?)
    }

    /// A class's sessions, earliest first.
    pub async fn sessions(&self, class_id: i32) -> StoreResult<Vec<Session>> {
        Ok(class_session::Entity::find()
            .filter(class_session::Column::ClassId.eq(class_id))
            .order_by_asc(class_session::Column::StartsAt)
            .all(self.db())
            .await?)
    }

    pub async fn session(&self, id: i32) -> StoreResult<Option<Session>> {
        Ok(class_session::Entity::find_by_id(id).one(self.db()).await?)
    }

    pub async fn delete_session(&self, id: i32) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        class_session::Entity::delete_by_id(id)
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// The learner's coming sessions (those not yet over), soonest first,
    /// with the name of the class each belongs to.
    pub async fn upcoming_sessions_for(
        &self,
        user_id: i32,
        at: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<(String, Session)>> {
        let mut classes = self.classes_joined_by(user_id).await?;
        // An archived class's sessions are off the home page with it.
        classes.retain(|c| c.archived_at.is_none());
        if classes.is_empty() {
            return Ok(Vec::new());
        }
        let names: HashMap<i32, String> = classes.iter().map(|c| (c.id, c.name.clone())).collect();
        // A session that started up to 4 hours ago may still be on: the
        // link stays on the home page until it is over.
        let since = at - chrono::Duration::hours(4);
        let sessions = class_session::Entity::find()
            .filter(class_session::Column::ClassId.is_in(names.keys().copied()))
            .filter(class_session::Column::StartsAt.gte(since))
            .order_by_asc(class_session::Column::StartsAt)
            .all(self.db())
            .await?;
        Ok(sessions
            .into_iter()
            .filter(|s| s.starts_at + chrono::Duration::minutes(s.duration_minutes.into()) > at)
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|s| (names.get(&s.class_id).cloned().unwrap_or_default(), s))
            .collect())
    }

    /// Records the register for a session: one status per learner (a
    /// learner marked again gets the new status).
    pub async fn record_attendance(
        &self,
        session_id: i32,
        marks: &[(i32, Attendance)],
    ) -> StoreResult<()> {
        if marks.is_empty() {
            return Ok(());
        }
        let _writer = self.write_lock().await;
        let at = now();
        let txn = self.db().begin().await?;
        for (user_id, status) in marks {
            attendance::Entity::insert(attendance::ActiveModel {
                session_id: Set(session_id),
                user_id: Set(*user_id),
                status: Set(status.as_str().to_string()),
                recorded_at: Set(at),
                automatic: Set(false),
            })
            .on_conflict(
                OnConflict::columns([attendance::Column::SessionId, attendance::Column::UserId])
                    .update_columns([
                        attendance::Column::Status,
                        attendance::Column::RecordedAt,
                        attendance::Column::Automatic,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// "Everyone present": marks each of `learners` without a mark on the
    /// session's register as present, as the tutor's own mark. A mark
    /// already there (the tutor's, or the live class's) stays. How many
    /// were marked.
    pub async fn mark_unmarked_present(
        &self,
        session_id: i32,
        learners: &[i32],
    ) -> StoreResult<u64> {
        if learners.is_empty() {
            return Ok(0);
        }
        let _writer = self.write_lock().await;
        let at = now();
        let txn = self.db().begin().await?;
        let mut marked = 0;
        for user_id in learners {
            let inserted = attendance::Entity::insert(attendance::ActiveModel {
                session_id: Set(session_id),
                user_id: Set(*user_id),
                status: Set(Attendance::Present.as_str().to_string()),
                recorded_at: Set(at),
                automatic: Set(false),
            })
            .on_conflict(
                OnConflict::columns([attendance::Column::SessionId, attendance::Column::UserId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            marked += inserted;
        }
        txn.commit().await?;
        Ok(marked)
    }

    /// The register of a session: each marked learner's status.
    pub async fn attendance(&self, session_id: i32) -> StoreResult<HashMap<i32, Attendance>> {
        let rows = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(session_id))
            .all(self.db())
            .await?;
        rows.into_iter()
            .map(|row| {
                Attendance::parse(&row.status)
                    .map(|status| (row.user_id, status))
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!("attendance status {:?}", row.status))
                    })
            })
            .collect()
    }
}

fn class_of(row: class::Model, courses: Vec<String>) -> Class {
    Class {
        id: row.id,
        join_code: display_code(&row.join_code),
        name: row.name,
        sector: row.sector,
        tutor_id: row.tutor_id,
        created_at: row.created_at,
        archived_at: row.archived_at,
        courses,
    }
}

async fn set_courses_in<C: ConnectionTrait>(
    conn: &C,
    class_id: i32,
    courses: &[String],
) -> StoreResult<()> {
    class_course::Entity::delete_many()
        .filter(class_course::Column::ClassId.eq(class_id))
        .exec(conn)
        .await?;
    for (position, slug) in courses.iter().enumerate() {
        class_course::ActiveModel {
            class_id: Set(class_id),
            course_slug: Set(slug.clone()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Puts a learner in a class and enrolls them in its courses; an
/// invitation to the class, if any, is spent (joining with the code says
/// yes to it).
pub(super) async fn join_in<C: ConnectionTrait>(
    conn: &C,
    class: &Class,
    user_id: i32,
) -> StoreResult<bool> {
    class_invitation::Entity::delete_many()
        .filter(class_invitation::Column::ClassId.eq(class.id))
        .filter(class_invitation::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let inserted = class_member::Entity::insert(class_member::ActiveModel {
        class_id: Set(class.id),
        user_id: Set(user_id),
        joined_at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([class_member::Column::ClassId, class_member::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    for slug in &class.courses {
        enrol_in(conn, user_id, slug).await?;
    }
    Ok(inserted > 0)
}
