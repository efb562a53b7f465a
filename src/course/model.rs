//! What a compiled course is: plain data, ready to publish and to serve.
//!
//! Lesson HTML is rendered here once, at compile time; the server only wraps
//! it in a page. Questions are typed data so the server can grade them and
//! the API can show them without revealing an answer.

use std::collections::BTreeMap;
use std::sync::Arc;

pub use super::inline_str::InlineStr;

use serde::{Deserialize, Serialize};

/// A course's sector: one of the shipped ids or one the organisation
/// configured in `sectors.toml` (see [`super::sectors`]). Checked against
/// the known sectors when course.toml is read; kept as its id, so a course
/// published under a sector later removed still loads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sector(String);

impl Sector {
    /// The sector for courses that fit no other.
    pub fn other() -> Sector {
        Sector("other".to_string())
    }

    /// The sector with this id, when `sectors` knows it.
    pub fn known(id: &str, sectors: &super::sectors::Sectors) -> Option<Sector> {
        sectors.contains(id).then(|| Sector(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// CEFR English level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::A1,
        Level::A2,
        Level::B1,
        Level::B2,
        Level::C1,
        Level::C2,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::A1 => "A1",
            Level::A2 => "A2",
            Level::B1 => "B1",
            Level::B2 => "B2",
            Level::C1 => "C1",
            Level::C2 => "C2",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseSettings {
    pub title: String,
    pub sector: Sector,
    pub level: Level,
    pub summary: String,
    pub hours: Option<f64>,
    /// Percent needed to pass each quiz unless the quiz says otherwise.
    pub pass_mark: u8,
    /// Home languages the vocabulary is translated into (`ar`, `fa`, `uk`, ...).
    pub languages: Vec<String>,
    /// Slugs of courses to finish first.
    pub requires: Vec<String>,
    pub certificate: CertificateSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSettings {
    pub title: String,
    /// None: the certificate never expires.
    pub valid_for_months: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledCourse {
    pub slug: String,
    pub settings: CourseSettings,
    pub modules: Vec<Module>,
    /// Every vocabulary term in the course, in the order first met.
    pub glossary: Vec<GlossaryTerm>,
    /// BLAKE3 over course.toml, every module and every media file: equal
    /// hashes mean nothing changed, so publishing again is a no-op.
    pub content_hash: String,
}

impl CompiledCourse {
    /// Every lesson and quiz in course order.
    pub fn lessons(&self) -> impl Iterator<Item = &Lesson> {
        self.modules.iter().flat_map(|m| m.lessons.iter())
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons().find(|l| l.id == id)
    }
}

impl CourseSummary {
    /// Counts one more module (also in a course with errors, which has
    /// modules but no `CompiledCourse`). The compiler counts each module as
    /// soon as it is built, while its questions are still in the cache.
    pub fn add_module(&mut self, module: &Module) {
        self.modules += 1;
        let mut by_kind = [0usize; QuestionKind::ALL.len()];
        for lesson in &module.lessons {
            match &lesson.quiz {
                None => self.lessons += 1,
                Some(quiz) => {
                    self.quizzes += 1;
                    for question in &quiz.questions {
                        by_kind[question.kind() as usize] += 1;
                    }
                }
            }
        }
        for (kind, count) in QuestionKind::ALL.into_iter().zip(by_kind) {
            if count > 0 {
                *self.questions_by_kind.entry(kind.as_str()).or_default() += count;
            }
        }
    }
}

/// Counts a tutor sees after `presto check`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CourseSummary {
    pub modules: usize,
    pub lessons: usize,
    pub quizzes: usize,
    pub questions_by_kind: BTreeMap<&'static str, usize>,
    pub glossary_terms: usize,
}

impl CourseSummary {
    pub fn questions(&self) -> usize {
        self.questions_by_kind.values().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Module {
    /// File name inside the course folder, e.g. `01-first-day.md`.
    pub file: String,
    pub title: String,
    pub summary: Option<String>,
    /// The text before the first lesson.
    pub intro_html: String,
    pub lessons: Vec<Lesson>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LessonKind {
    Lesson,
    Quiz,
}

impl LessonKind {
    /// As the API, the pages and the progress rows name it.
    pub fn as_str(self) -> &'static str {
        match self {
            LessonKind::Lesson => "lesson",
            LessonKind::Quiz => "quiz",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// Stable id: progress is keyed by it, so editing the text keeps progress.
    pub id: String,
    pub title: String,
    pub kind: LessonKind,
    /// The lesson body; for a quiz, the text before its first question.
    pub html: String,
    pub quiz: Option<Quiz>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    pub pass_mark: u8,
    /// None: unlimited attempts.
    pub max_attempts: Option<u32>,
    pub questions: Vec<Question>,
}

/// Text with inline markdown, kept both ways: HTML for pages, plain text for
/// the API, search and screen readers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rich {
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within its quiz: the heading's `{#id}` or the slug of its text.
    pub id: String,
    /// The heading: the question itself.
    pub text: Rich,
    /// Paragraphs and images between the heading and the answers.
    pub body_html: String,
    pub hint: Option<Rich>,
    /// Shown after answering.
    pub explanation: Option<Rich>,
    pub answer: Answer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
    Gap,
    Match,
    Order,
    Number,
}

impl QuestionKind {
    /// In declaration order, so `kind as usize` is a kind's index here.
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
        QuestionKind::Gap,
        QuestionKind::Match,
        QuestionKind::Order,
        QuestionKind::Number,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "truefalse",
            QuestionKind::Gap => "gap",
            QuestionKind::Match => "match",
            QuestionKind::Order => "order",
            QuestionKind::Number => "number",
        }
    }
}

impl Question {
    pub fn kind(&self) -> QuestionKind {
        match &self.answer {
            Answer::Choice { options, .. } => {
                let correct = options.iter().filter(|o| o.correct).count();
                if correct > 1 {
                    QuestionKind::Multiple
                } else if is_true_false(options) {
                    QuestionKind::TrueFalse
                } else {
                    QuestionKind::Single
                }
            }
            Answer::Gap { .. } => QuestionKind::Gap,
            Answer::Match { .. } => QuestionKind::Match,
            Answer::Order { .. } => QuestionKind::Order,
            Answer::Number { .. } => QuestionKind::Number,
        }
    }
}

fn is_true_false(options: &[ChoiceOption]) -> bool {
    let is = |o: &ChoiceOption, word: &str| o.text.text.eq_ignore_ascii_case(word);
    match options {
        [a, b] => (is(a, "true") && is(b, "false")) || (is(a, "false") && is(b, "true")),
        _ => false,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Answer {
    /// Single choice (one correct option), multiple choice (two or more) and
    /// true/false are all task lists; [`Question::kind`] tells them apart.
    Choice { options: Vec<ChoiceOption> },
    /// A paragraph with gaps; text segments are HTML.
    Gap { segments: Vec<GapSegment> },
    /// Pairs as written; learners see the right side shuffled.
    Match { pairs: Vec<MatchPair> },
    /// Items in the correct order; learners see them shuffled.
    Order { items: Vec<Item> },
    /// A number: right from `low` to `high`, ends included (`= 5 ± 1 °C`,
    /// `= 0..8 °C`, `= 8 °C`). The learner may type the unit or leave it
    /// out; see [`super::number`] for how answers are read.
    Number {
        low: f64,
        high: f64,
        unit: Option<String>,
        /// The right answer as written for learners: `5 ± 1 °C`, `0 to 8 °C`.
        shown: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub id: String,
    pub text: Rich,
    pub correct: bool,
    pub feedback: Option<Rich>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GapSegment {
    Html(String),
    /// Accepted answers, as written (`[[colour|color]]`).
    Gap(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchPair {
    pub left: Item,
    pub right: Item,
}

/// An answer piece with an id that says nothing about where it belongs: the
/// id is a hash of its own text, so ids cannot give away a pairing or an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    pub term: String,
    /// English definitions.
    pub definitions: Vec<String>,
    /// Language code to translation.
    pub translations: BTreeMap<LanguageCode, String>,
    /// The lesson that first defines it (None: a module introduction).
    /// Shared: every term of a lesson names the same one.
    pub lesson: Option<Arc<str>>,
}

/// A language code as word lists and course.toml write it (`ar`, `pt-BR`),
/// kept inline: a course has a code for every translation of every word.
/// Twelve bytes hold the longest code `is_language_code` accepts (a language
/// of three letters, a hyphen and a region of eight).
pub type LanguageCode = InlineStr<12>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary counts questions in an array indexed by `kind as usize`
    /// and labels the counts from `ALL`: the two orders must agree.
    #[test]
    fn every_question_kind_is_listed_at_its_own_index() {
        for (index, kind) in QuestionKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, index, "{kind:?}");
        }
        let names: std::collections::BTreeSet<&str> =
            QuestionKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), QuestionKind::ALL.len(), "each kind once");
    }

    /// Translations are keyed by language code: stored courses must read
    /// back, and list their translations in the same order, as when the
    /// keys were strings.
    #[test]
    fn language_codes_read_compare_and_serialise_as_their_text() {
        let codes: Vec<LanguageCode> = ["uk", "ar", "pt-BR", "fa", "pt"]
            .iter()
            .map(|c| LanguageCode::new(c).unwrap())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        let texts: Vec<&str> = sorted.iter().map(LanguageCode::as_str).collect();
        assert_eq!(texts, ["ar", "fa", "pt", "pt-BR", "uk"]);

        let translations: BTreeMap<LanguageCode, String> =
            codes.iter().map(|c| (*c, format!("in {c}"))).collect();
        let json = serde_json::to_string(&translations).unwrap();
        let as_strings: BTreeMap<String, String> = serde_json::from_str(&json).unwrap();
        assert_eq!(
            json,
            serde_json::to_string(&as_strings).unwrap(),
            "the same JSON as a map keyed by strings"
        );
        let back: BTreeMap<LanguageCode, String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, translations);
        assert_eq!(back["pt-BR"], "in pt-BR");

        // The longest code a word list may use fits; anything longer is
        // not a language code.
        let longest = "abc-abcdefgh";
        assert!(crate::course::settings::is_language_code(longest));
        assert!(!crate::course::settings::is_language_code("abc-abcdefghi"));
        assert_eq!(LanguageCode::new(longest).unwrap().as_str(), longest);
        assert!(LanguageCode::new("abc-abcdefghi").is_none());
        assert!(serde_json::from_str::<LanguageCode>("\"abc-abcdefghi\"").is_err());
    }
}
