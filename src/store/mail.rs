//! The mail queue. Every mail is a row before it is a message: it is
//! written in the transaction that causes it, so a completion and its
//! certificate mail are stored together or not at all, and a worker
//! (`crate::mail`) sends it later.
//!
//! Several instances may share the queue. A worker claims one mail at a
//! time with a conditional UPDATE (only one instance's update matches) and
//! holds it for a lease: the claim moves `next_attempt_at` to the end of
//! the lease, so a worker that dies leaves the mail to be tried again.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};

use super::certificates::Certificate;
use super::users::user;
use super::{Store, StoreError, StoreResult, now};
use crate::passwords::random_token;

pub mod mail_queue {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mail_queue")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        /// The account the mail is for; None for a mail queued before the
        /// queue recorded it (and its migration could not tell).
        pub user_id: Option<i32>,
        pub recipient_address: String,
        pub recipient_name: String,
        pub language: String,
        pub kind: String,
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        pub created_at: ChronoDateTimeUtc,
        pub attempts: i32,
        pub next_attempt_at: ChronoDateTimeUtc,
        pub claimed_until: Option<ChronoDateTimeUtc>,
        pub claim_token: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub last_error: Option<String>,
        pub sent_at: Option<ChronoDateTimeUtc>,
        pub failed_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A row of the queue, sent or not.
pub use mail_queue::Model as QueuedMail;

/// Who a mail is for, in which language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The account it is for: what erasing and the personal data export
    /// match on, since several accounts can share one address.
    pub user_id: Option<i32>,
    pub address: String,
    pub name: String,
    pub language: String,
}

/// What a mail is about; stored as `kind` and a JSON `payload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailContent {
    /// The learner's certificate, its PDF attached. The id as stored.
    Certificate { certificate_id: String },
    /// A link to choose a new password. The token is in the queue only
    /// until the mail is sent (then it is blanked): the reset table holds
    /// its hash alone.
    PasswordReset { token: String, username: String },
}

#[derive(Serialize, Deserialize)]
struct CertificatePayload {
    certificate_id: String,
}

#[derive(Serialize, Deserialize)]
struct PasswordResetPayload {
    token: String,
    username: String,
}

const CERTIFICATE: &str = "certificate";
const PASSWORD_RESET: &str = "password_reset";

/// Errors are kept short in the queue: the log has the rest.
const MAX_ERROR_CHARS: usize = 1000;

impl MailContent {
    pub fn kind(&self) -> &'static str {
        match self {
            MailContent::Certificate { .. } => CERTIFICATE,
            MailContent::PasswordReset { .. } => PASSWORD_RESET,
        }
    }

    fn payload(&self) -> String {
        let json = match self {
            MailContent::Certificate { certificate_id } => {
                serde_json::to_string(&CertificatePayload {
                    certificate_id: certificate_id.clone(),
                })
            }
            MailContent::PasswordReset { token, username } => {
                serde_json::to_string(&PasswordResetPayload {
                    token: token.clone(),
                    username: username.clone(),
                })
            }
        };
        // Serialising two strings cannot fail; an empty object is read
        // back as a corrupt row, never as a wrong mail.
        json.unwrap_or_else(|_| "{}".to_string())
    }

    /// The content of a queue row; an unknown kind or a payload that does
    /// not fit it is corrupt data, reported with the row id.
    pub fn of(mail: &QueuedMail) -> StoreResult<MailContent> {
        let corrupt = |e: serde_json::Error| {
            StoreError::Corrupt(format!("mail {} ({}) payload: {e}", mail.id, mail.kind))
        };
        match mail.kind.as_str() {
            CERTIFICATE => {
                let p: CertificatePayload = serde_json::from_str(&mail.payload).map_err(corrupt)?;
                Ok(MailContent::Certificate {
                    certificate_id: p.certificate_id,
                })
            }
            PASSWORD_RESET => {
                let p: PasswordResetPayload =
                    serde_json::from_str(&mail.payload).map_err(corrupt)?;
                Ok(MailContent::PasswordReset {
                    token: p.token,
                    username: p.username,
                })
            }
            other => Err(StoreError::Corrupt(format!(
                "mail {} has an unknown kind {other:?}",
                mail.id
            ))),
        }
    }

    /// What stays in the queue once the mail is out of our hands: nothing
    /// that works as a password.
    fn settled(&self) -> MailContent {
        match self {
            MailContent::PasswordReset { username, .. } => MailContent::PasswordReset {
                token: String::new(),
                username: username.clone(),
            },
            other => other.clone(),
        }
    }
}

/// Queues a mail inside the caller's transaction (or on a plain
/// connection). The worker is not woken here: the caller does that after
/// its commit (`Store::wake_mail_worker`), or the worker's poll finds it.
pub(crate) async fn enqueue_in<C: ConnectionTrait>(
    db: &C,
    to: &Recipient,
    content: &MailContent,
) -> StoreResult<i32> {
    let at = now();
    let row = mail_queue::ActiveModel {
        user_id: Set(to.user_id),
        recipient_address: Set(to.address.clone()),
        recipient_name: Set(to.name.clone()),
        language: Set(to.language.clone()),
        kind: Set(content.kind().to_string()),
        payload: Set(content.payload()),
        created_at: Set(at),
        attempts: Set(0),
        next_attempt_at: Set(at),
        claimed_until: Set(None),
        claim_token: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        failed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Queues the certificate mail for a certificate just issued, when its
/// learner has an email address. True when a mail was queued.
pub(crate) async fn enqueue_certificate_in<C: ConnectionTrait>(
    db: &C,
    certificate: &Certificate,
) -> StoreResult<bool> {
    let learner = user::Entity::find_by_id(certificate.user_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            StoreError::Corrupt(format!(
                "certificate {} for missing user {}",
                certificate.id, certificate.user_id
            ))
        })?;
    let Some(address) = learner.email.filter(|e| !e.trim().is_empty()) else {
        return Ok(false);
    };
    let to = Recipient {
        user_id: Some(learner.id),
        address,
        name: learner.full_name,
        language: learner.language,
    };
    let content = MailContent::Certificate {
        certificate_id: certificate.id.clone(),
    };
    enqueue_in(db, &to, &content).await?;
    Ok(true)
}

fn pending() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(mail_queue::Column::SentAt.is_null())
        .add(mail_queue::Column::FailedAt.is_null())
}

fn short(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}

/// How many times to look for another due mail when another instance
/// claimed the one we picked.
const CLAIM_TRIES: usize = 5;

impl Store {
    /// Tells this instance's mail worker to look at the queue now. Call it
    /// after committing a transaction that queued a mail.
    pub fn wake_mail_worker(&self) {
        // A stored permit: a worker busy sending looks again when done.
        self.mail_waker.notify_one();
    }

    /// What the mail worker waits on besides its timer.
    pub fn mail_waker(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.mail_waker.clone()
    }

    /// Queues a mail on its own and wakes the worker.
    pub async fn enqueue_mail(&self, to: &Recipient, content: &MailContent) -> StoreResult<i32> {
        let id = {
            let _writer = self.write_lock().await;
            enqueue_in(self.db(), to, content).await?
        };
        self.wake_mail_worker();
        Ok(id)
    }

    /// Claims the mail due first, holding it until `lease_until`, and
    /// counts the attempt. None when nothing is due. Safe with several
    /// instances: the claim is an UPDATE that only matches while the mail
    /// is still due, so exactly one claimer gets it.
    pub async fn claim_next_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<Option<QueuedMail>> {
        for _ in 0..CLAIM_TRIES {
            let Some(candidate) = mail_queue::Entity::find()
                .filter(pending())
                .filter(mail_queue::Column::NextAttemptAt.lte(now))
                .order_by_asc(mail_queue::Column::NextAttemptAt)
                .order_by_asc(mail_queue::Column::Id)
                .one(self.db())
                .await?
            else {
                return Ok(None);
            };
            let token = random_token();
            let claimed = {
                let _writer = self.write_lock().await;
                mail_queue::Entity::update_many()
                    .col_expr(mail_queue::Column::NextAttemptAt, Expr::value(lease_until))
                    .col_expr(mail_queue::Column::ClaimedUntil, Expr::value(lease_until))
                    .col_expr(mail_queue::Column::ClaimToken, Expr::value(token.clone()))
                    .col_expr(
                        mail_queue::Column::Attempts,
                        Expr::col(mail_queue::Column::Attempts).add(1),
                    )
                    .filter(mail_queue::Column::Id.eq(candidate.id))
                    .filter(pending())
                    .filter(mail_queue::Column::NextAttemptAt.lte(now))
                    .exec(self.db())
                    .await?
                    .rows_affected
            };
            if claimed == 1 {
                return Ok(mail_queue::Entity::find_by_id(candidate.id)
                    .one(self.db())
                    .await?
                    .filter(|row| row.claim_token.as_deref() == Some(token.as_str())));
            }
        }
        Ok(None)
    }

    /// Records that the mail server took the mail. Recorded even if our
    /// lease ran out meanwhile: the mail did go.
    pub async fn mail_sent(&self, mail: &QueuedMail, at: DateTime<Utc>) -> StoreResult<()> {
        let settled = MailContent::of(mail).map(|c| c.settled().payload());
        let _writer = self.write_lock().await;
        let mut update = mail_queue::Entity::update_many()
            .col_expr(mail_queue::Column::SentAt, Expr::value(at))
            .col_expr(
                mail_queue::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                mail_queue::Column::ClaimToken,
                Expr::value(Option::<String>::None),
            );
        if let Ok(payload) = settled {
            update = update.col_expr(mail_queue::Column::Payload, Expr::value(payload));
        }
        update
            .filter(mail_queue::Column::Id.eq(mail.id))
            .filter(mail_queue::Column::SentAt.is_null())
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// Records a failed try and when to try again. Ignored when another
    /// worker claimed the mail since (our lease ran out): its record wins.
    pub async fn mail_failed(
        &self,
        mail: &QueuedMail,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        mail_queue::Entity::update_many()
            .col_expr(mail_queue::Column::NextAttemptAt, Expr::value(retry_at))
            .col_expr(mail_queue::Column::LastError, Expr::value(short(error)))
            .col_expr(
                mail_queue::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                mail_queue::Column::ClaimToken,
                Expr::value(Option::<String>::None),
            )
            .filter(mail_queue::Column::Id.eq(mail.id))
            .filter(mail_queue::Column::ClaimToken.eq(mail.claim_token.clone()))
            .filter(pending())
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// Gives the mail up: it stays in the queue, marked failed, with the
    /// last error, for someone to look at.
    pub async fn mail_given_up(
        &self,
        mail: &QueuedMail,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let settled = MailContent::of(mail).map(|c| c.settled().payload());
        let _writer = self.write_lock().await;
        let mut update = mail_queue::Entity::update_many()
            .col_expr(mail_queue::Column::FailedAt, Expr::value(at))
            .col_expr(mail_queue::Column::LastError, Expr::value(short(error)))
            .col_expr(
                mail_queue::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                mail_queue::Column::ClaimToken,
                Expr::value(Option::<String>::None),
            );
        if let Ok(payload) = settled {
            update = update.col_expr(mail_queue::Column::Payload, Expr::value(payload));
        }
        update
            .filter(mail_queue::Column::Id.eq(mail.id))
            .filter(mail_queue::Column::ClaimToken.eq(mail.claim_token.clone()))
            .filter(pending())
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// When the next unsent mail is due (a claimed one: when its lease
    /// ends), so the worker can sleep until then.
    pub async fn next_mail_due(&self) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(mail_queue::Entity::find()
            .filter(pending())
            .order_by_asc(mail_queue::Column::NextAttemptAt)
            .one(self.db())
            .await?
            .map(|row| row.next_attempt_at))
    }

    /// Every mail in the queue, newest first: sent, waiting and given up.
    pub async fn mail_queue(&self) -> StoreResult<Vec<QueuedMail>> {
        Ok(mail_queue::Entity::find()
            .order_by_desc(mail_queue::Column::Id)
            .all(self.db())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, payload: &str) -> QueuedMail {
        QueuedMail {
            id: 7,
            user_id: Some(3),
            recipient_address: "a@b.org".into(),
            recipient_name: "A".into(),
            language: "en".into(),
            kind: kind.into(),
            payload: payload.into(),
            created_at: now(),
            attempts: 0,
            next_attempt_at: now(),
            claimed_until: None,
            claim_token: None,
            last_error: None,
            sent_at: None,
            failed_at: None,
        }
    }

    #[test]
    fn content_round_trips_and_bad_rows_are_corrupt_not_panics() {
        for content in [
            MailContent::Certificate {
                certificate_id: "K7MX3QPAW".into(),
            },
            MailContent::PasswordReset {
                token: "abc".into(),
                username: "amina".into(),
            },
        ] {
            let stored = row(content.kind(), &content.payload());
            assert_eq!(MailContent::of(&stored).unwrap(), content);
        }
        assert!(MailContent::of(&row("certificate", "not json")).is_err());
        assert!(MailContent::of(&row("postcard", "{}")).is_err());
    }

    #[test]
    fn a_settled_reset_mail_keeps_no_working_token() {
        let content = MailContent::PasswordReset {
            token: "secret-token".into(),
            username: "amina".into(),
        };
        assert!(!content.settled().payload().contains("secret-token"));
    }
}
