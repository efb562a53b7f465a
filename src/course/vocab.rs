//! Vocabulary: definition lists become a glossary and a word list in the
//! lesson. A definition starting with a language code (`ar: ثلاجة`) is a
//! translation; the others are English definitions.
//!
//! Every translation is in the HTML with its `lang` and `dir`; the lesson
//! page shows the learner's own language with one CSS rule, so the HTML stays
//! compiled once for everyone.

use std::borrow::Cow;
use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Tag};

use super::markdown::{Ev, block_end};
use super::model::GlossaryTerm;
use super::render::{RenderContext, escape};
use super::settings::{is_language_code, is_rtl};

/// `events` are the children of a `DefinitionList`.
pub fn render_definition_list(cx: &mut RenderContext, events: &[Ev<'_>]) -> String {
    let mut html = String::from("<dl class=\"vocab\">\n");
    let mut i = 0;
    let mut open_entry = false;
    let mut current: Option<(GlossaryTerm, std::ops::Range<usize>)> = None;
    while i < events.len() {
        let end = block_end(events, i);
        let (event, span) = &events[i];
        let inner = events.get(i + 1..end).unwrap_or_default();
        match event {
            Event::Start(Tag::DefinitionListTitle) => {
                if let Some(entry) = current.take() {
                    finish_term(cx, entry);
                }
                if open_entry {
                    html.push_str("</div>\n");
                }
                open_entry = true;
                let term = cx.render_inline(inner);
                html.push_str(&format!(
                    "<div class=\"vocab-entry\"><dt data-say=\"{}\">{}</dt>\n",
                    escape(&term.text),
                    term.html
                ));
                current = Some((
                    GlossaryTerm {
                        term: term.text,
                        definitions: Vec::new(),
                        translations: BTreeMap::new(),
                        lesson: cx.lesson.clone(),
                    },
                    span.clone(),
                ));
            }
            Event::Start(Tag::DefinitionListDefinition) => {
                let (language, body) = split_language(inner);
                let rich = cx.render_inline(&body);
                match (language, current.as_mut()) {
                    (Some(code), Some((term, _))) => {
                        let dir = if is_rtl(&code) { "rtl" } else { "ltr" };
                        for part in [
                            "<dd class=\"tr\" lang=\"",
                            &escape(&code),
                            "\" dir=\"",
                            dir,
                            "\">",
                            &rich.html,
                            "</dd>\n",
                        ] {
                            html.push_str(part);
                        }
                        term.translations.entry(code).or_insert(rich.text);
                    }
                    (None, Some((term, _))) => {
                        for part in ["<dd>", &rich.html, "</dd>\n"] {
                            html.push_str(part);
                        }
                        term.definitions.push(rich.text);
                    }
                    (_, None) => html.push_str(&format!("<dd>{}</dd>\n", rich.html)),
                }
            }
            _ => {}
        }
        i = end + 1;
    }
    if let Some(entry) = current.take() {
        finish_term(cx, entry);
    }
    if open_entry {
        html.push_str("</div>\n");
    }
    html.push_str("</dl>\n");
    html
}

fn finish_term(cx: &mut RenderContext, (term, span): (GlossaryTerm, std::ops::Range<usize>)) {
    if term.term.is_empty() {
        return;
    }
    if term.definitions.is_empty() {
        cx.diags.warning(
            "no-definition",
            span.clone(),
            format!("The word \"{}\" has translations but no English definition.", term.term),
            "Add a line under the word with a short, simple English definition: `: A cold cupboard for food.`",
        );
    }
    if cx.languages_known {
        for code in term.translations.keys() {
            if !cx.languages.contains(code) {
                cx.diags.warning(
                    "unlisted-language",
                    span.clone(),
                    format!(
                        "The word \"{}\" has a translation into `{code}`, but course.toml does not list `{code}` in `languages`.",
                        term.term
                    ),
                    format!("Add \"{code}\" to `languages` in course.toml, or check the language code."),
                );
            }
        }
        let missing: Vec<&str> = cx
            .languages
            .iter()
            .filter(|code| !term.translations.contains_key(*code))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            cx.diags.warning(
                "missing-translation",
                span.clone(),
                format!(
                    "The word \"{}\" has no translation into {}.",
                    term.term,
                    missing.join(", ")
                ),
                format!(
                    "Add a line for each, like `: {}: ...`, under the word.",
                    missing[0]
                ),
            );
        }
    }
    cx.glossary.push((term, span));
}

/// If a definition starts with `xx:`, the language code and the definition
/// without it (borrowed as it is when there is no code, the common case for
/// English definitions).
fn split_language<'a, 'e>(events: &'a [Ev<'e>]) -> (Option<String>, Cow<'a, [Ev<'e>]>) {
    let unchanged = (None, Cow::Borrowed(events));
    let Some(index) = events
        .iter()
        .position(|(e, _)| !matches!(e, Event::Start(Tag::Paragraph)))
    else {
        return unchanged;
    };
    let (Event::Text(text), span) = &events[index] else {
        return unchanged;
    };
    let Some((code, rest)) = text.split_once(':') else {
        return unchanged;
    };
    let code = code.trim();
    if !is_language_code(code) || !rest.starts_with([' ', '\t']) && !rest.is_empty() {
        return unchanged;
    }
    let mut body = events.to_vec();
    body[index] = (
        Event::Text(CowStr::from(rest.trim_start().to_string())),
        span.clone(),
    );
    (Some(code.to_string()), Cow::Owned(body))
}
