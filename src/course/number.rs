//! Numbers as tutors and learners write them, for number questions.
//!
//! A tutor writes the answer on its own line under the question:
//! `= 8 °C` (exactly 8), `= 5 ± 1 °C` (4 to 6; `+-` and `+/-` also do), or
//! `= 0..8 °C` (a range, ends included). The unit is optional.
//!
//! A learner types a number and, if they like, the unit: `5`, `5°C`,
//! `5 °C`, `5 c` and `5C` are all 5 °C. Decimal commas are read as decimal
//! points (`2,5` is 2.5), so a comma never separates thousands: `1,000` is
//! one. Arabic-Indic and Persian digits and the Arabic decimal mark are read
//! too, as phones in those languages type them. A unit other than the one
//! wanted is wrong, and the learner is told which unit is wanted.

use std::ops::Range;

/// Longer answers are not numbers a learner typed: they are wrong, not work.
pub const MAX_ANSWER_CHARS: usize = 64;
/// Digits in one number, at most: more is no measurement a course asks for.
const MAX_DIGITS: usize = 24;
/// A unit is a word or a symbol, not a sentence.
pub const MAX_UNIT_CHARS: usize = 24;

/// The right answers of a number question, as the compiler found them.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSpec {
    pub low: f64,
    pub high: f64,
    pub unit: Option<String>,
    /// The answer as learners are shown it after a passed quiz: `5 ± 1 °C`,
    /// `0 to 8 °C`, `8 °C`.
    pub shown: String,
}

/// What is wrong with a tutor's answer line; `at` is a byte range in the
/// text given to [`parse_spec`].
#[derive(Debug, Clone, PartialEq)]
pub enum SpecError {
    /// No number where one is needed.
    NotANumber {
        at: Range<usize>,
        text: String,
    },
    NegativeTolerance {
        at: Range<usize>,
        text: String,
    },
    /// The first end of a range is above the second.
    EmptyRange {
        at: Range<usize>,
        low: String,
        high: String,
    },
    /// What follows the number cannot be a unit (digits, a second number).
    BadUnit {
        at: Range<usize>,
        text: String,
    },
}

/// Reads a number at the start of `text`: an optional sign, digits, at
/// most one decimal mark (`.`, `,` or the Arabic `٫`) with a digit after
/// it. Returns the value and the bytes read. None when there is no number,
/// or one too long to be a measurement.
pub fn scan_number(text: &str) -> Option<(f64, usize)> {
    let mut ascii = String::with_capacity(text.len().min(MAX_DIGITS + 2));
    let mut chars = text.char_indices().peekable();
    let mut end = 0;
    if let Some(&(_, c)) = chars.peek()
        && matches!(c, '-' | '+' | '\u{2212}')
    {
        if c != '+' {
            ascii.push('-');
        }
        chars.next();
        end = c.len_utf8();
    }
    let mut digits = 0;
    let mut seen_mark = false;
    while let Some(&(at, c)) = chars.peek() {
        if let Some(d) = digit_value(c) {
            digits += 1;
            if digits > MAX_DIGITS {
                return None;
            }
            ascii.push(char::from(b'0' + d));
            chars.next();
            end = at + c.len_utf8();
        } else if !seen_mark && matches!(c, '.' | ',' | '\u{066B}') {
            // A mark counts only with a digit after it: `0..8` is 0, then `..`.
            let after = &text[at + c.len_utf8()..];
            if after
                .chars()
                .next()
                .is_none_or(|n| digit_value(n).is_none())
            {
                break;
            }
            seen_mark = true;
            if digits == 0 {
                ascii.push('0');
            }
            ascii.push('.');
            chars.next();
        } else {
            break;
        }
    }
    if digits == 0 {
        return None;
    }
    let value: f64 = ascii.parse().ok()?;
    value.is_finite().then_some((value, end))
}

fn digit_value(c: char) -> Option<u8> {
    let d = match c {
        '0'..='9' => c as u32 - '0' as u32,
        '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
        '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
        _ => return None,
    };
    u8::try_from(d).ok()
}

/// Parses a tutor's answer: what follows the `=`.
pub fn parse_spec(text: &str) -> Result<NumberSpec, SpecError> {
    let start = text.len() - text.trim_start().len();
    let (first, first_len) = number_at(text, start)?;
    let mut at = skip_spaces(text, start + first_len);
    let first_text = text[start..start + first_len].trim();
    let (low, high, mut shown) = if let Some(rest) = text[at..].strip_prefix("..") {
        let second_at = skip_spaces(text, text.len() - rest.len());
        let (second, second_len) = number_at(text, second_at)?;
        let second_text = &text[second_at..second_at + second_len];
        if first > second {
            return Err(SpecError::EmptyRange {
                at: start..second_at + second_len,
                low: first_text.to_string(),
                high: second_text.to_string(),
            });
        }
        at = skip_spaces(text, second_at + second_len);
        (first, second, format!("{first_text} to {second_text}"))
    } else if let Some(marker) = ["±", "+/-", "+-"]
        .into_iter()
        .find(|m| text[at..].starts_with(m))
    {
        let tolerance_at = skip_spaces(text, at + marker.len());
        let (tolerance, tolerance_len) = number_at(text, tolerance_at)?;
        let tolerance_text = &text[tolerance_at..tolerance_at + tolerance_len];
        if tolerance < 0.0 {
            return Err(SpecError::NegativeTolerance {
                at: tolerance_at..tolerance_at + tolerance_len,
                text: tolerance_text.to_string(),
            });
        }
        at = skip_spaces(text, tolerance_at + tolerance_len);
        (
            first - tolerance,
            first + tolerance,
            format!("{first_text} ± {tolerance_text}"),
        )
    } else {
        (first, first, first_text.to_string())
    };
    let unit_text = text[at..].trim();
    let unit = if unit_text.is_empty() {
        None
    } else {
        let looks_numeric = unit_text
            .chars()
            .any(|c| digit_value(c).is_some() || c == '±')
            || unit_text.starts_with(['-', '+', '.', ',', '\u{2212}']);
        if looks_numeric || unit_text.chars().count() > MAX_UNIT_CHARS {
            return Err(SpecError::BadUnit {
                at: at..at + unit_text.len(),
                text: unit_text.to_string(),
            });
        }
        shown.push(' ');
        shown.push_str(unit_text);
        Some(unit_text.to_string())
    };
    Ok(NumberSpec {
        low,
        high,
        unit,
        shown,
    })
}

fn number_at(text: &str, at: usize) -> Result<(f64, usize), SpecError> {
    scan_number(&text[at..]).ok_or_else(|| {
        let word_end = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |n| at + n);
        SpecError::NotANumber {
            at: at..word_end.max(at),
            text: text[at..word_end].to_string(),
        }
    })
}

fn skip_spaces(text: &str, at: usize) -> usize {
    text.len() - text[at..].trim_start().len()
}

/// How a learner's answer to a number question reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Nothing typed.
    Blank,
    Right,
    /// A number, but not in the range.
    Wrong,
    /// A number with a unit other than the one wanted.
    WrongUnit {
        wanted: String,
    },
    /// A number followed by a word, where the question wants only a number.
    UnitNotWanted,
    /// Not a number at all.
    NotANumber,
}

/// Reads a learner's answer against the right answers. Never panics.
pub fn read_answer(spec_low: f64, spec_high: f64, unit: Option<&str>, given: &str) -> Reading {
    let given = given.trim();
    if given.is_empty() {
        return Reading::Blank;
    }
    if given.chars().count() > MAX_ANSWER_CHARS {
        return Reading::NotANumber;
    }
    let Some((value, len)) = scan_number(given) else {
        return Reading::NotANumber;
    };
    let typed_unit = given[len..].trim();
    if !typed_unit.is_empty() {
        match unit {
            None => return Reading::UnitNotWanted,
            Some(wanted) if !same_unit(wanted, typed_unit) => {
                return Reading::WrongUnit {
                    wanted: wanted.to_string(),
                };
            }
            Some(_) => {}
        }
    }
    if within(value, spec_low, spec_high) {
        Reading::Right
    } else {
        Reading::Wrong
    }
}

/// `value` in `low..=high`, with room for the rounding of decimal
/// fractions in binary (5 ± 0.1 must take 5.1).
fn within(value: f64, low: f64, high: f64) -> bool {
    let slack = 1e-9 * low.abs().max(high.abs()).max(1.0);
    value >= low - slack && value <= high + slack
}

/// Is `typed` the unit `wanted`? Case, spaces and the degree sign do not
/// matter (`°C`, `C`, `c`, `º C`, `℃` are the same), nor a leading
/// `degrees` when the unit is in degrees.
pub fn same_unit(wanted: &str, typed: &str) -> bool {
    let wanted_key = unit_key(wanted);
    let typed_key = unit_key(typed);
    if wanted_key == typed_key {
        return true;
    }
    let in_degrees = wanted.contains(['°', 'º', '˚', '\u{2103}', '\u{2109}']);
    in_degrees
        && ["degrees", "degree", "deg"]
            .iter()
            .find_map(|w| typed_key.strip_prefix(w))
            .is_some_and(|rest| rest == wanted_key)
}

fn unit_key(unit: &str) -> String {
    let mut key = String::with_capacity(unit.len());
    for c in unit.chars() {
        match c {
            '°' | 'º' | '˚' => {}
            '\u{2103}' => key.push('c'),
            '\u{2109}' => key.push('f'),
            '.' => {}
            c if c.is_whitespace() => {}
            c => key.extend(c.to_lowercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spec(text: &str) -> NumberSpec {
        parse_spec(text).unwrap()
    }

    #[test]
    fn tutors_write_an_exact_number_a_tolerance_or_a_range() {
        let exact = spec(" 8 °C");
        assert_eq!((exact.low, exact.high), (8.0, 8.0));
        assert_eq!(exact.unit.as_deref(), Some("°C"));
        assert_eq!(exact.shown, "8 °C");

        for text in ["5 ± 1 °C", "5 +- 1 °C", "5+/-1 °C", "5±1°C"] {
            let s = spec(text);
            assert_eq!(
                (s.low, s.high, s.unit.as_deref()),
                (4.0, 6.0, Some("°C")),
                "{text}"
            );
        }
        assert_eq!(spec("5 ± 1 °C").shown, "5 ± 1 °C");

        let range = spec("0..8 °C");
        assert_eq!((range.low, range.high), (0.0, 8.0));
        assert_eq!(range.shown, "0 to 8 °C");
        assert_eq!(spec("-18 .. -15").low, -18.0);
        assert_eq!(spec("2,5").low, 2.5);
        assert_eq!(spec("25 kg").unit.as_deref(), Some("kg"));
        assert_eq!(spec("2.711..2.712").high, 2.712);
    }

    #[test]
    fn slips_in_an_answer_line_say_where_and_what() {
        assert!(matches!(
            parse_spec("five °C"),
            Err(SpecError::NotANumber { at, text }) if at == (0..4) && text == "five"
        ));
        assert!(matches!(
            parse_spec("5 ± -1 °C"),
            Err(SpecError::NegativeTolerance { at, .. }) if at == (5..7)
        ));
        assert!(matches!(
            parse_spec("8..0 °C"),
            Err(SpecError::EmptyRange { low, high, .. }) if low == "8" && high == "0"
        ));
        assert!(matches!(
            parse_spec("0-8 °C"),
            Err(SpecError::BadUnit { text, .. }) if text == "-8 °C"
        ));
        assert!(matches!(
            parse_spec("5 ±"),
            Err(SpecError::NotANumber { .. })
        ));
        assert!(matches!(parse_spec(""), Err(SpecError::NotANumber { .. })));
    }

    #[test]
    fn learners_may_type_the_unit_or_not_in_any_case_with_or_without_a_space() {
        let fridge = spec("5 ± 1 °C");
        let read =
            |given: &str| read_answer(fridge.low, fridge.high, fridge.unit.as_deref(), given);
        for given in [
            "5",
            "5°C",
            "5 °C",
            "5 C",
            "5c",
            "5 º c",
            "5℃",
            "4",
            "6",
            "5,5",
            "5.5",
            " 6 ",
            "٥",
            "۵",
            "5 degrees C",
            "+5",
        ] {
            assert_eq!(read(given), Reading::Right, "{given:?}");
        }
        assert_eq!(read("7"), Reading::Wrong);
        assert_eq!(read("3,9"), Reading::Wrong);
        assert_eq!(read(""), Reading::Blank);
        assert_eq!(read("   "), Reading::Blank);
        assert_eq!(
            read("5 °F"),
            Reading::WrongUnit {
                wanted: "°C".into()
            }
        );
        assert_eq!(read("five"), Reading::NotANumber);
        assert_eq!(read("NaN"), Reading::NotANumber);
        assert_eq!(read("inf"), Reading::NotANumber);
        assert_eq!(read(&"9".repeat(30)), Reading::NotANumber);
        assert_eq!(read(&format!("5 {}", "C".repeat(100))), Reading::NotANumber);
        // No unit wanted: a word after the number is not a plain number.
        assert_eq!(read_answer(14.0, 14.0, None, "14"), Reading::Right);
        assert_eq!(
            read_answer(14.0, 14.0, None, "14 allergens"),
            Reading::UnitNotWanted
        );
    }

    #[test]
    fn a_tolerance_in_tenths_takes_its_ends() {
        let s = spec("5 ± 0.1");
        assert_eq!(read_answer(s.low, s.high, None, "5.1"), Reading::Right);
        assert_eq!(read_answer(s.low, s.high, None, "4,9"), Reading::Right);
        assert_eq!(read_answer(s.low, s.high, None, "5.11"), Reading::Wrong);
    }

    proptest! {
        #[test]
        fn reading_any_text_never_panics(given in ".{0,80}", unit in proptest::option::of(".{0,8}")) {
            let _ = read_answer(0.0, 8.0, unit.as_deref(), &given);
            let _ = parse_spec(&given);
        }

        #[test]
        fn a_number_written_with_a_comma_reads_as_with_a_point(whole in 0u32..100_000, tenths in 0u32..10) {
            let point = scan_number(&format!("{whole}.{tenths}")).map(|(v, _)| v);
            let comma = scan_number(&format!("{whole},{tenths}")).map(|(v, _)| v);
            prop_assert_eq!(point, comma);
            prop_assert!(point.is_some());
        }
    }
}
