//! Coordinator reports, the pure part: what a filter means, how the figures
//! are defined, the funder report's table, the charts, the CSV cells and
//! the xAPI statements. The queries are in `store::reports`; the rules (who
//! may see what, checking a filter against the database, the exports) in
//! `service::reports`; the handlers in `web::reports` and
//! `web::reports_api`. Nothing here touches the database or the network.
//!
//! Definitions (the README and the dashboard say the same):
//! - started: enrolled in a course (`enrolments.enrolled_at`);
//! - active: any progress or attempt in the last 30 days (since midnight UTC
//!   of the day 30 days ago), whatever the date range
//!   (`enrolments.last_active_at`: only the latest activity is kept);
//! - completed: the course's completion (`enrolments.completed_at`);
//! - certified: certificates issued (`certificates.issued_at`), counting
//!   those later revoked because the learner's data was erased, not those
//!   revoked for any other reason;
//! - completion rate: of the enrolments started in the range, the share
//!   completed by now;
//! - median days to complete: over completions in the range, the median of
//!   (completed − enrolled) in days, to a tenth of a day.

pub mod csv;
pub mod funder;
pub mod outcome;
pub mod svg;
pub mod xapi;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::course::{Sector, Sectors};

/// How far back "active" looks.
pub const ACTIVE_DAYS: u64 = 30;

/// The filters as typed in the query string (every one optional).
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct FilterInput {
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// A checked filter. `from` and `to` are whole days, both included.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Filter {
    pub sector: Option<Sector>,
    pub class_id: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("There is no sector called \"{0}\".")]
    UnknownSector(String),
    #[error("\"{0}\" is not a class number.")]
    BadClass(String),
    #[error("\"{0}\" is not a date. Write dates as YYYY-MM-DD, for example 2026-03-31.")]
    BadDate(String),
    #[error("The start date {from} is after the end date {to}.")]
    Backwards { from: NaiveDate, to: NaiveDate },
}

impl FilterError {
    /// The Fluent key of the message in words, with its one argument.
    pub fn message_key(&self) -> (&'static str, String) {
        match self {
            FilterError::UnknownSector(s) => ("reports-error-sector", s.clone()),
            FilterError::BadClass(s) => ("reports-error-class", s.clone()),
            FilterError::BadDate(s) => ("reports-error-date", s.clone()),
            FilterError::Backwards { from, to } => {
                ("reports-error-backwards", format!("{from} > {to}"))
            }
        }
    }
}

fn parse_date(text: &str) -> Result<Option<NaiveDate>, FilterError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FilterError::BadDate(text.to_string()))
}

impl Filter {
    /// The filter typed, its sector one of `sectors`.
    pub fn parse(input: &FilterInput, sectors: &Sectors) -> Result<Filter, FilterError> {
        let sector = match input.sector.trim() {
            "" => None,
            text => Some(
                Sector::known(text, sectors)
                    .ok_or_else(|| FilterError::UnknownSector(text.into()))?,
            ),
        };
        let class_id = match input.class.trim() {
            "" => None,
            text => Some(
                text.parse::<i32>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| FilterError::BadClass(text.into()))?,
            ),
        };
        let from = parse_date(&input.from)?;
        let to = parse_date(&input.to)?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(FilterError::Backwards { from, to });
        }
        Ok(Filter {
            sector,
            class_id,
            from,
            to,
        })
    }

    /// The first instant in the range.
    pub fn starts(&self) -> Option<DateTime<Utc>> {
        self.from
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
    }

    /// The first instant after the range (the end day is included).
    pub fn ends(&self) -> Option<DateTime<Utc>> {
        self.to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
    }

    /// "Active" counts activity since this instant: the start (midnight
    /// UTC) of the day 30 days ago, so whole days, as the reports' daily
    /// roll-up counts them. Only an enrolment's latest activity is stored,
    /// so it cannot be asked of an earlier month.
    pub fn active_since(now: DateTime<Utc>) -> DateTime<Utc> {
        let day = (now - chrono::Duration::days(ACTIVE_DAYS as i64)).date_naive();
        day.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// The same filter as a query string, for links (exports, the funder
    /// report) that keep it.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(s) = &self.sector {
            pairs.push(("sector", s.as_str().into()));
        }
        if let Some(c) = self.class_id {
            pairs.push(("class", c.to_string()));
        }
        if let Some(d) = self.from {
            pairs.push(("from", d.to_string()));
        }
        if let Some(d) = self.to {
            pairs.push(("to", d.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// The dashboard's figures for one sector, or all of them.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Empty for the total.
    pub sector: String,
    pub started: u64,
    pub active: u64,
    pub completed: u64,
    pub certified: u64,
    /// Of the enrolments started in the range, how many are completed.
    pub started_and_completed: u64,
    /// Percent, rounded to one decimal; None when nobody started.
    pub completion_rate: Option<f64>,
    /// None when nothing was completed in the range.
    pub median_days_to_complete: Option<f64>,
}

impl Figures {
    /// Fills in the rate and the median from the counts and the durations
    /// (tenths of a day, with how many completions took each).
    pub fn finish(&mut self, durations: &mut [(i64, u64)]) {
        self.completion_rate = rate(self.started_and_completed, self.started);
        self.median_days_to_complete = median_of_tenths(durations);
    }
}

/// The median of durations counted per tenth of a day: the database sends
/// a few hundred (tenth, count) pairs instead of one row per completion.
/// Sorts the slice.
pub fn median_of_tenths(histogram: &mut [(i64, u64)]) -> Option<f64> {
    histogram.sort_unstable();
    let total: u64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The values at 0-based positions (total-1)/2 and total/2.
    let value_at = |position: u64| {
        let mut seen = 0;
        for (tenths, n) in histogram.iter() {
            seen += n;
            if position < seen {
                return *tenths;
            }
        }
        histogram.last().map_or(0, |(t, _)| *t)
    };
    let middle = (value_at((total - 1) / 2) + value_at(total / 2)) as f64 / 2.0;
    Some((middle.max(0.0)).round() / 10.0)
}

/// `part / whole` in percent, one decimal.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(sector: &str, class: &str, from: &str, to: &str) -> FilterInput {
        FilterInput {
            sector: sector.into(),
            class: class.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn filters_parse_and_bad_ones_say_why() {
        let f = Filter::parse(
            &input("care", "3", "2026-01-01", "2026-01-31"),
            &Sectors::default(),
        )
        .unwrap();
        assert_eq!(f.sector.as_ref().map(Sector::as_str), Some("care"));
        assert_eq!(f.class_id, Some(3));
        assert_eq!(f.ends().unwrap().to_rfc3339(), "2026-02-01T00:00:00+00:00");
        assert_eq!(
            Filter::parse(&FilterInput::default(), &Sectors::default()).unwrap(),
            Filter::default()
        );
        assert!(matches!(
            Filter::parse(&input("plumbing", "", "", ""), &Sectors::default()),
            Err(FilterError::UnknownSector(_))
        ));
        assert!(matches!(
            Filter::parse(&input("", "x", "", ""), &Sectors::default()),
            Err(FilterError::BadClass(_))
        ));
        assert!(matches!(
            Filter::parse(&input("", "", "31/01/2026", ""), &Sectors::default()),
            Err(FilterError::BadDate(_))
        ));
        assert!(matches!(
            Filter::parse(
                &input("", "", "2026-02-01", "2026-01-01"),
                &Sectors::default()
            ),
            Err(FilterError::Backwards { .. })
        ));
    }

    #[test]
    fn active_counts_whole_days() {
        let now = "2026-03-31T15:20:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            Filter::active_since(now).to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
    }

    #[test]
    fn the_query_string_round_trips() {
        let f = Filter::parse(&input("care", "3", "2026-01-01", ""), &Sectors::default()).unwrap();
        let back: FilterInput = serde_urlencoded::from_str(&f.query_string()).unwrap();
        assert_eq!(Filter::parse(&back, &Sectors::default()).unwrap(), f);
    }

    #[test]
    fn the_median_of_a_histogram_is_the_median_of_its_values() {
        assert_eq!(median_of_tenths(&mut []), None);
        assert_eq!(median_of_tenths(&mut [(350, 1)]), Some(35.0));
        assert_eq!(median_of_tenths(&mut [(200, 1), (100, 1)]), Some(15.0));
        assert_eq!(median_of_tenths(&mut [(350, 1), (200, 1)]), Some(27.5));
        // 1, 1, 1, 50: the median is 1.
        assert_eq!(median_of_tenths(&mut [(500, 1), (10, 3)]), Some(1.0));
        // 1, 2, 2, 9 -> 2.
        assert_eq!(
            median_of_tenths(&mut [(20, 2), (10, 1), (90, 1)]),
            Some(2.0)
        );
        // 1, 2 -> 1.5
        assert_eq!(median_of_tenths(&mut [(10, 1), (20, 1)]), Some(1.5));
    }

    #[test]
    fn rates() {
        assert_eq!(rate(1, 3), Some(33.3));
        assert_eq!(rate(0, 0), None);
    }
}
