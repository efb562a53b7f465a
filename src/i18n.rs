//! Interface languages. Every interface string lives in Fluent files under
//! `assets/locales/{code}/main.ftl`, compiled into the binary. Course
//! content stays in English; glossary translations follow the learner's
//! language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./assets/locales",
        fallback_language: "en",
        // Tera escapes arguments; isolation marks would show up in tests
        // and titles. Templates wrap names in <bdi> where direction matters.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Language {
    /// Our code: also the key for glossary translations in course.toml.
    pub code: &'static str,
    /// For `<html lang>`.
    pub html_lang: &'static str,
    pub dir: &'static str,
    /// The language's name in itself, for the picker.
    pub native_name: &'static str,
}

pub const LANGUAGES: [Language; 4] = [
    Language {
        code: "en",
        html_lang: "en-GB",
        dir: "ltr",
        native_name: "English",
    },
    Language {
        code: "ar",
        html_lang: "ar",
        dir: "rtl",
        native_name: "العربية",
    },
    Language {
        code: "fa",
        html_lang: "fa-AF",
        dir: "rtl",
        native_name: "دری",
    },
    Language {
        code: "uk",
        html_lang: "uk",
        dir: "ltr",
        native_name: "Українська",
    },
];

pub const DEFAULT_LANGUAGE: Language = LANGUAGES[0];

pub fn language(code: &str) -> Option<Language> {
    LANGUAGES.into_iter().find(|l| l.code == code)
}

/// The best of our languages for an `Accept-Language` header.
pub fn negotiate(accept_language: &str) -> Language {
    let mut best: Option<(f32, Language)> = None;
    for part in accept_language.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        // Dari is written `prs`, or `fa-AF`; Persian (`fa`) readers are
        // served by Dari too.
        let code = if primary == "prs" { "fa" } else { primary };
        if let Some(found) = language(code)
            && best.is_none_or(|(q, _)| quality > q)
        {
            best = Some((quality, found));
        }
    }
    best.map_or(DEFAULT_LANGUAGE, |(_, l)| l)
}

fn identifier(code: &str) -> LanguageIdentifier {
    code.parse().unwrap_or_else(|_| unic_langid::langid!("en"))
}

/// One interface string. An unknown key shows the key itself, which the
/// locale tests catch long before a learner could.
pub fn text(code: &str, key: &str) -> String {
    LOCALES.lookup(&identifier(code), key)
}

pub fn text_with(code: &str, key: &str, args: &HashMap<Cow<'static, str>, FluentValue>) -> String {
    LOCALES.lookup_with_args(&identifier(code), key, args)
}

/// The Tera function `t(key="...", lang=lang, name=...)`: every argument
/// besides `key` and `lang` is passed to Fluent.
pub struct TeraTranslate;

impl tera::Function for TeraTranslate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs key=\"...\""))?;
        let lang = args.get("lang").and_then(|v| v.as_str()).unwrap_or("en");
        let mut fluent_args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (name, value) in args {
            if name == "key" || name == "lang" {
                continue;
            }
            let value = match value {
                tera::Value::Number(n) => n
                    .as_f64()
                    .map_or_else(|| FluentValue::from(n.to_string()), FluentValue::from),
                tera::Value::String(s) => FluentValue::from(s.clone()),
                other => FluentValue::from(other.to_string()),
            };
            fluent_args.insert(Cow::Owned(name.clone()), value);
        }
        let text = if fluent_args.is_empty() {
            text(lang, key)
        } else {
            text_with(lang, key, &fluent_args)
        };
        Ok(tera::Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}
