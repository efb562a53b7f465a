//! The rules of a class that need no database: who may create and run one,
//! who may put an existing learner straight in, the marks of a register,
//! and the values a class and its sessions are made of, each with a
//! `parse()` that pages and the API share.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::course::{Sector, Sectors};
use crate::domain::names::Role;

/// Who may create a class: tutors and admins. (Coordinators report across
/// classes; they do not teach one.)
pub fn may_create(role: Role) -> bool {
    matches!(role, Role::Tutor | Role::Admin)
}

/// Who may see and run a class: its tutor, coordinators and admins. Other
/// tutors may not: a tutor sees only their own classes.
pub fn may_manage(role: Role, account_id: i32, tutor_id: i32) -> bool {
    match role {
        Role::Coordinator | Role::Admin => true,
        Role::Tutor => account_id == tutor_id,
        Role::Learner => false,
    }
}

/// Who may put an existing learner's account straight into a class they
/// run, without the learner's consent: coordinators and admins (who see
/// every learner's progress anyway). A tutor invites instead, and the
/// learner accepts or declines.
pub fn may_add_existing_directly(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Admin)
}

/// Why a value for a class or a session was refused. Each names the
/// interface string that says so ([`FieldError::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("class name")]
    Name,
    #[error("sector")]
    Sector,
    #[error("session title")]
    SessionTitle,
    #[error("duration")]
    Duration,
    #[error("meeting link")]
    MeetingUrl,
    #[error("date")]
    Date,
    #[error("time")]
    Time,
}

impl FieldError {
    /// The Fluent key of the message for a person.
    pub fn key(self) -> &'static str {
        match self {
            FieldError::Name => "class-error-name",
            FieldError::Sector => "class-error-sector",
            FieldError::SessionTitle => "class-error-session-title",
            FieldError::Duration => "class-error-duration",
            FieldError::MeetingUrl => "class-error-link",
            FieldError::Date => "class-error-date",
            FieldError::Time => "class-error-time",
        }
    }
}

/// The longest class name or session title, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// Whether `text` has at most 100 characters, not all of them spaces: the
/// rule for a class name and a session title as typed (so the API's
/// description can state it exactly: 1 to 100 characters, one not a
/// space).
fn fits(text: &str) -> bool {
    text.chars().count() <= NAME_MAX_CHARS && text.chars().any(|c| !c.is_whitespace())
}

/// A class's name: up to 100 characters as typed, not only spaces; kept
/// with its spaces trimmed and runs of spaces made one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassName(String);

impl ClassName {
    pub fn parse(text: &str) -> Result<ClassName, FieldError> {
        if fits(text) {
            Ok(ClassName(
                text.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        } else {
            Err(FieldError::Name)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A class's sector from its code (`warehousing`, `care`, or one the
/// organisation added), exactly.
pub fn parse_sector(code: &str, sectors: &Sectors) -> Result<Sector, FieldError> {
    Sector::known(code, sectors).ok_or(FieldError::Sector)
}

/// What a live session is about: up to 100 characters as typed, not only
/// spaces; kept trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTitle(String);

impl SessionTitle {
    pub fn parse(text: &str) -> Result<SessionTitle, FieldError> {
        if fits(text) {
            Ok(SessionTitle(text.trim().to_string()))
        } else {
            Err(FieldError::SessionTitle)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long a live session lasts: 5 to 600 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(i32);

impl Minutes {
    pub const MIN: i32 = 5;
    pub const MAX: i32 = 600;

    /// A number of minutes, as the API sends it.
    pub fn new(minutes: i64) -> Result<Minutes, FieldError> {
        i32::try_from(minutes)
            .ok()
            .filter(|m| (Minutes::MIN..=Minutes::MAX).contains(m))
            .map(Minutes)
            .ok_or(FieldError::Duration)
    }

    /// Minutes as typed in a form: `60`.
    pub fn parse(text: &str) -> Result<Minutes, FieldError> {
        text.trim()
            .parse::<i64>()
            .map_err(|_| FieldError::Duration)
            .and_then(Minutes::new)
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A meeting link: a web address (the video service's), nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingUrl(String);

/// What a meeting link may look like, as the API's description says it
/// (ECMA regex): `http(s)://`, a host name whose last label starts with a
/// letter (so it is never read as a broken IP address), an optional port,
/// then any visible ASCII. [`MeetingUrl::parse`] checks exactly this by
/// hand before the `url` crate reads it, so everything the description
/// allows is accepted and nothing else is.
pub const MEETING_URL_PATTERN: &str = r"^[ \t\r\n]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[0-9]{1,4})?([/?#][!-~]*)?[ \t\r\n]*$";

/// [`MEETING_URL_PATTERN`] without the spaces around it, by hand.
fn has_meeting_url_shape(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host_end = rest.find([':', '/', '?', '#']).unwrap_or(rest.len());
    let (host, mut rest) = rest.split_at(host_end);
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let labels: Vec<&str> = host.split('.').collect();
    let last_starts_with_letter = labels
        .last()
        .and_then(|l| l.bytes().next())
        .is_some_and(|b| b.is_ascii_alphabetic());
    if !labels.iter().all(|l| label_ok(l)) || !last_starts_with_letter {
        return false;
    }
    if let Some(after_colon) = rest.strip_prefix(':') {
        let digits = after_colon
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_colon.len());
        if !(1..=4).contains(&digits) {
            return false;
        }
        rest = &after_colon[digits..];
    }
    rest.is_empty()
        || (rest.starts_with(['/', '?', '#']) && rest.bytes().all(|b| b.is_ascii_graphic()))
}

impl MeetingUrl {
    pub fn parse(text: &str) -> Result<MeetingUrl, FieldError> {
        let text = text.trim_matches([' ', '\t', '\r', '\n']);
        if !has_meeting_url_shape(text) {
            return Err(FieldError::MeetingUrl);
        }
        let url = url::Url::parse(text).map_err(|_| FieldError::MeetingUrl)?;
        if matches!(url.scheme(), "https" | "http") && url.host().is_some() {
            Ok(MeetingUrl(url.to_string()))
        } else {
            Err(FieldError::MeetingUrl)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A session's start from a form's local date (`2026-12-01`) and time
/// (`10:00`), in the organisation's time zone.
pub fn local_start(
    zone: chrono_tz::Tz,
    date: &str,
    time: &str,
) -> Result<DateTime<Utc>, FieldError> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| FieldError::Date)?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| FieldError::Time)?;
    zone.from_local_datetime(&NaiveDateTime::new(date, time))
        // In the hour the clocks go back, the first of the two times.
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        // In the hour the clocks go forward, the time does not exist.
        .ok_or(FieldError::Time)
}

/// A live session to plan: every value checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub title: SessionTitle,
    pub starts_at: DateTime<Utc>,
    pub minutes: Minutes,
    pub meeting_url: MeetingUrl,
}

impl NewSession {
    /// From the API's values.
    pub fn parse(
        title: &str,
        starts_at: DateTime<Utc>,
        minutes: i64,
        meeting_url: &str,
    ) -> Result<NewSession, FieldError> {
        Ok(NewSession {
            title: SessionTitle::parse(title)?,
            starts_at,
            minutes: Minutes::new(minutes)?,
            meeting_url: MeetingUrl::parse(meeting_url)?,
        })
    }

    /// From a form's text: the start as a local date and time in `zone`.
    pub fn parse_form(
        zone: chrono_tz::Tz,
        title: &str,
        date: &str,
        time: &str,
        minutes: &str,
        meeting_url: &str,
    ) -> Result<NewSession, FieldError> {
        Ok(NewSession {
            title: SessionTitle::parse(title)?,
            minutes: Minutes::parse(minutes)?,
            starts_at: local_start(zone, date, time)?,
            meeting_url: MeetingUrl::parse(meeting_url)?,
        })
    }
}

/// Whether a learner came to a live session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attendance {
    Present,
    Late,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Present, Attendance::Late, Attendance::Absent];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Late => "late",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(text: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tutors_and_admins_create_classes() {
        assert!(may_create(Role::Tutor));
        assert!(may_create(Role::Admin));
        assert!(!may_create(Role::Coordinator));
        assert!(!may_create(Role::Learner));
    }

    #[test]
    fn a_tutor_runs_only_their_own_class() {
        assert!(may_manage(Role::Tutor, 7, 7));
        assert!(!may_manage(Role::Tutor, 8, 7));
        assert!(may_manage(Role::Coordinator, 8, 7));
        assert!(!may_manage(Role::Learner, 7, 7));
    }

    #[test]
    fn a_register_mark_reads_back_as_written() {
        for mark in Attendance::ALL {
            assert_eq!(Attendance::parse(mark.as_str()), Some(mark));
        }
        assert_eq!(Attendance::parse("here"), None);
    }

    #[test]
    fn only_coordinators_and_admins_add_an_existing_learner_directly() {
        assert!(may_add_existing_directly(Role::Coordinator));
        assert!(may_add_existing_directly(Role::Admin));
        assert!(!may_add_existing_directly(Role::Tutor));
        assert!(!may_add_existing_directly(Role::Learner));
    }

    #[test]
    fn a_class_name_is_tidied_and_limited() {
        assert_eq!(
            ClassName::parse("  Monday   warehouse\tgroup ")
                .unwrap()
                .as_str(),
            "Monday warehouse group"
        );
        assert_eq!(ClassName::parse("   "), Err(FieldError::Name));
        assert!(ClassName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(ClassName::parse(&"é".repeat(101)), Err(FieldError::Name));
        // The length as typed: what the API's description says.
        assert_eq!(
            ClassName::parse(&format!("a{}b", " ".repeat(99))),
            Err(FieldError::Name)
        );
    }

    #[test]
    fn a_sector_is_one_of_the_codes() {
        assert_eq!(
            parse_sector("care", &Sectors::default()).map(|s| s.as_str().to_string()),
            Ok("care".to_string())
        );
        assert_eq!(
            parse_sector(" care ", &Sectors::default()),
            Err(FieldError::Sector)
        );
        assert_eq!(
            parse_sector("Care", &Sectors::default()),
            Err(FieldError::Sector)
        );
        assert_eq!(
            parse_sector("", &Sectors::default()),
            Err(FieldError::Sector)
        );
    }

    #[test]
    fn a_session_title_is_trimmed_and_limited() {
        assert_eq!(
            SessionTitle::parse(" Forklift talk ").unwrap().as_str(),
            "Forklift talk"
        );
        assert_eq!(SessionTitle::parse(""), Err(FieldError::SessionTitle));
        assert_eq!(
            SessionTitle::parse(&"x".repeat(101)),
            Err(FieldError::SessionTitle)
        );
    }

    #[test]
    fn minutes_are_the_same_from_a_form_and_from_a_number() {
        assert_eq!(Minutes::parse(" 60 "), Minutes::new(60));
        assert_eq!(Minutes::new(5).unwrap().get(), 5);
        assert_eq!(Minutes::new(600).unwrap().get(), 600);
        for bad in [4, 601, -1, i64::MAX] {
            assert_eq!(Minutes::new(bad), Err(FieldError::Duration), "{bad}");
        }
        for bad in ["", "sixty", "60.5", "4", "601"] {
            assert_eq!(Minutes::parse(bad), Err(FieldError::Duration), "{bad}");
        }
    }

    #[test]
    fn session_times_are_read_in_the_organisation_time_zone() {
        let london = chrono_tz::Europe::London;
        // Winter: London is on UTC.
        assert_eq!(
            local_start(london, "2026-12-01", "10:00")
                .unwrap()
                .to_rfc3339(),
            "2026-12-01T10:00:00+00:00"
        );
        // Summer: an hour ahead of UTC.
        assert_eq!(
            local_start(london, "2027-06-01", "10:00")
                .unwrap()
                .to_rfc3339(),
            "2027-06-01T09:00:00+00:00"
        );
        // 01:30 on the night the clocks go forward does not exist.
        assert_eq!(
            local_start(london, "2027-03-28", "01:30"),
            Err(FieldError::Time)
        );
        assert_eq!(local_start(london, "1 Dec", "10:00"), Err(FieldError::Date));
        assert_eq!(
            local_start(london, "2026-12-01", "25:00"),
            Err(FieldError::Time)
        );
    }

    #[test]
    fn meeting_links_are_web_addresses() {
        assert!(MeetingUrl::parse("https://meet.example.org/abc-defg").is_ok());
        assert_eq!(
            MeetingUrl::parse(" http://zoom.example/j/123 ")
                .unwrap()
                .as_str(),
            "http://zoom.example/j/123"
        );
        for bad in [
            "javascript:alert(1)",
            "meet.example.org",
            "",
            "ftp://x.org",
            "https://0.999",
            "https://a b.org",
            "\u{b}https://meet.example.org",
            "https://meet.example.org:99999",
            "https://-x.org",
        ] {
            assert_eq!(MeetingUrl::parse(bad), Err(FieldError::MeetingUrl), "{bad}");
        }
    }

    #[test]
    fn a_session_from_a_form_and_from_the_api_is_the_same() {
        let london = chrono_tz::Europe::London;
        let from_form = NewSession::parse_form(
            london,
            "Talk",
            "2026-12-01",
            "10:00",
            "45",
            "https://meet.example.org/x",
        )
        .unwrap();
        let from_api = NewSession::parse(
            "Talk",
            from_form.starts_at,
            45,
            "https://meet.example.org/x",
        )
        .unwrap();
        assert_eq!(from_form, from_api);
        assert_eq!(
            NewSession::parse("Talk", from_form.starts_at, 4, "https://x.org"),
            Err(FieldError::Duration)
        );
    }
}
