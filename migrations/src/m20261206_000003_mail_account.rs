//! The mail queue records the account each mail is for.
//!
//! Addresses are not unique (a family or a support worker can share one),
//! so erasing a learner, or exporting their data, by address took other
//! people's mails too. Now both match `mail_queue.user_id`.
//!
//! Mails already queued are placed where the queue itself says whose they
//! are, and only there:
//! - a certificate mail names its certificate, and so its learner;
//! - a reset mail names the username; it is placed when that account still
//!   has the address the mail went to.
//!
//! Any other row keeps no account and matches nothing: an erasure leaves it
//! (it is not certainly that learner's), which is better than deleting
//! another person's mail by a guess.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MailQueue {
    Table,
    UserId,
}

/// The statements that place the mails already queued (plain SQL both
/// databases read alike; payloads are the store's own compact JSON).
const BACKFILL: [&str; 2] = [
    "UPDATE mail_queue SET user_id = \
       (SELECT c.user_id FROM certificates c \
         WHERE mail_queue.payload = '{\"certificate_id\":\"' || c.id || '\"}') \
     WHERE user_id IS NULL AND kind = 'certificate'",
    // The payload ends with `"username":"<name>"}`; usernames hold no
    // quote or backslash, so the suffix is the name exactly.
    "UPDATE mail_queue SET user_id = \
       (SELECT u.id FROM users u \
         WHERE u.email = mail_queue.recipient_address \
           AND substr(mail_queue.payload, \
                      length(mail_queue.payload) - length(u.username) - 13) \
               = '\"username\":\"' || u.username || '\"}') \
     WHERE user_id IS NULL AND kind = 'password_reset'",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign key: SQLite cannot add one to an existing table, and
        // accounts are never deleted (erasure keeps the row).
        manager
            .alter_table(
                Table::alter()
                    .table(MailQueue::Table)
                    .add_column(integer_null(MailQueue::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mail_queue_by_user")
                    .table(MailQueue::Table)
                    .col(MailQueue::UserId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in BACKFILL {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("mail_queue_by_user")
                    .table(MailQueue::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MailQueue::Table)
                    .drop_column(MailQueue::UserId)
                    .to_owned(),
            )
            .await
    }
}
