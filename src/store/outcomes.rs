//! Outcomes a coordinator records per learner (work experience, a job,
//! further training), and finding a learner to record them for.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::users::user;
use super::{Store, StoreResult, now};
use crate::domain::names::Role;
use crate::reports::outcome::NewOutcome;

pub mod outcome {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outcomes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub kind: String,
        pub happened_on: Date,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub recorded_by: Option<i32>,
        pub recorded_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use outcome::Model as Outcome;

/// A learner as the coordinators' pages list them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LearnerSummary {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub erased: bool,
}

impl From<user::Model> for LearnerSummary {
    fn from(row: user::Model) -> Self {
        LearnerSummary {
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            erased: row.erased_at.is_some(),
        }
    }
}

/// `%` and `_` typed by a person are letters, not wildcards.
fn like_pattern(text: &str) -> String {
    let mut escaped = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

impl Store {
    /// Learners whose username or name contains `query` (any case), by
    /// username, at most `limit`. Erased learners are not found by name
    /// (they have none) but still by their `erased-<id>` username.
    pub async fn search_learners(
        &self,
        query: &str,
        limit: u64,
    ) -> StoreResult<Vec<LearnerSummary>> {
        let query = query.trim();
        let mut select = user::Entity::find().filter(user::Column::Role.eq(Role::Learner.as_str()));
        if !query.is_empty() {
            let pattern = like_pattern(query);
            select = select.filter(
                Condition::any()
                    .add(
                        Expr::expr(Func::lower(Expr::col(user::Column::Username)))
                            .like(LikeExpr::new(pattern.clone()).escape('\\')),
                    )
                    .add(
                        Expr::expr(Func::lower(Expr::col(user::Column::FullName)))
                            .like(LikeExpr::new(pattern).escape('\\')),
                    ),
            );
        }
        Ok(select
            .order_by_asc(user::Column::Username)
            .limit(limit)
            .all(self.db())
            .await?
            .into_iter()
            .map(LearnerSummary::from)
            .collect())
    }

    /// A learner's account, erased or not; None for other roles.
    pub async fn learner(&self, id: i32) -> StoreResult<Option<LearnerSummary>> {
        Ok(user::Entity::find_by_id(id)
            .filter(user::Column::Role.eq(Role::Learner.as_str()))
            .one(self.db())
            .await?
            .map(LearnerSummary::from))
    }

    pub async fn add_outcome(
        &self,
        user_id: i32,
        new: &NewOutcome,
        recorded_by: i32,
    ) -> StoreResult<Outcome> {
        let _writer = self.write_lock().await;
        Ok(outcome::ActiveModel {
            user_id: Set(user_id),
            kind: Set(new.kind.as_str().to_string()),
            happened_on: Set(new.happened_on),
            note: Set(new.note.clone()),
            recorded_by: Set(Some(recorded_by)),
            recorded_at: Set(now()),
            ..Default::default()
        }
        .insert(self.db())
        .await?)
    }

    /// The learner's outcomes, newest first.
    pub async fn outcomes_of(&self, user_id: i32) -> StoreResult<Vec<Outcome>> {
        Ok(outcome::Entity::find()
            .filter(outcome::Column::UserId.eq(user_id))
            .order_by_desc(outcome::Column::HappenedOn)
            .order_by_desc(outcome::Column::Id)
            .all(self.db())
            .await?)
    }
}
