//! Who may change each course: its owner and co-authors (the rule itself is
//! `domain::authorship`). A course with no rows belongs to the admins.

use std::collections::BTreeMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, SqlErr, TransactionTrait,
};
use serde::Serialize;

use super::users::user;
use super::{Store, StoreError, StoreResult, now};
use crate::domain::authorship::AuthorRole;

pub mod course_author {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "course_authors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub course_slug: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub role: String,
        pub added_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use course_author::{Column, Entity as CourseAuthor};

/// A person named on a course, as the pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub user_id: i32,
    pub username: String,
    pub full_name: String,
    pub part: AuthorRole,
}

/// What claiming a new course's ownership found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Recorded now: this person is the owner.
    New,
    /// This person owned it already (an upload tried again).
    Already,
    /// Someone else owns it.
    Taken,
}

/// Why a co-author could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddAuthorError {
    #[error("already the owner")]
    IsOwner,
    #[error("already a co-author")]
    AlreadyCoAuthor,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn part_of(row: &course_author::Model) -> StoreResult<AuthorRole> {
    AuthorRole::parse(&row.role).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "course {} names user {} as {:?}",
            row.course_slug, row.user_id, row.role
        ))
    })
}

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

impl Store {
    /// This person's part in the course, if any.
    pub async fn course_part(&self, slug: &str, user_id: i32) -> StoreResult<Option<AuthorRole>> {
        CourseAuthor::find_by_id((slug.to_string(), user_id))
            .one(self.db())
            .await?
            .as_ref()
            .map(part_of)
            .transpose()
    }

    /// The owner, then the co-authors by username.
    pub async fn course_authors(&self, slug: &str) -> StoreResult<Vec<Author>> {
        let all = self.authors_of(Some(slug)).await?;
        Ok(all.into_values().next().unwrap_or_default())
    }

    /// Every course's owner and co-authors, by course.
    pub async fn all_course_authors(&self) -> StoreResult<BTreeMap<String, Vec<Author>>> {
        self.authors_of(None).await
    }

    /// One course's authors, or every course's.
    async fn authors_of(&self, slug: Option<&str>) -> StoreResult<BTreeMap<String, Vec<Author>>> {
        let mut query = CourseAuthor::find().order_by_asc(Column::CourseSlug);
        if let Some(slug) = slug {
            query = query.filter(Column::CourseSlug.eq(slug));
        }
        let rows = with_people(self.db(), query.all(self.db()).await?).await?;
        let mut by_course: BTreeMap<String, Vec<Author>> = BTreeMap::new();
        for (row, person) in rows {
            // An account removed since is no author.
            let Some(person) = person.filter(|p| p.erased_at.is_none()) else {
                continue;
            };
            by_course
                .entry(row.course_slug.clone())
                .or_default()
                .push(Author {
                    user_id: row.user_id,
                    username: person.username,
                    full_name: person.full_name,
                    part: part_of(&row)?,
                });
        }
        for authors in by_course.values_mut() {
            authors.sort_by(|a, b| {
                (a.part != AuthorRole::Owner, &a.username)
                    .cmp(&(b.part != AuthorRole::Owner, &b.username))
            });
        }
        Ok(by_course)
    }

    /// Records the first publisher of a new course as its owner, unless
    /// someone already owns a course of that name. Two instances racing
    /// for the same name: the one-owner index lets only one in.
    pub async fn claim_course(&self, slug: &str, user_id: i32) -> StoreResult<Claim> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        if let Some(owner) = owner_in(&txn, slug).await? {
            return Ok(if owner == user_id {
                Claim::Already
            } else {
                Claim::Taken
            });
        }
        // A co-author row of an earlier course of that name goes: the new
        // course is this person's alone. Only co-author rows: on
        // PostgreSQL each statement sees what committed before it, so an
        // owner another claim committed since the check above would be
        // deleted too, and both claims would win. Left alone, that owner
        // makes the insert below a unique violation: taken.
        CourseAuthor::delete_many()
            .filter(Column::CourseSlug.eq(slug))
            .filter(Column::Role.ne(AuthorRole::Owner.as_str()))
            .exec(&txn)
            .await?;
        match insert_in(&txn, slug, user_id, AuthorRole::Owner).await {
            Ok(()) => {
                txn.commit().await?;
                Ok(Claim::New)
            }
            Err(e) if is_unique_violation(&e) => Ok(Claim::Taken),
            Err(e) => Err(e.into()),
        }
    }

    /// Undoes a [`Claim::New`] whose course was never written.
    pub async fn release_claim(&self, slug: &str, user_id: i32) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        CourseAuthor::delete_many()
            .filter(Column::CourseSlug.eq(slug))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::Role.eq(AuthorRole::Owner.as_str()))
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// Makes this person the course's owner: the previous owner (if any)
    /// is no longer named on it; a co-author becomes the owner.
    pub async fn set_course_owner(&self, slug: &str, user_id: i32) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        CourseAuthor::delete_many()
            .filter(Column::CourseSlug.eq(slug))
            .filter(
                Condition::any()
                    .add(Column::Role.eq(AuthorRole::Owner.as_str()))
                    .add(Column::UserId.eq(user_id)),
            )
            .exec(&txn)
            .await?;
        insert_in(&txn, slug, user_id, AuthorRole::Owner).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn add_co_author(&self, slug: &str, user_id: i32) -> Result<(), AddAuthorError> {
        let _writer = self.write_lock().await;
        let existing = CourseAuthor::find_by_id((slug.to_string(), user_id))
            .one(self.db())
            .await
            .map_err(StoreError::from)?;
        if let Some(row) = existing {
            return Err(match part_of(&row)? {
                AuthorRole::Owner => AddAuthorError::IsOwner,
                AuthorRole::CoAuthor => AddAuthorError::AlreadyCoAuthor,
            });
        }
        match insert_in(self.db(), slug, user_id, AuthorRole::CoAuthor).await {
            Ok(()) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(AddAuthorError::AlreadyCoAuthor),
            Err(e) => Err(StoreError::from(e).into()),
        }
    }

    /// True when the person was a co-author (an owner is not removed here).
    pub async fn remove_co_author(&self, slug: &str, user_id: i32) -> StoreResult<bool> {
        let _writer = self.write_lock().await;
        let done = CourseAuthor::delete_many()
            .filter(Column::CourseSlug.eq(slug))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::Role.eq(AuthorRole::CoAuthor.as_str()))
            .exec(self.db())
            .await?;
        Ok(done.rows_affected > 0)
    }
}

async fn owner_in<C: ConnectionTrait>(conn: &C, slug: &str) -> StoreResult<Option<i32>> {
    Ok(CourseAuthor::find()
        .filter(Column::CourseSlug.eq(slug))
        .filter(Column::Role.eq(AuthorRole::Owner.as_str()))
        .one(conn)
        .await?
        .map(|row| row.user_id))
}

async fn insert_in<C: ConnectionTrait>(
    conn: &C,
    slug: &str,
    user_id: i32,
    part: AuthorRole,
) -> Result<(), sea_orm::DbErr> {
    course_author::ActiveModel {
        course_slug: Set(slug.to_string()),
        user_id: Set(user_id),
        role: Set(part.as_str().to_string()),
        added_at: Set(now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The rows with their accounts (two queries; no relation is declared).
async fn with_people<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<course_author::Model>,
) -> Result<Vec<(course_author::Model, Option<user::Model>)>, sea_orm::DbErr> {
    let ids: Vec<i32> = rows.iter().map(|r| r.user_id).collect();
    let mut people: BTreeMap<i32, user::Model> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for person in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            people.insert(person.id, person);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let person = people.get(&row.user_id).cloned();
            (row, person)
        })
        .collect())
}
