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
    pub left: Vec<&'a Item>,
    pub right: Vec<&'a Item>,
    pub items: Vec<&'a Item>,
    pub positions: Vec<usize>,
    /// For a number question: its unit, if any.
    pub unit: Option<&'a str>,
    /// After grading.
    pub result: Option<ResultView>,
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
pub struct ResultView {
    pub correct: bool,
    pub answered: bool,
    /// What the learner chose, where it is not shown in the options.
    pub given: Vec<String>,
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
            view(question, n + 1, seed, grade)
        })
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
    grade: Option<(&GradedQuestion, Option<&SubmittedAnswer>)>,
) -> QuestionView<'a> {
    let kind = question.kind();
    let answer = grade.and_then(|(_, a)| a);
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
        result: grade.map(|(g, _)| ResultView {
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
            let gaps_correct = grade.map(|(g, _)| g.gaps_correct.as_slice());
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
            view.left = pairs.iter().map(|p| &p.left).collect();
            view.right = shuffled(pairs.iter().map(|p| &p.right), &seed);
            if let (Some(result), Some(SubmittedAnswer::Pairs(chosen))) = (&mut view.result, answer)
            {
                for pair in pairs {
                    let right = chosen
                        .get(&pair.left.id)
                        .and_then(|id| pairs.iter().find(|p| &p.right.id == id))
                        .map_or("—", |p| p.right.text.as_str());
                    result.given.push(format!("{} → {}", pair.left.text, right));
                    result
                        .expected
                        .push(format!("{} → {}", pair.left.text, pair.right.text));
                }
            }
        }
        Answer::Order { items } => {
            view.items = shuffled(items.iter(), &seed);
            view.positions = (1..=items.len()).collect();
            if let Some(result) = &mut view.result {
                if let Some(SubmittedAnswer::Many(chosen)) = answer {
                    result.given = chosen
                        .iter()
                        .filter_map(|id| items.iter().find(|i| &i.id == id))
                        .map(|i| i.text.clone())
                        .collect();
                }
                result.expected = items.iter().map(|i| i.text.clone()).collect();
            }
        }
        Answer::Number { unit, shown, .. } => {
            view.unit = unit.as_deref();
            if let Some(result) = &mut view.result {
                if let Some(given) = chosen_ids(answer).first().filter(|g| !g.trim().is_empty()) {
                    result.given = vec![given.trim().to_string()];
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
