//! One module file: front matter, the `#` title, the introduction, then a
//! lesson or quiz for each `##` heading.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Tag, TagEnd};

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
pub type SeenIds<'s> = HashMap<String, SeenId<'s>>;

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
) -> Option<Module> {
    let mut builder = ModuleBuilder {
        file_name,
        text,
        course_pass_mark,
        title: None,
        summary: None,
        intro_html: String::new(),
        lessons: Vec::new(),
    };
    // One pass over the events. A lesson streams from the parser into its
    // HTML; only a quiz, a heading, or what comes before the title is held
    // in memory, so a long module costs no more than its longest quiz.
    let mut events = pulldown_cmark::Parser::new_ext(text, markdown::parser_options())
        .into_offset_iter()
        .peekable();
    while let Some((first, _)) = events.peek() {
        if markdown::is_heading(first, HeadingLevel::H1) {
            let h = take_heading(&mut events);
            builder.title(cx, h, Section::new(&mut events));
        } else if markdown::is_heading(first, HeadingLevel::H2) {
            let h = take_heading(&mut events);
            builder.section(cx, h, Section::new(&mut events), seen_ids);
        } else {
            let preamble: Vec<Ev> = Section::new(&mut events).collect();
            builder.preamble(cx, &preamble);
        }
    }
    builder.finish(cx)
}

/// The events of a section: everything up to the next `#` or `##` heading
/// at the top level, which is left for the next section.
struct Section<'p, I: Iterator> {
    events: &'p mut std::iter::Peekable<I>,
    depth: usize,
}

impl<'p, I: Iterator> Section<'p, I> {
    fn new(events: &'p mut std::iter::Peekable<I>) -> Self {
        Section { events, depth: 0 }
    }
}

impl<'e, I: Iterator<Item = Ev<'e>>> Iterator for Section<'_, I> {
    type Item = Ev<'e>;

    fn next(&mut self) -> Option<Ev<'e>> {
        let (event, _) = self.events.peek()?;
        if self.depth == 0
            && (markdown::is_heading(event, HeadingLevel::H1)
                || markdown::is_heading(event, HeadingLevel::H2))
        {
            return None;
        }
        let item = self.events.next()?;
        match item.0 {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Some(item)
    }
}

/// Reads a heading (its start, inline events and end) off the stream.
fn take_heading<'e>(events: &mut impl Iterator<Item = Ev<'e>>) -> Heading<'e> {
    let mut taken: Vec<Ev<'e>> = Vec::with_capacity(8);
    for item in events.by_ref() {
        let end = matches!(item.0, Event::End(TagEnd::Heading(_)));
        taken.push(item);
        if end {
            break;
        }
    }
    heading(&taken, 0).unwrap_or_else(|| Heading {
        level: HeadingLevel::H2,
        id: None,
        classes: Vec::new(),
        attrs: Vec::new(),
        text: String::new(),
        inline: 0..0,
        span: taken.first().map_or(0..0, |(_, s)| s.clone()),
    })
}

struct ModuleBuilder<'f> {
    file_name: &'f str,
    text: &'f str,
    course_pass_mark: u8,
    title: Option<(String, Range<usize>)>,
    summary: Option<String>,
    intro_html: String,
    lessons: Vec<Lesson>,
}

impl<'s> ModuleBuilder<'s> {
    /// The `#` title and the introduction under it.
    fn title<'e>(
        &mut self,
        cx: &mut RenderContext,
        h: Heading<'e>,
        body: impl Iterator<Item = Ev<'e>>,
    ) {
        cx.lesson = None;
        let intro = cx.render_stream(body, 0);
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
        self.intro_html.push_str(&intro);
    }

    /// A `##` lesson or quiz.
    fn section<'e>(
        &mut self,
        cx: &mut RenderContext,
        h: Heading<'e>,
        body: impl Iterator<Item = Ev<'e>>,
        seen_ids: &mut SeenIds<'s>,
    ) {
        if let Some(lesson) = compile_section(
            cx,
            self.file_name,
            self.text,
            &h,
            body,
            self.course_pass_mark,
            seen_ids,
        ) {
            self.lessons.push(lesson);
        }
    }

    /// The start of the file: front matter, then (wrongly) text.
    fn preamble(&mut self, cx: &mut RenderContext, chunk: &[Ev]) {
        let mut rest = chunk;
        if let Some((Event::Start(Tag::MetadataBlock(MetadataBlockKind::PlusesStyle)), _)) =
            chunk.first()
        {
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
        if self.lessons.is_empty() {
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

fn compile_section<'s, 'e>(
    cx: &mut RenderContext,
    file_name: &'s str,
    text: &'s str,
    h: &Heading,
    body: impl Iterator<Item = Ev<'e>>,
    course_pass_mark: u8,
    seen_ids: &mut SeenIds<'s>,
) -> Option<Lesson> {
    let quiz_title = strip_quiz_prefix(&h.text);
    let kind = if quiz_title.is_some() {
        LessonKind::Quiz
    } else {
        LessonKind::Lesson
    };
    let title = quiz_title.unwrap_or(&h.text).trim().to_string();
    let id = if title.is_empty() {
        cx.diags.error(
            "empty-heading",
            h.span.clone(),
            "This ## heading has no title.",
            "Write the lesson's title after the ##, or the quiz's after ## Quiz:",
        );
        None
    } else {
        section_id(cx, file_name, text, h, seen_ids)
    };
    // A rejected heading still has its text checked, so every problem shows
    // in one run; only the lesson itself is left out.
    let rejected = id.is_none();
    let id = id.unwrap_or_default();
    let settings = QuizSettings::read(cx, h, kind, course_pass_mark);
    cx.lesson = Some(id.clone());

    let lesson = match kind {
        LessonKind::Lesson => {
            let html = cx.render_stream(body, 1);
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
            let body: Vec<Ev<'e>> = body.collect();
            let body = body.as_slice();
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
                    match parse_question(cx, &qh, q_inline, q_body, &mut ids) {
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
        None => slugify(&h.text),
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
