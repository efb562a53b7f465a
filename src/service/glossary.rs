//! A course's glossary: every word of its vocabulary, in course order or
//! A–Z, with the English definitions and the translation into the
//! viewer's home language. Whoever may see the course page may see its
//! glossary (everyone: visitors see it in the interface language's
//! translations); a course that is not published is not found.

use std::sync::Arc;

use serde::Serialize;

use super::learning;
use super::{Context, ServiceResult};
use crate::course::GlossaryTerm;
use crate::domain::home_language::HomeLanguage;
use crate::store::courses::PublishedCourse;

/// The order of the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// As the course first teaches them.
    #[default]
    Course,
    /// Alphabetical, ignoring case.
    Az,
}

impl Order {
    /// `az` for A–Z; anything else (or nothing) is course order.
    pub fn parse(text: Option<&str>) -> Order {
        match text.map(str::trim) {
            Some(order) if order.eq_ignore_ascii_case("az") => Order::Az,
            _ => Order::Course,
        }
    }
}

/// One word as the glossary shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Word {
    pub term: String,
    /// English definitions.
    pub definitions: Vec<String>,
    /// Into the home language, when the course has it.
    pub translation: Option<String>,
}

pub struct Glossary {
    pub course: Arc<PublishedCourse>,
    pub order: Order,
    pub home_language: HomeLanguage,
    pub words: Vec<Word>,
    /// How many words have a translation into the home language.
    pub translated: usize,
}

fn word(term: &GlossaryTerm, home_language: &str) -> Word {
    let translation = term
        .translations
        .iter()
        .find(|(code, _)| code.as_str().eq_ignore_ascii_case(home_language))
        .map(|(_, text)| text.clone());
    Word {
        term: term.term.clone(),
        definitions: term.definitions.clone(),
        translation,
    }
}

/// The glossary of a published course, for a viewer whose home language
/// is `home_language` (a visitor's: the interface language).
pub fn glossary(
    ctx: Context<'_>,
    slug: &str,
    home_language: &str,
    order: Order,
) -> ServiceResult<Glossary> {
    let course = learning::course(ctx.catalog, slug)?;
    let mut words: Vec<Word> = course
        .course
        .glossary
        .iter()
        .map(|term| word(term, home_language))
        .collect();
    if order == Order::Az {
        words.sort_by_cached_key(|w| (w.term.to_lowercase(), w.term.clone()));
    }
    let translated = words.iter().filter(|w| w.translation.is_some()).count();
    Ok(Glossary {
        course,
        order,
        home_language: HomeLanguage::of(home_language),
        words,
        translated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_course_order_unless_az_is_asked_for() {
        assert_eq!(Order::parse(None), Order::Course);
        assert_eq!(Order::parse(Some("AZ")), Order::Az);
        assert_eq!(Order::parse(Some("zz")), Order::Course);
    }
}
