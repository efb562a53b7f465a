//! The coordinator reports' queries: aggregates counted in the database
//! (GROUP BY over indexed dates, never every row into memory), and the
//! exports read in keyset pages so a stream holds one page at a time.
//!
//! The SQL is written by hand because the month and day arithmetic differs
//! between SQLite and PostgreSQL; [`Sql`] numbers the placeholders for
//! each.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, QueryResult, Statement, Value};

use super::{Store, StoreError, StoreResult};
use crate::reports::outcome::OutcomeKind;
use crate::reports::{Figures, Filter, funder};

/// A statement being written, with its values in order.
struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend) -> Sql {
        Sql {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// `column` within the filter's dates (and not null).
    fn in_range(&mut self, column: &str, filter: &Filter) -> &mut Sql {
        self.push(&format!("{column} IS NOT NULL"));
        if let Some(start) = filter.starts() {
            self.push(&format!(" AND {column} >= ")).bind(start);
        }
        if let Some(end) = filter.ends() {
            self.push(&format!(" AND {column} < ")).bind(end);
        }
        self
    }

    /// A date column (outcomes) within the filter's days.
    fn date_in_range(&mut self, column: &str, filter: &Filter) -> &mut Sql {
        self.push(&format!("{column} IS NOT NULL"));
        if let Some(from) = filter.from {
            self.push(&format!(" AND {column} >= ")).bind(from);
        }
        if let Some(to) = filter.to {
            self.push(&format!(" AND {column} <= ")).bind(to);
        }
        self
    }

    /// The sector and class parts of the filter, for a row with these
    /// user and course columns (and the course's sector as `c.sector`).
    fn scope(&mut self, user: &str, course: &str, filter: &Filter) -> &mut Sql {
        if let Some(sector) = filter.sector {
            self.push(" AND c.sector = ").bind(sector.as_str());
        }
        if let Some(class) = filter.class_id {
            self.push(&format!(
                " AND {user} IN (SELECT user_id FROM class_members WHERE class_id = "
            ))
            .bind(class)
            .push(&format!(
                ") AND {course} IN (SELECT course_slug FROM class_courses WHERE class_id = "
            ))
            .bind(class)
            .push(")");
        }
        self
    }

    /// `YYYY-MM` of a timestamp column.
    fn month_of(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"),
            // Stored as RFC 3339 text: the month is the first 7 characters.
            _ => format!("substr({column}, 1, 7)"),
        }
    }

    fn month_of_date(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
            _ => format!("substr({column}, 1, 7)"),
        }
    }

    /// Days from `start` to `end` as a real number.
    fn days_between(&self, start: &str, end: &str) -> String {
        match self.backend {
            DbBackend::Postgres => {
                format!(
                    "(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision) / 86400.0)"
                )
            }
            _ => format!("(julianday({end}) - julianday({start}))"),
        }
    }

    fn statement(&self) -> Statement {
        Statement::from_sql_and_values(self.backend, &self.text, self.values.clone())
    }
}

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

impl Store {
    async fn rows(&self, sql: &Sql) -> StoreResult<Vec<QueryResult>> {
        Ok(self.db().query_all_raw(sql.statement()).await?)
    }

    /// Rows read straight into a struct whose fields are the columns' names.
    async fn typed_rows<T: FromQueryResult>(&self, sql: &Sql) -> StoreResult<Vec<T>> {
        Ok(T::find_by_statement(sql.statement()).all(self.db()).await?)
    }

    /// The dashboard: one line per sector with any figure, and the total.
    pub async fn dashboard(
        &self,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<Figures>, Figures)> {
        let mut by_sector: std::collections::BTreeMap<String, Figures> = Default::default();
        let mut durations: std::collections::BTreeMap<String, Vec<(i64, u64)>> = Default::default();

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
            let sector: String = row.try_get("", "sector")?;
            let figures = by_sector.entry(sector.clone()).or_default();
            figures.sector = sector;
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
            let sector: String = row.try_get("", "sector")?;
            let figures = by_sector.entry(sector.clone()).or_default();
            figures.sector = sector;
            figures.certified = count(&row, "certified")?;
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
            let sector: String = row.try_get("", "sector")?;
            let tenths: Option<i64> = row.try_get::<Option<i64>>("", "tenths").or_else(|_| {
                row.try_get::<Option<i32>>("", "tenths")
                    .map(|t| t.map(i64::from))
            })?;
            if let Some(tenths) = tenths {
                durations
                    .entry(sector)
                    .or_default()
                    .push((tenths.max(0), count(&row, "n")?));
            }
        }

        let mut total = Figures::default();
        let mut all_durations = Vec::new();
        let mut lines = Vec::new();
        for (sector, mut figures) in by_sector {
            total.started += figures.started;
            total.active += figures.active;
            total.completed += figures.completed;
            total.certified += figures.certified;
            total.started_and_completed += figures.started_and_completed;
            let mut mine = durations.remove(&sector).unwrap_or_default();
            all_durations.extend_from_slice(&mine);
            figures.finish(&mut mine);
            lines.push(figures);
        }
        total.finish(&mut all_durations);
        Ok((lines, total))
    }

    /// The funder report's counts, per sector and month, built into the
    /// one value the page, the CSV and the API all show.
    pub async fn funder_report(&self, filter: &Filter) -> StoreResult<funder::FunderReport> {
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
        if let Some(sector) = filter.sector {
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
        let certified = counts.pop().unwrap_or_default();
        let completed = counts.pop().unwrap_or_default();
        let started = counts.pop().unwrap_or_default();
        Ok(funder::build(started, completed, certified, outcomes))
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
