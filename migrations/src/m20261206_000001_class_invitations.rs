//! Class invitations: a tutor who names an existing learner invites them
//! instead of putting them in the class. The learner sees the invitation on
//! their home page and accepts it (then joins, as with the class code) or
//! declines it. Until then they are not a member: the tutor cannot see
//! their progress or certificates, nor make them a new password.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClassInvitations {
    Table,
    ClassId,
    UserId,
    InvitedBy,
    InvitedAt,
}

#[derive(DeriveIden)]
enum Classes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ClassInvitations::Table)
                    .if_not_exists()
                    .col(integer(ClassInvitations::ClassId))
                    .col(integer(ClassInvitations::UserId))
                    .col(integer(ClassInvitations::InvitedBy))
                    .col(timestamp_with_time_zone(ClassInvitations::InvitedAt))
                    .primary_key(
                        Index::create()
                            .col(ClassInvitations::ClassId)
                            .col(ClassInvitations::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClassInvitations::Table, ClassInvitations::ClassId)
                            .to(Classes::Table, Classes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClassInvitations::Table, ClassInvitations::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClassInvitations::Table, ClassInvitations::InvitedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // "Which invitations wait for this learner?": their home page.
        manager
            .create_index(
                Index::create()
                    .name("class_invitations_by_user")
                    .table(ClassInvitations::Table)
                    .col(ClassInvitations::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ClassInvitations::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
