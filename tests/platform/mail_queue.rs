//! The mail queue and reset links in the store, without a server (so no
//! worker takes the mails): two instances never claim one mail, a lease
//! that runs out hands the mail on, failures wait and end in giving up, and
//! a reset link works once, for an hour. Times are passed in, so nothing
//! here sleeps.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use presto::domain::names::{FullName, Role, Username};
use presto::store::mail::{MailContent, Recipient};
use presto::store::users::NewAccount;
use presto::store::{Store, now};

use crate::on_both_databases;
use crate::support::{Backend, fresh_database};

on_both_databases!(
    two_instances_never_claim_the_same_mail,
    a_mail_returns_when_its_lease_runs_out,
    a_failed_try_waits_and_the_last_one_gives_up,
    a_reset_link_works_once_and_for_an_hour,
    erasing_a_learner_removes_their_mails_and_reset_links,
    erasing_takes_only_that_accounts_mails_not_all_at_its_address,
    mails_queued_before_the_upgrade_keep_to_their_account,
);

fn recipient(n: usize) -> Recipient {
    Recipient {
        user_id: None,
        address: format!("learner{n}@example.org"),
        name: format!("Learner {n}"),
        language: "en".into(),
    }
}

fn certificate_mail() -> MailContent {
    MailContent::Certificate {
        certificate_id: "K7MX3QPAW".into(),
    }
}

async fn two_instances_never_claim_the_same_mail(backend: Backend) {
    let (url, _dir) = fresh_database(&backend).await;
    let first = Store::connect(&url).await.unwrap();
    let second = Store::connect(&url).await.unwrap();
    let mut queued = BTreeSet::new();
    for n in 0..20 {
        queued.insert(
            first
                .enqueue_mail(&recipient(n), &certificate_mail())
                .await
                .unwrap(),
        );
    }
    let claim_all = |store: Store| async move {
        let mut mine = Vec::new();
        loop {
            let at = now();
            match store
                .claim_next_mail(at, at + TimeDelta::minutes(5))
                .await
                .unwrap()
            {
                Some(mail) => mine.push(mail.id),
                None => return mine,
            }
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(claim_all(first.clone())),
        tokio::spawn(claim_all(second.clone()))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let both: BTreeSet<i32> = a.iter().chain(&b).copied().collect();
    assert_eq!(a.len() + b.len(), 20, "no mail claimed twice: {a:?} {b:?}");
    assert_eq!(both, queued, "every mail claimed");
    assert!(
        first
            .mail_queue()
            .await
            .unwrap()
            .iter()
            .all(|m| m.attempts == 1 && m.claimed_until.is_some())
    );
}

async fn a_mail_returns_when_its_lease_runs_out(backend: Backend) {
    let (url, _dir) = fresh_database(&backend).await;
    let store = Store::connect(&url).await.unwrap();
    store
        .enqueue_mail(&recipient(1), &certificate_mail())
        .await
        .unwrap();
    let start = now();
    let lease = TimeDelta::minutes(5);
    let first = store
        .claim_next_mail(start, start + lease)
        .await
        .unwrap()
        .expect("due at once");
    let later = start + TimeDelta::minutes(1);
    assert!(
        store
            .claim_next_mail(later, later + lease)
            .await
            .unwrap()
            .is_none(),
        "held while the lease runs"
    );
    assert_eq!(
        store.next_mail_due().await.unwrap(),
        Some(start + lease),
        "the worker sleeps until the lease ends"
    );
    // The first worker died: after the lease another one takes the mail.
    let after = start + TimeDelta::minutes(6);
    let second = store
        .claim_next_mail(after, after + lease)
        .await
        .unwrap()
        .expect("free again");
    assert_eq!((second.id, second.attempts), (first.id, 2));
    // The first worker's late report of a failure does not undo the claim.
    store
        .mail_failed(&first, "late", after - TimeDelta::minutes(10))
        .await
        .unwrap();
    let row = store.mail_queue().await.unwrap().remove(0);
    assert_eq!(row.claim_token, second.claim_token);
    assert_eq!(row.last_error, None);
    // Its late report of success counts: the mail did go.
    store.mail_sent(&first, after).await.unwrap();
    let row = store.mail_queue().await.unwrap().remove(0);
    assert_eq!(row.sent_at, Some(after));
    assert!(store.next_mail_due().await.unwrap().is_none());
}

async fn a_failed_try_waits_and_the_last_one_gives_up(backend: Backend) {
    let (url, _dir) = fresh_database(&backend).await;
    let store = Store::connect(&url).await.unwrap();
    store
        .enqueue_mail(&recipient(1), &certificate_mail())
        .await
        .unwrap();
    let start = now();
    let lease = TimeDelta::minutes(5);
    let mail = store
        .claim_next_mail(start, start + lease)
        .await
        .unwrap()
        .unwrap();
    store
        .mail_failed(&mail, "connection refused", start + TimeDelta::seconds(30))
        .await
        .unwrap();
    let row = store.mail_queue().await.unwrap().remove(0);
    assert_eq!(row.last_error.as_deref(), Some("connection refused"));
    assert_eq!(row.claimed_until, None);
    let soon = start + TimeDelta::seconds(10);
    assert!(
        store
            .claim_next_mail(soon, soon + lease)
            .await
            .unwrap()
            .is_none(),
        "waits for its retry time"
    );
    let then = start + TimeDelta::seconds(31);
    let again = store
        .claim_next_mail(then, then + lease)
        .await
        .unwrap()
        .expect("due again");
    store
        .mail_given_up(&again, "still refused", then)
        .await
        .unwrap();
    let row = store.mail_queue().await.unwrap().remove(0);
    assert_eq!(row.failed_at, Some(then), "kept, marked failed");
    assert_eq!(row.last_error.as_deref(), Some("still refused"));
    let much_later = then + TimeDelta::days(30);
    assert!(
        store
            .claim_next_mail(much_later, much_later + lease)
            .await
            .unwrap()
            .is_none(),
        "never tried again"
    );
}

async fn a_reset_link_works_once_and_for_an_hour(backend: Backend) {
    let (url, _dir) = fresh_database(&backend).await;
    let store = Store::connect(&url).await.unwrap();
    let account = store
        .create_user(NewAccount {
            username: &Username::parse("olena").unwrap(),
            full_name: &FullName::parse("Олена Коваленко").unwrap(),
            email: Some("Olena@Example.org"),
            role: Role::Learner,
            password_hash: "old hash",
            language: "uk",
            home_language: None,
            name_in_own_script: None,
        })
        .await
        .unwrap();
    let start = now();
    assert_eq!(
        store.request_password_reset("nobody", start).await.unwrap(),
        0
    );
    assert_eq!(
        store
            .request_password_reset("olena@example.org", start)
            .await
            .unwrap(),
        1,
        "found by email address, in any case"
    );
    let queued = store.mail_queue().await.unwrap().remove(0);
    assert_eq!(
        (queued.language.as_str(), queued.recipient_address.as_str()),
        ("uk", "Olena@Example.org")
    );
    let MailContent::PasswordReset { token, username } = MailContent::of(&queued).unwrap() else {
        panic!("a reset mail: {queued:?}");
    };
    assert_eq!(username, "olena");

    let in_time = start + TimeDelta::minutes(59);
    let too_late = start + TimeDelta::minutes(61);
    assert!(
        store
            .password_reset_account(&token, in_time)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .password_reset_account(&token, too_late)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .reset_password(&token, "new hash", too_late)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(
        store
            .reset_password("a made-up token", "new hash", in_time)
            .await
            .unwrap()
            .is_none()
    );
    store
        .add_api_token(account.id, "hash of a token made with the old password")
        .await
        .unwrap();
    let reset = store
        .reset_password(&token, "new hash", in_time)
        .await
        .unwrap()
        .expect("the link works");
    assert_eq!(reset.id, account.id);
    assert_eq!(
        store.credentials("olena").await.unwrap().unwrap().1,
        "new hash"
    );
    assert_ne!(
        reset.password_stamp, account.password_stamp,
        "sessions see the password changed"
    );
    assert_eq!(
        store
            .account_for_token("hash of a token made with the old password")
            .await
            .unwrap(),
        None,
        "the old password's token ends with it"
    );
    assert!(
        store
            .reset_password(&token, "third hash", in_time)
            .await
            .unwrap()
            .is_none(),
        "only once"
    );

    // A few links an hour, then no more mail (the page answers the same).
    for _ in 0..2 {
        assert_eq!(
            store.request_password_reset("olena", start).await.unwrap(),
            1
        );
    }
    assert_eq!(
        store.request_password_reset("olena", start).await.unwrap(),
        0
    );
    let next_hour = start + TimeDelta::minutes(61);
    assert_eq!(
        store
            .request_password_reset("olena", next_hour)
            .await
            .unwrap(),
        1
    );
}

async fn erasing_a_learner_removes_their_mails_and_reset_links(backend: Backend) {
    use presto::store::password_resets::password_reset;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let (url, _dir) = fresh_database(&backend).await;
    let store = Store::connect(&url).await.unwrap();
    let mut accounts = Vec::new();
    for (username, email) in [
        ("olena", "Olena@Example.org"),
        ("amina", "amina@example.org"),
    ] {
        accounts.push(
            store
                .create_user(NewAccount {
                    username: &Username::parse(username).unwrap(),
                    full_name: &FullName::parse("Learner Name").unwrap(),
                    email: Some(email),
                    role: Role::Learner,
                    password_hash: "hash",
                    language: "en",
                    home_language: None,
                    name_in_own_script: None,
                })
                .await
                .unwrap(),
        );
        store.request_password_reset(username, now()).await.unwrap();
    }
    assert_eq!(store.mail_queue().await.unwrap().len(), 2);
    let data = store.personal_data(accounts[0].id).await.unwrap().unwrap();
    assert_eq!(data["mails"][0]["kind"], "password_reset");
    assert_eq!(data["mails"][0]["to"], "Olena@Example.org");
    assert_eq!(data["mails"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        data["password_reset_links"].as_array().map(Vec::len),
        Some(1)
    );
    let queued = store.mail_queue().await.unwrap();
    let link = queued
        .iter()
        .find_map(|m| match MailContent::of(m) {
            Ok(MailContent::PasswordReset { token, username }) if username == "olena" => {
                Some(token)
            }
            _ => None,
        })
        .expect("olena's reset link is queued");
    assert!(
        !data.to_string().contains(&link),
        "the export never holds a working link"
    );
    store.erase_learner(accounts[0].id).await.unwrap();

    let left: Vec<String> = store
        .mail_queue()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.recipient_address)
        .collect();
    assert_eq!(left, ["amina@example.org"], "only the other learner's mail");
    let links = |id: i32| {
        password_reset::Entity::find()
            .filter(password_reset::Column::UserId.eq(id))
            .count(store.db())
    };
    assert_eq!(links(accounts[0].id).await.unwrap(), 0);
    assert_eq!(links(accounts[1].id).await.unwrap(), 1);
}

/// A family shares one address. Erasing one of them takes their own mails
/// and reset links only; the export lists their own mails only. A mail of
/// unknown account (queued before the queue recorded accounts) is nobody's:
/// neither exported nor erased with anyone.
async fn erasing_takes_only_that_accounts_mails_not_all_at_its_address(backend: Backend) {
    use presto::store::password_resets::password_reset;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let (url, _dir) = fresh_database(&backend).await;
    let store = Store::connect(&url).await.unwrap();
    let mut family = Vec::new();
    for username in ["mother", "son"] {
        family.push(
            store
                .create_user(NewAccount {
                    username: &Username::parse(username).unwrap(),
                    full_name: &FullName::parse(username).unwrap(),
                    email: Some("family@example.org"),
                    role: Role::Learner,
                    password_hash: "hash",
                    language: "en",
                    home_language: None,
                    name_in_own_script: None,
                })
                .await
                .unwrap(),
        );
        store.request_password_reset(username, now()).await.unwrap();
    }
    let (mother, son) = (&family[0], &family[1]);
    let unplaced = store
        .enqueue_mail(
            &Recipient {
                user_id: None,
                address: "family@example.org".into(),
                name: "Family".into(),
                language: "en".into(),
            },
            &certificate_mail(),
        )
        .await
        .unwrap();

    let data = store.personal_data(son.id).await.unwrap().unwrap();
    let mails = data["mails"].as_array().unwrap();
    assert_eq!(mails.len(), 1, "the son's own mail only: {mails:?}");
    assert_eq!(mails[0]["kind"], "password_reset");
    let sons_mail = mails[0]["id"].as_i64().unwrap();

    store.erase_learner(son.id).await.unwrap();
    let left: BTreeSet<i64> = store
        .mail_queue()
        .await
        .unwrap()
        .iter()
        .map(|m| i64::from(m.id))
        .collect();
    assert!(!left.contains(&sons_mail), "the son's mail is gone");
    assert_eq!(left.len(), 2, "the mother's and the unplaced mail stay");
    assert!(left.contains(&i64::from(unplaced)));
    let mothers = store.personal_data(mother.id).await.unwrap().unwrap();
    assert_eq!(mothers["mails"].as_array().map(Vec::len), Some(1));
    assert_eq!(mothers["mails"][0]["kind"], "password_reset");
    let links = |id: i32| {
        password_reset::Entity::find()
            .filter(password_reset::Column::UserId.eq(id))
            .count(store.db())
    };
    assert_eq!(links(son.id).await.unwrap(), 0);
    assert_eq!(links(mother.id).await.unwrap(), 1, "her link still works");
}

/// A database from before the queue recorded accounts: on upgrading, a
/// certificate mail is placed by its certificate, a reset mail by the
/// username it names when that account still has the address; anything
/// else stays unplaced (so erasing never takes it by a guess).
async fn mails_queued_before_the_upgrade_keep_to_their_account(backend: Backend) {
    use migrations::{Migrator, MigratorTrait};
    use presto::store::certificates::certificate;
    use presto::store::mail::mail_queue;
    use presto::store::users::user;
    use sea_orm::ActiveValue::Set;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let (url, _dir) = fresh_database(&backend).await;
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261206_000003_mail_account")
        .expect("the migration is listed");
    Migrator::up(&db, Some(u32::try_from(before).unwrap()))
        .await
        .unwrap();
    let at = now();
    let mut ids = Vec::new();
    for (username, email) in [
        ("amina", "family@example.org"),
        ("bilal", "family@example.org"),
        ("chen", "chen@example.org"),
    ] {
        user::Entity::insert(user::ActiveModel {
            username: Set(username.into()),
            full_name: Set(username.into()),
            email: Set(Some(email.into())),
            role: Set("learner".into()),
            password_hash: Set("hash".into()),
            language: Set("en".into()),
            created_at: Set(at),
            erased_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(&db)
        .await
        .unwrap();
        let id: i32 = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Username.eq(username))
            .into_tuple()
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        ids.push(id);
    }
    certificate::Entity::insert(certificate::ActiveModel {
        id: Set("K7MX3QPAW".into()),
        user_id: Set(ids[1]),
        course_slug: Set("first-steps".into()),
        course_version: Set(1),
        learner_name: Set("bilal".into()),
        title: Set("Certificate".into()),
        course_title: Set("First steps".into()),
        sector: Set("warehousing".into()),
        level: Set("A1".into()),
        hours: Set(None),
        organisation: Set("Presto".into()),
        issued_at: Set(at),
        expires_at: Set(None),
        revoked_at: Set(None),
        revoked_reason: Set(None),
    })
    .exec_without_returning(&db)
    .await
    .unwrap();
    let reset = |name: &str, token: &str| format!(r#"{{"token":"{token}","username":"{name}"}}"#);
    // (address, kind, payload, whose it turns out to be)
    let rows = [
        (
            "family@example.org",
            "password_reset",
            reset("amina", "t1"),
            Some(ids[0]),
        ),
        (
            "family@example.org",
            "password_reset",
            reset("bilal", ""),
            Some(ids[1]),
        ),
        (
            "family@example.org",
            "certificate",
            r#"{"certificate_id":"K7MX3QPAW"}"#.to_string(),
            Some(ids[1]),
        ),
        // chen's address changed since: the mail is not certainly chen's.
        ("old@example.org", "password_reset", reset("chen", ""), None),
        // No account has this name (amina's ends with it: not a match).
        (
            "family@example.org",
            "password_reset",
            reset("mina", ""),
            None,
        ),
        (
            "family@example.org",
            "certificate",
            r#"{"certificate_id":"NOSUCH123"}"#.to_string(),
            None,
        ),
    ];
    for (address, kind, payload, _) in &rows {
        mail_queue::Entity::insert(mail_queue::ActiveModel {
            recipient_address: Set(address.to_string()),
            recipient_name: Set("Someone".into()),
            language: Set("en".into()),
            kind: Set(kind.to_string()),
            payload: Set(payload.clone()),
            created_at: Set(at),
            attempts: Set(0),
            next_attempt_at: Set(at),
            claimed_until: Set(None),
            claim_token: Set(None),
            last_error: Set(None),
            sent_at: Set(None),
            failed_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(&db)
        .await
        .unwrap();
    }

    let store = Store::connect(&url).await.unwrap();
    let mut queued = store.mail_queue().await.unwrap();
    queued.reverse();
    let placed: Vec<Option<i32>> = queued.iter().map(|m| m.user_id).collect();
    let expected: Vec<Option<i32>> = rows.iter().map(|r| r.3).collect();
    assert_eq!(placed, expected);
}
