//! The funder report: per sector and month, learners started, completed,
//! certified, and outcomes by kind. One function builds it; the HTML table
//! and the CSV both render this value, so their figures cannot disagree.

use std::collections::BTreeMap;

use super::outcome::OutcomeKind;

/// One line of the report. `month` is `YYYY-MM`.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FunderRow {
    pub sector: String,
    pub month: String,
    pub started: u64,
    pub completed: u64,
    pub certified: u64,
    pub work_experience: u64,
    pub job: u64,
    pub further_training: u64,
}

impl FunderRow {
    fn add_outcome(&mut self, kind: OutcomeKind, count: u64) {
        match kind {
            OutcomeKind::WorkExperience => self.work_experience += count,
            OutcomeKind::Job => self.job += count,
            OutcomeKind::FurtherTraining => self.further_training += count,
        }
    }

    fn add(&mut self, other: &FunderRow) {
        self.started += other.started;
        self.completed += other.completed;
        self.certified += other.certified;
        self.work_experience += other.work_experience;
        self.job += other.job;
        self.further_training += other.further_training;
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FunderReport {
    /// By sector, then month.
    pub rows: Vec<FunderRow>,
    /// Every row added up (sector and month empty).
    pub total: FunderRow,
}

/// A count per (sector, month) from one query.
pub type Counts = Vec<(String, String, u64)>;

/// Builds the report from the four counts.
pub fn build(
    started: Counts,
    completed: Counts,
    certified: Counts,
    outcomes: Vec<(String, String, OutcomeKind, u64)>,
) -> FunderReport {
    let mut rows: BTreeMap<(String, String), FunderRow> = BTreeMap::new();
    fn row(
        rows: &mut BTreeMap<(String, String), FunderRow>,
        sector: String,
        month: String,
    ) -> &mut FunderRow {
        rows.entry((sector.clone(), month.clone()))
            .or_insert_with(|| FunderRow {
                sector,
                month,
                ..FunderRow::default()
            })
    }
    for (sector, month, n) in started {
        row(&mut rows, sector, month).started += n;
    }
    for (sector, month, n) in completed {
        row(&mut rows, sector, month).completed += n;
    }
    for (sector, month, n) in certified {
        row(&mut rows, sector, month).certified += n;
    }
    for (sector, month, kind, n) in outcomes {
        row(&mut rows, sector, month).add_outcome(kind, n);
    }
    let rows: Vec<FunderRow> = rows.into_values().collect();
    let mut total = FunderRow::default();
    for r in &rows {
        total.add(r);
    }
    FunderReport { rows, total }
}

pub const CSV_HEADER: [&str; 8] = [
    "sector",
    "month",
    "started",
    "completed",
    "certified",
    "work_experience",
    "job",
    "further_training",
];

fn cells(row: &FunderRow, sector: &str, month: &str) -> [String; 8] {
    [
        sector.to_string(),
        month.to_string(),
        row.started.to_string(),
        row.completed.to_string(),
        row.certified.to_string(),
        row.work_experience.to_string(),
        row.job.to_string(),
        row.further_training.to_string(),
    ]
}

/// The report as CSV: a header, one line per row, and a `total` line.
pub fn to_csv(report: &FunderReport) -> Vec<u8> {
    let mut out = super::csv::header(CSV_HEADER);
    for row in &report.rows {
        out.extend(super::csv::record(cells(row, &row.sector, &row.month)));
    }
    out.extend(super::csv::record(cells(&report.total, "total", "")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(sector: &str, month: &str, n: u64) -> (String, String, u64) {
        (sector.into(), month.into(), n)
    }

    #[test]
    fn counts_meet_in_rows_and_add_up() {
        let report = build(
            vec![c("care", "2026-01", 3), c("hospitality", "2026-01", 2)],
            vec![c("care", "2026-02", 1)],
            vec![c("care", "2026-02", 1)],
            vec![("care".into(), "2026-02".into(), OutcomeKind::Job, 2)],
        );
        assert_eq!(report.rows.len(), 3);
        assert_eq!(report.rows[1].month, "2026-02");
        assert_eq!(report.rows[1].job, 2);
        assert_eq!(report.total.started, 5);
        assert_eq!(report.total.completed, 1);
        let file = to_csv(&report);
        // The byte-order mark first, so Excel reads it as UTF-8.
        let csv =
            String::from_utf8(file.strip_prefix(super::super::csv::BOM).unwrap().to_vec()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "sector,month,started,completed,certified,work_experience,job,further_training"
        );
        assert_eq!(lines[2], "care,2026-02,0,1,1,0,2,0");
        assert_eq!(lines[4], "total,,5,1,1,0,2,0");
    }
}
