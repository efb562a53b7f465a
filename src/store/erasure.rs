//! A learner's personal data: everything stored about them, as JSON, and
//! erasing it.
//!
//! Erasing keeps the rows the figures count (enrolments, progress, attempt
//! scores, certificates, class memberships, attendance, when they joined a
//! live class and whether their live answers were right, outcomes) and
//! removes what identifies the person: name (and the name in their own
//! script), home language, username, email, password,
//! API tokens, quiz and live answers, hands up, their name in a live
//! class's kept events, outcome notes, and the name on certificates,
//! which are revoked with the reason "erased". All in one transaction.

use std::collections::HashSet;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::{Value, json};

use super::certificates::certificate;
use super::classes::{attendance, class, class_member};
use super::invitations::class_invitation;
use super::live::{live_answer, live_attendee, live_class, live_event, live_hand, live_question};
use super::mail::mail_queue;
use super::outcomes::outcome;
use super::password_resets::password_reset;
use super::progress::{enrolment, lesson_progress, quiz_attempt};
use super::reports::ERASED_REASON;
use super::users::{api_token, user};
use super::{Store, StoreResult, now};
use crate::domain::names::{ERASED_PREFIX, Role};

/// What erasing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erased {
    /// Erased now; the new username.
    Done(String),
    AlreadyErased,
    NoSuchLearner,
}

/// A password hash no password matches (not a PHC string at all).
const NO_PASSWORD: &str = "!erased";

fn parse_json_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// The username an erased account gets: `erased-<id>`, or, when another
/// account already holds that (one made before `Username::parse` kept the
/// prefix for erasure), the first free one of `erased-<id>-2`, `-3`, ...
/// Read inside the erasure's transaction; no new account can take any of
/// these names, so the choice stays free until the commit.
async fn erased_username<C: ConnectionTrait>(db: &C, user_id: i32) -> StoreResult<String> {
    let base = format!("{ERASED_PREFIX}{user_id}");
    let taken: HashSet<String> = user::Entity::find()
        .select_only()
        .column(user::Column::Username)
        .filter(user::Column::Username.starts_with(base.as_str()))
        .filter(user::Column::Id.ne(user_id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut name = base.clone();
    let mut suffix = 1;
    while taken.contains(&name) {
        suffix += 1;
        name = format!("{base}-{suffix}");
    }
    Ok(name)
}

/// A learner's part in live classes: their answers (with the question),
/// the hands they have up, and the live classes they joined.
async fn live_data<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> StoreResult<(Vec<Value>, Vec<Value>, Vec<Value>)> {
    let answers = live_answer::Entity::find()
        .filter(live_answer::Column::UserId.eq(user_id))
        .order_by_asc(live_answer::Column::AnsweredAt)
        .all(db)
        .await?;
    let mut live_answers = Vec::with_capacity(answers.len());
    for a in &answers {
        let question = live_question::Entity::find_by_id(a.question_id)
            .one(db)
            .await?;
        live_answers.push(json!({
            "question_id": a.question_id,
            "session_id": question.as_ref().map(|q| q.session_id),
            "question": question.as_ref().map(|q| q.text.clone()),
            "answer": parse_json_text(&a.answer),
            "right": a.right,
            "answered_at": a.answered_at,
        }));
    }
    let hands = live_hand::Entity::find()
        .filter(live_hand::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .iter()
        .map(|h| json!({ "class_id": h.class_id, "raised_at": h.raised_at }))
        .collect();
    let attended = live_attendee::Entity::find()
        .filter(live_attendee::Column::UserId.eq(user_id))
        .order_by_asc(live_attendee::Column::JoinedAt)
        .all(db)
        .await?
        .iter()
        .map(|a| json!({ "session_id": a.session_id, "joined_at": a.joined_at, "following": a.following }))
        .collect();
    Ok((live_answers, hands, attended))
}

/// Erases what identifies a learner in live classes: what they typed in
/// answers (whether each was right stays, for the figures), their hands
/// up, and their name and answers in the events kept for streams that
/// reconnect during a class live now. When they joined stays, like the
/// register.
async fn erase_live<C: ConnectionTrait>(db: &C, user_id: i32, username: &str) -> StoreResult<()> {
    live_answer::Entity::update_many()
        .col_expr(live_answer::Column::Answer, Expr::value("null"))
        .filter(live_answer::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    live_hand::Entity::delete_many()
        .filter(live_hand::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let live_classes: Vec<i32> = class_member::Entity::find()
        .filter(class_member::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.class_id)
        .collect();
    let live_now: Vec<i32> = live_class::Entity::find()
        .filter(live_class::Column::ClassId.is_in(live_classes))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.class_id)
        .collect();
    let kept = live_event::Entity::find()
        .filter(live_event::Column::ClassId.is_in(live_now))
        .all(db)
        .await?;
    for row in kept {
        let Ok(mut event) = serde_json::from_str::<crate::live::LiveEvent>(&row.event) else {
            continue;
        };
        let theirs = event.data.get("user_id").and_then(Value::as_i64) == Some(user_id.into());
        let had_personal = event.personal.remove(&user_id).is_some();
        if theirs && let Some(fields) = event.data.as_object_mut() {
            fields.insert("username".into(), json!(username));
        }
        if !theirs && !had_personal {
            continue;
        }
        let text = serde_json::to_string(&event)
            .map_err(|e| super::StoreError::Corrupt(format!("live event: {e}")))?;
        live_event::Entity::update_many()
            .col_expr(live_event::Column::Event, Expr::value(text))
            .filter(live_event::Column::ClassId.eq(row.class_id))
            .filter(live_event::Column::Seq.eq(row.seq))
            .exec(db)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Everything stored about one learner, or None when there is no such
    /// learner. Other people appear only by id (a class's tutor, who
    /// recorded an outcome).
    pub async fn personal_data(&self, user_id: i32) -> StoreResult<Option<Value>> {
        let db = self.db();
        let Some(account) = user::Entity::find_by_id(user_id)
            .filter(user::Column::Role.eq(Role::Learner.as_str()))
            .into_json()
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let mut account = account;
        if let Some(fields) = account.as_object_mut() {
            fields.remove("password_hash");
        }
        let tokens = api_token::Entity::find()
            .filter(api_token::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .iter()
            .map(|t| json!({ "id": t.id, "created_at": t.created_at }))
            .collect::<Vec<_>>();
        let enrolments = enrolment::Entity::find()
            .filter(enrolment::Column::UserId.eq(user_id))
            .order_by_asc(enrolment::Column::Id)
            .into_json()
            .all(db)
            .await?;
        let progress = lesson_progress::Entity::find()
            .filter(lesson_progress::Column::UserId.eq(user_id))
            .order_by_asc(lesson_progress::Column::Id)
            .into_json()
            .all(db)
            .await?;
        let attempts = quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::UserId.eq(user_id))
            .order_by_asc(quiz_attempt::Column::Id)
            .all(db)
            .await?
            .iter()
            .map(|a| {
                json!({
                    "id": a.id,
                    "course_slug": a.course_slug,
                    "lesson_id": a.lesson_id,
                    "course_version": a.course_version,
                    "score": a.score,
                    "passed": a.passed,
                    "answers": parse_json_text(&a.answers),
                    "results": parse_json_text(&a.results),
                    "submitted_at": a.submitted_at,
                })
            })
            .collect::<Vec<_>>();
        let certificates = certificate::Entity::find()
            .filter(certificate::Column::UserId.eq(user_id))
            .into_json()
            .all(db)
            .await?;
        let memberships = class_member::Entity::find()
            .filter(class_member::Column::UserId.eq(user_id))
            .all(db)
            .await?;
        let mut classes = Vec::new();
        for m in &memberships {
            let name = class::Entity::find_by_id(m.class_id)
                .one(db)
                .await?
                .map(|c| c.name);
            classes.push(
                json!({ "class_id": m.class_id, "class_name": name, "joined_at": m.joined_at }),
            );
        }
        let invitations = class_invitation::Entity::find()
            .filter(class_invitation::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .iter()
            .map(|i| json!({ "class_id": i.class_id, "invited_at": i.invited_at }))
            .collect::<Vec<_>>();
        let attendance = attendance::Entity::find()
            .filter(attendance::Column::UserId.eq(user_id))
            .into_json()
            .all(db)
            .await?;
        let outcomes = outcome::Entity::find()
            .filter(outcome::Column::UserId.eq(user_id))
            .order_by_asc(outcome::Column::Id)
            .into_json()
            .all(db)
            .await?;
        // Mails and reset links: when and what kind, never the link itself.
        // The account's own mails only: other accounts can share the
        // address (a family, a support worker), and their mails are theirs.
        let mails = mail_queue::Entity::find()
            .filter(mail_queue::Column::UserId.eq(user_id))
            .order_by_asc(mail_queue::Column::Id)
            .all(db)
            .await?
            .iter()
            .map(|m| {
                json!({
                    "id": m.id, "kind": m.kind, "to": m.recipient_address,
                    "created_at": m.created_at, "sent_at": m.sent_at, "failed_at": m.failed_at,
                })
            })
            .collect::<Vec<_>>();
        let reset_links = password_reset::Entity::find()
            .filter(password_reset::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .iter()
            .map(|r| json!({ "created_at": r.created_at, "expires_at": r.expires_at, "used_at": r.used_at }))
            .collect::<Vec<_>>();
        let (live_answers, live_hands, live_attendance) = live_data(db, user_id).await?;
        Ok(Some(json!({
            "exported_at": now(),
            "mails": mails,
            "password_reset_links": reset_links,
            "account": account,
            "api_tokens": tokens,
            "enrolments": enrolments,
            "lesson_progress": progress,
            "quiz_attempts": attempts,
            "certificates": certificates,
            "classes": classes,
            "class_invitations": invitations,
            "attendance": attendance,
            "live_attendance": live_attendance,
            "live_answers": live_answers,
            "live_hands": live_hands,
            "outcomes": outcomes,
        })))
    }

    /// Erases a learner's personal data, in one transaction. The account
    /// row stays (as `erased-<id>`, no name, no password; see
    /// [`erased_username`]) so the figures that count it stay the same.
    pub async fn erase_learner(&self, user_id: i32) -> StoreResult<Erased> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        let Some(row) = user::Entity::find_by_id(user_id)
            .filter(user::Column::Role.eq(Role::Learner.as_str()))
            .one(&txn)
            .await?
        else {
            return Ok(Erased::NoSuchLearner);
        };
        if row.erased_at.is_some() {
            return Ok(Erased::AlreadyErased);
        }
        let at = now();
        let username = erased_username(&txn, user_id).await?;
        user::Entity::update_many()
            .col_expr(user::Column::Username, Expr::value(username.clone()))
            .col_expr(user::Column::FullName, Expr::value(""))
            .col_expr(
                user::Column::NameInOwnScript,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                user::Column::HomeLanguage,
                Expr::value(Option::<String>::None),
            )
            .col_expr(user::Column::Email, Expr::value(Option::<String>::None))
            .col_expr(user::Column::PasswordHash, Expr::value(NO_PASSWORD))
            .col_expr(user::Column::ErasedAt, Expr::value(Some(at)))
            .filter(user::Column::Id.eq(user_id))
            .exec(&txn)
            .await?;
        super::users::end_sign_ins_in(&txn, user_id).await?;
        password_reset::Entity::delete_many()
            .filter(password_reset::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        // An invitation waits for a person who is no longer there.
        class_invitation::Entity::delete_many()
            .filter(class_invitation::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        // Mails to the learner, sent or waiting, hold their address and
        // name: gone too (a certificate mail not yet sent is not sent).
        // By account, never by address: another account with the same
        // address keeps its mails. A mail queued before the queue knew its
        // account (and that its migration could not place) matches nothing
        // here: deleting by address would take other people's mails.
        mail_queue::Entity::delete_many()
            .filter(mail_queue::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        // Answers can hold anything the learner typed; the score and
        // whether it passed stay for the figures.
        quiz_attempt::Entity::update_many()
            .col_expr(quiz_attempt::Column::Answers, Expr::value("{}"))
            .col_expr(quiz_attempt::Column::Results, Expr::value("null"))
            .col_expr(
                quiz_attempt::Column::IdempotencyKey,
                Expr::value(Option::<String>::None),
            )
            .filter(quiz_attempt::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        erase_live(&txn, user_id, &username).await?;
        outcome::Entity::update_many()
            .col_expr(outcome::Column::Note, Expr::value(""))
            .filter(outcome::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        // A certificate already revoked keeps its first reason and date
        // (and so stays out of the figures, as before); the others are
        // revoked as erased.
        certificate::Entity::update_many()
            .col_expr(certificate::Column::RevokedAt, Expr::value(Some(at)))
            .col_expr(
                certificate::Column::RevokedReason,
                Expr::value(ERASED_REASON),
            )
            .filter(certificate::Column::UserId.eq(user_id))
            .filter(certificate::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        certificate::Entity::update_many()
            .col_expr(certificate::Column::LearnerName, Expr::value(""))
            .filter(certificate::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Erased::Done(username))
    }
}
