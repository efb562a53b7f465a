//! Password reset links: one-time, for an hour, stored as the hash of the
//! token only. Asking for a link queues its mail in the same transaction;
//! using it sets the new password and spends the link in one transaction.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::mail::{MailContent, Recipient, enqueue_in};
use super::users::{Account, user};
use super::{Store, StoreResult};
use crate::passwords::{random_token, token_hash};

pub mod password_reset {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub user_id: i32,
        pub created_at: ChronoDateTimeUtc,
        pub expires_at: ChronoDateTimeUtc,
        pub used_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How long a reset link works.
pub const RESET_LINK_VALID_FOR: TimeDelta = TimeDelta::hours(1);

/// Links one account may be sent an hour: enough for a lost mail or two,
/// too few to flood someone's inbox by asking again and again.
const LINKS_PER_HOUR: u64 = 3;

/// The accounts a person may mean by `login`: a username, or the accounts
/// with that email address (addresses are not unique).
async fn accounts_by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> StoreResult<Vec<user::Model>> {
    let login = login.trim();
    if login.is_empty() {
        return Ok(Vec::new());
    }
    let query = if login.contains('@') {
        user::Entity::find().filter(
            Expr::expr(Func::lower(Expr::col(user::Column::Email))).eq(login.to_lowercase()),
        )
    } else {
        user::Entity::find().filter(user::Column::Username.eq(login.to_ascii_lowercase()))
    };
    // A handful at most: many accounts on one address is not one person
    // asking for their own password.
    Ok(query
        .order_by_asc(user::Column::Id)
        .limit(5)
        .all(db)
        .await?)
}

/// The link's row while it still works.
async fn usable_link<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<password_reset::Model>> {
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash(token)))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

impl Store {
    /// For a username or an email address: a reset link for each matching
    /// account that has an email address, its mail queued in the same
    /// transaction. Returns how many mails were queued; the page answers
    /// the same whatever the number, so it tells nobody who has an account.
    pub async fn request_password_reset(
        &self,
        login: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let queued = {
            let _writer = self.write_lock().await;
            let txn = self.db().begin().await?;
            let mut queued = 0;
            for account in accounts_by_login(&txn, login).await? {
                let Some(address) = account.email.clone().filter(|e| !e.trim().is_empty()) else {
                    continue;
                };
                let recent = password_reset::Entity::find()
                    .filter(password_reset::Column::UserId.eq(account.id))
                    .filter(password_reset::Column::CreatedAt.gt(now - TimeDelta::hours(1)))
                    .count(&txn)
                    .await?;
                if recent >= LINKS_PER_HOUR {
                    tracing::info!(
                        user = account.id,
                        "password reset not sent: {LINKS_PER_HOUR} links in the last hour"
                    );
                    continue;
                }
                let token = random_token();
                password_reset::ActiveModel {
                    token_hash: Set(token_hash(&token)),
                    user_id: Set(account.id),
                    created_at: Set(now),
                    expires_at: Set(now + RESET_LINK_VALID_FOR),
                    used_at: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                let to = Recipient {
                    user_id: Some(account.id),
                    address,
                    name: account.full_name.clone(),
                    language: account.language.clone(),
                };
                let content = MailContent::PasswordReset {
                    token,
                    username: account.username.clone(),
                };
                enqueue_in(&txn, &to, &content).await?;
                queued += 1;
            }
            txn.commit().await?;
            queued
        };
        if queued > 0 {
            self.wake_mail_worker();
        }
        Ok(queued)
    }

    /// The account a reset link is for, while the link works.
    pub async fn password_reset_account(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Account>> {
        match usable_link(self.db(), token, now).await? {
            Some(link) => self.account(link.user_id).await,
            None => Ok(None),
        }
    }

    /// Sets the new password (an argon2 hash) and spends the link, in one
    /// transaction; the account's other links, its API tokens and its
    /// sessions stop working too. None when
    /// the link is unknown, used or expired (also when two requests race
    /// with the same link: one wins).
    pub async fn reset_password(
        &self,
        token: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Account>> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(link) = usable_link(&txn, token, now).await? else {
            return Ok(None);
        };
        // Only while still unused: of two requests with one link, the
        // second matches nothing here.
        let spent = password_reset::Entity::update_many()
            .col_expr(password_reset::Column::UsedAt, Expr::value(now))
            .filter(password_reset::Column::Id.eq(link.id))
            .filter(password_reset::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if spent.rows_affected != 1 {
            return Ok(None);
        }
        password_reset::Entity::update_many()
            .col_expr(password_reset::Column::UsedAt, Expr::value(now))
            .filter(password_reset::Column::UserId.eq(link.user_id))
            .filter(password_reset::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
            .filter(user::Column::Id.eq(link.user_id))
            .exec(&txn)
            .await?;
        // Whoever knew the old password loses what it gave them.
        super::users::end_sign_ins_in(&txn, link.user_id).await?;
        let account = user::Entity::find_by_id(link.user_id).one(&txn).await?;
        txn.commit().await?;
        account.map(Account::try_from).transpose()
    }
}
