//! A learner's home language: the language of the vocabulary translations
//! they see, apart from the interface language (en, ar, fa, uk). It can be
//! any language a course translates into (Tigrinya, Pashto, Somali ...).
//!
//! An account keeps the one chosen, or none: then it is the interface
//! language, read when it is needed (`Account::home_language`), so an
//! Arabic-interface learner sees Arabic until they choose otherwise, and a
//! later change of interface language carries the default along.

use crate::course::{is_rtl, language_mix_up};
use crate::i18n::LANGUAGES;

/// Languages by their own name, for the picker and the glossary. A code
/// not here is shown as itself.
const NATIVE_NAMES: &[(&str, &str)] = &[
    ("am", "አማርኛ"),
    ("ar", "العربية"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("ckb", "کوردی"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "دری"),
    ("fr", "Français"),
    ("ha", "Hausa"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("it", "Italiano"),
    ("ku", "Kurdî"),
    ("kmr", "Kurdî"),
    ("ln", "Lingála"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("ne", "नेपाली"),
    ("om", "Afaan Oromoo"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("pl", "Polski"),
    ("prs", "دری"),
    ("ps", "پښتو"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sd", "سنڌي"),
    ("so", "Soomaali"),
    ("sq", "Shqip"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("ti", "ትግርኛ"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
    ("yo", "Yorùbá"),
    ("zh", "中文"),
];

/// A language's name in itself (`ti` → ትግርኛ; `pt-BR` → Português), or
/// the code when it is not known.
pub fn native_name(code: &str) -> String {
    let language = code.split_once('-').map_or(code, |(language, _)| language);
    NATIVE_NAMES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(language))
        .map_or_else(|| code.to_string(), |(_, name)| (*name).to_string())
}

/// A language's name set apart from the sentence it is put in (Unicode
/// isolates), so "ትግርኛ" or "English" keeps its place in an Arabic
/// sentence, and the other way round.
pub fn isolated_name(code: &str) -> String {
    format!("\u{2068}{}\u{2069}", native_name(code))
}

/// A language a learner may choose, for a picker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HomeLanguage {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
}

impl HomeLanguage {
    pub fn of(code: &str) -> HomeLanguage {
        HomeLanguage {
            code: code.to_string(),
            name: native_name(code),
            dir: if is_rtl(code) { "rtl" } else { "ltr" },
        }
    }
}

/// The codes a learner may choose: every language the courses translate
/// into (`course_languages`, in any order, repeats allowed) and the
/// interface languages other than English, once each, by code.
pub fn offered(course_languages: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    let mut codes: Vec<String> = LANGUAGES
        .iter()
        .filter(|l| l.code != "en")
        .map(|l| l.code.to_string())
        .collect();
    for code in course_languages {
        let code = code.as_ref();
        if !codes.iter().any(|known| known.eq_ignore_ascii_case(code)) {
            codes.push(code.to_string());
        }
    }
    codes.sort();
    codes
}

/// A home language as typed (a form, the API, a roster cell): empty means
/// "the interface language" (None); otherwise one of `offered` in any
/// case, or a common mix-up of one (`prs` for Dari is `fa`, `ua` is
/// `uk`). The error is the code as typed.
pub fn parse_choice(typed: &str, offered: &[String]) -> Result<Option<String>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let lower = typed.to_ascii_lowercase();
    let wanted = language_mix_up(&lower).map_or(lower.as_str(), |mix_up| mix_up.code);
    offered
        .iter()
        .find(|code| code.eq_ignore_ascii_case(wanted))
        .map(|code| Some(code.clone()))
        .ok_or_else(|| typed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_in_their_own_script_or_the_code() {
        assert_eq!(native_name("ti"), "ትግርኛ");
        assert_eq!(native_name("pt-BR"), "Português");
        assert_eq!(native_name("xyz"), "xyz");
        assert_eq!(HomeLanguage::of("ps").dir, "rtl");
        assert_eq!(HomeLanguage::of("so").dir, "ltr");
    }

    #[test]
    fn the_offer_is_every_course_language_and_the_interface_ones() {
        let offer = offered(["ti", "ar", "so", "ti"]);
        assert_eq!(offer, ["ar", "fa", "so", "ti", "uk"]);
        assert_eq!(parse_choice(" TI ", &offer), Ok(Some("ti".into())));
        assert_eq!(parse_choice("", &offer), Ok(None));
        assert_eq!(parse_choice("prs", &offer), Ok(Some("fa".into())));
        assert_eq!(parse_choice("xx", &offer), Err("xx".into()));
        assert_eq!(parse_choice("en", &offer), Err("en".into()));
    }
}
