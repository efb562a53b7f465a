//! Certificates: finding one by the number a person typed, what anyone
//! checking it sees, who may download its PDF, its signed credential, a
//! learner's own list, the coordinators' search, and revocation.
//!
//! Who may do what: anyone may check a certificate (the web layer limits
//! how often per address); the learner and staff (the learner's tutors,
//! coordinators, admins) may download the PDF; coordinators and admins
//! find certificates and revoke them.

use chrono::{DateTime, Utc};

use super::{Context, Message, ServiceError, ServiceResult};
use crate::certificate::issued::{self, Status};
use crate::course::Sectors;
use crate::domain::certificate_id::{CertificateId, CertificateIdError};
use crate::domain::names::Role;
use crate::domain::revocation::RevocationReason;
use crate::store::Store;
use crate::store::certificates::Certificate;
use crate::store::users::Account;

/// How many certificates the coordinators' search shows.
pub const SEARCH_LIMIT: u64 = 100;

/// Who may revoke a certificate, and so find any certificate on the
/// coordinators' page: coordinators and admins.
pub fn may_revoke(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Admin)
}

/// Who may download a certificate's PDF: its learner, the tutors of a
/// class the learner is in, coordinators and admins.
pub async fn may_download(
    store: &Store,
    account: &Account,
    certificate: &Certificate,
) -> ServiceResult<bool> {
    Ok(match account.role {
        _ if account.id == certificate.user_id => true,
        Role::Coordinator | Role::Admin => true,
        Role::Tutor => store.teaches(account.id, certificate.user_id).await?,
        Role::Learner => false,
    })
}

/// What is wrong with a number as typed, if anything: shown under "not
/// found" so the person can correct it.
pub fn id_problem(typed: &str) -> Option<Message> {
    CertificateId::parse(typed)
        .err()
        .map(|e| problem_message(&e))
}

fn problem_message(problem: &CertificateIdError) -> Message {
    Message::key(problem.message_key())
}

/// A number that cannot be a certificate's names none: not found, with
/// what is wrong with it.
fn parse_id(typed: &str) -> ServiceResult<CertificateId> {
    CertificateId::parse(typed).map_err(|e| ServiceError::not_found(problem_message(&e)))
}

fn never_issued(id: &CertificateId) -> ServiceError {
    ServiceError::not_found(Message::key("certificate-not-found").arg("number", id.to_string()))
}

/// The certificate a typed number names (any case, with or without
/// dashes), or not found (saying why, when the number has a mistake).
pub async fn find(store: &Store, typed: &str) -> ServiceResult<Certificate> {
    let id = parse_id(typed)?;
    store
        .certificate(&id)
        .await?
        .ok_or_else(|| never_issued(&id))
}

/// A certificate as anyone checking it sees it, now. Pages and the API
/// both show this.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusView {
    /// As printed: `K7MX-3QPA-W`.
    pub id: String,
    pub status: Status,
    /// The learner's full name.
    pub name: String,
    /// The certificate's title.
    pub title: String,
    /// The course's title.
    pub course: String,
    pub course_slug: String,
    pub sector: String,
    pub level: String,
    pub hours: Option<f64>,
    /// Sector, level and hours in words (English, like the certificate).
    pub details: String,
    pub organisation: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The public page, under the site's public address.
    pub verify_url: String,
    pub pdf_url: String,
    pub credential_url: String,
}

impl StatusView {
    pub fn of(
        certificate: &Certificate,
        sectors: &Sectors,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> StatusView {
        StatusView {
            id: issued::written_id(certificate),
            status: Status::of(certificate, now),
            name: certificate.learner_name.clone(),
            title: certificate.title.clone(),
            course: certificate.course_title.clone(),
            course_slug: certificate.course_slug.clone(),
            sector: certificate.sector.clone(),
            level: certificate.level.clone(),
            hours: certificate.hours,
            details: issued::details(certificate, sectors),
            organisation: certificate.organisation.clone(),
            issued_at: certificate.issued_at,
            expires_at: certificate.expires_at,
            revoked_at: certificate.revoked_at,
            verify_url: issued::verify_url(public_url, certificate),
            pdf_url: issued::pdf_url(public_url, certificate),
            credential_url: issued::credential_url(public_url, certificate),
        }
    }

    /// Why it was revoked, when it was.
    pub fn reason(&self) -> Option<&str> {
        match &self.status {
            Status::Revoked { reason } => Some(reason),
            _ => None,
        }
    }
}

fn views(ctx: Context<'_>, certificates: &[Certificate]) -> Vec<StatusView> {
    let public_url = ctx.settings.public_url();
    let sectors = ctx.catalog.sectors();
    let now = Utc::now();
    certificates
        .iter()
        .map(|c| StatusView::of(c, &sectors, &public_url, now))
        .collect()
}

/// A certificate checked by anyone: the verification page and the API.
pub async fn verify(ctx: Context<'_>, typed: &str) -> ServiceResult<StatusView> {
    let certificate = find(ctx.store, typed).await?;
    Ok(StatusView::of(
        &certificate,
        &ctx.catalog.sectors(),
        &ctx.settings.public_url(),
        Utc::now(),
    ))
}

/// The signed-in person's own certificates, newest first.
pub async fn mine(ctx: Context<'_>, account: &Account) -> ServiceResult<Vec<StatusView>> {
    let certificates = ctx.store.certificates_of(account.id).await?;
    Ok(views(ctx, &certificates))
}

/// Coordinators find certificates by number or learner's name (newest
/// first; the newest when `query` is empty), to check or revoke them.
pub async fn search(
    ctx: Context<'_>,
    account: &Account,
    query: &str,
) -> ServiceResult<Vec<StatusView>> {
    if !may_revoke(account.role) {
        return Err(ServiceError::forbidden(Message::key(
            "certificate-search-forbidden",
        )));
    }
    let found = ctx.store.search_certificates(query, SEARCH_LIMIT).await?;
    Ok(views(ctx, &found))
}

/// The certificate whose PDF `account` asks for: not found before
/// forbidden, as the number is all a stranger learns either way.
pub async fn for_download(
    store: &Store,
    account: &Account,
    typed: &str,
) -> ServiceResult<Certificate> {
    let certificate = find(store, typed).await?;
    if !may_download(store, account, &certificate).await? {
        return Err(ServiceError::forbidden(Message::key(
            "certificate-download-forbidden",
        )));
    }
    Ok(certificate)
}

/// What the signed credential at a certificate's public address is made
/// from. Anyone may fetch it.
#[derive(Debug, Clone)]
pub enum Credential {
    /// To be signed: the certificate and its course's summary (empty once
    /// the course is no longer published).
    Issued {
        certificate: Box<Certificate>,
        course_summary: String,
    },
    /// A revoked certificate has no credential any more; the verification
    /// page says why.
    Revoked { reason: String },
}

pub async fn credential(ctx: Context<'_>, typed: &str) -> ServiceResult<Credential> {
    let certificate = find(ctx.store, typed).await?;
    if let Status::Revoked { reason } = Status::of(&certificate, Utc::now()) {
        return Ok(Credential::Revoked { reason });
    }
    let course_summary = ctx
        .catalog
        .get(&certificate.course_slug)
        .map(|published| published.course.settings.summary.clone())
        .unwrap_or_default();
    Ok(Credential::Issued {
        certificate: Box::new(certificate),
        course_summary,
    })
}

/// A revocation that may go ahead: what it revokes and why.
#[derive(Debug, Clone)]
pub struct Revocation {
    pub certificate: StatusView,
    pub reason: RevocationReason,
}

/// The checks before revoking, in the order both pages and the API give
/// them: the role first (so a learner learns nothing more), then the
/// reason, then the number.
fn may_revoke_with(
    account: &Account,
    typed: &str,
    reason: &str,
) -> ServiceResult<(CertificateId, RevocationReason)> {
    if !may_revoke(account.role) {
        return Err(ServiceError::forbidden(Message::key(
            "certificate-revoke-forbidden",
        )));
    }
    let reason = RevocationReason::parse(reason)
        .map_err(|problem| ServiceError::invalid(Message::key(problem.message_key())))?;
    Ok((parse_id(typed)?, reason))
}

/// Checks a revocation without making it, for the page that asks first.
pub async fn check_revocation(
    ctx: Context<'_>,
    account: &Account,
    typed: &str,
    reason: &str,
) -> ServiceResult<Revocation> {
    let (id, reason) = may_revoke_with(account, typed, reason)?;
    let certificate = ctx
        .store
        .certificate(&id)
        .await?
        .ok_or_else(|| never_issued(&id))?;
    Ok(Revocation {
        certificate: StatusView::of(
            &certificate,
            &ctx.catalog.sectors(),
            &ctx.settings.public_url(),
            Utc::now(),
        ),
        reason,
    })
}

/// Revokes a certificate from now on, for everyone who checks it.
/// Revoking one already revoked changes nothing: it keeps its first
/// reason and date, and the answer shows them.
pub async fn revoke(
    ctx: Context<'_>,
    account: &Account,
    typed: &str,
    reason: &str,
) -> ServiceResult<StatusView> {
    let (id, reason) = may_revoke_with(account, typed, reason)?;
    let revoked = ctx
        .store
        .revoke_certificate(&id, reason.as_str())
        .await?
        .ok_or_else(|| never_issued(&id))?;
    tracing::info!(
        certificate = revoked.id,
        by = account.username,
        "certificate revoked"
    );
    Ok(StatusView::of(
        &revoked,
        &ctx.catalog.sectors(),
        &ctx.settings.public_url(),
        Utc::now(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::names::{FullName, Username};
    use crate::store::certificates::certificate;
    use crate::store::users::NewAccount;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};

    async fn store() -> Store {
        Store::connect("sqlite::memory:").await.unwrap()
    }

    async fn person(store: &Store, username: &str, role: Role) -> Account {
        store
            .create_user(NewAccount {
                username: &Username::parse(username).unwrap(),
                full_name: &FullName::parse("Amina Yusuf").unwrap(),
                email: None,
                role,
                // Never signed in with: these tests need no password.
                password_hash: "not-a-hash",
                language: "en",
                home_language: None,
                name_in_own_script: None,
            })
            .await
            .unwrap()
    }

    async fn certificate_of(store: &Store, learner: &Account) -> Certificate {
        certificate::ActiveModel {
            id: Set(CertificateId::generate().as_str().to_string()),
            user_id: Set(learner.id),
            course_slug: Set("first-steps".into()),
            course_version: Set(1),
            learner_name: Set(learner.full_name.clone()),
            title: Set("First steps at work".into()),
            course_title: Set("First steps at work".into()),
            sector: Set("warehousing".into()),
            level: Set("A1".into()),
            hours: Set(None),
            organisation: Set("Presto".into()),
            issued_at: Set(Utc::now()),
            expires_at: Set(None),
            revoked_at: Set(None),
            revoked_reason: Set(None),
        }
        .insert(store.db())
        .await
        .unwrap()
    }

    #[test]
    fn only_coordinators_and_admins_revoke() {
        assert!(may_revoke(Role::Coordinator));
        assert!(may_revoke(Role::Admin));
        assert!(!may_revoke(Role::Tutor));
        assert!(!may_revoke(Role::Learner));
    }

    #[tokio::test]
    async fn the_learner_staff_and_the_learners_tutors_may_download() {
        let store = store().await;
        let learner = person(&store, "amina", Role::Learner).await;
        let certificate = certificate_of(&store, &learner).await;
        let other = person(&store, "olena", Role::Learner).await;
        let coordinator = person(&store, "cora", Role::Coordinator).await;
        let admin = person(&store, "ada", Role::Admin).await;
        let tutor = person(&store, "tomas", Role::Tutor).await;
        for (account, may) in [
            (&learner, true),
            (&other, false),
            (&coordinator, true),
            (&admin, true),
            (&tutor, false),
        ] {
            assert_eq!(
                may_download(&store, account, &certificate).await.unwrap(),
                may,
                "{}",
                account.username
            );
        }
        let class = store
            .create_class(tutor.id, "Monday group", "warehousing", &[])
            .await
            .unwrap();
        store.join_class(&class, learner.id).await.unwrap();
        assert!(
            may_download(&store, &tutor, &certificate).await.unwrap(),
            "a tutor of the learner's class"
        );
        let typed = certificate.id.to_lowercase();
        assert!(matches!(
            for_download(&store, &other, &typed).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert_eq!(
            for_download(&store, &tutor, &typed).await.unwrap().id,
            certificate.id
        );
    }

    #[tokio::test]
    async fn a_number_with_a_mistake_or_never_issued_is_not_found_and_says_why() {
        let store = store().await;
        let learner = person(&store, "amina", Role::Learner).await;
        let certificate = certificate_of(&store, &learner).await;
        let written = CertificateId::parse(&certificate.id).unwrap().to_string();
        assert_eq!(find(&store, &written).await.unwrap(), certificate);

        let Err(ServiceError::NotFound(message)) = find(&store, "K7MX").await else {
            panic!("a short number is not found");
        };
        assert_eq!(message, Message::key("certificate-id-length"));
        assert_eq!(id_problem("K7MX"), Some(message));

        let never = CertificateId::generate();
        let Err(ServiceError::NotFound(message)) = find(&store, never.as_str()).await else {
            panic!("a number never issued is not found");
        };
        assert_eq!(
            message.english(),
            format!("No certificate has the number {never}.")
        );
        assert_eq!(id_problem(never.as_str()), None);
    }

    #[test]
    fn the_revocation_checks_come_role_first_then_reason_then_number() {
        let account = |role| Account {
            id: 1,
            username: "someone".into(),
            full_name: "Someone".into(),
            email: None,
            role,
            language: "en".into(),
            chosen_home_language: None,
            name_in_own_script: None,
            password_stamp: crate::store::users::PasswordStamp::of(""),
        };
        let tutor = account(Role::Tutor);
        let coordinator = account(Role::Coordinator);
        let too_long = "x".repeat(501);
        let good = CertificateId::generate().to_string();
        assert!(matches!(
            may_revoke_with(&tutor, "not a number", ""),
            Err(ServiceError::Forbidden(_))
        ));
        for (reason, key) in [
            ("  ", "certificate-revoke-reason-missing"),
            (too_long.as_str(), "certificate-revoke-reason-long"),
        ] {
            match may_revoke_with(&coordinator, "not a number", reason) {
                Err(ServiceError::Invalid(problems)) => {
                    assert_eq!(problems, vec![Message::key(key)])
                }
                other => panic!("{reason:?}: {other:?}"),
            }
        }
        assert!(matches!(
            may_revoke_with(&coordinator, "not a number", "Issued in error"),
            Err(ServiceError::NotFound(_))
        ));
        let (id, reason) = may_revoke_with(&coordinator, &good, " Issued in error ").unwrap();
        assert_eq!(id.to_string(), good);
        assert_eq!(reason.as_str(), "Issued in error");
    }

    #[tokio::test]
    async fn revoking_twice_keeps_the_first_reason_and_a_search_needs_a_coordinator() {
        let store = store().await;
        let learner = person(&store, "amina", Role::Learner).await;
        let coordinator = person(&store, "cora", Role::Coordinator).await;
        let certificate = certificate_of(&store, &learner).await;
        let catalog = crate::catalog::Catalog::default();
        let settings = crate::config::Settings::default();
        let issuer = crate::certificate::Issuer::new(
            &settings.public_url(),
            crate::certificate::KeyRing::new(
                crate::certificate::IssuerKey::generate("key-1", Utc::now()).unwrap(),
                vec![],
            ),
        )
        .unwrap();
        let ctx = Context {
            store: &store,
            catalog: &catalog,
            settings: &settings,
            issuer: &issuer,
        };
        let first = revoke(ctx, &coordinator, &certificate.id, "Issued in error")
            .await
            .unwrap();
        assert_eq!(first.reason(), Some("Issued in error"));
        let again = revoke(ctx, &coordinator, &certificate.id, "Another reason")
            .await
            .unwrap();
        assert_eq!(again.reason(), Some("Issued in error"));
        assert_eq!(again.revoked_at, first.revoked_at);
        assert!(matches!(
            credential(ctx, &certificate.id).await,
            Ok(Credential::Revoked { .. })
        ));

        assert!(matches!(
            search(ctx, &learner, "amina").await,
            Err(ServiceError::Forbidden(_))
        ));
        let found = search(ctx, &coordinator, "amina").await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Amina Yusuf");
        assert_eq!(mine(ctx, &learner).await.unwrap(), found);
    }
}
