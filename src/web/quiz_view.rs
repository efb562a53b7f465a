//! A quiz as a plain HTML form, and the form's fields back into answers.
//!
//! Field names: `q:{question}` for a choice (repeated for multiple choice),
//! `q:{question}:{n}` for gap n, `q:{question}:{left id}` holding a right
//! id for matching, and `q:{question}:{item id}` holding a position
//! (1, 2, 3...) for ordering, `q:{question}` holding the text typed for a
//! number. Everything works without JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::course::{Answer, GapSegment, Item, Question, QuestionKind, Quiz};
use crate::domain::grading::{GradedQuestion, NumberNote, Submission, SubmittedAnswer};
use crate::service::learning::shuffled;

/// A question ready for a template.
#[derive(Debug, Serialize)]
pub struct QuestionView<'a> {
    pub id: &'a str,
    pub number: usize,
    pub kind: &'static str,
    pub text_html: &'a str,
    pub body_html: &'a str,
    pub hint_html: Option<&'a str>,
    pub explanation_html: Option<&'a str>,
    pub options: Vec<OptionView<'a>>,
    pub segments: Vec<SegmentView<'a>>,
    /// Matching: the left-hand items, each with the right id chosen.
    pub left: Vec<SlotView<'a>>,
    pub right: Vec<&'a Item>,
    /// Ordering: the items, each with the position chosen.
    pub items: Vec<SlotView<'a>>,
    pub positions: Vec<usize>,
    /// For a number question: its unit, if any.
    pub unit: Option<&'a str>,
    /// For a number question: what the learner typed, to show it again.
    pub typed: String,
    /// On a quiz form filled in with an earlier try: the question was not
    /// right then, so the learner knows what to change.
    pub wrong_last_time: bool,
    /// After grading.
    pub result: Option<ResultView>,
}

/// A select of a matching or ordering question, with what the learner
/// chose in it: a right id for matching, a position for ordering.
#[derive(Debug, Serialize)]
pub struct SlotView<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub chosen: Option<&'a str>,
    pub position: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct OptionView<'a> {
    pub id: &'a str,
    pub html: &'a str,
    pub chosen: bool,
    pub correct: bool,
    pub feedback_html: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct SegmentView<'a> {
    pub html: Option<&'a str>,
    /// For a gap: its number and what the learner wrote.
    pub gap: Option<usize>,
    pub given: String,
    pub gap_correct: Option<bool>,
    pub accepted: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct GivenLine {
    pub text: String,
    /// For a pair or a place: whether it was right. None for a whole answer
    /// (a number), whose verdict is the question's.
    pub right: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct ResultView {
    pub correct: bool,
    pub answered: bool,
    /// What the learner chose, where it is not shown in the options: one
    /// line per pair or place for matching and ordering, each marked right
    /// or wrong, so the learner sees which ones to change.
    pub given: Vec<GivenLine>,
    pub expected: Vec<String>,
    /// For a number answer not read as right: why (a unit, not a number).
    pub number_note: Option<NumberNote>,
}

pub fn question_views<'a>(
    quiz: &'a Quiz,
    seed: &str,
    graded: Option<(&[GradedQuestion], &Submission)>,
) -> Vec<QuestionView<'a>> {
    quiz.questions
        .iter()
        .enumerate()
        .map(|(n, question)| {
            let grade = graded.and_then(|(results, answers)| {
                results
                    .iter()
                    .find(|r| r.id == question.id)
                    .map(|r| (r, answers.get(&question.id)))
            });
            view(
                question,
                n + 1,
                seed,
                grade.and_then(|(_, answer)| answer),
                grade.map(|(graded, _)| graded),
            )
        })
        .collect()
}

/// A quiz form filled in with answers given before: an earlier try ("Try
/// again" keeps the learner's answers, so they change only what was
/// wrong), or a submission sent back to ask about unanswered questions.
/// `earlier` marks the questions that were not right in that try.
pub fn question_views_filled<'a>(
    quiz: &'a Quiz,
    seed: &str,
    answers: &Submission,
    earlier: Option<&[GradedQuestion]>,
) -> Vec<QuestionView<'a>> {
    quiz.questions
        .iter()
        .enumerate()
        .map(|(n, question)| {
            let mut view = view(question, n + 1, seed, answers.get(&question.id), None);
            view.wrong_last_time = earlier.is_some_and(|graded| {
                graded
                    .iter()
                    .any(|g| g.id == question.id && g.answered && !g.correct)
            });
            view
        })
        .collect()
}

/// The numbers (1-based, as the page shows them) of the questions that
/// are not answered, or only partly: a gap left empty, a pair or a place
/// not chosen. The quiz page asks before such a submission is graded.
pub fn unanswered(quiz: &Quiz, answers: &Submission) -> Vec<usize> {
    quiz.questions
        .iter()
        .enumerate()
        .filter(|(_, question)| {
            let answer = answers.get(&question.id);
            match (&question.answer, answer) {
                (_, None) => true,
                (Answer::Choice { .. }, Some(SubmittedAnswer::Many(ids))) => ids.is_empty(),
                (Answer::Gap { .. }, Some(SubmittedAnswer::Many(words))) => {
                    words.iter().any(|w| w.trim().is_empty())
                }
                (Answer::Match { pairs }, Some(SubmittedAnswer::Pairs(chosen))) => {
                    chosen.len() < pairs.len()
                }
                (Answer::Order { items }, Some(SubmittedAnswer::Many(placed))) => {
                    placed.len() < items.len()
                }
                (Answer::Number { .. }, Some(SubmittedAnswer::One(typed))) => {
                    typed.trim().is_empty()
                }
                _ => false,
            }
        })
        .map(|(n, _)| n + 1)
        .collect()
}

fn chosen_ids(answer: Option<&SubmittedAnswer>) -> Vec<&str> {
    match answer {
        Some(SubmittedAnswer::One(id)) => vec![id.as_str()],
        Some(SubmittedAnswer::Many(ids)) => ids.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn view<'a>(
    question: &'a Question,
    number: usize,
    seed: &str,
    answer: Option<&SubmittedAnswer>,
    grade: Option<&GradedQuestion>,
) -> QuestionView<'a> {
    let kind = question.kind();
    let mut view = QuestionView {
        id: &question.id,
        number,
        kind: kind.as_str(),
        text_html: &question.text.html,
        body_html: &question.body_html,
        hint_html: question.hint.as_ref().map(|h| h.html.as_str()),
        explanation_html: question.explanation.as_ref().map(|e| e.html.as_str()),
        options: Vec::new(),
        segments: Vec::new(),
        left: Vec::new(),
        right: Vec::new(),
        items: Vec::new(),
        positions: Vec::new(),
        unit: None,
        typed: String::new(),
        wrong_last_time: false,
        result: grade.map(|g| ResultView {
            correct: g.correct,
            answered: g.answered,
            given: Vec::new(),
            expected: Vec::new(),
            number_note: g.number_note.clone(),
        }),
    };
    let seed = format!("{seed}/{}", question.id);
    match &question.answer {
        Answer::Choice { options } => {
            let chosen = chosen_ids(answer);
            view.options = options
                .iter()
                .map(|o| OptionView {
                    id: &o.id,
                    html: &o.text.html,
                    chosen: chosen.contains(&o.id.as_str()),
                    correct: o.correct,
                    feedback_html: o.feedback.as_ref().map(|f| f.html.as_str()),
                })
                .collect();
        }
        Answer::Gap { segments } => {
            let given: Vec<&str> = match answer {
                Some(SubmittedAnswer::Many(words)) => words.iter().map(String::as_str).collect(),
                Some(SubmittedAnswer::One(word)) => vec![word.as_str()],
                _ => Vec::new(),
            };
            let gaps_correct = grade.map(|g| g.gaps_correct.as_slice());
            let mut gap = 0;
            view.segments = segments
                .iter()
                .map(|segment| match segment {
                    GapSegment::Html(html) => SegmentView {
                        html: Some(html),
                        gap: None,
                        given: String::new(),
                        gap_correct: None,
                        accepted: None,
                    },
                    GapSegment::Gap(accepted) => {
                        gap += 1;
                        SegmentView {
                            html: None,
                            gap: Some(gap),
                            given: given
                                .get(gap - 1)
                                .map_or_else(String::new, |s| s.to_string()),
                            gap_correct: gaps_correct.and_then(|g| g.get(gap - 1).copied()),
                            accepted: grade.and(accepted.first().map(String::as_str)),
                        }
                    }
                })
                .collect();
        }
        Answer::Match { pairs } => {
            let chosen = match answer {
                Some(SubmittedAnswer::Pairs(chosen)) => Some(chosen),
                _ => None,
            };
            let chosen_for = |left: &Item| {
                chosen
                    .and_then(|c| c.get(&left.id))
                    .and_then(|id| pairs.iter().find(|p| &p.right.id == id))
                    .map(|p| p.right.id.as_str())
            };
            view.left = pairs
                .iter()
                .map(|p| SlotView {
                    id: &p.left.id,
                    text: &p.left.text,
                    chosen: chosen_for(&p.left),
                    position: None,
                })
                .collect();
            view.right = shuffled(pairs.iter().map(|p| &p.right), &seed);
            if let (Some(result), Some(_)) = (&mut view.result, chosen) {
                for pair in pairs {
                    let chosen_right = chosen_for(&pair.left);
                    let right_text = chosen_right
                        .and_then(|id| pairs.iter().find(|p| p.right.id == id))
                        .map_or("—", |p| p.right.text.as_str());
                    result.given.push(GivenLine {
                        text: format!("{} → {}", pair.left.text, right_text),
                        right: Some(chosen_right == Some(pair.right.id.as_str())),
                    });
                    result
                        .expected
                        .push(format!("{} → {}", pair.left.text, pair.right.text));
                }
            }
        }
        Answer::Order { items } => {
            let placed: &[String] = match answer {
                Some(SubmittedAnswer::Many(chosen)) => chosen,
                _ => &[],
            };
            let position_of = |item: &Item| placed.iter().position(|id| *id == item.id);
            view.items = shuffled(items.iter(), &seed)
                .into_iter()
                .map(|item| SlotView {
                    id: &item.id,
                    text: &item.text,
                    chosen: None,
                    position: position_of(item).map(|p| p + 1),
                })
                .collect();
            view.positions = (1..=items.len()).collect();
            if let Some(result) = &mut view.result {
                result.given = placed
                    .iter()
                    .enumerate()
                    .filter_map(|(place, id)| {
                        let item = items.iter().find(|i| &i.id == id)?;
                        Some(GivenLine {
                            text: format!("{}. {}", place + 1, item.text),
                            right: Some(items.get(place).is_some_and(|i| i.id == item.id)),
                        })
                    })
                    .collect();
                result.expected = items
                    .iter()
                    .enumerate()
                    .map(|(place, i)| format!("{}. {}", place + 1, i.text))
                    .collect();
            }
        }
        Answer::Number { unit, shown, .. } => {
            view.unit = unit.as_deref();
            let typed = chosen_ids(answer)
                .first()
                .map(|g| g.trim())
                .filter(|g| !g.is_empty());
            view.typed = typed.unwrap_or_default().to_string();
            if let Some(result) = &mut view.result {
                if let Some(given) = typed {
                    result.given = vec![GivenLine {
                        text: given.to_string(),
                        right: None,
                    }];
                }
                result.expected = vec![shown.clone()];
            }
        }
    }
    view
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct FormError(pub String);

/// Reads the quiz form's fields into answers. Unknown fields are ignored
/// (the CSRF token and the attempt token travel in the same form);
/// malformed ones are an error.
pub fn submission_from_form(
    quiz: &Quiz,
    fields: &[(String, String)],
) -> Result<Submission, FormError> {
    let mut submission = Submission::new();
    for question in &quiz.questions {
        let prefix = format!("q:{}", question.id);
        let own: Vec<(&str, &str)> = fields
            .iter()
            .filter_map(|(name, value)| {
                let rest = name.strip_prefix(&prefix)?;
                if rest.is_empty() {
                    Some(("", value.as_str()))
                } else {
                    rest.strip_prefix(':').map(|sub| (sub, value.as_str()))
                }
            })
            .collect();
        if own.is_empty() {
            continue;
        }
        let answer = match &question.answer {
            Answer::Choice { .. } => {
                let ids: Vec<String> = own
                    .iter()
                    .filter(|(sub, _)| sub.is_empty())
                    .map(|(_, v)| v.to_string())
                    .collect();
                if question.kind() == QuestionKind::Multiple {
                    SubmittedAnswer::Many(ids)
                } else {
                    match ids.as_slice() {
                        [one] => SubmittedAnswer::One(one.clone()),
                        [] => continue,
                        _ => SubmittedAnswer::Many(ids),
                    }
                }
            }
            Answer::Gap { segments } => {
                let count = crate::domain::grading::gap_count(segments);
                let mut words = vec![String::new(); count];
                for (sub, value) in &own {
                    let n: usize = sub
                        .parse()
                        .map_err(|_| FormError(format!("Gap field \"{sub}\" is not a number.")))?;
                    if let Some(slot) = n.checked_sub(1).and_then(|i| words.get_mut(i)) {
                        *slot = value.to_string();
                    }
                }
                SubmittedAnswer::Many(words)
            }
            Answer::Match { .. } => SubmittedAnswer::Pairs(
                own.iter()
                    .filter(|(sub, value)| !sub.is_empty() && !value.is_empty())
                    .map(|(sub, value)| (sub.to_string(), value.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            Answer::Order { .. } => {
                let mut placed: Vec<(usize, &str)> = Vec::new();
                for (sub, value) in &own {
                    if value.is_empty() {
                        continue;
                    }
                    let position: usize = value
                        .parse()
                        .map_err(|_| FormError(format!("\"{value}\" is not a position.")))?;
                    placed.push((position, sub));
                }
                placed.sort();
                SubmittedAnswer::Many(placed.into_iter().map(|(_, id)| id.to_string()).collect())
            }
            Answer::Number { .. } => match own.iter().find(|(sub, _)| sub.is_empty()) {
                Some((_, typed)) if !typed.trim().is_empty() => {
                    SubmittedAnswer::One(typed.to_string())
                }
                _ => continue,
            },
        };
        submission.insert(question.id.clone(), answer);
    }
    Ok(submission)
}
