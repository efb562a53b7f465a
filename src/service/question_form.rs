//! A quiz question as a client needs it to answer, without its answer:
//! the choices' ids, the gaps, the pairs to match, the items to order.
//! The quiz API and a live class's course questions give the same shape,
//! and take answers in the one shape the grading reads
//! ([`crate::domain::grading::SubmittedAnswer`]).

use serde::Serialize;

use super::learning::shuffled;
use crate::course::{Answer, GapSegment, Item, Question, QuestionKind};
use crate::domain::grading;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: String,
    pub text: String,
}

/// A question without its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionForm {
    pub id: String,
    /// `single`, `multiple`, `gap`, `match`, `order` or `number` (true/false
    /// is `single`).
    pub kind: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Choice>>,
    /// How many gaps (gap questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<usize>,
    /// The sentence with each gap written as `___` (gap questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<Vec<Choice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<Vec<Choice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Choice>>,
    /// The unit a number answer is in, if it has one (`°C`): the learner
    /// may type it after the number or leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Text of a fragment of our own compiled HTML, for plain-text clients.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn choices<'a>(items: impl IntoIterator<Item = &'a Item>) -> Vec<Choice> {
    items
        .into_iter()
        .map(|i| Choice {
            id: i.id.clone(),
            text: i.text.clone(),
        })
        .collect()
}

/// `question` as a client answers it; matching's right-hand side and the
/// items to order are shuffled by `seed`, so that their order gives
/// nothing away.
pub fn question_form(question: &Question, seed: &str) -> QuestionForm {
    let kind = match question.kind() {
        QuestionKind::TrueFalse => "single",
        other => other.as_str(),
    };
    let mut form = QuestionForm {
        id: question.id.clone(),
        kind: kind.to_string(),
        text: question.text.text.clone(),
        options: None,
        gaps: None,
        sentence: None,
        left: None,
        right: None,
        items: None,
        unit: None,
        hint: question.hint.as_ref().map(|h| h.text.clone()),
    };
    match &question.answer {
        Answer::Choice { options } => {
            form.options = Some(
                options
                    .iter()
                    .map(|o| Choice {
                        id: o.id.clone(),
                        text: o.text.text.clone(),
                    })
                    .collect(),
            );
        }
        Answer::Gap { segments } => {
            form.gaps = Some(grading::gap_count(segments));
            form.sentence = Some(
                segments
                    .iter()
                    .map(|s| match s {
                        GapSegment::Html(html) => plain_text(html),
                        GapSegment::Gap(_) => "___".to_string(),
                    })
                    .collect(),
            );
        }
        Answer::Match { pairs } => {
            form.left = Some(choices(pairs.iter().map(|p| &p.left)));
            form.right = Some(choices(shuffled(pairs.iter().map(|p| &p.right), seed)));
        }
        Answer::Order { items } => {
            form.items = Some(choices(shuffled(items.iter(), seed)));
        }
        Answer::Number { unit, .. } => form.unit = unit.clone(),
    }
    form
}
