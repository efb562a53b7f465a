//! Mail: a queue every mail goes through, and one-time password reset
//! links.
//!
//! A mail is a row first and a message second: it is written in the same
//! transaction as what causes it (a completion, a reset request), and a
//! worker sends it later, retrying until the mail server takes it. A reset
//! link is stored as the hash of its token only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MailQueue {
    Table,
    Id,
    RecipientAddress,
    RecipientName,
    Language,
    Kind,
    Payload,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    ClaimToken,
    LastError,
    SentAt,
    FailedAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
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
                    .table(MailQueue::Table)
                    .if_not_exists()
                    .col(pk_auto(MailQueue::Id))
                    .col(string(MailQueue::RecipientAddress))
                    .col(string(MailQueue::RecipientName))
                    .col(string(MailQueue::Language))
                    .col(string(MailQueue::Kind))
                    .col(text(MailQueue::Payload))
                    .col(timestamp_with_time_zone(MailQueue::CreatedAt))
                    .col(integer(MailQueue::Attempts).default(0))
                    // The earliest time a worker may try (again). A worker
                    // that claims the mail moves it to the end of its lease,
                    // so a worker that dies leaves the mail to the others.
                    .col(timestamp_with_time_zone(MailQueue::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(MailQueue::ClaimedUntil))
                    .col(string_null(MailQueue::ClaimToken))
                    .col(text_null(MailQueue::LastError))
                    .col(timestamp_with_time_zone_null(MailQueue::SentAt))
                    .col(timestamp_with_time_zone_null(MailQueue::FailedAt))
                    .to_owned(),
            )
            .await?;
        // The worker's question: which unsent, not given up mail is due
        // first?
        manager
            .create_index(
                Index::create()
                    .name("mail_queue_due")
                    .table(MailQueue::Table)
                    .col(MailQueue::SentAt)
                    .col(MailQueue::FailedAt)
                    .col(MailQueue::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .if_not_exists()
                    .col(pk_auto(PasswordResets::Id))
                    .col(string_uniq(PasswordResets::TokenHash))
                    .col(integer(PasswordResets::UserId))
                    .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordResets::Table, PasswordResets::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // How many links a person was sent lately (to stop mail floods).
        manager
            .create_index(
                Index::create()
                    .name("password_resets_by_user")
                    .table(PasswordResets::Table)
                    .col(PasswordResets::UserId)
                    .col(PasswordResets::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PasswordResets::Table.into_iden(),
            MailQueue::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
