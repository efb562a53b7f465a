//! When a class session starts, as people say it: "Today 14:00",
//! "Tomorrow 9:30", "Tue 9 Dec 14:00" (and the year when it is not this
//! year), in the site's time zone, with day and month names from the
//! interface language's translations.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use fluent_templates::fluent_bundle::FluentValue;

use crate::i18n;

const WEEKDAYS: [&str; 7] = [
    "day-mon", "day-tue", "day-wed", "day-thu", "day-fri", "day-sat", "day-sun",
];
const MONTHS: [&str; 12] = [
    "month-jan",
    "month-feb",
    "month-mar",
    "month-apr",
    "month-may",
    "month-jun",
    "month-jul",
    "month-aug",
    "month-sep",
    "month-oct",
    "month-nov",
    "month-dec",
];

/// `local` is the session's start and `today` the date now, both in the
/// site's time zone.
pub fn session_start(lang: &str, local: NaiveDateTime, today: NaiveDate) -> String {
    let date = local.date();
    let time = local.format("%H:%M").to_string();
    let mut args: HashMap<Cow<'static, str>, FluentValue<'static>> =
        HashMap::from([(Cow::Borrowed("time"), FluentValue::from(time))]);
    if date == today {
        return i18n::text_with(lang, "when-today", &args);
    }
    if today.succ_opt() == Some(date) {
        return i18n::text_with(lang, "when-tomorrow", &args);
    }
    let weekday = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    let month = MONTHS[date.month0() as usize];
    args.insert(
        Cow::Borrowed("weekday"),
        FluentValue::from(i18n::text(lang, weekday)),
    );
    args.insert(
        Cow::Borrowed("month"),
        FluentValue::from(i18n::text(lang, month)),
    );
    // As text: Fluent would group a year's digits ("2,027").
    args.insert(
        Cow::Borrowed("day"),
        FluentValue::from(date.day().to_string()),
    );
    if date.year() == today.year() {
        i18n::text_with(lang, "when-day", &args)
    } else {
        args.insert(
            Cow::Borrowed("year"),
            FluentValue::from(date.year().to_string()),
        );
        i18n::text_with(lang, "when-day-year", &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(date: &str) -> NaiveDate {
        NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn today_and_tomorrow_say_so() {
        let today = day("2026-12-09");
        assert_eq!(
            session_start("en", at("2026-12-09", "14:00"), today),
            "Today 14:00"
        );
        assert_eq!(
            session_start("en", at("2026-12-10", "09:30"), today),
            "Tomorrow 09:30"
        );
        assert_eq!(
            session_start("ar", at("2026-12-09", "14:00"), today),
            "اليوم 14:00"
        );
        assert_eq!(
            session_start("uk", at("2026-12-09", "14:00"), today),
            "Сьогодні 14:00"
        );
    }

    #[test]
    fn another_day_has_its_weekday_day_and_month_in_the_language() {
        let today = day("2026-12-07");
        let tuesday = at("2026-12-15", "14:00");
        assert_eq!(session_start("en", tuesday, today), "Tue 15 Dec 14:00");
        assert_eq!(
            session_start("ar", tuesday, today),
            "الثلاثاء 15 ديسمبر 14:00"
        );
        assert_eq!(
            session_start("fa", tuesday, today),
            "سه‌شنبه 15 دسامبر 14:00"
        );
        assert_eq!(session_start("uk", tuesday, today), "вт 15 груд. 14:00");
        // Yesterday is another day, not "today".
        assert_eq!(
            session_start("en", at("2026-12-06", "10:00"), today),
            "Sun 6 Dec 10:00"
        );
    }

    #[test]
    fn another_year_says_which() {
        let today = day("2026-12-30");
        assert_eq!(
            session_start("en", at("2027-01-05", "10:00"), today),
            "Tue 5 Jan 2027 10:00"
        );
        assert_eq!(
            session_start("en", at("2027-01-01", "10:00"), day("2026-12-31")),
            "Tomorrow 10:00",
            "tomorrow across the new year"
        );
    }

    #[test]
    fn every_language_names_every_day_and_month() {
        for lang in ["en", "ar", "fa", "uk"] {
            for key in WEEKDAYS.iter().chain(MONTHS.iter()) {
                let text = i18n::text(lang, key);
                assert!(!text.is_empty() && text != *key, "{lang} {key}: {text}");
            }
        }
    }
}
