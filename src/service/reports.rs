//! Coordinators' reports and learners' records, written once for the pages
//! (`web::reports`) and the API (`web::reports_api`): who may see them, the
//! report filter, the figures, the exports, a learner's outcomes, their
//! personal data and erasure. Coordinators and admins only.
//!
//! The figures' definitions and the filter's parsing are pure, in
//! `crate::reports`; the queries in `store::{reports, outcomes, erasure}`.
//! The files (CSV, xAPI, a learner's data) are [`Download`]s: plain bytes
//! or a stream of chunks, which the web layer sends as an attachment.

mod exports;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use exports::{COMPLETIONS_HEADER, Chunks, Download, DownloadBody, PROGRESS_HEADER};

use super::{Context, Message, ServiceError, ServiceResult};
use crate::course::Sectors;
use crate::domain::names::Role;
use crate::reports::funder::{self, FunderReport};
use crate::reports::outcome::NewOutcome;
use crate::reports::{Figures, Filter, FilterError, FilterInput};
use crate::store::Store;
use crate::store::erasure::Erased;
use crate::store::outcomes::{LearnerSummary, Outcome};
use crate::store::users::Account;

/// Who may see reports and learners' data.
pub const COORDINATORS: &[Role] = &[Role::Coordinator, Role::Admin];
/// How many learners a search shows.
pub const SEARCH_LIMIT: u64 = 50;

/// True for the roles that see reports and learners' data.
pub fn may_see_reports(role: Role) -> bool {
    COORDINATORS.contains(&role)
}

/// Refuses anyone who may not see reports: the first check of every
/// function here.
pub fn require_coordinator(actor: &Account) -> ServiceResult<()> {
    if may_see_reports(actor.role) {
        Ok(())
    } else {
        Err(ServiceError::forbidden(Message::key("reports-forbidden")))
    }
}

/// A filter's problem in words, with the value that was typed.
fn filter_problem(error: &FilterError) -> ServiceError {
    let (key, value) = error.message_key();
    ServiceError::invalid(Message::key(key).arg("value", value))
}

/// The filter, checked, with its class known to exist. A class that is
/// not there is a problem with the input; a database that fails while
/// looking is not (it is [`ServiceError::Store`], never "bad class").
pub async fn checked_filter(
    store: &Store,
    sectors: &Sectors,
    input: &FilterInput,
) -> ServiceResult<Filter> {
    let filter = Filter::parse(input, sectors).map_err(|e| filter_problem(&e))?;
    if let Some(id) = filter.class_id
        && store.class(id).await?.is_none()
    {
        return Err(filter_problem(&FilterError::BadClass(id.to_string())));
    }
    Ok(filter)
}

/// The classes the filter offers, as (id, name), by name: every class for a
/// coordinator or an admin (reports count every class), nothing for anyone
/// else (they may not see reports at all, so never another tutor's class
/// names either). The id is what `?class=` takes, so links stay as they were.
pub async fn filter_classes(
    store: &Store,
    actor: &Account,
) -> ServiceResult<Vec<(String, String)>> {
    require_coordinator(actor)?;
    let mut classes: Vec<(String, String)> = store
        .all_classes()
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    classes.sort_by(|a, b| {
        a.1.to_lowercase()
            .cmp(&b.1.to_lowercase())
            .then(a.0.cmp(&b.0))
    });
    Ok(classes)
}

/// The dashboard: the figures per sector and in total, for a filter.
#[derive(Debug)]
pub struct Dashboard {
    pub filter: Filter,
    /// One entry per sector with any figure.
    pub sectors: Vec<Figures>,
    /// Every sector added up (`sector` empty).
    pub total: Figures,
    /// When they were counted (they are always current: summed from the
    /// daily roll-up when asked for, nothing kept).
    pub counted_at: DateTime<Utc>,
}

pub async fn dashboard(
    store: &Store,
    sectors: &Sectors,
    actor: &Account,
    input: &FilterInput,
) -> ServiceResult<Dashboard> {
    require_coordinator(actor)?;
    let filter = checked_filter(store, sectors, input).await?;
    let counted_at = Utc::now();
    let (mut lines, total) = store.dashboard(&filter, counted_at).await?;
    // In the sectors' order, as the catalogue lists them.
    lines.sort_by_key(|f| sectors.rank(&f.sector));
    Ok(Dashboard {
        filter,
        sectors: lines,
        total,
        counted_at,
    })
}

/// The funder report with the filter it was counted for.
#[derive(Debug)]
pub struct FunderFigures {
    pub filter: Filter,
    pub report: FunderReport,
}

pub async fn funder_report(
    store: &Store,
    sectors: &Sectors,
    actor: &Account,
    input: &FilterInput,
) -> ServiceResult<FunderFigures> {
    require_coordinator(actor)?;
    let filter = checked_filter(store, sectors, input).await?;
    let report = store.funder_report(&filter).await?;
    Ok(FunderFigures { filter, report })
}

/// The funder report as a CSV file.
pub async fn funder_csv(
    store: &Store,
    sectors: &Sectors,
    actor: &Account,
    input: &FilterInput,
) -> ServiceResult<Download> {
    let figures = funder_report(store, sectors, actor, input).await?;
    Ok(Download::whole(
        "text/csv; charset=utf-8",
        "funder-report.csv",
        funder::to_csv(&figures.report),
    ))
}

/// Every completed course, streamed as CSV.
pub fn completions(store: &Store, actor: &Account) -> ServiceResult<Download> {
    require_coordinator(actor)?;
    Ok(exports::completions(store))
}

/// Every lesson's progress, streamed as CSV.
pub fn progress(store: &Store, actor: &Account) -> ServiceResult<Download> {
    require_coordinator(actor)?;
    Ok(exports::progress(store))
}

/// xAPI statements, one a line, streamed.
pub fn xapi(ctx: Context<'_>, actor: &Account) -> ServiceResult<Download> {
    require_coordinator(actor)?;
    Ok(exports::xapi(ctx))
}

/// A learner as the coordinators' pages and the API list them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = LearnerSummaryDoc)]
pub struct LearnerView {
    #[schema(format = Int32)]
    pub id: i32,
    pub username: String,
    pub full_name: String,
    /// True once the learner's data was erased.
    pub erased: bool,
}

impl From<LearnerSummary> for LearnerView {
    fn from(row: LearnerSummary) -> Self {
        LearnerView {
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            erased: row.erased,
        }
    }
}

/// An outcome as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OutcomeView {
    #[schema(format = Int32)]
    pub id: i32,
    /// `work_experience`, `job` or `further_training`.
    #[schema(value_type = crate::reports::outcome::OutcomeKind)]
    pub kind: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub happened_on: String,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<Outcome> for OutcomeView {
    fn from(o: Outcome) -> Self {
        OutcomeView {
            id: o.id,
            kind: o.kind,
            happened_on: o.happened_on.to_string(),
            note: o.note,
            recorded_at: o.recorded_at,
        }
    }
}

/// Learners whose username or name contains `query` (empty: the first
/// ones), by username.
pub async fn search_learners(
    store: &Store,
    actor: &Account,
    query: &str,
) -> ServiceResult<Vec<LearnerView>> {
    require_coordinator(actor)?;
    Ok(store
        .search_learners(query, SEARCH_LIMIT)
        .await?
        .into_iter()
        .map(LearnerView::from)
        .collect())
}

/// A learner's number as written in a path; anything else names nobody.
fn learner_id(text: &str) -> ServiceResult<i32> {
    text.parse::<i32>().map_err(|_| no_learner(text))
}

fn no_learner(text: &str) -> ServiceError {
    ServiceError::not_found(Message::key("reports-no-learner").arg("id", text))
}

/// The learner with this number (as written in the path), erased or not.
async fn find_learner(store: &Store, id: &str) -> ServiceResult<LearnerSummary> {
    let number = learner_id(id)?;
    store.learner(number).await?.ok_or_else(|| no_learner(id))
}

/// A learner with their outcomes, newest first.
#[derive(Debug)]
pub struct LearnerRecord {
    pub learner: LearnerView,
    pub outcomes: Vec<OutcomeView>,
}

pub async fn learner(store: &Store, actor: &Account, id: &str) -> ServiceResult<LearnerRecord> {
    require_coordinator(actor)?;
    let learner = find_learner(store, id).await?;
    let outcomes = store
        .outcomes_of(learner.id)
        .await?
        .into_iter()
        .map(OutcomeView::from)
        .collect();
    Ok(LearnerRecord {
        learner: learner.into(),
        outcomes,
    })
}

/// An outcome just recorded, and for whom.
#[derive(Debug)]
pub struct RecordedOutcome {
    pub learner_id: i32,
    pub outcome: OutcomeView,
}

/// Records an outcome for a learner: `kind` one of the outcome kinds,
/// `happened_on` a date (`YYYY-MM-DD`) not in the future, `note` at most
/// 1000 characters.
pub async fn add_outcome(
    store: &Store,
    actor: &Account,
    id: &str,
    kind: &str,
    happened_on: &str,
    note: &str,
) -> ServiceResult<RecordedOutcome> {
    require_coordinator(actor)?;
    let learner = find_learner(store, id).await?;
    let new = NewOutcome::parse(kind, happened_on, note, Utc::now().date_naive())
        .map_err(|e| ServiceError::invalid(Message::key(e.message_key())))?;
    let stored = store.add_outcome(learner.id, &new, actor.id).await?;
    Ok(RecordedOutcome {
        learner_id: learner.id,
        outcome: stored.into(),
    })
}

/// Everything stored about a learner, as a JSON file.
pub async fn personal_data(store: &Store, actor: &Account, id: &str) -> ServiceResult<Download> {
    require_coordinator(actor)?;
    let number = learner_id(id)?;
    let data = store
        .personal_data(number)
        .await?
        .ok_or_else(|| no_learner(id))?;
    tracing::info!(
        learner = number,
        by = actor.username,
        "personal data exported"
    );
    // `{:#}` is serde_json's pretty printing, which cannot fail for a Value.
    Ok(Download::whole(
        "application/json",
        &format!("learner-{number}-data.json"),
        format!("{data:#}").into_bytes(),
    ))
}

/// A learner just erased: their number and their username from now on.
#[derive(Debug)]
pub struct Erasure {
    pub learner_id: i32,
    pub username: String,
}

/// Erases a learner's personal data once `confirm` is their username. An
/// erased learner is a conflict; a confirmation that is not the username
/// erases nothing.
pub async fn erase(
    store: &Store,
    actor: &Account,
    id: &str,
    confirm: &str,
) -> ServiceResult<Erasure> {
    require_coordinator(actor)?;
    let learner = find_learner(store, id).await?;
    let already = || ServiceError::conflict(Message::key("reports-already-erased"));
    if learner.erased {
        return Err(already());
    }
    if confirm.trim() != learner.username {
        return Err(ServiceError::invalid(Message::key(
            "learner-erase-mismatch",
        )));
    }
    match store.erase_learner(learner.id).await? {
        Erased::Done(username) => {
            tracing::info!(learner = learner.id, by = actor.username, "learner erased");
            Ok(Erasure {
                learner_id: learner.id,
                username,
            })
        }
        Erased::AlreadyErased => Err(already()),
        Erased::NoSuchLearner => Err(no_learner(id)),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::ConnectionTrait;

    use super::*;
    use crate::domain::names::{FullName, Username};
    use crate::store::users::NewAccount;

    async fn store() -> Store {
        Store::connect("sqlite::memory:").await.unwrap()
    }

    async fn person(store: &Store, name: &str, role: Role) -> Account {
        store
            .create_user(NewAccount {
                username: &Username::parse(name).unwrap(),
                full_name: &FullName::parse("Someone Here").unwrap(),
                email: None,
                role,
                password_hash: "!not-a-hash",
                language: "en",
                home_language: None,
                name_in_own_script: None,
            })
            .await
            .unwrap()
    }

    fn input(sector: &str, class: &str) -> FilterInput {
        FilterInput {
            sector: sector.into(),
            class: class.into(),
            ..FilterInput::default()
        }
    }

    /// The Fluent key of an error's (first) message.
    fn first_key(error: &ServiceError) -> &'static str {
        let message = match error {
            ServiceError::Invalid(problems) => problems.first(),
            ServiceError::NotFound(m) | ServiceError::Forbidden(m) | ServiceError::Conflict(m) => {
                Some(m)
            }
            ServiceError::Store(_) | ServiceError::Hashing(_) => None,
        };
        match message {
            Some(Message::Key { key, .. }) => key,
            _ => "",
        }
    }

    #[test]
    fn only_coordinators_and_admins_see_reports() {
        for role in Role::ALL {
            assert_eq!(
                may_see_reports(role),
                matches!(role, Role::Coordinator | Role::Admin),
                "{role:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_bad_filter_is_invalid_and_a_failing_database_is_not() {
        let store = store().await;
        let error = checked_filter(&store, &Sectors::default(), &input("plumbing", ""))
            .await
            .unwrap_err();
        assert_eq!(first_key(&error), "reports-error-sector");
        let error = checked_filter(&store, &Sectors::default(), &input("", "4242"))
            .await
            .unwrap_err();
        assert_eq!(first_key(&error), "reports-error-class");
        assert!(error.to_string().contains("4242"), "{error}");
        assert_eq!(
            checked_filter(&store, &Sectors::default(), &input("care", ""))
                .await
                .unwrap(),
            Filter::parse(&input("care", ""), &Sectors::default()).unwrap()
        );

        // The classes are out of reach: the store failed, the input did not.
        store
            .db()
            .execute_unprepared("ALTER TABLE classes RENAME TO classes_away")
            .await
            .unwrap();
        let error = checked_filter(&store, &Sectors::default(), &input("", "4242"))
            .await
            .unwrap_err();
        assert!(matches!(error, ServiceError::Store(_)), "{error}");
        // Without a class to look up, the database is not asked.
        assert!(
            checked_filter(&store, &Sectors::default(), &input("care", ""))
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn only_coordinators_record_outcomes_and_bad_ones_say_why() {
        let store = store().await;
        let amina = person(&store, "amina", Role::Learner).await;
        let tutor = person(&store, "tutor", Role::Tutor).await;
        let coordinator = person(&store, "coord", Role::Coordinator).await;
        let id = amina.id.to_string();

        let refused = add_outcome(&store, &tutor, &id, "job", "2026-01-01", "")
            .await
            .unwrap_err();
        assert!(matches!(refused, ServiceError::Forbidden(_)));
        let missing = add_outcome(&store, &coordinator, "99999", "job", "2026-01-01", "")
            .await
            .unwrap_err();
        assert!(matches!(missing, ServiceError::NotFound(_)));
        let not_a_number = learner_record_error(&store, &coordinator, "abc").await;
        assert!(matches!(not_a_number, ServiceError::NotFound(_)));
        let tutor_as_learner =
            learner_record_error(&store, &coordinator, &tutor.id.to_string()).await;
        assert!(matches!(tutor_as_learner, ServiceError::NotFound(_)));

        for (kind, date, key) in [
            ("holiday", "2026-01-01", "outcome-error-kind"),
            ("job", "01/01/2026", "outcome-error-date"),
            ("job", "2999-01-01", "outcome-error-future"),
        ] {
            let error = add_outcome(&store, &coordinator, &id, kind, date, "")
                .await
                .unwrap_err();
            assert_eq!(first_key(&error), key, "{kind} {date}");
        }
        let recorded = add_outcome(&store, &coordinator, &id, "job", "2026-01-01", " Porter ")
            .await
            .unwrap();
        assert_eq!(recorded.learner_id, amina.id);
        assert_eq!(recorded.outcome.note, "Porter");
        let record = learner(&store, &coordinator, &id).await.unwrap();
        assert_eq!(record.outcomes, vec![recorded.outcome]);
        assert_eq!(record.learner.username, "amina");
    }

    async fn learner_record_error(store: &Store, actor: &Account, id: &str) -> ServiceError {
        match learner(store, actor, id).await {
            Ok(_) => panic!("{id} found"),
            Err(e) => e,
        }
    }

    #[tokio::test]
    async fn erasing_needs_the_username_and_happens_once() {
        let store = store().await;
        let learner = person(&store, "chen", Role::Learner).await;
        let tutor = person(&store, "tutor", Role::Tutor).await;
        let admin = person(&store, "admin", Role::Admin).await;
        let id = learner.id.to_string();

        let refused = erase(&store, &tutor, &id, "chen").await.unwrap_err();
        assert!(matches!(refused, ServiceError::Forbidden(_)));
        let error = erase(&store, &admin, &id, "amina").await.unwrap_err();
        assert_eq!(first_key(&error), "learner-erase-mismatch");
        assert!(store.account(learner.id).await.unwrap().is_some());

        let done = erase(&store, &admin, &id, " chen ").await.unwrap();
        assert_eq!(done.learner_id, learner.id);
        assert_eq!(done.username, format!("erased-{}", learner.id));
        let again = erase(&store, &admin, &id, &done.username)
            .await
            .unwrap_err();
        assert_eq!(first_key(&again), "reports-already-erased");
        assert!(matches!(again, ServiceError::Conflict(_)));

        // The data export is still there, without the name.
        let download = personal_data(&store, &admin, &id).await.unwrap();
        assert_eq!(
            download.file_name,
            format!("learner-{}-data.json", learner.id)
        );
        let DownloadBody::Whole(bytes) = download.body else {
            panic!("a whole file");
        };
        let data: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert!(data["account"]["erased_at"].is_string());
        assert!(matches!(
            personal_data(&store, &tutor, &id).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            personal_data(&store, &admin, "x1").await,
            Err(ServiceError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn every_report_refuses_a_tutor() {
        let store = store().await;
        let tutor = person(&store, "tutor", Role::Tutor).await;
        let filter = FilterInput::default();
        assert!(matches!(
            dashboard(&store, &Sectors::default(), &tutor, &filter).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            funder_csv(&store, &Sectors::default(), &tutor, &filter).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            completions(&store, &tutor),
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            search_learners(&store, &tutor, "").await,
            Err(ServiceError::Forbidden(_))
        ));
    }
}
