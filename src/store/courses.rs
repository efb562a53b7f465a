//! Published courses. Each row holds the compiled course as JSON and a
//! version that goes up each time its content hash changes; publishing an
//! unchanged course is a no-op.

use std::collections::BTreeMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect, TransactionTrait,
};

use super::{Store, StoreError, StoreResult, now};
use crate::course::CompiledCourse;

pub mod course {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "courses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub slug: String,
        pub version: i32,
        pub content_hash: String,
        pub title: String,
        pub sector: String,
        pub level: String,
        pub hours: Option<f64>,
        pub summary: String,
        #[sea_orm(column_type = "Text")]
        pub compiled: String,
        pub published_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// First publication.
    New,
    /// The content changed: the version went up to this.
    Updated(i32),
    /// Same content hash as the published version.
    Unchanged,
}

/// A course as published, with its version.
#[derive(Debug, Clone)]
pub struct PublishedCourse {
    pub version: i32,
    pub course: CompiledCourse,
}

impl Store {
    pub async fn publish_course(&self, compiled: &CompiledCourse) -> StoreResult<Published> {
        let json = serde_json::to_string(compiled)
            .map_err(|e| StoreError::Corrupt(format!("course {}: {e}", compiled.slug)))?;
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let existing = course::Entity::find_by_id(compiled.slug.clone())
            .one(&txn)
            .await?;
        let settings = &compiled.settings;
        let outcome = match existing {
            Some(row) if row.content_hash == compiled.content_hash => Published::Unchanged,
            Some(row) => {
                let version = row.version + 1;
                let mut active: course::ActiveModel = row.into();
                active.version = Set(version);
                active.content_hash = Set(compiled.content_hash.clone());
                active.title = Set(settings.title.clone());
                active.sector = Set(settings.sector.as_str().to_string());
                active.level = Set(settings.level.as_str().to_string());
                active.hours = Set(settings.hours);
                active.summary = Set(settings.summary.clone());
                active.compiled = Set(json);
                active.published_at = Set(now());
                active.update(&txn).await?;
                Published::Updated(version)
            }
            None => {
                course::ActiveModel {
                    slug: Set(compiled.slug.clone()),
                    version: Set(1),
                    content_hash: Set(compiled.content_hash.clone()),
                    title: Set(settings.title.clone()),
                    sector: Set(settings.sector.as_str().to_string()),
                    level: Set(settings.level.as_str().to_string()),
                    hours: Set(settings.hours),
                    summary: Set(settings.summary.clone()),
                    compiled: Set(json),
                    published_at: Set(now()),
                }
                .insert(&txn)
                .await?;
                Published::New
            }
        };
        txn.commit().await?;
        Ok(outcome)
    }

    /// The version of every published course, by slug: a cheap query for
    /// noticing that another instance has published.
    pub async fn course_versions(&self) -> StoreResult<BTreeMap<String, i32>> {
        let rows: Vec<(String, i32)> = course::Entity::find()
            .select_only()
            .column(course::Column::Slug)
            .column(course::Column::Version)
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The content hash of every published course, by slug: publishing
    /// the courses folder compiles only the courses whose files differ.
    pub async fn course_hashes(&self) -> StoreResult<BTreeMap<String, String>> {
        let rows: Vec<(String, String)> = course::Entity::find()
            .select_only()
            .column(course::Column::Slug)
            .column(course::Column::ContentHash)
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Every published course, by slug.
    pub async fn published_courses(&self) -> StoreResult<Vec<PublishedCourse>> {
        let rows = course::Entity::find()
            .order_by_asc(course::Column::Slug)
            .all(self.db())
            .await?;
        rows.into_iter()
            .map(|row| {
                let course: CompiledCourse = serde_json::from_str(&row.compiled)
                    .map_err(|e| StoreError::Corrupt(format!("course {}: {e}", row.slug)))?;
                Ok(PublishedCourse {
                    version: row.version,
                    course,
                })
            })
            .collect()
    }
}
