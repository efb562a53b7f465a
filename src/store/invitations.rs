//! Invitations to a class. Putting someone who already has an account in a
//! class gives whoever runs it their progress, their certificates and the
//! power to make them a new password, so a tutor may not do it on their
//! own: naming an existing learner records an invitation, which the learner
//! accepts (and joins, as with the class code) or declines on their home
//! page. Coordinators and admins, who see every learner anyway, still add
//! them directly. (Who may do which is `domain::class`'s rule, applied by
//! `service::classes`; here are only the rows.)

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::classes::{Class, class, join_in};
use super::users::{Account, user};
use super::{Store, StoreResult, now};

pub mod class_invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub invited_by: i32,
        pub invited_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An invitation as the learner sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Invitation {
    pub class_id: i32,
    pub class_name: String,
    /// Who invited them, by full name (empty if that account is gone).
    pub invited_by: String,
    pub invited_at: DateTime<Utc>,
}

impl Store {
    /// Invites a learner to a class (the service decides who may). Inviting
    /// again changes nothing.
    pub async fn invite_to_class(
        &self,
        class_id: i32,
        learner_id: i32,
        by: i32,
    ) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        class_invitation::Entity::insert(class_invitation::ActiveModel {
            class_id: Set(class_id),
            user_id: Set(learner_id),
            invited_by: Set(by),
            invited_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([
                class_invitation::Column::ClassId,
                class_invitation::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self.db())
        .await?;
        Ok(())
    }

    /// The invitations waiting for a learner, newest first.
    pub async fn invitations_for(&self, user_id: i32) -> StoreResult<Vec<Invitation>> {
        let rows = class_invitation::Entity::find()
            .filter(class_invitation::Column::UserId.eq(user_id))
            .order_by_desc(class_invitation::Column::InvitedAt)
            .all(self.db())
            .await?;
        let mut invitations = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(class) = class::Entity::find_by_id(row.class_id)
                .one(self.db())
                .await?
            else {
                continue;
            };
            let invited_by = user::Entity::find_by_id(row.invited_by)
                .filter(user::Column::ErasedAt.is_null())
                .one(self.db())
                .await?
                .map(|u| u.full_name)
                .unwrap_or_default();
            invitations.push(Invitation {
                class_id: class.id,
                class_name: class.name,
                invited_by,
                invited_at: row.invited_at,
            });
        }
        Ok(invitations)
    }

    /// Who has been invited to the class and not answered yet, by name:
    /// shown to those who run it, apart from its members. (Erasing an
    /// account deletes its invitations, so no erased account is here.)
    pub async fn invited_to_class(&self, class_id: i32) -> StoreResult<Vec<Account>> {
        let ids: Vec<i32> = class_invitation::Entity::find()
            .filter(class_invitation::Column::ClassId.eq(class_id))
            .all(self.db())
            .await?
            .into_iter()
            .map(|row| row.user_id)
            .collect();
        self.accounts_by_name(ids).await
    }

    pub async fn is_invited(&self, class_id: i32, user_id: i32) -> StoreResult<bool> {
        Ok(class_invitation::Entity::find()
            .filter(class_invitation::Column::ClassId.eq(class_id))
            .filter(class_invitation::Column::UserId.eq(user_id))
            .count(self.db())
            .await?
            > 0)
    }

    /// The learner accepts: the invitation is spent and they join the class
    /// (enrolled in its courses), in one transaction. None when there was
    /// no such invitation (never made, declined, or already accepted).
    pub async fn accept_invitation(
        &self,
        class_id: i32,
        user_id: i32,
    ) -> StoreResult<Option<Class>> {
        let Some(class) = self.class(class_id).await? else {
            return Ok(None);
        };
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let spent = class_invitation::Entity::delete_many()
            .filter(class_invitation::Column::ClassId.eq(class_id))
            .filter(class_invitation::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if spent == 0 {
            return Ok(None);
        }
        join_in(&txn, &class, user_id).await?;
        txn.commit().await?;
        Ok(Some(class))
    }

    /// The learner declines: the invitation is gone. False when there was
    /// none.
    pub async fn decline_invitation(&self, class_id: i32, user_id: i32) -> StoreResult<bool> {
        let _writer = self.write_lock().await;
        let gone = class_invitation::Entity::delete_many()
            .filter(class_invitation::Column::ClassId.eq(class_id))
            .filter(class_invitation::Column::UserId.eq(user_id))
            .exec(self.db())
            .await?
            .rows_affected;
        Ok(gone > 0)
    }
}
