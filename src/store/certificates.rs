//! Certificates: issued in the transaction that completes a course, once
//! per learner and course.

use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr, TransactionTrait,
};

use super::users::user;
use super::{Store, StoreError, StoreResult};
use crate::course::CompiledCourse;
use crate::domain::certificate_id::CertificateId;

pub mod certificate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "certificates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub user_id: i32,
        pub course_slug: String,
        pub course_version: i32,
        pub learner_name: String,
        pub title: String,
        pub course_title: String,
        pub sector: String,
        pub level: String,
        pub hours: Option<f64>,
        pub organisation: String,
        pub issued_at: ChronoDateTimeUtc,
        pub expires_at: Option<ChronoDateTimeUtc>,
        pub revoked_at: Option<ChronoDateTimeUtc>,
        pub revoked_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use certificate::Model as Certificate;

/// How many fresh ids to try if one is taken (one in 10^11 per try).
const ID_TRIES: usize = 5;

/// Issues the learner's certificate for `course` inside the caller's
/// transaction, unless they already have one. `course.settings.certificate`
/// gives the title (the course title when empty) and how long it is valid.
pub(crate) async fn issue_in<C: ConnectionTrait>(
    txn: &C,
    user_id: i32,
    course: &CompiledCourse,
    course_version: i32,
    organisation: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Certificate>> {
    let existing = certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(user_id))
        .filter(certificate::Column::CourseSlug.eq(&course.slug))
        .all(txn)
        .await?;
    if !existing.is_empty() {
        return Ok(None);
    }
    let learner = user::Entity::find_by_id(user_id)
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("certificate for missing user {user_id}")))?;
    let settings = &course.settings;
    let title = if settings.certificate.title.trim().is_empty() {
        settings.title.clone()
    } else {
        settings.certificate.title.clone()
    };
    let expires_at = settings
        .certificate
        .valid_for_months
        .and_then(|months| now.checked_add_months(Months::new(months)));
    for _ in 0..ID_TRIES {
        let row = certificate::ActiveModel {
            id: Set(CertificateId::generate().as_str().to_string()),
            user_id: Set(user_id),
            course_slug: Set(course.slug.clone()),
            course_version: Set(course_version),
            // Both names when the learner gave one in their own script.
            learner_name: Set(crate::domain::names::both_names(
                &learner.full_name,
                learner.name_in_own_script.as_deref(),
            )),
            title: Set(title.clone()),
            course_title: Set(settings.title.clone()),
            sector: Set(settings.sector.as_str().to_string()),
            level: Set(settings.level.as_str().to_string()),
            hours: Set(settings.hours),
            organisation: Set(organisation.to_string()),
            issued_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            revoked_reason: Set(None),
        };
        match row.insert(txn).await {
            Ok(issued) => {
                super::report_rollup::add_certificate(txn, &issued.course_slug, now, 1).await?;
                return Ok(Some(issued));
            }
            // Another id, if this one happens to be taken.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Corrupt("no free certificate id".into()))
}

impl Store {
    /// The learner's certificates, newest first.
    pub async fn certificates_of(&self, user_id: i32) -> StoreResult<Vec<Certificate>> {
        Ok(certificate::Entity::find()
            .filter(certificate::Column::UserId.eq(user_id))
            .order_by_desc(certificate::Column::IssuedAt)
            .all(self.db())
            .await?)
    }

    pub async fn certificate(&self, id: &CertificateId) -> StoreResult<Option<Certificate>> {
        Ok(certificate::Entity::find_by_id(id.as_str().to_string())
            .one(self.db())
            .await?)
    }

    /// Certificates whose id or learner's name contains `query` (any case;
    /// an id may be typed with its dashes), newest first, at most `limit`.
    /// An empty query lists the newest.
    pub async fn search_certificates(
        &self,
        query: &str,
        limit: u64,
    ) -> StoreResult<Vec<Certificate>> {
        let query = query.trim();
        let mut select = certificate::Entity::find();
        if !query.is_empty() {
            let id_part: String = query
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            let mut matches = Condition::any().add(
                Expr::expr(Func::lower(Expr::col(certificate::Column::LearnerName))).like(
                    LikeExpr::new(format!("%{}%", escape_like(&query.to_lowercase()))).escape('\\'),
                ),
            );
            if !id_part.is_empty() {
                matches = matches.add(certificate::Column::Id.contains(&id_part));
            }
            select = select.filter(matches);
        }
        Ok(select
            .order_by_desc(certificate::Column::IssuedAt)
            .limit(limit)
            .all(self.db())
            .await?)
    }

    /// Revokes a certificate with a reason, from now on. A certificate
    /// already revoked keeps its first reason and date. None when there is
    /// no such certificate.
    pub async fn revoke_certificate(
        &self,
        id: &CertificateId,
        reason: &str,
    ) -> StoreResult<Option<Certificate>> {
        let _writer = self.write_lock().await;
        let Some(found) = self.certificate(id).await? else {
            return Ok(None);
        };
        if found.revoked_at.is_some() {
            return Ok(Some(found));
        }
        let (course_slug, issued_at) = (found.course_slug.clone(), found.issued_at);
        let mut row: certificate::ActiveModel = found.into();
        row.revoked_at = Set(Some(super::now()));
        row.revoked_reason = Set(Some(reason.to_string()));
        let txn = self.db().begin().await?;
        let revoked = row.update(&txn).await?;
        // The reports count a certificate revoked as erased (erasure keeps
        // the figures), and no other revoked one.
        if reason != super::reports::ERASED_REASON {
            super::report_rollup::add_certificate(&txn, &course_slug, issued_at, -1).await?;
        }
        txn.commit().await?;
        Ok(Some(revoked))
    }
}

/// `%` and `_` typed by a person are letters, not wildcards.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
