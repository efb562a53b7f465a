//! The coordinator reports' queries: aggregates counted in the database
//! (GROUP BY over indexed dates, never every row into memory), and the
//! exports read in keyset pages so a stream holds one page at a time.
//!
//! The SQL is written by hand because the month and day arithmetic differs
//! between SQLite and PostgreSQL; [`Sql`] numbers the placeholders for
//! each.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, QueryResult};

use super::sql::Sql;

use super::{Store, StoreError, StoreResult};
use crate::reports::outcome::OutcomeKind;
use crate::reports::{Figures, Filter, funder};

fn count(row: &QueryResult, column: &str) -> StoreResult<u64> {
    let n: Option<i64> = row.try_get("", column)?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// Certificates the reports count: not revoked, or revoked only because the
/// learner's data was erased (erasure must not change the figures).
const COUNTED_CERTIFICATE: &str = "(k.revoked_at IS NULL OR k.revoked_reason = 'erased')";

/// The revocation reason erasure writes.
pub const ERASED_REASON: &str = "erased";

/// A completed course, for the completions export.
#[derive(Debug, Clone, FromQueryResult)]
pub struct CompletionRow {
    pub enrolment_id: i32,
    pub username: String,
    pub full_name: String,
    pub course_slug: String,
    pub sector: String,
    pub enrolled_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub certificate_id: Option<String>,
}

/// One lesson's progress, for the progress export and xAPI.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ProgressRow {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub course_slug: String,
    pub lesson_id: String,
    pub kind: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub best_score: Option<i32>,
    pub passed: bool,
    pub attempts: i32,
    pub updated_at: DateTime<Utc>,
}

/// An enrolment, for xAPI (attempted, and completed).
#[derive(Debug, Clone, FromQueryResult)]
pub struct EnrolmentRow {
    pub id: i32,
    pub username: String,
    pub course_slug: String,
    pub enrolled_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// A quiz attempt, for xAPI (passed or failed).
#[derive(Debug, Clone, FromQueryResult)]
pub struct AttemptRow {
    pub id: i32,
    pub username: String,
    pub course_slug: String,
    pub lesson_id: String,
    pub score: i32,
    pub passed: bool,
    pub submitted_at: DateTime<Utc>,
}

/// The dashboard's counts per sector, before the rates and medians.
#[derive(Default)]
struct DashboardCounts {
    by_sector: BTreeMap<String, Figures>,
    /// Per sector: (tenths of a day, completions that took that long).
    durations: BTreeMap<String, Vec<(i64, u64)>>,
}

impl DashboardCounts {
    fn sector(&mut self, sector: String) -> &mut Figures {
        let figures = self.by_sector.entry(sector.clone()).or_default();
        figures.sector = sector;
        figures
    }

    fn add_duration(&mut self, row: &QueryResult) -> StoreResult<()> {
        let sector: String = row.try_get("", "sector")?;
        // An INTEGER sum or cast reads as i64 on SQLite, i32 on PostgreSQL.
        let tenths: Option<i64> = row.try_get::<Option<i64>>("", "tenths").or_else(|_| {
            row.try_get::<Option<i32>>("", "tenths")
                .map(|t| t.map(i64::from))
        })?;
        if let Some(tenths) = tenths {
            self.durations
                .entry(sector)
                .or_default()
                .push((tenths.max(0), count(row, "n")?));
        }
        Ok(())
    }

    /// One line per sector, and the total, with rates and medians.
    fn finish(mut self) -> (Vec<Figures>, Figures) {
        let mut total = Figures::default();
        let mut all_durations = Vec::new();
        let mut lines = Vec::new();
        for (sector, mut figures) in self.by_sector {
            total.started += figures.started;
            total.active += figures.active;
            total.completed += figures.completed;
            total.certified += figures.certified;
            total.started_and_completed += figures.started_and_completed;
            let mut mine = self.durations.remove(&sector).unwrap_or_default();
            all_durations.extend_from_slice(&mine);
            figures.finish(&mut mine);
            lines.push(figures);
        }
        total.finish(&mut all_durations);
        (lines, total)
    }
}

impl Store {
    async fn rows(&self, sql: &Sql) -> StoreResult<Vec<QueryResult>> {
        Ok(self.db().query_all_raw(sql.statement()).await?)
    }

    /// Rows read straight into a struct whose fields are the columns' names.
    async fn typed_rows<T: FromQueryResult>(&self, sql: &Sql) -> StoreResult<Vec<T>> {
        Ok(T::find_by_statement(sql.statement()).all(self.db()).await?)
    }

    /// The dashboard: one line per sector with any figure, and the total.
    /// Summed from the daily roll-up, or, for one class (a few dozen
    /// learners), counted from the enrolments themselves.
    pub async fn dashboard(
        &self,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<Figures>, Figures)> {
        let counts = if filter.class_id.is_some() {
            self.dashboard_events(filter, now).await?
        } else {
            self.dashboard_rollup(filter, now).await?
        };
        Ok(counts.finish())
    }

    /// The dashboard counted from the enrolments and certificates, whatever
    /// the filter: what the roll-up must always agree with (the tests check
    /// it). Reads every enrolment in scope: slow at scale.
    pub async fn dashboard_from_events(
        &self,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<Figures>, Figures)> {
        Ok(self.dashboard_events(filter, now).await?.finish())
    }

    async fn dashboard_rollup(
        &self,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> StoreResult<DashboardCounts> {
        let mut counts = DashboardCounts::default();
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT c.sector AS sector, SUM(r.started) AS started, \
             SUM(r.completed) AS completed, SUM(r.certified) AS certified, \
             SUM(r.started_and_completed) AS started_and_completed \
             FROM report_days r JOIN courses c ON c.slug = r.course_slug WHERE ",
        )
        .date_in_range("r.day", filter)
        .in_sector(filter)
        .push(" GROUP BY c.sector");
        for row in self.rows(&sql).await? {
            let figures = counts.sector(row.try_get("", "sector")?);
            figures.started = count(&row, "started")?;
            figures.completed = count(&row, "completed")?;
            figures.certified = count(&row, "certified")?;
            figures.started_and_completed = count(&row, "started_and_completed")?;
        }

        // Active: enrolments by the day of their latest activity.
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT c.sector AS sector, SUM(r.latest_activity) AS active \
             FROM report_days r JOIN courses c ON c.slug = r.course_slug WHERE r.day >= ",
        )
        .bind(Filter::active_since(now).date_naive())
        .in_sector(filter)
        .push(" GROUP BY c.sector");
        for row in self.rows(&sql).await? {
            let active = count(&row, "active")?;
            if active > 0 {
                counts.sector(row.try_get("", "sector")?).active = active;
            }
        }

        // The histogram has a row per day, course and duration: summed per
        // course and duration first (in the order of an index that covers
        // it), then joined to the few courses for their sectors.
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT c.sector AS sector, t.tenths AS tenths, CAST(SUM(t.n) AS BIGINT) AS n FROM ( \
             SELECT d.course_slug AS course_slug, d.tenths AS tenths, \
             SUM(d.completions) AS n FROM report_durations d WHERE ",
        )
        .date_in_range("d.day", filter)
        .push(
            " GROUP BY d.course_slug, d.tenths) t \
             JOIN courses c ON c.slug = t.course_slug WHERE 1 = 1",
        )
        .in_sector(filter)
        .push(" GROUP BY c.sector, t.tenths");
        for row in self.rows(&sql).await? {
            counts.add_duration(&row)?;
        }
        Ok(counts)
    }

    async fn dashboard_events(
        &self,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> StoreResult<DashboardCounts> {
        let mut counts = DashboardCounts::default();

        // Started, active, completed: one pass over the enrolments.
        let mut sql = Sql::new(self.backend());
        sql.push("SELECT c.sector AS sector, SUM(CASE WHEN ")
            .in_range("e.enrolled_at", filter)
            .push(" THEN 1 ELSE 0 END) AS started, SUM(CASE WHEN e.last_active_at >= ")
            .bind(Filter::active_since(now))
            .push(" THEN 1 ELSE 0 END) AS active, SUM(CASE WHEN ")
            .in_range("e.completed_at", filter)
            .push(" THEN 1 ELSE 0 END) AS completed, SUM(CASE WHEN e.completed_at IS NOT NULL AND ")
            .in_range("e.enrolled_at", filter)
            .push(
                " THEN 1 ELSE 0 END) AS started_and_completed \
                   FROM enrolments e JOIN courses c ON c.slug = e.course_slug WHERE 1 = 1",
            )
            .scope("e.user_id", "e.course_slug", filter)
            .push(" GROUP BY c.sector");
        for row in self.rows(&sql).await? {
            let figures = counts.sector(row.try_get("", "sector")?);
            figures.started = count(&row, "started")?;
            figures.active = count(&row, "active")?;
            figures.completed = count(&row, "completed")?;
            figures.started_and_completed = count(&row, "started_and_completed")?;
        }

        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT c.sector AS sector, COUNT(*) AS certified FROM certificates k \
             JOIN courses c ON c.slug = k.course_slug WHERE ",
        )
        .push(COUNTED_CERTIFICATE)
        .push(" AND ")
        .in_range("k.issued_at", filter)
        .scope("k.user_id", "k.course_slug", filter)
        .push(" GROUP BY c.sector");
        for row in self.rows(&sql).await? {
            counts.sector(row.try_get("", "sector")?).certified = count(&row, "certified")?;
        }

        // Durations counted per tenth of a day: a few hundred rows, however
        // many completions.
        let mut sql = Sql::new(self.backend());
        let days = sql.days_between("e.enrolled_at", "e.completed_at");
        sql.push(&format!(
            "SELECT c.sector AS sector, CAST(ROUND({days} * 10) AS INTEGER) AS tenths, \
             COUNT(*) AS n FROM enrolments e JOIN courses c ON c.slug = e.course_slug WHERE "
        ))
        .in_range("e.completed_at", filter)
        .scope("e.user_id", "e.course_slug", filter)
        .push(&format!(
            " GROUP BY c.sector, CAST(ROUND({days} * 10) AS INTEGER)"
        ));
        for row in self.rows(&sql).await? {
            counts.add_duration(&row)?;
        }
        Ok(counts)
    }

    /// The funder report's counts, per sector and month, built into the
    /// one value the page, the CSV and the API all show. Summed from the
    /// daily roll-up, or, for one class, counted from the events.
    pub async fn funder_report(&self, filter: &Filter) -> StoreResult<funder::FunderReport> {
        if filter.class_id.is_some() {
            return self.funder_report_from_events(filter).await;
        }
        let mut sql = Sql::new(self.backend());
        let month = sql.month_of_date("r.day");
        sql.push(&format!(
            "SELECT c.sector AS sector, {month} AS month, SUM(r.started) AS started, \
             SUM(r.completed) AS completed, SUM(r.certified) AS certified \
             FROM report_days r JOIN courses c ON c.slug = r.course_slug WHERE "
        ))
        .date_in_range("r.day", filter)
        .in_sector(filter)
        .push(&format!(" GROUP BY c.sector, {month}"));
        let (mut started, mut completed, mut certified) = (Vec::new(), Vec::new(), Vec::new());
        for row in self.rows(&sql).await? {
            let sector: String = row.try_get("", "sector")?;
            let month: String = row.try_get("", "month")?;
            // A month whose only certificate was revoked sums to nothing:
            // left out, as counting the events would leave it out.
            for (list, column) in [
                (&mut started, "started"),
                (&mut completed, "completed"),
                (&mut certified, "certified"),
            ] {
                let n = count(&row, column)?;
                if n > 0 {
                    list.push((sector.clone(), month.clone(), n));
                }
            }
        }
        let outcomes = self.funder_outcomes(filter).await?;
        Ok(funder::build(started, completed, certified, outcomes))
    }

    /// The funder report counted from the enrolments and certificates, as
    /// [`Store::dashboard_from_events`] is for the dashboard.
    pub async fn funder_report_from_events(
        &self,
        filter: &Filter,
    ) -> StoreResult<funder::FunderReport> {
        let grouped = |date: &str, table: &str, user: &str, course: &str, extra: &str| {
            let mut sql = Sql::new(self.backend());
            let month = sql.month_of(date);
            sql.push(&format!(
                "SELECT c.sector AS sector, {month} AS month, COUNT(*) AS n FROM {table} \
                 JOIN courses c ON c.slug = {course} WHERE {extra}"
            ))
            .in_range(date, filter)
            .scope(user, course, filter)
            .push(&format!(" GROUP BY c.sector, {month}"));
            sql
        };
        let started = grouped(
            "e.enrolled_at",
            "enrolments e",
            "e.user_id",
            "e.course_slug",
            "",
        );
        let completed = grouped(
            "e.completed_at",
            "enrolments e",
            "e.user_id",
            "e.course_slug",
            "",
        );
        let certified = grouped(
            "k.issued_at",
            "certificates k",
            "k.user_id",
            "k.course_slug",
            &format!("{COUNTED_CERTIFICATE} AND "),
        );
        let mut counts = Vec::new();
        for sql in [started, completed, certified] {
            let mut list = Vec::new();
            for row in self.rows(&sql).await? {
                list.push((
                    row.try_get::<String>("", "sector")?,
                    row.try_get::<String>("", "month")?,
                    count(&row, "n")?,
                ));
            }
            counts.push(list);
        }

        let certified = counts.pop().unwrap_or_default();
        let completed = counts.pop().unwrap_or_default();
        let started = counts.pop().unwrap_or_default();
        let outcomes = self.funder_outcomes(filter).await?;
        Ok(funder::build(started, completed, certified, outcomes))
    }

    /// Outcomes per sector, month and kind.
    async fn funder_outcomes(
        &self,
        filter: &Filter,
    ) -> StoreResult<Vec<(String, String, OutcomeKind, u64)>> {
        // An outcome belongs to the learner, not a course: it is counted in
        // the sector of the learner's most recently started course ("none"
        // when they have none), so each outcome is counted once.
        let mut sql = Sql::new(self.backend());
        let month = sql.month_of_date("o.happened_on");
        sql.push(&format!(
            "SELECT sector, month, kind, COUNT(*) AS n FROM (SELECT COALESCE((SELECT c.sector \
             FROM enrolments e JOIN courses c ON c.slug = e.course_slug WHERE e.user_id = o.user_id \
             ORDER BY e.enrolled_at DESC, e.id DESC LIMIT 1), 'none') AS sector, {month} AS month, \
             o.kind AS kind FROM outcomes o WHERE "
        ))
        .date_in_range("o.happened_on", filter);
        if let Some(class) = filter.class_id {
            sql.push(" AND o.user_id IN (SELECT user_id FROM class_members WHERE class_id = ")
                .bind(class)
                .push(")");
        }
        sql.push(") t");
        if let Some(sector) = &filter.sector {
            sql.push(" WHERE sector = ").bind(sector.as_str());
        }
        sql.push(" GROUP BY sector, month, kind");
        let mut outcomes = Vec::new();
        for row in self.rows(&sql).await? {
            let kind: String = row.try_get("", "kind")?;
            let kind = OutcomeKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("an outcome of kind {kind:?}")))?;
            outcomes.push((
                row.try_get::<String>("", "sector")?,
                row.try_get::<String>("", "month")?,
                kind,
                count(&row, "n")?,
            ));
        }
        Ok(outcomes)
    }

    /// Completed courses after enrolment `after`, oldest id first.
    pub async fn completions_page(
        &self,
        after: i32,
        limit: u64,
    ) -> StoreResult<Vec<CompletionRow>> {
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT e.id AS enrolment_id, u.username AS username, u.full_name AS full_name, \
             e.course_slug AS course_slug, c.sector AS sector, e.enrolled_at AS enrolled_at, \
             e.completed_at AS completed_at, k.id AS certificate_id \
             FROM enrolments e JOIN users u ON u.id = e.user_id \
             JOIN courses c ON c.slug = e.course_slug \
             LEFT JOIN certificates k ON k.user_id = e.user_id AND k.course_slug = e.course_slug \
             WHERE e.completed_at IS NOT NULL AND e.id > ",
        )
        .bind(after)
        .push(" ORDER BY e.id LIMIT ")
        .bind(limit as i64);
        self.typed_rows(&sql).await
    }

    /// Lesson progress rows after `after`, oldest id first.
    pub async fn progress_page(&self, after: i32, limit: u64) -> StoreResult<Vec<ProgressRow>> {
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT p.id AS id, u.username AS username, u.full_name AS full_name, \
             p.course_slug AS course_slug, p.lesson_id AS lesson_id, p.kind AS kind, \
             p.completed_at AS completed_at, p.best_score AS best_score, p.passed AS passed, \
             p.attempts AS attempts, p.updated_at AS updated_at \
             FROM lesson_progress p JOIN users u ON u.id = p.user_id WHERE p.id > ",
        )
        .bind(after)
        .push(" ORDER BY p.id LIMIT ")
        .bind(limit as i64);
        self.typed_rows(&sql).await
    }

    /// Enrolments after `after`, oldest id first.
    pub async fn enrolments_page(&self, after: i32, limit: u64) -> StoreResult<Vec<EnrolmentRow>> {
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT e.id AS id, u.username AS username, e.course_slug AS course_slug, \
             e.enrolled_at AS enrolled_at, e.completed_at AS completed_at \
             FROM enrolments e JOIN users u ON u.id = e.user_id WHERE e.id > ",
        )
        .bind(after)
        .push(" ORDER BY e.id LIMIT ")
        .bind(limit as i64);
        self.typed_rows(&sql).await
    }

    /// Quiz attempts after `after`, oldest id first.
    pub async fn attempts_page(&self, after: i32, limit: u64) -> StoreResult<Vec<AttemptRow>> {
        let mut sql = Sql::new(self.backend());
        sql.push(
            "SELECT a.id AS id, u.username AS username, a.course_slug AS course_slug, \
             a.lesson_id AS lesson_id, a.score AS score, a.passed AS passed, \
             a.submitted_at AS submitted_at \
             FROM quiz_attempts a JOIN users u ON u.id = a.user_id WHERE a.id > ",
        )
        .bind(after)
        .push(" ORDER BY a.id LIMIT ")
        .bind(limit as i64);
        self.typed_rows(&sql).await
    }
}
