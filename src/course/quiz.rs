//! Questions: each `###` heading in a quiz with the blocks under it. The
//! shape of the answers says the kind: a task list is a choice, a paragraph
//! with `[[gaps]]` a gap fill, `left = right` bullets a matching, a numbered
//! list an ordering.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::ids::{UniqueIds, content_id, is_valid_id, short_slug};
use super::markdown::{Ev, Heading, block_end, blocks, plain_text, span_of};
use super::model::{Answer, ChoiceOption, GapSegment, Item, MatchPair, Question, Rich};
use super::number::{self, SpecError};
use super::render::{RenderContext, escape_text, is_plain, push_escaped};

/// The hint for an answer written `[x]5°C`, shown with the tutor's own
/// answer (`answer` is the item's text, box and all).
fn box_without_space_hint(answer: &str) -> String {
    let (tick, rest) = answer.split_at(answer.len().min(3));
    format!("Put a space between the box and the answer: - {tick} {rest}, not - {tick}{rest}.")
}

const ANSWER_FORMATS: &str = "Write the answers under the question: a task list (- [x] right, - [ ] wrong) for a choice, a paragraph with [[gaps]], a list of `left = right` pairs for matching, a numbered list in the right order, or a line like = 5 ± 1 °C for a number.";

/// Parses one question. `body` is everything between its heading and the next.
pub fn parse_question(
    cx: &mut RenderContext,
    mut heading: Heading,
    heading_inline: &[Ev<'_>],
    body: &[Ev<'_>],
    ids: &mut UniqueIds,
) -> Option<Question> {
    let text = if is_plain(heading_inline) {
        Rich {
            html: escape_text(&heading.text),
            text: std::mem::take(&mut heading.text),
        }
    } else {
        cx.render_inline(heading_inline)
    };
    if text.text.is_empty() {
        cx.diags.error(
            "empty-question",
            heading.span.clone(),
            "This question heading has no text.",
            "Write the question after the ###, like: ### Where do you wash your hands?",
        );
    }
    if !heading.classes.is_empty() || !heading.attrs.is_empty() {
        cx.diags.warning(
            "unknown-attribute",
            heading.span.clone(),
            "A question heading takes only an id in { }, like {#fridge-temperature}; the rest is ignored.",
            "Remove the other settings from the { }. Pass marks and attempts go on the ## Quiz: heading.",
        );
    }
    let id = question_id(cx, &heading, &text.text, ids);

    let mut body_events: Vec<Ev> = Vec::new();
    let mut answer: Option<Answer> = None;
    let mut hint: Option<Rich> = None;
    let mut explanation: Option<Rich> = None;
    let mut failed = false;
    let diagnostics_before = cx.diags.found.len();

    for (start, end) in blocks(body) {
        let block = &body[start..=end];
        let inner = &body[start + 1..end];
        let span = body[start].1.clone();
        let found: Option<Result<Answer, ()>> = match &body[start].0 {
            Event::Start(Tag::BlockQuote(None)) => {
                if let Some(h) = plain_hint(inner) {
                    hint = Some(h);
                } else if let Some(h) = strip_hint(inner) {
                    hint = Some(cx.rich_blocks(&h));
                } else if answer.is_some() {
                    let note = cx.rich_blocks(inner);
                    explanation = Some(match explanation.take() {
                        Some(first) => join(first, note),
                        None => note,
                    });
                } else {
                    body_events.extend_from_slice(block);
                }
                None
            }
            Event::Start(Tag::List(first_number)) => {
                let items = list_items(cx, inner);
                if items.iter().any(|item| item.checked.is_some()) {
                    Some(choice(cx, items, span.clone()))
                } else if first_number.is_some() {
                    Some(ordering(cx, items, span.clone()))
                } else if items.iter().any(|item| item.plain.contains('=')) {
                    Some(matching(cx, items, span.clone()))
                } else {
                    // A plain bullet list is part of the question, e.g. a list
                    // of things to look at.
                    body_events.extend_from_slice(block);
                    None
                }
            }
            Event::Start(Tag::Paragraph) if is_number_line(inner) => {
                Some(number_answer(cx, inner, span.clone()))
            }
            Event::Start(Tag::Paragraph) if number_line_joined(cx, inner) => Some(Err(())),
            Event::Start(Tag::Paragraph) if has_gap(inner) => Some(gaps(cx, inner)),
            Event::Start(Tag::Paragraph) if paragraph_with_unopened_gap(cx, inner) => Some(Err(())),
            _ => {
                body_events.extend_from_slice(block);
                None
            }
        };
        match found {
            None => {}
            Some(Err(())) => failed = true,
            Some(Ok(a)) if answer.is_none() => answer = Some(a),
            Some(Ok(_)) => {
                cx.diags.error(
                    "two-answers",
                    span,
                    "This question has a second set of answers.",
                    "Each ### question takes one set of answers. Start a new ### question for the second one.",
                );
                failed = true;
            }
        }
    }

    if failed && let Some(note) = unindented_feedback(body) {
        // The guide's first trap. Its symptoms (each half of the answers too
        // few, or a second set of answers) would send the tutor the wrong
        // way: this question's reports of them give way to the cause.
        let symptoms = cx.diags.found.split_off(diagnostics_before);
        cx.diags.found.extend(symptoms.into_iter().filter(|d| {
            !matches!(
                d.code,
                "too-few-options" | "no-correct-option" | "two-answers"
            )
        }));
        cx.diags.error(
            "unindented-feedback",
            note,
            "This > note is between two answers but not indented under either, so it splits the answers into two lists.",
            "Indent the > line two spaces, under the answer it is about: \"  > No, that is too warm.\" An explanation for the whole question goes after all the answers.",
        );
        return None;
    }

    let body_html = cx.render_blocks(&body_events, 0);
    let Some(answer) = answer else {
        if !failed {
            cx.diags.error(
                "no-answers",
                heading.span.clone(),
                "This question has no answers.",
                no_answers_hint(&body_events),
            );
        }
        return None;
    };
    if failed {
        return None;
    }
    Some(Question {
        id,
        text,
        body_html,
        hint,
        explanation,
        answer,
    })
}

/// A `>` note with a task list just before and just after it: feedback
/// meant for the answer above, written without the indent that keeps it
/// inside the list. Returns the note's place.
// Only on a slip: kept out of the hot loop's code.
#[cold]
#[inline(never)]
fn unindented_feedback(body: &[Ev<'_>]) -> Option<Range<usize>> {
    let is_task_list = |start: usize, end: usize| {
        matches!(body[start].0, Event::Start(Tag::List(_)))
            && body[start + 1..end]
                .iter()
                .any(|(e, _)| matches!(e, Event::TaskListMarker(_)))
    };
    let mut after_task_list = false;
    let mut note: Option<Range<usize>> = None;
    for (start, end) in blocks(body) {
        if is_task_list(start, end) {
            if note.is_some() {
                return note;
            }
            after_task_list = true;
        } else if after_task_list && matches!(body[start].0, Event::Start(Tag::BlockQuote(None))) {
            note = Some(body[start].1.clone());
            after_task_list = false;
        } else {
            after_task_list = false;
            note = None;
        }
    }
    None
}

/// The hint for a question without answers: aimed at the two usual slips
/// when the question shows one, else every way to write answers.
// Only on a slip: kept out of the hot loop's code.
#[cold]
#[inline(never)]
fn no_answers_hint(body: &[Ev<'_>]) -> String {
    for (start, end) in blocks(body) {
        match &body[start].0 {
            Event::Start(Tag::Paragraph)
                if starts_like_a_box_without_space(&body[start + 1..end]) =>
            {
                let line = whole_first_line(&body[start + 1..end]);
                let line = line.trim();
                let (dash, rest) = line.split_at(1);
                return format!(
                    "Put a space between the - and the box: write {dash} {rest}, not {line}."
                );
            }
            Event::Start(Tag::Paragraph) => {
                if let Some(word) = single_bracket_gap(&body[start + 1..end]) {
                    return format!(
                        "A gap takes two square brackets on each side: write [[{word}]], not [{word}]."
                    );
                }
            }
            Event::Start(Tag::List(None)) if box_without_space(&first_line(&body[start..end])) => {
                return box_without_space_hint(&whole_first_line(&body[start..end]));
            }
            Event::Start(Tag::List(None)) => {
                let first = whole_first_line(&body[start..end]);
                return format!(
                    "The list under the question has no boxes. Write - [x] in front of the right answer and - [ ] in front of the others, like - [x] {}",
                    first.trim()
                );
            }
            _ => {}
        }
    }
    ANSWER_FORMATS.to_string()
}

/// The word in single square brackets in a paragraph, like a gap written
/// `[cold]`.
fn single_bracket_gap(inline: &[Ev<'_>]) -> Option<String> {
    let text: String = inline
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let (_, after) = text.split_once('[')?;
    let (word, _) = after.split_once(']')?;
    (!word.trim().is_empty()).then(|| word.trim().to_string())
}

/// The first line of text in `events`, whole (up to a length that fits a
/// hint). Only for messages.
fn whole_first_line(events: &[Ev<'_>]) -> String {
    let mut line = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) => line.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !line.is_empty() => break,
            _ => {}
        }
    }
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line,
    }
}

/// Does a paragraph start like `-[x]` or `*[ ]`: an answer list written
/// without the space that makes it a list?
fn starts_like_a_box_without_space(inline: &[Ev<'_>]) -> bool {
    let line = first_line(inline);
    let line = line.trim_start();
    ["-[", "*[", "+["].iter().any(|p| line.starts_with(p))
}

/// An answer written `[x]5°C`: a box, but no space after it, so it is text.
fn box_without_space(text: &str) -> bool {
    ["[x]", "[X]", "[ ]"].iter().any(|b| {
        text.strip_prefix(b)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(' '))
    })
}

/// The start of the first line of text in `events`, as written
/// (pulldown-cmark splits text at `[` and `]`). Only for messages.
fn first_line(events: &[Ev<'_>]) -> String {
    let mut line = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) => line.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !line.is_empty() => break,
            _ => {}
        }
        if line.len() >= 8 {
            break;
        }
    }
    line
}

fn question_id(
    cx: &mut RenderContext,
    heading: &Heading,
    text: &str,
    ids: &mut UniqueIds,
) -> String {
    if let Some(id) = heading.id.as_deref() {
        if !is_valid_id(id) {
            cx.diags.error(
                "invalid-id",
                heading.span.clone(),
                format!("`{id}` cannot be an id."),
                "Ids use small letters a-z, digits and hyphens, like {#fridge-temperature}.",
            );
        } else if ids.claim(id.to_string()) != id {
            cx.diags.error(
                "duplicate-id",
                heading.span.clone(),
                format!("Two questions in this quiz have the id `{id}`."),
                "Give each question its own id.",
            );
        }
        return id.to_string();
    }
    let base = short_slug(text, 48);
    ids.claim(if base.is_empty() {
        "question".to_string()
    } else {
        base
    })
}

fn join(first: Rich, second: Rich) -> Rich {
    Rich {
        text: format!("{} {}", first.text, second.text),
        html: format!("{}{}", first.html, second.html),
    }
}

/// A hint of plain text, the usual kind, without copying events.
fn plain_hint(inner: &[Ev<'_>]) -> Option<Rich> {
    // Look at the first words before reading the whole note: most notes
    // are explanations, not hints.
    let starts_with_hint = inner.iter().find_map(|(e, _)| match e {
        Event::Text(t) => Some(
            t.trim_start()
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("hint:")),
        ),
        _ => None,
    });
    if starts_with_hint != Some(true) || !is_plain(inner) {
        return None;
    }
    let mut text = plain_text(inner);
    if !text
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("hint:"))
    {
        return None;
    }
    let rest_at = text.len() - text[5..].trim_start().len();
    let mut html = String::with_capacity(text.len() + 8);
    html.push_str("<p>");
    push_escaped(&mut html, &text[rest_at..]);
    html.push_str("</p>");
    // The plain text is the same buffer without the word.
    text.drain(..rest_at);
    Some(Rich { text, html })
}

/// A blockquote whose text starts `Hint:` is a hint; returns its content
/// without the word.
fn strip_hint<'e>(inner: &[Ev<'e>]) -> Option<Vec<Ev<'e>>> {
    let index = inner
        .iter()
        .position(|(e, _)| matches!(e, Event::Text(_)))?;
    let (Event::Text(text), span) = &inner[index] else {
        return None;
    };
    let trimmed = text.trim_start();
    let prefix = trimmed.get(..5)?;
    if !prefix.eq_ignore_ascii_case("hint:") {
        return None;
    }
    let mut out = inner.to_vec();
    out[index] = (
        Event::Text(trimmed[5..].trim_start().to_string().into()),
        span.clone(),
    );
    Some(out)
}

struct ListItem<'a, 'e> {
    checked: Option<bool>,
    /// The answer's own text: a slice of the list in the usual case, a copy
    /// only when it is split over several paragraphs.
    inline: Cow<'a, [Ev<'e>]>,
    plain: String,
    feedback: Option<Rich>,
    span: Range<usize>,
}

/// Gathers the index ranges of an item's own text, borrowing when they are
/// one run (the usual case). The first run is kept inline, so the usual
/// item allocates nothing here.
#[derive(Default)]
struct InlineRuns {
    first: Option<Range<usize>>,
    more: Vec<Range<usize>>,
}

impl InlineRuns {
    fn add(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        if let Some(last) = self.more.last_mut().or(self.first.as_mut())
            && last.end == range.start
        {
            last.end = range.end;
            return;
        }
        if self.first.is_none() {
            self.first = Some(range);
        } else {
            self.more.push(range);
        }
    }

    fn take<'a, 'e>(self, events: &'a [Ev<'e>]) -> Cow<'a, [Ev<'e>]> {
        match self.first {
            None => Cow::Borrowed(&[]),
            Some(one) if self.more.is_empty() => Cow::Borrowed(&events[one]),
            Some(first) => Cow::Owned(
                std::iter::once(first)
                    .chain(self.more)
                    .flat_map(|r| events[r].iter().cloned())
                    .collect(),
            ),
        }
    }
}

/// Splits a list's items into their own text, their task box and any
/// feedback blockquote under them.
fn list_items<'a, 'e>(cx: &mut RenderContext, list_inner: &'a [Ev<'e>]) -> Vec<ListItem<'a, 'e>> {
    let mut items = Vec::new();
    for (start, end) in blocks(list_inner) {
        let span = list_inner[start].1.clone();
        let inner = &list_inner[start + 1..end];
        let mut checked = None;
        let mut feedback: Option<Rich> = None;
        let mut runs = InlineRuns::default();
        for (s, e) in blocks(inner) {
            match &inner[s].0 {
                Event::TaskListMarker(c) => checked = Some(*c),
                Event::Start(Tag::Paragraph) => {
                    let mut from = s + 1;
                    if let Some((Event::TaskListMarker(c), _)) = inner.get(from) {
                        checked = Some(*c);
                        from += 1;
                    }
                    runs.add(from..e);
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let note = cx.rich_blocks(&inner[s + 1..e]);
                    feedback = Some(match feedback.take() {
                        Some(first) => join(first, note),
                        None => note,
                    });
                }
                Event::Start(
                    Tag::List(_) | Tag::CodeBlock(_) | Tag::Table(_) | Tag::Heading { .. },
                ) => {
                    cx.diags.warning(
                        "ignored-content",
                        inner[s].1.clone(),
                        "This is inside an answer, where only a short text and a > feedback note fit, so it is left out.",
                        "Keep each answer to one line. Put longer text in the question or in the explanation after the answers.",
                    );
                }
                _ => runs.add(s..e + 1),
            }
        }
        let inline = runs.take(inner);
        items.push(ListItem {
            checked,
            plain: plain_text(&inline),
            inline,
            feedback,
            span,
        });
    }
    items
}

fn choice(cx: &mut RenderContext, items: Vec<ListItem>, span: Range<usize>) -> Result<Answer, ()> {
    let mut ok = true;
    let mut options = Vec::with_capacity(items.len());
    for item in items {
        let Some(correct) = item.checked else {
            let (message, hint) = if box_without_space(&item.plain) {
                (
                    "This answer's box has no space after it, so Presto does not see the box.",
                    box_without_space_hint(&item.plain),
                )
            } else {
                (
                    "This answer has no [ ] or [x] in front of it, but the others do.",
                    format!(
                        "Start every answer with - [ ] (wrong) or - [x] (right), like - [ ] {}",
                        item.plain
                    ),
                )
            };
            cx.diags
                .error("option-without-box", item.span, message, hint);
            ok = false;
            continue;
        };
        if item.plain.is_empty() {
            cx.diags.error(
                "empty-option",
                item.span,
                "This answer is empty.",
                "Write the answer after the [ ] or [x], or remove the line.",
            );
            ok = false;
            continue;
        }
        // Ids are hashes of the normalised text: equal ids, equal answers.
        let id = content_id('o', &item.plain);
        if options.iter().any(|o: &ChoiceOption| o.id == id) {
            cx.diags.error(
                "duplicate-option",
                item.span,
                format!("The answer \"{}\" is written twice.", item.plain),
                "Each answer must be different. Remove or change one of them.",
            );
            ok = false;
            continue;
        }
        let text = if is_plain(&item.inline) {
            Rich {
                html: escape_text(&item.plain),
                text: item.plain,
            }
        } else {
            cx.render_inline(&item.inline)
        };
        options.push(ChoiceOption {
            id,
            text,
            correct,
            feedback: item.feedback,
        });
    }
    if !ok {
        return Err(());
    }
    if options.len() < 2 {
        cx.diags.error(
            "too-few-options",
            span,
            "A choice question needs at least two answers.",
            "Add more answers: - [ ] for a wrong one, - [x] for a right one.",
        );
        return Err(());
    }
    if !options.iter().any(|o| o.correct) {
        let example = options.first().map_or("", |o| o.text.text.as_str());
        cx.diags.error(
            "no-correct-option",
            span,
            "No answer is marked right.",
            format!("Put an x in the box of the right answer, like - [x] {example}"),
        );
        return Err(());
    }
    if options.iter().all(|o| o.correct) {
        cx.diags.warning(
            "all-options-correct",
            span,
            "Every answer is marked right, so the question cannot be got wrong.",
            "Add a wrong answer (- [ ]) or make this a statement in the lesson.",
        );
    }
    Ok(Answer::Choice { options })
}

fn matching(
    cx: &mut RenderContext,
    items: Vec<ListItem>,
    span: Range<usize>,
) -> Result<Answer, ()> {
    let mut ok = true;
    let mut lefts = Repeats::new(&items);
    let mut pairs: Vec<MatchPair> = Vec::with_capacity(items.len());
    // A pair of the tutor's own for the hints, when the list has a whole one.
    let example = items
        .iter()
        .filter_map(|item| item.plain.split_once('='))
        .map(|(left, right)| (left.trim(), right.trim()))
        .find(|(left, right)| !left.is_empty() && !right.is_empty())
        .map_or_else(
            || "fridge = keeps food cold".to_string(),
            |(left, right)| format!("{left} = {right}"),
        );
    for item in items {
        warn_feedback_ignored(cx, &item, "matching");
        let Some((left, right)) = item.plain.split_once('=') else {
            cx.diags.error(
                "match-missing-equals",
                item.span,
                format!(
                    "\"{}\" has no = sign, but the other items in this matching list do.",
                    item.plain
                ),
                format!("Write every item as left = right, like: - {example}"),
            );
            ok = false;
            continue;
        };
        let (left, right) = (left.trim(), right.trim());
        if left.is_empty() || right.is_empty() {
            cx.diags.error(
                "match-empty-side",
                item.span,
                "One side of this pair is empty.",
                format!("Write text on both sides of the =, like: - {example}"),
            );
            ok = false;
            continue;
        }
        if lefts.is_repeat(pairs.iter().map(|p| p.left.text.as_str()), left) {
            cx.diags.error(
                "duplicate-option",
                item.span,
                format!("\"{left}\" is on the left twice."),
                "Each item on the left must be different.",
            );
            ok = false;
            continue;
        }
        pairs.push(MatchPair {
            left: Item {
                id: content_id('l', left),
                text: left.to_string(),
            },
            right: Item {
                id: content_id('r', right),
                text: right.to_string(),
            },
        });
    }
    if !ok {
        return Err(());
    }
    if pairs.len() < 2 {
        cx.diags.error(
            "too-few-pairs",
            span,
            "A matching question needs at least two pairs.",
            "Add more lines like: - fridge = keeps food cold",
        );
        return Err(());
    }
    Ok(Answer::Match { pairs })
}

fn ordering(
    cx: &mut RenderContext,
    items: Vec<ListItem>,
    span: Range<usize>,
) -> Result<Answer, ()> {
    let mut ok = true;
    let mut seen = Repeats::new(&items);
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for item in items {
        warn_feedback_ignored(cx, &item, "ordering");
        if item.plain.is_empty() {
            cx.diags.error(
                "empty-option",
                item.span,
                "This step is empty.",
                "Write the step, or remove the line.",
            );
            ok = false;
            continue;
        }
        if seen.is_repeat(out.iter().map(|i| i.text.as_str()), &item.plain) {
            cx.diags.error(
                "duplicate-option",
                item.span,
                format!("The step \"{}\" is written twice.", item.plain),
                "Each step must be different, or the right order is unclear.",
            );
            ok = false;
            continue;
        }
        out.push(Item {
            id: content_id('i', &item.plain),
            text: item.plain,
        });
    }
    if !ok {
        return Err(());
    }
    if out.len() < 2 {
        cx.diags.error(
            "too-few-items",
            span,
            "An ordering question needs at least two steps.",
            "Write the steps as a numbered list, in the right order: 1. Wet your hands 2. Use soap ...",
        );
        return Err(());
    }
    Ok(Answer::Order { items: out })
}

/// A paragraph that starts with `=`: a number question's answer line,
/// `= 5 ± 1 °C`.
fn is_number_line(inner: &[Ev<'_>]) -> bool {
    matches!(inner.first(), Some((Event::Text(t), _)) if t.starts_with('='))
}

/// A paragraph that is plainly a number answer, `= 8 °C`: outside a quiz,
/// it would show learners the answer.
pub fn is_number_answer(inner: &[Ev<'_>]) -> bool {
    matches!(inner.first(), Some((Event::Text(t), _))
        if t.strip_prefix('=').is_some_and(|rest| number::scan_number(rest.trim_start()).is_some()))
}

fn number_answer(
    cx: &mut RenderContext,
    inner: &[Ev<'_>],
    span: Range<usize>,
) -> Result<Answer, ()> {
    let only_text = inner.iter().all(|(e, _)| matches!(e, Event::Text(_)));
    let Some(Piece::Run(run)) = pieces(inner).into_iter().next().filter(|_| only_text) else {
        cx.diags.error(
            "number-line",
            span,
            "A number answer takes one line of its own, with nothing else on it.",
            "Write the answer line as = 5 ± 1 °C, with an empty line before it and after it, and no bold or italic in it.",
        );
        return Err(());
    };
    let after_equals = &run.text[1..];
    let at = |offset: usize| run.source_offset(1 + offset);
    match number::parse_spec(after_equals) {
        Ok(spec) => Ok(Answer::Number {
            low: spec.low,
            high: spec.high,
            unit: spec.unit,
            shown: spec.shown,
        }),
        Err(error) => {
            let line = run.text.trim();
            match error {
                SpecError::NotANumber { at: range, text } => {
                    let message = if text.is_empty() {
                        format!("The answer line `{line}` is missing a number.")
                    } else {
                        format!("`{text}` in the answer line is not a number.")
                    };
                    cx.diags.error(
                        "number-not-a-number",
                        at(range.start)..at(range.end).max(at(range.start) + 1),
                        message,
                        "Write the answer in digits, with a point or a comma for decimals: = 5, = 2.5 kg, = 5 ± 1 °C or = 0..8 °C.",
                    );
                }
                SpecError::NegativeTolerance { at: range, text } => cx.diags.error(
                    "number-negative-tolerance",
                    at(range.start)..at(range.end),
                    format!("The tolerance `{text}` is below zero: it says how far off an answer may be, so it cannot be negative."),
                    "Write the tolerance without a minus: = 5 ± 1 °C accepts 4 to 6.",
                ),
                SpecError::EmptyRange { at: range, low, high } => cx.diags.error(
                    "number-empty-range",
                    at(range.start)..at(range.end),
                    format!("The range `{low}..{high}` goes down, so no number is in it and every answer would be marked wrong."),
                    format!("Write the smaller number first: = {high}..{low}."),
                ),
                SpecError::BadUnit { at: range, text } => cx.diags.error(
                    "number-bad-unit",
                    at(range.start)..at(range.end),
                    format!("`{text}` after the number is not a unit."),
                    "A unit is a word or a symbol like °C, kg or m. For a range write two dots, = 0..8 °C; for a tolerance, = 5 ± 1 °C.",
                ),
            }
            Err(())
        }
    }
}

/// A paragraph whose second or later line is an answer line: with no empty
/// line before it, `= 5 °C` joins the text above and would show to
/// learners as text. Reported (true) when there is one.
fn number_line_joined(cx: &mut RenderContext, inner: &[Ev<'_>]) -> bool {
    let mut after_break = false;
    for (event, span) in inner {
        match event {
            Event::SoftBreak | Event::HardBreak => after_break = true,
            Event::Text(text) if after_break => {
                if let Some(rest) = text.strip_prefix('=')
                    && number::scan_number(rest.trim_start()).is_some()
                {
                    cx.diags.error(
                        "number-line-joined",
                        span.start..span.start + 1,
                        format!("The answer line `{}` is joined to the text above it, so learners would see it as text.", text.trim()),
                        "Leave an empty line before the = line.",
                    );
                    return true;
                }
                after_break = false;
            }
            _ => after_break = false,
        }
    }
    false
}

/// Finds an answer written twice, ignoring case as `to_lowercase` does.
///
/// A short ASCII list (nearly every one) compares each entry with the ones
/// accepted before it, in place; a long list, or one with other letters
/// (where case rules are Unicode's), keeps a set of lowercased copies, so
/// the work stays linear whatever a tutor writes.
struct Repeats {
    folded: Option<HashSet<String>>,
}

impl Repeats {
    /// Lists longer than this take the set.
    const SHORT_LIST: usize = 16;

    fn new(items: &[ListItem]) -> Self {
        let short_ascii =
            items.len() <= Self::SHORT_LIST && items.iter().all(|item| item.plain.is_ascii());
        Repeats {
            folded: (!short_ascii).then(HashSet::new),
        }
    }

    /// Is `text` the same as one of `earlier` (the entries accepted so far)?
    /// A text that is not is remembered as accepted.
    fn is_repeat<'a>(&mut self, mut earlier: impl Iterator<Item = &'a str>, text: &str) -> bool {
        match &mut self.folded {
            Some(set) => !set.insert(text.to_lowercase()),
            // ASCII only here, so ASCII case rules are the whole story.
            None => earlier.any(|e| e.eq_ignore_ascii_case(text)),
        }
    }
}

fn warn_feedback_ignored(cx: &mut RenderContext, item: &ListItem, kind: &str) {
    if item.feedback.is_some() {
        cx.diags.warning(
            "ignored-content",
            item.span.clone(),
            format!("Feedback under one item of a {kind} question is not shown to learners."),
            "Put what you want to say in an explanation: a > note after the whole list.",
        );
    }
}

/// Consecutive text events, joined: pulldown-cmark splits text at `[`, so a
/// gap arrives in pieces.
struct TextRun {
    text: String,
    /// Where each piece starts in `text` and in the file.
    pieces: Vec<(usize, usize)>,
}

impl TextRun {
    fn source_offset(&self, at: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|(start, _)| *start <= at)
            .saturating_sub(1);
        self.pieces
            .get(index)
            .map(|(start, source)| source + (at - start))
            .unwrap_or(0)
    }
}

enum Piece<'e> {
    Run(TextRun),
    Other(Ev<'e>),
}

fn pieces<'e>(inner: &[Ev<'e>]) -> Vec<Piece<'e>> {
    let mut out: Vec<Piece> = Vec::new();
    for (event, span) in inner {
        if let Event::Text(text) = event {
            if let Some(Piece::Run(run)) = out.last_mut() {
                run.pieces.push((run.text.len(), span.start));
                run.text.push_str(text);
                continue;
            }
            out.push(Piece::Run(TextRun {
                text: String::from(text.as_ref()),
                pieces: vec![(0, span.start)],
            }));
        } else {
            out.push(Piece::Other((event.clone(), span.clone())));
        }
    }
    out
}

/// Does a run of consecutive text events, joined, contain `[[`? Asked of
/// every paragraph under a question, so it looks without joining: a `[[`
/// is inside one piece, or split as a `[` that ends one piece and a `[` that
/// starts the next (empty pieces in between change nothing).
pub fn has_gap(inner: &[Ev<'_>]) -> bool {
    let mut open_bracket = false;
    for (event, _) in inner {
        let Event::Text(text) = event else {
            open_bracket = false;
            continue;
        };
        if text.contains("[[") || (open_bracket && text.starts_with('[')) {
            return true;
        }
        if !text.is_empty() {
            open_bracket = text.ends_with('[');
        }
    }
    false
}

fn gaps(cx: &mut RenderContext, inner: &[Ev<'_>]) -> Result<Answer, ()> {
    if inner.iter().all(|(e, _)| matches!(e, Event::Text(_))) {
        return text_gaps(cx, inner);
    }
    let mut segments = Vec::new();
    let mut pending: Vec<Ev> = Vec::new();
    let mut ok = true;
    let fallback_span = span_of(inner);
    for piece in pieces(inner) {
        let run = match piece {
            Piece::Other(ev) => {
                pending.push(ev);
                continue;
            }
            Piece::Run(run) => run,
        };
        let mut rest = 0;
        while let Some(open) = run.text[rest..].find("[[").map(|i| i + rest) {
            ok &= !unopened_gap(cx, &run, rest..open);
            let here = run.source_offset(open);
            let span = here..here + 2;
            let Some(close) = run.text[open + 2..].find("]]").map(|i| i + open + 2) else {
                cx.diags.error(
                    "unclosed-gap",
                    span,
                    "This gap has [[ but no ]] to close it.",
                    "Write each gap as [[answer]] on one line, with no bold or italic inside it.",
                );
                ok = false;
                rest = run.text.len();
                break;
            };
            if let Some(next) = gap_in_gap(cx, &run, open, close) {
                ok = false;
                rest = next;
                continue;
            }
            if open > rest {
                pending.push((
                    Event::Text(run.text[rest..open].to_string().into()),
                    span.clone(),
                ));
            }
            if !pending.is_empty() {
                segments.push(GapSegment::Html(cx.render_inline_html(&pending)));
                pending.clear();
            }
            let answers: Vec<String> = run.text[open + 2..close]
                .split('|')
                .map(|a| a.trim().to_string())
                .collect();
            if answers.iter().any(String::is_empty) {
                cx.diags.error(
                    "empty-gap",
                    span,
                    "This gap has an empty answer.",
                    "Write the answer inside the brackets, like [[fridge]]; for more than one right answer, [[colour|color]].",
                );
                ok = false;
            }
            segments.push(GapSegment::Gap(answers));
            rest = close + 2;
        }
        ok &= !unopened_gap(cx, &run, rest..run.text.len());
        if rest < run.text.len() {
            pending.push((
                Event::Text(run.text[rest..].to_string().into()),
                fallback_span.clone(),
            ));
        }
    }
    if !pending.is_empty() {
        let html = cx.render_inline_html(&pending);
        if !html.is_empty() {
            segments.push(GapSegment::Html(html));
        }
    }
    if !ok {
        return Err(());
    }
    Ok(Answer::Gap { segments })
}

/// A `[[` inside the gap that starts at `open` and ends at the `]]` at
/// `close`: `[[shelf]. Follow [[me]]` would be one gap with the answer
/// `shelf]. Follow [[me`. Reports it at the first `[[` and returns where the
/// next gap starts.
fn gap_in_gap(cx: &mut RenderContext, run: &TextRun, open: usize, close: usize) -> Option<usize> {
    let inside = &run.text[open + 2..close];
    let next = inside.find("[[")?;
    let word = inside[..next].split(']').next().unwrap_or_default().trim();
    let here = run.source_offset(open);
    cx.diags.error(
        "unclosed-gap",
        here..here + 2,
        "This gap has [[ but no ]] before the next [[, so the two gaps run together into one.",
        format!("Close each gap with two brackets: [[{word}]], not [[{word}]."),
    );
    Some(open + 2 + next)
}

/// A `]]` in `range` of the text, outside any gap: `[shelf]]` is text, not a
/// gap. Reports the first one; true when there was one.
fn unopened_gap(cx: &mut RenderContext, run: &TextRun, range: Range<usize>) -> bool {
    let text = &run.text[range.clone()];
    let Some(at) = text.find("]]") else {
        return false;
    };
    let before = &text[..at];
    let word = before
        .rfind(['[', ' '])
        .map_or(before, |start| &before[start + 1..]);
    let here = run.source_offset(range.start + at);
    cx.diags.error(
        "unopened-gap",
        here..here + 2,
        "This ]] closes a gap, but the gap has no [[ to open it.",
        format!("Open each gap with two brackets: [[{word}]], not [{word}]]."),
    );
    true
}

/// A paragraph with a `]]` but no `[[`: a gap with one bracket too few at
/// its start. Reported (true) when there is one.
fn paragraph_with_unopened_gap(cx: &mut RenderContext, inner: &[Ev<'_>]) -> bool {
    // Most paragraphs have no ] at all: they are not copied to look.
    if !inner
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains(']')))
    {
        return false;
    }
    let mut found = false;
    for piece in pieces(inner) {
        if let Piece::Run(run) = piece
            && !found
            && run.text.contains("]]")
        {
            found = unopened_gap(cx, &run, 0..run.text.len());
        }
    }
    found
}

/// [`gaps`] for a paragraph of text only (no bold, links or breaks): the
/// usual one. The same segments, escaped straight from the joined text
/// rather than through an event list per segment.
fn text_gaps(cx: &mut RenderContext, inner: &[Ev<'_>]) -> Result<Answer, ()> {
    let mut run = TextRun {
        text: String::with_capacity(
            inner
                .iter()
                .map(|(e, _)| match e {
                    Event::Text(t) => t.len(),
                    _ => 0,
                })
                .sum(),
        ),
        pieces: Vec::with_capacity(inner.len()),
    };
    for (event, span) in inner {
        if let Event::Text(text) = event {
            run.pieces.push((run.text.len(), span.start));
            run.text.push_str(text);
        }
    }
    let mut segments = Vec::new();
    let mut ok = true;
    let mut rest = 0;
    while let Some(open) = run.text[rest..].find("[[").map(|i| i + rest) {
        ok &= !unopened_gap(cx, &run, rest..open);
        let here = run.source_offset(open);
        let span = here..here + 2;
        let Some(close) = run.text[open + 2..].find("]]").map(|i| i + open + 2) else {
            cx.diags.error(
                "unclosed-gap",
                span,
                "This gap has [[ but no ]] to close it.",
                "Write each gap as [[answer]] on one line, with no bold or italic inside it.",
            );
            return Err(());
        };
        if let Some(next) = gap_in_gap(cx, &run, open, close) {
            ok = false;
            rest = next;
            continue;
        }
        if open > rest {
            segments.push(GapSegment::Html(escape_text(&run.text[rest..open])));
        }
        let answers: Vec<String> = run.text[open + 2..close]
            .split('|')
            .map(|a| a.trim().to_string())
            .collect();
        if answers.iter().any(String::is_empty) {
            cx.diags.error(
                "empty-gap",
                span,
                "This gap has an empty answer.",
                "Write the answer inside the brackets, like [[fridge]]; for more than one right answer, [[colour|color]].",
            );
            ok = false;
        }
        segments.push(GapSegment::Gap(answers));
        rest = close + 2;
    }
    ok &= !unopened_gap(cx, &run, rest..run.text.len());
    if rest < run.text.len() {
        segments.push(GapSegment::Html(escape_text(&run.text[rest..])));
    }
    if !ok {
        return Err(());
    }
    Ok(Answer::Gap { segments })
}

impl RenderContext<'_, '_> {
    /// Block content kept as both plain text and HTML (hints, feedback).
    pub fn rich_blocks(&mut self, events: &[Ev<'_>]) -> Rich {
        let mut html = self.render_blocks(events, 0);
        html.truncate(html.trim_end().len());
        Rich {
            text: plain_text(events),
            html,
        }
    }
}

/// Index of the end of the question that starts at `start` (a `###`
/// heading): the next `###` at the top level, or the end.
pub fn question_end(events: &[Ev<'_>], start: usize) -> usize {
    let mut i = block_end(events, start) + 1;
    while i < events.len() {
        if super::markdown::is_heading(&events[i].0, pulldown_cmark::HeadingLevel::H3) {
            return i;
        }
        i = block_end(events, i) + 1;
    }
    events.len()
}
