//! How long a signed-in session lasts: it ends when it has not been used
//! for the idle timeout, and in any case once it is as old as the absolute
//! lifetime. Both come from the settings (`session_idle_hours`,
//! `session_max_hours`) and are checked on the server on every signed-in
//! request, whatever the cookie says.

use chrono::{DateTime, TimeDelta, Utc};

/// A live session's last use is written at most this often, so a signed-in
/// request reads its session but almost never writes it. The idle timeout
/// is hours or days, so a minute's lag does not matter.
pub const TOUCH_EVERY: TimeDelta = TimeDelta::seconds(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Unused for this long, a session ends.
    pub idle: TimeDelta,
    /// This long after signing in, a session ends however much it is used.
    pub lifetime: TimeDelta,
}

impl SessionLimits {
    /// Limits in hours; a number too large for a time span means "no limit"
    /// in practice (the settings refuse such numbers at start-up).
    pub fn from_hours(idle_hours: u64, max_hours: u64) -> SessionLimits {
        let hours = |h: u64| {
            i64::try_from(h)
                .ok()
                .and_then(TimeDelta::try_hours)
                .unwrap_or(TimeDelta::MAX)
        };
        SessionLimits {
            idle: hours(idle_hours),
            lifetime: hours(max_hours),
        }
    }

    /// Sessions last seen at or before the first time, or created at or
    /// before the second, have ended.
    pub fn ended_before(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let before = |span: TimeDelta| {
            now.checked_sub_signed(span)
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        };
        (before(self.idle), before(self.lifetime))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAge {
    /// Still good; `touch` when its last use should be written now.
    Live { touch: bool },
    /// Idle too long, or too old.
    Ended,
}

/// Whether a session is still good at `now`.
pub fn session_age(
    limits: &SessionLimits,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> SessionAge {
    let (idle_before, created_before) = limits.ended_before(now);
    if last_seen_at <= idle_before || created_at <= created_before {
        return SessionAge::Ended;
    }
    // Another instance's clock may run a little ahead: a last use in the
    // future is not written again until it is a minute in the past.
    SessionAge::Live {
        touch: now.signed_duration_since(last_seen_at) >= TOUCH_EVERY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    const WEEK_AND_MONTH: SessionLimits = SessionLimits {
        idle: TimeDelta::days(7),
        lifetime: TimeDelta::days(30),
    };

    #[test]
    fn a_session_in_use_is_written_at_most_once_a_minute() {
        let limits = WEEK_AND_MONTH;
        assert_eq!(
            session_age(&limits, at(0), at(0), at(0)),
            SessionAge::Live { touch: false }
        );
        assert_eq!(
            session_age(&limits, at(0), at(10), at(10) + TimeDelta::seconds(59)),
            SessionAge::Live { touch: false }
        );
        assert_eq!(
            session_age(&limits, at(0), at(10), at(11)),
            SessionAge::Live { touch: true }
        );
        assert_eq!(
            session_age(&limits, at(0), at(12), at(11)),
            SessionAge::Live { touch: false },
            "a last use a little ahead (another instance's clock) is fine"
        );
    }

    #[test]
    fn an_idle_session_ends() {
        let limits = WEEK_AND_MONTH;
        let week = 7 * 24 * 60;
        assert_eq!(
            session_age(&limits, at(0), at(0), at(week - 1)),
            SessionAge::Live { touch: true }
        );
        assert_eq!(
            session_age(&limits, at(0), at(0), at(week)),
            SessionAge::Ended
        );
    }

    #[test]
    fn a_session_in_daily_use_still_ends_at_its_lifetime() {
        let limits = WEEK_AND_MONTH;
        let month = 30 * 24 * 60;
        assert_eq!(
            session_age(&limits, at(0), at(month - 60), at(month - 1)),
            SessionAge::Live { touch: true }
        );
        assert_eq!(
            session_age(&limits, at(0), at(month - 1), at(month)),
            SessionAge::Ended
        );
    }

    #[test]
    fn huge_limits_do_not_overflow() {
        let limits = SessionLimits::from_hours(u64::MAX, u64::MAX);
        assert_eq!(
            session_age(&limits, at(0), at(0), at(60 * 24 * 365 * 50)),
            SessionAge::Live { touch: true }
        );
        let limits = SessionLimits::from_hours(168, 720);
        assert_eq!(limits, WEEK_AND_MONTH);
    }
}
