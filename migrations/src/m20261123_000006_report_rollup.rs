//! The reports' daily roll-up: per day and course, how many enrolments
//! started, completed and were certified, and how long completions took.
//!
//! Counting the events themselves reads every enrolment (a second at
//! 400,000 on SQLite), so the dashboard and the funder report sum these
//! rows instead: a few thousand a year, however many learners. The store
//! adds to them in the same transaction as the event (enrolling,
//! completing, issuing, revoking), and [`rebuild_statements`] counts them
//! afresh from the events: here, for the data already stored, and after
//! `presto seed` writes rows directly.
//!
//! `report_days` keeps each figure on the day of its own event:
//! - `started`: enrolments enrolled that day;
//! - `started_and_completed`: of those, how many are completed by now
//!   (added on the enrolment's day when it completes, for the rate);
//! - `completed`: enrolments completed that day;
//! - `certified`: certificates issued that day that the reports count (not
//!   revoked, or revoked only because the learner's data was erased);
//! - `latest_activity`: enrolments whose latest activity was that day (an
//!   enrolment moves from day to day as its learner works), so "active in
//!   the last 30 days" is a sum over 30 days.
//!
//! `report_durations` counts completions per completion day, course and
//! tenth of a day taken, so the median days to complete over any range is
//! read from a histogram. Days are UTC dates, as the report filters are.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportDays {
    Table,
    Day,
    CourseSlug,
    Started,
    StartedAndCompleted,
    Completed,
    Certified,
    LatestActivity,
}

#[derive(DeriveIden)]
enum ReportDurations {
    Table,
    Day,
    CourseSlug,
    Tenths,
    Completions,
}

/// The statements that count the roll-up afresh from the enrolments and
/// certificates, in order (run them in one transaction).
pub fn rebuild_statements(backend: DbBackend) -> Vec<String> {
    let postgres = backend == DbBackend::Postgres;
    // Timestamps are RFC 3339 text in SQLite (UTC): the day is the first
    // ten characters.
    let day = |column: &str| {
        if postgres {
            format!("CAST(({column} AT TIME ZONE 'UTC') AS date)")
        } else {
            format!("substr({column}, 1, 10)")
        }
    };
    // Tenths of a day, rounded, never below zero (a clock put back).
    let tenths = if postgres {
        "GREATEST(0, CAST(ROUND(EXTRACT(EPOCH FROM (completed_at - enrolled_at)) / 8640.0) \
         AS INTEGER))"
    } else {
        "MAX(0, CAST(ROUND((julianday(completed_at) - julianday(enrolled_at)) * 10) AS INTEGER))"
    };
    vec![
        "DELETE FROM report_durations".into(),
        "DELETE FROM report_days".into(),
        format!(
            "INSERT INTO report_days \
               (day, course_slug, started, started_and_completed, completed, certified, \
                latest_activity) \
             SELECT day, course_slug, SUM(started), SUM(started_and_completed), SUM(completed), \
               SUM(certified), SUM(latest_activity) FROM ( \
               SELECT {enrolled} AS day, course_slug, 1 AS started, \
                 CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END AS started_and_completed, \
                 0 AS completed, 0 AS certified, 0 AS latest_activity FROM enrolments \
               UNION ALL \
               SELECT {completed}, course_slug, 0, 0, 1, 0, 0 FROM enrolments \
                 WHERE completed_at IS NOT NULL \
               UNION ALL \
               SELECT {issued}, course_slug, 0, 0, 0, 1, 0 FROM certificates \
                 WHERE revoked_at IS NULL OR revoked_reason = 'erased' \
               UNION ALL \
               SELECT {active}, course_slug, 0, 0, 0, 0, 1 FROM enrolments \
             ) events GROUP BY day, course_slug",
            enrolled = day("enrolled_at"),
            completed = day("completed_at"),
            issued = day("issued_at"),
            active = day("last_active_at"),
        ),
        format!(
            "INSERT INTO report_durations (day, course_slug, tenths, completions) \
             SELECT {completed}, course_slug, {tenths}, COUNT(*) FROM enrolments \
             WHERE completed_at IS NOT NULL GROUP BY {completed}, course_slug, {tenths}",
            completed = day("completed_at"),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportDays::Table)
                    .col(date(ReportDays::Day))
                    .col(string(ReportDays::CourseSlug))
                    // `integer`, not `big_integer`: PostgreSQL sums integers
                    // as bigint, which reads back as i64 on both databases.
                    .col(integer(ReportDays::Started).default(0))
                    .col(integer(ReportDays::StartedAndCompleted).default(0))
                    .col(integer(ReportDays::Completed).default(0))
                    .col(integer(ReportDays::Certified).default(0))
                    .col(integer(ReportDays::LatestActivity).default(0))
                    .primary_key(
                        Index::create()
                            .col(ReportDays::Day)
                            .col(ReportDays::CourseSlug),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportDurations::Table)
                    .col(date(ReportDurations::Day))
                    .col(string(ReportDurations::CourseSlug))
                    .col(integer(ReportDurations::Tenths))
                    .col(integer(ReportDurations::Completions).default(0))
                    .primary_key(
                        Index::create()
                            .col(ReportDurations::Day)
                            .col(ReportDurations::CourseSlug)
                            .col(ReportDurations::Tenths),
                    )
                    .to_owned(),
            )
            .await?;
        // The dashboard sums the histogram per course and duration, over
        // any range of days: from this index alone, in its order.
        manager
            .create_index(
                Index::create()
                    .name("report_durations_by_course")
                    .table(ReportDurations::Table)
                    .col(ReportDurations::CourseSlug)
                    .col(ReportDurations::Tenths)
                    .col(ReportDurations::Day)
                    .col(ReportDurations::Completions)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in rebuild_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportDurations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ReportDays::Table).to_owned())
            .await
    }
}
