//! Signed-in sessions, kept on the server so that signing out ends them
//! everywhere. The session cookie holds a random token; a row here holds
//! its hash, the account and two times (signed in, last used). A request
//! from a signed-in browser reads its row by primary key and writes it
//! back at most once a minute ([`TOUCH_EVERY`]); signing out deletes it,
//! and a session idle or old beyond the settings is refused and deleted.
//!
//! [`TOUCH_EVERY`]: crate::domain::sessions::TOUCH_EVERY

use std::sync::atomic::Ordering;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};

use super::{Store, StoreResult};
use crate::domain::sessions::{SessionAge, SessionLimits, session_age};

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        /// The BLAKE3 hash of the token in the cookie (`token_hash`).
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub user_id: i32,
        pub created_at: ChronoDateTimeUtc,
        pub last_seen_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Each instance deletes every ended session at most this often, when
/// someone signs in. Without sign-ins no rows are added, so none pile up.
const PRUNE_EVERY: TimeDelta = TimeDelta::minutes(10);

impl Store {
    /// Records a new session for the account. Also deletes the account's
    /// ended sessions, and now and then everyone's.
    pub async fn start_session(
        &self,
        user_id: i32,
        token_hash: &str,
        now: DateTime<Utc>,
        limits: &SessionLimits,
    ) -> StoreResult<()> {
        {
            let _writer = self.write_lock().await;
            let txn = self.db().begin().await?;
            session::Entity::delete_many()
                .filter(session::Column::UserId.eq(user_id))
                .filter(ended(limits, now))
                .exec(&txn)
                .await?;
            session::ActiveModel {
                token_hash: Set(token_hash.to_string()),
                user_id: Set(user_id),
                created_at: Set(now),
                last_seen_at: Set(now),
            }
            .insert(&txn)
            .await?;
            txn.commit().await?;
        }
        let last = self.sessions_pruned_at.load(Ordering::Relaxed);
        if now.timestamp() - last >= PRUNE_EVERY.num_seconds()
            && self
                .sessions_pruned_at
                .compare_exchange(last, now.timestamp(), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.prune_sessions(now, limits).await?;
        }
        Ok(())
    }

    /// The account of a live session, or None when the session was signed
    /// out, ended on all devices, or is idle or old beyond the limits. One
    /// primary-key read; a write only when the session's last use is a
    /// minute old, or to delete it once it has ended.
    pub async fn live_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        limits: &SessionLimits,
    ) -> StoreResult<Option<i32>> {
        // `.all()` rather than `.one()`: see `Store::account`.
        let Some(row) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(token_hash))
            .all(self.db())
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        match session_age(limits, row.created_at, row.last_seen_at, now) {
            SessionAge::Live { touch: false } => Ok(Some(row.user_id)),
            SessionAge::Live { touch: true } => {
                let _writer = self.write_lock().await;
                // Only forward: two instances touching at once leave the
                // later time.
                session::Entity::update_many()
                    .col_expr(session::Column::LastSeenAt, Expr::value(now))
                    .filter(session::Column::TokenHash.eq(token_hash))
                    .filter(session::Column::LastSeenAt.lt(now))
                    .exec(self.db())
                    .await?;
                Ok(Some(row.user_id))
            }
            SessionAge::Ended => {
                self.end_session(token_hash).await?;
                Ok(None)
            }
        }
    }

    /// Signs one session out, wherever its cookie is.
    pub async fn end_session(&self, token_hash: &str) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(token_hash))
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// "Sign out on all devices": every session of the account and every
    /// API token it made end at once.
    pub async fn end_all_sign_ins(&self, user_id: i32) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        super::users::end_sign_ins_in(&txn, user_id).await?;
        txn.commit().await?;
        Ok(())
    }

    /// How many sessions of the account are live (browsers signed in).
    pub async fn live_session_count(
        &self,
        user_id: i32,
        now: DateTime<Utc>,
        limits: &SessionLimits,
    ) -> StoreResult<usize> {
        Ok(session::Entity::find()
            .filter(session::Column::UserId.eq(user_id))
            .all(self.db())
            .await?
            .into_iter()
            .filter(|row| {
                matches!(
                    session_age(limits, row.created_at, row.last_seen_at, now),
                    SessionAge::Live { .. }
                )
            })
            .count())
    }

    /// Deletes every ended session; how many.
    pub async fn prune_sessions(
        &self,
        now: DateTime<Utc>,
        limits: &SessionLimits,
    ) -> StoreResult<u64> {
        let _writer = self.write_lock().await;
        let deleted = session::Entity::delete_many()
            .filter(ended(limits, now))
            .exec(self.db())
            .await?;
        Ok(deleted.rows_affected)
    }
}

/// Sessions that have ended by `now` (as [`session_age`] decides).
fn ended(limits: &SessionLimits, now: DateTime<Utc>) -> Condition {
    let (idle_before, created_before) = limits.ended_before(now);
    Condition::any()
        .add(session::Column::LastSeenAt.lte(idle_before))
        .add(session::Column::CreatedAt.lte(created_before))
}

/// Ends every session of an account, inside the caller's transaction.
pub(crate) async fn delete_sessions_in<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> StoreResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}
