//! What happened to a learner after (or during) the course, recorded by a
//! coordinator for the funder.

use chrono::NaiveDate;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    WorkExperience,
    Job,
    FurtherTraining,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 3] = [
        OutcomeKind::WorkExperience,
        OutcomeKind::Job,
        OutcomeKind::FurtherTraining,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::WorkExperience => "work_experience",
            OutcomeKind::Job => "job",
            OutcomeKind::FurtherTraining => "further_training",
        }
    }

    pub fn parse(text: &str) -> Option<OutcomeKind> {
        OutcomeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The longest note kept on an outcome.
pub const NOTE_MAX_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeError {
    #[error("Choose what happened: work experience, a job or further training.")]
    Kind,
    #[error("\"{0}\" is not a date. Write it as YYYY-MM-DD, for example 2026-03-31.")]
    Date(String),
    #[error("The date {0} is in the future.")]
    Future(NaiveDate),
    #[error("The note is too long: at most 1000 characters.")]
    NoteTooLong,
}

impl OutcomeError {
    pub fn message_key(&self) -> &'static str {
        match self {
            OutcomeError::Kind => "outcome-error-kind",
            OutcomeError::Date(_) => "outcome-error-date",
            OutcomeError::Future(_) => "outcome-error-future",
            OutcomeError::NoteTooLong => "outcome-error-note",
        }
    }
}

/// A new outcome as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutcome {
    pub kind: OutcomeKind,
    pub happened_on: NaiveDate,
    pub note: String,
}

impl NewOutcome {
    pub fn parse(
        kind: &str,
        date: &str,
        note: &str,
        today: NaiveDate,
    ) -> Result<NewOutcome, OutcomeError> {
        let kind = OutcomeKind::parse(kind).ok_or(OutcomeError::Kind)?;
        let happened_on = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| OutcomeError::Date(date.trim().to_string()))?;
        if happened_on > today {
            return Err(OutcomeError::Future(happened_on));
        }
        let note = note.trim();
        if note.chars().count() > NOTE_MAX_CHARS {
            return Err(OutcomeError::NoteTooLong);
        }
        Ok(NewOutcome {
            kind,
            happened_on,
            note: note.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_parse_and_refuse_what_cannot_be() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ok = NewOutcome::parse("job", "2026-11-01", "  Kitchen porter ", today).unwrap();
        assert_eq!(ok.kind, OutcomeKind::Job);
        assert_eq!(ok.note, "Kitchen porter");
        assert_eq!(
            NewOutcome::parse("holiday", "2026-11-01", "", today),
            Err(OutcomeError::Kind)
        );
        assert!(matches!(
            NewOutcome::parse("job", "1/11/2026", "", today),
            Err(OutcomeError::Date(_))
        ));
        assert!(matches!(
            NewOutcome::parse("job", "2027-01-01", "", today),
            Err(OutcomeError::Future(_))
        ));
        assert_eq!(
            NewOutcome::parse("job", "2026-11-01", &"x".repeat(1001), today),
            Err(OutcomeError::NoteTooLong)
        );
    }
}
