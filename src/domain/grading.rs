//! Grading a quiz attempt on the server.
//!
//! Each question is right or wrong as a whole; the score is the share of
//! questions right, 0 to 100, rounded down so a learner never passes on a
//! rounding. A missing answer counts as wrong; an answer that cannot belong
//! to its question (an unknown option id, a list for a single choice) is bad
//! input and rejected before anything is stored.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::course::number::{self, Reading};
use crate::course::{Answer, GapSegment, Question, QuestionKind, Quiz};

/// One answer as a learner sends it: an option id (`single`), a list
/// (`multiple` option ids, `gap` strings, `order` item ids), an object
/// (`match`, left id to right id), or for `number` the number as text
/// (`"2,5 °C"`) or as a JSON number, which is kept as its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, from = "WireAnswer")]
pub enum SubmittedAnswer {
    One(String),
    Many(Vec<String>),
    Pairs(BTreeMap<String, String>),
}

/// [`SubmittedAnswer`] as JSON may carry it.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireAnswer {
    One(String),
    Number(serde_json::Number),
    Many(Vec<String>),
    Pairs(BTreeMap<String, String>),
}

impl From<WireAnswer> for SubmittedAnswer {
    fn from(wire: WireAnswer) -> Self {
        match wire {
            WireAnswer::One(text) => SubmittedAnswer::One(text),
            // Written out in full: `1e20` would read as 1 and a unit. A
            // number too long to be a measurement is then simply wrong.
            WireAnswer::Number(n) => SubmittedAnswer::One(match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => i.to_string(),
                (_, Some(u)) => u.to_string(),
                _ => n.as_f64().map_or_else(|| n.to_string(), |f| f.to_string()),
            }),
            WireAnswer::Many(list) => SubmittedAnswer::Many(list),
            WireAnswer::Pairs(pairs) => SubmittedAnswer::Pairs(pairs),
        }
    }
}

/// Answers keyed by question id.
pub type Submission = BTreeMap<String, SubmittedAnswer>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GradingError {
    #[error("There is no question \"{0}\" in this quiz.")]
    UnknownQuestion(String),
    #[error("The answer to question \"{question}\" has the wrong shape: {expected}.")]
    WrongShape {
        question: String,
        expected: &'static str,
    },
    #[error(
        "The answer to question \"{question}\" names \"{id}\", which is not one of its choices."
    )]
    UnknownChoice { question: String, id: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradedAttempt {
    pub score: u8,
    pub passed: bool,
    pub questions: Vec<GradedQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradedQuestion {
    pub id: String,
    pub correct: bool,
    pub answered: bool,
    /// The feedback the learner's choices earned, as plain text (for the API).
    pub feedback: String,
    /// Feedback per chosen option, as HTML, shown beside the option.
    pub option_feedback: Vec<OptionFeedback>,
    /// For gap questions: which gaps were right, in order.
    pub gaps_correct: Vec<bool>,
    /// For number questions: why an answer that is a number, or meant to
    /// be one, was not read as right (pages say it in the learner's language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_note: Option<NumberNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum NumberNote {
    /// A number with another unit than the one wanted.
    WrongUnit {
        wanted: String,
    },
    /// A word after the number, where only a number is wanted.
    UnitNotWanted,
    NotANumber,
}

impl NumberNote {
    /// In plain English, for the API.
    pub fn text(&self) -> String {
        match self {
            NumberNote::WrongUnit { wanted } => format!("The answer is in {wanted}."),
            NumberNote::UnitNotWanted => "Write only the number, without a unit.".to_string(),
            NumberNote::NotANumber => "Write the answer as a number, like 5 or 2.5.".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionFeedback {
    pub option_id: String,
    pub html: String,
}

/// Grades `submission` against `quiz`. Errors only for answers that cannot
/// belong to the quiz, never for wrong ones.
pub fn grade(quiz: &Quiz, submission: &Submission) -> Result<GradedAttempt, GradingError> {
    if let Some(unknown) = submission
        .keys()
        .find(|id| !quiz.questions.iter().any(|q| &q.id == *id))
    {
        return Err(GradingError::UnknownQuestion(unknown.clone()));
    }
    let questions = quiz
        .questions
        .iter()
        .map(|question| grade_question(question, submission.get(&question.id)))
        .collect::<Result<Vec<_>, _>>()?;
    let right = questions.iter().filter(|q| q.correct).count();
    let score = score_of(right, questions.len());
    Ok(GradedAttempt {
        score,
        passed: score >= quiz.pass_mark,
        questions,
    })
}

/// `right` of `total` as a whole percent, rounded down.
pub fn score_of(right: usize, total: usize) -> u8 {
    if total == 0 {
        return 100;
    }
    // right <= total, so the result is at most 100.
    u8::try_from(right * 100 / total).unwrap_or(100)
}

fn grade_question(
    question: &Question,
    answer: Option<&SubmittedAnswer>,
) -> Result<GradedQuestion, GradingError> {
    let mut graded = GradedQuestion {
        id: question.id.clone(),
        correct: false,
        answered: answer.is_some(),
        feedback: String::new(),
        option_feedback: Vec::new(),
        gaps_correct: Vec::new(),
        number_note: None,
    };
    let Some(answer) = answer else {
        if let Answer::Gap { segments } = &question.answer {
            graded.gaps_correct = vec![false; gap_count(segments)];
        }
        return Ok(graded);
    };
    let wrong_shape = |expected| GradingError::WrongShape {
        question: question.id.clone(),
        expected,
    };
    match &question.answer {
        Answer::Choice { options } => {
            let chosen: BTreeSet<&str> = match (question.kind(), answer) {
                (QuestionKind::Multiple, SubmittedAnswer::Many(ids)) => {
                    ids.iter().map(String::as_str).collect()
                }
                // A single choice sent as a one-item list (as a form may) is fine.
                (QuestionKind::Multiple, SubmittedAnswer::One(id)) => BTreeSet::from([id.as_str()]),
                (_, SubmittedAnswer::One(id)) => BTreeSet::from([id.as_str()]),
                (_, SubmittedAnswer::Many(ids)) if ids.len() <= 1 => {
                    ids.iter().map(String::as_str).collect()
                }
                (QuestionKind::Multiple, _) => return Err(wrong_shape("a list of option ids")),
                _ => return Err(wrong_shape("one option id")),
            };
            for id in &chosen {
                if !options.iter().any(|o| o.id == *id) {
                    return Err(GradingError::UnknownChoice {
                        question: question.id.clone(),
                        id: (*id).to_string(),
                    });
                }
            }
            let correct: BTreeSet<&str> = options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.as_str())
                .collect();
            graded.answered = !chosen.is_empty();
            graded.correct = chosen == correct;
            let mut texts = Vec::new();
            for option in options.iter().filter(|o| chosen.contains(o.id.as_str())) {
                if let Some(feedback) = &option.feedback {
                    texts.push(feedback.text.clone());
                    graded.option_feedback.push(OptionFeedback {
                        option_id: option.id.clone(),
                        html: feedback.html.clone(),
                    });
                }
            }
            graded.feedback = texts.join(" ");
        }
        Answer::Gap { segments } => {
            let given = match answer {
                SubmittedAnswer::Many(list) => list.as_slice(),
                SubmittedAnswer::One(one) => std::slice::from_ref(one),
                SubmittedAnswer::Pairs(_) => {
                    return Err(wrong_shape("a list of words, one per gap"));
                }
            };
            let accepted = segments.iter().filter_map(|segment| match segment {
                GapSegment::Gap(accepted) => Some(accepted),
                GapSegment::Html(_) => None,
            });
            graded.gaps_correct = accepted
                .enumerate()
                .map(|(n, accepted)| {
                    given.get(n).is_some_and(|word| {
                        let word = normalise_gap_answer(word);
                        accepted.iter().any(|a| normalise_gap_answer(a) == word)
                    })
                })
                .collect();
            graded.answered = given.iter().any(|word| !word.trim().is_empty());
            graded.correct = graded.gaps_correct.iter().all(|&right| right);
        }
        Answer::Match { pairs } => {
            let SubmittedAnswer::Pairs(chosen) = answer else {
                return Err(wrong_shape("an object from left id to right id"));
            };
            for (left, right) in chosen {
                let known = pairs.iter().any(|p| &p.left.id == left)
                    && pairs.iter().any(|p| &p.right.id == right);
                if !known {
                    return Err(GradingError::UnknownChoice {
                        question: question.id.clone(),
                        id: format!("{left} = {right}"),
                    });
                }
            }
            graded.answered = !chosen.is_empty();
            graded.correct = pairs
                .iter()
                .all(|pair| chosen.get(&pair.left.id) == Some(&pair.right.id));
        }
        Answer::Order { items } => {
            let SubmittedAnswer::Many(chosen) = answer else {
                return Err(wrong_shape("a list of item ids in order"));
            };
            if let Some(unknown) = chosen.iter().find(|id| !items.iter().any(|i| &i.id == *id)) {
                return Err(GradingError::UnknownChoice {
                    question: question.id.clone(),
                    id: unknown.clone(),
                });
            }
            graded.answered = !chosen.is_empty();
            graded.correct = chosen.len() == items.len()
                && chosen.iter().zip(items).all(|(id, item)| *id == item.id);
        }
        Answer::Number {
            low, high, unit, ..
        } => {
            let given = match answer {
                SubmittedAnswer::One(text) => text.as_str(),
                SubmittedAnswer::Many(list) if list.len() <= 1 => {
                    list.first().map_or("", String::as_str)
                }
                _ => return Err(wrong_shape("a number, or the number as text")),
            };
            let reading = number::read_answer(*low, *high, unit.as_deref(), given);
            graded.answered = reading != Reading::Blank;
            graded.correct = reading == Reading::Right;
            graded.number_note = match reading {
                Reading::WrongUnit { wanted } => Some(NumberNote::WrongUnit { wanted }),
                Reading::UnitNotWanted => Some(NumberNote::UnitNotWanted),
                Reading::NotANumber => Some(NumberNote::NotANumber),
                Reading::Blank | Reading::Right | Reading::Wrong => None,
            };
            graded.feedback = graded
                .number_note
                .as_ref()
                .map(NumberNote::text)
                .unwrap_or_default();
        }
    }
    Ok(graded)
}

pub fn gap_count(segments: &[GapSegment]) -> usize {
    segments
        .iter()
        .filter(|s| matches!(s, GapSegment::Gap(_)))
        .count()
}

/// What a gap answer is compared by: case, spaces around and between words,
/// end punctuation and the kind of apostrophe a phone keyboard types do not
/// matter.
pub fn normalise_gap_answer(text: &str) -> String {
    let trimmed = text
        .trim()
        .trim_end_matches(['.', '!', '?', ',', ';', ':'])
        .trim();
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => out.push('\''),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::{ChoiceOption, Item, MatchPair, Rich};

    fn rich(text: &str) -> Rich {
        Rich {
            text: text.into(),
            html: format!("<p>{text}</p>"),
        }
    }

    fn option(id: &str, correct: bool, feedback: Option<&str>) -> ChoiceOption {
        ChoiceOption {
            id: id.into(),
            text: rich(id),
            correct,
            feedback: feedback.map(rich),
        }
    }

    fn question(id: &str, answer: Answer) -> Question {
        Question {
            id: id.into(),
            text: rich(id),
            body_html: String::new(),
            hint: None,
            explanation: None,
            answer,
        }
    }

    fn item(id: &str) -> Item {
        Item {
            id: id.into(),
            text: id.into(),
        }
    }

    fn quiz() -> Quiz {
        Quiz {
            pass_mark: 75,
            max_attempts: Some(3),
            questions: vec![
                question(
                    "temp",
                    Answer::Choice {
                        options: vec![
                            option("five", false, Some("Too warm: bacteria grow.")),
                            option("eight", true, Some("Yes: 8 °C or below.")),
                        ],
                    },
                ),
                question(
                    "ppe",
                    Answer::Choice {
                        options: vec![
                            option("hat", true, None),
                            option("boots", true, None),
                            option("scarf", false, Some("A scarf can catch in a machine.")),
                        ],
                    },
                ),
                question(
                    "wash",
                    Answer::Gap {
                        segments: vec![
                            GapSegment::Html("Wash your ".into()),
                            GapSegment::Gap(vec!["hands".into()]),
                            GapSegment::Html(" with ".into()),
                            GapSegment::Gap(vec!["soap".into(), "soap and water".into()]),
                        ],
                    },
                ),
                question(
                    "pairs",
                    Answer::Match {
                        pairs: vec![
                            MatchPair {
                                left: item("l1"),
                                right: item("r1"),
                            },
                            MatchPair {
                                left: item("l2"),
                                right: item("r2"),
                            },
                        ],
                    },
                ),
                question(
                    "steps",
                    Answer::Order {
                        items: vec![item("a"), item("b"), item("c")],
                    },
                ),
            ],
        }
    }

    fn one(id: &str) -> SubmittedAnswer {
        SubmittedAnswer::One(id.into())
    }

    fn many(ids: &[&str]) -> SubmittedAnswer {
        SubmittedAnswer::Many(ids.iter().map(|s| s.to_string()).collect())
    }

    fn all_right() -> Submission {
        Submission::from([
            ("temp".into(), one("eight")),
            ("ppe".into(), many(&["boots", "hat"])),
            ("wash".into(), many(&["  Hands ", "Soap and   water."])),
            (
                "pairs".into(),
                SubmittedAnswer::Pairs(BTreeMap::from([
                    ("l1".into(), "r1".into()),
                    ("l2".into(), "r2".into()),
                ])),
            ),
            ("steps".into(), many(&["a", "b", "c"])),
        ])
    }

    #[test]
    fn every_answer_right_scores_100_and_passes() {
        let graded = grade(&quiz(), &all_right()).unwrap();
        assert_eq!(graded.score, 100);
        assert!(graded.passed);
        assert!(graded.questions.iter().all(|q| q.correct));
        assert_eq!(graded.questions[0].feedback, "Yes: 8 °C or below.");
    }

    #[test]
    fn a_wrong_choice_gets_its_feedback_and_the_score_falls_below_the_pass_mark() {
        let mut answers = all_right();
        answers.insert("temp".into(), one("five"));
        answers.insert("ppe".into(), many(&["hat", "scarf"]));
        let graded = grade(&quiz(), &answers).unwrap();
        assert_eq!(graded.score, 60);
        assert!(!graded.passed, "60 is under the pass mark of 75");
        assert_eq!(graded.questions[0].feedback, "Too warm: bacteria grow.");
        assert_eq!(
            graded.questions[1].option_feedback,
            vec![OptionFeedback {
                option_id: "scarf".into(),
                html: "<p>A scarf can catch in a machine.</p>".into()
            }]
        );
    }

    #[test]
    fn multiple_choice_needs_exactly_the_right_set() {
        let mut answers = all_right();
        answers.insert("ppe".into(), many(&["hat"]));
        let graded = grade(&quiz(), &answers).unwrap();
        assert!(
            !graded.questions[1].correct,
            "half the right options is wrong"
        );
    }

    #[test]
    fn gaps_are_graded_one_by_one_ignoring_case_spaces_and_end_punctuation() {
        let mut answers = all_right();
        answers.insert("wash".into(), many(&["HANDS!", "water"]));
        let graded = grade(&quiz(), &answers).unwrap();
        assert_eq!(graded.questions[2].gaps_correct, vec![true, false]);
        assert!(!graded.questions[2].correct);
        assert_eq!(
            normalise_gap_answer(" Don\u{2019}t  Touch. "),
            "don't touch"
        );
    }

    #[test]
    fn match_and_order_must_be_complete_and_right() {
        let mut answers = all_right();
        answers.insert(
            "pairs".into(),
            SubmittedAnswer::Pairs(BTreeMap::from([
                ("l1".into(), "r2".into()),
                ("l2".into(), "r1".into()),
            ])),
        );
        answers.insert("steps".into(), many(&["a", "c", "b"]));
        let graded = grade(&quiz(), &answers).unwrap();
        assert!(!graded.questions[3].correct && !graded.questions[4].correct);
        answers.insert("steps".into(), many(&["a", "b"]));
        let graded = grade(&quiz(), &answers).unwrap();
        assert!(!graded.questions[4].correct, "a missing item is wrong");
    }

    #[test]
    fn unanswered_questions_count_as_wrong_not_as_errors() {
        let graded = grade(&quiz(), &Submission::new()).unwrap();
        assert_eq!(graded.score, 0);
        assert!(graded.questions.iter().all(|q| !q.correct && !q.answered));
        assert_eq!(graded.questions[2].gaps_correct, vec![false, false]);
    }

    #[test]
    fn answers_that_cannot_belong_to_the_quiz_are_rejected() {
        let mut answers = all_right();
        answers.insert("nope".into(), one("x"));
        assert_eq!(
            grade(&quiz(), &answers),
            Err(GradingError::UnknownQuestion("nope".into()))
        );

        let mut answers = all_right();
        answers.insert("temp".into(), one("nine"));
        assert!(matches!(
            grade(&quiz(), &answers),
            Err(GradingError::UnknownChoice { .. })
        ));

        let mut answers = all_right();
        answers.insert("temp".into(), many(&["five", "eight"]));
        assert!(matches!(
            grade(&quiz(), &answers),
            Err(GradingError::WrongShape { .. })
        ));

        let mut answers = all_right();
        answers.insert("pairs".into(), many(&["l1"]));
        assert!(matches!(
            grade(&quiz(), &answers),
            Err(GradingError::WrongShape { .. })
        ));
    }

    fn fridge() -> Quiz {
        Quiz {
            pass_mark: 100,
            max_attempts: None,
            questions: vec![question(
                "fridge",
                Answer::Number {
                    low: 0.0,
                    high: 8.0,
                    unit: Some("°C".into()),
                    shown: "0 to 8 °C".into(),
                },
            )],
        }
    }

    fn grade_fridge(answer: SubmittedAnswer) -> GradedQuestion {
        grade(&fridge(), &Submission::from([("fridge".into(), answer)]))
            .unwrap()
            .questions
            .remove(0)
    }

    #[test]
    fn a_number_is_right_inside_its_range_with_or_without_the_unit() {
        for given in ["8", "8 °C", "5°c", "7,5 C", "0"] {
            let graded = grade_fridge(one(given));
            assert!(graded.correct && graded.answered, "{given}");
            assert_eq!(graded.feedback, "");
        }
        let graded = grade_fridge(one("9 °C"));
        assert!(!graded.correct && graded.answered);
        assert_eq!(graded.number_note, None);
    }

    #[test]
    fn a_number_in_another_unit_is_wrong_and_says_which_unit_is_wanted() {
        let graded = grade_fridge(one("5 °F"));
        assert!(!graded.correct);
        assert_eq!(
            graded.number_note,
            Some(NumberNote::WrongUnit {
                wanted: "°C".into()
            })
        );
        assert_eq!(graded.feedback, "The answer is in °C.");
        let graded = grade_fridge(one("cold"));
        assert!(!graded.correct && graded.answered);
        assert_eq!(graded.number_note, Some(NumberNote::NotANumber));
        let graded = grade_fridge(one("  "));
        assert!(!graded.answered);
    }

    #[test]
    fn a_number_answer_may_come_as_a_json_number_or_text() {
        let read = |json: &str| -> SubmittedAnswer { serde_json::from_str(json).unwrap() };
        assert_eq!(read("5"), one("5"));
        assert_eq!(read("7.5"), one("7.5"));
        assert_eq!(read("-3"), one("-3"));
        assert!(grade_fridge(read("7.5")).correct);
        assert!(!grade_fridge(read("1e20")).correct, "no panic, just wrong");
        assert!(serde_json::from_str::<SubmittedAnswer>("1e400").is_err());
        assert_eq!(read("\"2,5 °C\""), one("2,5 °C"));
        assert_eq!(read("[\"a\"]"), many(&["a"]));
        assert!(matches!(
            grade(
                &fridge(),
                &Submission::from([("fridge".into(), many(&["1", "2"]))])
            ),
            Err(GradingError::WrongShape { .. })
        ));
    }

    #[test]
    fn scores_round_down() {
        assert_eq!(score_of(2, 3), 66);
        assert_eq!(score_of(0, 0), 100);
        assert_eq!(score_of(7, 7), 100);
    }
}
