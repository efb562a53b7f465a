//! Keeping the reports' daily roll-up (`report_days`, `report_durations`;
//! the migration that made them says what each figure means) in step with
//! the events it counts.
//!
//! Every change is an addition inside the caller's transaction, so the
//! roll-up can never disagree with the enrolments and certificates it
//! counts: enrolling, completing, issuing and revoking each add here in the
//! same transaction. Data written around the store (`presto seed`, tests
//! that back-date rows) is counted afresh with [`Store::rebuild_report_rollup`].

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::sql::Sql;
use super::{Store, StoreResult};

/// Additions to one day's figures for one course.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct DayChange {
    pub started: i32,
    pub started_and_completed: i32,
    pub completed: i32,
    pub certified: i32,
    pub latest_activity: i32,
}

/// The UTC day of an instant: the reports' filters count whole UTC days.
pub(crate) fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.date_naive()
}

/// How long a completion took, in tenths of a day, rounded, as the
/// rebuild counts it (never below zero).
pub(crate) fn tenths_between(enrolled: DateTime<Utc>, completed: DateTime<Utc>) -> i32 {
    let tenths = (completed - enrolled).num_milliseconds() as f64 / 8_640_000.0;
    tenths.round().clamp(0.0, i32::MAX as f64) as i32
}

/// Adds `change` to the course's figures on `day`.
pub(crate) async fn add_to_day<C: ConnectionTrait>(
    conn: &C,
    day: NaiveDate,
    course_slug: &str,
    change: DayChange,
) -> StoreResult<()> {
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push(
        "INSERT INTO report_days \
         (day, course_slug, started, started_and_completed, completed, certified, \
         latest_activity) VALUES (",
    )
    .bind(day)
    .push(", ")
    .bind(course_slug)
    .push(", ")
    .bind(change.started)
    .push(", ")
    .bind(change.started_and_completed)
    .push(", ")
    .bind(change.completed)
    .push(", ")
    .bind(change.certified)
    .push(", ")
    .bind(change.latest_activity)
    .push(
        ") ON CONFLICT (day, course_slug) DO UPDATE SET \
         started = report_days.started + excluded.started, \
         started_and_completed = report_days.started_and_completed + excluded.started_and_completed, \
         completed = report_days.completed + excluded.completed, \
         certified = report_days.certified + excluded.certified, \
         latest_activity = report_days.latest_activity + excluded.latest_activity",
    );
    conn.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Counts a completion: on its own day, on the day its enrolment started
/// (for the completion rate), and in the durations histogram.
pub(crate) async fn add_completion<C: ConnectionTrait>(
    conn: &C,
    course_slug: &str,
    enrolled_at: DateTime<Utc>,
    completed_at: DateTime<Utc>,
) -> StoreResult<()> {
    add_to_day(
        conn,
        day_of(completed_at),
        course_slug,
        DayChange {
            completed: 1,
            ..DayChange::default()
        },
    )
    .await?;
    add_to_day(
        conn,
        day_of(enrolled_at),
        course_slug,
        DayChange {
            started_and_completed: 1,
            ..DayChange::default()
        },
    )
    .await?;
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push("INSERT INTO report_durations (day, course_slug, tenths, completions) VALUES (")
        .bind(day_of(completed_at))
        .push(", ")
        .bind(course_slug)
        .push(", ")
        .bind(tenths_between(enrolled_at, completed_at))
        .push(
            ", 1) ON CONFLICT (day, course_slug, tenths) DO UPDATE SET \
             completions = report_durations.completions + 1",
        );
    conn.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Counts a new enrolment: started, and active, on its day.
pub(crate) async fn add_enrolment<C: ConnectionTrait>(
    conn: &C,
    course_slug: &str,
    enrolled_at: DateTime<Utc>,
) -> StoreResult<()> {
    add_to_day(
        conn,
        day_of(enrolled_at),
        course_slug,
        DayChange {
            started: 1,
            latest_activity: 1,
            ..DayChange::default()
        },
    )
    .await
}

/// Moves an enrolment's latest activity from one day to another. The
/// caller holds the enrolment row (`lock_exclusive` on PostgreSQL, the
/// writer lock on SQLite), so `was` is still the stored value.
pub(crate) async fn move_activity<C: ConnectionTrait>(
    conn: &C,
    course_slug: &str,
    was: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (from, to) = (day_of(was), day_of(now));
    if from == to {
        return Ok(());
    }
    for (day, latest_activity) in [(from, -1), (to, 1)] {
        add_to_day(
            conn,
            day,
            course_slug,
            DayChange {
                latest_activity,
                ..DayChange::default()
            },
        )
        .await?;
    }
    Ok(())
}

/// Counts a certificate in, or (`-1`) out, on the day it was issued.
pub(crate) async fn add_certificate<C: ConnectionTrait>(
    conn: &C,
    course_slug: &str,
    issued_at: DateTime<Utc>,
    count: i32,
) -> StoreResult<()> {
    add_to_day(
        conn,
        day_of(issued_at),
        course_slug,
        DayChange {
            certified: count,
            ..DayChange::default()
        },
    )
    .await
}

impl Store {
    /// Counts the whole roll-up afresh from the enrolments and
    /// certificates, in one transaction. For data written around the
    /// store: `presto seed`, and tests that back-date rows.
    pub async fn rebuild_report_rollup(&self) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        for statement in migrations::rebuild_report_rollup(self.backend()) {
            txn.execute_unprepared(&statement).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations_round_to_the_nearest_tenth_of_a_day() {
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap();
        let hours = |h: i64| start + chrono::Duration::hours(h);
        assert_eq!(tenths_between(start, start), 0);
        assert_eq!(tenths_between(start, hours(240)), 100);
        // 1 hour is 0.42 tenths: rounds down; 2 hours (0.83) rounds up.
        assert_eq!(tenths_between(start, hours(1)), 0);
        assert_eq!(tenths_between(start, hours(2)), 1);
        // A clock that went backwards counts as no time at all.
        assert_eq!(tenths_between(start, hours(-5)), 0);
    }

    #[test]
    fn the_day_is_the_utc_date() {
        let late = Utc.with_ymd_and_hms(2026, 1, 5, 23, 59, 59).unwrap();
        assert_eq!(day_of(late), NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    }
}
