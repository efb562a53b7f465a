//! One module file: front matter, the `#` title, the introduction, then a
//! lesson or quiz for each `##` heading.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Tag};

use super::ids::{UniqueIds, is_valid_id, slugify};
use super::markdown::{self, Ev, Heading, block_end, heading};
use super::model::{Lesson, LessonKind, Module, Quiz};
use super::quiz::{parse_question, question_end};
use super::render::RenderContext;
use super::settings::parse_front_matter;

/// A lesson page much bigger than this is slow on a phone with little data.
const LONG_LESSON_HTML_BYTES: usize = 100 * 1024;

/// Lesson ids already used in the course: id to (file, line), so a duplicate
/// names where the first one is.
///
/// The position is kept as a byte offset into the file's text and turned
/// into a line only for the rare duplicate.
///
/// hashbrown's map with its default hasher (foldhash), not std's SipHash:
/// the ids are the tutor's own, a handful per module, so there is no flood
/// of chosen keys to resist, and every lesson pays for the hash.
pub type SeenIds<'s> = hashbrown::HashMap<String, SeenId<'s>>;

pub struct SeenId<'s> {
    file: &'s str,
    text: &'s str,
    offset: usize,
}

impl SeenId<'_> {
    fn line(&self) -> usize {
        let before = self.text.get(..self.offset).unwrap_or(self.text);
        before.bytes().filter(|b| *b == b'\n').count() + 1
    }
}

pub fn compile_module<'s>(
    cx: &mut RenderContext,
    file_name: &'s str,
    text: &'s str,
    course_pass_mark: u8,
    seen_ids: &mut SeenIds<'s>,
    chunk: &mut Vec<Ev<'s>>,
) -> Option<Module> {
    let mut builder = ModuleBuilder {
        file_name,
        text,
        course_pass_mark,
        title: None,
        summary: None,
        intro_html: String::new(),
        lessons: Vec::new(),
        sections: 0,
    };
    super::slips::check(text, cx.diags);
    // The events are taken a `#`/`##` section at a time into one buffer,
    // reused for every section of every module of the course, so memory
    // follows the longest section, not the whole file.
    chunk.clear();
    let mut depth = 0usize;
    for (event, span) in
        pulldown_cmark::Parser::new_ext(text, markdown::parser_options()).into_offset_iter()
    {
        if depth == 0
            && (markdown::is_heading(&event, HeadingLevel::H1)
                || markdown::is_heading(&event, HeadingLevel::H2))
        {
            builder.take(cx, chunk, seen_ids);
            chunk.clear();
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        chunk.push((event, span));
    }
    builder.take(cx, chunk, seen_ids);
    chunk.clear();
    builder.finish(cx)
}

struct ModuleBuilder<'f> {
    file_name: &'f str,
    text: &'f str,
    course_pass_mark: u8,
    title: Option<(String, Range<usize>)>,
    summary: Option<String>,
    intro_html: String,
    lessons: Vec<Lesson>,
    /// `##` headings met, whether or not their lesson could be kept.
    sections: usize,
}

impl<'s> ModuleBuilder<'s> {
    /// Takes one chunk: front matter and anything before the title, the
    /// `#` title with the introduction under it, or a `##` section.
    fn take(&mut self, cx: &mut RenderContext, chunk: &[Ev], seen_ids: &mut SeenIds<'s>) {
        let Some((first, _)) = chunk.first() else {
            return;
        };
        if markdown::is_heading(first, HeadingLevel::H2) {
            self.sections += 1;
            let Some(h) = heading(chunk, 0) else { return };
            let body = &chunk[block_end(chunk, 0) + 1..];
            if let Some(lesson) = compile_section(
                cx,
                self.file_name,
                self.text,
                h,
                body,
                self.course_pass_mark,
                seen_ids,
            ) {
                self.lessons.push(lesson);
            }
        } else if markdown::is_heading(first, HeadingLevel::H1) {
            let Some(h) = heading(chunk, 0) else { return };
            let body = &chunk[block_end(chunk, 0) + 1..];
            if self.title.is_some() {
                cx.diags.error(
                    "extra-title",
                    h.span.clone(),
                    format!("This module has a second # title, \"{}\".", h.text),
                    "A module has exactly one # title. Use ## for a lesson and ### for a part of a lesson.",
                );
                return;
            }
            if h.text.is_empty() {
                cx.diags.error(
                    "empty-heading",
                    h.span.clone(),
                    "The # title is empty.",
                    "Write the module's title after the #.",
                );
            }
            if !self.lessons.is_empty() {
                cx.diags.error(
                    "text-before-title",
                    h.span.clone(),
                    "There are lessons before the module's # title.",
                    "Start the module with its # title; only front matter between +++ lines may come before it.",
                );
            }
            self.title = Some((h.text, h.span));
            cx.lesson = None;
            self.intro_html.push_str(&cx.render_blocks(body, 0));
        } else {
            // The start of the file: front matter, then (wrongly) text.
            let mut rest = chunk;
            if let Event::Start(Tag::MetadataBlock(MetadataBlockKind::PlusesStyle)) = first {
                if let Some((Event::Text(toml), span)) = chunk.get(1) {
                    self.summary = parse_front_matter(toml, span.start, cx.diags);
                }
                rest = &chunk[block_end(chunk, 0) + 1..];
            }
            if !rest.is_empty() {
                cx.diags.error(
                    "text-before-title",
                    markdown::span_of(rest),
                    "There is text before the module's # title.",
                    "Start the module with its # title; only front matter between +++ lines may come before it.",
                );
                cx.lesson = None;
                self.intro_html.push_str(&cx.render_blocks(rest, 0));
            }
        }
    }

    fn finish(self, cx: &mut RenderContext) -> Option<Module> {
        let Some((title, title_span)) = self.title else {
            cx.diags.error(
                "no-title",
                0..0,
                format!("The module {} has no # title.", self.file_name),
                "Start the file with one line like: # Your first day in the kitchen",
            );
            return None;
        };
        // A lesson left out for an error is reported already.
        if self.sections == 0 {
            cx.diags.warning(
                "no-lessons",
                title_span,
                "This module has no lessons or quizzes.",
                "Start each lesson with a ## heading, like: ## Washing your hands",
            );
        }
        Some(Module {
            file: self.file_name.to_string(),
            title,
            summary: self.summary,
            intro_html: self.intro_html,
            lessons: self.lessons,
        })
    }
}

fn compile_section<'s>(
    cx: &mut RenderContext,
    file_name: &'s str,
    text: &'s str,
    mut h: Heading,
    body: &[Ev<'_>],
    course_pass_mark: u8,
    seen_ids: &mut SeenIds<'s>,
) -> Option<Lesson> {
    let quiz_title = strip_quiz_prefix(&h.text);
    let kind = if quiz_title.is_some() {
        LessonKind::Quiz
    } else {
        LessonKind::Lesson
    };
    // A lesson heading's text is usually its title as it is: the title
    // takes the buffer rather than a copy. Ids are made from the whole
    // heading text, which is then the title.
    let title = match kind {
        LessonKind::Lesson if h.text.trim().len() == h.text.len() => std::mem::take(&mut h.text),
        _ => strip_quiz_prefix(&h.text)
            .unwrap_or(&h.text)
            .trim()
            .to_string(),
    };
    let heading_text = if h.text.is_empty() { &title } else { &h.text };
    let id = if title.is_empty() {
        cx.diags.error(
            "empty-heading",
            h.span.clone(),
            "This ## heading has no title.",
            "Write the lesson's title after the ##, or the quiz's after ## Quiz:",
        );
        None
    } else {
        section_id(cx, file_name, text, &h, heading_text, seen_ids)
    };
    // A rejected heading still has its text checked, so every problem shows
    // in one run; only the lesson itself is left out.
    let rejected = id.is_none();
    let id = id.unwrap_or_default();
    let settings = QuizSettings::read(cx, &h, kind, course_pass_mark);
    cx.lesson = Some(id.as_str().into());

    let lesson = match kind {
        LessonKind::Lesson => {
            let has_questions = body
                .iter()
                .any(|(e, _)| markdown::is_heading(e, HeadingLevel::H3));
            if let Some(answers) = has_questions.then(|| visible_answers(body)).flatten() {
                // Worse than a missing colon: the right answers are on the
                // page for every learner to read.
                cx.diags.error(
                    "answers-outside-quiz",
                    h.span.clone(),
                    format!(
                        "These {answers} are not in a quiz, so learners would see the answers: \"{title}\" is a lesson heading, not a quiz heading."
                    ),
                    quiz_heading_hint(&title),
                );
            } else if has_questions && quiz_without_colon(&title).is_some() {
                let why = if title[4..].trim_start().starts_with(':') {
                    "has a space before its colon"
                } else {
                    "has no colon"
                };
                cx.diags.warning(
                    "quiz-without-colon",
                    h.span.clone(),
                    format!("\"{title}\" starts with Quiz but {why}, so it is a lesson: its questions are shown as text and nothing is marked."),
                    quiz_heading_hint(&title),
                );
            }
            let html = cx.render_blocks(body, 1);
            if html.trim().is_empty() {
                cx.diags.warning(
                    "empty-lesson",
                    h.span.clone(),
                    format!("The lesson \"{title}\" has no text."),
                    "Write the lesson under its ## heading, or remove the heading.",
                );
            } else if html.len() > LONG_LESSON_HTML_BYTES {
                cx.diags.warning(
                    "long-lesson",
                    h.span.clone(),
                    format!(
                        "The lesson \"{title}\" is very long ({} KB) for a phone.",
                        html.len() / 1024
                    ),
                    "Split it into two or more ## lessons.",
                );
            }
            Some(Lesson {
                id,
                title,
                kind,
                html,
                quiz: None,
            })
        }
        LessonKind::Quiz => {
            let first_question = body
                .iter()
                .position(|(e, _)| markdown::is_heading(e, HeadingLevel::H3))
                .unwrap_or(body.len());
            let html = cx.render_blocks(&body[..first_question], 1);
            let mut questions = Vec::new();
            let mut ids = UniqueIds::default();
            let mut failed = false;
            let mut at = first_question;
            while at < body.len() {
                let end = question_end(body, at);
                if let Some(qh) = heading(body, at) {
                    let q_inline = &body[qh.inline.clone()];
                    let q_body = &body[block_end(body, at) + 1..end];
                    match parse_question(cx, qh, q_inline, q_body, &mut ids) {
                        Some(q) => questions.push(q),
                        None => failed = true,
                    }
                }
                at = end;
            }
            if questions.is_empty() && !failed {
                cx.diags.error(
                    "empty-quiz",
                    h.span.clone(),
                    format!("The quiz \"{title}\" has no questions."),
                    "Write each question as a ### heading with its answers under it, like: ### What temperature is a fridge?",
                );
            }
            Some(Lesson {
                id,
                title,
                kind,
                html,
                quiz: Some(Quiz {
                    pass_mark: settings.pass_mark,
                    max_attempts: settings.attempts,
                    questions,
                }),
            })
        }
    };
    if rejected { None } else { lesson }
}

/// `Quiz Hygiene`, `Quiz - Hygiene` or `Quiz : Hygiene`, a quiz heading
/// missing its colon (or with a space before it) -> `Hygiene`. Words that
/// only start with the letters, like `Quizzes`, are not it.
fn quiz_without_colon(title: &str) -> Option<&str> {
    let prefix = title.get(..4)?;
    let rest = &title[4..];
    if !prefix.eq_ignore_ascii_case("quiz") || rest.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some(rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '—' | '.' | ':')
    }))
}

/// How to turn a lesson heading into the quiz heading it was meant to be,
/// with the tutor's own title: `Quizz: Stock`, `Test: Stock` and
/// `✅ Quiz: Stock` all become `## Quiz: Stock`.
// Only on a slip: kept out of the section loop's code.
#[cold]
#[inline(never)]
fn quiz_heading_hint(title: &str) -> String {
    if let Some(rest) = quiz_without_colon(title) {
        return format!("Put a colon right after Quiz: ## Quiz: {rest}");
    }
    let name = match title.split_once(':') {
        Some((_, after)) if !after.trim().is_empty() => after.trim(),
        _ => title.trim_start_matches(|c: char| !c.is_alphanumeric()),
    };
    format!(
        "A quiz heading starts with Quiz and a colon: ## Quiz: {name}. (If these are not questions, take the boxes, the [[ ]] or the = line out.)"
    )
}

/// The first kind of answers written under a `###` heading of a lesson:
/// answer boxes (a task list) or `[[gaps]]`, as a quiz question would have.
fn visible_answers(body: &[Ev<'_>]) -> Option<&'static str> {
    let mut under_question = false;
    for (start, end) in markdown::blocks(body) {
        match &body[start].0 {
            e if markdown::is_heading(e, HeadingLevel::H3) => under_question = true,
            Event::Start(Tag::List(_))
                if under_question
                    && body[start..end]
                        .iter()
                        .any(|(e, _)| matches!(e, Event::TaskListMarker(_))) =>
            {
                return Some("answer boxes");
            }
            Event::Start(Tag::Paragraph)
                if under_question && super::quiz::has_gap(&body[start + 1..end]) =>
            {
                return Some("gaps");
            }
            Event::Start(Tag::Paragraph)
                if under_question && super::quiz::is_number_answer(&body[start + 1..end]) =>
            {
                return Some("number answers");
            }
            _ => {}
        }
    }
    None
}

/// `Quiz: Hygiene` -> `Hygiene`, ignoring case.
fn strip_quiz_prefix(text: &str) -> Option<&str> {
    let prefix = text.get(..5)?;
    prefix.eq_ignore_ascii_case("quiz:").then(|| &text[5..])
}

fn section_id<'s>(
    cx: &mut RenderContext,
    file_name: &'s str,
    text: &'s str,
    h: &Heading,
    heading_text: &str,
    seen: &mut SeenIds<'s>,
) -> Option<String> {
    let id = match h.id.as_deref() {
        Some(id) if !is_valid_id(id) => {
            cx.diags.error(
                "invalid-id",
                h.span.clone(),
                format!("`{id}` cannot be a lesson id."),
                "Ids use small letters a-z, digits and hyphens, like {#washing-hands}.",
            );
            return None;
        }
        Some(id) => id.to_string(),
        None => {
            let id = slugify(heading_text);
            if id.is_empty() {
                // An id made up for it ("lesson") would clash with the next
                // such heading, over an id the tutor never wrote.
                cx.diags.error(
                    "heading-without-words",
                    h.span.clone(),
                    format!("The heading \"{heading_text}\" has no words, so Presto cannot make a lesson id from it (progress is saved by id)."),
                    format!("Add a word or two after it, like ## {heading_text} Washing hands, or give the lesson an id: ## {heading_text} {{#washing-hands}}"),
                );
                return None;
            }
            id
        }
    };
    let id = if id.is_empty() {
        "lesson".to_string()
    } else {
        id
    };
    if let Some(first) = seen.get(&id) {
        let (first_file, first_line) = (first.file, first.line());
        let hint = if h.id.is_some() {
            "Give this lesson another id in { }, like {#washing-hands-2}."
        } else {
            "Change the title, or give the lesson its own id: ## Title {#my-own-id}."
        };
        cx.diags.error(
            "duplicate-id",
            h.span.clone(),
            format!("The lesson id `{id}` is used already, in {first_file} line {first_line}. Progress is saved by id, so each must be different."),
            hint,
        );
        return None;
    }
    seen.insert(
        id.clone(),
        SeenId {
            file: file_name,
            text,
            offset: h.span.start,
        },
    );
    Some(id)
}

struct QuizSettings {
    pass_mark: u8,
    attempts: Option<u32>,
}

impl QuizSettings {
    fn read(cx: &mut RenderContext, h: &Heading, kind: LessonKind, course_pass_mark: u8) -> Self {
        let mut settings = QuizSettings {
            pass_mark: course_pass_mark,
            attempts: None,
        };
        if !h.classes.is_empty() {
            cx.diags.warning(
                "unknown-attribute",
                h.span.clone(),
                "Classes like .name in a heading do nothing in Presto and are ignored.",
                "Remove the .name part of the { }.",
            );
        }
        for (name, value) in &h.attrs {
            let value = value.as_deref().unwrap_or("");
            match (kind, name.as_ref()) {
                (LessonKind::Quiz, "pass") => match value.parse::<u8>().ok().filter(|n| (1..=100).contains(n)) {
                    Some(n) => settings.pass_mark = n,
                    None => cx.diags.error(
                        "invalid-setting",
                        h.span.clone(),
                        format!("pass={value} is not a percent from 1 to 100."),
                        "Write the pass mark as a whole number, like {#hygiene-quiz pass=70}.",
                    ),
                },
                (LessonKind::Quiz, "attempts") => match value.parse::<u32>().ok().filter(|n| (1..=100).contains(n)) {
                    Some(n) => settings.attempts = Some(n),
                    None => cx.diags.error(
                        "invalid-setting",
                        h.span.clone(),
                        format!("attempts={value} is not a number of attempts from 1 to 100."),
                        "Write it like {#hygiene-quiz attempts=3}, or leave it out for unlimited attempts.",
                    ),
                },
                (LessonKind::Lesson, "pass" | "attempts") => cx.diags.warning(
                    "unknown-attribute",
                    h.span.clone(),
                    format!("`{name}` only works on a quiz heading (## Quiz: ...), so it is ignored here."),
                    "Remove it, or make this section a quiz.",
                ),
                _ => cx.diags.warning(
                    "unknown-attribute",
                    h.span.clone(),
                    format!("`{name}` is not a heading setting Presto knows, so it is ignored."),
                    "Quiz headings take pass=NN and attempts=N, like {#hygiene-quiz pass=70 attempts=3}.",
                ),
            }
        }
        settings
    }
}
